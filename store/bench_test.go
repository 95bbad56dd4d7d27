package store

import (
	"context"
	"fmt"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

func BenchmarkUserByID(b *testing.B) {
	s, _, _ := openBench(b)
	u := &User{Login: "bench", Name: "Bench", Roles: []Role{RoleStaff}, Active: true}
	if err := s.CreateUser(System, u); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.User(u.ID); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSessionGet(b *testing.B) {
	s, _, _ := openBench(b)
	ss := s.Sessions()
	if err := ss.Set("sid", make([]byte, 200), time.Hour); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if v, _ := ss.Get("sid"); v == nil {
			b.Fatal("missing")
		}
	}
}

// BenchmarkUpdateUser is one audited write transaction (with fsync).
func BenchmarkUpdateUser(b *testing.B) {
	s, _, _ := openBench(b)
	u := &User{Login: "bench", Name: "Bench", Roles: []Role{RoleStaff}, Active: true}
	if err := s.CreateUser(System, u); err != nil {
		b.Fatal(err)
	}
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		if _, err := s.UpdateUser(System, u.ID, 0, ActionUpdate, func(x *User) error { x.Name = fmt.Sprint("Bench ", i); return nil }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAuditPage reads the newest page of a 10 000-entry log.
func BenchmarkAuditPage(b *testing.B) {
	s, _, _ := openBench(b)
	for i := 0; i < 100; i++ {
		if err := s.db.Update(func(tx *bboltTx) error {
			for j := 0; j < 100; j++ {
				if err := s.audit(tx, System, "session", 0, ActionLogin, nil); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if p, err := s.Audit(AuditFilter{Limit: 50}); err != nil || len(p.Entries) != 50 {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshotAfterAChange is what the first request after a change to
// one person pays at ten times a large centre: the snapshot rebuilt, and the
// structure and directory of today built from it.
func BenchmarkSnapshotAfterAChange(b *testing.B) {
	s := benchCentre(b, 10)
	p, err := s.Person(1)
	if err != nil {
		b.Fatal(err)
	}
	today := s.Today()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		p.Room = strconv.Itoa(i % 40)
		if err := s.SavePerson(System, p, 0); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		o, err := s.Org()
		if err != nil {
			b.Fatal(err)
		}
		o.Tree(today)
		o.Directory(today)
	}
}

// BenchmarkDirectorySearch is a search of the directory at ten times a
// large centre, as /staff?q=nowak asks it.
func BenchmarkDirectorySearch(b *testing.B) {
	s := benchCentre(b, 10)
	o, err := s.Org()
	if err != nil {
		b.Fatal(err)
	}
	d := o.Directory(s.Today())
	b.ResetTimer()
	for b.Loop() {
		if _, n := d.Find(DirectoryQuery{Text: "nowak", Limit: 25}); n == 0 {
			b.Fatal("nothing found")
		}
	}
}

// benchCentre is a generated centre of the given scale.
func benchCentre(b *testing.B, scale int) *Store {
	b.Helper()
	s, err := Open(filepath.Join(b.TempDir(), "gen.db"), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.Generate(context.Background(), NewHasher(testParams, DefaultHashMemory), GenOptions{Scale: scale, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	return s
}
