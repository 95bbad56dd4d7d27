package handlers

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

var demoLogins = map[store.Role]string{
	store.RoleAdmin:       "admin",
	store.RoleCoordinator: "koordynator",
	store.RoleTrainer:     "trener",
	store.RoleMonitoring:  "monitoring",
	store.RoleStaff:       "pracownik",
}

// routeCheckAccounts are the accounts the route check signs in with: each
// role alone, roles combined (the demo coordinator also trains), the demo
// staff member (whose own record the Self routes are tried on) and a trainer
// from outside. They are demo accounts, so that switching the demo off
// (one of the routes) is refused as it is with the demo alone.
func routeCheckAccounts(t *testing.T, ta *testApp) []*store.User {
	t.Helper()
	hash, err := store.NewHasher(testParams, 8<<20).Hash(context.Background(), store.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	var out []*store.User
	add := func(login string, external bool, roles ...store.Role) {
		u := &store.User{Login: login, Name: "Konto " + login, Roles: roles, Active: true, Demo: true, PasswordHash: hash, External: external}
		if external {
			u.Expires, u.Organisation = ta.st.Today().AddDate(0, 1, 0), "Fundacja Szkoleniowa"
		}
		if err := ta.st.CreateUser(store.System, u); err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
	for _, r := range store.Roles {
		add("tylko."+string(r), false, r)
	}
	add("pracownik.monitoring", false, store.RoleStaff, store.RoleMonitoring)
	add("zewnetrzny", true, store.RoleTrainer)
	for _, login := range []string{"koordynator", "pracownik"} {
		u, err := ta.st.UserByLogin(login)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, u)
	}
	if k := out[len(out)-2]; !k.Has(store.RoleCoordinator) || !k.Has(store.RoleTrainer) {
		t.Fatalf("the demo coordinator holds %v", k.Roles)
	}
	return out
}

// mayUse is the access rule written out again, independently of
// Route.Allows: any role held opens a route, an account from outside only
// the routes marked for it, and pracownik its own record on Self routes.
func mayUse(r Route, u *store.User) bool {
	switch {
	case r.Public:
		return true
	case u.External:
		return r.External
	case r.Roles == nil:
		return true
	case r.Self && u.Login == "pracownik":
		return true
	}
	for _, x := range u.Roles {
		if slices.Contains(r.Roles, x) {
			return true
		}
	}
	return false
}

// Every route in the table, for each role alone, roles combined, an account
// from outside and an anonymous visitor: forbidden means 403, allowed means
// anything but 403 and never a 5xx.
func TestRoleChecksForEveryRoute(t *testing.T) {
	ta := newTestApp(t)
	accounts := routeCheckAccounts(t, ta)
	worker, _ := ta.st.UserByLogin("pracownik")
	self, _ := ta.st.PersonOfUser(worker.ID)
	units, _ := ta.st.Units()
	locs, _ := ta.st.Locations()
	news, _ := ta.st.Announcements()
	// Each :id names a record of the kind the route is about; the staff
	// record is pracownik's own, so Self routes let that account through.
	o, _ := ta.st.Org()
	project := &o.Projects[len(o.Projects)-1] // the first one entered
	ind := o.IndicatorsOf(project.ID)[0]
	ids := map[string]uint64{"/admin/users/": worker.ID, "/staff/": self.ID, "/org/units/": units[len(units)-1].ID,
		"/locations/": locs[0].ID, "/announcements/": news[0].ID, "/projects/": project.ID,
		"/projects/milestones/": o.MilestonesOf(project.ID)[0].ID, "/projects/indicators/": ind.ID,
		"/schedule/courses/": 1, "/schedule/sessions/": 1, "/schedule/trainers/": 1,
		"/monitoring/units/": units[len(units)-1].ID, "/monitoring/milestones/": o.MilestonesOf(project.ID)[0].ID}
	for _, r := range Routes() {
		path := r.Path
		for prefix, id := range ids {
			if strings.HasPrefix(path, prefix+":id") {
				path = strings.Replace(path, ":id", fmt.Sprint(id), 1)
			}
		}
		path = strings.Replace(path, ":day", ind.Measurements[0].Date.Format("2006-01-02"), 1)
		t.Run(r.Method+" "+r.Path+" anonymous", func(t *testing.T) {
			c := ta.client(t)
			c.get("/login") // a token, so that only the access rule can refuse
			var resp response
			if r.Method == "GET" {
				resp = c.get(path)
			} else {
				resp = c.post(path, nil)
			}
			if r.Public {
				if resp.status >= 500 || resp.status == fiber.StatusForbidden {
					t.Fatalf("public route: %d", resp.status)
				}
				return
			}
			if resp.status != fiber.StatusSeeOther || !strings.HasPrefix(resp.header.Get("Location"), "/login") {
				t.Fatalf("anonymous: %d %q", resp.status, resp.header.Get("Location"))
			}
		})
		for _, u := range accounts {
			t.Run(r.Method+" "+r.Path+" "+u.Login, func(t *testing.T) {
				allowed := mayUse(r, u)
				if !r.Self && r.Allows(u) != allowed { // on Self routes the handler decides
					t.Fatalf("Allows says %v for %v", !allowed, u.Roles)
				}
				c := ta.loggedIn(t, u.Login)
				var resp response
				if r.Method == "GET" {
					resp = c.get(path)
				} else {
					resp = c.post(path, nil)
				}
				// On Own routes the handler refuses a trainer or someone from
				// outside a session they do not run.
				own := r.Own && resp.status == fiber.StatusForbidden && (u.External || !(u.Has(store.RoleAdmin) || u.Has(store.RoleCoordinator)))
				switch {
				case own:
				case !allowed && resp.status != fiber.StatusForbidden:
					t.Fatalf("%s %v may not use %s, got %d", u.Login, u.Roles, path, resp.status)
				case allowed && (resp.status == fiber.StatusForbidden || resp.status >= 500):
					t.Fatalf("%s %v may use %s, got %d:\n%s", u.Login, u.Roles, path, resp.status, resp.body)
				}
				if !allowed {
					mustContain(t, resp, "Brak dostępu")
				}
			})
		}
	}
}

// The guard's rule on its own: any held role opens a route, and an account
// from outside needs a route marked for it even where every role may go.
func TestRouteAllowsAnyRoleHeld(t *testing.T) {
	coordinators := Route{Roles: []store.Role{store.RoleCoordinator}}
	everyone := Route{}
	mine := Route{External: true}
	trainerAndCoordinator := &store.User{Roles: []store.Role{store.RoleCoordinator, store.RoleTrainer}}
	trainer := &store.User{Roles: []store.Role{store.RoleTrainer}}
	external := &store.User{Roles: []store.Role{store.RoleTrainer}, External: true}
	for _, c := range []struct {
		r    Route
		u    *store.User
		want bool
	}{
		{coordinators, trainerAndCoordinator, true},
		{coordinators, trainer, false},
		{everyone, trainer, true},
		{everyone, external, false},
		{mine, external, true},
		{Route{Roles: []store.Role{store.RoleTrainer}}, external, false},
		{Route{Public: true}, nil, true},
		{everyone, nil, false},
	} {
		if got := c.r.Allows(c.u); got != c.want {
			t.Errorf("%+v for %+v: %v", c.r, c.u, got)
		}
	}
	if (Route{Self: true}).AllowsSelf(external) {
		t.Error("an account from outside has a record of its own here")
	}
}

func TestAdministrationIsInTheMenuOnlyForAdmins(t *testing.T) {
	ta := newTestApp(t)
	for role, login := range demoLogins {
		home := ta.loggedIn(t, login).get("/")
		has := strings.Contains(home.body, `<a href="/admin"`)
		if has != (role == store.RoleAdmin) {
			t.Errorf("%s sees administration in the menu: %v", role, has)
		}
	}
}

func TestStaleEditShowsBothVersions(t *testing.T) {
	ta := newTestApp(t)
	first := ta.loggedIn(t, "admin")
	second := ta.loggedIn(t, "admin")
	u, _ := ta.st.UserByLogin("trener")
	path := "/admin/users/" + fmt.Sprint(u.ID)
	first.get(path)
	second.get(path)
	r := first.post(path, url.Values{"version": {"1"}, "name": {"Tomasz Nowy"}, "roles": {"trainer"}, "active": {"1"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("first save: %d", r.status)
	}
	r = second.post(path, url.Values{"version": {"1"}, "name": {"Tomasz Stary"}, "roles": {"staff"}, "active": {"1"}})
	if r.status != fiber.StatusConflict {
		t.Fatalf("stale save: %d", r.status)
	}
	mustContain(t, r, "Ktoś zmienił ten rekord w międzyczasie", "Tomasz Nowy", "Tomasz Stary", `name="version" value="2"`)
	if got, _ := ta.st.User(u.ID); got.Name != "Tomasz Nowy" || !slices.Equal(got.Roles, []store.Role{store.RoleTrainer}) {
		t.Fatalf("stale save overwrote: %+v", got)
	}
	// Saving again, knowingly, on top of the version seen in the conflict.
	if r := second.post(path, url.Values{"version": {"2"}, "name": {"Tomasz Stary"}, "roles": {"staff"}, "active": {"1"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("second save: %d", r.status)
	}
}

func TestCreateUserValidation(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	admin.get("/admin/users/new")
	before := ta.st.UserCount()
	r := admin.post("/admin/users", url.Values{"login": {"Ż"}, "name": {""}, "roles": {"boss"}, "password": {"123"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("invalid create: %d", r.status)
	}
	mustContain(t, r, "Login: 2–40 znaków", "To pole jest wymagane.", "Wybierz rolę z listy.", "Hasło musi mieć co najmniej 8 znaków.")
	r = admin.post("/admin/users", url.Values{"login": {"trener"}, "name": {"Drugi Trener"}, "roles": {"trainer"}, "password": {"password-123"}})
	mustContain(t, r, "Ten login jest już zajęty.", `value="Drugi Trener"`)
	if ta.st.UserCount() != before {
		t.Fatal("an invalid form created an account")
	}
	r = admin.post("/admin/users", url.Values{"login": {"j.kowalska"}, "name": {"Joanna Kowalska"}, "roles": {"coordinator"}, "password": {"password-123"}})
	if r.status != fiber.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "ok=user_created") {
		t.Fatalf("valid create: %d %q", r.status, r.header.Get("Location"))
	}
	ta.client(t).login("j.kowalska", "password-123")
	list := admin.get("/admin/users?q=kowal")
	mustContain(t, list, "Joanna Kowalska", "1 konto")
	mustNotContain(t, list, "Tomasz Trenerski")
}

func TestAdminCannotLockThemselvesOut(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	me, _ := ta.st.UserByLogin("admin")
	path := "/admin/users/" + fmt.Sprint(me.ID)
	admin.get(path)
	r := admin.post(path, url.Values{"version": {"1"}, "name": {me.Name}, "roles": {"staff"}, "active": {"1"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("self demotion: %d", r.status)
	}
	mustContain(t, r, "Nie możesz odebrać sobie roli administratora")
}

func TestAuditLogPage(t *testing.T) {
	ta := newTestApp(t)
	c := ta.client(t)
	c.get("/login")
	c.post("/login", url.Values{"login": {"admin"}, "password": {"bad password"}})
	admin := ta.loggedIn(t, "admin")
	r := admin.get("/admin/audit?action=login_failed")
	mustContain(t, r, `">nieudane logowanie</td>`)
	mustNotContain(t, r, `">logowanie</td>`)
	r = admin.get("/admin/audit?from=31.02.2019&entity=nope")
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad filter: %d", r.status)
	}
	mustContain(t, r, "Część kryteriów jest nieprawidłowa")
	r = admin.get("/admin/audit?entity=user&action=create")
	mustContain(t, r, "utworzenie", "pracownik")
}

func TestNotFoundAndServerErrorLeakNothing(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	r := c.get("/no/such/page")
	if r.status != fiber.StatusNotFound {
		t.Fatalf("unknown URL: %d", r.status)
	}
	mustContain(t, r, "Nie ma takiej strony", "<nav", "</html>")
	mustNotContain(t, r, "Cannot GET", "fiber")
	if r := c.get("/admin/users/999"); r.status != fiber.StatusNotFound {
		t.Fatalf("unknown user: %d", r.status)
	}
	if r := c.get("/admin/users/abc"); r.status != fiber.StatusNotFound {
		t.Fatalf("bad id: %d", r.status)
	}
	if r := ta.client(t).get("/nope"); r.status != fiber.StatusNotFound {
		t.Fatalf("anonymous unknown URL: %d", r.status)
	}
	// A real fault: the database goes away under the server.
	ta.st.Close()
	r = c.get("/admin/users")
	if r.status != fiber.StatusInternalServerError {
		t.Fatalf("closed database: %d", r.status)
	}
	mustContain(t, r, "Błąd serwera", "Numer zgłoszenia")
	mustNotContain(t, r, "database not open", "bolt", "goroutine", ".go:")
}

func TestFragmentForHtmxAndFullPageOtherwise(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	full := c.get("/admin")
	mustContain(t, full, "<!DOCTYPE html>", `<main id="main"`)
	if !strings.Contains(full.header.Get("Vary"), "HX-Request") {
		t.Fatalf("Vary = %q", full.header.Get("Vary"))
	}
	frag := c.do("GET", "/admin", nil, map[string]string{"HX-Request": "true"})
	mustNotContain(t, frag, "<!DOCTYPE", "<body", `<main id="main"`)
	mustContain(t, frag, "<title>Administracja · MOPS Tarnowskie Góry</title>", `hx-swap-oob="true"`, `aria-current="page"`)
	restore := c.do("GET", "/admin", nil, map[string]string{"HX-Request": "true", "HX-History-Restore-Request": "true"})
	mustContain(t, restore, "<!DOCTYPE html>")
}

func TestLanguageIsChosenAndRemembered(t *testing.T) {
	ta := newTestApp(t)
	anon := ta.client(t)
	mustContain(t, anon.get("/login?lang=en"), `<html lang="en">`, "Sign in", `action="/login"`)
	mustContain(t, anon.get("/login"), `<html lang="en">`, "Sign in")
	if r := anon.post("/lang", url.Values{"lang": {"pl"}}); r.status != fiber.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Fatalf("anonymous POST /lang: %d", r.status)
	}
	c := ta.loggedIn(t, "koordynator")
	c.post("/lang", url.Values{"lang": {"en"}, "next": {"//evil.example"}})
	u, _ := ta.st.UserByLogin("koordynator")
	if u.Lang != "en" {
		t.Fatalf("language not stored on the account: %q", u.Lang)
	}
	// On another computer (no cookie) the account's language applies.
	other := ta.loggedIn(t, "koordynator")
	mustContain(t, other.get("/"), "Good day, Katarzyna")
	c.post("/lang", url.Values{"lang": {"xx"}})
	mustContain(t, c.get("/"), "Dzień dobry")
}

func TestSecurityHeaders(t *testing.T) {
	ta := newTestApp(t)
	for _, path := range []string{"/login", "/static/css/app.css", "/healthz", "/missing"} {
		r := ta.client(t).get(path)
		csp := r.header.Get("Content-Security-Policy")
		if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("%s: CSP %q", path, csp)
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: headers %v", path, r.header)
		}
	}
}

func TestTemplatesHaveNoInlineScriptOrStyle(t *testing.T) {
	ta := newTestApp(t)
	for _, path := range []string{"/", "/account", "/admin", "/admin/users", "/admin/users/new", "/admin/audit",
		"/org", "/org/units/1", "/org/units/1/edit", "/staff", "/staff/1", "/staff/1/edit", "/staff/phones", "/locations",
		"/locations/1/edit", "/announcements", "/staff/import"} {
		r := ta.loggedIn(t, "admin").get(path)
		if r.status != fiber.StatusOK {
			t.Fatalf("%s: %d", path, r.status)
		}
		// ZgotmplZ is what html/template writes for a URL it refused.
		for _, bad := range []string{"<script>", "style=", "<style", "onclick", "hx-on", "ZgotmplZ"} {
			if strings.Contains(r.body, bad) {
				t.Errorf("%s contains %q, which the CSP blocks", path, bad)
			}
		}
	}
}

func TestHealthAndStatic(t *testing.T) {
	ta := newTestApp(t)
	c := ta.client(t)
	r := c.get("/healthz")
	if r.status != fiber.StatusOK || !strings.Contains(r.body, `"status":"ok"`) {
		t.Fatalf("healthz: %d %s", r.status, r.body)
	}
	r = c.get("/static/vendor/htmx.min.js")
	if r.status != fiber.StatusOK || !strings.Contains(r.header.Get("Content-Type"), "javascript") || !strings.Contains(r.body, "htmx") {
		t.Fatalf("htmx: %d %q", r.status, r.header.Get("Content-Type"))
	}
	if _, ok := c.cookies[sessionCookie]; ok {
		t.Fatal("static files and health checks must not create sessions")
	}
}

func TestBackupDownloadIsAConsistentDatabase(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	admin.get("/admin")
	r := admin.post("/admin/backup", nil)
	if r.status != fiber.StatusOK || !strings.Contains(r.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("backup: %d %v", r.status, r.header)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, []byte(r.body), 0o600); err != nil {
		t.Fatal(err)
	}
	copy, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer copy.Close()
	if copy.UserCount() != 7 {
		t.Fatalf("backup holds %d accounts", copy.UserCount())
	}
	page, _ := ta.st.Audit(store.AuditFilter{Action: store.ActionBackup})
	if len(page.Entries) != 1 || page.Entries[0].Actor != "admin" {
		t.Fatalf("backup not audited: %+v", page.Entries)
	}
}

func TestOversizedBodyIsRefused(t *testing.T) {
	ta := newTestApp(t)
	base := ta.serve(t)
	// The server answers from the headers alone, before any of the body.
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /login HTTP/1.1\r\nHost: intranet\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", bodyLimit+1)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != fiber.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: %d", resp.StatusCode)
	}
}

func TestUserListPaginates(t *testing.T) {
	ta := newTestApp(t)
	for i := 0; i < 30; i++ {
		u := store.User{Login: fmt.Sprintf("osoba%02d", i), Name: fmt.Sprintf("Osoba %02d", i), Roles: []store.Role{store.RoleStaff}, Active: true}
		if err := ta.st.CreateUser(store.System, &u); err != nil {
			t.Fatal(err)
		}
	}
	c := ta.loggedIn(t, "admin")
	p1 := c.get("/admin/users?q=osoba")
	mustContain(t, p1, "30 kont", "Strona 1 z 2", "osoba00", `href="/admin/users?page=2&amp;q=osoba"`)
	mustNotContain(t, p1, "osoba29")
	p2 := c.get("/admin/users?q=osoba&page=2")
	mustContain(t, p2, "osoba29", "Strona 2 z 2")
	if r := c.get("/admin/users?page=999"); r.status != fiber.StatusOK {
		t.Fatalf("page past the end: %d", r.status)
	}
}

func FuzzAuditQuery(f *testing.F) {
	for _, q := range []string{"entity=user&action=create", "from=01.09.2017&to=2018-01-01", "before=18446744073709551615",
		"from=31.02.2019", "actor=%C5%BC", "before=-1", "entity=%00"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		flt, errs := parseAuditQuery(q)
		if flt.Entity != "" && !contains(auditEntities, flt.Entity) {
			t.Fatalf("entity %q let through", flt.Entity)
		}
		if flt.Action != "" && !contains(auditActions, flt.Action) {
			t.Fatalf("action %q let through", flt.Action)
		}
		if len(flt.Actor) > 64 {
			t.Fatalf("actor of %d bytes", len(flt.Actor))
		}
		if q.Get("from") != "" && flt.From.IsZero() && errs["from"] == "" {
			t.Fatal("a bad date was neither used nor reported")
		}
	})
}

func TestReviewedEdgeCases(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	// A form answered in place keeps the page's URL in the history.
	r := c.do("POST", "/admin/users", url.Values{"_csrf": {c.csrf}, "login": {"x"}}, map[string]string{"HX-Request": "true"})
	if r.status != fiber.StatusUnprocessableEntity || r.header.Get("HX-Push-Url") != "false" {
		t.Fatalf("htmx form error: %d, HX-Push-Url %q", r.status, r.header.Get("HX-Push-Url"))
	}
	// Error pages carry a working token for the sign-out and language forms.
	nf := c.get("/nowhere")
	if !strings.Contains(nf.body, `name="_csrf" value="`+c.csrf+`"`) {
		t.Fatal("the 404 page has no usable CSRF token")
	}
	// The language form returns to the page it was sent from.
	r = c.do("POST", "/lang", url.Values{"_csrf": {c.csrf}, "lang": {"en"}}, map[string]string{"Referer": "http://example.com/admin/audit?action=login"})
	if r.header.Get("Location") != "/admin/audit?action=login" {
		t.Fatalf("language change went to %q", r.header.Get("Location"))
	}
	// Anonymous 404s do not create sessions.
	anon := ta.client(t)
	before := ta.st.SessionCount()
	anon.get("/nowhere")
	anon.get("/nowhere-else")
	if ta.st.SessionCount() != before {
		t.Fatal("anonymous error pages created sessions")
	}
	// Ending one's own sessions signs out here too, and is audited with the actor.
	me, _ := ta.st.UserByLogin("admin")
	r = c.post("/admin/users/"+fmt.Sprint(me.ID)+"/sessions", nil)
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("ending own sessions: %d %q", r.status, r.header.Get("Location"))
	}
	page, _ := ta.st.Audit(store.AuditFilter{Action: store.ActionSessionsEnded})
	if len(page.Entries) != 1 || page.Entries[0].Actor != "admin" {
		t.Fatalf("audit of ending sessions: %+v", page.Entries)
	}
	if r := c.get("/"); r.status != fiber.StatusSeeOther {
		t.Fatal("still signed in after ending own sessions")
	}
}

func TestCentreDetails(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	mustContain(t, c.get("/admin/centre"), `value="MOPS Tarnowskie Góry"`)
	r := c.post("/admin/centre", url.Values{"version": {"1"}, "name": {""}, "short": {"X"}, "email": {"nie-mail"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad centre: %d", r.status)
	}
	mustContain(t, r, "To pole jest wymagane.", "Podaj poprawny adres e-mail.")
	r = c.post("/admin/centre", url.Values{"version": {"1"}, "name": {"Miejski Ośrodek Pomocy Społecznej w Zgorzelcu"}, "short": {"MOPS Zgorzelec"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("save centre: %d", r.status)
	}
	mustContain(t, c.get("/"), "MOPS Zgorzelec")
	if r := c.post("/admin/centre", url.Values{"version": {"1"}, "name": {"Stale"}, "short": {"Stale"}}); r.status != fiber.StatusConflict {
		t.Fatalf("stale centre form: %d", r.status)
	}
}
