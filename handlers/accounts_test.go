package handlers

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// endEmployment records lastDay as the last day of work of the person
// linked to login, as the directory's editor would.
func endEmployment(t *testing.T, ta *testApp, login string, lastDay time.Time) *store.User {
	t.Helper()
	u, err := ta.st.UserByLogin(login)
	if err != nil {
		t.Fatal(err)
	}
	p, err := ta.st.PersonOfUser(u.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.EmployedTo = lastDay
	if err := ta.st.SavePerson(store.System, p, p.Version); err != nil {
		t.Fatal(err)
	}
	return u
}

// signIn posts the sign-in form once, whatever the answer.
func signIn(c *client, login, password string) response {
	c.t.Helper()
	c.get("/login")
	return c.post("/login", url.Values{"login": {login}, "password": {password}})
}

// setClock moves the test clock to a wall-clock time in Warsaw today.
func (ta *testApp) setClock(hour, minute int) {
	ta.clk.mu.Lock()
	y, m, d := ta.clk.t.In(views.Warsaw).Date()
	ta.clk.t = time.Date(y, m, d, hour, minute, 0, 0, views.Warsaw)
	ta.clk.mu.Unlock()
}

func TestSignInRefusedAfterTheLastDayOfWorkUntilReactivated(t *testing.T) {
	ta := newTestApp(t)
	yesterday := ta.st.Today().AddDate(0, 0, -1)
	u := endEmployment(t, ta, "pracownik", yesterday)
	ended := "Zatrudnienie zakończyło się " + views.Date(yesterday) + " — konto jest nieaktywne."

	// A wrong password learns nothing about the account.
	c := ta.client(t)
	r := signIn(c, "pracownik", "not-the-password")
	if r.status != fiber.StatusUnauthorized {
		t.Fatalf("wrong password: %d", r.status)
	}
	mustContain(t, r, "Nieprawidłowy login lub hasło.")
	mustNotContain(t, r, "Zatrudnienie")
	// The right one is told why, and is not signed in.
	r = signIn(c, "pracownik", store.DemoPassword)
	if r.status != fiber.StatusForbidden {
		t.Fatalf("after the last day of work: %d", r.status)
	}
	mustContain(t, r, ended)
	if r := c.get("/"); r.status != fiber.StatusSeeOther {
		t.Fatalf("signed in after a refusal: %d", r.status)
	}
	if page, _ := ta.st.Audit(store.AuditFilter{Action: store.ActionLoginRefused}); len(page.Entries) != 1 || page.Entries[0].Actor != "pracownik" {
		t.Fatalf("refusal audited: %+v", page.Entries)
	}

	// The account list shows it apart, among the ended ones.
	admin := ta.loggedIn(t, "admin")
	list := admin.get("/admin/users")
	mustNotContain(t, list, "Piotr Pracowity")
	mustContain(t, list, "zakończone lub wyłączone (2)") // with the demo specialist whose contract ended in 2018
	list = admin.get("/admin/users?status=ended")
	mustContain(t, list, "Piotr Pracowity", "zatrudnienie zakończone "+views.Date(yesterday))
	mustContain(t, admin.get("/admin/users?status=all"), "Piotr Pracowity", "Anna Administracyjna")

	// Reactivation takes a reason; the reason is in the audit log.
	path := "/admin/users/" + itoa(int(u.ID))
	form := admin.get(path)
	mustContain(t, form, `action="`+path+`/reactivate"`, `name="reason"`)
	mustNotContain(t, form, `name="active"`, `name="expires"`)
	r = admin.post(path+"/reactivate", url.Values{"version": {itoa(u.Version)}, "reason": {" "}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("no reason: %d", r.status)
	}
	mustContain(t, r, "Powód: to pole jest wymagane")
	r = admin.post(path+"/reactivate", url.Values{"version": {itoa(u.Version)}, "reason": {"Umowa przedłużona do końca projektu"},
		"new_expires": {views.ISODate(yesterday)}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("an expiry in the past: %d", r.status)
	}
	mustContain(t, r, "nie może być wcześniejsza niż dzisiejsza", "Umowa przedłużona do końca projektu")
	r = admin.post(path+"/reactivate", url.Values{"version": {itoa(u.Version)}, "reason": {"Umowa przedłużona do końca projektu"}})
	if r.status != fiber.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "ok=reactivated") {
		t.Fatalf("reactivate: %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	audit := admin.get("/admin/audit?entity=user&action=reactivate")
	mustContain(t, audit, "Umowa przedłużona do końca projektu", "ponowne włączenie konta")
	ta.client(t).login("pracownik", store.DemoPassword)
	// A second, stale reactivation form changes nothing.
	if r := admin.post(path+"/reactivate", url.Values{"version": {itoa(u.Version)}, "reason": {"jeszcze raz"}}); r.status != fiber.StatusConflict {
		t.Fatalf("a stale reactivation: %d", r.status)
	}
}

func TestOpenSessionEndsWhenTheEmploymentEnds(t *testing.T) {
	ta := newTestApp(t)
	worker := ta.loggedIn(t, "pracownik")
	htmx := ta.loggedIn(t, "pracownik")
	yesterday := ta.st.Today().AddDate(0, 0, -1)
	endEmployment(t, ta, "pracownik", yesterday)
	r := worker.get("/staff")
	loc := r.header.Get("Location")
	if r.status != fiber.StatusSeeOther || !strings.HasPrefix(loc, "/login?next=%2Fstaff&ended=employment_ended&on=") {
		t.Fatalf("the session of an ended account: %d %q", r.status, loc)
	}
	page := worker.get(loc)
	mustContain(t, page, "Zatrudnienie zakończyło się "+views.Date(yesterday))
	mustNotContain(t, page, "Ta strona jest dostępna po zalogowaniu")
	if r := worker.get("/"); r.status != fiber.StatusSeeOther {
		t.Fatalf("the session came back: %d", r.status)
	}
	r = htmx.do("GET", "/", nil, map[string]string{"HX-Request": "true"})
	if r.status != fiber.StatusUnauthorized || !strings.Contains(r.header.Get("HX-Redirect"), "ended=employment_ended") {
		t.Fatalf("htmx: %d %q", r.status, r.header.Get("HX-Redirect"))
	}
	// The address alone cannot make the page say anything else.
	mustNotContain(t, ta.client(t).get("/login?ended=<b>&on=x"), "&lt;b&gt;", "Zatrudnienie")
}

// An account of someone from outside: created with an expiry, limited to
// what concerns them, ended (with its open session) the day after its last
// day, and back after a reactivation with a new last day.
func TestExternalAccountExpiresAtMidnight(t *testing.T) {
	ta := newTestApp(t)
	ta.setClock(23, 30)
	today := ta.st.Today()
	admin := ta.loggedIn(t, "admin")
	admin.get("/admin/users/new")
	base := url.Values{"login": {"superwizor.zew"}, "name": {"Ewa Zewnętrzna"}, "password": {"password-123"},
		"external": {"1"}, "organisation": {"Fundacja Superwizji"}}
	with := func(extra url.Values) url.Values {
		v := url.Values{}
		for k, x := range base {
			v[k] = x
		}
		for k, x := range extra {
			v[k] = x
		}
		return v
	}
	r := admin.post("/admin/users", with(url.Values{"roles": {"trainer"}}))
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("external without an expiry: %d", r.status)
	}
	mustContain(t, r, "Konto osoby z zewnątrz musi mieć datę ważności.")
	r = admin.post("/admin/users", with(url.Values{"roles": {"trainer", "staff"}, "expires": {views.ISODate(today)}}))
	mustContain(t, r, "Osoba z zewnątrz może mieć tylko rolę trenera / superwizora.")
	r = admin.post("/admin/users", with(url.Values{"roles": {"trainer"}, "expires": {views.ISODate(today)}}))
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("create: %d\n%s", r.status, r.body)
	}
	ext := ta.client(t)
	ext.login("superwizor.zew", "password-123")
	home := ext.get("/")
	mustContain(t, home, "Dzień dobry, Ewa Zewnętrzna", "trener / superwizor", "Twoje konto jest ważne do "+views.Date(today))
	mustNotContain(t, home, `id="home-news"`, `href="/staff"`, `href="/org"`, `action="/staff"`)
	if r := ext.get("/staff"); r.status != fiber.StatusForbidden {
		t.Fatalf("the directory for someone from outside: %d", r.status)
	}
	if r := ext.get("/account"); r.status != fiber.StatusOK {
		t.Fatalf("own account: %d", r.status)
	}

	// Half past midnight in Warsaw: the next day, and the session ends.
	ta.clk.Add(time.Hour)
	r = ext.get("/account")
	if r.status != fiber.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "ended=expired") {
		t.Fatalf("after the last day: %d %q", r.status, r.header.Get("Location"))
	}
	expired := "Konto wygasło " + views.Date(today) + "."
	mustContain(t, ext.get(r.header.Get("Location")), expired)
	r = signIn(ta.client(t), "superwizor.zew", "password-123")
	if r.status != fiber.StatusForbidden {
		t.Fatalf("sign-in after expiry: %d", r.status)
	}
	mustContain(t, r, expired)

	u, _ := ta.st.UserByLogin("superwizor.zew")
	path := "/admin/users/" + itoa(int(u.ID))
	mustContain(t, admin.get(path), "Konto nie działa: wygasło "+views.Date(today))
	r = admin.post(path+"/reactivate", url.Values{"version": {itoa(u.Version)}, "reason": {"Aneks do umowy"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("an external account without a new last day: %d", r.status)
	}
	mustContain(t, r, "Konto osoby z zewnątrz musi mieć datę ważności.")
	next := ta.st.Today().AddDate(0, 1, 0)
	r = admin.post(path+"/reactivate", url.Values{"version": {itoa(u.Version)}, "reason": {"Aneks do umowy"}, "new_expires": {views.Date(next)}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("reactivate: %d\n%s", r.status, r.body)
	}
	ta.client(t).login("superwizor.zew", "password-123")
	if got, _ := ta.st.User(u.ID); !got.Expires.Equal(next) || !got.Reactivated.Equal(ta.st.Today()) {
		t.Fatalf("after reactivation: %+v", got)
	}
}

func TestAccountHoldsASetOfRoles(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	u, _ := ta.st.UserByLogin("trener")
	path := "/admin/users/" + itoa(int(u.ID))
	form := admin.get(path)
	mustContain(t, form, `<legend data-field="roles">Role`, `type="checkbox" name="roles" value="trainer" checked`, `name="expires"`, `name="external"`)
	if r := ta.loggedIn(t, "trener").get("/staff/new"); r.status != fiber.StatusForbidden {
		t.Fatalf("a trainer adds people: %d", r.status)
	}
	r := admin.post(path, url.Values{"version": {itoa(u.Version)}, "name": {u.Name}, "active": {"1"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("no role: %d", r.status)
	}
	mustContain(t, r, "Zaznacz co najmniej jedną rolę.")
	r = admin.post(path, url.Values{"version": {itoa(u.Version)}, "name": {u.Name}, "active": {"1"}, "roles": {"trainer", "coordinator", "trainer"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("two roles: %d\n%s", r.status, r.body)
	}
	got, _ := ta.st.User(u.ID)
	if len(got.Roles) != 2 || got.Roles[0] != store.RoleCoordinator || got.Roles[1] != store.RoleTrainer {
		t.Fatalf("roles = %v", got.Roles)
	}
	trainer := ta.loggedIn(t, "trener")
	if r := trainer.get("/staff/new"); r.status != fiber.StatusOK {
		t.Fatalf("a trainer who coordinates adds people: %d", r.status)
	}
	mustContain(t, trainer.get("/account"), "koordynator projektu, trener / superwizor")
	// The list finds an account by any role it holds.
	mustContain(t, admin.get("/admin/users?role=trainer"), "Tomasz Trenerski", "Katarzyna Koordynacka")
	mustContain(t, admin.get("/admin/users?role=coordinator"), "Tomasz Trenerski")
	// The audit log names the roles.
	mustContain(t, admin.get("/admin/audit?entity=user&action=update"), "koordynator projektu")
}

var activeAccounts = regexp.MustCompile(`aktywne \((\d+)\)`)

// The account list is kept between requests, yet a change to an account
// shows at once, and so does a new day that ends an account with no write
// at all (the last day of work was yesterday).
func TestAccountListFollowsChangesAndTheDay(t *testing.T) {
	ta := newTestApp(t)
	ta.setClock(23, 30)
	today := ta.st.Today()
	admin := ta.loggedIn(t, "admin")
	count := func(r response) int {
		t.Helper()
		m := activeAccounts.FindStringSubmatch(r.body)
		if m == nil {
			t.Fatalf("no count of active accounts:\n%s", r.body)
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	list := admin.get("/admin/users")
	mustContain(t, list, "Piotr Pracowity", "Tomasz Trenerski")
	active := count(list)
	endEmployment(t, ta, "pracownik", today) // today is his last day: the account works to midnight
	list = admin.get("/admin/users")
	if mustContain(t, list, "Piotr Pracowity"); count(list) != active {
		t.Fatalf("%d active accounts on the last day of work, %d before", count(list), active)
	}

	// An administrator switches an account off: the list says so at once.
	u, _ := ta.st.UserByLogin("trener")
	path := "/admin/users/" + itoa(int(u.ID))
	admin.get(path)
	r := admin.post(path, url.Values{"version": {itoa(u.Version)}, "name": {u.Name}, "roles": {"trainer"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("deactivate: %d\n%s", r.status, r.body)
	}
	list = admin.get("/admin/users")
	if mustNotContain(t, list, "Tomasz Trenerski"); count(list) != active-1 {
		t.Fatalf("%d active accounts after one was switched off, %d before", count(list), active)
	}
	mustContain(t, admin.get("/admin/users?status=ended"), "Tomasz Trenerski", "nieaktywne")

	// Half past midnight: the day after the last day of work.
	ta.clk.Add(time.Hour)
	list = admin.get("/admin/users")
	if mustNotContain(t, list, "Piotr Pracowity"); count(list) != active-2 {
		t.Fatalf("%d active accounts the next day, %d before", count(list), active)
	}
	mustContain(t, admin.get("/admin/users?status=ended&q=PRACOWITY"), "Piotr Pracowity", "zatrudnienie zakończone "+views.Date(today))
	mustContain(t, admin.get("/admin/users?status=all&role=trainer"), "Tomasz Trenerski")
}
