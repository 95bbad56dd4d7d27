package store

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
)

// Lists a form sends are read once, through a set, and the reading stops
// at the first entry over the limit: what Validate leaves is at most one
// over it, whatever was sent. The checks are on what comes back, never on
// time.

func TestNoteListsStopAtTheLimit(t *testing.T) {
	const sent = 40_000
	n := NoteText{Date: day("2018-05-01"), Category: CategoryChange, Assessment: OnTrack, Title: "Notatka"}
	for i := range sent {
		n.Subjects = append(n.Subjects, Subject{Kind: SubjectUnit, ID: uint64(i + 1)})
		n.Tags = append(n.Tags, "temat "+strconv.Itoa(i))
	}
	v, ok := n.Validate().(*ValidationError)
	if !ok || v.Fields["subjects"] != "error.too_many:10" || v.Fields["tags"] != "error.too_many:10" {
		t.Fatalf("%d subjects and tags: %v", sent, v)
	}
	if len(n.Subjects) != MaxNoteSubjects+1 || len(n.Tags) != MaxNoteTags+1 {
		t.Fatalf("kept %d subjects and %d tags of %d", len(n.Subjects), len(n.Tags), sent)
	}
	// The same subject and tag many times over are one of each.
	n.Subjects = n.Subjects[:0]
	n.Tags = strings.Split(strings.Repeat("#Kolejki, kolejki ,", sent), ",")
	for range sent {
		n.Subjects = append(n.Subjects, Subject{Kind: SubjectUnit, ID: 7})
	}
	if err := n.Validate(); err != nil || len(n.Subjects) != 1 || len(n.Tags) != 1 || n.Tags[0] != "kolejki" {
		t.Fatalf("repeats: %v %v %v", err, n.Subjects, n.Tags)
	}
}

func TestSessionListsStopAtTheLimit(t *testing.T) {
	s, c, trainers, loc := planningStore(t)
	ss := &Session{CourseID: c.ID, Date: pday(2019, 2, 25), Start: 540, End: 720, LocationID: loc, Status: SessionPlanned}
	for i := range 100_000 {
		ss.TrainerIDs = append(ss.TrainerIDs, uint64(i+1))
		ss.Participants = append(ss.Participants, uint64(i+1))
	}
	err := s.SaveSession(Actor{Login: "koordynator"}, ss, 0, Plan{})
	if v, ok := err.(*ValidationError); !ok || v.Fields["trainers"] != "error.too_many:5" || v.Fields["participants"] != "error.too_many:200" {
		t.Fatalf("100,000 trainers and people: %v", err)
	}
	if len(ss.TrainerIDs) != MaxSessionTrainers+1 || len(ss.Participants) != MaxParticipants+1 {
		t.Fatalf("kept %d trainers and %d people", len(ss.TrainerIDs), len(ss.Participants))
	}
	ss.TrainerIDs, ss.Participants = []uint64{trainers[0], 0, trainers[0]}, nil
	if err := s.SaveSession(Actor{Login: "koordynator"}, ss, 0, Plan{}); err != nil || len(ss.TrainerIDs) != 1 {
		t.Fatalf("a trainer ticked twice: %v %v", err, ss.TrainerIDs)
	}
}

// Enrolling more people than a session holds is refused before the
// schedule's write transaction: nothing is written, not even to the log.
func TestEnrolmentOfThousandsIsRefusedAtOnce(t *testing.T) {
	s, c, _, loc := planningStore(t)
	a := Actor{Login: "koordynator"}
	ss := &Session{CourseID: c.ID, Date: pday(2019, 2, 25), Start: 540, End: 720, LocationID: loc, Status: SessionPlanned}
	if err := s.SaveSession(a, ss, 0, Plan{}); err != nil {
		t.Fatal(err)
	}
	people := make([]uint64, 0, 50_000)
	for i := range 50_000 {
		people = append(people, uint64(i+1))
	}
	audit, schedule := s.LastAuditID(), s.ScheduleVersion()
	added, err := s.Enrol(a, ss.ID, ss.Version, people, Plan{})
	if v, ok := err.(*ValidationError); !ok || v.Fields["participants"] != "error.too_many:200" || added != 0 {
		t.Fatalf("50,000 people: %d %v", added, err)
	}
	// Every write transaction of the schedule moves its version on, a
	// refused one too: this refusal came before any.
	if s.ScheduleVersion() != schedule {
		t.Fatal("50,000 people were looked at inside the schedule's write transaction")
	}
	if got, _ := s.Session(ss.ID); got.Version != ss.Version || len(got.Participants) != 0 || s.LastAuditID() != audit {
		t.Fatalf("the refusal wrote: %+v", got)
	}
	// One person sent 50,000 times is one person.
	p := &Staff{FirstName: "Jan", LastName: "Nowak", EmployedFrom: day("2010-01-01")}
	unit, err := s.SaveUnitState(a, 0, 0, UnitState{Name: "Zespół", Kind: KindTeam, From: day("2010-01-01")})
	if err != nil {
		t.Fatal(err)
	}
	p.Assignments = posted(unit.ID, "referent", "2010-01-01")
	if err := s.SavePerson(a, p, 0); err != nil {
		t.Fatal(err)
	}
	for i := range people {
		people[i] = p.ID
	}
	if added, err := s.Enrol(a, ss.ID, ss.Version, people, Plan{}); err != nil || added != 1 {
		t.Fatalf("one person many times: %d %v", added, err)
	}
	if got, _ := s.Session(ss.ID); len(got.Participants) != 1 {
		t.Fatalf("participants %v", got.Participants)
	}
}

// A day holds at most MaxSessionsPerDay sessions: every save reads its
// day, and an import's rows beyond it are reported, not checked against
// each other.
func TestADayHoldsABoundedSchedule(t *testing.T) {
	s, c, trainers, _ := planningStore(t)
	a := Actor{Login: "koordynator"}
	feb25 := pday(2019, 2, 25)
	var list []Session
	for range MaxSessionsPerDay {
		list = append(list, Session{CourseID: c.ID, Date: feb25, Start: 540, End: 600, Status: SessionPlanned})
	}
	if err := s.SaveSessions(a, list, Plan{}); err != nil {
		t.Fatal(err)
	}
	one := &Session{CourseID: c.ID, Date: feb25, Start: 600, End: 660, Status: SessionPlanned}
	err := s.SaveSession(a, one, 0, Plan{})
	if v, ok := err.(*ValidationError); !ok || v.Fields["date"] != "error.day_full:100" {
		t.Fatalf("session %d of a day: %v", MaxSessionsPerDay+1, err)
	}
	one.Date = pday(2019, 2, 26)
	if err := s.SaveSession(a, one, 0, Plan{}); err != nil {
		t.Fatal(err)
	}
	moved := *one
	moved.Date = feb25
	err = s.SaveSession(a, &moved, one.Version, Plan{Reason: "sala zajęta"})
	if v, ok := err.(*ValidationError); !ok || v.Fields["date"] != "error.day_full:100" {
		t.Fatalf("a session moved to a full day: %v", err)
	}
	// A session of the day changes as before.
	stored, _ := s.CourseSessions(c.ID)
	first := stored[0]
	first.Start, first.End = 480, 540
	if err := s.SaveSession(a, &first, first.Version, Plan{Reason: "wcześniej"}); err != nil {
		t.Fatalf("a change within a full day: %v", err)
	}

	// An import: 150 rows at the same hour with the same trainer, on a day
	// with room for 100.
	var b strings.Builder
	b.WriteString("data;od;do;kurs;prowadzący\n")
	for range 150 {
		fmt.Fprintf(&b, "2019-03-04;9.00;12.00;%s;Anna Superwizorska\n", c.Title)
	}
	rows, err := ParseScheduleCSV(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := s.ResolveSchedule(rows)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if full := r.Errors["date"] == "error.day_full:100"; full != (i >= MaxSessionsPerDay) {
			t.Fatalf("row %d: %v", i+1, r.Errors)
		}
	}
	conflicts, _, err := s.CheckSessions(sessions)
	if err != nil {
		t.Fatal(err)
	}
	for i, cs := range conflicts[:MaxSessionsPerDay] {
		if len(cs) > MaxConflicts+1 || (i > 0 && !Blocking(cs)) || (i > MaxConflicts && len(cs) < MaxConflicts) {
			t.Fatalf("row %d: %d conflicts", i+1, len(cs))
		}
	}
	if trainers[0] == 0 {
		t.Fatal("no trainer")
	}
}

// A session clashing with hundreds lists MaxConflicts of them, and the
// list stays blocking when a blocking one was left out.
func TestConflictsAreBounded(t *testing.T) {
	feb25 := pday(2019, 2, 25)
	s := &Session{Meta: Meta{ID: 1}, Date: feb25, Start: 480, End: 960, LocationID: 1, Room: "A", TrainerIDs: []uint64{9}, Status: SessionPlanned}
	var day []Session
	for i := range 300 {
		day = append(day, Session{Meta: Meta{ID: uint64(i + 2)}, Date: feb25, Start: 480, End: 540, TrainerIDs: []uint64{9}, Status: SessionPlanned})
	}
	if cs := Conflicts(s, CourseTraining, day, nil, 0); len(cs) != MaxConflicts || !Blocking(cs) {
		t.Fatalf("300 clashes: %d", len(cs))
	}
	day = day[:0]
	for i := range 60 { // the same building, another room: warnings only
		day = append(day, Session{Meta: Meta{ID: uint64(i + 2)}, Date: feb25, Start: 480, End: 540, LocationID: 1, Room: "B", Status: SessionPlanned})
	}
	day = append(day, Session{Meta: Meta{ID: 100}, Date: feb25, Start: 900, End: 960, TrainerIDs: []uint64{9}, Status: SessionPlanned})
	cs := Conflicts(s, CourseTraining, day, nil, 0)
	if len(cs) != MaxConflicts+1 || !Blocking(cs) || cs[MaxConflicts].Kind != ConflictTrainer {
		t.Fatalf("warnings first, a clash late: %d %v", len(cs), Blocking(cs))
	}
}

// A logo is removed only as the person saw it: the file and the version
// their confirmation named.
func TestLogoRemovalTakesTheConfirmedLogo(t *testing.T) {
	s, _, _, _, p := projectStore(t)
	a := Actor{Login: "koordynator"}
	first, err := s.SetLogo(a, p.ID, "logo.png", tinyImage(t, "png"))
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.SetLogo(a, p.ID, "nowe-logo.png", tinyImage(t, "png")) // replaced meanwhile
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveLogo(a, p.ID, first.ID, first.Version); ErrorCode(err) != EConflict {
		t.Fatalf("removing the logo replaced meanwhile: %v", err)
	}
	if err := s.RemoveLogo(a, p.ID, second.ID, second.Version+1); ErrorCode(err) != EConflict {
		t.Fatalf("another version: %v", err)
	}
	if f, _ := s.LogoFile(p.ID); f == nil || f.ID != second.ID {
		t.Fatalf("the logo after refusals: %+v", f)
	}
	if err := s.RemoveLogo(a, p.ID, second.ID, second.Version); err != nil {
		t.Fatal(err)
	}
	if f, _ := s.LogoFile(p.ID); f != nil {
		t.Fatalf("still there: %+v", f)
	}
	if err := s.RemoveLogo(a, p.ID, second.ID, second.Version); ErrorCode(err) != ENotFound {
		t.Fatalf("removed twice: %v", err)
	}
}
