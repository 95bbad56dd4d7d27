package handlers

import (
	"sync"
	"time"
)

// throttle counts failures per key in a sliding window. It lives in memory:
// a restart forgets it, which is acceptable for one server process.
type throttle struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	hits   map[string][]time.Time
}

// maxKeys bounds memory under a flood of distinct keys.
const maxKeys = 100_000

func newThrottle(limit int, window time.Duration) *throttle {
	return &throttle{limit: limit, window: window, hits: map[string][]time.Time{}}
}

// blocked reports whether key reached the limit; wait is how long until the
// oldest counted failure leaves the window.
func (t *throttle) blocked(key string, now time.Time) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	h := t.recent(key, now)
	if len(h) < t.limit {
		return false, 0
	}
	return true, h[0].Add(t.window).Sub(now)
}

func (t *throttle) fail(key string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.hits) >= maxKeys {
		for k := range t.hits {
			if len(t.recent(k, now)) == 0 {
				delete(t.hits, k)
			}
		}
		if len(t.hits) >= maxKeys {
			t.hits = map[string][]time.Time{} // forget rather than grow without bound
		}
	}
	t.hits[key] = append(t.recent(key, now), now)
}

func (t *throttle) reset(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.hits, key)
}

// recent drops failures older than the window; the caller holds mu.
func (t *throttle) recent(key string, now time.Time) []time.Time {
	h := t.hits[key]
	i := 0
	for i < len(h) && now.Sub(h[i]) >= t.window {
		i++
	}
	if i == len(h) {
		delete(t.hits, key)
		return nil
	}
	h = h[i:]
	t.hits[key] = h
	return h
}
