package store

import (
	"sync"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"
)

// Org is the whole structure as stored: every unit, person and location.
// A snapshot is shared between requests and must be treated as read-only.
type Org struct {
	Units     []Unit
	People    []Staff
	Locations []Location // sorted by name
}

// orgCache keeps the decoded structure until the next change to units,
// people or locations, so that the directory and the tree do not decode
// every record on every page view.
type orgCache struct {
	gen  atomic.Uint64 // bumped after every committed change
	mu   sync.Mutex
	have uint64 // generation of snap, plus one (0: nothing cached)
	snap *Org
}

// updateOrg runs a write transaction that changes the structure and then
// invalidates the snapshot. The bump comes after the commit: a reader that
// loaded old data before it caches that data under the old generation,
// which the bump has already made stale.
func (s *Store) updateOrg(fn func(tx *bolt.Tx) error) error {
	err := s.db.Update(fn)
	s.org.gen.Add(1)
	return err
}

// Org returns the structure, from the snapshot when nothing changed since.
func (s *Store) Org() (*Org, error) {
	gen := s.org.gen.Load()
	s.org.mu.Lock()
	if s.org.have == gen+1 {
		snap := s.org.snap
		s.org.mu.Unlock()
		return snap, nil
	}
	s.org.mu.Unlock()
	snap := &Org{}
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		if snap.Units, err = all[Unit](tx, kindUnit); err != nil {
			return err
		}
		if snap.People, err = all[Staff](tx, kindStaff); err != nil {
			return err
		}
		snap.Locations, err = all[Location](tx, kindLocation)
		return err
	})
	if err != nil {
		return nil, err
	}
	SortPolish(snap.Locations, func(l Location) string { return l.Name })
	s.org.mu.Lock()
	if s.org.gen.Load() == gen { // nothing committed meanwhile
		s.org.have, s.org.snap = gen+1, snap
	}
	s.org.mu.Unlock()
	return snap, nil
}
