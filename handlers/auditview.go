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

// auditNames resolves IDs in the entries of one page of the audit log to
// today's names: the structure from its snapshot, and the records the
// snapshot does not hold (the schedule, notes, checklists, files) read
// once for the page, those its entries name and no others.
type auditNames struct {
	l      *views.Lang
	org    *store.Org
	users  map[uint64]string // login by account ID
	centre string
	rec    store.AuditRecords
}

func (s *Server) auditNames(l *views.Lang, entries []store.AuditEntry) (*auditNames, error) {
	org, err := s.loadOrg()
	if err != nil {
		return nil, err
	}
	users, err := s.st.Users()
	if err != nil {
		return nil, err
	}
	n := &auditNames{l: l, org: org, users: make(map[uint64]string, len(users)), centre: s.st.Centre().Name}
	for _, u := range users {
		n.users[u.ID] = u.Login + " (" + u.Name + ")"
	}
	if n.rec, err = s.st.AuditRecords(auditRefs(entries)); err != nil {
		return nil, err
	}
	return n, nil
}

// auditRefs collects what the entries name outside the snapshot: the
// records they are about and the IDs in their values.
func auditRefs(entries []store.AuditEntry) store.AuditRefs {
	var r store.AuditRefs
	for i := range entries {
		e := &entries[i]
		switch e.Entity {
		case "course":
			r.Courses = append(r.Courses, e.EntityID)
		case "trainer":
			r.Trainers = append(r.Trainers, e.EntityID)
		case "training_session", "attendance":
			r.Sessions = append(r.Sessions, e.EntityID)
		case "blackout":
			r.Blackouts = append(r.Blackouts, e.EntityID)
		case "note":
			r.Notes = append(r.Notes, e.EntityID)
		case "checklist":
			r.Checklists = append(r.Checklists, e.EntityID)
		case "checklist_result":
			r.ChecklistResults = append(r.ChecklistResults, e.EntityID)
		case "file":
			r.Files = append(r.Files, e.EntityID)
		}
		for _, c := range e.Changes {
			for _, raw := range []string{c.Old, c.New} {
				switch key := fieldKey(c.Field); key {
				case "course_id", "course_ids":
					r.Courses = append(r.Courses, idsIn(raw)...)
				case "trainer_ids":
					r.Trainers = append(r.Trainers, idsIn(raw)...)
				case "checklist_id":
					r.Checklists = append(r.Checklists, idsIn(raw)...)
				case "conflicts.other": // the other session of a conflict a save overrode
					r.Sessions = append(r.Sessions, idsIn(raw)...)
				case "conflicts.who": // a trainer, or a participant (in the snapshot)
					r.Trainers = append(r.Trainers, idsIn(raw)...)
				case "subjects.id": // a course or a session, or a record of the snapshot
					switch subjectKind(e, c.Field, raw == c.Old) {
					case store.SubjectCourse:
						r.Courses = append(r.Courses, idsIn(raw)...)
					case store.SubjectSession, "":
						r.Sessions = append(r.Sessions, idsIn(raw)...)
						r.Courses = append(r.Courses, idsIn(raw)...)
					}
				case "owner": // a file's: "session:5", "course:3"
					kind, id, _ := strings.Cut(raw, ":")
					ids := idsIn(strings.SplitN(id, ":", 2)[0])
					switch kind {
					case "session", "attendance":
						r.Sessions = append(r.Sessions, ids...)
					case "course":
						r.Courses = append(r.Courses, ids...)
					}
				}
			}
		}
	}
	return r
}

// idsIn reads an ID or a JSON list of IDs.
func idsIn(raw string) []uint64 {
	var list []uint64
	if json.Unmarshal([]byte(raw), &list) == nil {
		return list
	}
	if id, err := strconv.ParseUint(raw, 10, 64); err == nil {
		return []uint64{id}
	}
	return nil
}

// fieldKey is a field path without its list positions and without the
// lists above its own: "earlier.2.subjects.0.id" is "subjects.id",
// "states.1.name" is "states.name", "title" is "title".
func fieldKey(path string) string {
	var parts []string
	for _, p := range strings.Split(path, ".") {
		if _, err := strconv.Atoi(p); err != nil {
			parts = append(parts, p)
		}
	}
	if len(parts) > 2 {
		parts = parts[len(parts)-2:]
	}
	return strings.Join(parts, ".")
}

// subjectKind is the kind of the note's subject whose ID path names: the
// entry records it beside the ID when the subject was set; else the
// note's subject in that place today.
func subjectKind(e *store.AuditEntry, path string, old bool) store.SubjectKind {
	return store.SubjectKind(sibling(e, path, "kind", old))
}

// sibling is the value of another field of the same item of a list (the
// kind beside a subject's ID), as the entry records it; "" when it does not.
func sibling(e *store.AuditEntry, path, field string, old bool) string {
	kindPath := path[:strings.LastIndexByte(path, '.')+1] + field
	for _, c := range e.Changes {
		if c.Field == kindPath {
			if old && c.Old != "" {
				return c.Old
			}
			if c.New != "" {
				return c.New
			}
		}
	}
	return ""
}

func (n *auditNames) view(e *store.AuditEntry) auditRowView {
	v := auditRowView{E: e, Entity: n.l.T("entity." + e.Entity)}
	v.Name, v.Href = n.record(e)
	if v.Name == "" && e.EntityID != 0 {
		v.Name = n.formerName(e) // deleted since: the entry's own values say what it was
	}
	for _, c := range e.Changes {
		cv := changeView{Key: c.Field, Label: n.label(e.Entity, c.Field),
			Old: n.values(e, c.Field, c.Old, true), New: n.values(e, c.Field, c.New, false)}
		if len(cv.Old) == 0 && len(cv.New) == 0 {
			continue // nothing a person would call a value (a date never set)
		}
		v.Changes = append(v.Changes, cv)
	}
	return v
}

// record names the entry's record as it is today, with the address of
// its page; "" when it is gone or the entry is about no record.
func (n *auditNames) record(e *store.AuditEntry) (name, href string) {
	id := strconv.FormatUint(e.EntityID, 10)
	switch e.Entity {
	case "staff":
		if p := n.org.PersonByID[e.EntityID]; p != nil {
			return p.FullName(), "/staff/" + id
		}
	case "unit":
		if u := n.org.UnitByID[e.EntityID]; u != nil {
			return u.Current().Name, "/org/units/" + id
		}
	case "location":
		if l := n.org.LocationByID[e.EntityID]; l != nil {
			return l.Name, "/locations#location-" + id
		}
	case "announcement":
		for i := range n.org.Announcements {
			if a := &n.org.Announcements[i]; a.ID == e.EntityID {
				return a.Title, "/announcements#announcement-" + id
			}
		}
	case "user":
		if name, ok := n.users[e.EntityID]; ok {
			return name, "/admin/users/" + id
		}
	case "feed_token": // the token's own ID is its account's
		if name, ok := n.users[e.EntityID]; ok {
			return name, "/admin/users/" + id
		}
	case "category":
		if c := n.org.CategoryByID[e.EntityID]; c != nil {
			return c.Name, "/admin/categories/" + id
		}
	case "centre":
		return n.centre, "/admin/centre"
	case "project":
		if p := n.org.ProjectByID[e.EntityID]; p != nil {
			return p.Name, "/projects/" + id
		}
	case "milestone":
		if m := n.org.MilestoneByID[e.EntityID]; m != nil {
			return m.Title, "/projects/milestones/" + id
		}
	case "indicator":
		if i := n.org.IndicatorByID[e.EntityID]; i != nil {
			return i.Name, "/projects/indicators/" + id
		}
	case "publication": // the entry's ID is its project's, the version is in its values
		if p := n.org.ProjectByID[e.EntityID]; p != nil {
			for _, c := range e.Changes {
				if c.Field == "number" {
					return n.l.T("audit.publication_name", "Project", p.Name, "Number", c.New), "/projects/" + id + "/published/" + c.New
				}
			}
			return p.Name, "/projects/" + id + "/published"
		}
	case "course":
		if c := n.rec.Courses[e.EntityID]; c != nil {
			return c.Title, "/schedule/courses/" + id
		}
	case "trainer":
		if t := n.rec.Trainers[e.EntityID]; t != nil {
			return t.Name, "/schedule/trainers/" + id
		}
	case "training_session", "attendance":
		if name := n.session(e.EntityID); name != "" {
			return name, "/schedule/sessions/" + id
		}
	case "blackout":
		if b := n.rec.Blackouts[e.EntityID]; b != nil {
			return b.Name, "/schedule/blackouts/" + id
		}
	case "note":
		if note := n.rec.Notes[e.EntityID]; note != nil {
			return note.Title, "/monitoring/notes/" + id
		}
	case "checklist":
		if c := n.rec.Checklists[e.EntityID]; c != nil {
			return c.Title, "/monitoring/checklists/" + id
		}
	case "checklist_result":
		if r := n.rec.ChecklistResults[e.EntityID]; r != nil {
			name := views.Date(r.Date)
			if u := n.org.UnitByID[r.UnitID]; u != nil {
				name = u.Current().Name + ", " + name
			}
			if c := n.rec.Checklists[r.ChecklistID]; c != nil {
				name = c.Title + ": " + name
			}
			return name, "/monitoring/checklists/results/" + id
		}
	case "file":
		if f := n.rec.Files[e.EntityID]; f != nil {
			switch f.Purpose {
			case store.PurposeScan:
				return f.Name, "/schedule/scans/" + id
			case store.PurposeLogo:
				return f.Name, "/files/" + id
			}
			return f.Name, "/documents/" + id
		}
	}
	return "", ""
}

// session names a session by its course (or topic), part and slot.
func (n *auditNames) session(id uint64) string {
	ss := n.rec.Sessions[id]
	if ss == nil {
		return ""
	}
	name := ss.Topic
	if c := n.rec.Courses[ss.CourseID]; c != nil && name == "" {
		name = c.Title
	}
	if ss.Part != "" {
		name += ", " + ss.Part
	}
	return strings.TrimPrefix(name+", "+views.Date(ss.Date)+" "+store.Clock(ss.Start), ", ")
}

// formerName is what a record no longer there was called, from the
// entry's own values (a deletion keeps them all), or its number.
func (n *auditNames) formerName(e *store.AuditEntry) string {
	value := map[string]string{}
	for _, c := range e.Changes {
		value[c.Field] = c.Old
		if c.New != "" {
			value[c.Field] = c.New
		}
	}
	if p := strings.TrimSpace(value["first_name"] + " " + value["last_name"]); p != "" {
		return p
	}
	for _, f := range []string{"name", "title", "states.0.name", "login"} {
		if value[f] != "" {
			return value[f]
		}
	}
	return "#" + strconv.FormatUint(e.EntityID, 10)
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
	if id := auditFieldID(n.l, entity, field); id != "" {
		return n.l.T(id)
	}
	return field
}

// reservedFields are stored field names that go-i18n reads as parts of a
// message (a plural form, a description), so the catalogue names them
// otherwise.
var reservedFields = map[string]string{"id": "record_id", "description": "description_text", "other": "other_value",
	"one": "one_value", "few": "few_value", "many": "many_value", "zero": "zero_value", "two": "two_value",
	"hash": "hash_value", "translation": "translation_text"}

// auditFieldID is the message that labels a stored field of an entity:
// the entity's own ("field.milestone.baseline") or the common one
// ("field.baseline"); "" when the catalogue has none.
func auditFieldID(l *views.Lang, entity, field string) string {
	if alias, ok := reservedFields[field]; ok {
		field = alias
	}
	for _, id := range []string{"field." + entity + "." + field, "field." + field} {
		if l.Has(id) {
			return id
		}
	}
	return ""
}

// values shows a stored value the way the rest of the product does.
func (n *auditNames) values(e *store.AuditEntry, field, raw string, old bool) []string {
	if raw == "" {
		return nil
	}
	if t, err := time.Parse(time.RFC3339Nano, raw); err == nil && t.IsZero() {
		return nil
	}
	if strings.HasPrefix(raw, "[") { // a list: each item on its own
		var list []any
		if json.Unmarshal([]byte(raw), &list) == nil {
			var out []string
			for _, x := range list {
				out = append(out, n.one(e, field, strings.TrimSuffix(strings.TrimPrefix(jsonText(x), `"`), `"`), old))
			}
			return out
		}
	}
	return []string{n.one(e, field, raw, old)}
}

func jsonText(x any) string {
	if s, ok := x.(string); ok {
		return s
	}
	data, _ := json.Marshal(x)
	return string(data)
}

// auditEnums name the catalogue's words for stored choices, by the
// entity and field key (see fieldKey) or by the field key alone.
var auditEnums = map[string]string{
	"kind": "kind.", "role": "role.", "roles": "role.",
	"course.kind": "course_kind.", "blackout.kinds": "course_kind.", "project.kind": "project_kind.",
	"note.subjects.kind": "subject_kind.", "training_session.history.kind": "change_kind.", "note.thread.kind": "reply_kind.",
	"project.status": "project_status.", "milestone.status": "milestone_status.", "training_session.status": "sessions.",
	"course.unit": "hour_unit.", "indicator.unit": "indicator_unit.", "indicator.source": "indicator_source.",
	"note.assessment": "assessment.", "note.category": "note_category.", "attendance.presence": "presence.",
	"checklist.scale": "checklist_scale.", "checklist_result.scale": "checklist_scale.", "file.purpose": "file_purpose.",
	"training_session.conflicts.kind": "conflict_type.",
}

// enum is the message prefix that names the values of a field, or "".
func enum(entity, key string) string {
	last := key[strings.LastIndexByte(key, '.')+1:]
	for _, k := range []string{entity + "." + key, entity + "." + last, key} {
		if p, ok := auditEnums[k]; ok {
			return p
		}
	}
	return ""
}

func (n *auditNames) one(e *store.AuditEntry, field, v string, old bool) string {
	switch v {
	case "true":
		return n.l.T("yes")
	case "false":
		return n.l.T("no")
	case "•••":
		return v
	}
	key := fieldKey(field)
	last := key[strings.LastIndexByte(key, '.')+1:]
	if id, err := strconv.ParseUint(v, 10, 64); err == nil {
		if name := n.named(e, field, key, last, id, old); name != "" {
			return name
		}
		switch {
		case e.Entity == "project" && (last == "total" || last == "amount"):
			return views.Money(int64(id))
		case e.Entity == "training_session" && (last == "start" || last == "end"):
			return store.Clock(int(id))
		case e.Entity == "file" && last == "size":
			return views.FileSize(int(id))
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, v); err == nil {
		if t.Equal(store.Day(t)) {
			return views.Date(t)
		}
		return views.DateTime(t)
	}
	if e.Entity == "publication" && last == "period" { // "2019-01-14 – 2019-02-28"
		if from, to, ok := strings.Cut(v, " – "); ok {
			f, err1 := time.Parse(time.DateOnly, from)
			t, err2 := time.Parse(time.DateOnly, to)
			if err1 == nil && err2 == nil {
				return views.Date(f) + " – " + views.Date(t)
			}
		}
	}
	if e.Entity == "file" && last == "owner" { // "session:5", "course:3", "publication:1:2"
		if kind, rest, ok := strings.Cut(v, ":"); ok {
			id, _ := strconv.ParseUint(strings.SplitN(rest, ":", 2)[0], 10, 64)
			switch kind {
			case "session", "attendance":
				if name := n.session(id); name != "" {
					return name
				}
			case "course":
				if c := n.rec.Courses[id]; c != nil {
					return c.Title
				}
			case "project", "publication":
				if p := n.org.ProjectByID[id]; p != nil {
					return p.Name
				}
			}
		}
	}
	if p := enum(e.Entity, key); p != "" && n.l.Has(p+v) {
		return n.l.T(p + v)
	}
	return v
}

// named is the name of the record an ID in a field points to, or "".
func (n *auditNames) named(e *store.AuditEntry, field, key, last string, id uint64, old bool) string {
	switch {
	case key == "subjects.id":
		kind := subjectKind(e, field, old)
		if kind == "" { // the subject's kind is not in the entry: the note's today
			if note := n.rec.Notes[e.EntityID]; note != nil && e.Entity == "note" {
				parts := strings.Split(field, ".")
				if len(parts) == 3 {
					if i, err := strconv.Atoi(parts[1]); err == nil && i < len(note.Subjects) {
						kind = note.Subjects[i].Kind
					}
				}
			}
		}
		return n.subject(kind, id)
	case last == "unit_id" || last == "parent_id":
		if u := n.org.UnitByID[id]; u != nil {
			return u.Current().Name
		}
	case last == "location_id" || last == "locations":
		if l := n.org.LocationByID[id]; l != nil {
			return l.Name
		}
	case last == "category_id":
		if c := n.org.CategoryByID[id]; c != nil {
			return c.Name
		}
	case last == "head_id" || last == "person_id" || last == "coordinator_id" || last == "participants" ||
		e.Entity == "attendance" && last == "person":
		if p := n.org.PersonByID[id]; p != nil {
			return p.FullName()
		}
	case last == "user_id":
		if u, ok := n.users[id]; ok {
			return u
		}
	case last == "project_id" || e.Entity == "file" && last == "project":
		if p := n.org.ProjectByID[id]; p != nil {
			return p.Name
		}
	case last == "milestone_id":
		if m := n.org.MilestoneByID[id]; m != nil {
			return m.Title
		}
	case last == "indicator_id":
		if i := n.org.IndicatorByID[id]; i != nil {
			return i.Name
		}
	case last == "course_id" || last == "course_ids":
		if c := n.rec.Courses[id]; c != nil {
			return c.Title
		}
	case last == "trainer_ids":
		if t := n.rec.Trainers[id]; t != nil {
			return t.Name
		}
	case last == "checklist_id":
		if c := n.rec.Checklists[id]; c != nil {
			return c.Title
		}
	case key == "conflicts.other":
		return n.session(id)
	case key == "conflicts.who":
		switch store.ConflictKind(sibling(e, field, "kind", old)) {
		case store.ConflictParticipant:
			if p := n.org.PersonByID[id]; p != nil {
				return p.FullName()
			}
		default:
			if t := n.rec.Trainers[id]; t != nil {
				return t.Name
			}
		}
	}
	return ""
}

// subject names a note's subject of a kind.
func (n *auditNames) subject(kind store.SubjectKind, id uint64) string {
	switch kind {
	case store.SubjectUnit:
		if u := n.org.UnitByID[id]; u != nil {
			return u.Current().Name
		}
	case store.SubjectProject:
		if p := n.org.ProjectByID[id]; p != nil {
			return p.Name
		}
	case store.SubjectMilestone:
		if m := n.org.MilestoneByID[id]; m != nil {
			return m.Title
		}
	case store.SubjectCourse:
		if c := n.rec.Courses[id]; c != nil {
			return c.Title
		}
	case store.SubjectSession:
		return n.session(id)
	}
	return ""
}
