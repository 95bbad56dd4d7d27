package handlers

import (
	"net/url"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// formSeeds pair each form an editor posts with a body that reaches its
// parser; the fuzz target sends arbitrary bodies to each of them.
var formSeeds = []struct{ path, body string }{
	{"/projects", "name=P&kind=eu&status=running&from=01.03.2017&to=28.02.2019&total=356+397%2C50&source_name_0=EFS&source_amount_0=1.234.5&ref_name_3=x&ref_date_3=31.02.2017&goals=a%0Ab"},
	{"/projects/1", "version=1&name=P&kind=event&status=settled&from=2026-01-01&total=99999999999999999999&unit=18446744073709551615&coordinator=-1"},
	{"/projects/1/milestones", "title=M&status=done&planned_from=2017-03-01&planned_to=2017-02-01&deliverables=a%0Ab"},
	{"/projects/milestones/1", "version=1&title=M&status=nope&actual=x"},
	{"/projects/milestones/1/replan", "version=1&planned_from=2017-03-02&reason=r"},
	{"/projects/1/indicators", "name=I&unit=persons&baseline=5&target=3&from=2018-01-01&to=2017-01-01"},
	{"/projects/indicators/1/readings", "version=1&date=2018-05-01&value=1e9&comment=c"},
	{"/projects/1/reopen", "version=1&reason=r"},
	{"/staff", "first_name=Jan&last_name=Nowak&position=referent&unit=1&category=1&field_work=1&employed_from=31.02.2024&phones=32+285+78+39"},
	{"/staff/1", "version=1&phones=" + strings.Repeat("1,", 50) + "&room=%E2%80%AE4"},
	{"/org/units", "name=Zesp%C3%B3%C5%82&kind=team&from=2026-01-01&locations=1&locations=1&locations=x&parent=18446744073709551615"},
	{"/org/units/1", "version=1&name=X&kind=nope&from=01.01.0001&head=-1"},
	{"/org/units/1/close", "version=99999999999999999999&until=01.01.0001"},
	{"/org/units", "mode=correct&name=X&kind=team"},
	{"/org/units/1", "version=1&mode=correct&name=Y&kind=team"},
	{"/org/units/1/reopen", "version=abc"},
	{"/locations", "name=A&street=B&postal_code=42-600&city=C&hours0=25:00-26:00&hours6=8.00%E2%80%9315.00"},
	{"/locations/1", "version=1&name=A&street=B&postal_code=4260&city=C&phones=-1"},
	{"/announcements", "title=T&body=B&valid_from=2026-13-01&valid_to=2026-01-01&pinned=1"},
	{"/announcements/1", "version=0&title=&body=&valid_from="},
	{"/admin/users", "login=ab&name=%00&roles=admin&roles=admin&external=1&expires=31.02.2019&password=short"},
	{"/admin/users/2", "version=1&name=X&roles=nobody&active=1&organisation=%E2%80%AE"},
	{"/admin/users/2/reactivate", "version=1&reason=%00&new_expires=0001-01-01"},
	{"/admin/users/2/password", "password=a&confirm=b"},
	{"/admin/centre", "name=&short=&email=@&phone=%2B"},
	{"/staff/1/delete", "version=-1"},
	{"/staff/1/move", "version=1&from=2026-13-01&assignment=99&unit=1&position=%E2%80%AEx&category=x&field_work=2"},
	{"/staff/1/assignments/1", "version=1&from=2030-01-01&to=2000-01-01&unit=0&position=&primary=1"},
	{"/staff/1/assignments/1/delete", "version=1"},
	{"/admin/categories", "name=%00&field_work=1"},
	{"/admin/categories/1", "version=1&name=" + strings.Repeat("x", 200) + "&archived=1"},
	{"/admin/categories/1/delete", "version=1"},
	{"/account/password", "current=demo&password=a&confirm=b"},
	{"/staff/import", "csv=last_name%3Bfirst_name%3Bjob_title%3Bunit%0ANowak%3BJan%3Breferent%3BKasa&confirm=1"},
	{"/schedule/courses/1/sessions", "date=2019-02-25&start=8.00&end=7.00&trainers=1&trainers=x&override=%00&reason=" + strings.Repeat("r", 2000)},
	{"/schedule/sessions/1", "version=1&date=31.02.2019&start=25:00&end=&status=held&reason=x"},
	{"/schedule/sessions/1/cancel", "version=1&reason=&restore=1&override=o"},
	{"/schedule/sessions/1/enrol", "version=1&people=1&people=18446744073709551615&override=x"},
	{"/schedule/courses/1/series", "weekdays=0&weekdays=9&first=2019-02-25&every=0&count=999&until=2030-01-01&start=8.00&end=9.00&part=%7Bn%7D&number=x&confirm=1"},
	{"/schedule/blackouts", "name=B&from=2019-07-01&to=2018-07-01&kinds=nope&yearly=1"},
	{"/schedule/blackouts/1", "version=1&name=&from=&to="},
	{"/schedule/import", "csv=Data%3BOd%3BDo%3BKurs%0A31.02.2019%3B8.00%3B7.00%3BX%0A25+luty+2019%3B8%3B9%3B%3D1&confirm=1&override=o"},
	{"/schedule/sessions/1/confirm", "version=x"},
	{"/schedule/sessions/1/attendance", "p_1=absent&v_1=1&correction=" + strings.Repeat("k", 1500)},
	{"/projects/1/published", "from=2018-13-01&to=2017-01-01"},
	{"/account/feed", ""},
	{"/account/feed/revoke", ""},
	{"/lang", "lang=%FF"},
	{"/login", "login=%E2%80%AEadmin&password=x"},
	// Deletions carry a version no record has, so that the seeds delete
	// nothing the others need; the fuzzer finds the real ones.
	{"/org/units/1/delete", "version=999999"},
	{"/locations/1/delete", "version=-1"},
	{"/announcements/1/delete", "version=abc"},
	{"/projects/1/delete", "version=999999"},
	{"/projects/milestones/1/delete", "version=999999"},
	{"/projects/indicators/1", "version=1&name=I&unit=hours&baseline=x&target=-5&from=2018-01-01&to=2017-01-01&source=schedule_people&courses=1&courses=1&courses=x"},
	{"/projects/indicators/1/delete", "version=999999"},
	{"/projects/indicators/1/readings/2018-05-01/delete", "version=999999"},
	{"/projects/1/logo/delete", "version=1&file=18446744073709551615"},
	{"/projects/1/published/1/print/issue", ""},
	{"/schedule/courses", "title=%E2%80%AEKurs&kind=nope&unit=lesson&project=18446744073709551615&contracted_hours=1e9&contracted_people=-1"},
	{"/schedule/courses/1", "version=1&title=" + strings.Repeat("t", 400) + "&kind=supervision&unit=clock&project=&notes=%00"},
	{"/schedule/courses/1/delete", "version=999999"},
	{"/schedule/courses/1/print/issue", ""},
	{"/schedule/courses/1/evidence/issue", ""},
	{"/schedule/trainers", "name=&organisation=%E2%80%AE&email=@&phone=abc&person=x&user=18446744073709551615"},
	{"/schedule/trainers/1", "version=1&name=Jan&email=" + strings.Repeat("a", 130) + "%40b.pl&phone=%2B48+32+285+78+39"},
	{"/schedule/sessions/1/delete", "version=999999"},
	{"/schedule/sessions/1/unenrol", "version=1&person=18446744073709551615"},
	{"/schedule/sessions/1/print/issue", ""},
	{"/schedule/scans/2/delete", "version=999999"}, // the demo's first scan
	{"/schedule/blackouts/1/delete", "version=999999"},
	{"/monitoring/notes", "date=2018-13-01&units=1&units=1&units=x&session=0&project=18446744073709551615&milestone=1&course=1&category=nope&assessment=on_track&title=T&body=%3Cscript%3E&tags=" + strings.Repeat("%23a,", 60)},
	{"/monitoring/notes/1", "version=1&date=2018-02-12&units=1&category=goal&assessment=at_risk&title=&tags=%E2%80%AE"},
	{"/monitoring/notes/1/actions", "version=1&what=&due=31.02.2018&owner_person=1&owner_unit=1"},
	{"/monitoring/notes/1/actions/2", "version=1&done_on=2999-01-01&comment=" + strings.Repeat("c", 1200)},
	{"/monitoring/notes/1/actions/2", "version=1&reopen=1"},
	{"/monitoring/notes/2/replies", "version=1&text=&ack="},
	{"/monitoring/checklists", "title=L&scale=9&questions=a%0A%0Ab%0D%0Ac&description=%00"},
	{"/monitoring/checklists/1", "version=1&title=&scale=yes_no&questions="},
	{"/monitoring/checklists/1/fill", "version=1&unit=18446744073709551615&date=1969-12-31&a1=9&a2=x&a99=1&comment=%E2%80%AE"},
	{"/monitoring/checklists/1/delete", "version=999999"},
	{"/monitoring/checklists/results/1/delete", "version=999999"},
	{"/admin/users/3/sessions", ""},
}

// fuzzExempt are the POST routes the fuzz target leaves out, each with the
// reason and where the route is tested instead.
var fuzzExempt = map[string]string{
	"/logout":                      "reads no field, and would end the session the target posts with (TestLoginAndLogout)",
	"/admin/demo/off":              "reads no field, and would end every demo account's session, the target's own (TestDemoAccountsSwitchOff)",
	"/admin/backup":                "reads no field; a copy of the whole database (app_test.go)",
	"/projects/:id/logo":           "takes a file, not a form (TestIssuedListIsKeptAsIssued, the settled project's route test)",
	"/schedule/sessions/:id/scans": "takes a file, not a form (TestScanOfTheSignedList, TestOnlyUploadsTakeLargeBodies)",
}

// poster is the account a seed is posted as: one the route lets in, so
// that the body reaches the route's parser rather than its guard.
func poster(path string) string {
	switch {
	case strings.HasSuffix(path, "/replies"):
		return "kierownik" // heads the team the demo's second note is about
	case strings.HasPrefix(path, "/monitoring/"):
		return "monitoring"
	}
	return "admin"
}

// Every POST route of the table has a seed, or an exemption that says
// why: a form route added later fails here until the fuzz target posts to
// it. Each seed reaches its route's parser (not a refusal by the guard, no
// missing record), and no seed names a route the table does not have.
func TestEveryPostRouteHasAFuzzSeed(t *testing.T) {
	posts := map[string]bool{}
	for _, r := range Routes() {
		if r.Method != fiber.MethodPost {
			continue
		}
		posts[r.Path] = true
		seeded := len(seedsFor(r.Path)) > 0
		why, exempt := fuzzExempt[r.Path]
		switch {
		case !seeded && !exempt:
			t.Errorf("POST %s has no seed in formSeeds (FuzzFormPosts never posts to it): add one, or an exemption with its reason", r.Path)
		case seeded && exempt:
			t.Errorf("POST %s has seeds and an exemption (%s): drop one", r.Path, why)
		}
	}
	for path := range fuzzExempt {
		if !posts[path] {
			t.Errorf("%s is exempt from fuzzing, but the table has no such POST route", path)
		}
	}
	for _, s := range formSeeds {
		found := false
		for path := range posts {
			got, want := strings.Split(s.path, "/"), strings.Split(path, "/")
			if len(got) != len(want) {
				continue
			}
			same := true
			for i := range want {
				same = same && (strings.HasPrefix(want[i], ":") || want[i] == got[i])
			}
			found = found || same
		}
		if !found {
			t.Errorf("the seed for %s names no POST route of the table", s.path)
		}
	}

	ta := newTestApp(t)
	clients := map[string]*client{}
	for _, s := range formSeeds {
		who := poster(s.path)
		if clients[who] == nil {
			clients[who] = ta.loggedIn(t, who)
		}
	}
	for _, s := range formSeeds {
		form, err := url.ParseQuery(s.body)
		if err != nil {
			t.Errorf("the seed for %s does not parse: %v", s.path, err)
			continue
		}
		c := clients[poster(s.path)]
		r := c.post(s.path, form)
		switch {
		case r.status >= 500:
			t.Errorf("POST %s %q as %s: %d", s.path, s.body, poster(s.path), r.status)
		case s.path == "/login": // a wrong password is its parser's answer
		case r.status == fiber.StatusForbidden, r.status == fiber.StatusNotFound, r.status == fiber.StatusUnauthorized,
			r.status == fiber.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/login"):
			t.Errorf("POST %s as %s: %d — the seed stops before the route's parser", s.path, poster(s.path), r.status)
		}
	}
}

// FuzzFormPosts: whatever a form's body holds, the answer is a page or a
// redirect with a clear status, never a server error.
func FuzzFormPosts(f *testing.F) {
	for i, s := range formSeeds {
		f.Add(uint8(i), s.body)
	}
	ta := newTestApp(f)
	clients := map[string]*client{}
	for _, s := range formSeeds {
		if who := poster(s.path); clients[who] == nil {
			clients[who] = ta.loggedIn(f, who)
		}
	}
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		path := formSeeds[int(route)%len(formSeeds)].path
		form, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		c := clients[poster(path)]
		c.t = t
		form.Set("_csrf", c.csrf)
		r := c.do("POST", path, form, nil)
		if r.status >= 500 {
			t.Fatalf("POST %s %q: %d", path, body, r.status)
		}
		if r.status == 200 && strings.Contains(r.body, "Numer zgłoszenia") {
			t.Fatalf("POST %s %q: a server error page", path, body)
		}
	})
}
