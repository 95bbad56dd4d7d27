package handlers

import (
	"encoding/json"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// auditedTypes are the stored records whose changes the audit log keeps
// field by field (store.Diff of the record), by the entity the log names
// them by. TestEveryAuditedFieldHasALabel walks their fields; an entity
// found in the log that is neither here nor in auditedOtherwise fails it.
var auditedTypes = map[string]any{
	"staff": store.Staff{}, "unit": store.Unit{}, "location": store.Location{}, "announcement": store.Announcement{},
	"category": store.JobCategory{}, "user": store.User{}, "centre": store.Centre{},
	"project": store.Project{}, "milestone": store.Milestone{}, "indicator": store.Indicator{},
	"course": store.Course{}, "trainer": store.Trainer{}, "training_session": store.Session{}, "blackout": store.Blackout{},
	"note": store.Note{}, "checklist": store.Checklist{}, "checklist_result": store.ChecklistResult{}, "file": store.File{},
}

// auditedOtherwise are entities whose entries carry values of their own
// (an attendance mark, a published version, a backup) or none (a sign-in,
// a calendar address): their fields come from the entries themselves.
var auditedOtherwise = map[string]bool{"attendance": true, "publication": true, "database": true, "session": true, "feed_token": true}

var marshaler = reflect.TypeFor[json.Marshaler]()

// jsonFields lists the field names of t as its JSON has them, nested
// ones too (each name once: a label names a field wherever it is).
func jsonFields(t reflect.Type, into map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t.Implements(marshaler) || reflect.PointerTo(t).Implements(marshaler) {
		return
	}
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			jsonFields(f.Type, into)
			continue
		}
		if name == "" {
			name = f.Name
		}
		into[name] = true
		jsonFields(f.Type, into)
	}
}

// allAudit reads the whole log, newest first.
func allAudit(t *testing.T, st *store.Store) []store.AuditEntry {
	t.Helper()
	var out []store.AuditEntry
	f := store.AuditFilter{Limit: 500}
	for {
		page, err := st.Audit(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Entries...)
		if page.Next == 0 {
			return out
		}
		f.Before = page.Next
	}
}

// Every field of every audited record has a label in the catalogue of
// each language: the fields of the stored types (through their JSON
// names), and every field the demo's log and a test's changes record.
func TestEveryAuditedFieldHasALabel(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	// Changes the demo does not make: a note's text edited (earlier
	// versions), a session moved and cancelled (its history), an
	// attendance mark corrected, a backup.
	changeSomeRecords(t, ta)
	admin.post("/admin/backup", nil)

	fields := map[string]map[string]bool{} // entity → field names
	for entity, v := range auditedTypes {
		fields[entity] = map[string]bool{}
		jsonFields(reflect.TypeOf(v), fields[entity])
	}
	for _, e := range allAudit(t, ta.st) {
		if fields[e.Entity] == nil {
			if !auditedOtherwise[e.Entity] {
				t.Errorf("the log names entity %q, which is neither in auditedTypes nor in auditedOtherwise", e.Entity)
			}
			fields[e.Entity] = map[string]bool{}
		}
		for _, c := range e.Changes {
			for _, part := range strings.Split(c.Field, ".") {
				if _, err := strconv.Atoi(part); err != nil {
					fields[e.Entity][part] = true
				}
			}
		}
	}
	actions := map[string]bool{}
	for _, e := range allAudit(t, ta.st) {
		actions[e.Action] = true
	}
	for _, lang := range views.Languages {
		l := views.For(lang)
		for action := range actions {
			if !l.Has("action." + action) {
				t.Errorf("%s: action %q has no name", lang, action)
			}
		}
		for entity, names := range fields {
			if !l.Has("entity." + entity) {
				t.Errorf("%s: entity %q has no name", lang, entity)
			}
			for name := range names {
				if auditFieldID(l, entity, name) == "" {
					t.Errorf("%s: %s.%s has no label", lang, entity, name)
				}
			}
		}
	}
	for entity := range fields {
		if !slices.Contains(auditEntities, entity) {
			t.Errorf("the audit log's filter does not offer %q", entity)
		}
	}
}

// changeSomeRecords makes changes whose fields the demo's log lacks.
func changeSomeRecords(t *testing.T, ta *testApp) {
	t.Helper()
	a := store.Actor{Login: "admin"}
	n, err := ta.st.Note(2)
	if err != nil {
		t.Fatal(err)
	}
	text := n.NoteText
	text.Title += " (poprawione)"
	if _, err := ta.st.SaveNote(a, n.ID, text, n.Version); err != nil {
		t.Fatal(err)
	}
	today := ta.st.Today()
	planned, _, err := ta.st.SessionsBetween(today, today.AddDate(2, 0, 0), 0, 1, func(s *store.Session) bool {
		return s.Status == store.SessionPlanned && s.Confirmed == nil
	})
	if err != nil || len(planned) == 0 {
		t.Fatalf("no planned session: %v", err)
	}
	ss := planned[0]
	admin := ta.loggedIn(t, "admin")
	cancel := "/schedule/sessions/" + strconv.FormatUint(ss.ID, 10) + "/cancel"
	admin.get(cancel)
	if r := admin.post(cancel, url.Values{"version": {strconv.Itoa(ss.Version)}, "reason": {"Choroba prowadzącego"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("cancelling a session: %d", r.status)
	}
}

// The log names every record it is about, links to the record's page,
// and shows IDs as names, in both languages.
func TestAuditRowsNameAndLinkTheirRecords(t *testing.T) {
	ta := newTestApp(t)
	changeSomeRecords(t, ta)
	entries := allAudit(t, ta.st)
	engine, err := views.NewEngine()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{st: ta.st, views: engine}
	number := regexp.MustCompile(`^\d+$`)
	// Fields whose values are numbers of their own, not references.
	counts := map[string]bool{"number": true, "n": true, "last_action": true, "sequence": true, "gap": true,
		"capacity": true, "units": true, "baseline": true, "target": true, "value": true, "contracted_hours": true,
		"contracted_people": true, "travel_minutes": true, "lead_days": true, "answers": true, "record_id": true, "id": true,
		"version": true, "room": true, "size": true, "group": true, "part": true}
	for _, lang := range views.Languages {
		l := views.For(lang)
		// A page of the log at a time, as the page reads them.
		for start := 0; start < len(entries); start += 50 {
			page := entries[start:min(start+50, len(entries))]
			names, err := s.auditNames(l, page)
			if err != nil {
				t.Fatal(err)
			}
			for i := range page {
				e := &page[i]
				v := names.view(e)
				if e.EntityID != 0 && e.Action != store.ActionDelete && !auditedOtherwise[e.Entity] || e.Entity == "attendance" || e.Entity == "publication" {
					if v.Name == "" || strings.HasPrefix(v.Name, "#") || v.Href == "" {
						t.Errorf("%s: %s %d (%s) is named %q, linked to %q", lang, e.Entity, e.EntityID, e.Action, v.Name, v.Href)
					}
				}
				for _, c := range v.Changes {
					last := c.Key[strings.LastIndexByte(c.Key, '.')+1:]
					if counts[last] || strings.Contains(c.Key, "answers") {
						continue
					}
					for _, x := range append(slices.Clone(c.Old), c.New...) {
						if number.MatchString(x) {
							t.Errorf("%s: %s %s shows %s, not a name", lang, e.Entity, c.Key, x)
						}
						if _, err := time.Parse(time.RFC3339Nano, x); err == nil {
							t.Errorf("%s: %s %s shows %s, not a date", lang, e.Entity, c.Key, x)
						}
					}
				}
			}
		}
	}
}

// The log of the schedule, the projects and the monitoring reads like the
// rest of the product in both languages: records by name with their
// links, fields by their labels, IDs as names, dates as dd.mm.rrrr,
// lists as lists, stored choices in words.
func TestAuditPageReadsInBothLanguages(t *testing.T) {
	ta := newTestApp(t)
	changeSomeRecords(t, ta)
	admin := ta.loggedIn(t, "admin")
	course, _ := ta.st.Course(2)
	trainer, _ := ta.st.Trainer(1)
	for _, tc := range []struct {
		lang string
		want []string
	}{
		{"pl", []string{`<dt title="course_id">cykl zajęć</dt>`, `<dt title="trainer_ids">prowadzący</dt>`, `<dt title="start">od godziny</dt>`,
			`<dt title="participants">uczestnicy</dt>`, `<dt title="topic">temat</dt>`, ">zaplanowane<", `<dt title="person">uczestnik</dt>`,
			`<dt title="presence">obecność</dt>`, ">obecny(-a)<", `<dt title="subjects.0.kind">dotyczy, pozycja 1: rodzaj</dt>`, ">komórka<",
			`<dt title="course_ids">cykle zajęć</dt>`, `<dt title="period">okres harmonogramu</dt>`}},
		{"en", []string{`<dt title="course_id">course</dt>`, `<dt title="trainer_ids">trainers</dt>`, `<dt title="start">from</dt>`,
			`<dt title="participants">participants</dt>`, `<dt title="topic">topic</dt>`, ">planned<", `<dt title="person">participant</dt>`,
			`<dt title="presence">attendance</dt>`, ">present<", `<dt title="subjects.0.kind">about, item 1: kind</dt>`, ">unit<",
			`<dt title="course_ids">courses</dt>`, `<dt title="period">period of the schedule</dt>`}},
	} {
		admin.post("/lang", url.Values{"lang": {tc.lang}})
		var body strings.Builder
		for _, q := range []string{"entity=training_session&action=create", "entity=training_session", "entity=attendance", "entity=note&action=create",
			"entity=indicator&action=update", "entity=publication", "entity=course", "entity=trainer"} {
			r := admin.get("/admin/audit?" + q)
			if r.status != fiber.StatusOK {
				t.Fatalf("%s %s: %d", tc.lang, q, r.status)
			}
			body.WriteString(r.body)
		}
		r := response{status: fiber.StatusOK, body: body.String()}
		mustContain(t, r, tc.want...)
		mustContain(t, r, `<a href="/schedule/sessions/`, `<a href="/schedule/courses/2">`+course.Title+`</a>`,
			`<a href="/schedule/trainers/1">`+trainer.Name+`</a>`, `<a href="/monitoring/notes/`, `<a href="/projects/indicators/`,
			`<a href="/projects/1/published/`, `<ul class="values"><li>`, "14.01.2019 – 28.02.2019")
		mustNotContain(t, r, "T00:00:00Z", `<dt title="course_id">course_id</dt>`, ">#")
	}
}
