package store

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"unicode"
)

// demoCourse is the demo course of that title.
func demoCourse(t *testing.T, s *Store, title string) *Course {
	t.Helper()
	list, err := s.Courses()
	if err != nil {
		t.Fatal(err)
	}
	for i := range list {
		if list[i].Title == title {
			return &list[i]
		}
	}
	t.Fatalf("no demo course %q", title)
	return nil
}

// sessionsAt are a course's sessions on a day from a start (any start: "").
func sessionsAt(t *testing.T, s *Store, c *Course, date, start string) []Session {
	t.Helper()
	list, err := s.CourseSessions(c.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []Session
	for _, ss := range list {
		if ss.Date.Equal(day(date)) && (start == "" || Clock(ss.Start) == start) {
			out = append(out, ss)
		}
	}
	return out
}

func TestDemoScheduleFollowsTheSeed(t *testing.T) {
	today := day("2026-11-30")
	s := demoStoreOn(t, today)
	o, err := s.Org()
	if err != nil {
		t.Fatal(err)
	}
	project := demoProjectNamed(t, o, demoEUProject)
	trainings, supervision := demoCourse(t, s, demoCourseTrainings), demoCourse(t, s, demoCourseSupervision)
	if trainings.Unit != ClockHours || trainings.Kind != CourseTraining || trainings.ContractedHours != 156 || trainings.ContractedPeople != 60 {
		t.Errorf("trainings: %+v", trainings)
	}
	if supervision.Unit != LessonHours || supervision.Kind != CourseSupervision || supervision.ContractedHours != 156 || supervision.ContractedPeople != 30 {
		t.Errorf("supervision: %+v", supervision)
	}
	if trainings.ProjectID != project.ID || supervision.ProjectID != project.ID {
		t.Errorf("courses of projects %d and %d, not %d", trainings.ProjectID, supervision.ProjectID, project.ID)
	}

	// "Maciej Sosnowski 24 październik 2018 r. godz. 12.00 – 14.30 (3 gr x 3
	// x 45 min)": one session of group 3, 3 lesson hours.
	if got := sessionsAt(t, s, supervision, "2018-10-24", "12:00"); len(got) != 1 || got[0].Group != "3" || Clock(got[0].End) != "14:30" ||
		got[0].HourUnits(supervision.Unit) != 3 || len(got[0].TrainerIDs) != 1 {
		t.Errorf("24.10.2018: %+v", got)
	}
	// "18 wrzesień 2018 r. godz. 8.00 – 14.00 (2gr x 3 x 45 min)": two
	// sessions of 3 units, one per group.
	if got := sessionsAt(t, s, supervision, "2018-09-18", ""); len(got) != 2 || got[0].HourUnits(LessonHours) != 3 || got[1].HourUnits(LessonHours) != 3 ||
		got[0].Group != "1" || got[1].Group != "2" || Clock(got[0].Start) != "08:00" || !(got[0].End <= got[1].Start) {
		t.Errorf("18.09.2018: %+v", got)
	}
	// "4 wrzesień 2018 r. godz. 12.00 – 15.00 (3 x 45 min)": 3 units where 4
	// fit, with the reason.
	if got := sessionsAt(t, s, supervision, "2018-09-04", "12:00"); len(got) != 1 || got[0].Units != 3 || got[0].UnitsReason == "" {
		t.Errorf("04.09.2018: %+v", got)
	}
	// "I grupa - godz. 8.00 - 11.00 / II grupa - godz. 12.00 - 15.00".
	if got := sessionsAt(t, s, supervision, "2019-02-12", ""); len(got) != 2 || got[0].Group != "I" || got[1].Group != "II" {
		t.Errorf("12.02.2019: %+v", got)
	}
	// The trainings of 25.02.2019 (RODO) and 22.02.2019 (management).
	for _, c := range []struct{ date, words string }{{"2019-02-25", "RODO"}, {"2019-02-22", "Efektywne zarządzanie"}} {
		got := sessionsAt(t, s, trainings, c.date, "09:00")
		if len(got) != 1 || Clock(got[0].End) != "15:00" || got[0].HourUnits(trainings.Unit) != 6 || !strings.Contains(got[0].Topic, c.words) ||
			got[0].LocationID == 0 || o.LocationByID[got[0].LocationID].Street != "ul. Sienkiewicza 8" || len(got[0].TrainerIDs) != 1 {
			t.Errorf("%s: %+v", c.date, got)
		}
	}
	if got := sessionsAt(t, s, trainings, "2018-10-02", ""); len(got) != 1 || got[0].Part != "szkolenie nr 18" {
		t.Errorf("02.10.2018: %+v", got)
	}

	// 26 trainings of 6 clock hours; the seed's 37 supervision sessions
	// hold 150 lesson hours. All are past and held, each counted in its
	// own course's unit.
	for _, c := range []struct {
		course          *Course
		sessions, units int
		capacity        int
	}{{trainings, 26, 156, 30}, {supervision, 37, 150, 15}} {
		d, sessions, marks, err := s.CourseDelivery(c.course)
		if err != nil {
			t.Fatal(err)
		}
		if d.Unit != c.course.Unit || d.Sessions != c.sessions || d.Held != c.sessions || d.Units != c.units || d.PersonUnitSum <= 0 {
			t.Errorf("%s: %+v", c.course.Title, d)
		}
		enrolled := 0 // person-units had everyone been there throughout
		for _, ss := range sessions {
			enrolled += ss.HourUnits(c.course.Unit) * len(ss.Participants)
			if len(ss.Participants) == 0 || len(ss.Participants) > c.capacity || ss.Capacity != c.capacity {
				t.Errorf("%s %s: %d people of %d", c.course.Title, ss.Date, len(ss.Participants), ss.Capacity)
			}
			if len(marks[ss.ID]) != len(ss.Participants) {
				t.Errorf("%s %s: %d marks for %d people", c.course.Title, ss.Date, len(marks[ss.ID]), len(ss.Participants))
			}
			for _, p := range ss.Participants {
				if person := o.PersonByID[p]; person == nil || !person.EmployedOn(ss.Date) {
					t.Errorf("%s %s: person %d not employed", c.course.Title, ss.Date, p)
				}
			}
			if c.course == supervision && ss.Date.Year() == 2018 && ss.Date.Month() < 9 && len(ss.TrainerIDs) != 0 {
				t.Errorf("supervision of %s: the table names no supervisor", ss.Date)
			}
			if c.course == supervision {
				for _, id := range ss.TrainerIDs {
					if tr, err := s.Trainer(id); err != nil || tr.PersonID != 0 || tr.Organisation == "" {
						t.Errorf("supervisor %d of %s is not from outside: %+v %v", id, ss.Date, tr, err)
					}
				}
			}
		}
		if d.PersonUnitSum >= enrolled {
			t.Errorf("%s: %d person-units of %d: nobody missed anything", c.course.Title, d.PersonUnitSum, enrolled)
		}
	}
	// Attendance varies: not everyone was there for every unit.
	var presences = map[Presence]int{}
	for _, c := range []*Course{trainings, supervision} {
		_, _, marks, _ := s.CourseDelivery(c)
		for _, m := range marks {
			for _, mark := range m {
				presences[mark.Presence]++
			}
		}
	}
	for _, p := range Presences {
		if presences[p] == 0 {
			t.Errorf("no mark %s among %v", p, presences)
		}
	}

	// The trainer account's trainer runs sessions from today on, and one of
	// the last working day's waits for its attendance.
	usr, err := s.UserByLogin("trener")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := s.TrainerOfUser(usr.ID)
	if err != nil || tr == nil || tr.PersonID != 0 {
		t.Fatalf("trainer of the trener account: %+v %v", tr, err)
	}
	upcoming, err := s.TrainerSessions(tr.ID, today, Forever, 100)
	if err != nil || len(upcoming) < 3 || !upcoming[0].Date.Equal(today) {
		t.Fatalf("trener's sessions from today: %d %v", len(upcoming), err)
	}
	past, err := s.TrainerSessions(tr.ID, today.AddDate(0, 0, -7), today.AddDate(0, 0, -1), 100)
	if err != nil || len(past) != 1 || len(past[0].Participants) == 0 {
		t.Fatalf("trener's last session: %+v %v", past, err)
	}
	if m, err := s.Marks(past[0].ID); err != nil || len(m) != 0 {
		t.Errorf("the last session's attendance is taken already: %v %v", m, err)
	}
	// The trainer may take it.
	if _, err := s.MarkAttendance(Actor{UserID: usr.ID, Login: usr.Login}, past[0].ID, past[0].Participants[0], 0, Present, 0, ""); err != nil {
		t.Errorf("trener takes attendance: %v", err)
	}
	// The staff account's person is enrolled in a session next week.
	staff, err := s.UserByLogin("pracownik")
	if err != nil {
		t.Fatal(err)
	}
	person, err := s.PersonOfUser(staff.ID)
	if err != nil {
		t.Fatal(err)
	}
	if next, err := s.PersonSessions(person.ID, today.AddDate(0, 0, 1), today.AddDate(0, 0, 14), 10); err != nil || len(next) == 0 {
		t.Errorf("pracownik's sessions ahead: %d %v", len(next), err)
	}
	// Nothing ahead has attendance.
	ahead, _, err := s.SessionsBetween(today, Forever, 0, 100, nil)
	if err != nil || len(ahead) != 3 {
		t.Fatalf("sessions from today: %d %v", len(ahead), err)
	}
	for _, ss := range ahead {
		if m, _ := s.Marks(ss.ID); len(m) != 0 {
			t.Errorf("%s: attendance ahead of time", ss.Date)
		}
	}

	// A second seeding changes nothing.
	n, audit := s.count(bucketTrainingSessions), s.count(bucketAudit)
	if err := s.seedDemoSchedule(); err != nil || s.count(bucketTrainingSessions) != n || s.count(bucketAudit) != audit {
		t.Fatalf("schedule seeded again: %v", err)
	}
}

// On a day within the project the schedule is there in full, and only
// what has happened has attendance.
func TestDemoScheduleMidProject(t *testing.T) {
	today := day("2018-10-01")
	s := demoStoreOn(t, today)
	for _, title := range []string{demoCourseTrainings, demoCourseSupervision} {
		c := demoCourse(t, s, title)
		d, sessions, marks, err := s.CourseDelivery(c)
		if err != nil {
			t.Fatal(err)
		}
		if d.Held == 0 || d.Held == d.Sessions {
			t.Errorf("%s: %d of %d held", title, d.Held, d.Sessions)
		}
		for _, ss := range sessions {
			if held := len(marks[ss.ID]) > 0; held != ss.Date.Before(today) {
				t.Errorf("%s %s: held %v", title, ss.Date, held)
			}
		}
	}
}

// realSurnames are the folded surnames of the people seed 002 names as
// trainers ("Prowadzący:", "prowadząca szkolenie") and supervisors, kept
// as SHA-256 so that the repository holds no real name either. To add
// one: printf '%s' "$(folded surname)" | sha256sum.
var realSurnames = []string{
	"b61f2eb92e55465380a301ab3b7644fd3e1c200bddba92a78462cb7949ce845d",
	"59b6d624fffb656353ff89e0d90b72794f87cd004b20008dfb17ccca708b442a",
	"2a40d61f571ebf79bb46555f735966ff541daf169fe4858c325f65efcef5a08b",
	"ed1553d6c205350c2e90dbd193678af9e0b72e7f18d5d2f43780501ceea083ca",
	"45e9e4ffbf92954c06e0cec3213de65dcce90dbb0b9dd79ec77ccbfb02627e4b",
	"7f86093d845a8eaa1b519f07d898718272221b1b26d49ee63c6c4b6d24f9e93a",
	"ce493829ac52c4c0ddb17bf7161e258b620c8cd35e4a6a688c1b414ed6fed6c7",
	"220dcf12990d39d52676e95236e341f7b613442976c9a53180e0be9fd989b7cc",
	"93b48c3980e083ea7810b953a6e39844db6a3690d96b03cf941c47b6760ae516",
	"08b8fb17541a4e317a6f26801e4d8712b85389d8bc9961f6394e89b27d7c60d5",
	"039de978cb327a195f4731e0cb94aa5034fd226b0c71c3c185f1374c56f241dc",
}

// No word of the demo database (records, indexes and audit log) is the
// surname of a real trainer or supervisor.
func TestDemoScheduleHasNoRealNames(t *testing.T) {
	s := demoStoreOn(t, day("2026-11-30"))
	real := map[string]bool{}
	for _, h := range realSurnames {
		real[h] = true
	}
	hash := func(word string) string {
		sum := sha256.Sum256([]byte(Fold(word)))
		return hex.EncodeToString(sum[:])
	}
	seen := map[string]bool{}
	for _, v := range dump(t, s) {
		for _, w := range strings.FieldsFunc(v, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if !seen[w] {
				seen[w] = true
				if real[hash(w)] {
					t.Errorf("a real trainer's name in the demo: %q", w)
				}
			}
		}
	}
	// The check reads what it should: the invented trainers are there.
	for _, dt := range demoTrainers {
		if words := strings.FieldsFunc(dt.name, func(r rune) bool { return !unicode.IsLetter(r) }); len(words) > 0 && !seen[words[len(words)-1]] {
			t.Errorf("invented trainer %q not found in the dump", dt.name)
		}
	}
}
