package store

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"runtime/debug"
	"time"

	bolt "go.etcd.io/bbolt"
)

// CopyInfo describes a database file that passed VerifyCopy.
type CopyInfo struct {
	Path   string
	Size   int64
	Schema int
	// Counts is nil for a copy known only by its name: the newest copy
	// found in the backup directory when the server started.
	Counts []BucketCount
	Taken  time.Time // the file's modification time
}

// BucketCount is how many records one kind has in a copy.
type BucketCount struct {
	Name string
	N    int
}

// countedBuckets are the records an operator recognises: enough to see
// at a glance that a copy is the centre's database and not an empty one.
var countedBuckets = []struct {
	name   string
	bucket []byte
}{
	{"staff", bucketStaff},
	{"units", bucketUnits},
	{"projects", bucketProjects},
	{"training sessions", bucketTrainingSessions},
	{"attendance marks", bucketAttendance},
	{"notes", bucketNotes},
	{"audit entries", bucketAudit},
	{"users", bucketUsers},
}

// countRecords counts the records of countedBuckets.
func countRecords(tx *bolt.Tx) []BucketCount {
	out := make([]BucketCount, 0, len(countedBuckets))
	for _, c := range countedBuckets {
		n := 0
		if b := tx.Bucket(c.bucket); b != nil {
			cur := b.Cursor()
			for k, _ := cur.First(); k != nil; k, _ = cur.Next() {
				n++
			}
		}
		out = append(out, BucketCount{Name: c.name, N: n})
	}
	return out
}

// ErrBadCopy means a file is not a usable intranet database: not a bbolt
// file, truncated, or damaged.
var ErrBadCopy = errors.New("not a usable intranet database")

// copyLockTimeout is how long VerifyCopy and Restore wait for a file that
// another process holds: a running server holds it for good.
const copyLockTimeout = 200 * time.Millisecond

// VerifyCopy checks that the file at path is a whole, consistent intranet
// database this binary can open: bbolt's own consistency check passes,
// the schema is not newer than this binary's (an older one is migrated when
// it is opened), and it counts the main records. It opens the file
// read-only and changes nothing.
func VerifyCopy(path string) (CopyInfo, error) { return verifyCopy(path, nil) }

// verifyCopy is VerifyCopy that also compares the copy's contents with
// want, the digest of the database it was copied from, when there is one:
// bbolt's check proves the structure, not that each value is the one
// written.
func verifyCopy(path string, want *[32]byte) (info CopyInfo, err error) {
	fi, err := os.Stat(path)
	if err != nil {
		return info, fmt.Errorf("verify: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return info, fmt.Errorf("%s is not a regular file: %w", path, ErrBadCopy)
	}
	info = CopyInfo{Path: path, Size: fi.Size(), Taken: fi.ModTime()}
	db, err := openShared(path)
	if err != nil {
		return info, err
	}
	defer db.Close()
	// The page walk proved every page the tree reaches lies in the file;
	// this is for what it cannot foresee, so that a damaged file makes an
	// error rather than end the server that verifies its nightly copy.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s is damaged (%v): %w", path, r, ErrBadCopy)
		}
	}()
	err = db.View(func(tx *bolt.Tx) error {
		// Walked under the lock, so that no writer changes the file midway.
		if err := walkPages(path); err != nil {
			return err
		}
		var problems []error
		for e := range tx.Check() { // drained to the end: the check's goroutine stops only then
			if len(problems) < 10 {
				problems = append(problems, e)
			}
		}
		if len(problems) > 0 {
			return fmt.Errorf("%s fails the consistency check: %w: %w", path, errors.Join(problems...), ErrBadCopy)
		}
		if tx.Bucket(bucketMeta) == nil || schemaOf(tx) == 0 {
			return fmt.Errorf("%s is a bbolt file but holds no intranet schema: %w", path, ErrBadCopy)
		}
		if want != nil {
			got, err := contentSum(tx)
			if err != nil {
				return fmt.Errorf("%s: %w: %w", path, err, ErrBadCopy)
			}
			if got != *want {
				return fmt.Errorf("%s differs from the database it was copied from: %w", path, ErrBadCopy)
			}
		}
		info.Schema = int(schemaOf(tx))
		if info.Schema > SchemaVersion() {
			return fmt.Errorf("%s has schema %d, this binary knows up to %d: %w", path, info.Schema, SchemaVersion(), ErrTooNew)
		}
		info.Counts = countRecords(tx)
		return nil
	})
	return info, err
}

// openShared opens a database file read-only under a shared lock, which a
// running server (holding it exclusively) refuses at once.
func openShared(path string) (db *bolt.DB, err error) {
	// bbolt maps the file and reads its meta pages before it can check
	// anything: a file cut short would fault there, so its length is
	// checked against what its meta page promises first.
	if _, err := readMeta(path); err != nil {
		return nil, err
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%s is damaged (%v): %w", path, r, ErrBadCopy)
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: copyLockTimeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("%s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("%s does not open as a database (%v): %w", path, err, ErrBadCopy)
	}
	return db, nil
}

// bbolt's file format (version 2, unchanged since boltdb 1.0), read here
// without bbolt: a damaged file can send bbolt's memory-mapped reads past
// the end of the file or round a cycle of pages, which no recover catches.
// bbolt writes its structures in the machine's byte order.
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	pageHeaderSize   = 16
	pageElementSize  = 16 // branch and leaf elements alike
	inBucketSize     = 16 // a bucket's root page and sequence
	branchPageFlag   = 0x01
	leafPageFlag     = 0x02
	metaPageFlag     = 0x04
	freelistPageFlag = 0x10
	bucketLeafFlag   = 0x01
	noFreelist       = ^uint64(0)
	maxTreeDepth     = 64
)

var native = binary.NativeEndian

// boltMeta is the part of a meta page that locates everything else.
type boltMeta struct {
	pageSize int
	root     uint64 // the root bucket's page
	freelist uint64
	hwm      uint64 // pages in use: the file holds at least this many
	txid     uint64
}

// parseMeta reads a meta page (header included) and reports whether it is valid.
func parseMeta(buf []byte) (boltMeta, bool) {
	if len(buf) < pageHeaderSize+64 || native.Uint16(buf[8:]) != metaPageFlag {
		return boltMeta{}, false
	}
	m := buf[pageHeaderSize : pageHeaderSize+64]
	h := fnv.New64a()
	h.Write(m[:56])
	if native.Uint32(m[0:]) != boltMagic || native.Uint32(m[4:]) != boltVersion || native.Uint64(m[56:]) != h.Sum64() {
		return boltMeta{}, false
	}
	return boltMeta{pageSize: int(native.Uint32(m[8:])), root: native.Uint64(m[16:]),
		freelist: native.Uint64(m[32:]), hwm: native.Uint64(m[40:]), txid: native.Uint64(m[48:])}, true
}

// readMeta finds the meta page bbolt would use, as bbolt does: the valid
// one of the two with the later transaction, and checks that the file is
// as long as it says.
func readMeta(path string) (boltMeta, error) {
	f, err := os.Open(path)
	if err != nil {
		return boltMeta{}, fmt.Errorf("verify: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return boltMeta{}, fmt.Errorf("verify: %w", err)
	}
	size := fi.Size()
	if size == 0 {
		return boltMeta{}, fmt.Errorf("%s is empty: %w", path, ErrBadCopy)
	}
	at := func(off int64) (boltMeta, bool) {
		buf := make([]byte, pageHeaderSize+64)
		if n, _ := f.ReadAt(buf, off); n < len(buf) {
			return boltMeta{}, false
		}
		return parseMeta(buf)
	}
	m0, ok0 := at(0)
	pageSize := m0.pageSize
	if !ok0 { // the second meta page lies one page in, at a size bbolt allows
		for i := 0; i <= 14 && pageSize == 0; i++ {
			if m, ok := at(1024 << i); ok {
				pageSize = m.pageSize
			}
		}
	}
	if pageSize < 1024 || pageSize > 1<<24 {
		return boltMeta{}, fmt.Errorf("%s is not a bbolt database (no valid meta page): %w", path, ErrBadCopy)
	}
	m1, ok1 := at(int64(pageSize))
	if ok1 && m1.pageSize != pageSize {
		ok1 = false
	}
	if ok0 && m0.pageSize != pageSize {
		ok0 = false
	}
	m := m0
	if !ok0 || (ok1 && m1.txid > m0.txid) {
		m = m1
	}
	if !ok0 && !ok1 {
		return boltMeta{}, fmt.Errorf("%s is not a bbolt database (no valid meta page): %w", path, ErrBadCopy)
	}
	if m.hwm < 2 || m.root < 2 || m.root >= m.hwm || (m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.hwm)) {
		return boltMeta{}, fmt.Errorf("%s: the meta page points outside the file: %w", path, ErrBadCopy)
	}
	if have := uint64(size) / uint64(pageSize); m.hwm > have {
		return boltMeta{}, fmt.Errorf("%s is truncated: it holds %d of its %d pages: %w", path, have, m.hwm, ErrBadCopy)
	}
	return m, nil
}

// pageWalk reads the pages of a bbolt file through the file, not a memory
// map, checking that every page reached lies in the file, has the right
// type, holds its elements within itself, and is reached once.
type pageWalk struct {
	f    *os.File
	m    boltMeta
	seen []bool
}

func walkPages(path string) error {
	m, err := readMeta(path)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	defer f.Close()
	w := &pageWalk{f: f, m: m, seen: make([]bool, m.hwm)}
	if m.freelist != noFreelist {
		p, err := w.page(m.freelist)
		if err != nil {
			return w.bad("freelist: %v", err)
		}
		if err := checkFreelist(p, m.hwm); err != nil {
			return w.bad("freelist page %d: %v", m.freelist, err)
		}
	}
	if err := w.tree(m.root, 0); err != nil {
		return w.bad("%v", err)
	}
	return nil
}

func (w *pageWalk) bad(format string, args ...any) error {
	return fmt.Errorf("%s is damaged: %s: %w", w.f.Name(), fmt.Sprintf(format, args...), ErrBadCopy)
}

// page reads page id with its overflow pages.
func (w *pageWalk) page(id uint64) ([]byte, error) {
	if id < 2 || id >= w.m.hwm {
		return nil, fmt.Errorf("page %d is outside the file (%d pages)", id, w.m.hwm)
	}
	if w.seen[id] {
		return nil, fmt.Errorf("page %d is reached twice", id)
	}
	ps := int64(w.m.pageSize)
	head := make([]byte, pageHeaderSize)
	if _, err := w.f.ReadAt(head, int64(id)*ps); err != nil {
		return nil, fmt.Errorf("page %d: %v", id, err)
	}
	if got := native.Uint64(head); got != id {
		return nil, fmt.Errorf("page %d says it is page %d", id, got)
	}
	overflow := uint64(native.Uint32(head[12:]))
	if id+overflow >= w.m.hwm {
		return nil, fmt.Errorf("page %d runs past the end of the file", id)
	}
	for i := id; i <= id+overflow; i++ {
		if w.seen[i] {
			return nil, fmt.Errorf("page %d is reached twice", i)
		}
		w.seen[i] = true
	}
	buf := make([]byte, int64(overflow+1)*ps)
	if _, err := w.f.ReadAt(buf, int64(id)*ps); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("page %d: %v", id, err)
	}
	return buf, nil
}

// tree walks the b+tree whose root is page id.
func (w *pageWalk) tree(id uint64, depth int) error {
	if depth > maxTreeDepth {
		return fmt.Errorf("page %d: the tree is deeper than %d", id, maxTreeDepth)
	}
	p, err := w.page(id)
	if err != nil {
		return err
	}
	flags, count := native.Uint16(p[8:]), int(native.Uint16(p[10:]))
	if pageHeaderSize+count*pageElementSize > len(p) {
		return fmt.Errorf("page %d: %d elements do not fit", id, count)
	}
	switch flags {
	case branchPageFlag:
		if count == 0 {
			return fmt.Errorf("branch page %d is empty", id)
		}
		for i := range count {
			e := pageHeaderSize + i*pageElementSize
			pos, ksize := int(native.Uint32(p[e:])), int(native.Uint32(p[e+4:]))
			if e+pos+ksize > len(p) {
				return fmt.Errorf("page %d: key %d lies outside the page", id, i)
			}
			if err := w.tree(native.Uint64(p[e+8:]), depth+1); err != nil {
				return err
			}
		}
		return nil
	case leafPageFlag:
		return w.leaf(id, p, count, depth)
	}
	return fmt.Errorf("page %d: type %#x where the tree needs a branch or leaf page", id, flags)
}

// leaf checks the elements of a leaf page (or an inline bucket's page) and
// walks the buckets it holds.
func (w *pageWalk) leaf(id uint64, p []byte, count, depth int) error {
	for i := range count {
		e := pageHeaderSize + i*pageElementSize
		flags := native.Uint32(p[e:])
		pos, ksize, vsize := int(native.Uint32(p[e+4:])), int(native.Uint32(p[e+8:])), int(native.Uint32(p[e+12:]))
		if e+pos+ksize+vsize > len(p) {
			return fmt.Errorf("page %d: entry %d lies outside the page", id, i)
		}
		if flags&bucketLeafFlag == 0 {
			continue
		}
		v := p[e+pos+ksize : e+pos+ksize+vsize]
		if len(v) < inBucketSize {
			return fmt.Errorf("page %d: bucket %d is too short", id, i)
		}
		if root := native.Uint64(v); root != 0 {
			if err := w.tree(root, 0); err != nil {
				return err
			}
			continue
		}
		inline := v[inBucketSize:]
		if len(inline) < pageHeaderSize {
			return fmt.Errorf("page %d: inline bucket %d is too short", id, i)
		}
		n := int(native.Uint16(inline[10:]))
		if native.Uint16(inline[8:]) != leafPageFlag || pageHeaderSize+n*pageElementSize > len(inline) {
			return fmt.Errorf("page %d: inline bucket %d is damaged", id, i)
		}
		if depth > maxTreeDepth {
			return fmt.Errorf("page %d: buckets nest deeper than %d", id, maxTreeDepth)
		}
		if err := w.leaf(id, inline, n, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// checkFreelist checks that the list of free pages fits its page and names
// pages of the file.
func checkFreelist(p []byte, hwm uint64) error {
	if native.Uint16(p[8:]) != freelistPageFlag {
		return fmt.Errorf("type %#x, not a freelist", native.Uint16(p[8:]))
	}
	start, count := pageHeaderSize, uint64(native.Uint16(p[10:]))
	if count == 0xFFFF { // a long list keeps its length in its first element
		if len(p) < pageHeaderSize+8 {
			return errors.New("too short")
		}
		count, start = native.Uint64(p[pageHeaderSize:]), pageHeaderSize+8
	}
	if count > uint64(len(p)-start)/8 {
		return fmt.Errorf("%d entries do not fit", count)
	}
	for i := range int(count) {
		if id := native.Uint64(p[start+i*8:]); id < 2 || id >= hwm {
			return fmt.Errorf("free page %d is outside the file", id)
		}
	}
	return nil
}

// contentSum digests every bucket, key, value and bucket sequence in tx,
// in order, leaving out the session buckets as a copy leaves out their
// contents: a copy has the sum of the snapshot it was copied from.
func contentSum(tx *bolt.Tx) ([32]byte, error) {
	h := sha256.New()
	field := func(kind byte, b []byte) {
		var n [9]byte
		n[0] = kind
		binary.BigEndian.PutUint64(n[1:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	var walk func(b *bolt.Bucket, top []byte) error
	walk = func(b *bolt.Bucket, top []byte) error {
		c := b.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if v == nil {
				if sub := b.Bucket(k); sub != nil {
					field('b', k)
					if err := walk(sub, nil); err != nil {
						return err
					}
					continue
				}
			}
			if leftOutOfCopies(top, k) {
				continue
			}
			field('k', k)
			field('v', v)
		}
		field('s', binary.BigEndian.AppendUint64(nil, b.Sequence()))
		return nil
	}
	err := tx.ForEach(func(name []byte, b *bolt.Bucket) error {
		field('B', name)
		if isSessionBucket(name) {
			return nil
		}
		return walk(b, name)
	})
	var sum [32]byte
	h.Sum(sum[:0])
	return sum, err
}
