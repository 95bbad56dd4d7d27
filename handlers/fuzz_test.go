package handlers

import (
	"net/url"
	"strings"
	"testing"
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
}

// FuzzFormPosts: whatever a form's body holds, the answer is a page or a
// redirect with a clear status, never a server error.
func FuzzFormPosts(f *testing.F) {
	for i, s := range formSeeds {
		f.Add(uint8(i), s.body)
	}
	ta := newTestApp(f)
	admin := ta.loggedIn(f, "admin")
	f.Fuzz(func(t *testing.T, route uint8, body string) {
		path := formSeeds[int(route)%len(formSeeds)].path
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
