package handlers

import (
	"io"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

func TestAnonymousIsSentToLogin(t *testing.T) {
	ta := newTestApp(t)
	c := ta.client(t)
	r := c.get("/admin/users?q=x")
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Fadmin%2Fusers%3Fq%3Dx" {
		t.Fatalf("anonymous GET: %d %q", r.status, r.header.Get("Location"))
	}
	r = c.do("GET", "/", nil, map[string]string{"HX-Request": "true"})
	if r.status != fiber.StatusUnauthorized || !strings.HasPrefix(r.header.Get("HX-Redirect"), "/login") {
		t.Fatalf("anonymous htmx GET: %d %q", r.status, r.header.Get("HX-Redirect"))
	}
}

func TestLoginAndLogout(t *testing.T) {
	ta := newTestApp(t)
	c := ta.client(t)
	page := c.get("/login?next=/admin")
	mustContain(t, page, `name="login"`, `name="password"`, `name="_csrf"`, "Logowanie")
	before := c.cookies[sessionCookie]
	r := c.post("/login", url.Values{"login": {" Admin "}, "password": {"demo"}, "next": {"/admin"}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/admin" {
		t.Fatalf("login: %d %q", r.status, r.header.Get("Location"))
	}
	after := c.cookies[sessionCookie]
	if after == "" || after == before {
		t.Fatalf("session ID not renewed on login: before %q after %q", before, after)
	}
	if sc := r.header.Values("Set-Cookie"); !strings.Contains(strings.Join(sc, ";"), "HttpOnly") ||
		!strings.Contains(strings.ToLower(strings.Join(sc, ";")), "samesite=lax") {
		t.Fatalf("session cookie flags: %v", sc)
	}
	home := c.get("/")
	mustContain(t, home, "Dzień dobry, Anna Administracyjna", `href="/admin"`)
	r = c.post("/logout", nil)
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/login?ok=logged_out" {
		t.Fatalf("logout: %d %q", r.status, r.header.Get("Location"))
	}
	if r := c.get("/"); r.status != fiber.StatusSeeOther {
		t.Fatalf("after logout GET / = %d", r.status)
	}
	// The old session ID is dead on the server too, not only in the browser.
	c.cookies[sessionCookie] = after
	if r := c.get("/"); r.status != fiber.StatusSeeOther {
		t.Fatalf("old session still valid after logout: %d", r.status)
	}
}

func TestOpenRedirectIsRefused(t *testing.T) {
	for _, next := range []string{"//evil.example", "https://evil.example", "/\\evil.example", "evil", "/\t/evil.example", "/\x7f", ""} {
		if got := safeNext(next); got != "/" {
			t.Errorf("safeNext(%q) = %q", next, got)
		}
	}
	if got := safeNext("/admin/users?q=a"); got != "/admin/users?q=a" {
		t.Errorf("safeNext kept = %q", got)
	}
}

func TestWrongPasswordAndUnknownLogin(t *testing.T) {
	ta := newTestApp(t)
	for _, login := range []string{"admin", "nobody"} {
		c := ta.client(t)
		c.get("/login")
		r := c.post("/login", url.Values{"login": {login}, "password": {"wrong-password"}})
		if r.status != fiber.StatusUnauthorized {
			t.Fatalf("%s: status %d", login, r.status)
		}
		mustContain(t, r, "Nieprawidłowy login lub hasło.", `value="`+login+`"`)
		if r := c.get("/"); r.status != fiber.StatusSeeOther {
			t.Fatalf("%s: signed in after a wrong password", login)
		}
	}
	page, _ := ta.st.Audit(store.AuditFilter{Action: store.ActionLoginFailed})
	if len(page.Entries) != 2 || page.Entries[0].Actor != "nobody" || page.Entries[1].Actor != "admin" {
		t.Fatalf("failed logins audited: %+v", page.Entries)
	}
}

func TestDeactivatedAccountCannotSignIn(t *testing.T) {
	ta := newTestApp(t)
	u, _ := ta.st.UserByLogin("trener")
	if _, err := ta.st.UpdateUser(store.System, u.ID, 0, store.ActionUpdate, func(x *store.User) error { x.Active = false; return nil }); err != nil {
		t.Fatal(err)
	}
	c := ta.client(t)
	c.get("/login")
	if r := c.post("/login", url.Values{"login": {"trener"}, "password": {"demo"}}); r.status != fiber.StatusUnauthorized {
		t.Fatalf("inactive account login: %d", r.status)
	}
}

func TestLoginThrottling(t *testing.T) {
	ta := newTestApp(t)
	c := ta.client(t)
	c.get("/login")
	for i := 0; i < 5; i++ {
		if r := c.post("/login", url.Values{"login": {"koordynator"}, "password": {"nope"}}); r.status != fiber.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, r.status)
		}
	}
	// Now even the right password is refused for this login, without a hash.
	r := c.post("/login", url.Values{"login": {"koordynator"}, "password": {"demo"}})
	if r.status != fiber.StatusTooManyRequests || r.header.Get("Retry-After") == "" {
		t.Fatalf("throttled login: %d, Retry-After %q", r.status, r.header.Get("Retry-After"))
	}
	mustContain(t, r, "Zbyt wiele nieudanych prób")
	// Another login from the same address is not blocked yet.
	other := ta.client(t)
	other.login("monitoring", "demo")
	page, _ := ta.st.Audit(store.AuditFilter{Action: store.ActionLoginThrottled})
	if len(page.Entries) != 1 {
		t.Fatalf("throttled attempts audited: %d", len(page.Entries))
	}
}

func TestClientIPBehindProxy(t *testing.T) {
	// The test connection comes from 0.0.0.0, which plays the proxy; the
	// proxy chain ends in 10.0.0.0/8.
	proxies := []string{"0.0.0.0/32", "10.0.0.0/8"}
	srv := &Server{cfg: Config{TrustedProxies: proxies}}
	app := fiber.New(fiber.Config{EnableTrustedProxyCheck: true, TrustedProxies: proxies})
	app.Get("/", func(c *fiber.Ctx) error { return c.SendString(srv.clientIP(c)) })
	req := httptest.NewRequest("GET", "/", nil)
	req.Header.Set("X-Forwarded-For", "6.6.6.6, 10.1.2.3")
	resp, _ := app.Test(req)
	body, _ := io.ReadAll(resp.Body)
	if string(body) != "6.6.6.6" {
		t.Fatalf("client behind one trusted hop: %q", body)
	}
	req.Header.Set("X-Forwarded-For", "1.1.1.1, 6.6.6.6, 10.1.2.3")
	resp, _ = app.Test(req)
	body, _ = io.ReadAll(resp.Body)
	if string(body) != "6.6.6.6" {
		t.Fatalf("a spoofed left-most address was believed: %q", body)
	}
}

func TestCSRF(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "pracownik")
	form := url.Values{"current": {"demo"}, "password": {"a-new-password"}, "confirm": {"a-new-password"}}

	r := c.do("POST", "/account/password", form, nil)
	if r.status != fiber.StatusForbidden {
		t.Fatalf("no token: %d", r.status)
	}
	mustContain(t, r, "Formularz wygasł")
	bad := url.Values{"_csrf": {"forged"}}
	for k, v := range form {
		bad[k] = v
	}
	if r := c.do("POST", "/account/password", bad, nil); r.status != fiber.StatusForbidden {
		t.Fatalf("forged token: %d", r.status)
	}
	if r := c.do("POST", "/account/password", form, map[string]string{"X-CSRF-Token": c.csrf, "Origin": "http://evil.example"}); r.status != fiber.StatusForbidden {
		t.Fatalf("foreign origin: %d", r.status)
	}
	// The htmx way: the token in a header.
	r = c.do("POST", "/account/password", form, map[string]string{"X-CSRF-Token": c.csrf, "HX-Request": "true"})
	// The session and its token changed, so htmx reloads the whole page.
	if r.status != fiber.StatusNoContent || r.header.Get("HX-Redirect") != "/account?ok=password_changed" {
		t.Fatalf("htmx post with header token: %d %q", r.status, r.header.Get("HX-Redirect"))
	}
	// Anonymous forms (sign-in) need the token too.
	anon := ta.client(t)
	if r := anon.do("POST", "/login", url.Values{"login": {"admin"}, "password": {"demo"}}, nil); r.status != fiber.StatusForbidden {
		t.Fatalf("login without token: %d", r.status)
	}
}

func TestSessionIdleAndAbsoluteExpiry(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "trener")
	ta.clk.Add(2*time.Hour + time.Minute) // idle longer than the idle limit
	if r := c.get("/"); r.status != fiber.StatusSeeOther {
		t.Fatalf("idle session still valid: %d", r.status)
	}

	c = ta.loggedIn(t, "trener")
	for i := 0; i < 23; i++ { // active every 30 minutes for 11.5 hours
		ta.clk.Add(30 * time.Minute)
		if r := c.get("/"); r.status != fiber.StatusOK {
			t.Fatalf("active session ended after %d half-hours: %d", i+1, r.status)
		}
	}
	ta.clk.Add(31 * time.Minute) // 12 h 1 min after sign-in
	r := c.get("/account")
	if r.status != fiber.StatusSeeOther || !strings.Contains(r.header.Get("Location"), "ok=expired") {
		t.Fatalf("session past its absolute lifetime: %d %q", r.status, r.header.Get("Location"))
	}
}

func TestDeactivationEndsActiveSession(t *testing.T) {
	ta := newTestApp(t)
	worker := ta.loggedIn(t, "pracownik")
	admin := ta.loggedIn(t, "admin")
	u, _ := ta.st.UserByLogin("pracownik")
	form := admin.get("/admin/users/" + itoa(int(u.ID)))
	mustContain(t, form, `name="version" value="1"`)
	r := admin.post("/admin/users/"+itoa(int(u.ID)), url.Values{"version": {"1"}, "name": {u.Name}, "roles": {"staff"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("deactivate: %d\n%s", r.status, r.body)
	}
	if r := worker.get("/"); r.status != fiber.StatusSeeOther {
		t.Fatalf("deactivated user still signed in: %d", r.status)
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	ta := newTestApp(t)
	laptop := ta.loggedIn(t, "monitoring")
	desktop := ta.loggedIn(t, "monitoring")
	r := laptop.post("/account/password", url.Values{"current": {"demo"}, "password": {"short"}, "confirm": {"short"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("short password: %d", r.status)
	}
	mustContain(t, r, "co najmniej 8 znaków", `aria-invalid="true"`)
	r = laptop.post("/account/password", url.Values{"current": {"wrong"}, "password": {"long-enough-1"}, "confirm": {"long-enough-2"}})
	mustContain(t, r, "Obecne hasło jest nieprawidłowe.", "Hasła nie są takie same.")
	r = laptop.post("/account/password", url.Values{"current": {"demo"}, "password": {"long-enough-1"}, "confirm": {"long-enough-1"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("change password: %d", r.status)
	}
	if r := laptop.get("/account?ok=password_changed"); r.status != fiber.StatusOK {
		t.Fatalf("this session ended too: %d", r.status)
	} else {
		mustContain(t, r, "Hasło zostało zmienione.")
	}
	if r := desktop.get("/"); r.status != fiber.StatusSeeOther {
		t.Fatalf("other session survived a password change: %d", r.status)
	}
	fresh := ta.client(t)
	fresh.login("monitoring", "long-enough-1")
}
