package store

import (
	"bytes"
	"encoding/binary"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Checklists and their results in bbolt. A unit's timeline and a
// checklist's page read the results through index buckets written in the
// same transaction as the result, so that either costs what it shows:
//
//	checklists                   id → Checklist
//	checklist_results            id → ChecklistResult
//	checklist_results.unit       unit | day | id → checklist ID
//	checklist_results.checklist  checklist | day | id → unit ID
//	checklists.results           checklist → how many results it has
//
// The index values let a scan pick results by checklist (or by unit)
// without decoding the ones it passes over.

var (
	bucketChecklists             = []byte("checklists")
	bucketChecklistResults       = []byte("checklist_results")
	bucketChecklistResultsUnit   = []byte("checklist_results.unit")
	bucketChecklistResultsOfList = []byte("checklist_results.checklist")
	bucketChecklistsResults      = []byte("checklists.results")
)

// checklistBuckets are every bucket of the feature, for the migration.
var checklistBuckets = [][]byte{bucketChecklists, bucketChecklistResults, bucketChecklistResultsUnit,
	bucketChecklistResultsOfList, bucketChecklistsResults}

// UnitResultsPerChecklist bounds the results of one checklist that
// ResultsOfUnit reads for a unit: the newest ones, enough for a grid over
// time on the unit's page.
const UnitResultsPerChecklist = 24

// resultKey orders the results of an owner (a unit or a checklist) by day
// and ID: owner (8 bytes) | day (4) | result ID (8).
func resultKey(owner uint64, day time.Time, id uint64) []byte {
	k := make([]byte, 0, 20)
	k = append(k, itob(owner)...)
	k = append(k, dayNumber(day)...)
	return append(k, itob(id)...)
}

// indexResult adds a result to the indexes (or, with del, takes it out)
// and keeps its checklist's count.
func indexResult(tx *bolt.Tx, r *ChecklistResult, del bool) error {
	units, lists := tx.Bucket(bucketChecklistResultsUnit), tx.Bucket(bucketChecklistResultsOfList)
	byUnit, byList := resultKey(r.UnitID, r.Date, r.ID), resultKey(r.ChecklistID, r.Date, r.ID)
	n := resultCount(tx, r.ChecklistID)
	if del {
		if err := units.Delete(byUnit); err != nil {
			return err
		}
		if err := lists.Delete(byList); err != nil {
			return err
		}
		return setResultCount(tx, r.ChecklistID, max(n-1, 0))
	}
	if err := units.Put(byUnit, itob(r.ChecklistID)); err != nil {
		return err
	}
	if err := lists.Put(byList, itob(r.UnitID)); err != nil {
		return err
	}
	return setResultCount(tx, r.ChecklistID, n+1)
}

func resultCount(tx *bolt.Tx, checklist uint64) int {
	if v := tx.Bucket(bucketChecklistsResults).Get(itob(checklist)); len(v) == 8 {
		return int(btoi(v))
	}
	return 0
}

func setResultCount(tx *bolt.Tx, checklist uint64, n int) error {
	b := tx.Bucket(bucketChecklistsResults)
	if n == 0 {
		return b.Delete(itob(checklist))
	}
	return b.Put(itob(checklist), itob(uint64(n)))
}

// Checklist returns one checklist.
func (s *Store) Checklist(id uint64) (*Checklist, error) { return one[Checklist](s, kindChecklist, id) }

// ChecklistResult returns one filled-in checklist.
func (s *Store) ChecklistResult(id uint64) (*ChecklistResult, error) {
	return one[ChecklistResult](s, kindChecklistResult, id)
}

// Checklists lists every checklist in Polish order of title; there are
// at most MaxChecklists.
func (s *Store) Checklists() ([]Checklist, error) {
	list, err := every[Checklist](s, kindChecklist)
	if err != nil {
		return nil, err
	}
	SortPolish(list, func(c Checklist) string { return c.Title })
	return list, nil
}

// ChecklistResultCounts is how many results each checklist has.
func (s *Store) ChecklistResultCounts() (map[uint64]int, error) {
	out := map[uint64]int{}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketChecklistsResults).ForEach(func(k, v []byte) error {
			out[btoi(k)] = int(btoi(v))
			return nil
		})
	})
	return out, err
}

// ChecklistsOfUnits counts the results each checklist has for the units
// (a head of a unit sees only the checklists used in their units).
func (s *Store) ChecklistsOfUnits(units map[uint64]bool) (map[uint64]int, error) {
	out := map[uint64]int{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketChecklistResultsUnit).Cursor()
		for unit := range units {
			prefix := itob(unit)
			for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
				out[btoi(v)]++
			}
		}
		return nil
	})
	return out, err
}

// SaveChecklist writes a new checklist (id 0) or a change of one at the
// version the form showed. The results filled in before keep their own
// copy of the questions.
func (s *Store) SaveChecklist(a Actor, id uint64, c Checklist, version int) (*Checklist, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var out *Checklist
	err := s.updateChecklists(func(tx *bolt.Tx) error {
		if id == 0 {
			if tx.Bucket(bucketChecklists).Stats().KeyN >= MaxChecklists {
				return Errorf(EConflict, WithMax("error.too_many", MaxChecklists))
			}
			out = &c
			return insert(s, tx, a, kindChecklist, out)
		}
		old, err := get[Checklist](tx, kindChecklist, id)
		if err != nil {
			return err
		}
		if version != 0 && old.Version != version {
			return &ConflictError{Entity: kindChecklist.entity, ID: id, Current: old}
		}
		c.Meta = old.Meta
		out = &c
		if old.Title == c.Title && old.Scale == c.Scale && old.Description == c.Description && slices.Equal(old.Questions, c.Questions) {
			out = old
			return nil
		}
		return replace(s, tx, a, kindChecklist, out, version, ActionUpdate)
	})
	return out, err
}

// DeleteChecklist removes a checklist no one has filled in yet; one with
// results stays, since its results name it.
func (s *Store) DeleteChecklist(a Actor, id uint64, version int) error {
	return s.updateChecklists(func(tx *bolt.Tx) error {
		if _, err := get[Checklist](tx, kindChecklist, id); err != nil {
			return err
		}
		if resultCount(tx, id) > 0 {
			return Errorf(EConflict, "error.checklist_in_use")
		}
		return remove[Checklist](s, tx, a, kindChecklist, id, version)
	})
}

// FillChecklist records a checklist filled in for a unit on a day. The
// answers are to the questions of the checklist at version, which the
// form showed: a checklist changed since is a conflict, not answers
// matched to other questions.
func (s *Store) FillChecklist(a Actor, version int, r ChecklistResult) (*ChecklistResult, error) {
	var out *ChecklistResult
	err := s.updateChecklists(func(tx *bolt.Tx) error {
		c, err := get[Checklist](tx, kindChecklist, r.ChecklistID)
		if err != nil {
			return err
		}
		if version != 0 && c.Version != version {
			return &ConflictError{Entity: kindChecklist.entity, ID: c.ID, Current: c}
		}
		r.Questions, r.Scale, r.By = slices.Clone(c.Questions), c.Scale, a.Login
		var v ValidationError
		if err := r.ValidateAsOf(s.Today()); err != nil {
			v = *err.(*ValidationError)
		}
		if r.UnitID != 0 && !r.Date.IsZero() {
			unitOn(tx, &v, r.UnitID, r.Date)
		}
		if err := v.Err(); err != nil {
			return err
		}
		if tx.Bucket(bucketChecklistResults).Stats().KeyN >= MaxChecklistResults {
			return Errorf(EConflict, WithMax("error.too_many", MaxChecklistResults))
		}
		out = &r
		if err := insert(s, tx, a, kindChecklistResult, out); err != nil {
			return err
		}
		return indexResult(tx, out, false)
	})
	return out, err
}

// unitOn checks that a unit existed on a day: a result about a team
// before it was formed, or after it ended, is a mistake.
func unitOn(tx *bolt.Tx, v *ValidationError, unit uint64, day time.Time) {
	u, err := get[Unit](tx, kindUnit, unit)
	if err != nil {
		v.Add("unit", "error.invalid_choice")
		return
	}
	if _, ok := u.At(day); !ok {
		if day.Before(u.Since()) {
			v.Add("unit", "error.unit_not_yet")
		} else {
			v.Add("unit", "error.unit_closed")
		}
	}
}

// DeleteChecklistResult removes a result at the version the confirmation
// showed.
func (s *Store) DeleteChecklistResult(a Actor, id uint64, version int) error {
	return s.updateChecklists(func(tx *bolt.Tx) error {
		old, err := get[ChecklistResult](tx, kindChecklistResult, id)
		if err != nil {
			return err
		}
		if err := remove[ChecklistResult](s, tx, a, kindChecklistResult, id, version); err != nil {
			return err
		}
		return indexResult(tx, old, true)
	})
}

// UnitHasChecklistResults reports whether a unit was evaluated with a
// checklist: its results would lose their subject if it were deleted.
func UnitHasChecklistResults(tx *bolt.Tx, unit uint64) bool {
	k, _ := tx.Bucket(bucketChecklistResultsUnit).Cursor().Seek(itob(unit))
	return k != nil && bytes.HasPrefix(k, itob(unit))
}

// lastUnder places a cursor on the last key with prefix (nil: none).
func lastUnder(c *bolt.Cursor, prefix []byte) ([]byte, []byte) {
	next := binary.BigEndian.Uint64(prefix) + 1
	var k, v []byte
	if next == 0 {
		k, v = c.Last()
	} else if k, v = c.Seek(itob(next)); k == nil {
		k, v = c.Last()
	} else {
		k, v = c.Prev()
	}
	if k == nil || !bytes.HasPrefix(k, prefix) {
		return nil, nil
	}
	return k, v
}

// ResultsOfUnit lists a unit's results, oldest first: of each checklist
// at most the newest UnitResultsPerChecklist.
func (s *Store) ResultsOfUnit(unit uint64) ([]ChecklistResult, error) {
	var out []ChecklistResult
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := itob(unit)
		c := tx.Bucket(bucketChecklistResultsUnit).Cursor()
		seen := map[uint64]int{}
		for k, v := lastUnder(c, prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
			list := btoi(v)
			if seen[list] >= UnitResultsPerChecklist {
				continue
			}
			seen[list]++
			r, err := get[ChecklistResult](tx, kindChecklistResult, btoi(k[12:]))
			if err != nil {
				return err
			}
			out = append(out, *r)
		}
		return nil
	})
	slices.Reverse(out)
	return out, err
}

// ResultsOfChecklist lists a checklist's results, newest first: skip of
// them, at most limit, and how many there are in all. may, when set, keeps
// only the results of the units it accepts (a head sees their units').
func (s *Store) ResultsOfChecklist(id uint64, skip, limit int, may func(unit uint64) bool) ([]ChecklistResult, int, error) {
	var out []ChecklistResult
	total := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := itob(id)
		c := tx.Bucket(bucketChecklistResultsOfList).Cursor()
		for k, v := lastUnder(c, prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Prev() {
			if may != nil && !may(btoi(v)) {
				continue
			}
			if total >= skip && len(out) < limit {
				r, err := get[ChecklistResult](tx, kindChecklistResult, btoi(k[12:]))
				if err != nil {
					return err
				}
				out = append(out, *r)
			}
			total++
		}
		return nil
	})
	return out, total, err
}

// checkChecklists reports checklists and results their rules refuse,
// results whose checklist or unit is gone, and index entries or counts
// that disagree with the results.
func checkChecklists(tx *bolt.Tx, today time.Time, exists func([]byte, uint64) bool, add func(string, ...any)) error {
	if err := checkValid[Checklist](tx, kindChecklist, add); err != nil {
		return err
	}
	results, err := all[ChecklistResult](tx, kindChecklistResult)
	if err != nil {
		return err
	}
	units, lists := tx.Bucket(bucketChecklistResultsUnit), tx.Bucket(bucketChecklistResultsOfList)
	counts := map[uint64]int{}
	for i := range results {
		r := &results[i]
		if err := r.ValidateAsOf(today); err != nil {
			add("checklist result %d: %v", r.ID, err)
		}
		if !exists(bucketChecklists, r.ChecklistID) {
			add("checklist result %d: checklist %d missing", r.ID, r.ChecklistID)
		}
		if !exists(bucketUnits, r.UnitID) {
			add("checklist result %d: unit %d missing", r.ID, r.UnitID)
		}
		if v := units.Get(resultKey(r.UnitID, r.Date, r.ID)); v == nil || btoi(v) != r.ChecklistID {
			add("checklist result %d: not indexed under unit %d", r.ID, r.UnitID)
		}
		if v := lists.Get(resultKey(r.ChecklistID, r.Date, r.ID)); v == nil || btoi(v) != r.UnitID {
			add("checklist result %d: not indexed under checklist %d", r.ID, r.ChecklistID)
		}
		counts[r.ChecklistID]++
	}
	for _, ix := range []struct {
		b     *bolt.Bucket
		name  string
		owner func(*ChecklistResult) uint64
		value func(*ChecklistResult) uint64
	}{
		{units, "unit", func(r *ChecklistResult) uint64 { return r.UnitID }, func(r *ChecklistResult) uint64 { return r.ChecklistID }},
		{lists, "checklist", func(r *ChecklistResult) uint64 { return r.ChecklistID }, func(r *ChecklistResult) uint64 { return r.UnitID }},
	} {
		if err := ix.b.ForEach(func(k, v []byte) error {
			if len(k) != 20 || len(v) != 8 {
				add("checklist result %s index: an entry of %d and %d bytes", ix.name, len(k), len(v))
				return nil
			}
			var r ChecklistResult
			if getJSON(tx.Bucket(bucketChecklistResults), k[12:], &r) != nil || ix.owner(&r) != btoi(k[:8]) ||
				!bytes.Equal(dayNumber(r.Date), k[8:12]) || ix.value(&r) != btoi(v) {
				add("checklist result %s index: %d under %d disagrees with the record", ix.name, btoi(k[12:]), btoi(k[:8]))
			}
			return nil
		}); err != nil {
			return err
		}
	}
	if err := tx.Bucket(bucketChecklistsResults).ForEach(func(k, v []byte) error {
		if len(k) != 8 || len(v) != 8 {
			add("checklist result counts: an entry of %d and %d bytes", len(k), len(v))
			return nil
		}
		if id := btoi(k); counts[id] != int(btoi(v)) {
			add("checklist %d: counted %d results, has %d", id, btoi(v), counts[id])
		}
		delete(counts, btoi(k))
		return nil
	}); err != nil {
		return err
	}
	for id, n := range counts {
		add("checklist %d: counted 0 results, has %d", id, n)
	}
	return nil
}

// updateChecklists runs a write transaction that changes checklists or
// their results and moves their version on after it (the timelines that
// show results are kept per version).
func (s *Store) updateChecklists(fn func(tx *bolt.Tx) error) error {
	err := s.db.Update(fn)
	s.checklistsVersion.Add(1)
	return err
}

// ChecklistsVersion changes whenever a checklist or a result does.
func (s *Store) ChecklistsVersion() uint64 { return s.checklistsVersion.Load() }
