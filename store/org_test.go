package store

import (
	"bytes"
	"context"
	"errors"
	bolt "go.etcd.io/bbolt"
	"slices"
	"strings"
	"testing"
	"time"
)

// demoStore is a store with the demo centre.
func demoStore(t *testing.T) *Store {
	t.Helper()
	s, _, _ := openTest(t)
	if _, err := s.SeedDemo(t.Context(), NewHasher(testParams, 16<<20)); err != nil {
		t.Fatal(err)
	}
	return s
}

// posted is a person's single assignment, primary, from day from ("" for
// none).
func posted(unit uint64, job, from string) []Assignment {
	a := Assignment{ID: 1, UnitID: unit, Position: job, Primary: true}
	if from != "" {
		a.From = day(from)
	}
	return []Assignment{a}
}

// testOrg is a snapshot of the given records, as Org builds it.
func testOrg(units []Unit, locs []Location, people []Staff, cats ...JobCategory) *Org {
	o := &Org{Units: units, Locations: locs, People: people, Categories: cats, byDay: map[dayKey]any{}}
	o.index()
	return o
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestFold(t *testing.T) {
	cases := map[string]string{
		"Żółw":                       "zolw",
		"ul. Śląska":                 "ul. slaska",
		"ŁĄCZNOŚĆ":                   "lacznosc",
		"Zespół ds. Pracy Socjalnej": "zespol ds. pracy socjalnej",
		"Ćma, źdźbło, gęś":           "cma, zdzblo, ges",
	}
	for in, want := range cases {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatches(t *testing.T) {
	fields := []string{"Żaneta Łukasiewicz", "pracownik socjalny", "Zespół ds. Pracy Socjalnej", "32 285-78-39", "ul. Bytomska 15"}
	for _, q := range []string{"zaneta", "ŁUKASIEW", "lukasiewicz socjal", "2857839", "285-78", "bytomska", ""} {
		if !Matches(q, fields...) {
			t.Errorf("%q does not match", q)
		}
	}
	for _, q := range []string{"janasa", "zaneta kowalska", "999"} {
		if Matches(q, fields...) {
			t.Errorf("%q matches", q)
		}
	}
}

func TestSortPolish(t *testing.T) {
	names := []string{"Żak", "Zając", "Łata", "Lis", "Ćwik", "Cebula", "Śliwa", "Sowa", "Ąbek", "Adamek", "Ostrowska", "Ósma"}
	SortPolish(names, func(s string) string { return s })
	want := []string{"Adamek", "Ąbek", "Cebula", "Ćwik", "Lis", "Łata", "Ostrowska", "Ósma", "Sowa", "Śliwa", "Zając", "Żak"}
	for i := range want {
		if names[i] != want[i] {
			t.Fatalf("order %v, want %v", names, want)
		}
	}
}

func TestNormalizeHours(t *testing.T) {
	ok := map[string]string{
		"10:00-14:00":             "10:00–14:00",
		"8.00 – 15.00":            "08:00–15:00",
		"7:30-10:30, 12:00-15:00": "07:30–10:30, 12:00–15:00",
		"":                        "",
	}
	for in, want := range ok {
		if got, valid := NormalizeHours(in); !valid || got != want {
			t.Errorf("NormalizeHours(%q) = %q %v, want %q", in, got, valid, want)
		}
	}
	for _, bad := range []string{"14:00-10:00", "25:00-26:00", "rano", "10-14", "10:00-10:00", "10:60-11:00"} {
		if _, valid := NormalizeHours(bad); valid {
			t.Errorf("NormalizeHours(%q) accepted", bad)
		}
	}
}

// A small structure: a department renamed and a team moved between
// departments on 2017-09-01, a team created that day, one dissolved.
func orgFixture() ([]Unit, []Staff) {
	units := []Unit{
		{Meta: Meta{ID: 1}, States: []UnitState{{From: day("2010-01-01"), Name: "Dyrekcja", Kind: KindManagement}}},
		{Meta: Meta{ID: 2}, States: []UnitState{
			{From: day("2010-01-01"), Name: "Dział Pomocy", Kind: KindDepartment, ParentID: 1},
			{From: day("2017-09-01"), Name: "Dział Pomocy Środowiskowej", Kind: KindDepartment, ParentID: 1},
		}},
		{Meta: Meta{ID: 3}, States: []UnitState{{From: day("2010-01-01"), Name: "Dział Pracy Socjalnej", Kind: KindDepartment, ParentID: 1}}},
		{Meta: Meta{ID: 4}, States: []UnitState{
			{From: day("2010-01-01"), Name: "Zespół ds. Usług", Kind: KindTeam, ParentID: 2},
			{From: day("2017-09-01"), Name: "Zespół ds. Usług", Kind: KindTeam, ParentID: 3},
		}},
		{Meta: Meta{ID: 5}, States: []UnitState{{From: day("2017-09-01"), Name: "Stanowisko ds. Pierwszego Kontaktu", Kind: KindPosition, ParentID: 2}}},
		{Meta: Meta{ID: 6}, States: []UnitState{{From: day("2010-01-01"), Name: "Sekcja Rejonów", Kind: KindSection, ParentID: 2}}, Until: day("2017-09-01")},
	}
	staff := []Staff{
		{Meta: Meta{ID: 1}, FirstName: "Anna", LastName: "A", Assignments: posted(4, "x", "")},
		{Meta: Meta{ID: 2}, FirstName: "Jan", LastName: "B", EmployedFrom: day("2017-09-01"), Assignments: posted(5, "x", "2017-09-01")},
		{Meta: Meta{ID: 3}, FirstName: "Ewa", LastName: "C", EmployedTo: day("2017-08-31"), Assignments: posted(6, "x", "")},
	}
	units[1].States[1].HeadID = 2
	return units, staff
}

// flat lists "depth:name(staff/total)" in display order.
func flat(nodes []*OrgNode, depth int, out *[]string) {
	for _, n := range nodes {
		*out = append(*out, string(rune('0'+depth))+":"+n.State.Name+"("+string(rune('0'+n.Staff))+"/"+string(rune('0'+n.Total))+")")
		flat(n.Children, depth+1, out)
	}
}

func TestBuildTreeAsOfDate(t *testing.T) {
	units, staff := orgFixture()
	cases := []struct {
		day  string
		want []string
	}{
		{"2017-08-31", []string{
			"0:Dyrekcja(0/2)",
			"1:Dział Pomocy(0/2)", "2:Zespół ds. Usług(1/1)", "2:Sekcja Rejonów(1/1)",
			"1:Dział Pracy Socjalnej(0/0)",
		}},
		{"2017-09-01", []string{
			"0:Dyrekcja(0/2)",
			"1:Dział Pomocy Środowiskowej(0/1)", "2:Stanowisko ds. Pierwszego Kontaktu(1/1)",
			"1:Dział Pracy Socjalnej(0/1)", "2:Zespół ds. Usług(1/1)",
		}},
		{"2009-12-31", nil},
	}
	for _, c := range cases {
		var got []string
		flat(BuildTree(units, staff, day(c.day)), 0, &got)
		if len(got) != len(c.want) {
			t.Errorf("%s: got %v, want %v", c.day, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("%s: got %v, want %v", c.day, got, c.want)
				break
			}
		}
	}
	tree := BuildTree(units, staff, day("2018-01-01"))
	if h := tree[0].Children[0].Head; h == nil || h.FirstName != "Jan" {
		t.Errorf("head of Dział Pomocy Środowiskowej = %v", h)
	}
}

func TestUnitAt(t *testing.T) {
	units, _ := orgFixture()
	u := units[1]
	cases := []struct {
		day  string
		name string
		ok   bool
	}{
		{"2009-12-31", "", false},
		{"2010-01-01", "Dział Pomocy", true},
		{"2017-08-31", "Dział Pomocy", true},
		{"2017-09-01", "Dział Pomocy Środowiskowej", true},
		{"2030-01-01", "Dział Pomocy Środowiskowej", true},
	}
	for _, c := range cases {
		st, ok := u.At(day(c.day))
		if ok != c.ok || st.Name != c.name {
			t.Errorf("At(%s) = %q %v", c.day, st.Name, ok)
		}
	}
	if _, ok := units[5].At(day("2017-09-01")); ok {
		t.Error("a unit exists on the day it ended")
	}
}

func TestUnitHistoryAndRefusals(t *testing.T) {
	s, _, _ := openTest(t)
	top, err := s.SaveUnitState(System, 0, 0, UnitState{From: day("2010-01-01"), Name: "Dyrekcja", Kind: KindManagement})
	if err != nil {
		t.Fatal(err)
	}
	dept, err := s.SaveUnitState(System, 0, 0, UnitState{From: day("2010-01-01"), Name: "Dział Pomocy", Kind: KindDepartment, ParentID: top.ID})
	if err != nil {
		t.Fatal(err)
	}
	// Rename from 2017-09-01: history is kept.
	dept, err = s.SaveUnitState(System, dept.ID, dept.Version, UnitState{From: day("2017-09-01"), Name: "Dział Pomocy Środowiskowej", Kind: KindDepartment, ParentID: top.ID})
	if err != nil || len(dept.States) != 2 {
		t.Fatalf("rename: %v, states %d", err, len(dept.States))
	}
	// Same day again corrects that state instead of adding one.
	dept, err = s.SaveUnitState(System, dept.ID, dept.Version, UnitState{From: day("2017-09-01"), Name: "Dział Pomocy Środowiskowej (DPŚ)", Kind: KindDepartment, ParentID: top.ID})
	if err != nil || len(dept.States) != 2 || dept.Current().Name != "Dział Pomocy Środowiskowej (DPŚ)" {
		t.Fatalf("correction: %v %+v", err, dept.States)
	}
	var v *ValidationError
	_, err = s.SaveUnitState(System, dept.ID, dept.Version, UnitState{From: day("2015-01-01"), Name: "X", Kind: KindDepartment})
	if !errors.As(err, &v) || v.Fields["from"] != "error.from_before_history" {
		t.Fatalf("rewriting history: %v", err)
	}
	_, err = s.SaveUnitState(System, top.ID, top.Version, UnitState{From: day("2018-01-01"), Name: "Dyrekcja", Kind: KindManagement, ParentID: dept.ID})
	if !errors.As(err, &v) || v.Fields["parent"] != "error.parent_cycle" {
		t.Fatalf("cycle: %v", err)
	}
	_, err = s.SaveUnitState(System, 0, 0, UnitState{From: day("2005-01-01"), Name: "Za wcześnie", Kind: KindTeam, ParentID: dept.ID})
	if !errors.As(err, &v) || v.Fields["parent"] != "error.parent_absent" {
		t.Fatalf("parent not yet existing: %v", err)
	}
	_, err = s.SaveUnitState(System, dept.ID, 1, UnitState{From: day("2019-01-01"), Name: "Stale", Kind: KindDepartment, ParentID: top.ID})
	var c *ConflictError
	if !errors.As(err, &c) {
		t.Fatalf("stale version: %v", err)
	}

	// People and sub-units block deleting and ending.
	p := &Staff{FirstName: "Ola", LastName: "Nowak", EmployedFrom: day("2018-01-01"), Assignments: posted(dept.ID, "pracownik socjalny", "2018-01-01")}
	if err := s.SavePerson(System, p, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUnit(System, dept.ID, 0); ErrorCode(err) != EConflict {
		t.Fatalf("delete unit with people: %v", err)
	}
	if err := s.DeleteUnit(System, top.ID, 0); ErrorCode(err) != EConflict {
		t.Fatalf("delete unit with sub-units: %v", err)
	}
	dept, _ = s.Unit(dept.ID)
	if err := s.CloseUnit(System, dept.ID, dept.Version, day("2020-01-01")); ErrorCode(err) != EConflict {
		t.Fatalf("end unit with people: %v", err)
	}
	p.EmployedTo = day("2019-12-31")
	if err := s.SavePerson(System, p, p.Version); err != nil {
		t.Fatal(err)
	}
	if err := s.CloseUnit(System, dept.ID, dept.Version, day("2020-01-01")); err != nil {
		t.Fatalf("end unit whose people left: %v", err)
	}
	units, _ := s.Units()
	people, _ := s.People()
	if tree := BuildTree(units, people, day("2020-01-01")); len(tree) != 1 || len(tree[0].Children) != 0 {
		t.Fatalf("tree after the end: %d roots", len(tree))
	}
	if tree := BuildTree(units, people, day("2019-06-01")); len(tree[0].Children) != 1 || tree[0].Children[0].Staff != 1 {
		t.Fatal("history before the end is lost")
	}
}

func TestImportPeopleIsAllOrNothing(t *testing.T) {
	s, _, _ := openTest(t)
	u, err := s.SaveUnitState(System, 0, 0, UnitState{From: day("2010-01-01"), Name: "Zespół", Kind: KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	rows := []Staff{
		{FirstName: "Ala", LastName: "Kot", EmployedFrom: day("2020-01-01"), Assignments: posted(u.ID, "asystent rodziny", "2020-01-01")},
		{FirstName: "Ola", LastName: "", EmployedFrom: day("2020-01-01"), Assignments: posted(u.ID, "asystent rodziny", "2020-01-01")},
	}
	failed, err := s.ImportPeople(System, rows)
	if err == nil || failed != 1 {
		t.Fatalf("import with a bad row: failed=%d err=%v", failed, err)
	}
	if people, _ := s.People(); len(people) != 0 {
		t.Fatalf("a failed import kept %d people", len(people))
	}
	rows[1].LastName = "Mysz"
	if _, err := s.ImportPeople(System, rows); err != nil {
		t.Fatal(err)
	}
	if people, _ := s.People(); len(people) != 2 {
		t.Fatalf("import kept %d people", len(people))
	}
}

func TestLocationValidationAndDeletion(t *testing.T) {
	s, _, _ := openTest(t)
	l := &Location{Name: "Janasa 9", Street: "ul. Janasa 9", PostalCode: "42612", City: "Tarnowskie Góry",
		Phones: []string{"abc"}, Hours: [7]string{1: "14:00-10:00"}}
	var v *ValidationError
	if err := s.SaveLocation(System, l, 0); !errors.As(err, &v) || v.Fields["postal_code"] == "" || v.Fields["phones"] == "" || v.Fields["hours1"] == "" {
		t.Fatalf("bad location: %v", err)
	}
	l.PostalCode, l.Phones, l.Hours[1] = "42-612", []string{"32 476 85 00"}, "10.00-14.00"
	if err := s.SaveLocation(System, l, 0); err != nil {
		t.Fatal(err)
	}
	if l.Hours[1] != "10:00–14:00" {
		t.Fatalf("hours stored as %q", l.Hours[1])
	}
	if _, err := s.SaveUnitState(System, 0, 0, UnitState{From: day("2010-01-01"), Name: "Kasa", Kind: KindPosition, Locations: []uint64{l.ID}}); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteLocation(System, l.ID, 0); ErrorCode(err) != EConflict {
		t.Fatalf("delete location in use: %v", err)
	}
}

func TestAnnouncementsValidity(t *testing.T) {
	s, _, _ := openTest(t)
	for _, n := range []Announcement{
		{Title: "Stary", Body: "x", ValidFrom: day("2020-06-08"), ValidTo: day("2020-10-12")},
		{Title: "Obecny", Body: "x", ValidFrom: day("2020-10-13")},
		{Title: "Przypięty", Body: "x", ValidFrom: day("2020-01-01"), Pinned: true},
	} {
		if err := s.SaveAnnouncement(System, &n, 0); err != nil {
			t.Fatal(err)
		}
	}
	cur, _ := s.CurrentAnnouncements(day("2020-11-01"))
	if len(cur) != 2 || cur[0].Title != "Przypięty" || cur[1].Title != "Obecny" {
		t.Fatalf("current: %+v", cur)
	}
	bad := Announcement{Title: "", Body: "", ValidFrom: day("2020-02-02"), ValidTo: day("2020-01-01")}
	var v *ValidationError
	if err := s.SaveAnnouncement(System, &bad, 0); !errors.As(err, &v) || len(v.Fields) != 3 {
		t.Fatalf("bad announcement: %v", err)
	}
}

func TestDemoStructure(t *testing.T) {
	s := demoStore(t)
	units, _ := s.Units()
	people, _ := s.People()
	if len(people) < 55 || len(people) > 75 {
		t.Fatalf("%d demo people, want about 60", len(people))
	}
	names := map[string]bool{}
	for _, p := range people {
		if names[p.FullName()] {
			t.Errorf("two demo people called %s", p.FullName())
		}
		names[p.FullName()] = true
	}
	find := func(nodes []*OrgNode, name string) *OrgNode {
		var walk func([]*OrgNode) *OrgNode
		walk = func(ns []*OrgNode) *OrgNode {
			for _, n := range ns {
				if n.State.Name == name {
					return n
				}
				if f := walk(n.Children); f != nil {
					return f
				}
			}
			return nil
		}
		return walk(nodes)
	}
	before := BuildTree(units, people, day("2017-08-31"))
	after := BuildTree(units, people, day("2017-09-01"))
	if find(before, "Zespół ds. Pracy Socjalnej") != nil || find(after, "Zespół ds. Pracy Socjalnej") == nil {
		t.Error("Zespół ds. Pracy Socjalnej should begin on 01.09.2017")
	}
	if find(before, "Sekcja Pracy Socjalnej w Rejonach Opiekuńczych") == nil || find(after, "Sekcja Pracy Socjalnej w Rejonach Opiekuńczych") != nil {
		t.Error("the area section should end on 01.09.2017")
	}
	if n := find(after, "Zespół ds. Usług"); n == nil || find(BuildTree(units, people, day("2021-01-01")), "Zespół ds. Usług Opiekuńczych") == nil {
		t.Error("Zespół ds. Usług should be renamed in the later structure")
	}
	if len(before) != 1 || len(after) != 1 {
		t.Errorf("roots: %d before, %d after", len(before), len(after))
	}
	if u, _ := s.UserByLogin("pracownik"); u != nil {
		if p, err := s.PersonOfUser(u.ID); err != nil || p.FullName() != "Piotr Pracowity" {
			t.Errorf("pracownik's staff record: %v %v", p, err)
		}
	}
	cur, _ := s.CurrentAnnouncements(day("2026-11-22"))
	if len(cur) != 2 || !cur[0].Pinned {
		t.Errorf("current demo announcements: %d", len(cur))
	}
}

func TestStaffCSVRoundTrip(t *testing.T) {
	s := demoStore(t)
	o, err := s.Org()
	if err != nil {
		t.Fatal(err)
	}
	people := slices.Clone(o.People)
	people[0].EmployedTo = day("2024-06-30")
	people[1].Phones = []string{"32 285-78-39", "+48 600 100 200"}
	people[2].Room = "=HYPERLINK(\"http://x\")"
	today := day("2026-11-22")
	var buf bytes.Buffer
	if err := WriteStaffCSV(&buf, testOrg(o.Units, o.Locations, people, o.Categories...), today); err != nil {
		t.Fatal(err)
	}
	// Read back into a centre without these people, so none is a duplicate.
	rows, err := ParseStaffCSV(&buf, testOrg(o.Units, o.Locations, nil, o.Categories...), today)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(people) {
		t.Fatalf("%d rows for %d people", len(rows), len(people))
	}
	byName := map[string]Staff{}
	for _, p := range people {
		byName[p.FullName()+p.ShownOn(today)[0].Position] = p
	}
	for _, r := range rows {
		if len(r.Errors) > 0 {
			t.Fatalf("line %d: %v", r.Line, r.Errors)
		}
		want, ok := byName[r.Person.FullName()+r.Person.Assignments[0].Position]
		if !ok {
			t.Fatalf("line %d: unknown person %s", r.Line, r.Person.FullName())
		}
		got := r.Person
		ga, wa := got.Assignments[0], want.ShownOn(today)[0]
		if ga.UnitID != wa.UnitID || ga.CategoryID != wa.CategoryID || ga.FieldWork != wa.FieldWork || !ga.From.Equal(wa.From) ||
			got.LocationID != want.LocationID || got.Room != want.Room || got.Email != want.Email ||
			!got.EmployedFrom.Equal(want.EmployedFrom) || !got.EmployedTo.Equal(want.EmployedTo) ||
			strings.Join(got.Phones, "|") != strings.Join(want.Phones, "|") {
			t.Fatalf("line %d: %+v\nwant %+v", r.Line, got, want)
		}
	}
}

func TestParseStaffCSVRejectsBadFiles(t *testing.T) {
	for name, text := range map[string]string{
		"empty":     "",
		"no header": "Kowalska;Anna;referent;Kasa\n",
		"only head": "last_name;first_name;job_title;unit\n",
		"syntax":    "last_name;first_name;job_title;unit\n\"unclosed;x;y;z\n",
	} {
		if _, err := ParseStaffCSV(strings.NewReader(text), testOrg(nil, nil, nil), day("2026-01-01")); ErrorCode(err) != EInvalid {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// FuzzParseStaffCSV: whatever a person uploads, the parser answers with rows
// or a domain error, never a panic, and every row it accepts is valid.
func FuzzParseStaffCSV(f *testing.F) {
	units := []Unit{{Meta: Meta{ID: 1}, States: []UnitState{{From: day("2010-01-01"), Name: "Kasa", Kind: KindPosition}}}}
	locs := []Location{{Meta: Meta{ID: 1}, Name: "ul. Janasa 9"}}
	for _, s := range []string{
		"last_name;first_name;job_title;unit\nKowalska;Anna;kasjer;kasa\n",
		"\ufefflast_name,first_name,job_title,unit,location,field_worker,employed_from\nNowak,Jan,referent,Kasa,ul. Janasa 9,tak,01.02.2020\n",
		"last_name;first_name;job_title;unit\n\"a;b\n",
		"unit\n\n\n",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		rows, err := ParseStaffCSV(strings.NewReader(text), testOrg(units, locs, nil), day("2026-01-01"))
		if err != nil {
			if ErrorCode(err) != EInvalid {
				t.Fatalf("error without a message for the user: %v", err)
			}
			return
		}
		for _, r := range rows {
			if len(r.Errors) == 0 {
				p := r.Person
				if err := p.Validate(); err != nil || p.Assignments[0].UnitID != 1 {
					t.Fatalf("accepted an invalid row: %+v (%v)", p, err)
				}
			}
		}
	})
}

func TestFoldSlowPathAgrees(t *testing.T) {
	for _, s := range []string{"Żółw Ćma", "Čapek Müller", "ŁÓDŹ – Ñandú"} {
		if Fold(s) != foldSlow(s) {
			t.Errorf("Fold(%q) = %q, slow path %q", s, Fold(s), foldSlow(s))
		}
	}
}

func BenchmarkMatches(b *testing.B) {
	fields := []string{"Żaneta", "Dąbrowska", "Kierownik Działu", "Dział Pracy Socjalnej i Asysty Rodzin", "ul. Bytomska 15", "32 476 85 41"}
	for b.Loop() {
		Matches("socjal", fields...)
	}
}

func TestExportDefusesFormulasAndImportFlagsDuplicates(t *testing.T) {
	units := []Unit{
		{Meta: Meta{ID: 1}, States: []UnitState{{From: day("2010-01-01"), Name: "Kasa", Kind: KindPosition}}},
		{Meta: Meta{ID: 2}, States: []UnitState{{From: day("2010-01-01"), Name: "Zespół", Kind: KindTeam}}},
		{Meta: Meta{ID: 3}, States: []UnitState{{From: day("2010-01-01"), Name: "zespol", Kind: KindTeam}}},
	}
	people := []Staff{{Meta: Meta{ID: 1}, FirstName: "Anna", LastName: "Kowalska", Room: "@SUM(A1)", Phones: []string{"+48 32 111 22 33"}, EmployedFrom: day("2010-01-01"), Assignments: posted(1, "kasjer", "2010-01-01")}}
	var buf bytes.Buffer
	o := testOrg(units, nil, people)
	if err := WriteStaffCSV(&buf, o, day("2026-01-01")); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ";'@SUM(A1);") || !strings.Contains(buf.String(), ";+48 32 111 22 33;") {
		t.Fatalf("export: %q", buf.String())
	}
	rows, err := ParseStaffCSV(strings.NewReader(buf.String()+"Nowak;Jan;referent;Zespół;;;;;;;;2020-01-01\nNowak;Jan;referent;Kasa;;;;;;;;2020-01-01\nNowak;Jan;referent;Kasa;;;;;;;;2020-01-01\n"), o, day("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if rows[0].Errors["last_name"] != "import.error_exists" || rows[0].Person.Room != "@SUM(A1)" {
		t.Errorf("existing person: %+v", rows[0])
	}
	if rows[1].Errors["unit"] != "import.error_unit_ambiguous" {
		t.Errorf("ambiguous unit: %+v", rows[1].Errors)
	}
	if len(rows[2].Errors) != 0 || rows[3].Errors["last_name"] != "import.error_exists" {
		t.Errorf("duplicate within the file: %+v / %+v", rows[2].Errors, rows[3].Errors)
	}
}

func TestMigrationUnlinksAnAccountLinkedTwice(t *testing.T) {
	s, _, _ := openTest(t)
	a := Staff{Meta: Meta{ID: 1}, FirstName: "A", LastName: "A", Assignments: posted(1, "x", ""), UserID: 7}
	b := Staff{Meta: Meta{ID: 2}, FirstName: "B", LastName: "B", Assignments: posted(1, "x", ""), UserID: 7}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketStaffUser); err != nil {
			return err
		}
		for _, p := range []Staff{a, b} {
			if err := putJSON(tx.Bucket(bucketStaff), itob(p.ID), &p); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, itob(3)) // as written before the index existed
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.migrate(); err != nil {
		t.Fatal(err)
	}
	if p, err := s.PersonOfUser(7); err != nil || p.ID != 1 {
		t.Fatalf("account 7 → %v %v, want person 1", p, err)
	}
	if p, _ := s.Person(2); p.UserID != 0 {
		t.Fatal("the second link was kept")
	}
	if page, _ := s.Audit(AuditFilter{Entity: "staff"}); len(page.Entries) != 1 {
		t.Fatal("the unlinking was not audited")
	}
}

func TestUnitLoopsAndEndedUnitsAreRefused(t *testing.T) {
	s, _, _ := openTest(t)
	a, _ := s.SaveUnitState(System, 0, 0, UnitState{From: day("2010-01-01"), Name: "A", Kind: KindDepartment})
	b, _ := s.SaveUnitState(System, 0, 0, UnitState{From: day("2010-01-01"), Name: "B", Kind: KindDepartment})
	a, err := s.SaveUnitState(System, a.ID, a.Version, UnitState{From: day("2030-01-01"), Name: "A", Kind: KindDepartment, ParentID: b.ID})
	if err != nil {
		t.Fatal(err)
	}
	// B under A from 2025 is fine in 2025 but closes a loop in 2030.
	_, err = s.SaveUnitState(System, b.ID, b.Version, UnitState{From: day("2025-01-01"), Name: "B", Kind: KindDepartment, ParentID: a.ID})
	var v *ValidationError
	if !errors.As(err, &v) || v.Fields["parent"] != "error.parent_cycle" {
		t.Fatalf("future loop: %v", err)
	}
	// A unit that has ended takes no new sub-units and no new people.
	c, _ := s.SaveUnitState(System, 0, 0, UnitState{From: day("2010-01-01"), Name: "C", Kind: KindTeam})
	if err := s.CloseUnit(System, c.ID, c.Version, day("2015-01-01")); err != nil {
		t.Fatal(err)
	}
	_, err = s.SaveUnitState(System, 0, 0, UnitState{From: day("2012-01-01"), Name: "D", Kind: KindTeam, ParentID: c.ID})
	if !errors.As(err, &v) || v.Fields["parent"] != "error.parent_ends" {
		t.Fatalf("sub-unit of an ended unit: %v", err)
	}
	err = s.SavePerson(System, &Staff{FirstName: "E", LastName: "E", EmployedFrom: day("2010-01-01"), Assignments: posted(c.ID, "x", "2010-01-01")}, 0)
	if !errors.As(err, &v) || v.Fields["unit"] != "error.unit_ended" {
		t.Fatalf("person in an ended unit: %v", err)
	}
	if err := s.SavePerson(System, &Staff{FirstName: "F", LastName: "F", EmployedFrom: day("2010-01-01"), Assignments: posted(c.ID, "x", "2010-01-01"), EmployedTo: day("2014-12-31")}, 0); err != nil {
		t.Fatalf("a former member of the ended unit: %v", err)
	}
}

func TestBuildTreeShowsUnitsCaughtInALoop(t *testing.T) {
	units := []Unit{
		{Meta: Meta{ID: 1}, States: []UnitState{{From: day("2010-01-01"), Name: "A", ParentID: 2}}},
		{Meta: Meta{ID: 2}, States: []UnitState{{From: day("2010-01-01"), Name: "B", ParentID: 1}}},
	}
	var got []string
	flat(BuildTree(units, nil, day("2020-01-01")), 0, &got)
	if len(got) != 2 {
		t.Fatalf("units in a loop vanished: %v", got)
	}
}

func TestOrgSnapshotFollowsChanges(t *testing.T) {
	s, _, _ := openTest(t)
	first, err := s.Org()
	if err != nil || len(first.Units) != 0 {
		t.Fatalf("empty: %v %v", first, err)
	}
	if again, _ := s.Org(); again != first {
		t.Fatal("an unchanged structure was read again")
	}
	u, err := s.SaveUnitState(System, 0, 0, UnitState{From: day("2010-01-01"), Name: "Kasa", Kind: KindPosition})
	if err != nil {
		t.Fatal(err)
	}
	after, _ := s.Org()
	if len(after.Units) != 1 || after.Units[0].ID != u.ID {
		t.Fatalf("the snapshot missed a new unit: %+v", after.Units)
	}
	if err := s.SavePerson(System, &Staff{FirstName: "A", LastName: "B", EmployedFrom: day("2010-01-01"), Assignments: posted(u.ID, "kasjer", "2010-01-01")}, 0); err != nil {
		t.Fatal(err)
	}
	if org, _ := s.Org(); len(org.People) != 1 {
		t.Fatal("the snapshot missed a new person")
	}
	// A refused change leaves the structure as it was.
	_ = s.DeleteUnit(System, u.ID, 0)
	if org, _ := s.Org(); len(org.Units) != 1 {
		t.Fatal("a refused deletion changed the snapshot")
	}
}

// A head is shown only for days they work here, and a state cannot name
// one who does not work here on its first day.
func TestHeadMustBeEmployed(t *testing.T) {
	s, _, _ := openTest(t)
	u, err := s.SaveUnitState(System, 0, 0, UnitState{From: day("2017-01-01"), Name: "Inspektor Ochrony Danych", Kind: KindPosition})
	if err != nil {
		t.Fatal(err)
	}
	p := &Staff{FirstName: "Ewa", LastName: "Nowak", EmployedFrom: day("2017-11-01"), Assignments: posted(u.ID, "inspektor", "2017-11-01")}
	if err := s.SavePerson(System, p, 0); err != nil {
		t.Fatal(err)
	}
	st := u.Current()
	st.HeadID = p.ID
	_, err = s.SaveUnitState(System, u.ID, 0, st) // a correction of the state from 2017-01-01
	if v, ok := err.(*ValidationError); !ok || v.Fields["head"] != "error.head_not_employed" {
		t.Fatalf("head before employment: %v", err)
	}
	st.From = day("2017-11-01")
	if _, err := s.SaveUnitState(System, u.ID, 0, st); err != nil {
		t.Fatalf("head from the first day of work: %v", err)
	}
	units, _ := s.Units()
	people, _ := s.People()
	if tree := BuildTree(units, people, day("2017-08-31")); tree[0].Head != nil {
		t.Fatal("a head shown before their employment")
	}
	if tree := BuildTree(units, people, day("2017-11-01")); tree[0].Head == nil || tree[0].Head.ID != p.ID {
		t.Fatal("the head is not shown from their first day")
	}
	// Shown for no day after they leave either.
	p.EmployedTo = day("2020-12-31")
	if err := s.SavePerson(System, p, 0); err != nil {
		t.Fatal(err)
	}
	people, _ = s.People()
	if tree := BuildTree(units, people, day("2021-01-05")); tree[0].Head != nil {
		t.Fatal("a head shown after they left")
	}
}

func TestDemoCentreIsConsistent(t *testing.T) {
	s, _, _ := openTest(t)
	if _, err := s.SeedDemo(context.Background(), NewHasher(testParams, DefaultHashMemory)); err != nil {
		t.Fatal(err)
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", err, problems)
	}
}
