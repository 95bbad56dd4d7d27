package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SessionStorage keeps web sessions in the database. It satisfies Fiber's
// storage interface (Get, Set, Delete, Reset, Close). Each value is stored
// behind its expiry time, which Get enforces; Sweep removes expired ones.
type SessionStorage struct{ s *Store }

// Sessions returns the session storage on this database.
func (s *Store) Sessions() *SessionStorage { return &SessionStorage{s: s} }

// Get returns the session data, or nil when absent or expired.
func (ss *SessionStorage) Get(key string) ([]byte, error) {
	var out []byte
	err := ss.s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get([]byte(key))
		if len(v) < 8 || expired(v, ss.s.now()) {
			return nil
		}
		out = append([]byte(nil), v[8:]...)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrStorage, err)
	}
	return out, nil
}

// ErrStorage means the database could not be read or written.
var ErrStorage = errors.New("session storage failed")

func expired(v []byte, now time.Time) bool {
	exp := int64(binary.BigEndian.Uint64(v[:8]))
	return exp != 0 && now.UnixNano() >= exp
}

// Set stores session data that expires after exp (never when exp is 0).
func (ss *SessionStorage) Set(key string, val []byte, exp time.Duration) error {
	if key == "" {
		return nil
	}
	var at int64
	if exp > 0 {
		at = ss.s.now().Add(exp).UnixNano()
	}
	v := make([]byte, 8+len(val))
	binary.BigEndian.PutUint64(v, uint64(at))
	copy(v[8:], val)
	return ss.s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Put([]byte(key), v) })
}

// Delete removes one session.
func (ss *SessionStorage) Delete(key string) error {
	return ss.s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketSessions).Delete([]byte(key)) })
}

// Reset removes every session: everyone must sign in again.
func (ss *SessionStorage) Reset() error {
	return ss.s.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketSessions, bucketUserSessions} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
			if _, err := tx.CreateBucket(name); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close does nothing: the Store owns the database file.
func (ss *SessionStorage) Close() error { return nil }

// LinkSession records that a session belongs to a user, so that the user's
// sessions can be ended together (sign-out everywhere, deactivation).
func (s *Store) LinkSession(userID uint64, sessionID string) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUserSessions).Put(append(itob(userID), sessionID...), nil)
	})
}

// EndUserSessions removes every session of a user.
func (s *Store) EndUserSessions(userID uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error { return endUserSessions(tx, userID) })
}

func endUserSessions(tx *bolt.Tx, userID uint64) error {
	links, sessions := tx.Bucket(bucketUserSessions), tx.Bucket(bucketSessions)
	prefix := itob(userID)
	var keys [][]byte
	c := links.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	for _, k := range keys {
		if err := sessions.Delete(k[8:]); err != nil {
			return err
		}
		if err := links.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// SweepSessions deletes expired sessions and links to sessions that are gone;
// it returns how many sessions it removed.
func (s *Store) SweepSessions() (int, error) {
	n := 0
	err := s.db.Update(func(tx *bolt.Tx) error {
		sessions, links := tx.Bucket(bucketSessions), tx.Bucket(bucketUserSessions)
		now := s.now()
		var dead [][]byte
		_ = sessions.ForEach(func(k, v []byte) error {
			if len(v) < 8 || expired(v, now) {
				dead = append(dead, append([]byte(nil), k...))
			}
			return nil
		})
		for _, k := range dead {
			if err := sessions.Delete(k); err != nil {
				return err
			}
		}
		n = len(dead)
		var stale [][]byte
		_ = links.ForEach(func(k, _ []byte) error {
			if len(k) > 8 && sessions.Get(k[8:]) == nil {
				stale = append(stale, append([]byte(nil), k...))
			}
			return nil
		})
		for _, k := range stale {
			if err := links.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// SessionCount is the number of stored sessions, expired or not.
func (s *Store) SessionCount() int {
	n := 0
	_ = s.db.View(func(tx *bolt.Tx) error { n = tx.Bucket(bucketSessions).Stats().KeyN; return nil })
	return n
}
