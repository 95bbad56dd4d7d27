// Package store holds the intranet's domain types, their rules and their
// persistence in one bbolt file.
package store

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Store is the intranet's database.
type Store struct {
	db  *database
	now func() time.Time

	// demo is true while demo accounts exist; every page shows a marker then.
	demo atomic.Bool

	org orgCache
	// sched counts committed changes to the schedule (courses, sessions,
	// marks): what is derived from it is kept under this number.
	sched atomic.Uint64
	// computed keeps indicator computations of the current schedule version.
	computed computeCache
	// trainerLinks: which trainer each account is, per schedule version.
	trainerLinks trainerLinks
	// notesVersion counts committed changes to the monitoring notes; notes
	// is their read model for that version.
	notesVersion atomic.Uint64
	// checklistsVersion counts committed changes to evaluation checklists
	// and their results.
	checklistsVersion atomic.Uint64
	notes             notesCache
	// accounts is the account list of the latest OrgVersion and day.
	accounts accountsCache
}

// Options configure Open.
type Options struct {
	ReadOnly bool
	// LockTimeout bounds the wait for the file lock held by another process.
	LockTimeout time.Duration
	// Now replaces the clock in tests.
	Now func() time.Time
}

// ErrLocked means another process (usually a running server) holds the database.
var ErrLocked = errors.New("the database is in use by another process (is the server running?)")

// Open opens (creating if needed) the database at path and brings its schema
// up to date.
func Open(path string, opt Options) (*Store, error) {
	if opt.LockTimeout == 0 {
		opt.LockTimeout = time.Second
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if !opt.ReadOnly {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	} else if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: opt.LockTimeout, ReadOnly: opt.ReadOnly})
	if errors.Is(err, bolt.ErrTimeout) {
		return nil, fmt.Errorf("%s: %w", path, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s := &Store{db: &database{DB: db}, now: opt.Now}
	if opt.ReadOnly {
		if err := s.checkVersion(); err != nil {
			db.Close()
			return nil, err
		}
	} else if err := s.migrate(); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.refreshDemo(); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database file.
func (s *Store) Close() error { return s.db.Close() }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.now() }

// BackupSize estimates the size of a backup from the size of the database;
// the copy is usually smaller, as it leaves out sessions and free pages.
func (s *Store) BackupSize() int64 {
	var n int64
	_ = s.db.View(func(tx *bolt.Tx) error { n = tx.Size(); return nil })
	return n
}

func itob(v uint64) []byte {
	b := make([]byte, 8)
	binary.BigEndian.PutUint64(b, v)
	return b
}

func btoi(b []byte) uint64 { return binary.BigEndian.Uint64(b) }

// nextID takes the bucket's next sequence number; IDs are never reused.
func nextID(b *bolt.Bucket) (uint64, error) {
	id, err := b.NextSequence()
	if err != nil {
		return 0, fmt.Errorf("next id: %w", err)
	}
	return id, nil
}

func getJSON(b *bolt.Bucket, key []byte, v any) error {
	data := b.Get(key)
	if data == nil {
		return ErrNotFound
	}
	return json.Unmarshal(data, v)
}

func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// database is bbolt with one seam: a fault that write transactions meet
// before they begin, with which tests and drills make the disk fail.
type database struct {
	*bolt.DB
	fault atomic.Pointer[func() error]
}

// Update runs a write transaction, unless a simulated fault answers first.
func (d *database) Update(fn func(*bolt.Tx) error) error {
	if f := d.fault.Load(); f != nil {
		if err := (*f)(); err != nil {
			return err
		}
	}
	return d.DB.Update(fn)
}

// SimulateWriteFault makes every write from now on fail with what fault
// returns (a full disk: an error wrapping syscall.ENOSPC); nil makes
// writes work again. For tests and drills: nothing of the data changes.
func (s *Store) SimulateWriteFault(fault func() error) {
	if fault == nil {
		s.db.fault.Store(nil)
		return
	}
	s.db.fault.Store(&fault)
}
