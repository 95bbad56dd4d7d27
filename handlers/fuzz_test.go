package handlers

import (
	"net/url"
	"strings"
	"testing"
)

// formRoutes are the forms an editor posts; the fuzz target below sends
// each of them arbitrary bodies.
var formRoutes = []string{"/staff", "/staff/1", "/org/units", "/org/units/1", "/org/units/1/close", "/locations", "/locations/1",
	"/announcements", "/admin/users", "/admin/users/2", "/admin/centre", "/staff/1/delete", "/account/password"}

// FuzzFormPosts: whatever a form's body holds, the answer is a page or a
// redirect with a clear status, never a server error, and nothing
// unbounded is stored.
func FuzzFormPosts(f *testing.F) {
	seeds := []string{
		"first_name=Jan&last_name=Nowak&job_title=referent&unit=1&employed_from=31.02.2024&phones=32+285+78+39",
		"version=1&phones=" + strings.Repeat("1,", 50) + "&room=%E2%80%AE4",
		"name=Zesp%C3%B3%C5%82&kind=team&from=2026-01-01&locations=1&locations=1&locations=x&parent=18446744073709551615",
		"version=99999999999999999999&until=01.01.0001",
		"name=A&street=B&postal_code=42-600&city=C&hours0=25:00-26:00&hours6=8.00%E2%80%9315.00",
		"title=T&body=B&valid_from=2026-13-01&valid_to=2026-01-01&pinned=1",
		"login=ab&name=%00&role=admin&password=short",
		"version=1&name=X&role=nobody&active=1",
		"name=&short=&email=@&phone=%2B",
		"version=-1",
		"current=demo&password=a&confirm=b",
		"%",
		"",
	}
	for i, s := range seeds {
		f.Add(uint8(i), s)
	}
	ta := newTestApp(f)
	admin := ta.loggedIn(f, "admin")
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		path := formRoutes[int(route)%len(formRoutes)]
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		admin.t = t
		form.Set("_csrf", admin.csrf)
		r := admin.do("POST", path, form, nil)
		if r.status >= 500 {
			t.Fatalf("POST %s %q: %d", path, body, r.status)
		}
		if r.status == 200 && strings.Contains(r.body, "Numer zgłoszenia") {
			t.Fatalf("POST %s %q: a server error page", path, body)
		}
	})
}
