package handlers

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

func TestThrottleDelayDoublesUpToTheCap(t *testing.T) {
	guesser := newThrottle(5, 15*time.Minute)
	for n, want := range map[int]time.Duration{
		0: 0, 4: 0,
		5: 15 * time.Second, 6: 30 * time.Second, 7: time.Minute, 10: 8 * time.Minute,
		11: 15 * time.Minute, 12: 15 * time.Minute, 1000: 15 * time.Minute, // 16 min capped; no overflow
	} {
		if got := guesser.delay(n); got != want {
			t.Errorf("address+login delay after %d failures = %v, want %v", n, got, want)
		}
	}
	anywhere := newThrottle(10, 15*time.Minute).waits(time.Second, time.Minute)
	for n, want := range map[int]time.Duration{
		9: 0, 10: time.Second, 11: 2 * time.Second, 15: 32 * time.Second, 16: time.Minute, 1 << 30: time.Minute,
	} {
		if got := anywhere.delay(n); got != want {
			t.Errorf("per-login delay after %d failures = %v, want %v", n, got, want)
		}
	}
}

func TestThrottleWaitIsCountedFromTheLatestFailure(t *testing.T) {
	th := newThrottle(2, 15*time.Minute)
	now := time.Date(2018, 1, 1, 8, 0, 0, 0, time.UTC)
	take := func(at time.Time) (bool, time.Duration, bool) {
		ok, wait, first, _ := th.take("k", at)
		return ok, wait, first
	}
	take(now)
	take(now.Add(10 * time.Second))
	if ok, wait, first := take(now.Add(20 * time.Second)); ok || wait != 5*time.Second || !first {
		t.Fatalf("third attempt: ok=%v wait=%v first=%v", ok, wait, first)
	}
	if _, _, first := take(now.Add(21 * time.Second)); first {
		t.Fatal("a second refusal in the same spell is reported as the first")
	}
	if ok, _, _ := take(now.Add(25 * time.Second)); !ok {
		t.Fatal("still refused when the wait is over")
	}
	// Refusals do not count: the wait is 30 s from the third failure however
	// often the key knocks meanwhile.
	for s := 26; s < 55; s++ {
		take(now.Add(time.Duration(s) * time.Second))
	}
	if ok, _, _ := take(now.Add(55 * time.Second)); !ok {
		t.Fatal("refused attempts lengthened the wait")
	}
	// A quiet window forgets every failure.
	later := now.Add(55*time.Second + 15*time.Minute)
	for i := 0; i < 2; i++ {
		if ok, _, _ := take(later); !ok {
			t.Fatalf("attempt %d after a quiet window refused", i+1)
		}
	}
}

func TestThrottleWaitNeverExceedsTheDelay(t *testing.T) {
	th := newThrottle(1, 15*time.Minute)
	now := time.Date(2018, 1, 1, 8, 0, 0, 0, time.UTC)
	th.take("k", now.Add(time.Hour)) // a clock ahead of this one
	if ok, wait, _, _ := th.take("k", now); ok || wait != 15*time.Second {
		t.Fatalf("attempt behind the latest failure: ok=%v wait=%v", ok, wait)
	}
	two := newThrottle(2, 15*time.Minute)
	two.take("k", now.Add(time.Hour))
	if ok, _, _, _ := two.take("k", now); !ok {
		t.Fatal("a free attempt behind the latest failure was refused")
	}
}

func TestThrottleRefundRestoresTheLatestFailure(t *testing.T) {
	th := newThrottle(1, 15*time.Minute)
	t0 := time.Date(2018, 1, 1, 8, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Minute)
	_, _, _, prev0 := th.take("k", t0)
	ok, _, _, prev1 := th.take("k", t1)
	if !ok || !prev1.Equal(t0) {
		t.Fatalf("second attempt after the wait: ok=%v prev=%v", ok, prev1)
	}
	th.refund("k", t1, prev1)
	if f := th.keys["k"]; f.n != 1 || !f.last.Equal(t0) {
		t.Fatalf("after a refund: %d failures, latest %v", f.n, f.last)
	}
	th.refund("k", t0, prev0)
	if len(th.keys) != 0 {
		t.Fatal("a key with no failures left is kept")
	}
}

func TestGateIsAllOrNothing(t *testing.T) {
	a, b := newThrottle(5, time.Minute), newThrottle(1, time.Minute)
	b.waits(20*time.Second, time.Minute)
	g := gate{limits: []*throttle{a, b}, keys: []string{"ip", "login"}}
	now := time.Now()
	if ok, _, _ := g.take(now); !ok {
		t.Fatal("first attempt refused")
	}
	g2 := gate{limits: []*throttle{a, b}, keys: []string{"ip", "login"}}
	if ok, wait, first := g2.take(now); ok || wait != 20*time.Second || !first {
		t.Fatalf("second attempt: ok=%v wait=%v first=%v", ok, wait, first)
	}
	if n := a.keys["ip"].n; n != 1 {
		t.Fatalf("the refused attempt was counted by the first throttle: %d", n)
	}
	g2.refund() // nothing is held: a no-op
	if n := a.keys["ip"].n; n != 1 {
		t.Fatalf("refunding a refused attempt took back another: %d", n)
	}
	g.refund()
	if len(a.keys)+len(b.keys) != 0 {
		t.Fatal("a refunded attempt still counts")
	}
	if rest := g.except(b); len(rest.limits) != 1 || rest.limits[0] != a || rest.keys[0] != "ip" {
		t.Fatalf("gate without b: %+v", rest)
	}
}

func TestThrottleMemoryIsBounded(t *testing.T) {
	th := newThrottle(5, 15*time.Minute)
	now := time.Now()
	for i := 0; i < 5; i++ {
		th.take("admin", now)
	}
	for i := 0; i <= maxKeys; i++ {
		th.take(strconv.Itoa(i), now)
		if len(th.keys) > maxKeys {
			t.Fatalf("%d keys kept", len(th.keys))
		}
	}
	// Keys that make someone wait outlive a flood of one-off keys.
	if ok, _, _, _ := th.take("admin", now); ok {
		t.Fatal("the flood made room by forgetting a throttled key")
	}
}

// proxiedApp is the test application behind a trusted proxy, so that each
// client's X-Forwarded-For is its address.
func proxiedApp(t *testing.T) *testApp {
	t.Helper()
	ta := newTestApp(t)
	app, err := New(ta.st, Config{Version: "test", Hasher: store.NewHasher(testParams, 32<<20), Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		TrustedProxies: []string{"0.0.0.0/32"}, AnonymousPerMinute: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return &testApp{app: app, st: ta.st, clk: ta.clk, dir: ta.dir}
}

// signIn posts the sign-in form from c's address.
func (c *client) signIn(login, password string) response {
	c.t.Helper()
	if c.csrf == "" {
		c.do("GET", "/login", nil, map[string]string{"X-Forwarded-For": c.ip})
	}
	form := url.Values{"login": {login}, "password": {password}, "_csrf": {c.csrf}}
	return c.do("POST", "/login", form, map[string]string{"X-Forwarded-For": c.ip})
}

func retryAfter(t *testing.T, r response) time.Duration {
	t.Helper()
	s, err := strconv.Atoi(r.header.Get(fiber.HeaderRetryAfter))
	if r.status != fiber.StatusTooManyRequests || err != nil || s <= 0 {
		t.Fatalf("want 429 with a Retry-After, got %d %q", r.status, r.header.Get(fiber.HeaderRetryAfter))
	}
	return time.Duration(s) * time.Second
}

func TestDistributedGuessingDoesNotLockOutTheOwner(t *testing.T) {
	ta := proxiedApp(t)
	owner := ta.client(t)
	owner.ip = "192.0.2.10"
	r := owner.signIn("admin", store.DemoPassword)
	if r.status != fiber.StatusSeeOther || owner.cookies[deviceCookie] == "" {
		t.Fatalf("owner's first sign-in: %d, device cookie %q", r.status, owner.cookies[deviceCookie])
	}
	for _, sc := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(sc, deviceCookie+"=") && !(strings.Contains(sc, "HttpOnly") &&
			strings.Contains(strings.ToLower(sc), "samesite=lax") && strings.Contains(sc, "max-age=31536000")) {
			t.Fatalf("device cookie flags: %s", sc)
		}
	}
	owner.get("/")
	owner.post("/logout", nil)

	// Ten addresses take turns guessing admin's password, each within its
	// own free failures, waiting whenever told to: only the per-login
	// throttle slows them, and never by more than a minute.
	attackers := make([]*client, 10)
	for i := range attackers {
		attackers[i] = ta.client(t)
		attackers[i].ip = "198.51.100." + strconv.Itoa(i+1)
	}
	failures, refusals := 0, 0
	for failures < 40 {
		r := attackers[failures%len(attackers)].signIn("admin", "guess-"+strconv.Itoa(failures))
		switch r.status {
		case fiber.StatusUnauthorized:
			failures++
		case fiber.StatusTooManyRequests:
			wait := retryAfter(t, r)
			if wait > time.Minute {
				t.Fatalf("after %d failures the guessers wait %v", failures, wait)
			}
			refusals++
			ta.clk.Add(wait)
		default:
			t.Fatalf("guess %d: %d", failures, r.status)
		}
	}
	// Each address's first guess is let through (it has no failures of its
	// own yet); every later one waits its turn at the per-login limit.
	if refusals < 20 {
		t.Fatalf("only %d guesses were slowed down", refusals)
	}

	// The owner's browser, known by its device cookie, is not slowed down.
	owner.csrf = ""
	if r := owner.signIn("admin", store.DemoPassword); r.status != fiber.StatusSeeOther {
		t.Fatalf("owner with the device cookie: %d, Retry-After %q", r.status, r.header.Get(fiber.HeaderRetryAfter))
	}
	// Another browser, on an address that has not failed for admin, gets
	// in at once however hot the per-login limit is.
	elsewhere := ta.client(t)
	elsewhere.ip = "192.0.2.20"
	if r := elsewhere.signIn("admin", store.DemoPassword); r.status != fiber.StatusSeeOther {
		t.Fatalf("the owner on another browser: %d, Retry-After %q", r.status, r.header.Get(fiber.HeaderRetryAfter))
	}
	// After a typo there, the next try waits at most a minute.
	typo := ta.client(t)
	typo.ip = "192.0.2.30"
	r = typo.signIn("admin", "typo")
	if r.status != fiber.StatusUnauthorized {
		t.Fatalf("typo: %d", r.status)
	}
	r = typo.signIn("admin", store.DemoPassword)
	if r.status == fiber.StatusTooManyRequests {
		wait := retryAfter(t, r)
		if wait > time.Minute {
			t.Fatalf("after a typo the owner waits %v", wait)
		}
		ta.clk.Add(wait)
		r = typo.signIn("admin", store.DemoPassword)
	}
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("after the typo: %d", r.status)
	}
}

// Guessers on a few addresses that keep polling a login cannot keep its
// owner out: a poll refused by the per-login limit counts against the
// poller's own address, and an address without failures is let through.
func TestPollingGuessersCannotKeepTheOwnerOut(t *testing.T) {
	ta := proxiedApp(t)
	attackers := make([]*client, 10)
	for i := range attackers {
		attackers[i] = ta.client(t)
		attackers[i].ip = "198.51.100." + strconv.Itoa(i+1)
	}
	refused := 0
	for minute := 0; minute < 120; minute++ {
		ta.clk.Add(time.Minute)
		for _, a := range attackers { // every address polls every minute
			a.signIn("admin", "guess")
		}
		// The owner tries right after the guessers, while their wait holds.
		owner := ta.client(t)
		owner.ip = "203.0.113.7"
		if r := owner.signIn("admin", store.DemoPassword); r.status != fiber.StatusSeeOther {
			refused++
		}
	}
	if refused > 0 {
		t.Fatalf("the owner was refused %d times in two hours", refused)
	}
}

func TestDeviceCookieIsForItsOwnLogin(t *testing.T) {
	app := fiber.New()
	srv := &Server{deviceKey: []byte("a key of thirty-two bytes, test.")}
	app.Get("/login", func(c *fiber.Ctx) error {
		if c.Query("set") != "" {
			srv.rememberDevice(c, c.Query("set"))
			return nil
		}
		return c.SendString(strconv.FormatBool(srv.knownDevice(c, c.Query("login"))))
	})
	resp, err := app.Test(httptest.NewRequest("GET", "/login?set=admin", nil))
	if err != nil || len(resp.Cookies()) != 1 {
		t.Fatalf("set: %v", err)
	}
	cookie := resp.Cookies()[0].Value
	nonce, mac, _ := strings.Cut(cookie, ".")
	for _, tc := range []struct {
		value, login string
		known        bool
	}{
		{cookie, "admin", true},
		{cookie, "koordynator", false},
		{nonce + "x." + mac, "admin", false},
		{"", "admin", false},
		// The signature of a login "admin|x" must not pass for "admin"
		// with the nonce "x|...".
		{"x|" + nonce + "." + srv.deviceMAC("admin|x", nonce), "admin", false},
	} {
		req := httptest.NewRequest("GET", "/login?login="+tc.login, nil)
		req.AddCookie(&http.Cookie{Name: deviceCookie, Value: tc.value})
		resp, err := app.Test(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		if string(body) != strconv.FormatBool(tc.known) {
			t.Errorf("cookie %q for %q: known = %s", tc.value, tc.login, body)
		}
	}
}

func TestRepeatedGuessesFromOneAddressWaitLonger(t *testing.T) {
	ta := newTestApp(t)
	c := ta.client(t)
	for i := 0; i < 5; i++ {
		if r := c.signIn("koordynator", "nope"); r.status != fiber.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, r.status)
		}
	}
	r := c.signIn("koordynator", "nope")
	if wait := retryAfter(t, r); wait != 15*time.Second {
		t.Fatalf("sixth attempt waits %v", wait)
	}
	mustContain(t, r, "Zbyt wiele nieudanych prób")
	ta.clk.Add(15 * time.Second)
	if r := c.signIn("koordynator", "nope"); r.status != fiber.StatusUnauthorized {
		t.Fatalf("sixth attempt after the wait: %d", r.status)
	}
	if wait := retryAfter(t, c.signIn("koordynator", "nope")); wait != 30*time.Second {
		t.Fatalf("seventh attempt waits %v", wait)
	}
	ta.clk.Add(30 * time.Second)
	if r := c.signIn("koordynator", store.DemoPassword); r.status != fiber.StatusSeeOther {
		t.Fatalf("right password after the wait: %d", r.status)
	}
	page, _ := ta.st.Audit(store.AuditFilter{Action: store.ActionLoginThrottled})
	if len(page.Entries) != 2 { // one per blocked spell
		t.Fatalf("throttled attempts audited: %d", len(page.Entries))
	}
}

func TestUncheckedPasswordsDoNotCount(t *testing.T) {
	ta := newTestApp(t)
	u, _ := ta.st.UserByLogin("trener")
	setHash := func(h string) {
		t.Helper()
		if _, err := ta.st.UpdateUser(store.System, u.ID, 0, store.ActionUpdate, func(x *store.User) error { x.PasswordHash = h; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	// A damaged hash cannot be checked, like a busy hasher: the server
	// answers with an error, and the attempt is not a failure.
	good := u.PasswordHash
	setHash("$argon2id$v=19$m=8192,t=1,p=1$@@@@$@@@@")
	c := ta.client(t)
	for i := 0; i < 8; i++ {
		if r := c.signIn("trener", "whatever"); r.status != fiber.StatusInternalServerError {
			t.Fatalf("attempt %d with an unreadable hash: %d", i+1, r.status)
		}
	}
	setHash(good)
	for i := 0; i < 5; i++ {
		if r := c.signIn("trener", "wrong"); r.status != fiber.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d", i+1, r.status)
		}
	}
	if r := c.signIn("trener", "wrong"); r.status != fiber.StatusTooManyRequests {
		t.Fatalf("sixth wrong password: %d", r.status)
	}
}
