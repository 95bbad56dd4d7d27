package store

import (
	"crypto/rand"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// secretPrefix starts the meta keys that hold secrets.
const secretPrefix = "secret/"

// Secret is a random 32-byte key kept in the database under name, made the
// first time it is asked for. Keys that sign cookies and forms live here so
// that a restart of the server does not invalidate what they signed.
// They sign, they do not grant access; copies leave them out all the same
// (leftOutOfCopies).
func (s *Store) Secret(name string) ([]byte, error) {
	key := []byte(secretPrefix + name)
	var out []byte
	_ = s.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketMeta).Get(key); len(v) == 32 {
			out = append([]byte(nil), v...)
		}
		return nil
	})
	if out != nil {
		return out, nil
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		if v := meta.Get(key); len(v) == 32 { // made by another caller meanwhile
			out = append([]byte(nil), v...)
			return nil
		}
		out = make([]byte, 32)
		if _, err := rand.Read(out); err != nil {
			return err
		}
		return meta.Put(key, out)
	})
	if err != nil {
		return nil, fmt.Errorf("secret %s: %w", name, err)
	}
	return out, nil
}
