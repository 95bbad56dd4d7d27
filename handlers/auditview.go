package handlers

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"intranet/store"
	"intranet/views"
)

// auditRowView is an audit entry as an administrator reads it: the record
// by its name with a link, each change with its field's label and values
// as names, dates and lists instead of IDs and JSON. The stored entry keeps
// the English keys (shown on hover and exported as they are).
type auditRowView struct {
	E       *store.AuditEntry
	Entity  string // translated kind of record
	Name    string // the record's name today ("" when unknown)
	Href    string // where the record is shown ("" when gone or none)
	Changes []changeView
}

type changeView struct {
	Key      string   // the stored field path, as exported
	Label    string   // translated
	Old, New []string // one item per value of a list
}

// auditNames resolves IDs in audit entries to today's names.
type auditNames struct {
	l     *views.Lang
	org   *store.Org
	users map[uint64]string // login by account ID
}

func (s *Server) auditNames(l *views.Lang) (*auditNames, error) {
	org, err := s.loadOrg()
	if err != nil {
		return nil, err
	}
	users, err := s.st.Users()
	if err != nil {
		return nil, err
	}
	n := &auditNames{l: l, org: org, users: make(map[uint64]string, len(users))}
	for _, u := range users {
		n.users[u.ID] = u.Login + " (" + u.Name + ")"
	}
	return n, nil
}

func (n *auditNames) view(e *store.AuditEntry) auditRowView {
	v := auditRowView{E: e, Entity: n.l.T("entity." + e.Entity)}
	id := strconv.FormatUint(e.EntityID, 10)
	switch e.Entity {
	case "staff":
		if p := n.org.PersonByID[e.EntityID]; p != nil {
			v.Name, v.Href = p.FullName(), "/staff/"+id
		}
	case "unit":
		if u := n.org.UnitByID[e.EntityID]; u != nil {
			v.Name, v.Href = u.Current().Name, "/org/units/"+id
		}
	case "location":
		if l := n.org.LocationByID[e.EntityID]; l != nil {
			v.Name, v.Href = l.Name, "/locations#location-"+id
		}
	case "announcement":
		for i := range n.org.Announcements {
			if a := &n.org.Announcements[i]; a.ID == e.EntityID {
				v.Name, v.Href = a.Title, "/announcements#announcement-"+id
			}
		}
	case "user":
		if name, ok := n.users[e.EntityID]; ok {
			v.Name, v.Href = name, "/admin/users/"+id
		}
	case "category":
		if c := n.org.CategoryByID[e.EntityID]; c != nil {
			v.Name, v.Href = c.Name, "/admin/categories/"+id
		}
	case "centre":
		v.Href = "/admin/centre"
	case "training_session":
		v.Href = "/schedule/sessions/" + id
	case "blackout":
		v.Href = "/schedule/blackouts/" + id
	case "note":
		v.Href = "/monitoring/notes/" + id
	case "checklist":
		v.Href = "/monitoring/checklists/" + id
	case "checklist_result":
		v.Href = "/monitoring/checklists/results/" + id
	case "feed_token": // the token's own ID is its account's
		v.Name = n.users[e.EntityID]
	}
	if v.Name == "" && e.EntityID != 0 {
		v.Name = "#" + id // deleted since: the entry's own values say what it was
	}
	for _, c := range e.Changes {
		v.Changes = append(v.Changes, changeView{Key: c.Field, Label: n.label(e.Entity, c.Field),
			Old: n.values(c.Field, c.Old), New: n.values(c.Field, c.New)})
	}
	return v
}

// label translates a field path: "states.2.name" is "stan 3: nazwa".
func (n *auditNames) label(entity, path string) string {
	parts := strings.Split(path, ".")
	var out []string
	for i := 0; i < len(parts); i++ {
		if i+1 < len(parts) {
			if k, err := strconv.Atoi(parts[i+1]); err == nil {
				out = append(out, n.l.T("field.item", "Name", n.fieldName(entity, parts[i]), "N", k+1))
				i++
				continue
			}
		}
		out = append(out, n.fieldName(entity, parts[i]))
	}
	return strings.Join(out, ": ")
}

func (n *auditNames) fieldName(entity, field string) string {
	if field == "id" { // a reserved word in the catalogue
		field = "record_id"
	}
	for _, id := range []string{"field." + entity + "." + field, "field." + field} {
		if n.l.Has(id) {
			return n.l.T(id)
		}
	}
	return field
}

// values shows a stored value the way the rest of the product does.
func (n *auditNames) values(field, raw string) []string {
	if raw == "" {
		return nil
	}
	last := field[strings.LastIndexByte(field, '.')+1:]
	if strings.HasPrefix(raw, "[") { // a list: each item on its own
		var list []any
		if json.Unmarshal([]byte(raw), &list) == nil {
			var out []string
			for _, x := range list {
				out = append(out, n.one(last, strings.TrimSuffix(strings.TrimPrefix(jsonText(x), `"`), `"`)))
			}
			return out
		}
	}
	return []string{n.one(last, raw)}
}

func jsonText(x any) string {
	if s, ok := x.(string); ok {
		return s
	}
	data, _ := json.Marshal(x)
	return string(data)
}

func (n *auditNames) one(field, v string) string {
	switch v {
	case "true":
		return n.l.T("yes")
	case "false":
		return n.l.T("no")
	case "•••":
		return v
	}
	if id, err := strconv.ParseUint(v, 10, 64); err == nil {
		switch field {
		case "unit_id", "parent_id":
			if u := n.org.UnitByID[id]; u != nil {
				return u.Current().Name
			}
		case "location_id", "locations":
			if l := n.org.LocationByID[id]; l != nil {
				return l.Name
			}
		case "category_id":
			if c := n.org.CategoryByID[id]; c != nil {
				return c.Name
			}
		case "head_id":
			if p := n.org.PersonByID[id]; p != nil {
				return p.FullName()
			}
		case "user_id":
			if u, ok := n.users[id]; ok {
				return u
			}
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		if t.Equal(store.Day(t)) {
			return views.Date(t)
		}
		return views.DateTime(t)
	}
	switch field {
	case "role", "roles": // one role before schema 8, a set since
		return n.l.T("role." + v)
	case "kind":
		return n.l.T("kind." + v)
	}
	return v
}
