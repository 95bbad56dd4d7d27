package store

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"syscall"
	"time"

	bolt "go.etcd.io/bbolt"
)

// What the administrator's status page tells of the database's file and
// disk: its size and growth, and the free space left on its filesystem.
//
//	sizes   day (YYYY-MM-DD) → the file's size that day (8 bytes); a day
//	        each, at most MaxSizeSamples days

var bucketSizes = []byte("sizes")

// MaxSizeSamples bounds the size history (a little over a year).
const MaxSizeSamples = 400

// FileSize is the database file's size on disk.
func (s *Store) FileSize() (int64, error) {
	fi, err := os.Stat(s.db.Path())
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// DiskSpace is the free (for the service's user) and total bytes of the
// filesystem the database is on.
func (s *Store) DiskSpace() (free, total uint64, err error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(filepath.Dir(s.db.Path()), &st); err != nil {
		return 0, 0, err
	}
	return st.Bavail * uint64(st.Bsize), st.Blocks * uint64(st.Bsize), nil
}

// LowOnSpace reports whether free space is under the warning threshold:
// 10 % of the disk or 1 GiB, whichever is smaller.
func LowOnSpace(free, total uint64) bool {
	return free < min(total/10, 1<<30)
}

// NoteSize records the file's size for day, once a day; the oldest days
// go beyond MaxSizeSamples.
func (s *Store) NoteSize(day time.Time) error {
	size, err := s.FileSize()
	if err != nil {
		return err
	}
	key := []byte(Day(day).Format(time.DateOnly))
	exists := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		exists = tx.Bucket(bucketSizes) != nil && tx.Bucket(bucketSizes).Get(key) != nil
		return nil
	})
	if exists {
		return nil
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists(bucketSizes)
		if err != nil {
			return err
		}
		v := make([]byte, 8)
		binary.BigEndian.PutUint64(v, uint64(size))
		if err := b.Put(key, v); err != nil {
			return err
		}
		for b.Stats().KeyN > MaxSizeSamples {
			k, _ := b.Cursor().First()
			if err := b.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
}

// SizeOn is the file's size recorded on the latest day not after day
// (false when none was recorded by then).
func (s *Store) SizeOn(day time.Time) (int64, bool) {
	var size int64
	found := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSizes)
		if b == nil {
			return nil
		}
		c := b.Cursor()
		key := []byte(Day(day).Format(time.DateOnly))
		k, v := c.Seek(key)
		switch {
		case k == nil: // every day recorded is before day
			k, v = c.Last()
		case string(k) != string(key):
			k, v = c.Prev()
		}
		if k != nil && len(v) == 8 {
			size, found = int64(binary.BigEndian.Uint64(v)), true
		}
		return nil
	})
	return size, found
}

// RecordCounts counts the records an operator recognises in the live
// database (the same kinds a verified copy reports).
func (s *Store) RecordCounts() ([]BucketCount, error) {
	var out []BucketCount
	err := s.db.View(func(tx *bolt.Tx) error {
		out = countRecords(tx)
		return nil
	})
	return out, err
}
