package handlers

import (
	"sync"
	"time"
)

// throttle limits attempts per key in a sliding window. An attempt is
// counted before the password is checked, so parallel requests cannot slip
// past the limit; a successful attempt is refunded. It lives in memory: a
// restart forgets it, which is acceptable for one server process.
type throttle struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	keys   map[string]*attempts
}

type attempts struct {
	at    []time.Time
	noted bool // the refusal was already recorded for this blocked spell
}

// maxKeys bounds memory under a flood of distinct keys.
const maxKeys = 100_000

func newThrottle(limit int, window time.Duration) *throttle {
	return &throttle{limit: limit, window: window, keys: map[string]*attempts{}}
}

// take counts an attempt, or refuses it when key is at the limit. wait is
// how long until an attempt leaves the window; first is true on the first
// refusal of a blocked spell (so that it is logged once, not per request).
func (t *throttle) take(key string, now time.Time) (ok bool, wait time.Duration, first bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	a := t.recent(key, now)
	if len(a.at) >= t.limit {
		first = !a.noted
		a.noted = true
		return false, a.at[0].Add(t.window).Sub(now), first
	}
	if len(t.keys) >= maxKeys {
		t.prune(now)
	}
	a.at = append(a.at, now)
	t.keys[key] = a
	return true, 0, false
}

// refund takes back the latest attempt of key.
func (t *throttle) refund(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if a := t.keys[key]; a != nil && len(a.at) > 0 {
		a.at = a.at[:len(a.at)-1]
	}
}

// recent drops attempts older than the window; the caller holds mu.
func (t *throttle) recent(key string, now time.Time) *attempts {
	a := t.keys[key]
	if a == nil {
		return &attempts{}
	}
	i := 0
	for i < len(a.at) && now.Sub(a.at[i]) >= t.window {
		i++
	}
	a.at = a.at[i:]
	if len(a.at) < t.limit {
		a.noted = false
	}
	return a
}

// prune forgets idle keys, or everything when all keys are busy, rather
// than grow without bound; the caller holds mu.
func (t *throttle) prune(now time.Time) {
	for k := range t.keys {
		if len(t.recent(k, now).at) == 0 {
			delete(t.keys, k)
		}
	}
	if len(t.keys) >= maxKeys {
		t.keys = map[string]*attempts{}
	}
}

// gate takes an attempt from several throttles at once: all or none.
type gate struct {
	limits []*throttle
	keys   []string
}

func (g gate) take(now time.Time) (ok bool, wait time.Duration, first bool) {
	for i, t := range g.limits {
		ok, w, f := t.take(g.keys[i], now)
		if !ok {
			for j := 0; j < i; j++ {
				g.limits[j].refund(g.keys[j])
			}
			return false, w, f
		}
	}
	return true, 0, false
}

func (g gate) refund() {
	for i, t := range g.limits {
		t.refund(g.keys[i])
	}
}
