package handlers

import (
	"bufio"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// Each test here stands for a class of problem an outside probe found; the
// fix is in a shared mechanism, so one entity standing for all is enough
// where the mechanism is generic, and every entity is named where not.

func TestListsAndTextsAreBoundedInEveryForm(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	u, _ := ta.st.UserByLogin("pracownik")
	me, _ := ta.st.PersonOfUser(u.ID)
	worker := ta.loggedIn(t, "pracownik")
	worker.get(fmt.Sprintf("/staff/%d/edit", me.ID))

	// The probe's attack: a person's own phone list, thousands long.
	many := strings.Repeat("32 285 78 39\n", 5000)
	before := ta.st.BackupSize()
	r := worker.post(fmt.Sprintf("/staff/%d", me.ID), url.Values{"version": {strconv.Itoa(me.Version)}, "phones": {many}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("5000 phones: %d", r.status)
	}
	mustContain(t, r, "Za dużo pozycji (najwyżej 10)")
	if after, _ := ta.st.Person(me.ID); after.Version != me.Version {
		t.Fatal("the refused list was saved")
	}
	if grown := ta.st.BackupSize() - before; grown > 64<<10 {
		t.Fatalf("a refused save grew the database by %d bytes", grown)
	}
	// The form comes back without taking time quadratic in the list.
	mustContain(t, r, "32 285 78 39")

	long := strings.Repeat("ż", 20001)
	cases := []struct {
		name, get, post string
		form            url.Values
		want            string
	}{
		{"announcement body", "/announcements/new", "/announcements",
			url.Values{"title": {"Komunikat"}, "body": {long}, "valid_from": {"2026-01-01"}}, "najwyżej 20000 znaków"},
		{"person e-mail", "/staff/new", "/staff",
			url.Values{"first_name": {"Jan"}, "last_name": {"Nowak"}, "position": {"pracownik socjalny"}, "unit": {"1"},
				"email": {strings.Repeat("a", 200) + "@example.com"}}, "najwyżej 120 znaków"},
		{"location hours", "/locations/new", "/locations",
			url.Values{"name": {"Budynek"}, "street": {"ul. Janasa 9"}, "postal_code": {"42-600"}, "city": {"Tarnowskie Góry"},
				"hours0": {strings.Repeat("8:00-9:00, ", 100)}}, "najwyżej 60 znaków"},
		{"unit phones", "/org/units/new", "/org/units",
			url.Values{"name": {"Zespół"}, "kind": {"team"}, "from": {"2026-01-01"}, "phones": {strings.Repeat("32 111 11 11,", 11)}},
			"Za dużo pozycji (najwyżej 10)"},
		{"centre name", "/admin/centre", "/admin/centre",
			url.Values{"name": {long}, "short": {"MOPS"}, "version": {"1"}}, "najwyżej 200 znaków"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			admin.get(tc.get)
			r := admin.post(tc.post, tc.form)
			if r.status != fiber.StatusUnprocessableEntity {
				t.Fatalf("%d\n%s", r.status, r.body)
			}
			mustContain(t, r, tc.want)
		})
	}
}

func TestRepeatedLocationsOnAUnitAreStoredOnce(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	admin.get("/org/units/new")
	form := url.Values{"name": {"Zespół testowy"}, "kind": {"team"}, "from": {"2026-01-01"}}
	for i := 0; i < 3000; i++ {
		form.Add("locations", "1")
	}
	r := admin.post("/org/units", form)
	if r.status != fiber.StatusSeeOther && r.status != fiber.StatusNoContent {
		t.Fatalf("save: %d\n%s", r.status, r.body)
	}
	id, err := strconv.ParseUint(strings.TrimPrefix(strings.Split(r.header.Get("Location"), "?")[0], "/org/units/"), 10, 64)
	if err != nil {
		t.Fatalf("location %q", r.header.Get("Location"))
	}
	u, _ := ta.st.Unit(id)
	if got := u.Current().Locations; len(got) != 1 || got[0] != 1 {
		t.Fatalf("locations stored: %d", len(got))
	}
}

func TestDeletionNeedsTheVersionThatWasConfirmed(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	n := store.Announcement{Title: "Stary komunikat", Body: "Treść", ValidFrom: ta.st.Today()}
	if err := ta.st.SaveAnnouncement(store.System, &n, 0); err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/announcements/%d/delete", n.ID)
	mustContain(t, admin.get(path), `name="version" value="1"`)
	// Someone else edits it while the question is on screen.
	changed := n
	changed.Title = "Poprawiony komunikat"
	if err := ta.st.SaveAnnouncement(store.System, &changed, 1); err != nil {
		t.Fatal(err)
	}
	r := admin.post(path, url.Values{"version": {"1"}})
	if r.status != fiber.StatusConflict {
		t.Fatalf("stale deletion: %d", r.status)
	}
	mustContain(t, r, "Ktoś zmienił ten zapis", "Poprawiony komunikat", `name="version" value="2"`)
	if _, err := ta.st.Announcement(n.ID); err != nil {
		t.Fatal("deleted despite the change")
	}
	if r := admin.post(path, nil); r.status != fiber.StatusConflict {
		t.Fatalf("deletion without a version: %d", r.status)
	}
	if r := admin.post(path, url.Values{"version": {"2"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("confirmed deletion: %d", r.status)
	}
	if _, err := ta.st.Announcement(n.ID); store.ErrorCode(err) != store.ENotFound {
		t.Fatal("not deleted")
	}
}

func TestSignInFormWritesNothing(t *testing.T) {
	ta := newTestApp(t)
	before, size := ta.st.SessionCount(), ta.st.BackupSize()
	for i := 0; i < 200; i++ {
		c := ta.client(t)
		c.ip = fmt.Sprintf("192.0.2.%d", i%250)
		if r := c.get("/login"); r.status != fiber.StatusOK {
			t.Fatalf("login page: %d", r.status)
		}
	}
	if n := ta.st.SessionCount(); n != before {
		t.Fatalf("200 visits of the sign-in form stored %d sessions", n-before)
	}
	if ta.st.BackupSize() != size {
		t.Fatal("the sign-in form wrote to the database")
	}
	// The form still works, and its token is bound to the visitor's cookie.
	c := ta.client(t)
	c.get("/login")
	other := ta.client(t)
	other.csrf = c.csrf // a token copied to a browser without the cookie
	r := other.post("/login", url.Values{"login": {"admin"}, "password": {"demo"}})
	if r.status != fiber.StatusForbidden {
		t.Fatalf("token without its cookie: %d", r.status)
	}
	mustContain(t, r, "Formularz logowania wygasł", `name="login"`)
	c.login("admin", "demo")
}

func TestAnonymousRequestsAreRateLimitedPerAddress(t *testing.T) {
	ta := newTestApp(t)
	app, err := New(ta.st, Config{Version: "test", Hasher: store.NewHasher(testParams, 4*8<<20), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		AnonymousPerMinute: 5, TrustedProxies: []string{"0.0.0.0/32"}})
	if err != nil {
		t.Fatal(err)
	}
	limited := &testApp{app: app, st: ta.st, clk: ta.clk, dir: ta.dir}
	c := limited.client(t)
	for i := 0; i < 5; i++ {
		if r := c.get("/login"); r.status != fiber.StatusOK {
			t.Fatalf("visit %d: %d", i+1, r.status)
		}
	}
	if r := c.get("/login"); r.status != fiber.StatusTooManyRequests {
		t.Fatalf("sixth visit in a minute: %d", r.status)
	}
	other := limited.client(t)
	other.ip = "192.0.2.99"
	if r := other.get("/login"); r.status != fiber.StatusOK {
		t.Fatalf("another address: %d", r.status)
	}
	// Signed-in people are not limited: their session is already checked.
	signedIn := limited.client(t)
	signedIn.ip = "192.0.2.100"
	signedIn.login("admin", "demo")
	for i := 0; i < 10; i++ {
		if r := signedIn.get("/"); r.status != fiber.StatusOK {
			t.Fatalf("signed-in visit %d: %d", i+1, r.status)
		}
	}
}

func TestCSRFTokenOnlyFromBodyOrHeader(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	form := url.Values{"title": {"Z linku"}, "body": {"Treść"}, "valid_from": {"2026-01-01"}}
	r := c.do("POST", "/announcements?_csrf="+url.QueryEscape(c.csrf), form, nil)
	if r.status != fiber.StatusForbidden {
		t.Fatalf("token in the query string: %d", r.status)
	}
	// Nor do other fields come from the address.
	form.Set("_csrf", c.csrf)
	r = c.do("POST", "/announcements?title=Podmieniony", url.Values{"_csrf": {c.csrf}, "body": {"Treść"}, "valid_from": {"2026-01-01"}}, nil)
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("title from the query string: %d", r.status)
	}
}

func TestForwardedHostIsIgnoredWithoutATrustedProxy(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "pracownik")
	form := url.Values{"current": {"demo"}, "password": {"a-new-password"}, "confirm": {"a-new-password"}, "_csrf": {c.csrf}}
	r := c.do("POST", "/account/password", form, map[string]string{"Origin": "http://evil.example", "X-Forwarded-Host": "evil.example"})
	if r.status != fiber.StatusForbidden {
		t.Fatalf("foreign origin with a forwarded host: %d", r.status)
	}
}

func TestServerRefusalsCarrySecurityHeaders(t *testing.T) {
	ta := newTestApp(t)
	base := ta.serve(t)
	send := func(request string) *http.Response {
		conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		if _, err := io.WriteString(conn, request); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	tooLarge := send(fmt.Sprintf("POST /login HTTP/1.1\r\nHost: intranet\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", bodyLimit+1))
	bigHeaders := send("GET / HTTP/1.1\r\nHost: intranet\r\nX-Padding: " + strings.Repeat("a", 40<<10) + "\r\n\r\n")
	for _, resp := range []*http.Response{tooLarge, bigHeaders} {
		if resp.StatusCode != fiber.StatusRequestEntityTooLarge && resp.StatusCode != fiber.StatusRequestHeaderFieldsTooLarge {
			t.Fatalf("status %d", resp.StatusCode)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") ||
			resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%d without security headers: %v", resp.StatusCode, resp.Header)
		}
	}
}

func TestBidiControlsAreStrippedFromInput(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	admin.get("/staff/new")
	r := admin.post("/staff", url.Values{"first_name": {"Jan\u202e"}, "last_name": {"\u2067Nowak\u2069"}, "position": {"asystent\u200f rodziny"},
		"unit": {"1"}, "employed_from": {"2026-01-01"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, r.body)
	}
	id, _ := strconv.ParseUint(strings.TrimPrefix(strings.Split(r.header.Get("Location"), "?")[0], "/staff/"), 10, 64)
	p, err := ta.st.Person(id)
	if err != nil {
		t.Fatal(err)
	}
	if p.FirstName != "Jan" || p.LastName != "Nowak" || p.Assignments[0].Position != "asystent rodziny" {
		t.Fatalf("stored %q %q %+v", p.FirstName, p.LastName, p.Assignments)
	}
}

func TestCSVLeavesOnlyPhoneColumnsUnescaped(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	p := store.Staff{FirstName: "-2-3", LastName: "+48 (0) 1-2", Room: "-5",
		Phones: []string{"+48 32 285 78 39"}, EmployedFrom: ta.st.Today()}
	p.AddAssignment(store.Assignment{UnitID: 1, Position: "=1+1", From: p.EmployedFrom, Primary: true})
	if err := ta.st.SavePerson(store.System, &p, 0); err != nil {
		t.Fatal(err)
	}
	r := admin.get("/staff.csv")
	mustContain(t, r, `'+48 (0) 1-2;'-2-3;'=1+1;`, ";'-5;+48 32 285 78 39;")
}

func TestHealthTellsTheVersionOnlyToAdministrators(t *testing.T) {
	ta := newTestApp(t)
	if r := ta.client(t).get("/healthz"); r.status != fiber.StatusOK || strings.Contains(r.body, "version") || strings.Contains(r.body, "schema") {
		t.Fatalf("anonymous health: %d %s", r.status, r.body)
	}
	if r := ta.loggedIn(t, "pracownik").get("/healthz"); strings.Contains(r.body, "version") {
		t.Fatalf("staff health: %s", r.body)
	}
	if r := ta.loggedIn(t, "admin").get("/healthz"); !strings.Contains(r.body, `"version":"test"`) {
		t.Fatalf("admin health: %s", r.body)
	}
}

// A sign-in with the old password that is being checked while an
// administrator resets the password must not leave a session behind, in
// whichever order the two finish.
func TestResetDuringSignInLeavesNoSession(t *testing.T) {
	ta := newTestApp(t)
	u, _ := ta.st.UserByLogin("pracownik")
	survived := 0
	for trial := 0; trial < 20; trial++ {
		c := ta.client(t)
		c.get("/login")
		done := make(chan response, 1)
		go func() {
			done <- c.post("/login", url.Values{"login": {"pracownik"}, "password": {"demo"}})
		}()
		hash := fmt.Sprintf("$argon2id$v=19$m=8192,t=1,p=1$trial%d$reset", trial)
		if _, err := ta.st.UpdateUser(store.System, u.ID, 0, store.ActionPassword, func(x *store.User) error {
			x.PasswordHash = hash
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		<-done
		if r := c.get("/account"); r.status == fiber.StatusOK {
			survived++
		}
		// The next trial signs in with "demo" again.
		demo, _ := ta.st.UserByLogin("admin")
		if _, err := ta.st.UpdateUser(store.System, u.ID, 0, store.ActionPassword, func(x *store.User) error {
			x.PasswordHash = demo.PasswordHash
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if survived > 0 {
		t.Fatalf("%d of 20 sign-ins with the old password outlived the reset", survived)
	}
}

// The audit log reads like the rest of the product: records by name with a
// link, fields by their labels, IDs as names, dates as dd.mm.rrrr, lists
// as lists; the stored English key stays on each field.
func TestAuditLogIsWrittenForAdministrators(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	people, _ := ta.st.People()
	p := people[0]
	locs, _ := ta.st.Locations()
	p.Phones = []string{"32 111 11 11", "32 222 22 22"}
	p.LocationID = locs[0].ID
	p.EmployedTo = ta.st.Today().AddDate(1, 0, 0)
	if err := ta.st.SavePerson(store.Actor{Login: "admin"}, &p, 0); err != nil {
		t.Fatal(err)
	}
	u, _ := ta.st.Unit(1)
	st := u.Current()
	st.Name = "Dyrekcja Ośrodka"
	if _, err := ta.st.SaveUnitState(store.Actor{Login: "admin"}, 1, 0, st); err != nil {
		t.Fatal(err)
	}
	r := admin.get("/admin/audit?entity=staff&action=update")
	mustContain(t, r, `<a href="/staff/`+strconv.FormatUint(p.ID, 10)+`">`+p.FullName()+`</a>`,
		`<dt title="phones">telefony</dt>`, `<li>32 111 11 11</li><li>32 222 22 22</li>`,
		`<dt title="location_id">lokalizacja</dt>`, locs[0].Name,
		`<dt title="employed_to">ostatni dzień pracy</dt>`, p.EmployedTo.Format("02.01.2006"))
	mustNotContain(t, r, `>location_id<`, "T00:00:00Z")
	r = admin.get("/admin/audit?entity=unit&action=update")
	mustContain(t, r, `<a href="/org/units/1">Dyrekcja Ośrodka</a>`, `stan, pozycja `, `: nazwa</dt>`)
	// Secrets stay masked.
	r = admin.get("/admin/audit?entity=user&action=create")
	mustContain(t, r, `<dt title="password_hash">hasło</dt>`, "•••")
	mustNotContain(t, r, "$argon2id$")
}

func TestAuditExportKeepsTheStoredKeys(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	r := admin.get("/admin/audit.csv?entity=user&action=create")
	if r.status != fiber.StatusOK || !strings.Contains(r.header.Get("Content-Disposition"), "dziennik-zmian") {
		t.Fatalf("export: %d %v", r.status, r.header)
	}
	mustContain(t, r, "id;at;actor;ip;entity;entity_id;action;field;old;new", ";user;", ";create;login;;admin")
	mustNotContain(t, r, ";update;", "$argon2id$")
	if r := ta.loggedIn(t, "koordynator").get("/admin/audit.csv"); r.status != fiber.StatusForbidden {
		t.Fatalf("coordinator: %d", r.status)
	}
}

func TestDemoAccountsSwitchOff(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	mustContain(t, admin.get("/admin"), `action="/admin/demo/off"`)
	r := admin.post("/admin/demo/off", nil)
	if r.status != fiber.StatusConflict {
		t.Fatalf("without an administrator of the centre's own: %d", r.status)
	}
	mustContain(t, r, "własne konto administratora")
	own := store.User{Login: "kierownik.it", Name: "Jan Kowalski", Roles: []store.Role{store.RoleAdmin}, Active: true, PasswordHash: "x"}
	if err := ta.st.CreateUser(store.System, &own); err != nil {
		t.Fatal(err)
	}
	worker := ta.loggedIn(t, "pracownik")
	r = admin.post("/admin/demo/off", nil)
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("switch off: %d", r.status)
	}
	if ta.st.DemoMode() {
		t.Fatal("demo mode still on")
	}
	for _, c := range []*client{admin, worker} {
		if r := c.get("/"); r.status != fiber.StatusSeeOther {
			t.Fatalf("a demo session survived: %d", r.status)
		}
	}
	page, _ := ta.st.Audit(store.AuditFilter{Entity: "user", Action: store.ActionUpdate})
	if len(page.Entries) != 7 { // the one that has ended is switched off too
		t.Fatalf("%d accounts switched off in the audit log, want 7", len(page.Entries))
	}
	if u, _ := ta.st.UserByLogin("kierownik.it"); !u.Active {
		t.Fatal("the centre's own administrator was switched off")
	}
}

func TestSignInPageSaysWhyAndKeepsTheWayBack(t *testing.T) {
	ta := newTestApp(t)
	c := ta.client(t)
	r := c.get("/staff/phones")
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("anonymous: %d", r.status)
	}
	page := c.get(r.header.Get("Location"))
	mustContain(t, page, "Ta strona jest dostępna po zalogowaniu", `name="next" value="/staff/phones"`)
	// Switching the language keeps where the visitor was going.
	en := c.get("/login?lang=en&next=%2Fstaff%2Fphones")
	mustContain(t, en, "This page is available after signing in")
	if n := strings.Count(en.body, `name="next" value="/staff/phones"`); n != 2 { // the sign-in form and the language form
		t.Fatalf("the way back is in %d forms, want 2", n)
	}
}

// A logo's removal names the logo the person saw and its version: one
// replaced meanwhile is kept, and the question is asked again.
func TestLogoRemovalNeedsTheLogoThatWasConfirmed(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	p := &store.Project{Name: "Projekt z logo", Kind: store.KindEUProject, From: ta.st.Today().AddDate(0, -1, 0), Status: store.ProjectRunning}
	if err := ta.st.SaveProject(store.System, p, 0); err != nil {
		t.Fatal(err)
	}
	first, err := ta.st.SetLogo(store.System, p.ID, logoStrip.name, logoStrip.data)
	if err != nil {
		t.Fatal(err)
	}
	path := fmt.Sprintf("/projects/%d/logo/delete", p.ID)
	mustContain(t, admin.get(path), `name="version" value="1"`, fmt.Sprintf(`name="file" value="%d"`, first.ID))
	// Someone else uploads a new logo while the question is on screen.
	second, err := ta.st.SetLogo(store.System, p.ID, "nowe-logo.png", logoStrip.data)
	if err != nil {
		t.Fatal(err)
	}
	stale := url.Values{"version": {"1"}, "file": {strconv.FormatUint(first.ID, 10)}}
	r := admin.post(path, stale)
	if r.status != fiber.StatusConflict {
		t.Fatalf("removing a logo replaced meanwhile: %d", r.status)
	}
	mustContain(t, r, "Ktoś zmienił ten zapis", fmt.Sprintf(`name="file" value="%d"`, second.ID))
	if f, _ := ta.st.LogoFile(p.ID); f == nil || f.ID != second.ID {
		t.Fatalf("the new logo is gone: %+v", f)
	}
	for _, v := range []url.Values{nil, {"version": {"1"}}, {"file": {strconv.FormatUint(second.ID, 10)}}} {
		if r := admin.post(path, v); r.status != fiber.StatusConflict {
			t.Fatalf("removal with %v: %d", v, r.status)
		}
	}
	if r := admin.post(path, url.Values{"version": {"1"}, "file": {strconv.FormatUint(second.ID, 10)}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("confirmed removal: %d", r.status)
	}
	if f, _ := ta.st.LogoFile(p.ID); f != nil {
		t.Fatalf("not removed: %+v", f)
	}
}

// A form is bounded before its handler reads it: by its fields, and by its
// size when it comes in chunks without a length. Lists within the limits
// are refused with the store's clear message, without reading them twice.
func TestLongFormsAreRefusedClearly(t *testing.T) {
	ta := newTestApp(t)
	monitoring := ta.loggedIn(t, "monitoring")
	o, err := ta.st.Org()
	if err != nil {
		t.Fatal(err)
	}
	unit := strconv.FormatUint(o.Units[0].ID, 10)
	tags := make([]string, 40_000)
	for i := range tags {
		tags[i] = "temat" + strconv.Itoa(i)
	}
	r := monitoring.post("/monitoring/notes", url.Values{"date": {"2018-05-01"}, "units": {unit}, "category": {"change"}, "assessment": {"on_track"},
		"title": {"Notatka"}, "tags": {strings.Join(tags, ",")}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("40,000 tags: %d", r.status)
	}
	mustContain(t, r, "Za dużo pozycji (najwyżej 10).")

	many := url.Values{"date": {"2018-05-01"}, "category": {"change"}, "assessment": {"on_track"}, "title": {"Notatka"}}
	for i := range maxFormFields {
		many.Add("units", strconv.Itoa(i+1))
	}
	if r := monitoring.post("/monitoring/notes", many); r.status != fiber.StatusRequestEntityTooLarge {
		t.Fatalf("%d fields: %d", maxFormFields+4, r.status)
	}

	admin := ta.loggedIn(t, "admin")
	sessions, _, err := ta.st.SessionsBetween(ta.st.Today(), ta.st.Today().AddDate(1, 0, 0), 0, 1, nil)
	if err != nil || len(sessions) == 0 {
		t.Fatalf("no session to come: %v", err)
	}
	ss := sessions[0]
	people := url.Values{"version": {strconv.Itoa(ss.Version)}}
	for i := range 3000 {
		people.Add("people", strconv.Itoa(i+1))
	}
	r = admin.post(fmt.Sprintf("/schedule/sessions/%d/enrol", ss.ID), people)
	if r.status != fiber.StatusConflict {
		t.Fatalf("3,000 people enrolled: %d", r.status)
	}
	mustContain(t, r, "Za dużo pozycji (najwyżej 200).")

	// A chunked body carries no length: its size is checked as it is.
	body := url.Values{"title": {strings.Repeat("x", formLimit)}}.Encode()
	req := httptest.NewRequest("POST", "/monitoring/notes", strings.NewReader(body))
	req.ContentLength, req.TransferEncoding = -1, []string{"chunked"} // sent in chunks
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range monitoring.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	req.Header.Set("X-CSRF-Token", monitoring.csrf)
	resp, err := ta.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != fiber.StatusRequestEntityTooLarge {
		t.Fatalf("a chunked form over %d bytes: %d", formLimit, resp.StatusCode)
	}
}
