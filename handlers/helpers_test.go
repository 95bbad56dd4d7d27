package handlers

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// clock is the store's settable time in tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// cheap argon2id parameters keep the tests fast; production uses store.PasswordParams.
var testParams = &argon2id.Params{Memory: 8 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

type testApp struct {
	app *fiber.App
	st  *store.Store
	clk *clock
	dir string
}

// newTestApp is the real application on a throw-away database with the demo
// accounts (password "demo").
func newTestApp(t testing.TB) *testApp {
	t.Helper()
	return newTestAppIn(t, t.TempDir())
}

// newTestAppIn is newTestApp with its database in dir, its configuration
// changed by each of with.
func newTestAppIn(t testing.TB, dir string, with ...func(*Config)) *testApp {
	t.Helper()
	clk := &clock{t: time.Now()}
	h := store.NewHasher(testParams, 4*8<<20) // four 8 MiB test hashes at once
	path := filepath.Join(dir, "test.db")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		copyDemo(t, path, h, clk.Now())
	}
	st, err := store.Open(path, store.Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	// A database an earlier app of the same test left in dir is seeded
	// only if it has no accounts (SeedDemo does nothing otherwise).
	if _, err := st.SeedDemo(context.Background(), h); err != nil {
		t.Fatal(err)
	}
	// Tests speak from one address far faster than a person; the limit on
	// anonymous requests has its own test.
	cfg := Config{Version: "test", Hasher: h, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), AnonymousPerMinute: 1 << 20}
	for _, w := range with {
		w(&cfg)
	}
	app, err := New(st, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return &testApp{app: app, st: st, clk: clk, dir: dir}
}

// demoDatabase is a database with the demo seeded, made once a day of the
// run: seeding takes seconds under the race detector, copying it
// milliseconds, and nearly every test starts from the demo.
var demoDatabase struct {
	sync.Mutex
	day, path string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if demoDatabase.path != "" {
		os.RemoveAll(filepath.Dir(demoDatabase.path))
	}
	os.Exit(code)
}

// copyDemo writes to path a copy of the demo's database seeded on now's
// day in Warsaw (the store's day), seeding it first if that day has none.
func copyDemo(t testing.TB, path string, h *store.Hasher, now time.Time) {
	t.Helper()
	demoDatabase.Lock()
	defer demoDatabase.Unlock()
	if day := store.Day(now).Format(time.DateOnly); demoDatabase.day != day {
		made, err := seedDemo(h, now)
		if err != nil {
			t.Fatal(err)
		}
		if demoDatabase.path != "" {
			os.RemoveAll(filepath.Dir(demoDatabase.path))
		}
		demoDatabase.day, demoDatabase.path = day, made
	}
	data, err := os.ReadFile(demoDatabase.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// seedDemo makes a database with the demo seeded at now, in a directory
// of its own; nothing is left behind when it fails.
func seedDemo(h *store.Hasher, now time.Time) (string, error) {
	dir, err := os.MkdirTemp("", "intranet-demo-")
	if err != nil {
		return "", err
	}
	made := filepath.Join(dir, "demo.db")
	st, err := store.Open(made, store.Options{Now: func() time.Time { return now }})
	if err == nil {
		_, err = st.SeedDemo(context.Background(), h)
		if cerr := st.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		os.RemoveAll(dir)
		return "", err
	}
	return made, nil
}

// serve runs the application on a real socket and returns its base URL.
func (ta *testApp) serve(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = ta.app.Listener(ln) }()
	t.Cleanup(func() { _ = ta.app.Shutdown() })
	return "http://" + ln.Addr().String()
}

// client is a browser: it keeps cookies and the page's CSRF token.
type client struct {
	t       testing.TB
	ta      *testApp
	cookies map[string]string
	csrf    string
	ip      string
}

func (ta *testApp) client(t testing.TB) *client {
	return &client{t: t, ta: ta, cookies: map[string]string{}, ip: "192.0.2.1"}
}

type response struct {
	status int
	header http.Header
	body   string
}

var csrfMeta = regexp.MustCompile(`name="csrf-token" content="([^"]*)"`)

func (c *client) do(method, path string, form url.Values, header map[string]string) response {
	c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, path, body)
	req.RemoteAddr = c.ip + ":5000"
	// app.Test connects from 0.0.0.0; an app that trusts it as a proxy
	// sees each client's own address.
	req.Header.Set("X-Forwarded-For", c.ip)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := c.ta.app.Test(req, -1)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || (!ck.Expires.IsZero() && ck.Expires.Before(time.Now())) || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: string(data)}
	if m := csrfMeta.FindStringSubmatch(r.body); m != nil && m[1] != "" {
		c.csrf = m[1]
	}
	return r
}

func (c *client) get(path string) response { c.t.Helper(); return c.do("GET", path, nil, nil) }

// post sends a form with the CSRF token, as a browser would.
func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" {
		form.Set("_csrf", c.csrf)
	}
	return c.do("POST", path, form, nil)
}

// login signs in through the login form and fails the test if it does not work.
func (c *client) login(login, password string) {
	c.t.Helper()
	c.get("/login")
	r := c.post("/login", url.Values{"login": {login}, "password": {password}})
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != "/" {
		c.t.Fatalf("login %s: status %d, location %q", login, r.status, r.header.Get("Location"))
	}
	c.get("/")
}

func (ta *testApp) loggedIn(t testing.TB, login string) *client {
	t.Helper()
	c := ta.client(t)
	c.login(login, store.DemoPassword)
	return c
}

func mustContain(t testing.TB, r response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.body, p) {
			t.Fatalf("response (%d) lacks %q:\n%s", r.status, p, r.body)
		}
	}
}

func mustNotContain(t testing.TB, r response, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if strings.Contains(r.body, p) {
			t.Fatalf("response (%d) contains %q", r.status, p)
		}
	}
}
