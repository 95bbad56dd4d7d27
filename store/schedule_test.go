package store

import (
	"slices"
	"testing"
	"time"
)

func hm(t *testing.T, s string) int {
	t.Helper()
	m, ok := ParseClock(s)
	if !ok {
		t.Fatalf("ParseClock(%q) refused", s)
	}
	return m
}

// The seed's own notices: "7.30 – 10.30 (4 x 45 min)", "12.00 – 14.30 (3 gr
// x 3 x 45 min)", "8.00 – 14.00 (2gr x 3 x 45 min)" (two sessions of three
// units: the slot is shared by two groups one after the other), and
// trainings "9.00 - 15.00" of 6 clock hours.
func TestHourUnitsOfTheSeedsNotices(t *testing.T) {
	cases := []struct {
		kind       CourseKind
		start, end string
		units      int // set by hand, 0: the default
		want       int
	}{
		{CourseSupervision, "7.30", "10.30", 0, 4},
		{CourseSupervision, "12.00", "14.30", 0, 3},
		{CourseSupervision, "8.00", "11.00", 0, 4},
		{CourseSupervision, "8.00", "10.30", 0, 3},
		{CourseSupervision, "11.00", "13.30", 0, 3},
		{CourseTraining, "9.00", "15.00", 0, 6},
		{CourseTraining, "9.30", "15.30", 0, 6},
		{CourseTraining, "9.00", "15.00", 5, 5}, // a lunch break, set by hand
	}
	for _, c := range cases {
		s := Session{Start: hm(t, c.start), End: hm(t, c.end), Units: c.units}
		if got := s.HourUnits(c.kind.DefaultUnit()); got != c.want {
			t.Errorf("%s %s–%s: %d units, want %d", c.kind, c.start, c.end, got, c.want)
		}
	}
	// "8.00 – 14.00 (2gr x 3 x 45 min)": two group sessions of 3 units each,
	// not one of 8.
	groups := []Session{{Group: "1", Start: hm(t, "8.00"), End: hm(t, "10.30")}, {Group: "2", Start: hm(t, "11.00"), End: hm(t, "13.30")}}
	total := 0
	for _, g := range groups {
		total += g.HourUnits(LessonHours)
	}
	if total != 6 {
		t.Errorf("two groups of 3 lesson hours: %d", total)
	}
	for _, bad := range []string{"25:00", "9:5", "abc", "", "12:60", "24:01"} {
		if _, ok := ParseClock(bad); ok {
			t.Errorf("ParseClock(%q) accepted", bad)
		}
	}
}

func TestSessionValidation(t *testing.T) {
	s := Session{Date: pday(2018, 10, 24), Start: 12 * 60, End: 14*60 + 30, Status: SessionPlanned, Units: 2}
	if err := s.Validate(LessonHours); !hasField(err, "units_reason") {
		t.Errorf("a changed count without a reason: %v", err)
	}
	s.UnitsReason = "przerwa"
	if err := s.Validate(LessonHours); err != nil {
		t.Error(err)
	}
	// The spring-forward night has no 02:30; the autumn one has it twice.
	spring := Session{Date: pday(2018, 3, 25), Start: 2*60 + 30, End: 4 * 60, Status: SessionPlanned}
	autumn := Session{Date: pday(2018, 10, 28), Start: 2*60 + 15, End: 5 * 60, Status: SessionPlanned}
	for _, ss := range []Session{spring, autumn} {
		if err := ss.Validate(ClockHours); !hasField(err, "start") {
			t.Errorf("%s %s: %v", ss.Date.Format("2006-01-02"), Clock(ss.Start), err)
		}
	}
	full := Session{Date: pday(2018, 10, 24), Start: 600, End: 700, Status: SessionPlanned, Capacity: 2, Participants: []uint64{1, 2, 3}}
	if err := full.Validate(ClockHours); !hasField(err, "participants") {
		t.Errorf("over capacity: %v", err)
	}
}

func TestAttendanceBecomesDeliveredHoursInTheCoursesUnit(t *testing.T) {
	s, clk, _ := openTest(t)
	clk.Add(time.Date(2018, 11, 1, 12, 0, 0, 0, time.UTC).Sub(clk.Now()))
	a := Actor{Login: "koordynator"}
	unit, err := s.SaveUnitState(a, 0, 0, UnitState{From: pday(2017, 1, 1), Name: "Zespół ds. Pracy Socjalnej", Kind: KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	var people []uint64
	for _, name := range []string{"Nowak", "Kowalska", "Zielińska"} {
		p := &Staff{FirstName: "Anna", LastName: name, EmployedFrom: pday(2017, 1, 1)}
		p.AddAssignment(Assignment{UnitID: unit.ID, Position: "pracownik socjalny", From: p.EmployedFrom, Primary: true})
		if err := s.SavePerson(a, p, 0); err != nil {
			t.Fatal(err)
		}
		people = append(people, p.ID)
	}
	sup := Course{Title: "Superwizja pracy socjalnej", Kind: CourseSupervision, ContractedHours: 156, ContractedPeople: 30}
	if err := s.SaveCourse(a, &sup, 0); err != nil {
		t.Fatal(err)
	}
	if sup.Unit != LessonHours {
		t.Fatalf("supervision counts in %s", sup.Unit)
	}
	mk := func(day time.Time, start, end string, group string) *Session {
		ss := &Session{CourseID: sup.ID, Date: day, Start: hm(t, start), End: hm(t, end), Group: group, Status: SessionPlanned, Capacity: 3, Participants: people}
		if err := s.SaveSession(a, ss, 0, Plan{}); err != nil {
			t.Fatal(err)
		}
		return ss
	}
	s1 := mk(pday(2018, 10, 9), "7.30", "10.30", "")
	s2 := mk(pday(2018, 10, 24), "12.00", "14.30", "3")
	future := mk(pday(2018, 11, 20), "8.00", "11.00", "1")
	if _, err := s.MarkAttendance(a, future.ID, people[0], 0, Present, 0, ""); ErrorCode(err) != EConflict {
		t.Errorf("attendance at a future session: %v", err)
	}
	if _, err := s.Enrol(a, s1.ID, s1.Version, []uint64{99}, Plan{}); err == nil {
		t.Error("enrolled beyond capacity or an unknown person")
	}
	marks := []struct {
		ss       *Session
		person   uint64
		presence Presence
		units    int
	}{
		{s1, people[0], Present, 0}, {s1, people[1], Late, 3}, {s1, people[2], Absent, 0},
		{s2, people[0], Present, 0}, {s2, people[1], Excused, 0},
	}
	for _, m := range marks {
		if _, err := s.MarkAttendance(a, m.ss.ID, m.person, 0, m.presence, m.units, ""); err != nil {
			t.Fatal(err)
		}
	}
	// The same mark again from a page read before it: a conflict.
	if _, err := s.MarkAttendance(a, s1.ID, people[0], 0, Absent, 0, ""); ErrorCode(err) != EConflict {
		t.Errorf("a stale mark: %v", err)
	}
	if _, err := s.MarkAttendance(a, s1.ID, people[0], 1, LeftEarly, 9, ""); !hasField(err, "units") {
		t.Errorf("more units than the session has: %v", err)
	}
	d, sessions, _, err := s.CourseDelivery(&sup)
	if err != nil {
		t.Fatal(err)
	}
	if len(sessions) != 3 || d.Sessions != 3 || d.Held != 2 || d.Units != 4+3 || d.Unit != LessonHours {
		t.Errorf("delivery: %+v", d)
	}
	if d.PersonUnits[people[0]] != 7 || d.PersonUnits[people[1]] != 3 || d.PersonUnits[people[2]] != 0 || d.PersonUnitSum != 10 {
		t.Errorf("person units: %v (sum %d)", d.PersonUnits, d.PersonUnitSum)
	}
	// A marked participant stays enrolled; the course's unit stays.
	s1now, _ := s.Session(s1.ID)
	s1now.Participants = people[:1]
	if err := s.SaveSession(a, s1now, s1now.Version, Plan{}); !hasField(err, "participants") {
		t.Errorf("unenrolled a marked participant: %v", err)
	}
	sup.Unit = ClockHours
	if err := s.SaveCourse(a, &sup, sup.Version); !hasField(err, "unit") {
		t.Errorf("changed the unit of a course with held sessions: %v", err)
	}
	if err := s.DeleteSession(a, s1.ID, s1now.Version); ErrorCode(err) != EConflict {
		t.Errorf("deleted a session with attendance: %v", err)
	}
	// The indexes: by date, by person.
	list, total, err := s.SessionsBetween(pday(2018, 10, 1), pday(2018, 10, 31), 0, 10, nil)
	if err != nil || total != 2 || len(list) != 2 || list[0].ID != s1.ID {
		t.Errorf("October: %d of %d, %v", len(list), total, err)
	}
	mine, _ := s.PersonSessions(people[2], pday(2018, 11, 1), Forever, 10)
	if len(mine) != 1 || mine[0].ID != future.ID {
		t.Errorf("from November: %v", mine)
	}
	if err := s.DeleteSession(a, future.ID, future.Version); err != nil {
		t.Fatal(err)
	}
	if mine, _ = s.PersonSessions(people[2], Beginning, Forever, 10); len(mine) != 2 {
		t.Errorf("a deleted session is still indexed: %d", len(mine))
	}
}

func TestIndicatorsComputedFromTheSchedule(t *testing.T) {
	s, clk, _ := openTest(t)
	clk.Add(time.Date(2018, 11, 1, 12, 0, 0, 0, time.UTC).Sub(clk.Now()))
	a := Actor{Login: "koordynator"}
	unit, _ := s.SaveUnitState(a, 0, 0, UnitState{From: pday(2017, 1, 1), Name: "Zespół", Kind: KindTeam})
	var people []uint64
	for _, name := range []string{"Nowak", "Kowalska"} {
		p := &Staff{FirstName: "Anna", LastName: name, EmployedFrom: pday(2017, 1, 1)}
		p.AddAssignment(Assignment{UnitID: unit.ID, Position: "pracownik socjalny", From: p.EmployedFrom, Primary: true})
		if err := s.SavePerson(a, p, 0); err != nil {
			t.Fatal(err)
		}
		people = append(people, p.ID)
	}
	p := Project{Name: "Nowy Model", Kind: KindEUProject, Status: ProjectRunning, From: pday(2017, 3, 1), To: pday(2019, 2, 28)}
	if err := s.SaveProject(a, &p, 0); err != nil {
		t.Fatal(err)
	}
	training := Course{Title: "Szkolenia", Kind: CourseTraining, ProjectID: p.ID}
	workshop := Course{Title: "Warsztaty", Kind: CourseWorkshop, ProjectID: p.ID}
	sup := Course{Title: "Superwizja", Kind: CourseSupervision, ProjectID: p.ID}
	for _, c := range []*Course{&training, &workshop, &sup} {
		if err := s.SaveCourse(a, c, 0); err != nil {
			t.Fatal(err)
		}
	}
	held := func(c *Course, day time.Time, start, end string, who ...uint64) {
		ss := &Session{CourseID: c.ID, Date: day, Start: hm(t, start), End: hm(t, end), Status: SessionPlanned, Participants: people}
		if err := s.SaveSession(a, ss, 0, Plan{}); err != nil {
			t.Fatal(err)
		}
		for _, pid := range people {
			presence := Absent
			if slices.Contains(who, pid) {
				presence = Present
			}
			if _, err := s.MarkAttendance(a, ss.ID, pid, 0, presence, 0, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	held(&training, pday(2018, 2, 1), "9.00", "15.00", people[0])
	held(&workshop, pday(2018, 3, 1), "9.00", "15.00", people[0], people[1])
	held(&sup, pday(2018, 3, 2), "7.30", "10.30", people[1])
	// A planned session without attendance counts for nothing.
	if err := s.SaveSession(a, &Session{CourseID: training.ID, Date: pday(2018, 12, 1), Start: 540, End: 900, Status: SessionPlanned}, 0, Plan{}); err != nil {
		t.Fatal(err)
	}
	// Trainings and workshops together, in clock hours: 6 + 6.
	hours := Indicator{ProjectID: p.ID, Name: "Godziny szkoleniowe", Unit: UnitClockHours, Target: 156, Source: SourceHours, CourseIDs: []uint64{training.ID, workshop.ID}}
	people2 := Indicator{ProjectID: p.ID, Name: "Przeszkoleni", Unit: UnitPersons, Target: 60, Source: SourcePeople, CourseIDs: []uint64{training.ID, workshop.ID}}
	for _, ind := range []*Indicator{&hours, &people2} {
		if err := s.SaveIndicator(a, ind, 0); err != nil {
			t.Fatal(err)
		}
	}
	c, err := s.Computed(&hours)
	if err != nil || len(c.Readings) != 2 || c.Readings[1].Value != 12 || len(c.Sessions) != 2 {
		t.Fatalf("hours: %+v %v", c, err)
	}
	if c, _ = s.Compute(&people2); c.Readings[0].Value != 1 || c.Readings[1].Value != 2 {
		t.Errorf("people counted from their first session: %+v", c.Readings)
	}
	// Clock and lesson hours are never added together.
	mixed := Indicator{ProjectID: p.ID, Name: "Wszystko", Unit: UnitClockHours, Target: 300, Source: SourceHours, CourseIDs: []uint64{training.ID, sup.ID}}
	if err := s.SaveIndicator(a, &mixed, 0); !hasField(err, "courses") {
		t.Errorf("mixed units: %v", err)
	}
	lesson := Indicator{ProjectID: p.ID, Name: "Superwizja", Unit: UnitClockHours, Target: 156, Source: SourceHours, CourseIDs: []uint64{sup.ID}}
	if err := s.SaveIndicator(a, &lesson, 0); !hasField(err, "unit") {
		t.Errorf("lesson hours counted as clock hours: %v", err)
	}
	if err := s.AddMeasurement(a, hours.ID, hours.Version, Measurement{Date: pday(2018, 5, 1), Value: 3}); ErrorCode(err) != EConflict {
		t.Errorf("a reading typed into a computed indicator: %v", err)
	}
	// The project's views see the computed value.
	o, _ := s.Org()
	st := o.Standing(o.IndicatorByID[hours.ID], pday(2018, 11, 1), s.Resolver())
	if st.Forecast.Actual != 12 {
		t.Errorf("standing: %+v", st.Forecast)
	}
}
