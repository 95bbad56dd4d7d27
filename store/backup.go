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
	if err := s.copyTo(path, nil); err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	n, err := sendFile(w, path)
	if err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	return n, nil
}

// copyTo writes the copy into a new database file at path and, when sum
// is not nil, the digest of what it copied (see contentSum).
func (s *Store) copyTo(path string, sum *[32]byte) (err error) {
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
	// One read transaction on the source keeps the copy consistent; the
	// copy commits in batches inside it, so that memory stays bounded
	// whatever the size of the database. Put keeps the value slices it is
	// given until its transaction commits; they point into the source file
	// and stay valid while the read transaction is open.
	return s.db.View(func(src *bolt.Tx) error {
		c := &copier{db: dst}
		defer c.rollback()
		err := src.ForEach(func(name []byte, b *bolt.Bucket) error {
			path := [][]byte{name}
			if isSessionBucket(name) {
				_, err := c.bucket(path)
				return err
			}
			if err := c.copyBucket(b, path); err != nil {
				return fmt.Errorf("bucket %s: %w", name, err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if err := c.commit(); err != nil {
			return err
		}
		if sum != nil { // the same snapshot as the copy
			*sum, err = contentSum(src)
		}
		return err
	})
}

// leftOutOfCopies tells the keys of a top-level bucket that no copy holds:
// the keys that sign the sign-in form and known devices' cookies. A server
// started on a restored copy makes new ones, so a copy that leaks lets no
// one forge a cookie that skips the sign-in limits.
func leftOutOfCopies(bucket, key []byte) bool {
	return bytes.Equal(bucket, bucketMeta) && bytes.HasPrefix(key, []byte(secretPrefix))
}

func isSessionBucket(name []byte) bool {
	for _, n := range sessionBuckets {
		if bytes.Equal(n, name) {
			return true
		}
	}
	return false
}

// copyBatch is how many bytes of keys and values one write transaction of
// the copy holds before it commits.
var copyBatch = 16 << 20

// copier writes into the copy in write transactions of bounded size.
type copier struct {
	db      *bolt.DB
	tx      *bolt.Tx
	written int
	path    [][]byte // of cur
	cur     *bolt.Bucket
}

// bucket is the bucket at path in the current transaction, created if new.
func (c *copier) bucket(path [][]byte) (*bolt.Bucket, error) {
	if c.tx == nil {
		tx, err := c.db.Begin(true)
		if err != nil {
			return nil, err
		}
		c.tx, c.cur, c.written = tx, nil, 0
	}
	if c.cur != nil && samePath(c.path, path) {
		return c.cur, nil
	}
	b, err := c.tx.CreateBucketIfNotExists(path[0])
	for _, name := range path[1:] {
		if err != nil {
			break
		}
		b, err = b.CreateBucketIfNotExists(name)
	}
	if err != nil {
		return nil, fmt.Errorf("create bucket: %w", err)
	}
	b.FillPercent = 1.0 // keys arrive in order: full pages never split again
	c.path, c.cur = append([][]byte(nil), path...), b
	return b, nil
}

func samePath(a, b [][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			return false
		}
	}
	return true
}

func (c *copier) commit() error {
	if c.tx == nil {
		return nil
	}
	err := c.tx.Commit()
	c.tx, c.cur = nil, nil
	return err
}

func (c *copier) rollback() {
	if c.tx != nil {
		_ = c.tx.Rollback()
	}
}

// copyBucket copies the keys, nested buckets and sequence of src into the
// bucket at path.
func (c *copier) copyBucket(src *bolt.Bucket, path [][]byte) error {
	if _, err := c.bucket(path); err != nil { // empty buckets are copied too
		return err
	}
	cur := src.Cursor()
	for k, v := cur.First(); k != nil; k, v = cur.Next() {
		if v == nil {
			if sub := src.Bucket(k); sub != nil {
				if err := c.copyBucket(sub, append(path[:len(path):len(path)], k)); err != nil {
					return err
				}
				continue
			}
		}
		if len(path) == 1 && leftOutOfCopies(path[0], k) {
			continue
		}
		if c.written >= copyBatch {
			if err := c.commit(); err != nil {
				return err
			}
		}
		b, err := c.bucket(path)
		if err != nil {
			return err
		}
		if err := b.Put(k, v); err != nil {
			return fmt.Errorf("put: %w", err) // the key may be personal data: not logged
		}
		c.written += len(k) + len(v)
	}
	b, err := c.bucket(path)
	if err != nil {
		return err
	}
	if err := b.SetSequence(src.Sequence()); err != nil {
		return fmt.Errorf("sequence: %w", err)
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
