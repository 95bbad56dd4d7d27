// Package handlers is the HTTP side of the intranet: it parses requests, calls
// the store and renders views. It is the only package that knows both.
package handlers

import (
	"context"
	"html/template"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/limiter"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/gofiber/template/html/v2"

	"intranet/public"
	"intranet/store"
	"intranet/views"

	"net/http"
)

// Config is how the server is deployed.
type Config struct {
	Version string
	// SecureCookies marks cookies Secure; set it when the intranet is served
	// over TLS (directly or behind a TLS-terminating proxy).
	SecureCookies bool
	// TrustedProxies are the addresses whose X-Forwarded-* headers are
	// believed; empty means no proxy is trusted and headers are ignored.
	TrustedProxies []string
	// SessionIdle ends a session after this much inactivity.
	SessionIdle time.Duration
	// SessionMax ends a session this long after sign-in, whatever happens.
	SessionMax time.Duration
	// AnonymousPerMinute bounds the requests one address makes without
	// signing in (the sign-in form, redirects, health checks).
	AnonymousPerMinute int
	Hasher             *store.Hasher
	Log                *slog.Logger
	// DiskSpace reads the free and total bytes of the database's disk
	// (default: the store's filesystem); the warning and the status page
	// show it.
	DiskSpace func() (free, total uint64, err error)
	Backups   *store.Backups // the scheduled copies (status page); nil: none
}

// Server holds what every handler needs.
type Server struct {
	st       *store.Store
	cfg      Config
	views    *html.Engine
	sessions *session.Store
	// Sign-in failures slow down (never lock out) an address, an address and
	// login (a guesser), and a login from anywhere (a distributed guesser).
	byIP      *throttle
	byIPLogin *throttle
	byLogin   *throttle
	log       *slog.Logger
	table     []Route // the route table, built once
	// key signs the sign-in form's token, deviceKey device cookies.
	key, deviceKey []byte
	// content keeps rendered pages that depend only on the data version.
	content   kept[template.HTML]
	rows      kept[template.HTML]
	documents kept[*storedDocument]
	// projects and projectDocs keep what shows the projects: it depends on
	// the structure's data and on the schedule (computed indicators), so it
	// is kept under the sum of both versions (see projectVersion).
	projects    kept[template.HTML]
	projectDocs kept[*storedDocument]
	// schedule keeps the schedule's lists, month views and course pages
	// under the same sum of versions.
	schedule kept[template.HTML]
	// feeds keeps calendar feeds under the same sum of versions.
	feeds kept[[]byte]
	// monitoring keeps the lists of notes under the sum of the structure's
	// and the notes' versions.
	monitoring kept[template.HTML]
	// unitHeads: who heads a unit today (monitoring notes' readers).
	unitHeads heads
	// disk is the free space last read; started is when the server began.
	disk    diskReading
	counts  counted
	started time.Time
	// csrfMark stands for the reader's CSRF token in kept content, and is
	// replaced by it on the way out: random, so no data can contain it,
	// and led by a byte pages seldom hold, so that finding it is quick.
	csrfMark string
}

// Limits on requests; generous for forms, small enough to refuse floods.
const (
	// bodyLimit lets a scanned list of several pages in; routes that take
	// no file refuse more than formLimit.
	bodyLimit = store.MaxScanBytes + 1<<20
	formLimit = 4 << 20
	// maxFormFields bounds the fields of one form: the largest, a
	// session's attendance, has three per participant (600 at most).
	maxFormFields = 4096
	readTimeout   = 15 * time.Second
	writeTimeout  = 60 * time.Second
	idleTimeout   = 120 * time.Second
)

// New builds the web application on a store.
func New(st *store.Store, cfg Config) (*fiber.App, error) {
	if cfg.SessionIdle == 0 {
		cfg.SessionIdle = 2 * time.Hour
	}
	if cfg.SessionMax == 0 {
		cfg.SessionMax = 12 * time.Hour
	}
	if cfg.AnonymousPerMinute == 0 {
		cfg.AnonymousPerMinute = 120
	}
	if cfg.Hasher == nil {
		cfg.Hasher = store.NewHasher(store.PasswordParams, store.DefaultHashMemory)
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.DiskSpace == nil {
		cfg.DiskSpace = st.DiskSpace
	}
	engine, err := views.NewEngine()
	if err != nil {
		return nil, err
	}
	s := &Server{
		started:  time.Now(),
		csrfMark: "~" + randomToken(),
		st:       st,
		cfg:      cfg,
		views:    engine,
		sessions: session.New(session.Config{
			Storage:           st.Sessions(),
			Expiration:        cfg.SessionIdle,
			KeyLookup:         "cookie:" + sessionCookie,
			CookieHTTPOnly:    true,
			CookieSameSite:    "Lax",
			CookieSecure:      cfg.SecureCookies,
			CookieSessionOnly: true,
			KeyGenerator:      randomToken,
		}),
		byIP:      newThrottle(30, 15*time.Minute).waits(15*time.Second, 15*time.Minute),
		byIPLogin: newThrottle(5, 15*time.Minute).waits(15*time.Second, 15*time.Minute),
		byLogin:   newThrottle(10, 15*time.Minute).waits(time.Second, time.Minute).sharedByAddresses(),
		log:       cfg.Log,
		// What is kept is bounded in bytes, 8 MiB in all, so that a reader
		// walking every day of the structure's history or every page of a
		// list leaves the server within its memory (README, "How the code is laid out").
		content:     kept[template.HTML]{budget: 2560 << 10},
		rows:        kept[template.HTML]{max: 8192, budget: 512 << 10},
		documents:   kept[*storedDocument]{max: 32, budget: 1 << 20}, // gzipped: the phone list at scale 10 is 73 kB
		projects:    kept[template.HTML]{budget: 1 << 20},
		projectDocs: kept[*storedDocument]{budget: 512 << 10},
		schedule:    kept[template.HTML]{budget: 1 << 20},
		feeds:       kept[[]byte]{budget: 512 << 10},
		monitoring:  kept[template.HTML]{budget: 1 << 20},
	}
	// Keys kept in the database: a restart keeps sign-in forms and known
	// devices valid.
	if s.key, err = st.Secret("sign-in-form"); err != nil {
		return nil, err
	}
	if s.deviceKey, err = st.Secret("device"); err != nil {
		return nil, err
	}
	fcfg := fiber.Config{
		AppName:               "intranet",
		Immutable:             true, // request strings may be kept (store writes, maps)
		BodyLimit:             bodyLimit,
		ReadTimeout:           readTimeout,
		WriteTimeout:          writeTimeout,
		IdleTimeout:           idleTimeout,
		ReadBufferSize:        16 << 10,
		ErrorHandler:          s.handleError,
		DisableStartupMessage: true,
	}
	// Forwarded headers (X-Forwarded-Host, -Proto, -For) are believed only
	// from the configured proxies; with none configured, from no one.
	fcfg.EnableTrustedProxyCheck = true
	fcfg.TrustedProxies = cfg.TrustedProxies
	app := fiber.New(fcfg)
	app.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: s.logPanic}))
	app.Use(s.securityHeaders)
	app.Use("/static", filesystem.New(filesystem.Config{
		Root:   http.FS(public.FS),
		MaxAge: 3600,
	}))
	app.Use(s.withSession)
	app.Use(limiter.New(limiter.Config{
		// Visitors who are not signed in get a per-address budget of
		// requests, so that no one can make the server work for free.
		Next:              func(c *fiber.Ctx) bool { return userOf(c) != nil },
		Max:               cfg.AnonymousPerMinute,
		Expiration:        time.Minute,
		KeyGenerator:      s.limitKey,
		LimitReached:      func(c *fiber.Ctx) error { return fiber.ErrTooManyRequests },
		LimiterMiddleware: limiter.SlidingWindow{},
	}))
	app.Get("/healthz", s.health)
	s.table = s.routes()
	for _, r := range s.table {
		app.Add(r.Method, r.Path, s.guard(r), r.Handle)
	}
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	sampling, stop := context.WithCancel(context.Background())
	go s.sampleSizes(sampling)
	app.Hooks().OnShutdown(func() error { stop(); return nil })
	return app, nil
}

func (s *Server) logPanic(c *fiber.Ctx, e any) {
	s.log.Error("panic", "method", c.Method(), "path", c.Path(), "panic", e)
}

func (s *Server) securityHeaders(c *fiber.Ctx) error {
	s.setSecurityHeaders(c)
	return c.Next()
}

// setSecurityHeaders is called by the middleware and again by the error
// handler, which also answers requests the server refused before any
// middleware ran (413, 431, 408).
func (s *Server) setSecurityHeaders(c *fiber.Ctx) {
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
		"font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	// same-origin keeps the Referer on our own form posts (CSRF checks may
	// rely on it) and sends nothing to other sites.
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	c.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
	if s.cfg.SecureCookies {
		c.Set("Strict-Transport-Security", "max-age=31536000")
	}
}

// health answers monitoring probes; only a signed-in administrator learns
// the version and schema (a visitor learns nothing to look up exploits by).
func (s *Server) health(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if u := userOf(c); u != nil && u.Has(store.RoleAdmin) {
		return c.JSON(fiber.Map{"status": "ok", "version": s.cfg.Version, "schema": s.st.Schema()})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}
