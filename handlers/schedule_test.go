package handlers

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// scheduleFixture is a supervision course with a session today run by the
// demo trainer's account, three demo people enrolled, and a session of
// another trainer.
type scheduleFixture struct {
	course         *store.Course
	own, other     *store.Session
	people         []uint64
	trainer, rival *store.Trainer
}

func newScheduleFixture(t *testing.T, ta *testApp) scheduleFixture {
	t.Helper()
	a := store.System
	var f scheduleFixture
	trener, err := ta.st.UserByLogin("trener")
	if err != nil {
		t.Fatal(err)
	}
	f.trainer = accountTrainer(t, ta, trener.ID, "Barbara Superwizorska", "Pracownia Superwizji")
	f.rival = &store.Trainer{Name: "Cezary Inny", Organisation: "Inna Firma"}
	if err := ta.st.SaveTrainer(a, f.rival, 0); err != nil {
		t.Fatal(err)
	}
	f.course = &store.Course{Title: "Superwizja testowa", Kind: store.CourseSupervision, ContractedHours: 156, ContractedPeople: 30}
	if err := ta.st.SaveCourse(a, f.course, 0); err != nil {
		t.Fatal(err)
	}
	o, _ := ta.st.Org()
	today := ta.st.Today()
	for _, p := range o.People {
		if len(f.people) < 3 && len(p.AssignmentsOn(today)) > 0 && p.UserID == 0 {
			f.people = append(f.people, p.ID)
		}
	}
	f.own = &store.Session{CourseID: f.course.ID, Date: today, Start: 7*60 + 30, End: 10*60 + 30, Status: store.SessionPlanned,
		TrainerIDs: []uint64{f.trainer.ID}, Capacity: 4, Participants: f.people, Group: "I", Notes: "Poufna treść superwizji"}
	f.other = &store.Session{CourseID: f.course.ID, Date: today, Start: 12 * 60, End: 14*60 + 30, Status: store.SessionPlanned,
		TrainerIDs: []uint64{f.rival.ID}, Participants: f.people[:1], Group: "3"}
	for _, ss := range []*store.Session{f.own, f.other} {
		// Today may be a public holiday when the tests run: a conflict
		// the fixture accepts (it records nothing on other days).
		if err := ta.st.SaveSession(a, ss, 0, store.Plan{Override: "test fixture"}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func sessionPath(ss *store.Session) string {
	return "/schedule/sessions/" + strconv.FormatUint(ss.ID, 10)
}

func TestTrainerTakesAttendanceOfOwnSessionOnly(t *testing.T) {
	ta := newTestApp(t)
	f := newScheduleFixture(t, ta)
	tr := ta.loggedIn(t, "trener")
	page := tr.get(sessionPath(f.own))
	mustContain(t, page, "Barbara Superwizorska", `class="attendance-form"`, "Poufna treść superwizji", "4 godz. lekcyjne")
	id := strconv.FormatUint(f.people[0], 10)
	// One mark, as htmx sends it: the row comes back with its new version.
	r := tr.do("POST", sessionPath(f.own)+"/attendance", url.Values{"_csrf": {tr.csrf}, "person": {id}, "p_" + id: {"present"}, "v_" + id: {"0"}},
		map[string]string{"HX-Request": "true"})
	if r.status != fiber.StatusOK || !strings.Contains(r.body, `name="v_`+id+`" value="1"`) || !strings.Contains(r.body, `value="present" data-key="o" checked`) {
		t.Fatalf("one mark: %d\n%s", r.status, r.body)
	}
	// The same mark from a stale row: a conflict, the current state shown.
	r = tr.do("POST", sessionPath(f.own)+"/attendance", url.Values{"_csrf": {tr.csrf}, "person": {id}, "p_" + id: {"absent"}, "v_" + id: {"0"}},
		map[string]string{"HX-Request": "true"})
	if r.status != fiber.StatusConflict || !strings.Contains(r.body, "Ktoś inny właśnie zmienił") {
		t.Fatalf("stale mark: %d\n%s", r.status, r.body)
	}
	// The whole form without JavaScript: everyone else present.
	if r = tr.post(sessionPath(f.own)+"/attendance", url.Values{"all": {"present"}, "v_" + id: {"1"}, "p_" + id: {"present"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("all present: %d\n%s", r.status, r.body)
	}
	marks, _ := ta.st.Marks(f.own.ID)
	if len(marks) != 3 {
		t.Fatalf("marks: %v", marks)
	}
	mustContain(t, tr.get(sessionPath(f.own)), "obecnych 3/3", "odbyte")
	// Another trainer's session: readable (no names: supervision), not markable.
	other := tr.get(sessionPath(f.other))
	mustNotContain(t, other, `class="attendance-form"`)
	if r = tr.post(sessionPath(f.other)+"/attendance", url.Values{"all": {"present"}}); r.status != fiber.StatusForbidden {
		t.Fatalf("marked another trainer's session: %d", r.status)
	}
	if r = tr.get(sessionPath(f.other) + "/print"); r.status != fiber.StatusForbidden {
		t.Fatalf("printed another trainer's list: %d", r.status)
	}
	// The course counts the hours in lesson hours: 3 people × 4.
	c := ta.loggedIn(t, "koordynator")
	course := c.get("/schedule/courses/" + strconv.FormatUint(f.course.ID, 10))
	mustContain(t, course, "godz. lekcyjne (45 min)", ">4<", ">12<")
}

func TestSupervisionIsConfidential(t *testing.T) {
	ta := newTestApp(t)
	f := newScheduleFixture(t, ta)
	o, _ := ta.st.Org()
	name := o.PersonByID[f.people[1]].LastName
	for _, tc := range []struct {
		login        string
		names, notes bool
	}{
		{"trener", true, true},       // the supervisor
		{"koordynator", true, false}, // coordinators see who, not what
		{"admin", true, false},
		{"monitoring", false, false},
		{"pracownik", false, false},
	} {
		r := ta.loggedIn(t, tc.login).get(sessionPath(f.own))
		if r.status != fiber.StatusOK {
			t.Fatalf("%s: %d", tc.login, r.status)
		}
		if got := strings.Contains(r.body, name); got != tc.names {
			t.Errorf("%s sees participants' names: %v, want %v", tc.login, got, tc.names)
		}
		if got := strings.Contains(r.body, "Poufna treść superwizji"); got != tc.notes {
			t.Errorf("%s reads the notes: %v, want %v", tc.login, got, tc.notes)
		}
	}
}

func TestPlanningASession(t *testing.T) {
	ta := newTestApp(t)
	f := newScheduleFixture(t, ta)
	c := ta.loggedIn(t, "koordynator")
	path := "/schedule/courses/" + strconv.FormatUint(f.course.ID, 10) + "/sessions"
	c.get(path + "/new")
	day := ta.st.Today().AddDate(0, 0, 7).Format("2006-01-02")
	// 12:00–14:30 holds 3 lesson hours; 2 needs a reason.
	r := c.post(path, url.Values{"date": {day}, "start": {"12:00"}, "end": {"14:30"}, "status": {"planned"}, "units": {"2"}, "group": {"3"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("units without a reason: %d", r.status)
	}
	mustContain(t, r, "Podaj powód innej liczby godzin", "W tym czasie mieści się 3")
	r = c.post(path, url.Values{"date": {day}, "start": {"12:00"}, "end": {"11:00"}, "status": {"planned"}})
	mustContain(t, r, "Koniec musi być po początku")
	r = c.post(path, url.Values{"date": {day}, "start": {"12:00"}, "end": {"14:30"}, "status": {"planned"}, "group": {"3"}, "capacity": {"1"},
		"trainers": {strconv.FormatUint(f.trainer.ID, 10)}, "override": {"test: the demo trainer may be busy that day"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("new session: %d\n%s", r.status, r.body)
	}
	loc, _, _ := strings.Cut(r.header.Get("Location"), "?")
	page := c.get(loc)
	mustContain(t, page, "3 godz. lekcyjne")
	// Capacity: one place, two people.
	r = c.post(loc+"/enrol", url.Values{"version": {"1"}, "people": {strconv.FormatUint(f.people[0], 10), strconv.FormatUint(f.people[1], 10)}})
	if r.status != fiber.StatusConflict {
		t.Fatalf("over capacity: %d", r.status)
	}
	mustContain(t, r, "Brak miejsc: zajęcia mają 1 miejsce")
	if r = c.post(loc+"/enrol", url.Values{"version": {"1"}, "people": {strconv.FormatUint(f.people[0], 10)}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("enrol: %d\n%s", r.status, r.body)
	}
	// A future session takes no attendance yet.
	id := strconv.FormatUint(f.people[0], 10)
	if r = c.post(loc+"/attendance", url.Values{"p_" + id: {"present"}, "v_" + id: {"0"}}); r.status != fiber.StatusConflict {
		t.Fatalf("attendance of a future session: %d", r.status)
	}
	// The schedule lists it in its week and month; the staff member sees it as theirs.
	week := c.get("/schedule?from=" + day + "&to=" + day)
	mustContain(t, week, loc, "Superwizja testowa")
	mustContain(t, c.get("/schedule?month="+day[:7]), loc)
	o, _ := ta.st.Org()
	if p := o.PersonByID[f.people[0]]; p.UserID != 0 {
		t.Skip("the fixture's person has an account")
	}
	// Nonsense filters are ignored, a nonsense month is not found.
	if r = c.get("/schedule?from=x&to=y&kind=z&course=-1&group=" + strings.Repeat("g", 500)); r.status != fiber.StatusOK {
		t.Fatalf("odd filters: %d", r.status)
	}
	if r = c.get("/schedule?month=2018-13"); r.status != fiber.StatusNotFound {
		t.Fatalf("month 13: %d", r.status)
	}
}

// accountTrainer is the trainer linked to an account (the demo links one to
// "trener"), renamed for the test, or a new one: an account has one trainer.
func accountTrainer(t *testing.T, ta *testApp, user uint64, name, org string) *store.Trainer {
	t.Helper()
	tr, err := ta.st.TrainerOfUser(user)
	if err != nil {
		t.Fatal(err)
	}
	version := 0
	if tr == nil {
		tr = &store.Trainer{UserID: user}
	} else {
		version = tr.Version
	}
	tr.Name, tr.Organisation = name, org
	if err := ta.st.SaveTrainer(store.System, tr, version); err != nil {
		t.Fatal(err)
	}
	return tr
}
