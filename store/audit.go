package store

import (
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Actor is who makes a change: a signed-in user, or the system (CLI, demo).
type Actor struct {
	UserID uint64
	Login  string
	IP     string
}

// System is the actor for changes made from the command line or at start-up.
var System = Actor{Login: "system"}

// Audit actions.
const (
	ActionCreate      = "create"
	ActionUpdate      = "update"
	ActionMove        = "move"    // a person's new assignment from a day
	ActionCorrect     = "correct" // a mistake in an assignment put right
	ActionDelete      = "delete"
	ActionLogin       = "login"
	ActionLoginFailed = "login_failed"
	ActionLogout      = "logout"
	ActionPassword    = "password"
	ActionBackup      = "backup"
	// ActionBackupFailed is a copy that could not be written or failed
	// verification.
	ActionBackupFailed = "backup_failed"
	ActionExport       = "export"
	// ActionLoginThrottled is a sign-in refused before checking the password.
	ActionLoginThrottled = "login_throttled"
	ActionSessionsEnded  = "sessions_ended"
)

// Change is one field's old and new value in an audit entry.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// AuditEntry is one line of the append-only audit log.
type AuditEntry struct {
	ID       uint64    `json:"id"`
	At       time.Time `json:"at"`
	ActorID  uint64    `json:"actor_id"`
	Actor    string    `json:"actor"`
	IP       string    `json:"ip,omitempty"`
	Entity   string    `json:"entity"`
	EntityID uint64    `json:"entity_id,omitempty"`
	Action   string    `json:"action"`
	Changes  []Change  `json:"changes,omitempty"`
}

// audit appends an entry inside the caller's transaction, so the change and
// its record commit or fail together.
func (s *Store) audit(tx *bolt.Tx, a Actor, entity string, id uint64, action string, changes []Change) error {
	b := tx.Bucket(bucketAudit)
	seq, err := nextID(b)
	if err != nil {
		return err
	}
	// The actor may be what someone typed into the sign-in form.
	e := AuditEntry{ID: seq, At: s.now().UTC(), ActorID: a.UserID, Actor: clip(CleanText(a.Login)), IP: clip(CleanText(a.IP)),
		Entity: entity, EntityID: id, Action: action, Changes: changes}
	return putJSON(b, itob(seq), e)
}

// Record writes an audit entry that goes with no record change (a login, a backup).
func (s *Store) Record(a Actor, entity string, id uint64, action string, changes ...Change) error {
	return s.db.Update(func(tx *bolt.Tx) error { return s.audit(tx, a, entity, id, action, changes) })
}

// secretFields never show their values in the audit log.
var secretFields = map[string]bool{"password_hash": true}

// bookkeeping fields are kept by the store itself; they are not changes.
var bookkeeping = map[string]bool{"id": true, "version": true, "created": true, "updated": true,
	"last_assignment": true, // the counter behind assignment IDs; the assignments themselves are logged
}

func hidden(v string) string {
	if v == "" {
		return ""
	}
	return "•••"
}

// Diff lists the fields whose JSON values differ between two records of the
// same type, leaving out the store's bookkeeping fields.
func Diff(old, new any) []Change {
	o, n := flatten(old), flatten(new)
	keys := map[string]bool{}
	for k := range o {
		keys[k] = true
	}
	for k := range n {
		keys[k] = true
	}
	var out []Change
	for k := range keys {
		if bookkeeping[k] || reflect.DeepEqual(o[k], n[k]) {
			continue
		}
		c := Change{Field: k, Old: clip(show(o[k])), New: clip(show(n[k]))}
		if secretFields[k] {
			c.Old, c.New = hidden(c.Old), hidden(c.New)
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// flatten maps a record's fields to values, nested ones by path
// ("states.2.name"), so that a change deep in a list (one state of a
// unit's history) is recorded as that field alone, not as the whole list.
// Lists of plain values (phone numbers) stay one value.
func flatten(v any) map[string]any {
	m := map[string]any{}
	if v == nil || (reflect.ValueOf(v).Kind() == reflect.Pointer && reflect.ValueOf(v).IsNil()) {
		return m
	}
	data, err := json.Marshal(v)
	if err != nil {
		return m
	}
	var top map[string]any
	if json.Unmarshal(data, &top) != nil {
		return m
	}
	for k, x := range top {
		flattenInto(m, k, x)
	}
	return m
}

func flattenInto(m map[string]any, path string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			flattenInto(m, path+"."+k, e)
		}
	case []any:
		if !hasObjects(x) {
			m[path] = x
			return
		}
		for i, e := range x {
			flattenInto(m, path+"."+strconv.Itoa(i), e)
		}
	default:
		m[path] = x
	}
}

func hasObjects(list []any) bool {
	for _, e := range list {
		if _, ok := e.(map[string]any); ok {
			return true
		}
	}
	return false
}

func show(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64) // 1000000, not 1e+06
	case bool:
		return strconv.FormatBool(x)
	default:
		data, _ := json.Marshal(x)
		return string(data)
	}
}

// AuditFilter selects audit entries; zero fields match everything.
type AuditFilter struct {
	Entity string
	Action string
	Actor  string // login, exact
	From   time.Time
	To     time.Time // exclusive
	Before uint64    // page cursor: only entries with a smaller ID
	Limit  int
}

// AuditPage is one page of audit entries, newest first.
type AuditPage struct {
	Entries []AuditEntry
	Next    uint64 // cursor for the next (older) page, 0 when none
}

// Audit lists entries newest first. Entries are keyed by increasing ID, which
// is also time order, so the scan runs backwards from the cursor.
func (s *Store) Audit(f AuditFilter) (AuditPage, error) {
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	var page AuditPage
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketAudit).Cursor()
		var k, v []byte
		if f.Before > 0 {
			c.Seek(itob(f.Before))
			k, v = c.Prev()
		} else {
			k, v = c.Last()
		}
		for ; k != nil; k, v = c.Prev() {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return fmt.Errorf("audit entry %d: %w", btoi(k), err)
			}
			if !f.From.IsZero() && e.At.Before(f.From) {
				break // older entries only from here on
			}
			if !f.match(e) {
				continue
			}
			if len(page.Entries) == f.Limit {
				page.Next = page.Entries[len(page.Entries)-1].ID
				break
			}
			page.Entries = append(page.Entries, e)
		}
		return nil
	})
	return page, err
}

func (f AuditFilter) match(e AuditEntry) bool {
	return (f.Entity == "" || e.Entity == f.Entity) &&
		(f.Action == "" || e.Action == f.Action) &&
		(f.Actor == "" || strings.EqualFold(e.Actor, f.Actor)) &&
		(f.To.IsZero() || e.At.Before(f.To))
}

// LastAuditID is the ID of the newest audit entry (0 when there is none):
// a page of the log stays the same until it changes.
func (s *Store) LastAuditID() uint64 {
	var id uint64
	_ = s.db.View(func(tx *bolt.Tx) error {
		if k, _ := tx.Bucket(bucketAudit).Cursor().Last(); k != nil {
			id = btoi(k)
		}
		return nil
	})
	return id
}
