package store

import (
	"encoding/json"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Meta is what every stored record carries: its ID (a bucket sequence,
// never reused), a version that each update increments, and timestamps.
type Meta struct {
	ID      uint64    `json:"id"`
	Version int       `json:"version"`
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

func (m *Meta) meta() *Meta { return m }

// Versioned is the version a form or a confirmation carries back.
func (m *Meta) Versioned() int { return m.Version }

// record is a pointer to a struct that embeds Meta.
type record[T any] interface {
	*T
	meta() *Meta
}

// kind describes how one entity is stored: its bucket and audit name, and
// for the parts of a project (milestones, indicators) the index bucket
// that lists them by project.
type kind struct {
	entity    string
	bucket    []byte
	byProject []byte
}

// projectPart is a record that belongs to a project.
type projectPart interface{ partOf() uint64 }

// partKey is the key of a project's part in its kind's index:
// project ID then the part's ID, so that a prefix scan lists the parts.
func partKey(project, id uint64) []byte { return append(itob(project), itob(id)...) }

// indexPart adds (or, with del, removes) a record in its kind's index by
// project, when the kind has one.
func indexPart(tx *bolt.Tx, k kind, v any, id uint64, del bool) error {
	part, ok := v.(projectPart)
	if k.byProject == nil || !ok {
		return nil
	}
	b := tx.Bucket(k.byProject)
	if del {
		return b.Delete(partKey(part.partOf(), id))
	}
	return b.Put(partKey(part.partOf(), id), nil)
}

func get[T any, P record[T]](tx *bolt.Tx, k kind, id uint64) (*T, error) {
	var v T
	if err := getJSON(tx.Bucket(k.bucket), itob(id), &v); err != nil {
		return nil, err
	}
	return &v, nil
}

func all[T any, P record[T]](tx *bolt.Tx, k kind) ([]T, error) {
	var out []T
	err := tx.Bucket(k.bucket).ForEach(func(_, data []byte) error {
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			return err
		}
		out = append(out, v)
		return nil
	})
	return out, err
}

// insert stores a new record under the next ID and audits it.
func insert[T any, P record[T]](s *Store, tx *bolt.Tx, a Actor, k kind, v P) error {
	b := tx.Bucket(k.bucket)
	id, err := nextID(b)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	m := v.meta()
	m.ID, m.Version, m.Created, m.Updated = id, 1, now, now
	if err := putJSON(b, itob(id), v); err != nil {
		return err
	}
	if err := indexPart(tx, k, v, id, false); err != nil {
		return err
	}
	return s.audit(tx, a, k.entity, id, ActionCreate, Diff(nil, v))
}

// replace stores a changed record if the stored one still has version
// (0 skips the check) and audits the fields that changed.
func replace[T any, P record[T]](s *Store, tx *bolt.Tx, a Actor, k kind, v P, version int, action string) error {
	m := v.meta()
	old, err := get[T, P](tx, k, m.ID)
	if err != nil {
		return err
	}
	om := P(old).meta()
	if version != 0 && om.Version != version {
		return &ConflictError{Entity: k.entity, ID: m.ID, Current: old}
	}
	m.Version, m.Created, m.Updated = om.Version+1, om.Created, s.now().UTC()
	if err := putJSON(tx.Bucket(k.bucket), itob(m.ID), v); err != nil {
		return err
	}
	return s.audit(tx, a, k.entity, m.ID, action, Diff(old, v))
}

// remove deletes a record if it still has version (0 skips the check, as in
// replace) and audits what it held: a deletion confirmed on a page that
// showed an older version must not remove what someone changed since.
func remove[T any, P record[T]](s *Store, tx *bolt.Tx, a Actor, k kind, id uint64, version int) error {
	old, err := get[T, P](tx, k, id)
	if err != nil {
		return err
	}
	if version != 0 && P(old).meta().Version != version {
		return &ConflictError{Entity: k.entity, ID: id, Current: old}
	}
	if err := tx.Bucket(k.bucket).Delete(itob(id)); err != nil {
		return err
	}
	if err := indexPart(tx, k, old, id, true); err != nil {
		return err
	}
	return s.audit(tx, a, k.entity, id, ActionDelete, Diff(old, nil))
}

// one reads a record in its own read transaction.
func one[T any, P record[T]](s *Store, k kind, id uint64) (*T, error) {
	var out *T
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = get[T, P](tx, k, id)
		return err
	})
	return out, err
}

// every reads all records of a kind in one read transaction.
func every[T any, P record[T]](s *Store, k kind) ([]T, error) {
	var out []T
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = all[T, P](tx, k)
		return err
	})
	return out, err
}
