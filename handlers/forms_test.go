package handlers

import (
	"html"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"intranet/views"
)

var summaryItem = regexp.MustCompile(`<li><a href="#([a-z0-9_]+)">([^<]*)</a></li>`)

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

// Every form reports all its problems at once, in the order of its fields,
// each line named by the field's label; a day that does not exist has its
// own message and comes back as typed.
func TestEveryFormReportsAllProblemsInOrder(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	pl := views.For("pl")
	long := strings.Repeat("ż", 10000)
	cases := []struct {
		page, get, post string
		form            url.Values
		want            []string // fields, in the form's order
		says            []string // parts of the lines, in the same order
	}{
		{"announcement_form", "/announcements/new", "/announcements",
			url.Values{"title": {""}, "body": {""}, "valid_from": {"31.02.2024"}},
			[]string{"title", "body", "valid_from"}, []string{"wymagane", "wymagane", "nie istnieje"}},
		{"person_form", "/staff/new", "/staff",
			url.Values{"first_name": {""}, "last_name": {long}, "position": {"referent"}, "unit": {"1"}, "email": {"nie-e-mail"},
				"employed_from": {"31.02.2024"}},
			[]string{"first_name", "last_name", "email", "employed_from"}, []string{"wymagane", "najwyżej 80 znaków", "", "nie istnieje"}},
		{"location_form", "/locations/new", "/locations",
			url.Values{"name": {""}, "street": {"ul. Janasa 9"}, "postal_code": {"abc"}, "city": {"Tarnowskie Góry"}, "hours0": {"rano"}},
			[]string{"name", "postal_code", "hours0"}, []string{"wymagane", "", ""}},
		{"unit_form", "/org/units/new", "/org/units",
			url.Values{"from": {"30.02.2025"}, "name": {""}, "kind": {"team"}, "email": {"x@"}},
			[]string{"from", "name", "email"}, []string{"nie istnieje", "wymagane", ""}},
		{"centre_form", "/admin/centre", "/admin/centre",
			url.Values{"name": {""}, "short": {long}, "email": {"@"}, "version": {"1"}},
			[]string{"name", "short", "email"}, []string{"wymagane", "najwyżej 60 znaków", ""}},
		{"user_form", "/admin/users/new", "/admin/users",
			url.Values{"login": {"A B"}, "name": {""}, "roles": {"staff"}, "password": {"krotko"}},
			[]string{"login", "name", "password"}, []string{"", "wymagane", "8 znaków"}},
	}
	for _, tc := range cases {
		t.Run(tc.page, func(t *testing.T) {
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
				label := views.FieldLabel(tc.page, f)
				if label == "" || !strings.HasPrefix(lines[i], pl.T(label)+": ") || !strings.Contains(lines[i], tc.says[i]) {
					t.Errorf("line %d %q: want the label %q and %q", i, lines[i], pl.T(label), tc.says[i])
				}
			}
			for field, value := range tc.form {
				if strings.Contains(value[0], ".02.") { // a day that does not exist comes back as typed
					mustContain(t, r, `id="`+field+`" name="`+field+`" type="text" value="`+value[0]+`"`)
				}
			}
		})
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
