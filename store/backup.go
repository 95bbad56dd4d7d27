package store

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	bolt "go.etcd.io/bbolt"
)

// Backup writes a copy of the database to w and returns its size. The copy is
// read in one transaction, so it is consistent and safe to take while the
// server runs.
//
// It holds every bucket, key and bucket sequence (so that a restored database
// never hands out an ID twice), except what the session buckets contain:
// they are created empty, so that a restored backup lets no one in until they
// sign in again, and a leaked backup holds no live session.
//
// The copy is built in a temporary file rather than written straight from the
// live file, which would carry the sessions and every free page with it.
func (s *Store) Backup(w io.Writer) (int64, error) {
	dir, err := os.MkdirTemp("", "intranet-backup-")
	if err != nil {
		return 0, fmt.Errorf("backup: temporary directory: %w", err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "copy.db")
	if err := s.copyTo(path); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	n, err := sendFile(w, path)
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// copyTo writes the copy into a new database file at path.
func (s *Store) copyTo(path string) (err error) {
	// A temporary file that is read back at once needs no fsync.
	dst, err := bolt.Open(path, 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		return fmt.Errorf("create copy: %w", err)
	}
	defer func() {
		if cerr := dst.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("close copy: %w", cerr)
		}
	}()
	// The copy commits inside the read transaction: Put keeps the value
	// slices it is given, which point into the source file and stay valid
	// only while that transaction is open.
	return s.db.View(func(src *bolt.Tx) error {
		return dst.Update(func(tx *bolt.Tx) error { return copyTx(src, tx) })
	})
}

// copyTx copies every top-level bucket of src into dst.
func copyTx(src, dst *bolt.Tx) error {
	return src.ForEach(func(name []byte, b *bolt.Bucket) error {
		d, err := dst.CreateBucket(name)
		if err != nil {
			return fmt.Errorf("create bucket %s: %w", name, err)
		}
		if isSessionBucket(name) {
			return nil
		}
		if err := copyBucket(b, d); err != nil {
			return fmt.Errorf("bucket %s: %w", name, err)
		}
		return nil
	})
}

func isSessionBucket(name []byte) bool {
	for _, n := range sessionBuckets {
		if bytes.Equal(n, name) {
			return true
		}
	}
	return false
}

// copyBucket copies the keys, nested buckets and sequence of src into the
// empty bucket dst.
func copyBucket(src, dst *bolt.Bucket) error {
	// Keys arrive in order, so full pages never need to split again.
	dst.FillPercent = 1.0
	if err := dst.SetSequence(src.Sequence()); err != nil {
		return fmt.Errorf("sequence: %w", err)
	}
	c := src.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := copyEntry(src, dst, k, v); err != nil {
			return err
		}
	}
	return nil
}

// copyEntry copies one key: a value, or a nested bucket (which a cursor
// shows with a nil value).
func copyEntry(src, dst *bolt.Bucket, k, v []byte) error {
	if v == nil {
		if sub := src.Bucket(k); sub != nil {
			d, err := dst.CreateBucket(k)
			if err != nil {
				return fmt.Errorf("create bucket %x: %w", k, err)
			}
			if err := copyBucket(sub, d); err != nil {
				return fmt.Errorf("bucket %x: %w", k, err)
			}
			return nil
		}
	}
	if err := dst.Put(k, v); err != nil {
		return fmt.Errorf("put: %w", err) // the key may be personal data: not logged
	}
	return nil
}

// sendFile streams the file at path to w.
func sendFile(w io.Writer, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("open copy: %w", err)
	}
	defer f.Close()
	n, err := io.Copy(w, f)
	if err != nil {
		return n, fmt.Errorf("send copy: %w", err)
	}
	return n, nil
}
