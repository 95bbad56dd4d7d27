package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Three teams under one department; the people's assignments are built
// per case.
func moveFixture() []Unit {
	return []Unit{
		{Meta: Meta{ID: 1}, States: []UnitState{{From: day("2010-01-01"), Name: "Dział", Kind: KindDepartment}}},
		{Meta: Meta{ID: 2}, States: []UnitState{{From: day("2010-01-01"), Name: "Zespół A", Kind: KindTeam, ParentID: 1}}},
		{Meta: Meta{ID: 3}, States: []UnitState{{From: day("2010-01-01"), Name: "Zespół B", Kind: KindTeam, ParentID: 1}}},
		{Meta: Meta{ID: 4}, States: []UnitState{{From: day("2010-01-01"), Name: "Kasa", Kind: KindPosition}}},
	}
}

// counts lists "name staff/total" for every unit as of day.
func counts(units []Unit, people []Staff, on string) string {
	o := testOrg(units, nil, people)
	t := o.Tree(day(on))
	var out []string
	for _, u := range units {
		if n := t.Node[u.ID]; n != nil {
			out = append(out, fmt.Sprintf("%s %d/%d", n.State.Name, n.Staff, n.Total))
		}
	}
	return strings.Join(out, ", ") + fmt.Sprintf("; centre %d", t.Total)
}

func TestHeadCountsAsOfADay(t *testing.T) {
	units := moveFixture()
	moved := Staff{Meta: Meta{ID: 1}, FirstName: "Ala", LastName: "Kot", EmployedFrom: day("2015-01-01"), Assignments: posted(2, "referent", "2015-01-01")}
	if err := moved.Move(day("2020-03-01"), 1, Assignment{UnitID: 3, Position: "inspektor"}); err != nil {
		t.Fatal(err)
	}
	twoPosts := Staff{Meta: Meta{ID: 2}, FirstName: "Ola", LastName: "Lis", EmployedFrom: day("2015-01-01"),
		Assignments: []Assignment{
			{ID: 1, UnitID: 2, Position: "psycholog", From: day("2015-01-01"), Primary: true},
			{ID: 2, UnitID: 3, Position: "psycholog", From: day("2019-01-01"), To: day("2021-12-31")},
		}}
	// One assignment ends the day before the next begins, in another
	// department altogether.
	handover := Staff{Meta: Meta{ID: 3}, FirstName: "Ewa", LastName: "Sowa", EmployedFrom: day("2015-01-01"), EmployedTo: day("2022-06-30"),
		Assignments: []Assignment{
			{ID: 1, UnitID: 4, Position: "kasjer", From: day("2015-01-01"), To: day("2019-12-31"), Primary: true},
			{ID: 2, UnitID: 2, Position: "referent", From: day("2020-01-01"), Primary: true},
		}}
	people := []Staff{moved, twoPosts, handover}
	for _, p := range people {
		if err := p.Validate(); err != nil {
			t.Fatalf("%s: %v", p.FullName(), err)
		}
	}
	cases := []struct{ day, want string }{
		{"2014-12-31", "Dział 0/0, Zespół A 0/0, Zespół B 0/0, Kasa 0/0; centre 0"},
		{"2018-06-01", "Dział 0/2, Zespół A 2/2, Zespół B 0/0, Kasa 1/1; centre 3"},
		// Two posts: counted in each team, once in the department and the centre.
		{"2019-12-31", "Dział 0/2, Zespół A 2/2, Zespół B 1/1, Kasa 1/1; centre 3"},
		// The hand-over: out of the cash desk, into team A the next day.
		{"2020-01-01", "Dział 0/3, Zespół A 3/3, Zespół B 1/1, Kasa 0/0; centre 3"},
		// The move: the last day in A, the first in B.
		{"2020-02-29", "Dział 0/3, Zespół A 3/3, Zespół B 1/1, Kasa 0/0; centre 3"},
		{"2020-03-01", "Dział 0/3, Zespół A 2/2, Zespół B 2/2, Kasa 0/0; centre 3"},
		{"2022-01-01", "Dział 0/3, Zespół A 2/2, Zespół B 1/1, Kasa 0/0; centre 3"},
		// Employment ends every assignment, open ones included.
		{"2022-07-01", "Dział 0/2, Zespół A 1/1, Zespół B 1/1, Kasa 0/0; centre 2"},
	}
	for _, c := range cases {
		if got := counts(units, people, c.day); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.day, got, c.want)
		}
	}

	// A later move never changes what an earlier day shows.
	before := map[string]string{}
	for _, c := range cases {
		before[c.day] = counts(units, people, c.day)
	}
	if err := people[0].Move(day("2023-01-01"), 2, Assignment{UnitID: 4, Position: "kasjer"}); err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if got := counts(units, people, c.day); got != before[c.day] {
			t.Errorf("after a later move, %s shows %s, was %s", c.day, got, before[c.day])
		}
	}
	if got := counts(units, people, "2023-01-01"); got != "Dział 0/1, Zespół A 1/1, Zespół B 0/0, Kasa 1/1; centre 2" {
		t.Errorf("after the later move: %s", got)
	}
}

func TestMembersAndPostsFollowTheDay(t *testing.T) {
	units := moveFixture()
	p := Staff{Meta: Meta{ID: 1}, FirstName: "Ala", LastName: "Kot", EmployedFrom: day("2015-01-01"), Assignments: posted(2, "referent", "2015-01-01")}
	if err := p.Move(day("2020-03-01"), 1, Assignment{UnitID: 3, Position: "inspektor"}); err != nil {
		t.Fatal(err)
	}
	o := testOrg(units, nil, []Staff{p})
	if m := o.MembersOf(2, day("2020-02-29")); len(m) != 1 || m[0].Position != "referent" {
		t.Errorf("team A before the move: %+v", m)
	}
	if m := o.MembersOf(2, day("2020-03-01")); len(m) != 0 {
		t.Errorf("team A after the move: %+v", m)
	}
	if m := o.FormerMembersOf(2, day("2020-03-01")); len(m) != 1 || !m[0].To.Equal(day("2020-02-29")) {
		t.Errorf("team A's former members: %+v", m)
	}
	d := o.Directory(day("2020-03-01"))
	if page, n := d.Find(DirectoryQuery{UnitID: 3, Limit: 10}); n != 1 || page[0].Posts[0].Unit != "Zespół B" {
		t.Errorf("directory filtered by team B: %d %+v", n, page)
	}
	if _, n := d.Find(DirectoryQuery{UnitID: 2, Limit: 10}); n != 0 {
		t.Errorf("directory still lists the person in team A")
	}
	if _, n := d.Find(DirectoryQuery{Text: "inspektor", Limit: 10}); n != 1 {
		t.Errorf("search by today's job title")
	}
	if h := o.History(&o.People[0]); len(h) != 2 || h[0].Unit != "Zespół B" || h[1].Unit != "Zespół A" {
		t.Errorf("history: %+v", h)
	}
}

func TestMoveAndCorrectRules(t *testing.T) {
	base := func() Staff {
		return Staff{FirstName: "A", LastName: "B", EmployedFrom: day("2015-01-01"), Assignments: posted(2, "referent", "2015-01-01")}
	}
	cases := []struct {
		name  string
		do    func(p *Staff) error
		field string // the error expected, "" for none
	}{
		{"move on the first day is a correction", func(p *Staff) error { return p.Move(day("2015-01-01"), 1, Assignment{UnitID: 3, Position: "x"}) }, "from"},
		{"move after the end", func(p *Staff) error {
			p.Assignments[0].To = day("2016-12-31")
			return p.Move(day("2017-01-01"), 1, Assignment{UnitID: 3, Position: "x"})
		}, "from"},
		{"move of an unknown assignment", func(p *Staff) error { return p.Move(day("2020-01-01"), 9, Assignment{UnitID: 3, Position: "x"}) }, "assignment"},
		{"move without a day", func(p *Staff) error { return p.Move(time.Time{}, 1, Assignment{UnitID: 3, Position: "x"}) }, "from"},
		{"the last assignment stays", func(p *Staff) error { return p.DropAssignment(1) }, "assignment"},
		{"a second post in the same unit", func(p *Staff) error {
			if err := p.Move(day("2020-01-01"), 0, Assignment{UnitID: 2, Position: "x"}); err != nil {
				return err
			}
			return p.Validate()
		}, "unit"},
		{"two primary posts at once", func(p *Staff) error {
			if err := p.Move(day("2020-01-01"), 0, Assignment{UnitID: 3, Position: "x", Primary: true}); err != nil {
				return err
			}
			return p.Validate()
		}, "primary"},
		{"an assignment before employment", func(p *Staff) error {
			a := p.Assignments[0]
			a.From = day("2014-12-31")
			if err := p.Correct(a); err != nil {
				return err
			}
			return p.Validate()
		}, "from"},
		{"a second post beside the first", func(p *Staff) error {
			if err := p.Move(day("2020-01-01"), 0, Assignment{UnitID: 3, Position: "x"}); err != nil {
				return err
			}
			return p.Validate()
		}, ""},
		{"a move carries a planned end", func(p *Staff) error {
			p.Assignments[0].To = day("2025-12-31")
			if err := p.Move(day("2020-01-01"), 1, Assignment{UnitID: 3, Position: "x"}); err != nil {
				return err
			}
			if a := p.Assignments[1]; !a.To.Equal(day("2025-12-31")) || !a.Primary || !p.Assignments[0].To.Equal(day("2019-12-31")) {
				return fmt.Errorf("after the move: %+v", p.Assignments)
			}
			return p.Validate()
		}, ""},
	}
	for _, c := range cases {
		p := base()
		err := c.do(&p)
		var field string
		if ve, ok := err.(*ValidationError); ok {
			for f := range ve.Fields {
				field = f
			}
		} else if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if field != c.field {
			t.Errorf("%s: error on %q (%v), want %q", c.name, field, err, c.field)
		}
	}
}

// A move goes through the store in one audited transaction: the old
// assignment's end and the new one are one entry, and a stale form fails.
func TestStoreMoveIsAuditedAndVersioned(t *testing.T) {
	s, _, _ := openTest(t)
	a := testUnit(t, s)
	b, err := s.SaveUnitState(System, 0, 0, UnitState{From: day("2010-01-01"), Name: "Zespół B", Kind: KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	p := addPerson(t, s, a, "Ala", "Kot")
	moved, err := s.UpdatePerson(System, p.ID, p.Version, ActionMove, func(x *Staff) error {
		return x.Move(day("2020-03-01"), 1, Assignment{UnitID: b.ID, Position: "inspektor"})
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(moved.Assignments) != 2 || moved.Version != p.Version+1 {
		t.Fatalf("after the move: %+v", moved)
	}
	if _, err := s.UpdatePerson(System, p.ID, p.Version, ActionMove, func(x *Staff) error { return nil }); err == nil {
		t.Fatal("a stale form was saved")
	}
	page, _ := s.Audit(AuditFilter{Entity: "staff"})
	if e := page.Entries[0]; e.Action != ActionMove || len(e.Changes) == 0 {
		t.Fatalf("audit: %+v", e)
	}
	// A unit that does not exist yet on the move's day is refused.
	late, err := s.SaveUnitState(System, 0, 0, UnitState{From: day("2024-01-01"), Name: "Zespół C", Kind: KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.UpdatePerson(System, p.ID, moved.Version, ActionMove, func(x *Staff) error {
		return x.Move(day("2023-01-01"), 2, Assignment{UnitID: late.ID, Position: "x"})
	})
	if ve, ok := err.(*ValidationError); !ok || ve.Fields["unit"] != "error.unit_not_yet" {
		t.Fatalf("move into a unit before it exists: %v", err)
	}
}

// Migration 7 turns a stored unit and job title into the first assignment.
func TestMigrationMakesAssignments(t *testing.T) {
	s, _, _ := openTest(t)
	u := testUnit(t, s)
	old := fmt.Sprintf(`{"id":1,"version":1,"first_name":"Jan","last_name":"Nowak","job_title":"referent","unit_id":%d,`+
		`"field_worker":true,"employed_from":"2005-01-01T00:00:00Z"}`, u)
	if err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketStaff).Put(itob(1), []byte(old)); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, itob(6))
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.migrate(); err != nil {
		t.Fatal(err)
	}
	p, err := s.Person(1)
	if err != nil {
		t.Fatal(err)
	}
	// The unit exists from 2010: nothing says where Jan was before.
	want := Assignment{ID: 1, From: day("2010-01-01"), UnitID: u, Position: "referent", FieldWork: true, Primary: true}
	if len(p.Assignments) != 1 || p.Assignments[0] != want {
		t.Fatalf("assignments: %+v", p.Assignments)
	}
	page, _ := s.Audit(AuditFilter{Entity: "staff"})
	if len(page.Entries) == 0 || !slices.ContainsFunc(page.Entries[0].Changes, func(c Change) bool { return c.Field == "job_title" && c.Old == "referent" }) {
		t.Fatalf("audit: %+v", page.Entries)
	}
}

func TestCategoryCountsAsOfADay(t *testing.T) {
	units := moveFixture()
	cats := []JobCategory{{Meta: Meta{ID: 1}, Name: "pracownik socjalny", FieldWork: true}, {Meta: Meta{ID: 2}, Name: "asystent rodziny"}}
	var people []Staff
	for i := range 5 {
		p := Staff{Meta: Meta{ID: uint64(i + 1)}, FirstName: "P", LastName: fmt.Sprint(i), EmployedFrom: day("2015-01-01"),
			Assignments: []Assignment{{ID: 1, UnitID: 2, Position: "x", From: day("2015-01-01"), CategoryID: 1, FieldWork: i < 3, Primary: true}}}
		people = append(people, p)
	}
	people[4].Assignments[0].CategoryID = 0
	if err := people[3].Move(day("2020-01-01"), 1, Assignment{UnitID: 3, Position: "y", CategoryID: 2}); err != nil {
		t.Fatal(err)
	}
	o := testOrg(units, nil, people, cats...)
	show := func(list []CategoryCount) string {
		var out []string
		for _, c := range list {
			out = append(out, fmt.Sprintf("%s %d/%d", c.Name, c.People, c.Field))
		}
		return strings.Join(out, ", ")
	}
	if got := show(o.Tree(day("2019-12-31")).Categories); got != "pracownik socjalny 4/3,  1/0" {
		t.Errorf("centre before: %s", got)
	}
	if got := show(o.Tree(day("2020-01-01")).Categories); got != "asystent rodziny 1/0, pracownik socjalny 3/3,  1/0" {
		t.Errorf("centre after: %s", got)
	}
	if got := show(o.Tree(day("2020-01-01")).Node[3].Categories); got != "asystent rodziny 1/0" {
		t.Errorf("team B after: %s", got)
	}
}

// The demo centre has a history: the 01.09.2017 reorganisation moved the
// social workers of the dissolved section into the new teams.
func TestDemoHistoryFollowsTheReorganisation(t *testing.T) {
	s := demoStore(t)
	o, err := s.Org()
	if err != nil {
		t.Fatal(err)
	}
	var section *Unit
	for i := range o.Units {
		if o.Units[i].Current().Name == "Sekcja Pracy Socjalnej w Rejonach Opiekuńczych" {
			section = &o.Units[i]
		}
	}
	before, after := len(o.MembersOf(section.ID, day("2017-08-31"))), len(o.MembersOf(section.ID, day("2017-09-01")))
	if before < 10 || after != 0 {
		t.Fatalf("the dissolved section: %d people on 31.08.2017, %d on 01.09.2017", before, after)
	}
	if a, b := o.Tree(day("2017-08-31")).Total, o.Tree(day("2017-09-01")).Total; a == 0 || b < a {
		t.Fatalf("head counts around the reorganisation: %d, %d", a, b)
	}
	social := func(on string) CategoryCount {
		for _, c := range o.Tree(day(on)).Categories {
			if c.Name == "pracownik socjalny" {
				return c
			}
		}
		return CategoryCount{}
	}
	if c := social("2026-11-30"); c.People < 10 || c.Field == 0 || c.Field == c.People {
		t.Fatalf("social workers today: %+v", c)
	}
	moved := 0
	for i := range o.People {
		if len(o.People[i].Assignments) > 1 {
			moved++
		}
		if err := o.People[i].Validate(); err != nil {
			t.Errorf("%s: %v", o.People[i].FullName(), err)
		}
	}
	if moved < 10 {
		t.Fatalf("only %d demo people have a history", moved)
	}
}

// Found in review: the rules around deleting, IDs, archived categories
// and days without an assignment.
func TestAssignmentEdgeCases(t *testing.T) {
	p := Staff{FirstName: "A", LastName: "B", EmployedFrom: day("2015-01-01"), Assignments: posted(2, "referent", "2015-01-01")}
	if err := p.Move(day("2020-01-01"), 1, Assignment{UnitID: 3, Position: "inspektor"}); err != nil {
		t.Fatal(err)
	}
	// Deleting the move's assignment (entered by mistake) undoes the move:
	// the one it ended goes on, and no day of work is left without one.
	if err := p.DropAssignment(2); err != nil {
		t.Fatal(err)
	}
	if len(p.Assignments) != 1 || !p.Assignments[0].To.IsZero() || len(p.AssignmentsOn(day("2021-01-01"))) != 1 {
		t.Fatalf("after deleting the move: %+v", p.Assignments)
	}
	// IDs are never given twice.
	p.AddAssignment(Assignment{UnitID: 4, Position: "kasjer", From: day("2022-01-01")})
	if ids := []int{p.Assignments[0].ID, p.Assignments[1].ID}; ids[1] != 3 {
		t.Fatalf("a deleted assignment's ID came back: %v", ids)
	}
	// Someone employed with no assignment that day is shown in no unit, not
	// in the post that ended.
	gap := Staff{EmployedFrom: day("2015-01-01"), Assignments: []Assignment{{ID: 1, UnitID: 2, Position: "x", From: day("2015-01-01"), To: day("2019-12-31")}}}
	if got := gap.ShownOn(day("2021-01-01")); len(got) != 0 {
		t.Fatalf("an ended post shown as today's: %+v", got)
	}
	// Someone who has left is listed with their last post.
	gap.EmployedTo = day("2021-06-30")
	if got := gap.ShownOn(day("2022-01-01")); len(got) != 1 || got[0].UnitID != 2 {
		t.Fatalf("someone who left: %+v", got)
	}
	// A second post in the department above the primary one counts there
	// as the department's own.
	units := moveFixture()
	twoLevels := Staff{Meta: Meta{ID: 1}, EmployedFrom: day("2015-01-01"), Assignments: []Assignment{
		{ID: 1, UnitID: 2, Position: "x", From: day("2015-01-01"), Primary: true},
		{ID: 2, UnitID: 1, Position: "y", From: day("2015-01-01")},
	}}
	if got := counts(units, []Staff{twoLevels}, "2020-01-01"); got != "Dział 1/1, Zespół A 1/1, Zespół B 0/0, Kasa 0/0; centre 1" {
		t.Fatalf("counts: %s", got)
	}
}

func TestArchivedCategoryStaysButIsNotSetAnew(t *testing.T) {
	s, _, _ := openTest(t)
	u := testUnit(t, s)
	old := &JobCategory{Name: "opiekunka"}
	if err := s.SaveCategory(System, old, 0); err != nil {
		t.Fatal(err)
	}
	p := &Staff{FirstName: "A", LastName: "B", EmployedFrom: day("2015-01-01")}
	p.AddAssignment(Assignment{UnitID: u, Position: "opiekunka", From: day("2015-01-01"), CategoryID: old.ID, Primary: true})
	if err := s.SavePerson(System, p, 0); err != nil {
		t.Fatal(err)
	}
	old.Archived = true
	if err := s.SaveCategory(System, old, old.Version); err != nil {
		t.Fatal(err)
	}
	p.Room = "5" // the assignment keeps its archived category
	if err := s.SavePerson(System, p, p.Version); err != nil {
		t.Fatalf("a save that leaves the category alone: %v", err)
	}
	_, err := s.UpdatePerson(System, p.ID, 0, ActionMove, func(x *Staff) error {
		return x.Move(day("2020-01-01"), 1, Assignment{UnitID: u, Position: "opiekunka", CategoryID: old.ID})
	})
	if ve, ok := err.(*ValidationError); !ok || ve.Fields["category"] != "error.category_archived" {
		t.Fatalf("a new assignment in an archived category: %v", err)
	}
}

// The import's preview applies the rules the import will: a unit that did
// not exist at the start of employment starts the assignment with it.
func TestImportPreviewChecksUnitsAsTheImportWill(t *testing.T) {
	s, _, _ := openTest(t)
	u, err := s.SaveUnitState(System, 0, 0, UnitState{From: day("2017-09-01"), Name: "Zespół Nowy", Kind: KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	o, _ := s.Org()
	rows, err := ParseStaffCSV(strings.NewReader("last_name;first_name;job_title;unit;employed_from;assignment_from\n"+
		"Nowak;Jan;referent;Zespół Nowy;2010-01-01;\n"+
		"Lis;Ola;referent;Zespół Nowy;2010-01-01;2012-01-01\n"), o, day("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows[0].Errors) != 0 || !rows[0].Person.Assignments[0].From.Equal(day("2017-09-01")) {
		t.Fatalf("a long-serving person in a new unit: %+v", rows[0])
	}
	if rows[1].Errors["unit"] != "error.unit_not_yet" {
		t.Fatalf("an assignment before the unit existed: %+v", rows[1].Errors)
	}
	if _, err := s.ImportPeople(System, []Staff{rows[0].Person}); err != nil {
		t.Fatalf("the row the preview accepted: %v", err)
	}
	if m := o.MembersOf(u.ID, day("2017-09-01")); len(m) != 0 {
		t.Fatal("the preview changed the snapshot")
	}
}

// The rule of the primary post: on every day of work on which a person
// holds an assignment, exactly one of those in force is primary.
func TestEveryDayOfWorkHasOnePrimaryAssignment(t *testing.T) {
	post := func(id int, unit uint64, from, to string, primary bool) Assignment {
		a := Assignment{ID: id, UnitID: unit, Position: "referent", From: day(from), Primary: primary}
		if to != "" {
			a.To = day(to)
		}
		return a
	}
	cases := []struct {
		name       string
		employedTo string
		list       []Assignment
		gap        string // the first day without a primary post, "" for none
		msg        string // the validation message, "" for none
	}{
		{"one primary post", "", []Assignment{post(1, 2, "2015-01-01", "", true)}, "", ""},
		{"the only post not marked", "", []Assignment{post(1, 2, "2015-01-01", "", false)}, "2015-01-01", "error.no_primary"},
		{"a move hands the primacy on", "", []Assignment{post(1, 2, "2015-01-01", "2019-12-31", true), post(2, 3, "2020-01-01", "", true)}, "", ""},
		{"the post after a move not marked", "", []Assignment{post(1, 2, "2015-01-01", "2019-12-31", true), post(2, 3, "2020-01-01", "", false)},
			"2020-01-01", "error.no_primary"},
		{"a second post beside the primary one", "", []Assignment{post(1, 2, "2015-01-01", "", true), post(2, 3, "2018-01-01", "2019-12-31", false)}, "", ""},
		{"the primary post ends and the second goes on", "", []Assignment{post(1, 2, "2015-01-01", "2019-12-31", true), post(2, 3, "2018-01-01", "", false)},
			"2020-01-01", "error.no_primary"},
		{"the employment ends with the primary post", "2019-12-31",
			[]Assignment{post(1, 2, "2015-01-01", "2019-12-31", true), post(2, 3, "2018-01-01", "", false)}, "", ""},
		{"days without any post need none", "", []Assignment{post(1, 2, "2015-01-01", "2016-12-31", true), post(2, 3, "2018-01-01", "", true)}, "", ""},
		{"two primary posts at once", "", []Assignment{post(1, 2, "2015-01-01", "", true), post(2, 3, "2018-01-01", "", true)}, "", "error.two_primary"},
	}
	for _, c := range cases {
		p := Staff{FirstName: "A", LastName: "B", EmployedFrom: day("2015-01-01"), Assignments: c.list}
		if c.employedTo != "" {
			p.EmployedTo = day(c.employedTo)
		}
		gap, found := p.DayWithoutPrimary()
		if want := c.gap != ""; found != want || (want && !gap.Equal(day(c.gap))) {
			t.Errorf("%s: day without a primary post %v %v, want %q", c.name, gap, found, c.gap)
		}
		var msg string
		if ve, ok := p.Validate().(*ValidationError); ok {
			msg = ve.Fields["primary"]
		}
		if msg != c.msg {
			t.Errorf("%s: %q, want %q", c.name, msg, c.msg)
		}
	}
}

// The operations on assignments keep the rule, or are refused by it.
func TestChangesKeepAPrimaryPost(t *testing.T) {
	noPrimary := func(p *Staff) bool {
		ve, ok := p.Validate().(*ValidationError)
		return ok && ve.Fields["primary"] == "error.no_primary"
	}
	// Clearing the mark of the only post is refused.
	p := Staff{FirstName: "A", LastName: "B", EmployedFrom: day("2015-01-01"), Assignments: posted(2, "referent", "2015-01-01")}
	a := p.Assignments[0]
	a.Primary = false
	if err := p.Correct(a); err != nil || !noPrimary(&p) {
		t.Fatalf("the only post unmarked: %v %+v", err, p.Assignments)
	}
	// Marking the second post of the same span takes the mark from the first.
	p = Staff{FirstName: "A", LastName: "B", EmployedFrom: day("2015-01-01"), Assignments: posted(2, "psycholog", "2015-01-01")}
	if err := p.Move(day("2015-01-01"), 0, Assignment{UnitID: 3, Position: "psycholog"}); err != nil {
		t.Fatal(err)
	}
	if p.Assignments[1].Primary {
		t.Fatalf("a second post beside the primary one became primary: %+v", p.Assignments)
	}
	b := p.Assignments[1]
	b.Primary = true
	if err := p.Correct(b); err != nil || p.Validate() != nil || p.Assignments[0].Primary || !p.Assignments[1].Primary {
		t.Fatalf("the primary mark moved to the second post: %v %v %+v", err, p.Validate(), p.Assignments)
	}
	// Marking a post that starts later would leave the earlier days
	// without a primary one: refused.
	p = Staff{FirstName: "A", LastName: "B", EmployedFrom: day("2015-01-01"), Assignments: posted(2, "psycholog", "2015-01-01")}
	if err := p.Move(day("2018-01-01"), 0, Assignment{UnitID: 3, Position: "psycholog"}); err != nil {
		t.Fatal(err)
	}
	b = p.Assignments[1]
	b.Primary = true
	if err := p.Correct(b); err != nil || !noPrimary(&p) {
		t.Fatalf("a later post marked primary over a longer one: %v %+v", err, p.Assignments)
	}
	// Deleting the primary post while the second goes on is refused.
	p = Staff{FirstName: "A", LastName: "B", EmployedFrom: day("2015-01-01"), Assignments: posted(2, "psycholog", "2015-01-01")}
	if err := p.Move(day("2015-01-01"), 0, Assignment{UnitID: 3, Position: "psycholog"}); err != nil {
		t.Fatal(err)
	}
	if err := p.DropAssignment(1); err != nil || !noPrimary(&p) {
		t.Fatalf("the primary post deleted: %v %+v", err, p.Assignments)
	}
	// A post added after the earlier one ended is the primary one.
	p = Staff{FirstName: "A", LastName: "B", EmployedFrom: day("2015-01-01"), Assignments: posted(2, "referent", "2015-01-01")}
	p.Assignments[0].To = day("2016-12-31")
	if err := p.Move(day("2018-01-01"), 0, Assignment{UnitID: 3, Position: "inspektor"}); err != nil {
		t.Fatal(err)
	}
	if !p.Assignments[1].Primary || p.Validate() != nil {
		t.Fatalf("a post after a gap: %v %+v", p.Validate(), p.Assignments)
	}
}

// The store refuses a correction that leaves days without a primary post,
// and writes nothing.
func TestStoreRefusesADayWithoutAPrimaryPost(t *testing.T) {
	s, _, _ := openTest(t)
	p := addPerson(t, s, testUnit(t, s), "Ala", "Kot")
	_, err := s.UpdatePerson(System, p.ID, p.Version, ActionCorrect, func(x *Staff) error {
		a := x.Assignments[0]
		a.Primary = false
		return x.Correct(a)
	})
	if ve, ok := err.(*ValidationError); !ok || ve.Fields["primary"] != "error.no_primary" {
		t.Fatalf("the only post unmarked: %v", err)
	}
	if got, _ := s.Person(p.ID); !got.Assignments[0].Primary || got.Version != p.Version {
		t.Fatalf("stored after a refusal: %+v", got)
	}
}

// Migration 18 marks as primary the posts the pages showed as primary:
// a post alone on its days, and a post that outlasts the shorter second
// one beside it. Where that says nothing, the record stays and Check
// names it.
func TestMigrationMarksPrimaryPosts(t *testing.T) {
	s, _, _ := openTest(t)
	u := testUnit(t, s)
	v, err := s.SaveUnitState(System, 0, 0, UnitState{From: day("2010-01-01"), Name: "Zespół B", Kind: KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	people := []string{
		// moved once, neither post marked
		fmt.Sprintf(`{"id":1,"version":1,"first_name":"Jan","last_name":"Nowak","employed_from":"2015-01-01T00:00:00Z","assignments":[`+
			`{"id":1,"from":"2015-01-01T00:00:00Z","to":"2019-12-31T00:00:00Z","unit_id":%d,"position":"referent"},`+
			`{"id":2,"from":"2020-01-01T00:00:00Z","unit_id":%d,"position":"inspektor"}]}`, u, v.ID),
		// a main post with a shorter second one beside it
		fmt.Sprintf(`{"id":2,"version":1,"first_name":"Ola","last_name":"Lis","employed_from":"2015-01-01T00:00:00Z","assignments":[`+
			`{"id":1,"from":"2015-01-01T00:00:00Z","unit_id":%d,"position":"psycholog"},`+
			`{"id":2,"from":"2018-01-01T00:00:00Z","to":"2018-12-31T00:00:00Z","unit_id":%d,"position":"psycholog"}]}`, u, v.ID),
		// two posts that each outlast the other on some day: nothing to go by
		fmt.Sprintf(`{"id":3,"version":1,"first_name":"Ewa","last_name":"Sowa","employed_from":"2015-01-01T00:00:00Z","assignments":[`+
			`{"id":1,"from":"2015-01-01T00:00:00Z","to":"2019-12-31T00:00:00Z","unit_id":%d,"position":"kasjer"},`+
			`{"id":2,"from":"2018-01-01T00:00:00Z","unit_id":%d,"position":"kasjer"}]}`, u, v.ID),
	}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		for i, p := range people {
			if err := tx.Bucket(bucketStaff).Put(itob(uint64(i+1)), []byte(p)); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, itob(17))
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.migrate(); err != nil {
		t.Fatal(err)
	}
	marks := func(id uint64) string {
		p, err := s.Person(id)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range p.Assignments {
			out = append(out, fmt.Sprint(a.Primary))
		}
		return strings.Join(out, " ")
	}
	for id, want := range map[uint64]string{1: "true true", 2: "true false", 3: "false false"} {
		if got := marks(id); got != want {
			t.Errorf("person %d: primary %s, want %s", id, got, want)
		}
	}
	problems, err := s.Check()
	if err != nil || !slices.ContainsFunc(problems, func(p string) bool {
		return strings.HasPrefix(p, "staff 3:") && strings.Contains(p, "error.no_primary")
	}) {
		t.Fatalf("check: %v %q", err, problems)
	}
	page, _ := s.Audit(AuditFilter{Entity: "staff"})
	if len(page.Entries) != 2 {
		t.Fatalf("%d audit entries for two people marked", len(page.Entries))
	}
}
