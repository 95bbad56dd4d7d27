package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"

	"intranet/store"
	"intranet/views"
)

const (
	sessionCookie = "intranet_session"
	langCookie    = "intranet_lang"
	preCookie     = "intranet_pre" // the sign-in form's CSRF nonce
	csrfField     = "_csrf"
	csrfHeader    = "X-CSRF-Token"

	// touchEvery: a session's idle clock is pushed forward at most this
	// often, so that reading pages does not write the database each time.
	touchEvery = time.Minute
	// anonymousLife bounds sessions that only carry a login form's token.
	anonymousLife = 30 * time.Minute
)

// Session keys.
const (
	keyUser    = "uid"
	keyCreated = "created"
	keySeen    = "seen"
	keyCSRF    = "csrf"
)

// request is what the session middleware learns about a request.
type request struct {
	sess    *session.Session
	dirty   bool // the session must be saved
	saved   bool // Save was called; the session object may not be used again
	user    *store.User
	expired bool // a signed-in session ran out of time
	// ended is why a signed-in session's account no longer works (expired,
	// employment over, deactivated); the sign-in page says so.
	ended *store.AccountState
}

func stateOf(c *fiber.Ctx) *request {
	if r, ok := c.Locals("req").(*request); ok {
		return r
	}
	return &request{}
}

func userOf(c *fiber.Ctx) *store.User { return stateOf(c).user }

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's randomness is gone; nothing is safe
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// withSession loads the session and its user, enforcing idle (storage
// expiry) and absolute lifetimes and the account still working today: a
// session of an account that has ended (deactivated, expired, employment
// over) ends on its next request. The account and the person linked to it
// are read together, once per request.
func (s *Server) withSession(c *fiber.Ctx) error {
	sess, err := s.sessions.Get(c)
	if err != nil && !errors.Is(err, store.ErrStorage) {
		// Data that does not decode (say, written by an older binary) is
		// dropped and the visitor continues as anonymous.
		s.log.Warn("dropping unreadable session", "err", err)
		if derr := s.sessions.Delete(c.Cookies(sessionCookie)); derr != nil {
			return derr
		}
		sess, err = s.sessions.Get(c)
	}
	if err != nil {
		return err
	}
	r := &request{sess: sess}
	c.Locals("req", r)
	if uid, ok := sess.Get(keyUser).(uint64); ok && uid != 0 {
		now := s.st.Now()
		created, _ := sess.Get(keyCreated).(int64)
		u, state, err := s.st.SignInState(uid, store.Day(now))
		switch {
		case now.Sub(time.Unix(created, 0)) > s.cfg.SessionMax:
			r.expired = true
			s.endSession(r)
		case err != nil:
			s.endSession(r)
		case !state.Active():
			s.endSession(r)
			r.ended = &state
		default:
			r.user = u
			if seen, _ := sess.Get(keySeen).(int64); now.Sub(time.Unix(seen, 0)) > touchEvery {
				sess.Set(keySeen, now.Unix())
				r.dirty = true
			}
		}
	}
	if err := c.Next(); err != nil {
		return err // handleError renders the page and then saves the session
	}
	return s.saveSession(r)
}

// saveSession writes the session if it changed; safe to call twice.
func (s *Server) saveSession(r *request) error {
	if r.sess == nil || !r.dirty || r.saved {
		return nil
	}
	if r.user == nil {
		if _, ok := r.sess.Get(keyUser).(uint64); !ok {
			r.sess.SetExpiry(anonymousLife)
		}
	}
	r.saved = true
	return r.sess.Save()
}

// endSession removes the stored session and starts a clean anonymous one.
func (s *Server) endSession(r *request) {
	if err := r.sess.Reset(); err != nil {
		slog.Warn("ending session", "err", err)
	}
	r.user = nil
	r.dirty = false
}

// csrfToken is the token for the page's forms. A signed-in user's token
// lives in the session, created when first needed. An anonymous visitor
// (the sign-in form) gets a signed token bound to a cookie instead, so that
// showing the sign-in form never writes the database.
func (s *Server) csrfToken(c *fiber.Ctx) string {
	r := stateOf(c)
	if r.user == nil {
		return s.anonymousToken(c)
	}
	if r.sess == nil || r.saved {
		return ""
	}
	tok, _ := r.sess.Get(keyCSRF).(string)
	if tok == "" {
		tok = randomToken()
		r.sess.Set(keyCSRF, tok)
		r.dirty = true
	}
	return tok
}

// checkCSRF accepts a state change only with the session's token, from the
// form field (plain forms) or the header (htmx), and only from our origin.
func (s *Server) checkCSRF(c *fiber.Ctx) error {
	// The host alone is compared: behind a TLS proxy the scheme the server
	// sees may differ from the browser's, but another site's host never matches.
	if origin := c.Get(fiber.HeaderOrigin); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || !strings.EqualFold(u.Host, c.Hostname()) {
			return errCSRF
		}
	}
	// Only the body or the header: a token in the address would leak into
	// logs and Referer headers, and make a link able to post.
	got := c.Get(csrfHeader)
	if got == "" {
		got = formValue(c, csrfField)
	}
	r := stateOf(c)
	if r.user == nil {
		if !s.validAnonymousToken(c, got) {
			return errCSRF
		}
		return nil
	}
	if r.sess == nil {
		return errCSRF
	}
	want, _ := r.sess.Get(keyCSRF).(string)
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return errCSRF
	}
	return nil
}

// anonymousToken is a double-submit token: a random nonce in a short-lived
// cookie, and the nonce with the time it was issued and their HMAC in the
// form. Another site can neither read the cookie nor set it, so it cannot
// forge the pair; the time bounds how long a copied form stays usable.
func (s *Server) anonymousToken(c *fiber.Ctx) string {
	nonce := c.Cookies(preCookie)
	if !validNonce(nonce) {
		nonce = randomToken()
		c.Cookie(&fiber.Cookie{Name: preCookie, Value: nonce, Path: "/", HTTPOnly: true, SameSite: "Strict",
			Secure: s.cfg.SecureCookies, SessionOnly: true})
	}
	issued := strconv.FormatInt(s.st.Now().Unix(), 10)
	return nonce + "." + issued + "." + s.sign(nonce+"."+issued)
}

// anonymousTokenLife is how long a sign-in form may stay open.
const anonymousTokenLife = 12 * time.Hour

func (s *Server) validAnonymousToken(c *fiber.Ctx, token string) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 || !validNonce(parts[0]) || subtle.ConstantTimeCompare([]byte(parts[0]), []byte(c.Cookies(preCookie))) != 1 ||
		!hmac.Equal([]byte(parts[2]), []byte(s.sign(parts[0]+"."+parts[1]))) {
		return false
	}
	issued, err := strconv.ParseInt(parts[1], 10, 64)
	age := s.st.Now().Sub(time.Unix(issued, 0))
	return err == nil && age >= -time.Minute && age < anonymousTokenLife
}

// validNonce: 32 random bytes in base64url, as randomToken makes them.
func validNonce(s string) bool {
	b, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil && len(b) == 32
}

// sign is an HMAC of value with the server's key.
func (s *Server) sign(value string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

var errCSRF = fiber.NewError(fiber.StatusForbidden, "csrf")

// toLogin sends an anonymous visitor to the sign-in page and back afterwards.
func (s *Server) toLogin(c *fiber.Ctx) error {
	target := "/login"
	if c.Method() == fiber.MethodGet {
		target += "?next=" + url.QueryEscape(c.OriginalURL())
	}
	if r := stateOf(c); r.expired {
		target = withParam(target, "ok", "expired")
	} else if r.ended != nil {
		target = withParam(target, "ended", string(r.ended.Status))
		if !r.ended.On.IsZero() {
			target = withParam(target, "on", views.ISODate(r.ended.On))
		}
	}
	if isHTMX(c) {
		c.Set("HX-Redirect", target)
		return c.SendStatus(fiber.StatusUnauthorized)
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// withParam adds a query parameter to a local address.
func withParam(target, key, value string) string {
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	return target + sep + key + "=" + url.QueryEscape(value)
}

// safeNext keeps redirects after sign-in on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") ||
		strings.IndexFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) >= 0 {
		return "/"
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" {
		return "/"
	}
	return next
}

// clientIP is the address sign-in throttling and the audit log use. Behind
// a trusted proxy it is the right-most X-Forwarded-For address that is not
// itself a trusted proxy: addresses further left were written by the client
// and prove nothing.
func (s *Server) clientIP(c *fiber.Ctx) string {
	remote := c.Context().RemoteIP().String()
	if !c.IsProxyTrusted() || len(s.cfg.TrustedProxies) == 0 {
		return remote
	}
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		ip, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.trusted(ip) {
			return ip.String()
		}
	}
	return remote
}

// limitKey is the address that rate limits and sign-in throttles count:
// an IPv4 address, or the /64 network of an IPv6 one (one machine may use
// any address of its /64).
func (s *Server) limitKey(c *fiber.Ctx) string {
	ip := s.clientIP(c)
	addr, err := netip.ParseAddr(ip)
	if err != nil || addr.Unmap().Is4() {
		return ip
	}
	p, err := addr.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

func (s *Server) trusted(ip netip.Addr) bool {
	for _, p := range s.cfg.TrustedProxies {
		if prefix, err := netip.ParsePrefix(p); err == nil && prefix.Contains(ip) {
			return true
		}
		if addr, err := netip.ParseAddr(p); err == nil && addr == ip {
			return true
		}
	}
	return false
}

// language picks the interface language: one just chosen, the user's
// choice, then the browser's remembered cookie, then Polish.
func language(c *fiber.Ctx) *views.Lang {
	if code, ok := c.Locals("lang").(string); ok {
		return views.For(code)
	}
	if u := userOf(c); u != nil && u.Lang != "" {
		return views.For(u.Lang)
	}
	return views.For(c.Cookies(langCookie))
}

func isHTMX(c *fiber.Ctx) bool {
	return c.Get("HX-Request") == "true" && c.Get("HX-History-Restore-Request") != "true"
}

// loginFormExpired shows the sign-in form again, with a fresh token, when
// the one sent was not valid (the form was open across a restart, or the
// cookie was lost): the person only has to sign in once more.
func (s *Server) loginFormExpired(c *fiber.Ctx) error {
	view := loginView{Login: store.NormalizeLogin(formValue(c, "login")), Next: safeNext(formValue(c, "next")), Error: "auth.form_expired"}
	if len(view.Login) > 64 {
		view.Login = view.Login[:64]
	}
	return s.page(c, fiber.StatusForbidden, "login", "auth.title", view, nil)
}
