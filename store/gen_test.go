package store

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

func genStore(t *testing.T, seed uint64) *Store {
	t.Helper()
	var tick atomic.Int64
	base := time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC)
	s, err := Open(filepath.Join(t.TempDir(), "gen.db"), Options{Now: func() time.Time {
		return base.Add(time.Duration(tick.Add(1)) * time.Millisecond)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	stats, err := s.Generate(context.Background(), NewHasher(testParams, DefaultHashMemory), GenOptions{Scale: 1, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	if stats.Staff != 150 || stats.Units != 40 || stats.Locations != 10 || stats.AuditEntries < 5000 {
		t.Fatalf("scale 1 made %+v", stats)
	}
	return s
}

var salted = regexp.MustCompile(`"password_hash":"[^"]*"`)

func TestGeneratedCentreIsConsistentAndRepeatable(t *testing.T) {
	a := genStore(t, 7)
	problems, err := a.Check()
	if err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", err, problems)
	}
	// Everything but the password salts is the same for the same seed.
	b := genStore(t, 7)
	da, db := dump(t, a), dump(t, b)
	if len(da) != len(db) {
		t.Fatalf("%d keys against %d", len(da), len(db))
	}
	for k, v := range da {
		if salted.ReplaceAllString(v, "") != salted.ReplaceAllString(db[k], "") {
			t.Fatalf("%s differs between two runs with one seed", k)
		}
	}
	if c := genStore(t, 8); dump(t, c)["staff/0000000000000001"] == da["staff/0000000000000001"] {
		t.Fatal("another seed gave the same first person")
	}
	if _, err := a.Generate(context.Background(), NewHasher(testParams, DefaultHashMemory), GenOptions{Scale: 1}); err != ErrNotEmpty {
		t.Fatalf("a second generation into the same file: %v", err)
	}
}

// Check finds what it is there to find.
func TestCheckReportsBrokenReferences(t *testing.T) {
	s := genStore(t, 1)
	p, err := s.Person(1)
	if err != nil {
		t.Fatal(err)
	}
	p.Assignments[0].UnitID = 99999
	if err := s.db.Update(func(tx *bboltTx) error { return putJSON(tx.Bucket(bucketStaff), itob(p.ID), p) }); err != nil {
		t.Fatal(err)
	}
	problems, err := s.Check()
	if err != nil || len(problems) != 1 || problems[0] != "staff 1: unit 99999 missing" {
		t.Fatalf("check: %v %q", err, problems)
	}
}

// A generated centre has histories, as a real one would after years:
// people who moved (an assignment closed, the next from the day after),
// people with two posts at once, and the structure as of an earlier day
// counts each person where they were then, not where they are now.
func TestGeneratedCentreHasHistories(t *testing.T) {
	s := genStore(t, 5)
	o, err := s.Org()
	if err != nil {
		t.Fatal(err)
	}
	type move struct {
		p        *Staff
		from, to Assignment
	}
	var moves []move
	twoAtOnce := 0
	for i := range o.People {
		p := &o.People[i]
		moved, both := false, false
		for j, a := range p.Assignments {
			for _, b := range p.Assignments[j+1:] {
				if !a.To.IsZero() && b.From.Equal(a.To.AddDate(0, 0, 1)) && !moved {
					moved = true
					moves = append(moves, move{p, a, b})
				}
				both = both || (a.overlaps(b) && p.EmployedOn(b.From))
			}
		}
		if both {
			twoAtOnce++
		}
	}
	if len(moves) < 30 || twoAtOnce < 5 {
		t.Fatalf("%d people moved and %d held two posts at once, of %d", len(moves), twoAtOnce, len(o.People))
	}

	// Head counts of a day follow the posts in force that day.
	headCounts := func(day time.Time) map[uint64]int {
		n := map[uint64]int{}
		for i := range o.People {
			seen := map[uint64]bool{}
			for _, a := range o.People[i].AssignmentsOn(day) {
				if !seen[a.UnitID] {
					seen[a.UnitID] = true
					n[a.UnitID]++
				}
			}
		}
		return n
	}
	checked := 0
	for _, m := range moves {
		last, first := m.from.To, m.to.From
		if m.from.UnitID == m.to.UnitID || !m.p.EmployedOn(first) || !first.Before(s.Today()) {
			continue
		}
		in := func(unit uint64, day time.Time) bool {
			return slices.ContainsFunc(o.MembersOf(unit, day), func(x Member) bool { return x.Person.ID == m.p.ID })
		}
		if !in(m.from.UnitID, last) || in(m.from.UnitID, first) || !in(m.to.UnitID, first) {
			t.Fatalf("%s moved on %s from unit %d to %d: the members of both around that day disagree",
				m.p.FullName(), first.Format(time.DateOnly), m.from.UnitID, m.to.UnitID)
		}
		for _, day := range []time.Time{last, first} {
			tree, want := o.Tree(day), headCounts(day)
			for id, n := range tree.Node {
				if n.Staff != want[id] {
					t.Fatalf("on %s unit %d counts %d people, its posts say %d", day.Format(time.DateOnly), id, n.Staff, want[id])
				}
			}
		}
		if _, n := o.Directory(last).Find(DirectoryQuery{UnitID: m.from.UnitID, Text: m.p.LastName, Limit: 50}); n == 0 {
			t.Fatalf("the directory of %s does not find %s in unit %d", last.Format(time.DateOnly), m.p.FullName(), m.from.UnitID)
		}
		if checked++; checked == 5 {
			break
		}
	}
	if checked < 5 {
		t.Fatalf("only %d moves between two units to check", checked)
	}
}
