package handlers

import (
	"bytes"
	"html/template"
	"net/url"
	"strconv"
	"sync"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

var warsaw = views.Warsaw

// auditEntities and auditActions are the filter choices; the catalogue
// names each one.
var (
	auditEntities = []string{"user", "session", "centre", "database", "unit", "staff", "location", "announcement"}
	auditActions  = []string{store.ActionCreate, store.ActionUpdate, store.ActionDelete, store.ActionPassword,
		store.ActionLogin, store.ActionLoginFailed, store.ActionLoginThrottled, store.ActionLogout,
		store.ActionSessionsEnded, store.ActionBackup}
)

type auditView struct {
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
	page, err := s.st.Audit(f)
	if err != nil {
		return err
	}
	v := auditView{Entries: page.Entries, Filter: f, Entities: auditEntities, Actions: auditActions,
		From: q.Get("from"), To: q.Get("to")}
	if t, ok := views.ParseDate(v.From); ok {
		v.From = views.ISODate(t)
	}
	if t, ok := views.ParseDate(v.To); ok {
		v.To = views.ISODate(t)
	}
	if page.Next != 0 {
		q.Set("before", strconv.FormatUint(page.Next, 10))
		v.NextURL = "/admin/audit?" + q.Encode()
	}
	l := language(c)
	for i := range page.Entries {
		row, err := s.auditRow(l, &page.Entries[i])
		if err != nil {
			return err
		}
		v.Rows = append(v.Rows, row)
	}
	status := fiber.StatusOK
	if len(errs) > 0 {
		status = fiber.StatusUnprocessableEntity
	}
	return s.page(c, status, "audit", "audit.title", v, errs)
}

// auditRow is one entry as a table row. Entries never change once written,
// so each row is rendered once per language and kept (within a bound).
func (s *Server) auditRow(l *views.Lang, e *store.AuditEntry) (template.HTML, error) {
	key := auditRowKey{e.ID, l.Code}
	s.auditRows.mu.Lock()
	row, ok := s.auditRows.rows[key]
	s.auditRows.mu.Unlock()
	if ok {
		return row, nil
	}
	var buf bytes.Buffer
	if err := s.views.Render(&buf, "audit-row", map[string]any{"L": l, "E": e}); err != nil {
		return "", err
	}
	row = template.HTML(buf.String())
	s.auditRows.mu.Lock()
	if s.auditRows.rows == nil || len(s.auditRows.rows) >= maxAuditRows {
		s.auditRows.rows = map[auditRowKey]template.HTML{}
	}
	s.auditRows.rows[key] = row
	s.auditRows.mu.Unlock()
	return row, nil
}

type auditRowKey struct {
	id   uint64
	lang string
}

// auditRowCache holds rendered audit rows; a few thousand cover the pages
// an administrator pages through.
type auditRowCache struct {
	mu   sync.Mutex
	rows map[auditRowKey]template.HTML
}

const maxAuditRows = 5000
