package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func addPerson(t *testing.T, s *Store, unit uint64, first, last string) *Staff {
	t.Helper()
	p := &Staff{FirstName: first, LastName: last, EmployedFrom: day("2010-01-01"), Assignments: posted(unit, "referent", "2010-01-01")}
	if err := s.SavePerson(System, p, 0); err != nil {
		t.Fatal(err)
	}
	return p
}

func testUnit(t *testing.T, s *Store) uint64 {
	t.Helper()
	u, err := s.SaveUnitState(System, 0, 0, UnitState{From: day("2010-01-01"), Name: "Zespół", Kind: KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// The snapshot keeps people in the order the Polish collator gives, once
// per change, so the directory never sorts per request.
func TestSnapshotOrderIsPolish(t *testing.T) {
	for _, c := range []struct {
		name string
		want [][2]string // last name, first name, in the order wanted
	}{
		{"letters with marks after their base", [][2]string{{"Cebula", "Jan"}, {"Ćma", "Jan"}, {"Lis", "Jan"}, {"Łoś", "Jan"},
			{"Nowak", "Jan"}, {"Śliwa", "Jan"}, {"Zając", "Jan"}, {"Źrebiec", "Jan"}, {"Żak", "Jan"}}},
		{"a mark inside the word", [][2]string{{"Kowal", "Ewa"}, {"Kowalczyk", "Ewa"}, {"Kowalska", "Ewa"}, {"Kowalski", "Ewa"},
			{"Kozioł", "Ewa"}, {"Koziołek", "Ewa"}, {"Kozłowska", "Ewa"}}},
		{"the first name when the last names are the same", [][2]string{{"Nowak", "Adam"}, {"Nowak", "Ćwikła"}, {"Nowak", "Łucja"},
			{"Nowak", "Maria"}, {"Nowak", "Źdźisław"}, {"Nowak", "Żaneta"}, {"Nowakowska", "Anna"}}},
		{"case does not order", [][2]string{{"de Lorm", "Anna"}, {"Dębska", "Anna"}, {"Dudek", "Anna"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, _, _ := openTest(t)
			unit := testUnit(t, s)
			// Added in an order unlike the wanted one: reversed, odd first.
			var order []int
			for i := len(c.want) - 1; i >= 0; i -= 2 {
				order = append(order, i)
			}
			for i := len(c.want) - 2; i >= 0; i -= 2 {
				order = append(order, i)
			}
			for _, i := range order {
				addPerson(t, s, unit, c.want[i][1], c.want[i][0])
			}
			o, err := s.Org()
			if err != nil {
				t.Fatal(err)
			}
			var got [][2]string
			for _, p := range o.People {
				got = append(got, [2]string{p.LastName, p.FirstName})
			}
			if !slices.Equal(got, c.want) {
				t.Fatalf("snapshot order %v, want %v", got, c.want)
			}
			sorted := slices.Clone(o.People)
			SortPolish(sorted, func(p Staff) string { return p.LastName }, func(p Staff) string { return p.FirstName })
			for i := range sorted {
				if sorted[i].ID != o.People[i].ID {
					t.Fatalf("snapshot order differs from the collator at %d", i)
				}
			}
		})
	}
}

// Paging with a cursor shows everyone who was there exactly once, while
// people are added (before and after the cursor) between the pages.
func TestDirectoryCursorPagingWhileAdding(t *testing.T) {
	s, _, _ := openTest(t)
	unit := testUnit(t, s)
	var before []uint64
	for i := range 60 {
		before = append(before, addPerson(t, s, unit, "Anna", fmt.Sprintf("Kowalska%03d", i)).ID)
	}
	seen := map[uint64]int{}
	var after uint64
	for page := 0; page < 20; page++ {
		o, err := s.Org()
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := o.Directory(day("2026-01-01")).Find(DirectoryQuery{After: after, Limit: 7})
		if len(rows) == 0 {
			break
		}
		for _, r := range rows {
			seen[r.Person.ID]++
		}
		after = rows[len(rows)-1].Person.ID
		// Someone who sorts first and someone who sorts last join meanwhile.
		addPerson(t, s, unit, "Adam", fmt.Sprintf("Abacka%02d", page))
		addPerson(t, s, unit, "Zofia", fmt.Sprintf("Żurek%02d", page))
	}
	for _, id := range before {
		if seen[id] != 1 {
			t.Fatalf("person %d shown %d times", id, seen[id])
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("person %d shown %d times", id, n)
		}
	}
}

func TestDirectorySearchAndFilters(t *testing.T) {
	s, _, _ := openTest(t)
	unit := testUnit(t, s)
	other := testUnit(t, s)
	addPerson(t, s, unit, "Żaneta", "Wójcik")
	p := addPerson(t, s, other, "Jan", "Łukasik")
	p.Phones = []string{"32 285-78-39"}
	if err := s.SavePerson(System, p, 0); err != nil {
		t.Fatal(err)
	}
	o, _ := s.Org()
	d := o.Directory(day("2026-01-01"))
	for _, tc := range []struct {
		q    DirectoryQuery
		want int
	}{
		{DirectoryQuery{Text: "zaneta wojcik", Limit: 10}, 1},
		{DirectoryQuery{Text: "lukasik", Limit: 10}, 1},
		{DirectoryQuery{Text: "2857839", Limit: 10}, 1},
		{DirectoryQuery{UnitID: other, Limit: 10}, 1},
		{DirectoryQuery{Text: "referent", Limit: 10}, 2},
		{DirectoryQuery{Text: "nikt", Limit: 10}, 0},
	} {
		rows, total := d.Find(tc.q)
		if total != tc.want || len(rows) != tc.want {
			t.Errorf("%+v: %d rows, total %d, want %d", tc.q, len(rows), total, tc.want)
		}
	}
}

// After a change the snapshot decodes only the records whose stored bytes
// changed; every other one (and its collation keys) is reused.
func TestSnapshotDecodesOnlyWhatChanged(t *testing.T) {
	s, _, _ := openTest(t)
	u := testUnit(t, s)
	a := addPerson(t, s, u, "Ala", "Kot")
	b := addPerson(t, s, u, "Ola", "Lis")
	if _, err := s.Org(); err != nil {
		t.Fatal(err)
	}
	before := s.org.seen.people
	a.Room = "12"
	if err := s.SavePerson(System, a, a.Version); err != nil {
		t.Fatal(err)
	}
	o, err := s.Org()
	if err != nil {
		t.Fatal(err)
	}
	after := s.org.seen.people
	if after[b.ID] != before[b.ID] {
		t.Error("an unchanged person was decoded again")
	}
	if after[a.ID] == before[a.ID] || o.PersonByID[a.ID].Room != "12" {
		t.Error("the changed person was not read again")
	}
}

// Whatever part of a person's text is typed, the search finds them: the
// trigram index only narrows where the word is looked for.
func TestSearchFindsEveryPartOfTheText(t *testing.T) {
	s := genStore(t, 1)
	o, err := s.Org()
	if err != nil {
		t.Fatal(err)
	}
	d := o.Directory(s.Today())
	for i := 0; i < len(d.Entries); i += 7 {
		e := d.Entries[i]
		words := strings.Fields(strings.ReplaceAll(e.hay, "\x00", " "))
		for j, word := range words {
			w := []rune(word)
			for _, part := range []string{word, string(w[:min(2, len(w))]), string(w[len(w)/2:]), string(w[:len(w)-len(w)/3])} {
				if strings.TrimSpace(part) == "" {
					continue
				}
				found := false
				after := uint64(0)
				for !found {
					page, _ := d.Find(DirectoryQuery{Text: part, Former: true, After: after, Limit: 100})
					if len(page) == 0 {
						break
					}
					for _, r := range page {
						found = found || r.Person.ID == e.Person.ID
					}
					after = page[len(page)-1].Person.ID
				}
				if !found {
					t.Fatalf("%q (word %d of %s) does not find %s", part, j, e.hay, e.Person.FullName())
				}
			}
		}
	}
}
