package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SessionStorage keeps web sessions in the database. It satisfies Fiber's
// storage interface (Get, Set, Delete, Reset, Close). Each value is stored
// behind its expiry time, which Get enforces; Sweep removes expired ones.
//
// Fiber passes the raw session ID, the secret in the visitor's cookie. Every
// key derived from it (in sessions, sessions.user and sessions.ended) is its
// SHA-256 instead, so that a copy of the database file (a backup, a stolen
// disk) holds nothing that can be sent back as a cookie to sign in.
type SessionStorage struct{ s *Store }

// sessionKey is the only form in which a session ID is stored. The IDs are
// long and random, so a plain fast hash cannot be reversed or guessed.
func sessionKey(id string) []byte {
	h := sha256.Sum256([]byte(id))
	return h[:]
}

// Sessions returns the session storage on this database.
func (s *Store) Sessions() *SessionStorage { return &SessionStorage{s: s} }

// Get returns the session data, or nil when absent or expired.
func (ss *SessionStorage) Get(key string) ([]byte, error) {
	var out []byte
	err := ss.s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketSessions).Get(sessionKey(key))
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
	k := sessionKey(key)
	return ss.s.db.Update(func(tx *bolt.Tx) error {
		if tx.Bucket(bucketSessionsEnded).Get(k) != nil {
			return nil // ended meanwhile (sign-out, deactivation): stays ended
		}
		return tx.Bucket(bucketSessions).Put(k, v)
	})
}

// tombstoneLife outlives any session, so an ended ID is never written again.
const tombstoneLife = 48 * time.Hour

// endSession deletes a session and remembers that it ended; key is the
// hashed ID.
func endSession(tx *bolt.Tx, key []byte, now time.Time) error {
	if err := tx.Bucket(bucketSessions).Delete(key); err != nil {
		return err
	}
	return tx.Bucket(bucketSessionsEnded).Put(key, itob(uint64(now.Add(tombstoneLife).UnixNano())))
}

// Delete ends one session.
func (ss *SessionStorage) Delete(key string) error {
	if key == "" {
		return nil
	}
	k := sessionKey(key)
	return ss.s.db.Update(func(tx *bolt.Tx) error { return endSession(tx, k, ss.s.now()) })
}

// Reset removes every session: everyone must sign in again.
func (ss *SessionStorage) Reset() error {
	return ss.s.db.Update(func(tx *bolt.Tx) error { return emptyBuckets(tx, sessionBuckets...) })
}

// sessionBuckets hold everything that is known about web sessions. They are
// left out of backups.
var sessionBuckets = [][]byte{bucketSessions, bucketUserSessions, bucketSessionsEnded}

// emptyBuckets deletes and recreates top-level buckets: cheaper than deleting
// each key, and a bucket that is missing is simply created.
func emptyBuckets(tx *bolt.Tx, names ...[]byte) error {
	for _, name := range names {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return fmt.Errorf("empty bucket %s: %w", name, err)
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
	}
	return nil
}

// Close does nothing: the Store owns the database file.
func (ss *SessionStorage) Close() error { return nil }

// ErrSignInOutdated means the account changed while a sign-in was being
// checked (a password reset, a deactivation): the new session is refused.
var ErrSignInOutdated = Errorf(EUnauthorized, "auth.invalid")

// LinkSession records that a session belongs to a user, so that the user's
// sessions can be ended together (sign-out everywhere, deactivation). The
// link is made only if the account is still active and still has the
// password hash the sign-in was checked against: a reset or deactivation
// that ran while the password was being verified ended every linked session,
// and this one must not slip in after it. The session is ended otherwise.
func (s *Store) LinkSession(userID uint64, sessionID, verifiedHash string) error {
	outdated := false
	err := s.db.Update(func(tx *bolt.Tx) error {
		var u User
		err := getJSON(tx.Bucket(bucketUsers), itob(userID), &u)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		if err != nil || !u.Active || u.PasswordHash != verifiedHash {
			outdated = true // the session's end must commit, so no error here
			return endSession(tx, sessionKey(sessionID), s.now())
		}
		return tx.Bucket(bucketUserSessions).Put(append(itob(userID), sessionKey(sessionID)...), nil)
	})
	if err == nil && outdated {
		return ErrSignInOutdated
	}
	return err
}

// EndUserSessions ends every session of a user and records who did it.
func (s *Store) EndUserSessions(a Actor, userID uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := s.endUserSessions(tx, userID); err != nil {
			return err
		}
		return s.audit(tx, a, "user", userID, ActionSessionsEnded, nil)
	})
}

func (s *Store) endUserSessions(tx *bolt.Tx, userID uint64) error {
	links := tx.Bucket(bucketUserSessions)
	prefix := itob(userID)
	var keys [][]byte
	c := links.Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		keys = append(keys, append([]byte(nil), k...))
	}
	for _, k := range keys { // user ID, then the hashed session ID
		if err := endSession(tx, k[8:], s.now()); err != nil {
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
		ended := tx.Bucket(bucketSessionsEnded)
		var gone [][]byte
		_ = ended.ForEach(func(k, v []byte) error {
			if len(v) != 8 || int64(btoi(v)) < now.UnixNano() {
				gone = append(gone, append([]byte(nil), k...))
			}
			return nil
		})
		for _, k := range gone {
			if err := ended.Delete(k); err != nil {
				return err
			}
		}
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
