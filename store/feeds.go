package store

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Calendar feed tokens. A calendar application keeps the feed's address
// and sends no cookie, so the address carries a secret: 32 random bytes.
// Only its SHA-256 is stored (a copy of the database holds no usable
// address), under "h"+hash → account, and under "u"+account → hash and
// when it was made, so that an account has one token at a time.

func feedHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// NewFeedToken makes a new feed token for an account, replacing its old
// one (which stops working), and returns it: it is shown once.
func (s *Store) NewFeedToken(a Actor, user uint64) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	hash := feedHash(token)
	err := s.db.Update(func(tx *bolt.Tx) error {
		bk := tx.Bucket(bucketFeedTokens)
		if err := dropFeedToken(bk, user); err != nil {
			return err
		}
		if err := bk.Put(append([]byte("h"), hash...), itob(user)); err != nil {
			return err
		}
		v := make([]byte, 0, len(hash)+8)
		v = append(v, hash...)
		v = binary.BigEndian.AppendUint64(v, uint64(s.now().Unix()))
		if err := bk.Put(append([]byte("u"), itob(user)...), v); err != nil {
			return err
		}
		return s.audit(tx, a, "feed_token", user, ActionCreate, nil)
	})
	return token, err
}

// RevokeFeedToken ends an account's feed token, if it has one.
func (s *Store) RevokeFeedToken(a Actor, user uint64) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		if err := dropFeedToken(tx.Bucket(bucketFeedTokens), user); err != nil {
			return err
		}
		return s.audit(tx, a, "feed_token", user, ActionDelete, nil)
	})
}

func dropFeedToken(bk *bolt.Bucket, user uint64) error {
	key := append([]byte("u"), itob(user)...)
	if old := bk.Get(key); len(old) >= sha256.Size {
		if err := bk.Delete(append([]byte("h"), old[:sha256.Size]...)); err != nil {
			return err
		}
	}
	return bk.Delete(key)
}

// FeedTokenOf says whether an account has a feed token, and since when.
func (s *Store) FeedTokenOf(user uint64) (since time.Time, ok bool) {
	_ = s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketFeedTokens).Get(append([]byte("u"), itob(user)...))
		if len(v) == sha256.Size+8 {
			since, ok = time.Unix(int64(binary.BigEndian.Uint64(v[sha256.Size:])), 0).UTC(), true
		}
		return nil
	})
	return since, ok
}

// FeedUser is the account a feed token belongs to; an unknown or revoked
// token, or an account that cannot sign in today, is not found.
func (s *Store) FeedUser(token string) (*User, error) {
	if len(token) != 43 { // 32 bytes in base64 without padding
		return nil, ErrNotFound
	}
	var u User
	var person *Staff
	err := s.db.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketFeedTokens).Get(append([]byte("h"), feedHash(token)...))
		if id == nil {
			return ErrNotFound
		}
		if err := getJSON(tx.Bucket(bucketUsers), id, &u); err != nil {
			return err
		}
		var err error
		person, err = linkedPerson(tx, u.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !AccountStateOn(&u, person, s.now()).Active() {
		return nil, ErrNotFound
	}
	return &u, nil
}
