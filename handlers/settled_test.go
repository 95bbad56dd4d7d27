package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// A settled project is frozen: its data, sessions, marks, milestones,
// indicators and published schedule are read-only, and only an
// administrator takes it back, with a reason. The route test walks the
// route table rather than a list of its own, so that a write route added
// later under a project's addresses is checked too, or fails the test
// until it is listed below with the reason it may write.

// settledPrefixes are the addresses of a project's data.
var settledPrefixes = []string{"/projects/", "/schedule/courses/:id", "/schedule/sessions/:id"}

// settledChanges are the write routes that change a settled project on
// purpose; the route test leaves them out.
var settledChanges = map[string]string{
	// What the freeze leaves to an administrator, with a reason; tested by
	// TestReopeningASettledProjectTakesAnAdministratorAndAReason.
	"POST /projects/:id/reopen": "reopening",
}

// issuesACopy reports whether a route issues a document: it keeps a copy
// of what the project already shows, which a controller may ask for long
// after the settlement. It may succeed; the project's data must still be
// byte-identical after it.
func issuesACopy(path string) bool { return strings.HasSuffix(path, "/issue") }

func underSettled(path string) bool {
	return slices.ContainsFunc(settledPrefixes, func(p string) bool { return strings.HasPrefix(path, p) })
}

// settledFixture is a project with everything the freeze covers: a course
// with a session held and confirmed, one held with marks but not yet
// confirmed (it has no trainer, so an administrator may confirm it), one to
// come; a course with no sessions yet; a milestone, an indicator with a
// reading, a published schedule.
type settledFixture struct {
	ta               *testApp
	today            time.Time
	project          *store.Project
	course, spare    *store.Course // spare has no sessions
	trainer          *store.Trainer
	location         uint64
	people           []uint64
	held, open, next *store.Session
	milestone        *store.Milestone
	indicator        *store.Indicator
	reading          time.Time
	publication      *store.Publication
}

// workingDay is the first day from day on that is no weekend, no public
// holiday and not in the summer's training break, so that a series
// planned from it has dates.
func workingDay(day time.Time) time.Time {
	for {
		_, holiday := store.HolidayOn(day)
		summer := day.Month() >= time.June && day.Month() <= time.August
		if !holiday && !summer && day.Weekday() != time.Saturday && day.Weekday() != time.Sunday {
			return day
		}
		day = day.AddDate(0, 0, 1)
	}
}

// retainedUntil is the end of the tenth year after day, as grant
// agreements word it.
func retainedUntil(day time.Time) time.Time {
	return time.Date(day.Year()+10, 12, 31, 0, 0, 0, 0, time.UTC)
}

const settledFixtureName = "Nowy Model – Lepsza Jakość (rozliczenie"

func newSettledFixture(t *testing.T, ta *testApp, settle bool) *settledFixture {
	t.Helper()
	a := store.Actor{Login: "koordynator"}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	today := ta.st.Today()
	f := &settledFixture{ta: ta, today: today, reading: today.AddDate(0, 0, -3)}
	o, err := ta.st.Org()
	must(err)
	// Each fixture of an application has days of its own: its sessions
	// clash with no other fixture's, and a form needs no override for that.
	n := 0
	for _, p := range o.Projects {
		if strings.HasPrefix(p.Name, settledFixtureName) {
			n++
		}
	}
	f.project = &store.Project{Name: fmt.Sprintf("%s %d)", settledFixtureName, n+1), Kind: store.KindEUProject, Status: store.ProjectRunning,
		Programme: "PO WER 2014–2020, oś II, działanie 2.5", From: today.AddDate(-1, 0, 0), To: today.AddDate(0, 0, 60)}
	must(ta.st.SaveProject(a, f.project, 0))
	f.course = &store.Course{Title: "Praca z rodziną w kryzysie", Kind: store.CourseTraining, ProjectID: f.project.ID, ContractedHours: 24, ContractedPeople: 20}
	must(ta.st.SaveCourse(a, f.course, 0))
	f.spare = &store.Course{Title: "Dokumentowanie pracy socjalnej", Kind: store.CourseWorkshop, ProjectID: f.project.ID}
	must(ta.st.SaveCourse(a, f.spare, 0))
	f.trainer = &store.Trainer{Name: "Teresa Szkoleniowa", Organisation: "Centrum Szkoleń Społecznych"}
	must(ta.st.SaveTrainer(a, f.trainer, 0))
	for i := range o.Locations {
		if l := &o.Locations[i]; !l.Archived && f.location == 0 {
			f.location = l.ID
		}
	}
	for _, p := range o.People {
		if len(f.people) < 2 && len(p.AssignmentsOn(today)) > 0 && p.UserID == 0 {
			f.people = append(f.people, p.ID)
		}
	}
	if f.location == 0 || len(f.people) < 2 {
		t.Fatal("the demo has no location or too few people at work today")
	}
	mk := func(day time.Time, start, end int, trainers []uint64, people []uint64) *store.Session {
		ss := &store.Session{CourseID: f.course.ID, Part: "cz. 1", Topic: "Interwencja kryzysowa", Date: day, Start: start, End: end,
			LocationID: f.location, TrainerIDs: trainers, Status: store.SessionPlanned, Participants: people}
		must(ta.st.SaveSession(a, ss, 0, store.Plan{Override: "test fixture"}))
		return ss
	}
	next := workingDay(today.AddDate(0, 0, 14))
	for range n {
		next = workingDay(next.AddDate(0, 0, 1))
	}
	f.held = mk(today.AddDate(0, 0, -7-2*n), 9*60, 12*60, []uint64{f.trainer.ID}, f.people)
	f.open = mk(today.AddDate(0, 0, -8-2*n), 13*60, 15*60, nil, f.people)
	f.next = mk(next, 9*60, 12*60, []uint64{f.trainer.ID}, f.people[:1])
	for _, ss := range []*store.Session{f.held, f.open} {
		for _, p := range f.people {
			_, err := ta.st.MarkAttendance(a, ss.ID, p, 0, store.Present, 0, "")
			must(err)
		}
	}
	must(ta.st.ConfirmList(a, f.held.ID, f.held.Version))
	f.milestone = &store.Milestone{ProjectID: f.project.ID, Title: "Wniosek o płatność końcową", Planned: store.Period{From: today.AddDate(0, 0, 10)},
		Status: store.MilestonePlanned}
	must(ta.st.SaveMilestone(a, f.milestone, 0))
	f.indicator = &store.Indicator{ProjectID: f.project.ID, Name: "Pracownicy objęci szkoleniami", Unit: store.UnitPersons, Target: 20}
	must(ta.st.SaveIndicator(a, f.indicator, 0))
	must(ta.st.AddMeasurement(a, f.indicator.ID, f.indicator.Version, store.Measurement{Date: f.reading, Value: 2, Comment: "lista obecności"}))
	f.publication, err = ta.st.Publish(a, f.project.ID, today.AddDate(0, 0, -30), today.AddDate(0, 0, 30), time.Time{})
	must(err)
	_, err = ta.st.SetLogo(a, f.project.ID, logoStrip.name, logoStrip.data)
	must(err)
	if settle {
		p, err := ta.st.Project(f.project.ID)
		must(err)
		p.Status, p.SettledOn, p.RetainUntil = store.ProjectSettled, today, retainedUntil(today)
		must(ta.st.SaveProject(a, p, p.Version))
		f.project = p
	}
	return f
}

// snapshot is everything stored about the fixture's project, read through
// the store as any page reads it, and the newest audit entry: a refused
// change writes nothing at all.
func (f *settledFixture) snapshot(t *testing.T) (data []byte, audit uint64) {
	t.Helper()
	st := f.ta.st
	var all struct {
		Project      *store.Project
		Courses      []store.Course
		Sessions     []store.Session
		Marks        map[uint64]map[uint64]store.Mark
		Milestones   []store.Milestone
		Indicators   []store.Indicator
		Publications []store.Publication
		Logo         *store.File
	}
	var err error
	fail := func(e error) {
		t.Helper()
		if e != nil {
			t.Fatal(e)
		}
	}
	all.Project, err = st.Project(f.project.ID)
	fail(err)
	courses, err := st.Courses()
	fail(err)
	all.Marks = map[uint64]map[uint64]store.Mark{}
	for _, c := range courses {
		if c.ProjectID != f.project.ID {
			continue
		}
		all.Courses = append(all.Courses, c)
		sessions, err := st.CourseSessions(c.ID)
		fail(err)
		for _, ss := range sessions {
			all.Marks[ss.ID], err = st.Marks(ss.ID)
			fail(err)
		}
		all.Sessions = append(all.Sessions, sessions...)
	}
	o, err := st.Org()
	fail(err)
	for _, m := range o.MilestonesOf(f.project.ID) {
		all.Milestones = append(all.Milestones, *m)
	}
	for _, ind := range o.IndicatorsOf(f.project.ID) {
		all.Indicators = append(all.Indicators, *ind)
	}
	all.Publications, err = st.Publications(f.project.ID)
	fail(err)
	all.Logo, err = st.LogoFile(f.project.ID)
	fail(err)
	data, err = json.Marshal(all)
	fail(err)
	return data, st.LastAuditID()
}

// target is the record a route's :id names where the fixture has several
// of its kind: a session or a course (none for the other routes).
type target struct {
	name    string
	session *store.Session
	course  *store.Course
}

// targetsFor are the records a route is tried on: each of the fixture's
// sessions for a session's address, each course for a course's.
func (f *settledFixture) targetsFor(path string) []target {
	switch {
	case strings.HasPrefix(path, "/schedule/sessions/:id"):
		return []target{{name: "held", session: f.held}, {name: "open", session: f.open}, {name: "next", session: f.next}}
	case strings.HasPrefix(path, "/schedule/courses/:id"):
		return []target{{name: "course", course: f.course}, {name: "empty course", course: f.spare}}
	}
	return []target{{}}
}

// record names the record a route's :id stands for, with its current
// version.
func (f *settledFixture) record(path string, at target) (id uint64, version int, err error) {
	st := f.ta.st
	switch {
	case strings.HasPrefix(path, "/projects/milestones/:id"):
		m, err := st.Milestone(f.milestone.ID)
		return f.milestone.ID, versionOf(m, err), err
	case strings.HasPrefix(path, "/projects/indicators/:id"):
		ind, err := st.Indicator(f.indicator.ID)
		return f.indicator.ID, versionOf(ind, err), err
	case path == "/projects/:id/logo/delete": // the logo's version, as its confirmation shows
		logo, err := st.LogoFile(f.project.ID)
		if err == nil && logo == nil {
			return f.project.ID, 0, nil
		}
		return f.project.ID, versionOf(logo, err), err
	case strings.HasPrefix(path, "/projects/:id"):
		p, err := st.Project(f.project.ID)
		return f.project.ID, versionOf(p, err), err
	case strings.HasPrefix(path, "/schedule/courses/:id") && at.course != nil:
		c, err := st.Course(at.course.ID)
		return at.course.ID, versionOf(c, err), err
	case strings.HasPrefix(path, "/schedule/sessions/:id") && at.session != nil:
		s, err := st.Session(at.session.ID)
		return at.session.ID, versionOf(s, err), err
	}
	return 0, 0, nil
}

func versionOf[T interface{ Versioned() int }](r T, err error) int {
	if err != nil {
		return 0
	}
	return r.Versioned()
}

// fill puts the fixture's records into a route's path; an error names a
// parameter the fixture cannot fill, and the fixture must learn it.
func (f *settledFixture) fill(path string, at target) (string, error) {
	id, _, err := f.record(path, at)
	if err != nil {
		return "", fmt.Errorf("the fixture's record is gone (a route before this one deleted it?): %w", err)
	}
	parts := strings.Split(path, "/")
	for i, p := range parts {
		switch {
		case !strings.HasPrefix(p, ":"):
		case p == ":id" && id != 0:
			parts[i] = strconv.FormatUint(id, 10)
		case p == ":n":
			parts[i] = strconv.Itoa(f.publication.Number)
		case p == ":day":
			parts[i] = views.ISODate(f.reading)
		default:
			return "", fmt.Errorf("the fixture has nothing to put for %s", p)
		}
	}
	return strings.Join(parts, "/"), nil
}

// body is a form to post, as fields or with a file uploaded as "file".
type body struct {
	values url.Values
	file   *upfile
}

type upfile struct {
	name string
	data []byte
}

// onePagePDF is the smallest file the scan check takes for a PDF.
var onePagePDF = &upfile{"lista.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")}

// logoStrip is a small PNG, as a programme's logo strip is.
var logoStrip = func() *upfile {
	img := image.NewRGBA(image.Rect(0, 0, 120, 20))
	for x := range 120 {
		img.Set(x, x%20, color.RGBA{0, 51, 153, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		panic(err)
	}
	return &upfile{"logotypy.png", b.Bytes()}
}()

// plausible is what a coordinator would send to a route: on an open
// project its first form succeeds (the test below checks it), so that a
// refusal of a settled one comes from the freeze and not from the form.
type plausible struct {
	// on is the session or course the first form is meant for.
	on    func(f *settledFixture) target
	forms func(f *settledFixture, at target) []url.Values
	file  *upfile // uploaded with each form
}

func iso(t time.Time) string { return views.ISODate(t) }

func one(v url.Values) []url.Values { return []url.Values{v} }

var plausibleForms = map[string]plausible{
	"/projects/:id": {forms: func(f *settledFixture, _ target) []url.Values {
		p, _ := f.ta.st.Project(f.project.ID)
		edit := url.Values{"name": {p.Name + " – korekta"}, "kind": {string(p.Kind)}, "status": {string(p.Status)}, "programme": {p.Programme},
			"from": {iso(p.From)}, "to": {iso(p.To)}, "settled_on": {iso(p.SettledOn)}, "retain_until": {iso(p.RetainUntil)}}
		// A form that would take the project out of "settled" on its own.
		back := url.Values{"name": {p.Name}, "kind": {string(p.Kind)}, "status": {string(store.ProjectFinished)}, "from": {iso(p.From)}, "to": {iso(p.To)}}
		return []url.Values{edit, back}
	}},
	"/projects/:id/published": {forms: func(f *settledFixture, _ target) []url.Values {
		return one(url.Values{"from": {iso(f.today)}, "to": {iso(f.today.AddDate(0, 0, 30))}})
	}},
	"/projects/:id/milestones": {forms: func(f *settledFixture, _ target) []url.Values {
		return one(url.Values{"title": {"Kontrola na miejscu"}, "status": {"planned"}, "planned_from": {iso(f.today.AddDate(0, 0, 20))}})
	}},
	"/projects/milestones/:id": {forms: func(f *settledFixture, _ target) []url.Values {
		return one(url.Values{"title": {"Wniosek o płatność końcową (korekta)"}, "status": {"in_progress"}, "deliverables": {"Wniosek\nZałączniki"}})
	}},
	"/projects/milestones/:id/replan": {forms: func(f *settledFixture, _ target) []url.Values {
		return one(url.Values{"planned_from": {iso(f.today.AddDate(0, 0, 25))}, "reason": {"Instytucja pośrednicząca przesunęła termin."}})
	}},
	"/projects/milestones/:id/delete": {forms: func(*settledFixture, target) []url.Values { return one(url.Values{}) }},
	"/projects/:id/indicators": {forms: func(*settledFixture, target) []url.Values {
		return one(url.Values{"name": {"Osoby objęte superwizją"}, "unit": {"persons"}, "baseline": {"0"}, "target": {"30"}})
	}},
	"/projects/indicators/:id": {forms: func(*settledFixture, target) []url.Values {
		return one(url.Values{"name": {"Pracownicy objęci szkoleniami (korekta)"}, "unit": {"persons"}, "baseline": {"0"}, "target": {"25"}})
	}},
	"/projects/indicators/:id/readings": {forms: func(f *settledFixture, _ target) []url.Values {
		return one(url.Values{"date": {iso(f.today)}, "value": {"4"}, "comment": {"lista obecności"}})
	}},
	"/projects/indicators/:id/readings/:day/delete": {forms: func(*settledFixture, target) []url.Values { return one(url.Values{}) }},
	"/projects/indicators/:id/delete":               {forms: func(*settledFixture, target) []url.Values { return one(url.Values{}) }},
	"/schedule/courses/:id": {forms: func(f *settledFixture, at target) []url.Values {
		c, _ := f.ta.st.Course(at.course.ID)
		keep := url.Values{"title": {c.Title + " – korekta"}, "kind": {string(c.Kind)}, "project": {strconv.FormatUint(c.ProjectID, 10)},
			"unit": {string(c.Unit)}, "contracted_hours": {"30"}, "contracted_people": {"20"}}
		// Taking the course out of the project would take its sessions too.
		out := url.Values{"title": {c.Title}, "kind": {string(c.Kind)}, "project": {""}, "unit": {string(c.Unit)}}
		return []url.Values{keep, out}
	}},
	"/schedule/courses/:id/delete": {on: func(f *settledFixture) target { return target{course: f.spare} },
		forms: func(*settledFixture, target) []url.Values { return one(url.Values{}) }},
	"/schedule/courses/:id/sessions": {forms: func(f *settledFixture, _ target) []url.Values {
		return one(url.Values{"part": {"cz. 2"}, "topic": {"Interwencja kryzysowa"}, "date": {iso(workingDay(f.today.AddDate(0, 0, 28)))},
			"start": {"16:30"}, "end": {"18:00"}, "location": {strconv.FormatUint(f.location, 10)}, "trainers": {strconv.FormatUint(f.trainer.ID, 10)},
			"status": {"planned"}, "override": {"Sala i prowadzący potwierdzeni telefonicznie."}})
	}},
	"/schedule/courses/:id/series": {forms: func(f *settledFixture, _ target) []url.Values {
		first := workingDay(f.today.AddDate(0, 0, 35))
		return one(url.Values{"weekdays": {strconv.Itoa((int(first.Weekday()) + 6) % 7)}, "first": {iso(first)}, "every": {"1"}, "count": {"2"},
			"start": {"14:00"}, "end": {"16:00"}, "part": {"cz. {n}"}, "number": {"3"}, "location": {strconv.FormatUint(f.location, 10)},
			"trainers": {strconv.FormatUint(f.trainer.ID, 10)}, "confirm": {"1"}, "override": {"Sala i prowadzący potwierdzeni telefonicznie."}})
	}},
	"/schedule/sessions/:id": {on: func(f *settledFixture) target { return target{session: f.next} }, forms: func(f *settledFixture, at target) []url.Values {
		s, _ := f.ta.st.Session(at.session.ID)
		v := url.Values{"part": {s.Part}, "topic": {"Interwencja kryzysowa – studium przypadku"}, "date": {iso(s.Date)}, "start": {store.Clock(s.Start)},
			"end": {store.Clock(s.End)}, "location": {strconv.FormatUint(s.LocationID, 10)}, "status": {string(s.Status)},
			"override": {"Sala i prowadzący potwierdzeni telefonicznie."}}
		for _, tr := range s.TrainerIDs {
			v.Add("trainers", strconv.FormatUint(tr, 10))
		}
		moved := url.Values{}
		for k, vs := range v {
			moved[k] = slices.Clone(vs)
		}
		moved.Set("date", iso(s.Date.AddDate(0, 0, 1)))
		moved.Set("reason", "Choroba prowadzącego.")
		return []url.Values{v, moved}
	}},
	"/schedule/sessions/:id/delete": {on: func(f *settledFixture) target { return target{session: f.next} },
		forms: func(*settledFixture, target) []url.Values { return one(url.Values{}) }},
	"/schedule/sessions/:id/enrol": {on: func(f *settledFixture) target { return target{session: f.next} }, forms: func(f *settledFixture, _ target) []url.Values {
		return one(url.Values{"people": {strconv.FormatUint(f.people[1], 10)}, "override": {"Zgoda kierownika na udział."}})
	}},
	"/schedule/sessions/:id/unenrol": {on: func(f *settledFixture) target { return target{session: f.next} }, forms: func(f *settledFixture, _ target) []url.Values {
		return one(url.Values{"person": {strconv.FormatUint(f.people[0], 10)}})
	}},
	"/schedule/sessions/:id/attendance": {on: func(f *settledFixture) target { return target{session: f.open} }, forms: func(f *settledFixture, at target) []url.Values {
		marks, _ := f.ta.st.Marks(at.session.ID)
		id := strconv.FormatUint(f.people[0], 10)
		v := url.Values{"p_" + id: {"absent"}, "v_" + id: {strconv.Itoa(marks[f.people[0]].Version)}, "correction": {"Pomyłka przy wpisywaniu listy."}}
		return one(v)
	}},
	"/schedule/sessions/:id/confirm": {on: func(f *settledFixture) target { return target{session: f.open} },
		forms: func(*settledFixture, target) []url.Values { return one(url.Values{}) }},
	"/schedule/sessions/:id/cancel": {on: func(f *settledFixture) target { return target{session: f.next} }, forms: func(*settledFixture, target) []url.Values {
		return one(url.Values{"reason": {"Choroba prowadzącego."}})
	}},
	"/schedule/sessions/:id/scans": {on: func(f *settledFixture) target { return target{session: f.held} }, file: onePagePDF,
		forms: func(*settledFixture, target) []url.Values { return one(url.Values{}) }},
	"/projects/:id/logo": {file: logoStrip, forms: func(*settledFixture, target) []url.Values { return one(url.Values{}) }},
	"/projects/:id/logo/delete": {forms: func(f *settledFixture, _ target) []url.Values {
		logo, _ := f.ta.st.LogoFile(f.project.ID)
		if logo == nil {
			return one(url.Values{})
		}
		return one(url.Values{"file": {strconv.FormatUint(logo.ID, 10)}})
	}},
}

// seedsFor are the fuzz target's bodies for a route's path.
func seedsFor(pattern string) []url.Values {
	var out []url.Values
	want := strings.Split(pattern, "/")
	for _, s := range formSeeds {
		got := strings.Split(s.path, "/")
		if len(got) != len(want) {
			continue
		}
		same := true
		for i := range want {
			same = same && (strings.HasPrefix(want[i], ":") || want[i] == got[i])
		}
		if v, err := url.ParseQuery(s.body); same && err == nil {
			out = append(out, v)
		}
	}
	return out
}

// bodies are the forms a route is tried with on a target: the plausible
// ones (an upload first, where the route takes a file), the fuzz target's,
// and an empty one; each carries the current version of the record its
// address names, so that no refusal is a stale form's.
func (f *settledFixture) bodies(t *testing.T, path string, at target) []body {
	t.Helper()
	var out []body
	p, ok := plausibleForms[path]
	if ok {
		for _, v := range p.forms(f, at) {
			if p.file != nil {
				out = append(out, body{values: v, file: p.file})
			}
			out = append(out, body{values: v})
		}
	}
	for _, v := range append(seedsFor(path), url.Values{}) {
		out = append(out, body{values: v})
	}
	_, version, err := f.record(path, at)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range out {
		b.values.Set("version", strconv.Itoa(version))
	}
	return out
}

func (f *settledFixture) send(t *testing.T, c *client, path string, b body) response {
	t.Helper()
	if b.file != nil {
		return upload(t, c, path, "file", b.file.name, b.file.data, b.values)
	}
	return c.post(path, b.values)
}

// succeeded reports an answer that says the change was made.
func succeeded(r response) bool {
	return r.status >= 300 && r.status < 400 || r.status == fiber.StatusNoContent ||
		r.header.Get("HX-Redirect") != "" || r.header.Get("HX-Location") != ""
}

// writeRoutes are the POST routes of a project's data, as the table has them.
func writeRoutes(t *testing.T) []Route {
	t.Helper()
	var out []Route
	for _, r := range Routes() {
		if r.Method == fiber.MethodPost && underSettled(r.Path) {
			out = append(out, r)
		}
	}
	// The table has more than twenty: far fewer means the prefixes no
	// longer match its addresses.
	if len(out) < 20 {
		t.Fatalf("only %d write routes under %v", len(out), settledPrefixes)
	}
	return out
}

func TestSettledProjectRefusesEveryWriteOfItsData(t *testing.T) {
	ta := newTestApp(t)
	notOnAHoliday(ta)
	routes := writeRoutes(t)
	admin := ta.loggedIn(t, "admin")
	inTable := map[string]bool{}
	for _, r := range routes {
		inTable[r.Path] = true
	}
	for key := range settledChanges {
		if method, path, _ := strings.Cut(key, " "); method != fiber.MethodPost || !inTable[path] {
			t.Errorf("%s is listed as changing a settled project, but the table has no such write route", key)
		}
	}
	for path := range plausibleForms {
		if !inTable[path] {
			t.Errorf("a plausible form for %s, which is no write route of the table", path)
		}
	}

	// The forms pass on a project that is not settled: each on a fresh one,
	// since a form may delete what another needs.
	t.Run("open project takes the forms", func(t *testing.T) {
		for _, r := range routes {
			p, ok := plausibleForms[r.Path]
			if !ok || settledChanges[r.Method+" "+r.Path] != "" {
				continue
			}
			f := newSettledFixture(t, ta, false)
			at := f.targetsFor(r.Path)[0]
			if p.on != nil {
				at = p.on(f)
			}
			path, err := f.fill(r.Path, at)
			if err != nil {
				t.Fatalf("%s: %v", r.Path, err)
			}
			b := f.bodies(t, r.Path, at)[0]
			if resp := f.send(t, admin, path, b); !succeeded(resp) {
				t.Errorf("POST %s %v on an open project: %d — the form proves nothing on a settled one\n%s", path, b.values, resp.status, resp.body)
			}
		}
	})

	f := newSettledFixture(t, ta, true)
	before, audit := f.snapshot(t)
	for _, r := range routes {
		key := r.Method + " " + r.Path
		if settledChanges[key] != "" {
			continue
		}
		t.Run(key, func(t *testing.T) {
			for _, at := range f.targetsFor(r.Path) {
				path, err := f.fill(r.Path, at)
				if err != nil {
					t.Fatalf("%v: the route is not exercised; extend the fixture, or list the route in settledChanges with the reason it may change a settled project", err)
				}
				for _, b := range f.bodies(t, r.Path, at) {
					resp := f.send(t, admin, path, b)
					switch {
					case resp.status >= 500:
						t.Errorf("POST %s %v: %d", path, b.values, resp.status)
					case succeeded(resp) && !issuesACopy(r.Path):
						t.Errorf("POST %s %v on a settled project succeeded: %d %s", path, b.values, resp.status, resp.header.Get("Location"))
					}
					// Each change is reported once, and the routes after it
					// are judged on their own.
					after, last := f.snapshot(t)
					if string(after) != string(before) {
						t.Errorf("POST %s %v changed the settled project's data:\nbefore %s\nafter  %s", path, b.values, before, after)
					}
					if last != audit && !issuesACopy(r.Path) {
						t.Errorf("POST %s %v wrote to the audit log though it was refused", path, b.values)
					}
					before, audit = after, last
				}
			}
		})
	}
}

func TestReopeningASettledProjectTakesAnAdministratorAndAReason(t *testing.T) {
	ta := newTestApp(t)
	notOnAHoliday(ta)
	f := newSettledFixture(t, ta, true)
	page := "/projects/" + strconv.FormatUint(f.project.ID, 10)
	kept := views.Date(retainedUntil(f.today))

	coordinator := ta.loggedIn(t, "koordynator")
	r := coordinator.get(page)
	mustContain(t, r, "Rozliczony dnia "+views.Date(f.today)+".", "tylko do odczytu", "Ponownie otworzyć go może administrator",
		"Dokumenty przechowywane do</dt><dd>"+kept)
	mustNotContain(t, r, page+"/reopen", page+"/edit")
	if r = coordinator.post(page+"/reopen", url.Values{"version": {strconv.Itoa(f.project.Version)}, "reason": {"Korekta rozliczenia"}}); r.status != fiber.StatusForbidden {
		t.Fatalf("a coordinator reopened: %d", r.status)
	}

	admin := ta.loggedIn(t, "admin")
	mustContain(t, admin.get(page), page+"/reopen")
	admin.get(page + "/reopen")
	if r = admin.post(page+"/reopen", url.Values{"version": {strconv.Itoa(f.project.Version)}, "reason": {"  "}}); r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("reopened without a reason: %d", r.status)
	}
	if p, _ := ta.st.Project(f.project.ID); !p.Frozen() {
		t.Fatalf("refused reopenings changed the project: %s", p.Status)
	}
	reason := "Instytucja pośrednicząca wezwała do korekty wniosku o płatność końcową."
	if r = admin.post(page+"/reopen", url.Values{"version": {strconv.Itoa(f.project.Version)}, "reason": {reason}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("reopen: %d\n%s", r.status, r.body)
	}
	p, _ := ta.st.Project(f.project.ID)
	if p.Status != store.ProjectFinished || !p.SettledOn.IsZero() || !p.RetainUntil.Equal(retainedUntil(f.today)) ||
		len(p.Reopenings) != 1 || p.Reopenings[0].Login != "admin" || p.Reopenings[0].Reason != reason {
		t.Fatalf("reopened as %s, settled on %s, kept until %s, %+v", p.Status, p.SettledOn, p.RetainUntil, p.Reopenings)
	}
	log, _ := ta.st.Audit(store.AuditFilter{Entity: "project", Action: store.ActionReopen})
	if len(log.Entries) != 1 {
		t.Fatalf("audit entries of the reopening: %+v", log.Entries)
	}
	e := log.Entries[0]
	fields := map[string]bool{}
	for _, c := range e.Changes {
		field, _, _ := strings.Cut(c.Field, ".") // reopenings.0.reason is the reopening's
		fields[field] = true
	}
	if e.EntityID != p.ID || e.Actor != "admin" || !fields["status"] || !fields["settled_on"] || !fields["reopenings"] {
		t.Fatalf("reopening audited as %+v", e)
	}
	mustContain(t, admin.get("/admin/audit?entity=project&action=reopen"), "dzień rozliczenia")

	// The project is open to its coordinator again, and still shows how
	// long its documents are kept.
	r = coordinator.get(page)
	mustContain(t, r, reason, page+"/edit", "Dokumenty przechowywane do</dt><dd>"+kept)
	mustNotContain(t, r, "Rozliczony dnia")
	coordinator.get(page + "/milestones/new")
	if r = coordinator.post(page+"/milestones", url.Values{"title": {"Korekta wniosku"}, "status": {"planned"}, "planned_from": {iso(f.today.AddDate(0, 0, 5))}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("a milestone of the reopened project: %d\n%s", r.status, r.body)
	}
}

// Settling through the form takes both dates, each named in the summary
// by its label, and each date field tells what it is for.
func TestSettlingThroughTheFormNeedsBothDates(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "koordynator")
	r := c.get("/projects/new")
	mustContain(t, r, `aria-describedby="settled_on-help"`, `id="settled_on-help"`, `aria-describedby="retain_until-help"`, `id="retain_until-help"`)
	form := projectForm()
	form.Set("status", "settled")
	r = c.post("/projects", form)
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("settled without dates: %d", r.status)
	}
	fields, lines := summary(t, r.body)
	if !slices.Equal(fields, []string{"settled_on", "retain_until"}) || lines[0] != "Rozliczony dnia: podaj datę." ||
		lines[1] != "Dokumenty przechowywane do: podaj datę." {
		t.Fatalf("summary %v %q", fields, lines)
	}
	mustContain(t, r, `aria-describedby="settled_on-help settled_on-err"`)

	form.Set("settled_on", "30.09.2019")
	form.Set("retain_until", "31.12.2018")
	r = c.post("/projects", form)
	mustContain(t, r, "Dokumenty przechowuje się co najmniej do dnia rozliczenia.", `value="31.12.2018"`)

	form.Set("retain_until", "31.12.2029")
	page := newProject(t, c, form)
	mustContain(t, c.get(page), "Rozliczony dnia 30.09.2019.", "Dokumenty przechowywane do</dt><dd>31.12.2029")

	// A retention date may be known before the settlement; a settlement
	// day may not come before the status says so.
	form = projectForm()
	form.Set("retain_until", "31.12.2029")
	running := newProject(t, c, form)
	r = c.get(running)
	mustContain(t, r, "Dokumenty przechowywane do</dt><dd>31.12.2029")
	mustNotContain(t, r, "Rozliczony dnia", "tylko do odczytu")
	form.Set("settled_on", "30.09.2019")
	if r = c.post("/projects", form); r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("a settlement day of a running project: %d", r.status)
	}
	mustContain(t, r, "tylko dla projektu rozliczonego")
}
