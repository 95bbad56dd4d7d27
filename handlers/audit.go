package handlers

import (
	"html/template"
	"io"
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

var warsaw = views.Warsaw

// auditEntities and auditActions are the filter choices; the catalogue
// names each one.
var (
	auditEntities = []string{"user", "session", "centre", "database", "unit", "staff", "location", "announcement", "category",
		"project", "milestone", "indicator", "publication", "course", "trainer", "training_session", "attendance", "blackout",
		"file", "note", "checklist", "checklist_result", "feed_token"}
	auditActions = []string{store.ActionCreate, store.ActionUpdate, store.ActionDelete, store.ActionPassword,
		store.ActionLogin, store.ActionLoginFailed, store.ActionLoginThrottled, store.ActionLogout,
		store.ActionSessionsEnded, store.ActionBackup, store.ActionBackupFailed, store.ActionExport,
		store.ActionMove, store.ActionCorrect, store.ActionReopen, store.ActionReplan, store.ActionConfirm, store.ActionMark,
		store.ActionReactivate, store.ActionLoginRefused}
)

type auditView struct {
	Query    string // the filter, for the export link
	Entries  []store.AuditEntry
	Rows     []template.HTML // the entries rendered
	Filter   store.AuditFilter
	From, To string
	NextURL  string
	Entities []string
	Actions  []string
}

// parseAuditQuery turns the filter form's values into a filter; bad values
// are reported per field and left out of the filter.
func parseAuditQuery(q url.Values) (store.AuditFilter, map[string]string) {
	f := store.AuditFilter{Limit: 50}
	errs := map[string]string{}
	if e := q.Get("entity"); e != "" {
		if contains(auditEntities, e) {
			f.Entity = e
		} else {
			errs["entity"] = "error.invalid_choice"
		}
	}
	if a := q.Get("action"); a != "" {
		if contains(auditActions, a) {
			f.Action = a
		} else {
			errs["action"] = "error.invalid_choice"
		}
	}
	f.Actor = store.NormalizeLogin(q.Get("actor"))
	if len(f.Actor) > 64 {
		f.Actor = f.Actor[:64]
	}
	if s := q.Get("from"); s != "" {
		if t, ok := views.ParseDate(s); ok {
			f.From = t
		} else {
			errs["from"] = "error.date"
		}
	}
	if s := q.Get("to"); s != "" {
		if t, ok := views.ParseDate(s); ok {
			f.To = t.AddDate(0, 0, 1) // the whole last day
		} else {
			errs["to"] = "error.date"
		}
	}
	if s := q.Get("before"); s != "" {
		if n, err := strconv.ParseUint(s, 10, 64); err == nil {
			f.Before = n
		} else {
			errs["before"] = "error.invalid_choice"
		}
	}
	return f, errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Server) auditList(c *fiber.Ctx) error {
	q, _ := url.ParseQuery(string(c.Context().QueryArgs().QueryString()))
	f, errs := parseAuditQuery(q)
	l := language(c)
	view := func() (any, error) { return s.auditView(l, q, f, errs) }
	if len(errs) > 0 {
		v, err := view()
		if err != nil {
			return err
		}
		return s.page(c, fiber.StatusUnprocessableEntity, "audit", "audit.title", v, errs)
	}
	// The log only grows: a page of it stays the same until the next entry
	// (or a change of the names it shows), so it is rendered once for that.
	key := q.Encode() + "|" + strconv.FormatUint(s.st.LastAuditID(), 10)
	return s.cachedPage(c, "audit", "audit.title", key, view)
}

func (s *Server) auditView(l *views.Lang, q url.Values, f store.AuditFilter, errs map[string]string) (auditView, error) {
	page, err := s.st.Audit(f)
	if err != nil {
		return auditView{}, err
	}
	v := auditView{Entries: page.Entries, Filter: f, Entities: auditEntities, Actions: auditActions,
		From: q.Get("from"), To: q.Get("to")}
	if t, ok := views.ParseDate(v.From); ok {
		v.From = views.ISODate(t)
	}
	if t, ok := views.ParseDate(v.To); ok {
		v.To = views.ISODate(t)
	}
	exp := url.Values{}
	for _, k := range []string{"entity", "action", "actor", "from", "to"} {
		if v := q.Get(k); v != "" && errs[k] == "" {
			exp.Set(k, v)
		}
	}
	v.Query = exp.Encode()
	if page.Next != 0 {
		next := url.Values{}
		for k, vs := range q {
			next[k] = vs
		}
		next.Set("before", strconv.FormatUint(page.Next, 10))
		v.NextURL = "/admin/audit?" + next.Encode()
	}
	var names *auditNames // built only when a row is not kept yet, once for the page
	version := s.auditNamesVersion()
	for i := range page.Entries {
		e := &page.Entries[i]
		row, err := s.cachedRow(l, version, "audit-row", strconv.FormatUint(e.ID, 10), func() (any, error) {
			if names == nil {
				var err error
				if names, err = s.auditNames(l, page.Entries); err != nil {
					return nil, err
				}
			}
			return names.view(e), nil
		})
		if err != nil {
			return auditView{}, err
		}
		v.Rows = append(v.Rows, row)
	}
	return v, nil
}

// auditNamesVersion changes whenever a name an audit row shows may change:
// the structure and accounts, the schedule (courses, trainers, sessions,
// files), the notes and the checklists. Each part only counts up, so their
// sum does too; it is read before the names are.
func (s *Server) auditNamesVersion() uint64 {
	return s.st.OrgVersion() + s.st.ScheduleVersion() + s.st.NotesVersion() + s.st.ChecklistsVersion()
}

// maxAuditExport bounds one export; narrow the filter for more.
const maxAuditExport = 20000

// auditCSV exports the entries the filter selects, newest first, with the
// stored English keys (for spreadsheets and for the funder's controllers).
func (s *Server) auditCSV(c *fiber.Ctx) error {
	q, _ := url.ParseQuery(string(c.Context().QueryArgs().QueryString()))
	f, _ := parseAuditQuery(q)
	f.Limit = 500
	var entries []store.AuditEntry
	for len(entries) < maxAuditExport {
		page, err := s.st.Audit(f)
		if err != nil {
			return err
		}
		entries = append(entries, page.Entries...)
		if page.Next == 0 {
			break
		}
		f.Before = page.Next
	}
	if len(entries) > maxAuditExport {
		entries = entries[:maxAuditExport]
	}
	if err := s.st.Record(s.actor(c), "database", 0, store.ActionExport); err != nil {
		return err
	}
	return s.sendCSV(c, "dziennik-zmian", func(w io.Writer) error { return store.WriteAuditCSV(w, entries) })
}
