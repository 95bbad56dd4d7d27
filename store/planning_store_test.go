package store

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// planningStore is a store with a location, a course and two trainers.
func planningStore(t *testing.T) (*Store, *Course, []uint64, uint64) {
	t.Helper()
	s, clk, _ := openTest(t)
	clk.Add(time.Date(2019, 1, 10, 12, 0, 0, 0, time.UTC).Sub(clk.Now()))
	a := Actor{Login: "koordynator"}
	loc := &Location{Name: "Bytomska 15", Street: "ul. Bytomska 15", PostalCode: "42-600", City: "Tarnowskie Góry"}
	if err := s.SaveLocation(a, loc, 0); err != nil {
		t.Fatal(err)
	}
	c := &Course{Title: "Superwizja", Kind: CourseSupervision}
	if err := s.SaveCourse(a, c, 0); err != nil {
		t.Fatal(err)
	}
	var trainers []uint64
	for _, name := range []string{"Anna Superwizorska", "Jan Trener"} {
		tr := &Trainer{Name: name, Organisation: "Pracownia"}
		if err := s.SaveTrainer(a, tr, 0); err != nil {
			t.Fatal(err)
		}
		trainers = append(trainers, tr.ID)
	}
	return s, c, trainers, loc.ID
}

// Sessions saved together are saved all or none: one clash among them
// refuses them all, and an override lets them through with its reason.
func TestSaveSessionsAllOrNothing(t *testing.T) {
	s, c, trainers, loc := planningStore(t)
	a := Actor{Login: "koordynator"}
	mk := func(day, start int) Session {
		return Session{CourseID: c.ID, Date: pday(2019, 2, day), Start: start, End: start + 180, LocationID: loc, Room: "12",
			TrainerIDs: []uint64{trainers[0]}, Status: SessionPlanned}
	}
	list := []Session{mk(4, 480), mk(5, 480), mk(5, 600)} // the last two overlap
	err := s.SaveSessions(a, list, Plan{})
	ce, ok := err.(*ConflictsError)
	if !ok || len(ce.Conflicts) == 0 {
		t.Fatalf("a clash within the list: %v", err)
	}
	if got, _ := s.CourseSessions(c.ID); len(got) != 0 {
		t.Fatalf("a refused list stored %d sessions", len(got))
	}
	list = []Session{mk(4, 480), mk(5, 480), mk(5, 600)}
	if err := s.SaveSessions(a, list, Plan{Override: "Dwie sale, jeden superwizor na zmianę"}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.CourseSessions(c.ID)
	if len(got) != 3 || len(got[2].History) != 1 || got[2].History[0].Kind != ChangeOverride {
		t.Fatalf("stored %d, the overridden one's history %+v", len(got), got[len(got)-1].History)
	}
	// The location's week reads its index.
	week, err := s.LocationSessions(loc, pday(2019, 2, 4), pday(2019, 2, 10), 100)
	if err != nil || len(week) != 3 {
		t.Fatalf("the location's week: %d %v", len(week), err)
	}
}

// The index of sessions by location is built for sessions stored before it
// existed.
func TestLocationIndexMigration(t *testing.T) {
	s, c, trainers, loc := planningStore(t)
	ss := &Session{CourseID: c.ID, Date: pday(2019, 2, 4), Start: 480, End: 660, LocationID: loc, TrainerIDs: trainers[:1], Status: SessionPlanned}
	if err := s.SaveSession(Actor{Login: "koordynator"}, ss, 0, Plan{}); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.DeleteBucket(bucketSessionsLocation); err != nil {
			return err
		}
		return migrateLocationIndex(s, tx)
	}); err != nil {
		t.Fatal(err)
	}
	if week, err := s.LocationSessions(loc, pday(2019, 2, 4), pday(2019, 2, 4), 10); err != nil || len(week) != 1 || week[0].ID != ss.ID {
		t.Fatalf("after the migration: %v %v", week, err)
	}
}

// A feed token names its account until it is renewed or revoked; only its
// hash is stored.
func TestFeedTokens(t *testing.T) {
	s, _, _ := openTest(t)
	u := &User{Login: "anna", Name: "Anna", Roles: []Role{RoleStaff}, Active: true, PasswordHash: "x"}
	if err := s.CreateUser(System, u); err != nil {
		t.Fatal(err)
	}
	first, err := s.NewFeedToken(System, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.FeedUser(first); err != nil || got.ID != u.ID {
		t.Fatalf("a new token: %v %v", got, err)
	}
	if _, ok := s.FeedTokenOf(u.ID); !ok {
		t.Fatal("the account has no token")
	}
	stored := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketFeedTokens).ForEach(func(k, v []byte) error {
			stored = stored || string(k[1:]) == first || string(v) == first
			return nil
		})
	})
	if stored {
		t.Fatal("the token itself is stored")
	}
	second, _ := s.NewFeedToken(System, u.ID)
	if _, err := s.FeedUser(first); err == nil {
		t.Fatal("a renewed token still works")
	}
	if _, err := s.FeedUser(second); err != nil {
		t.Fatal(err)
	}
	// An account that cannot sign in has no feed either.
	if _, err := s.UpdateUser(System, u.ID, 0, ActionUpdate, func(x *User) error { x.Active = false; return nil }); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FeedUser(second); err == nil {
		t.Fatal("a deactivated account's feed works")
	}
	if err := s.RevokeFeedToken(System, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.FeedTokenOf(u.ID); ok {
		t.Fatal("a revoked token is still listed")
	}
}

// A slot across midnight is refused, not read as a clash with the next day.
func TestASlotAcrossMidnightIsRefused(t *testing.T) {
	for _, tc := range []struct{ start, end int }{{22 * 60, 60}, {23 * 60, 23 * 60}, {0, 24*60 + 1}} {
		ss := Session{Date: pday(2019, 2, 4), Start: tc.start, End: tc.end, Status: SessionPlanned}
		if err := ss.Validate(ClockHours); !hasField(err, "end") {
			t.Errorf("%s–%s: %v", Clock(tc.start), Clock(tc.end), err)
		}
	}
	ok := Session{Date: pday(2019, 2, 4), Start: 22 * 60, End: 24 * 60, Status: SessionPlanned}
	if err := ok.Validate(ClockHours); err != nil {
		t.Errorf("until midnight: %v", err)
	}
}

// A confirmed list locks its marks: a change is a correction with a
// reason; its people, day and place stay as confirmed.
func TestConfirmedListLocksItsMarks(t *testing.T) {
	s, c, trainers, loc := planningStore(t)
	a := Actor{Login: "trener"}
	unit, err := s.SaveUnitState(a, 0, 0, UnitState{From: pday(2017, 1, 1), Name: "Zespół ds. Pracy Socjalnej", Kind: KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	person := func(first, last string) *Staff {
		p := &Staff{FirstName: first, LastName: last, EmployedFrom: pday(2017, 1, 1)}
		p.AddAssignment(Assignment{UnitID: unit.ID, Position: "pracownik socjalny", From: p.EmployedFrom, Primary: true})
		if err := s.SavePerson(a, p, 0); err != nil {
			t.Fatal(err)
		}
		return p
	}
	p, q := person("Anna", "Nowak"), person("Jan", "Kowal")
	ss := &Session{CourseID: c.ID, Date: pday(2019, 1, 8), Start: 480, End: 660, LocationID: loc, TrainerIDs: trainers[:1],
		Status: SessionPlanned, Participants: []uint64{p.ID, q.ID}}
	if err := s.SaveSession(a, ss, 0, Plan{}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkAttendance(a, ss.ID, p.ID, 0, Present, 0, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfirmList(a, ss.ID, ss.Version); ErrorCode(err) != EConflict {
		t.Fatalf("confirmed with a mark missing: %v", err)
	}
	if _, err := s.MarkAttendance(a, ss.ID, q.ID, 0, Absent, 0, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.ConfirmList(a, ss.ID, ss.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := s.MarkAttendance(a, ss.ID, q.ID, 1, Excused, 0, ""); !hasField(err, "correction") {
		t.Fatalf("a correction without a reason: %v", err)
	}
	m, err := s.MarkAttendance(Actor{Login: "koordynator"}, ss.ID, q.ID, 1, Excused, 0, "Zwolnienie lekarskie doniesione później")
	if err != nil || m.Correction == "" {
		t.Fatalf("a correction: %+v %v", m, err)
	}
	now, _ := s.Session(ss.ID)
	if now.Confirmed == nil || now.Confirmed.By != "trener" {
		t.Fatalf("confirmation: %+v", now.Confirmed)
	}
	// The session's form cannot undo the confirmation nor move the session.
	edit := *now
	edit.Confirmed, edit.Notes = nil, "Notatka po zajęciach"
	if err := s.SaveSession(a, &edit, edit.Version, Plan{}); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Session(ss.ID); again.Confirmed == nil {
		t.Fatal("a save of the form lost the confirmation")
	}
	moved, _ := s.Session(ss.ID)
	moved.Start, moved.End = 540, 720
	if err := s.SaveSession(a, moved, moved.Version, Plan{Reason: "x"}); ErrorCode(err) != EConflict {
		t.Fatalf("a confirmed session moved: %v", err)
	}
	if _, err := s.Enrol(a, ss.ID, moved.Version, []uint64{999}, Plan{}); ErrorCode(err) != EConflict {
		t.Fatalf("enrolled into a confirmed list: %v", err)
	}
}
