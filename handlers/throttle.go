package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// throttle slows password guessing down by key (an address, a login, or
// both) without locking anyone out: a key has a number of free failures,
// then each further attempt waits base × 2^(failures − free) after the
// latest failure, at most max. A key's failures are forgotten once window
// has passed since its latest one.
//
// An attempt is counted as a failure when it is let through, before the
// password is checked, so parallel requests cannot slip past; it is refunded
// when the password was right or could not be checked. Refused attempts do
// not count, so hammering a key does not lengthen its wait. It lives in
// memory: a restart forgets it, which is acceptable for one server process.
type throttle struct {
	// shared: the key is not an address (a login tried from anywhere).
	shared bool
	mu     sync.Mutex
	free   int
	window time.Duration
	base   time.Duration
	max    time.Duration
	keys   map[string]*failures
}

type failures struct {
	n     int
	last  time.Time // the latest failure
	noted bool      // the refusal was already recorded for this blocked spell
}

// maxKeys bounds memory under a flood of distinct keys.
const maxKeys = 100_000

// newThrottle allows free failures per key; further attempts wait from
// 15 seconds, doubling up to window (change with waits).
func newThrottle(free int, window time.Duration) *throttle {
	return &throttle{free: free, window: window, base: 15 * time.Second, max: window, keys: map[string]*failures{}}
}

// sharedByAddresses marks a throttle whose keys are not addresses.
func (t *throttle) sharedByAddresses() *throttle {
	t.shared = true
	return t
}

// waits sets the first wait after the free failures and the longest one.
func (t *throttle) waits(base, max time.Duration) *throttle {
	t.base, t.max = base, max
	return t
}

// delay is how long after the latest of n failures the next attempt waits.
func (t *throttle) delay(n int) time.Duration {
	if n < t.free {
		return 0
	}
	d := t.base
	for i := t.free; i < n && d > 0 && d < t.max; i++ {
		d *= 2
	}
	return min(d, t.max)
}

// take counts an attempt as a failure at now, or refuses it while key must
// wait. prev is the latest failure before this attempt (refund restores it);
// first is true on the first refusal of a blocked spell, so that it is
// logged once, not per request.
func (t *throttle) take(key string, now time.Time) (ok bool, wait time.Duration, first bool, prev time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.keys[key]
	if f != nil && now.Sub(f.last) >= t.window {
		delete(t.keys, key)
		f = nil
	}
	if f == nil {
		if len(t.keys) >= maxKeys {
			t.prune(now)
		}
		f = &failures{}
		t.keys[key] = f
	}
	// The wait never exceeds the delay, even if now is before the latest
	// failure (callers' clocks differ, or the system clock was set back).
	if d := t.delay(f.n); d > 0 {
		wait = min(f.last.Add(d).Sub(now), d)
	}
	if wait > 0 {
		first = !f.noted
		f.noted = true
		return false, wait, first, time.Time{}
	}
	prev = f.last
	f.n++
	f.last = now
	f.noted = false
	return true, 0, false, prev
}

// clean reports whether key has no failure to its name at now.
func (t *throttle) clean(key string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.keys[key]
	return f == nil || f.n == 0 || now.Sub(f.last) >= t.window
}

// refund takes back an attempt taken at at; prev is what take returned.
// When a later attempt was taken meanwhile, its time stays the latest.
func (t *throttle) refund(key string, at, prev time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	f := t.keys[key]
	if f == nil {
		return // forgotten meanwhile (pruned)
	}
	f.n--
	if f.last.Equal(at) {
		f.last = prev
	}
	if f.n <= 0 {
		delete(t.keys, key)
	}
}

// prune makes room under a flood of distinct keys: it forgets keys whose
// window has passed, then keys that do not yet make anyone wait, then any
// (map order is random), down to half of maxKeys so that the scan is paid
// once per many new keys. The caller holds mu.
func (t *throttle) prune(now time.Time) {
	for k, f := range t.keys {
		if now.Sub(f.last) >= t.window {
			delete(t.keys, k)
		}
	}
	for k, f := range t.keys {
		if len(t.keys) <= maxKeys/2 {
			return
		}
		if f.n < t.free {
			delete(t.keys, k)
		}
	}
	for k := range t.keys {
		if len(t.keys) <= maxKeys/2 {
			return
		}
		delete(t.keys, k)
	}
}

// gate takes an attempt from several throttles at once: all or none.
type gate struct {
	limits []*throttle
	keys   []string
	at     time.Time
	prev   []time.Time // per throttle, while the attempt is held
}

// take holds the attempt in every throttle, or in none; wait is then the
// longest wait of the throttles that refused, since an earlier retry would
// only be refused again.
func (g *gate) take(now time.Time) (ok bool, wait time.Duration, first bool) {
	g.at, g.prev = now, make([]time.Time, len(g.limits))
	held := make([]bool, len(g.limits))
	ok = true
	for i, t := range g.limits {
		tok, w, f, prev := t.take(g.keys[i], now)
		if !tok {
			ok, wait, first = false, max(wait, w), first || f
			continue
		}
		held[i], g.prev[i] = true, prev
	}
	if !ok {
		// Refused only by a throttle shared by every address (a login
		// from anywhere): the attempt still counts against the address's
		// own throttles. Otherwise guessers on a few addresses could poll
		// the shared throttle for free and take every turn its owner gets.
		ownRefused := false
		for i, t := range g.limits {
			ownRefused = ownRefused || (!held[i] && !t.shared)
		}
		for i, t := range g.limits {
			if held[i] && (ownRefused || t.shared) {
				t.refund(g.keys[i], now, g.prev[i])
			}
		}
		g.prev = nil
	}
	return ok, wait, first
}

// refund takes back a held attempt: the password was right, or it could not
// be checked (server busy), and only wrong passwords should count.
func (g *gate) refund() {
	for i, t := range g.limits {
		if i < len(g.prev) {
			t.refund(g.keys[i], g.at, g.prev[i])
		}
	}
	g.prev = nil
}

// except is the gate without throttle t.
func (g gate) except(t *throttle) gate {
	var out gate
	for i, l := range g.limits {
		if l != t {
			out.limits = append(out.limits, l)
			out.keys = append(out.keys, g.keys[i])
		}
	}
	return out
}

// deviceCookie marks a browser that a login has signed in from (OWASP's
// "device cookie"): a distributed guesser slowing that login down does not
// slow its owner on a known device.
const deviceCookie = "intranet_device"

// deviceMAC signs a device cookie with the server's device key (kept in
// the database, so a restart keeps devices known; a key of its own, so that
// a signature made for another purpose never passes for a device cookie).
func (s *Server) deviceMAC(login, nonce string) string {
	m := hmac.New(sha256.New, s.deviceKey)
	m.Write([]byte(login + "|" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// rememberDevice gives the browser a device cookie for login, for a year.
func (s *Server) rememberDevice(c *fiber.Ctx, login string) {
	nonce := rand.Text()
	c.Cookie(&fiber.Cookie{Name: deviceCookie, Value: nonce + "." + s.deviceMAC(login, nonce), Path: "/login",
		MaxAge: 365 * 24 * 3600, HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.SecureCookies})
}

// knownDevice reports whether the browser carries a valid device cookie for
// login. The nonce may not hold "|", so that login|nonce cannot be split
// another way to pass one login's signature off as another's.
func (s *Server) knownDevice(c *fiber.Ctx, login string) bool {
	nonce, mac, ok := strings.Cut(c.Cookies(deviceCookie), ".")
	return ok && nonce != "" && !strings.Contains(nonce, "|") &&
		hmac.Equal([]byte(mac), []byte(s.deviceMAC(login, nonce)))
}
