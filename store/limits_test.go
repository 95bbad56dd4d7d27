package store

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestCleanText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Żółw", "Żółw"},
		{"Jan\u202e Nowak", "Jan Nowak"},
		{"\u2066Anna\u2069 \u200fKowalska\u200e\u061c", "Anna Kowalska"},
		{"wiersz 1\r\nwiersz 2\rwiersz 3", "wiersz 1\nwiersz 2\nwiersz 3"},
		{"tab\tstays\x00\x07\x1b", "tab\tstays"},
		{"zły \xff bajt", "zły  bajt"},
		{"\u0085next line", "next line"},
	} {
		if got := CleanText(tc.in); got != tc.want {
			t.Errorf("CleanText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Every entity cleans every string it holds, lists and nested states too.
func TestEveryEntityIsTidiedAndBounded(t *testing.T) {
	rlo := "\u202e"
	p := Staff{FirstName: "Jan" + rlo, LastName: "Nowak", EmployedFrom: day("2010-01-01"), Assignments: posted(1, "referent", "2010-01-01"), Phones: []string{"32 285 78 39" + rlo}}
	_ = p.Validate()
	if strings.Contains(p.FirstName+strings.Join(p.Phones, ""), rlo) {
		t.Errorf("staff kept a bidi control: %+v", p)
	}
	l := Location{Name: "Budynek" + rlo, Street: "ul. Janasa 9", PostalCode: "42-600", City: "Tarnowskie Góry", Hours: [7]string{"8:00-15:00" + rlo}}
	if err := l.Validate(); err != nil || strings.Contains(l.Name+l.Hours[0], rlo) {
		t.Errorf("location: %v %+v", err, l)
	}
	st := UnitState{Name: "Zespół" + rlo, Kind: KindTeam, From: day("2020-01-01"), Duties: "obowiązki" + rlo}
	if err := st.Validate(); err != nil || strings.Contains(st.Name+st.Duties, rlo) {
		t.Errorf("unit state: %v %+v", err, st)
	}
	n := Announcement{Title: "Komunikat" + rlo, Body: "treść", ValidFrom: day("2020-01-01")}
	if err := n.Validate(); err != nil || strings.Contains(n.Title, rlo) {
		t.Errorf("announcement: %v %+v", err, n)
	}
	c := Centre{Name: "MOPS" + rlo, Short: "MOPS"}
	if err := c.Validate(); err != nil || strings.Contains(c.Name, rlo) {
		t.Errorf("centre: %v %+v", err, c)
	}
	u := User{Login: "jan", Name: "Jan" + rlo, Roles: []Role{RoleStaff}}
	if err := u.Validate(); err != nil || strings.Contains(u.Name, rlo) {
		t.Errorf("user: %v %+v", err, u)
	}

	// Limits, each with its number in the message.
	many := make([]string, MaxPhones+1)
	for i := range many {
		many[i] = "32 285 78 39"
	}
	checks := []struct {
		name  string
		err   error
		field string
		want  string
	}{
		{"staff phones", (&Staff{FirstName: "a", LastName: "b", EmployedFrom: day("2010-01-01"), Assignments: posted(1, "c", "2010-01-01"), Phones: many}).Validate(), "phones", "error.too_many:10"},
		{"staff e-mail", (&Staff{FirstName: "a", LastName: "b", EmployedFrom: day("2010-01-01"), Assignments: posted(1, "c", "2010-01-01"), Email: strings.Repeat("a", 120) + "@b.pl"}).Validate(), "email", "error.too_long:120"},
		{"staff name", (&Staff{FirstName: strings.Repeat("ą", 61), LastName: "b", EmployedFrom: day("2010-01-01"), Assignments: posted(1, "c", "2010-01-01")}).Validate(), "first_name", "error.too_long:60"},
		{"location phones", (&Location{Name: "a", Street: "b", City: "c", PostalCode: "42-600", Phones: many}).Validate(), "phones", "error.too_many:10"},
		{"unit phones", (&UnitState{Name: "a", Kind: KindTeam, From: day("2020-01-01"), Phones: many}).Validate(), "phones", "error.too_many:10"},
		{"unit locations", (&UnitState{Name: "a", Kind: KindTeam, From: day("2020-01-01"), Locations: seq(MaxLocations + 1)}).Validate(), "locations", "error.too_many:20"},
		{"centre e-mail", (&Centre{Name: "a", Short: "b", Email: strings.Repeat("a", 130) + "@b.pl"}).Validate(), "email", "error.too_long:120"},
		{"user name", (&User{Login: "jan", Name: strings.Repeat("a", 121), Roles: []Role{RoleStaff}}).Validate(), "name", "error.too_long:120"},
	}
	for _, c := range checks {
		v, ok := c.err.(*ValidationError)
		if !ok || v.Fields[c.field] != c.want {
			t.Errorf("%s: %v, want %s: %s", c.name, c.err, c.field, c.want)
		}
	}
}

// The entities added after the structure are bounded the same way: every
// list and every text, the server-filled ones too, each refused with the
// field named and the limit in the message.
func TestLaterEntitiesAreBounded(t *testing.T) {
	long := func(n int) string { return strings.Repeat("ż", n) }
	note := func(change func(*NoteText)) error {
		n := NoteText{Date: day("2018-05-01"), Subjects: []Subject{{Kind: SubjectUnit, ID: 1}}, Category: CategoryChange, Assessment: OnTrack, Title: "Notatka"}
		change(&n)
		return n.Validate()
	}
	subjects := func(n int) []Subject {
		out := make([]Subject, n)
		for i := range out {
			out[i] = Subject{Kind: SubjectUnit, ID: uint64(i + 1)}
		}
		return out
	}
	tags := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "temat " + strconv.Itoa(i)
		}
		return out
	}
	milestone := func(change func(*Milestone)) error {
		m := Milestone{ProjectID: 1, Title: "Kamień milowy", Planned: Period{From: day("2018-05-01")}, Status: MilestonePlanned}
		change(&m)
		return m.Validate()
	}
	replans := func(n int, login, reason string) []Replan {
		out := make([]Replan, n)
		for i := range out {
			out[i] = Replan{Login: login, Reason: reason, Old: Period{From: day("2018-05-01")}, New: Period{From: day("2018-06-01")}}
		}
		return out
	}
	project := func(change func(*Project)) error {
		p := Project{Name: "Projekt", Kind: KindEUProject, Status: ProjectRunning, From: day("2017-03-01")}
		change(&p)
		return p.Validate()
	}
	lines := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = "pozycja " + strconv.Itoa(i)
		}
		return out
	}
	refs := func(n int) []Reference {
		out := make([]Reference, n)
		for i := range out {
			out[i] = Reference{Name: "Uchwała nr " + strconv.Itoa(i)}
		}
		return out
	}
	session := func(change func(*Session)) error {
		ss := Session{CourseID: 1, Date: day("2019-02-25"), Start: 9 * 60, End: 12 * 60, Status: SessionPlanned}
		change(&ss)
		return ss.Validate(ClockHours)
	}
	history := func(n int, by, reason string) []SessionChange {
		out := make([]SessionChange, n)
		for i := range out {
			out[i] = SessionChange{Kind: ChangeMoved, By: by, Reason: reason}
		}
		return out
	}
	course := func(change func(*Course)) error {
		c := Course{Title: "Szkolenie", Kind: CourseTraining, Unit: ClockHours}
		change(&c)
		return c.Validate()
	}
	trainer := func(change func(*Trainer)) error {
		tr := Trainer{Name: "Jan Trener"}
		change(&tr)
		return tr.Validate()
	}
	indicator := func(courses int) error {
		ind := Indicator{ProjectID: 1, Name: "Osoby przeszkolone", Unit: UnitPersons, Target: 10, Source: SourcePeople, CourseIDs: seq(courses)}
		return ind.Validate()
	}
	for _, c := range []struct {
		name  string
		err   error
		field string
		want  string
	}{
		{"note subjects", note(func(n *NoteText) { n.Subjects = subjects(MaxNoteSubjects + 1) }), "subjects", "error.too_many:10"},
		{"note tags", note(func(n *NoteText) { n.Tags = tags(MaxNoteTags + 1) }), "tags", "error.too_many:10"},
		{"note tag", note(func(n *NoteText) { n.Tags = []string{long(41)} }), "tags", "error.too_long:40"},
		{"note title", note(func(n *NoteText) { n.Title = long(201) }), "title", "error.too_long:200"},
		{"note text", note(func(n *NoteText) { n.Body = long(20_001) }), "body", "error.too_long:20000"},
		{"deliverables", milestone(func(m *Milestone) { m.Deliverables = lines(MaxDeliverables + 1) }), "deliverables", "error.too_many:20"},
		{"deliverable", milestone(func(m *Milestone) { m.Deliverables = []string{long(301)} }), "deliverables", "error.too_long:300"},
		{"milestone notes", milestone(func(m *Milestone) { m.Notes = long(4001) }), "notes", "error.too_long:4000"},
		{"replans", milestone(func(m *Milestone) { m.Replans = replans(MaxReplans+1, "koordynator", "termin") }), "replans", "error.too_many:100"},
		{"replan reason", milestone(func(m *Milestone) { m.Replans = replans(1, "koordynator", long(1001)) }), "replans", "error.too_long:1000"},
		{"replan login", milestone(func(m *Milestone) { m.Replans = replans(1, long(41), "termin") }), "replans", "error.too_long:40"},
		{"project goals", project(func(p *Project) { p.Goals = lines(MaxProjectGoals + 1) }), "goals", "error.too_many:20"},
		{"project goal", project(func(p *Project) { p.Goals = []string{long(2001)} }), "goals", "error.too_long:2000"},
		{"references", project(func(p *Project) { p.References = refs(MaxReferences + 1) }), "references", "error.too_many:20"},
		{"reference", project(func(p *Project) { p.References = []Reference{{Name: long(301)}} }), "ref_name_0", "error.too_long:300"},
		{"reopenings", project(func(p *Project) { p.Reopenings = make([]Reopening, MaxReopenings+1) }), "reopenings", "error.too_many:50"},
		{"reopening reason", project(func(p *Project) { p.Reopenings = []Reopening{{Login: "admin", Reason: long(1001)}} }), "reopenings", "error.too_long:1000"},
		{"reopening login", project(func(p *Project) { p.Reopenings = []Reopening{{Login: long(41), Reason: "korekta"}} }), "reopenings", "error.too_long:40"},
		{"session trainers", session(func(ss *Session) { ss.TrainerIDs = seq(MaxSessionTrainers + 1) }), "trainers", "error.too_many:5"},
		{"participants", session(func(ss *Session) { ss.Participants = seq(MaxParticipants + 1) }), "participants", "error.too_many:200"},
		{"session history", session(func(ss *Session) { ss.History = history(MaxSessionHistory+1, "koordynator", "") }), "history", "error.too_many:100"},
		{"history reason", session(func(ss *Session) { ss.History = history(1, "koordynator", long(1001)) }), "history", "error.too_long:1000"},
		{"history login", session(func(ss *Session) { ss.History = history(1, long(41), "") }), "history", "error.too_long:40"},
		{"session part", session(func(ss *Session) { ss.Part = long(121) }), "part", "error.too_long:120"},
		{"session topic", session(func(ss *Session) { ss.Topic = long(301) }), "topic", "error.too_long:300"},
		{"session address", session(func(ss *Session) { ss.Address = long(201) }), "address", "error.too_long:200"},
		{"session room", session(func(ss *Session) { ss.Room = long(41) }), "room", "error.too_long:40"},
		{"session group", session(func(ss *Session) { ss.Group = long(61) }), "group", "error.too_long:60"},
		{"session units reason", session(func(ss *Session) { ss.Units, ss.UnitsReason = 2, long(1001) }), "units_reason", "error.too_long:1000"},
		{"session notes", session(func(ss *Session) { ss.Notes = long(10_001) }), "notes", "error.too_long:10000"},
		{"indicator courses", indicator(MaxIndicatorCourses + 1), "courses", "error.too_many:20"},
		{"course title", course(func(c *Course) { c.Title = long(301) }), "title", "error.too_long:300"},
		{"course notes", course(func(c *Course) { c.Notes = long(10_001) }), "notes", "error.too_long:10000"},
		{"trainer name", trainer(func(tr *Trainer) { tr.Name = long(121) }), "name", "error.too_long:120"},
		{"trainer organisation", trainer(func(tr *Trainer) { tr.Organisation = long(201) }), "organisation", "error.too_long:200"},
		{"trainer e-mail", trainer(func(tr *Trainer) { tr.Email = strings.Repeat("a", 120) + "@b.pl" }), "email", "error.too_long:120"},
	} {
		v, ok := c.err.(*ValidationError)
		if !ok || v.Fields[c.field] != c.want {
			t.Errorf("%s: %v, want %s: %s", c.name, c.err, c.field, c.want)
		}
	}
}

func seq(n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		out[i] = uint64(i + 1)
	}
	return out
}

func TestRepeatedIDsAreDropped(t *testing.T) {
	st := UnitState{Name: "a", Kind: KindTeam, From: day("2020-01-01"), Locations: []uint64{3, 1, 3, 3, 2, 1}}
	if err := st.Validate(); err != nil {
		t.Fatal(err)
	}
	if got := st.Locations; len(got) != 3 || got[0] != 3 || got[1] != 1 || got[2] != 2 {
		t.Fatalf("locations %v", got)
	}
}

func TestAuditKeepsLongValuesShort(t *testing.T) {
	s, _, _ := openTest(t)
	st := UnitState{Name: "Zespół", Kind: KindTeam, From: day("2018-01-01"), Duties: strings.Repeat("obowiązek ", 400)}
	u, err := s.SaveUnitState(System, 0, 0, st)
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.Audit(AuditFilter{Entity: "unit"})
	if err != nil || len(page.Entries) != 1 {
		t.Fatalf("audit: %v %d", err, len(page.Entries))
	}
	for _, c := range page.Entries[0].Changes {
		if n := utf8.RuneCountInString(c.New); n > MaxAuditValue+20 {
			t.Fatalf("%s kept %d characters", c.Field, n)
		}
		if c.Field == "states.0.duties" && !strings.Contains(c.New, "… (+") {
			t.Fatalf("the cut is not marked: %q", c.New)
		}
	}
	if !slices.ContainsFunc(page.Entries[0].Changes, func(c Change) bool { return c.Field == "states.0.duties" }) {
		t.Fatalf("no change of states.0.duties: %+v", page.Entries[0].Changes)
	}
	// A rename deep in a long history is recorded as that one field.
	st.Name = "Zespół po zmianie"
	if _, err := s.SaveUnitState(System, u.ID, 0, st); err != nil {
		t.Fatal(err)
	}
	page, _ = s.Audit(AuditFilter{Entity: "unit"})
	if ch := page.Entries[0].Changes; len(ch) != 1 || ch[0].Field != "states.0.name" || ch[0].Old != "Zespół" || ch[0].New != "Zespół po zmianie" {
		t.Fatalf("rename recorded as %+v", ch)
	}
	if u.Current().Duties != st.Duties {
		t.Fatal("the record itself must keep the whole text")
	}
}

func TestUnitHistoryIsBounded(t *testing.T) {
	s, _, _ := openTest(t)
	st := UnitState{Name: "Zespół", Kind: KindTeam, From: day("2018-01-01")}
	u, err := s.SaveUnitState(System, 0, 0, st)
	if err != nil {
		t.Fatal(err)
	}
	u.States = make([]UnitState, MaxUnitStates)
	for i := range u.States {
		u.States[i] = st
		u.States[i].From = st.From.AddDate(0, 0, i)
	}
	if err := s.db.Update(func(tx *bboltTx) error { return putJSON(tx.Bucket(bucketUnits), itob(u.ID), u) }); err != nil {
		t.Fatal(err)
	}
	next := st
	next.From = st.From.AddDate(0, 0, MaxUnitStates+1)
	_, err = s.SaveUnitState(System, u.ID, 0, next)
	if v, ok := err.(*ValidationError); !ok || v.Fields["from"] != "error.too_many:200" {
		t.Fatalf("state %d: %v", MaxUnitStates+1, err)
	}
}

func FuzzCleanText(f *testing.F) {
	for _, s := range []string{"Żółw", "a\u202eb", "\r\n\r", "\xff\xfe", "\u2067x\u2069", "\t\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := CleanText(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q", s)
		}
		for _, r := range out {
			if isBidiControl(r) || r == '\r' || (unicode.IsControl(r) && r != '\n' && r != '\t') {
				t.Fatalf("%q kept %U", s, r)
			}
		}
		if CleanText(out) != out {
			t.Fatalf("not idempotent on %q", s)
		}
	})
}

func FuzzParsePhones(f *testing.F) {
	for _, s := range []string{"32 285-78-39\n32 380-01-23", "+48 (32) 384 13 74; 600 100 200", ",,;;\n", "  ", "1,2,3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		phones := ParsePhones(s)
		for _, p := range phones {
			if p == "" || p != strings.TrimSpace(p) || strings.ContainsAny(p, "\n,;") {
				t.Fatalf("%q gave entry %q", s, p)
			}
		}
		var v ValidationError
		validPhones(&v, "phones", phones) // must not panic on any list
	})
}

func FuzzNormalizeHours(f *testing.F) {
	for _, s := range []string{"10:00-14:00", "8.00 – 15.00", "7:30-10:30, 12:00-15:30", "25:00-26:00", "9-10", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, ok := NormalizeHours(s)
		if !ok {
			return
		}
		again, ok2 := NormalizeHours(out)
		if !ok2 || again != out {
			t.Fatalf("%q normalised to %q, which does not normalise to itself (%q)", s, out, again)
		}
	})
}

// Text stored before input was cleaned is cleaned once by migration 6, and
// the change is in the audit log.
func TestMigrationCleansStoredText(t *testing.T) {
	s, _, _ := openTest(t)
	p := Staff{FirstName: "Jan", LastName: "Nowak", EmployedFrom: day("2010-01-01"), Assignments: posted(1, "referent", "2010-01-01"), Phones: []string{"32 285 78 39"}}
	if err := s.db.Update(func(tx *bboltTx) error {
		if err := insert(s, tx, System, kindStaff, &p); err != nil {
			return err
		}
		// As an older binary stored it: the name with a right-to-left override.
		p.LastName, p.Phones = "\u202eNowak", []string{"32 285 78 39\u2069"}
		if err := putJSON(tx.Bucket(bucketStaff), itob(p.ID), &p); err != nil {
			return err
		}
		u := User{Login: "ola", Name: "Ola\u202e", Roles: []Role{RoleStaff}, Active: true}
		if err := putJSON(tx.Bucket(bucketUsers), itob(1), &u); err != nil {
			return err
		}
		if err := putJSON(tx.Bucket(bucketMeta), keyCentre, Centre{Name: "MOPS\u202e", Short: "MOPS", Version: 1}); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, itob(5))
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.migrate(); err != nil {
		t.Fatal(err)
	}
	got, err := s.Person(p.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.LastName != "Nowak" || got.Phones[0] != "32 285 78 39" || got.FirstName != "Jan" || got.Assignments[0].UnitID != 1 {
		t.Fatalf("after the migration: %+v", got)
	}
	page, _ := s.Audit(AuditFilter{Entity: "staff"})
	if len(page.Entries) != 2 || len(page.Entries[0].Changes) != 2 {
		t.Fatalf("audit: %+v", page.Entries)
	}
	if u, _ := s.User(1); u.Name != "Ola" {
		t.Fatalf("account name %q", u.Name)
	}
	if c := s.Centre(); c.Name != "MOPS" || c.Version != 1 {
		t.Fatalf("centre %+v", c)
	}
}
