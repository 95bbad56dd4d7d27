package handlers

import (
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

var summaryItem = regexp.MustCompile(`<li><a href="#([a-z0-9_-]+)">([^<]*)</a></li>`)

// summary is the error summary of a form page: the fields it links to, in
// order, and the text of each line.
func summary(t *testing.T, body string) (fields, lines []string) {
	t.Helper()
	start := strings.Index(body, `<ul class="error-summary">`)
	if start < 0 {
		t.Fatal("no error summary")
	}
	end := strings.Index(body[start:], "</ul>")
	for _, m := range summaryItem.FindAllStringSubmatch(body[start:start+end], -1) {
		fields = append(fields, m[1])
		lines = append(lines, html.UnescapeString(m[2]))
	}
	return fields, lines
}

// formCase is one form posted with several problems at once: the fields
// the summary must list, in the form's order, and a part of each line.
type formCase struct {
	page      string // the template the form is on
	who       string // the demo account that posts it ("" is admin)
	get, post string
	form      url.Values
	want      []string // fields, in the form's order
	says      []string // parts of the lines, in the same order
}

// formsExempt are the pages with a form of fields that the table of
// TestEveryFormReportsAllProblemsInOrder does not post, each with why.
var formsExempt = map[string]string{
	"login":           "signing in answers one message that names neither field: it must not say which of the two was wrong",
	"import":          "one field, the file; the problems of its rows are listed row by row in the preview",
	"schedule_import": "one field, the file (the reason for conflicts comes with the preview); the rows' problems are listed row by row",
	"project_logo":    "one field, the file; its one problem is stated next to it",
	"training_session": "attendance and enrolment act on rows of people, each row reporting its own problem; " +
		"the scan form has one field, the file",
	"unit": "closing a unit asks one date; its problem is stated on the confirmation page",
}

// formCases posts every form of the product with several problems at once
// (one, where the form has one field that can be wrong).
func formCases(t *testing.T, ta *testApp) []formCase {
	t.Helper()
	long := strings.Repeat("ż", 10000)
	today := ta.st.Today()
	// A planned session to cancel: one from today on, not confirmed.
	planned, _, err := ta.st.SessionsBetween(today, today.AddDate(2, 0, 0), 0, 1, func(s *store.Session) bool {
		return s.Status == store.SessionPlanned && s.Confirmed == nil
	})
	if err != nil || len(planned) == 0 {
		t.Fatalf("no planned session to cancel: %v", err)
	}
	cancel := "/schedule/sessions/" + strconv.FormatUint(planned[0].ID, 10) + "/cancel"
	version := func(n int) []string { return []string{strconv.Itoa(n)} }
	ind, _ := ta.st.Indicator(5)
	ms, _ := ta.st.Milestone(44)
	note, _ := ta.st.Note(2)
	// An open action of a note, to mark done.
	var open *store.Note
	action := 0
	for id := uint64(1); id <= 10 && open == nil; id++ {
		n, err := ta.st.Note(id)
		if err != nil {
			continue
		}
		for _, a := range n.Actions {
			if !a.Done() && open == nil {
				open, action = n, a.N
			}
		}
	}
	if open == nil {
		t.Fatal("the demo has no open action")
	}
	done := "/monitoring/notes/" + strconv.FormatUint(open.ID, 10)
	nth := strconv.Itoa(action)
	fill, _ := ta.st.Checklist(1)
	return []formCase{
		{page: "announcement_form", get: "/announcements/new", post: "/announcements",
			form: url.Values{"title": {""}, "body": {""}, "valid_from": {"31.02.2024"}},
			want: []string{"title", "body", "valid_from"}, says: []string{"wymagane", "wymagane", "nie istnieje"}},
		{page: "person_form", get: "/staff/new", post: "/staff",
			form: url.Values{"first_name": {""}, "last_name": {long}, "position": {"referent"}, "unit": {"1"}, "email": {"nie-e-mail"},
				"employed_from": {"31.02.2024"}},
			want: []string{"first_name", "last_name", "email", "employed_from"}, says: []string{"wymagane", "najwyżej 80 znaków", "", "nie istnieje"}},
		{page: "location_form", get: "/locations/new", post: "/locations",
			form: url.Values{"name": {""}, "street": {"ul. Janasa 9"}, "postal_code": {"abc"}, "city": {"Tarnowskie Góry"}, "hours0": {"rano"}},
			want: []string{"name", "postal_code", "hours0"}, says: []string{"wymagane", "", ""}},
		{page: "unit_form", get: "/org/units/new", post: "/org/units",
			form: url.Values{"from": {"30.02.2025"}, "name": {""}, "kind": {"team"}, "email": {"x@"}},
			want: []string{"from", "name", "email"}, says: []string{"nie istnieje", "wymagane", ""}},
		{page: "centre_form", get: "/admin/centre", post: "/admin/centre",
			form: url.Values{"name": {""}, "short": {long}, "email": {"@"}, "version": {"1"}},
			want: []string{"name", "short", "email"}, says: []string{"wymagane", "najwyżej 60 znaków", ""}},
		{page: "user_form", get: "/admin/users/new", post: "/admin/users",
			form: url.Values{"login": {"A B"}, "name": {""}, "roles": {"staff"}, "password": {"krotko"}},
			want: []string{"login", "name", "password"}, says: []string{"", "wymagane", "8 znaków"}},
		{page: "account", get: "/account", post: "/account/password",
			form: url.Values{"current": {"nie to hasło"}, "password": {"krotko"}, "confirm": {"inne"}},
			want: []string{"current", "password"}, says: []string{"nieprawidłowe", "8 znaków"}},
		{page: "category_form", get: "/admin/categories/new", post: "/admin/categories",
			form: url.Values{"name": {long}},
			want: []string{"name"}, says: []string{"najwyżej 80 znaków"}},
		{page: "project_form", get: "/projects/new", post: "/projects",
			form: url.Values{"name": {""}, "kind": {"eu"}, "programme": {long}, "lead_days": {"x"}, "from": {"31.02.2024"}, "to": {"abc"},
				"status": {"planned"}, "main_goal": {long}, "total": {"1.234.5"}, "ref_name_0": {"Umowa"}, "ref_date_0": {"30.02.2024"},
				"ref_name_1": {long}, "ref_date_1": {"x"}, "source_name_0": {"EFS"}, "source_amount_0": {"abc"}},
			want: []string{"name", "programme", "lead_days", "from", "to", "main_goal", "ref_date_0", "ref_name_1", "ref_date_1", "total", "source_amount_0"},
			says: []string{"wymagane", "najwyżej 300", "od 0 do 90", "nie istnieje", "dd.mm.rrrr", "najwyżej 2000", "nie istnieje", "najwyżej 300", "dd.mm.rrrr", "co trzy cyfry", "kwotę"}},
		{page: "milestone_form", get: "/projects/5/milestones/new", post: "/projects/5/milestones",
			form: url.Values{"title": {""}, "planned_from": {"31.02.2024"}, "planned_to": {"x"}, "status": {"nope"}, "actual": {"31.04.2024"}, "notes": {long}},
			want: []string{"title", "planned_from", "planned_to", "status", "actual", "notes"},
			says: []string{"wymagane", "nie istnieje", "dd.mm.rrrr", "nieprawidłowa", "nie istnieje", "najwyżej 4000"}},
		{page: "milestone_replan", get: "/projects/milestones/44/replan", post: "/projects/milestones/44/replan",
			form: url.Values{"version": version(ms.Version), "planned_from": {"2026-12-10"}, "planned_to": {"2026-12-01"}, "reason": {""}},
			want: []string{"planned_to", "reason"}, says: []string{"wcześniejsza", "wymagane"}},
		{page: "indicator_form", get: "/projects/5/indicators/new", post: "/projects/5/indicators",
			form: url.Values{"name": {""}, "unit": {"nope"}, "baseline": {"-1"}, "target": {"x"}, "from": {"31.02.2024"}, "notes": {long}},
			want: []string{"name", "unit", "baseline", "target", "from", "notes"},
			says: []string{"wymagane", "nieprawidłowa", "od 0 do", "od 0 do", "nie istnieje", "najwyżej 4000"}},
		{page: "indicator", get: "/projects/indicators/5", post: "/projects/indicators/5/readings",
			form: url.Values{"version": version(ind.Version), "date": {"31.02.2024"}, "value": {""}, "comment": {long}},
			want: []string{"date", "value", "comment"}, says: []string{"nie istnieje", "wymagane", "najwyżej 500"}},
		{page: "project_reopen", get: "/projects/3/reopen", post: "/projects/3/reopen",
			form: url.Values{"version": {"1"}, "reason": {""}},
			want: []string{"reason"}, says: []string{"wymagane"}},
		{page: "publications", get: "/projects/5/published", post: "/projects/5/published",
			form: url.Values{"from": {"31.02.2018"}, "to": {"x"}},
			want: []string{"from", "to"}, says: []string{"nie istnieje", "dd.mm.rrrr"}},
		{page: "course_form", get: "/schedule/courses/new", post: "/schedule/courses",
			form: url.Values{"title": {""}, "kind": {"nope"}, "contracted_hours": {"x"}, "contracted_people": {"-1"}, "notes": {long + "ż"}},
			want: []string{"title", "kind", "contracted_hours", "contracted_people", "notes"},
			says: []string{"wymagane", "nieprawidłowa", "od 0 do", "od 0 do", "najwyżej 10000"}},
		{page: "trainer_form", get: "/schedule/trainers/new", post: "/schedule/trainers",
			form: url.Values{"name": {""}, "organisation": {long}, "email": {"x@"}, "phone": {"abc"}},
			want: []string{"name", "organisation", "email", "phone"}, says: []string{"wymagane", "najwyżej 200", "e-mail", "cyfry"}},
		{page: "session_form", get: "/schedule/courses/3/sessions/new", post: "/schedule/courses/3/sessions",
			form: url.Values{"topic": {long}, "date": {"31.02.2027"}, "start": {"25:00"}, "end": {"x"}, "room": {long}, "group": {long},
				"capacity": {"x"}, "status": {"planned"}},
			want: []string{"topic", "date", "start", "end", "room", "group", "capacity"},
			says: []string{"najwyżej 300", "nie istnieje", "09:00", "09:00", "najwyżej 40", "najwyżej 60", "od 0 do 500"}},
		{page: "session_series", get: "/schedule/courses/3/series", post: "/schedule/courses/3/series",
			form: url.Values{"first": {"31.02.2027"}, "every": {"0"}, "count": {"5"}, "start": {"09:00"}, "end": {"08:00"},
				"location": {"1"}, "address": {"ul. Gdzie indziej 1"}, "room": {long}, "group": {long}},
			want: []string{"weekdays", "first", "every", "end", "address", "room", "group"},
			says: []string{"wymagane", "nie istnieje", "od 1 do 52", "po początku", "nie oba", "najwyżej 40", "najwyżej 60"}},
		{page: "session_cancel", get: cancel, post: cancel,
			form: url.Values{"version": version(planned[0].Version), "reason": {""}},
			want: []string{"reason"}, says: []string{"powód"}},
		{page: "blackout_form", get: "/schedule/blackouts/new", post: "/schedule/blackouts",
			form: url.Values{"name": {""}, "from": {"31.02.2027"}, "to": {"x"}, "kinds": {"nope"}},
			want: []string{"name", "from", "to", "kinds"}, says: []string{"wymagane", "nie istnieje", "dd.mm.rrrr", "nieprawidłowa"}},
		{page: "assignment_form", get: "/staff/1/move", post: "/staff/1/move",
			form: url.Values{"version": {"1"}, "from": {"31.02.2024"}, "assignment": {"x"}, "unit": {""}, "position": {""}, "category": {"x"}},
			want: []string{"from", "assignment", "unit", "position", "category"},
			says: []string{"nie istnieje", "nieprawidłowa", "wymagane", "wymagane", "nieprawidłowa"}},
		{page: "note_form", who: "monitoring", get: "/monitoring/notes/new", post: "/monitoring/notes",
			form: url.Values{"title": {""}, "date": {"31.02.2018"}, "category": {"nope"}, "assessment": {"nope"}, "tags": {long}},
			want: []string{"title", "date", "subjects", "category", "assessment", "tags"},
			says: []string{"wymagane", "nie istnieje", "czego dotyczy", "nieprawidłowa", "nieprawidłowa", "najwyżej 40"}},
		{page: "note", who: "monitoring", get: "/monitoring/notes/2", post: "/monitoring/notes/2/actions",
			form: url.Values{"version": version(note.Version), "what": {""}, "owner_person": {"33"}, "owner_unit": {"15"}, "due": {"31.02.2018"}},
			want: []string{"what", "owner", "due"}, says: []string{"wymagane", "nie obie", "nie istnieje"}},
		{page: "note", who: "monitoring", get: done, post: done + "/actions/" + nth,
			form: url.Values{"version": version(open.Version), "done_on": {"31.04.2018"}, "comment": {long}},
			want: []string{"done-" + nth, "comment-" + nth}, says: []string{"nie istnieje", "najwyżej 1000"}},
		{page: "checklist_form", who: "monitoring", get: "/monitoring/checklists/new", post: "/monitoring/checklists",
			form: url.Values{"title": {""}, "scale": {"nope"}, "questions": {""}, "description": {long}},
			want: []string{"title", "scale", "questions", "description"}, says: []string{"wymagane", "nieprawidłowa", "co najmniej jedno", "najwyżej 2000"}},
		{page: "checklist_fill_form", who: "monitoring", get: "/monitoring/checklists/1/fill", post: "/monitoring/checklists/1/fill",
			form: url.Values{"version": version(fill.Version), "unit": {""}, "date": {"31.02.2018"}, "comment": {long}},
			want: []string{"unit", "date", "comment"}, says: []string{"komórkę", "nie istnieje", "najwyżej 4000"}},
	}
}

// Every form reports all its problems at once, in the order of its fields,
// each line named by the field's label and linked to the field; a day that
// does not exist has its own message and comes back as typed. A page with
// a form of fields is in the table or in formsExempt, with a reason.
func TestEveryFormReportsAllProblemsInOrder(t *testing.T) {
	ta := newTestApp(t)
	clients := map[string]*client{"": ta.loggedIn(t, "admin"), "monitoring": ta.loggedIn(t, "monitoring")}
	pl := views.For("pl")
	cases := formCases(t, ta)
	posted := map[string]bool{}
	for _, tc := range cases {
		posted[tc.page] = true
		t.Run(tc.page+" "+tc.post, func(t *testing.T) {
			c := clients[tc.who]
			c.get(tc.get)
			r := c.post(tc.post, tc.form)
			if r.status != fiber.StatusUnprocessableEntity {
				t.Fatalf("%d\n%s", r.status, r.body)
			}
			fields, lines := summary(t, r.body)
			if !slices.Equal(fields, tc.want) {
				t.Fatalf("summary lists %v, want %v", fields, tc.want)
			}
			for i, f := range fields {
				label := views.FieldName(pl, tc.page, f)
				if label == "" || !strings.HasPrefix(lines[i], label+": ") || !strings.Contains(lines[i], tc.says[i]) {
					t.Errorf("line %d %q: want the label %q and %q", i, lines[i], label, tc.says[i])
				}
				mustContain(t, r, `id="`+f+`"`) // the line links to its field
			}
			for _, problem := range helpProblems(r.body) { // the form with its errors too
				t.Error(problem)
			}
			for field, value := range tc.form {
				if strings.Contains(value[0], ".02.") { // a day that does not exist comes back as typed
					mustContain(t, r, `id="`+field+`" name="`+field+`" type="text" value="`+value[0]+`"`)
				}
			}
		})
	}
	for _, name := range views.TemplateNames() {
		page := strings.TrimSuffix(strings.TrimPrefix(name, "pages/"), ".html")
		src := views.TemplateSource(name)
		if !strings.HasPrefix(name, "pages/") || !strings.Contains(src, `method="post"`) ||
			(len(views.FieldsOf(page)) == 0 && !strings.Contains(src, `type="file"`)) {
			continue
		}
		if _, ok := formsExempt[page]; !posted[page] && !ok {
			t.Errorf("the form on %s is not posted with its problems: add it to formCases (or to formsExempt, saying why)", page)
		}
	}
	for page := range formsExempt {
		if posted[page] {
			t.Errorf("%s is both posted and exempt", page)
		}
	}
}

// Every input of every form has a label the summary can name it by.
func TestEveryFormFieldHasALabel(t *testing.T) {
	input := regexp.MustCompile(`<(?:input|select|textarea)[^>]* name="([a-z0-9_]+)"`)
	for _, name := range views.TemplateNames() {
		if !strings.HasPrefix(name, "pages/") || !strings.HasSuffix(name, "_form.html") {
			continue
		}
		page := strings.TrimSuffix(strings.TrimPrefix(name, "pages/"), ".html")
		known := map[string]bool{"_csrf": true, "version": true}
		for _, f := range views.FieldsOf(page) {
			known[f.Name] = true
		}
		for _, m := range input.FindAllStringSubmatch(views.TemplateSource(name), -1) {
			if !known[m[1]] && !strings.HasPrefix(m[1], "{{") {
				t.Errorf("%s: field %q has no label the error summary can use", page, m[1])
			}
		}
	}
}
