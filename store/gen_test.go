package store

import (
	"context"
	"path/filepath"
	"regexp"
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
