package handlers

import (
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"intranet/store"
)

// printFixture is a supervision course of an EU project, as the seed's
// 2018 notices describe it: a session of group III run by the external
// supervisor linked to the demo account "trener", one run by another
// supervisor, a cancelled one, and a large one for a list of several pages.
type printFixture struct {
	project              *store.Project
	course               *store.Course
	loc                  *store.Location
	own, other, off, big *store.Session
	people               []*store.Staff // of own and other, in enrolment order
	crowd                []*store.Staff // of big
	trainer, stranger    *store.Trainer
}

// printDay is a Wednesday of the seed's schedule.
var printDay = time.Date(2018, 10, 24, 0, 0, 0, 0, time.UTC)

func newPrintFixture(t *testing.T, ta *testApp) *printFixture {
	t.Helper()
	a := store.Actor{Login: "koordynator"}
	f := &printFixture{}
	f.project = &store.Project{Name: "Nowy Model – Lepsza Jakość (lista)", Kind: store.KindEUProject, Status: store.ProjectRunning,
		Programme: "Program Operacyjny Wiedza Edukacja Rozwój 2014–2020, Oś priorytetowa II, Działanie 2.5",
		From:      time.Date(2017, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2019, 2, 28, 0, 0, 0, 0, time.UTC)}
	if err := ta.st.SaveProject(a, f.project, 0); err != nil {
		t.Fatal(err)
	}
	f.course = &store.Course{Title: "Superwizja pracy socjalnej", Kind: store.CourseSupervision, ProjectID: f.project.ID, ContractedHours: 156, ContractedPeople: 30}
	if err := ta.st.SaveCourse(a, f.course, 0); err != nil {
		t.Fatal(err)
	}
	u, err := ta.st.UserByLogin("trener")
	if err != nil {
		t.Fatal(err)
	}
	f.trainer = accountTrainer(t, ta, u.ID, "Teodor Superwizorski", "Pracownia Superwizji „Most”")
	f.stranger = &store.Trainer{Name: "Zuzanna Obca", Organisation: "Instytut Pracy Socjalnej"}
	if err := ta.st.SaveTrainer(a, f.stranger, 0); err != nil {
		t.Fatal(err)
	}
	d, err := ta.st.Org()
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.Locations {
		if l := &d.Locations[i]; !l.Archived && strings.HasPrefix(l.Street, "ul.") {
			f.loc = l
			break
		}
	}
	if f.loc == nil {
		t.Fatal("the demo has no building with a street")
	}
	for i := range d.People {
		if p := &d.People[i]; len(p.AssignmentsOn(printDay)) > 0 {
			f.crowd = append(f.crowd, p)
		}
	}
	if len(f.crowd) < 40 {
		t.Fatalf("the demo has %d people at work on %s, want 40", len(f.crowd), printDay.Format("2006-01-02"))
	}
	// Three people in an order that is not the alphabet's: the list sorts.
	f.people = []*store.Staff{f.crowd[17], f.crowd[3], f.crowd[29]}
	f.crowd = f.crowd[:40]
	ids := func(list []*store.Staff) []uint64 {
		var out []uint64
		for _, p := range list {
			out = append(out, p.ID)
		}
		return out
	}
	mk := func(day time.Time, from, to int, group string, trainer *store.Trainer, people []*store.Staff) *store.Session {
		ss := &store.Session{CourseID: f.course.ID, Part: "cz. 2", Topic: "Trudne rozmowy z klientem", Date: day, Start: from, End: to,
			LocationID: f.loc.ID, Room: "12", TrainerIDs: []uint64{trainer.ID}, Group: group, Status: store.SessionPlanned, Participants: ids(people)}
		if err := ta.st.SaveSession(a, ss, 0, store.Plan{Override: "test fixture"}); err != nil {
			t.Fatal(err)
		}
		return ss
	}
	f.own = mk(printDay, 12*60, 14*60+30, "III grupa", f.trainer, f.people)               // 3 lesson hours
	f.other = mk(printDay.AddDate(0, 0, 14), 7*60+30, 10*60+30, "", f.stranger, f.people) // 4 lesson hours
	f.off = mk(printDay.AddDate(0, 0, 21), 8*60, 11*60, "I grupa", f.trainer, f.people)
	f.big = mk(printDay.AddDate(0, 0, 28), 12*60, 14*60+30, "II grupa", f.trainer, f.crowd)
	f.off.Status = store.SessionCancelled
	if err := ta.st.SaveSession(a, f.off, f.off.Version, store.Plan{Reason: "Choroba prowadzącego"}); err != nil {
		t.Fatal(err)
	}
	// Held: the first one present, the second late for two of the three
	// units, the third absent; at the other session all three present.
	marks := []struct {
		ss       *store.Session
		p        *store.Staff
		presence store.Presence
		units    int
	}{
		{f.own, f.people[0], store.Present, 0}, {f.own, f.people[1], store.Late, 2}, {f.own, f.people[2], store.Absent, 0},
		{f.other, f.people[0], store.Present, 0}, {f.other, f.people[1], store.Present, 0}, {f.other, f.people[2], store.Present, 0},
	}
	for _, m := range marks {
		if _, err := ta.st.MarkAttendance(a, m.ss.ID, m.p.ID, 0, m.presence, m.units, ""); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func sessionPrintPath(ss *store.Session) string {
	return "/schedule/sessions/" + strconv.FormatUint(ss.ID, 10) + "/print"
}

func coursePrintPath(c *store.Course) string {
	return "/schedule/courses/" + strconv.FormatUint(c.ID, 10) + "/print"
}

// needPrintRoutes makes sure the route table serves the documents.
func needPrintRoutes(t *testing.T, ta *testApp) {
	t.Helper()
	r := ta.loggedIn(t, "admin").get("/schedule/courses/999999/print")
	if r.status != 404 {
		t.Fatalf("the route of the course summary answers %d, want 404 for an unknown course", r.status)
	}
}

// Who may open an attendance list: coordinators and administrators, and a
// trainer for the sessions they run — the link, not the role, decides.
func TestAttendanceListAccess(t *testing.T) {
	ta := newTestApp(t)
	f := newPrintFixture(t, ta)
	needPrintRoutes(t, ta)
	trainer := ta.loggedIn(t, "trener")
	if r := trainer.get(sessionPrintPath(f.own)); r.status != 200 {
		t.Errorf("the trainer's own list: %d", r.status)
	}
	if r := trainer.get(sessionPrintPath(f.other)); r.status != 403 {
		t.Errorf("a list of another trainer's session: %d, want 403", r.status)
	}
	if r := trainer.get(coursePrintPath(f.course)); r.status != 403 {
		t.Errorf("the course summary for a trainer: %d, want 403", r.status)
	}
	staff := ta.loggedIn(t, "pracownik")
	for _, path := range []string{sessionPrintPath(f.own), sessionPrintPath(f.other), coursePrintPath(f.course)} {
		if r := staff.get(path); r.status != 403 {
			t.Errorf("pracownik %s: %d, want 403", path, r.status)
		}
	}
	if r := ta.loggedIn(t, "monitoring").get(sessionPrintPath(f.own)); r.status != 403 {
		t.Errorf("monitoring: %d, want 403", r.status)
	}
	for _, login := range []string{"koordynator", "admin"} {
		c := ta.loggedIn(t, login)
		for _, path := range []string{sessionPrintPath(f.own), sessionPrintPath(f.other), coursePrintPath(f.course)} {
			if r := c.get(path); r.status != 200 {
				t.Errorf("%s %s: %d", login, path, r.status)
			}
		}
	}
	if r := ta.loggedIn(t, "admin").get("/schedule/sessions/999999/print"); r.status != 404 {
		t.Errorf("an unknown session: %d", r.status)
	}
}

// The list is read from the data on every request: a person enrolled after
// it was first printed is on the next print, in Polish alphabetical order;
// a cancelled session says so in its heading; no cache keeps the names.
func TestAttendanceListFollowsTheSession(t *testing.T) {
	ta := newTestApp(t)
	f := newPrintFixture(t, ta)
	needPrintRoutes(t, ta)
	c := ta.loggedIn(t, "koordynator")
	r := c.get(sessionPrintPath(f.own))
	mustContain(t, r, "Lista obecności", "Podpis", "Komórka", "III grupa", "sala 12", "24.10.2018 (środa)", "12:00–14:30",
		"3 godz. lekcyjne (45 min)", "Europejskiego Funduszu Społecznego", f.trainer.Name)
	mustNotContain(t, r, "ODWOŁANE")
	if cc := r.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q: the list names people", cc)
	}
	sorted := append([]*store.Staff(nil), f.people...)
	store.SortPolish(sorted, func(p *store.Staff) string { return p.LastName }, func(p *store.Staff) string { return p.FirstName })
	last := -1
	for _, p := range sorted {
		i := strings.Index(r.body, p.FullName())
		if i < 0 || i < last {
			t.Fatalf("%s is not in Polish order on the list", p.FullName())
		}
		last = i
	}
	newcomer := f.crowd[35]
	fresh, err := ta.st.Session(f.own.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.st.Enrol(store.Actor{Login: "koordynator"}, fresh.ID, fresh.Version, []uint64{newcomer.ID}, store.Plan{Override: "test fixture"}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, c.get(sessionPrintPath(f.own)), newcomer.FullName(), ">7.</td>")
	mustContain(t, c.get(sessionPrintPath(f.off)), "ODWOŁANE")
	// In English too, the unit named in the plural English needs.
	c.post("/lang", url.Values{"lang": {"en"}})
	mustContain(t, c.get(sessionPrintPath(f.own)), "Attendance list", "Signature", "24.10.2018 (Wednesday)", "3 lesson hours (45 min)")
	mustContain(t, c.get(sessionPrintPath(f.off)), "CANCELLED")
	mustContain(t, c.get(coursePrintPath(f.course)), "Summary of delivered hours", "156 lesson hours (45 min)", "2 of 3 planned")
}

// printPDF signs in as login, prints each path to PDF with Chromium and
// returns the text of each, pages split by form feeds.
func printPDF(t *testing.T, base, login string, paths ...string) [][]string {
	t.Helper()
	for _, tool := range []string{"pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is needed in CI (apt-get install poppler-utils)", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	ctx, problems := browser(t)
	if err := chromedp.Run(ctx, signInAs(base, login)); err != nil {
		t.Fatalf("%v (browser problems: %v)", err, problems())
	}
	dir := os.Getenv("SCREENSHOTS") // keep the documents to look at
	if dir == "" {
		dir = t.TempDir()
	}
	var out [][]string
	for i, path := range paths {
		var pdf []byte
		if err := chromedp.Run(ctx,
			chromedp.Navigate(base+path),
			chromedp.WaitVisible(`main table`, chromedp.ByQuery),
			printPage(&pdf),
		); err != nil {
			t.Fatalf("%s: %v (browser problems: %v)", path, err, problems())
		}
		file := filepath.Join(dir, t.Name()+"-"+strconv.Itoa(i+1)+".pdf")
		if err := os.WriteFile(file, pdf, 0o600); err != nil {
			t.Fatal(err)
		}
		text, err := exec.Command("pdftotext", "-layout", file, "-").Output()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, strings.Split(strings.TrimRight(string(text), "\f\n "), "\f"))
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("browser problems: %v", p)
	}
	return out
}

// oneLine is a printed text with its line breaks and runs of spaces made
// single spaces, so that a value wrapped in its cell still reads whole.
func oneLine(pages []string) string {
	return strings.Join(strings.Fields(strings.Join(pages, " ")), " ")
}

var rowNumber = regexp.MustCompile(`(?m)^\s*(\d+)\.(?:\s|$)`)

// rowNumbers are the numbers that start the printed rows, in order.
func rowNumbers(pages []string) []int {
	var out []int
	for _, m := range rowNumber.FindAllStringSubmatch(strings.Join(pages, "\n"), -1) {
		n, _ := strconv.Atoi(m[1])
		out = append(out, n)
	}
	return out
}

// wantPageNumbers checks the "2 / 3" Chromium draws in each page's margin.
func wantPageNumbers(t *testing.T, what string, pages []string) {
	t.Helper()
	number := regexp.MustCompile(`^(\d+)\s*/\s*(\d+)$`)
	for i, p := range pages {
		lines := strings.Split(strings.TrimSpace(p), "\n")
		m := number.FindStringSubmatch(strings.TrimSpace(lines[len(lines)-1]))
		if m == nil || m[1] != strconv.Itoa(i+1) || m[2] != strconv.Itoa(len(pages)) {
			t.Errorf("%s: page %d ends with %q, not its number of %d", what, i+1, lines[len(lines)-1], len(pages))
		}
	}
}

func wantRows(t *testing.T, what string, pages []string, n int) {
	t.Helper()
	got := rowNumbers(pages)
	if len(got) != n {
		t.Errorf("%s: rows %v, want 1..%d", what, got, n)
		return
	}
	for i, g := range got {
		if g != i+1 {
			t.Errorf("%s: rows %v, want 1..%d", what, got, n)
			return
		}
	}
}

// The attendance list as the controller reads it on paper: the funding
// line, the project, the form of support, the date, hours, place, trainer
// and group; every participant with a numbered row and three spare rows;
// and a list of 40 people runs onto more pages, each with the column names.
func TestAttendanceListPrinted(t *testing.T) {
	ta := newTestApp(t)
	f := newPrintFixture(t, ta)
	needPrintRoutes(t, ta)
	base := ta.serve(t)
	docs := printPDF(t, base, "koordynator", sessionPrintPath(f.own), sessionPrintPath(f.big), sessionPrintPath(f.off))
	own, big, off := docs[0], docs[1], docs[2]
	if len(own) != 1 {
		t.Errorf("a list of three people printed on %d pages", len(own))
	}
	text := oneLine(own)
	for _, want := range []string{f.project.Name, f.project.Programme, "Projekt współfinansowany ze środków Unii Europejskiej w ramach Europejskiego Funduszu Społecznego",
		"Lista obecności", "superwizja", f.course.Title, "cz. 2 — Trudne rozmowy z klientem", "24.10.2018 (środa)", "12:00–14:30", "3 godz. lekcyjne (45 min)",
		f.loc.Name, f.loc.Street, "sala 12", f.trainer.Name, "III grupa", "Lp.", "Imię i nazwisko", "Komórka", "Podpis",
		"Potwierdzam zgodność listy — data i podpis prowadzącego"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed list lacks %q:\n%s", want, strings.Join(own, "\f"))
		}
	}
	for _, p := range f.people {
		if !strings.Contains(text, p.FullName()) {
			t.Errorf("the printed list lacks %s", p.FullName())
		}
	}
	wantRows(t, "three participants", own, len(f.people)+3)
	wantPageNumbers(t, "three participants", own)

	if len(big) < 2 {
		t.Fatalf("a list of %d people printed on %d page(s)", len(f.crowd), len(big))
	}
	for i, p := range big {
		if !strings.Contains(p, "Podpis") || !strings.Contains(p, "Imię i nazwisko") {
			t.Errorf("page %d of %d has no column names:\n%s", i+1, len(big), p)
		}
	}
	wantRows(t, "forty participants", big, len(f.crowd)+3)
	wantPageNumbers(t, "forty participants", big)
	text = oneLine(big)
	for _, p := range f.crowd {
		if !strings.Contains(text, p.FullName()) {
			t.Errorf("the long list lacks %s", p.FullName())
		}
	}
	if text := oneLine(off); !strings.Contains(text, "Lista obecności ODWOŁANE") || !strings.Contains(text, "Zajęcia zostały odwołane") {
		t.Errorf("a cancelled session's list does not say so:\n%s", strings.Join(off, "\f"))
	}
}

// The course's summary on paper: delivered units per person and in total,
// in lesson hours, against the contract.
func TestCourseSummaryPrinted(t *testing.T) {
	ta := newTestApp(t)
	f := newPrintFixture(t, ta)
	needPrintRoutes(t, ta)
	base := ta.serve(t)
	pages := printPDF(t, base, "koordynator", coursePrintPath(f.course))[0]
	text := oneLine(pages)
	wantPageNumbers(t, "the summary", pages)
	// Held: 3 + 4 units; person-units 3+2+0 and 4+4+4 = 17; three people.
	for _, want := range []string{f.course.Title, f.project.Name, "superwizja", "godziny lekcyjne (45 min)",
		"156 godz. lekcyjnych (45 min)", "7 godz. lekcyjnych (45 min)", "2 z 3 zaplanowanych", "17 godz. lekcyjnych (45 min)",
		"24.10.2018", "07.11.2018", "12:00–14:30", "07:30–10:30", "III grupa"} {
		if !strings.Contains(text, want) {
			t.Errorf("the summary lacks %q:\n%s", want, strings.Join(pages, "\f"))
		}
	}
	if strings.Contains(text, "14.11.2018") || strings.Contains(text, "21.11.2018") {
		t.Error("the summary lists a session that was not held")
	}
	// Each person's line: name, unit, sessions attended, units attended.
	want := map[string][2]int{f.people[0].FullName(): {2, 7}, f.people[1].FullName(): {2, 6}, f.people[2].FullName(): {1, 4}}
	lines := strings.Split(strings.Join(pages, "\n"), "\n")
	for name, n := range want {
		line := regexp.MustCompile(regexp.QuoteMeta(name) + `.*\s(\d+)\s+(\d+)\s*$`)
		found := false
		for _, l := range lines {
			if m := line.FindStringSubmatch(l); m != nil && m[1] == strconv.Itoa(n[0]) && m[2] == strconv.Itoa(n[1]) {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: want %d sessions and %d units on the person's line:\n%s", name, n[0], n[1], strings.Join(pages, "\f"))
		}
	}
	totals := regexp.MustCompile(`Razem\s+5\s+17\b`)
	if !totals.MatchString(strings.Join(pages, "\n")) {
		t.Errorf("no totals line of 5 sessions attended and 17 units:\n%s", strings.Join(pages, "\f"))
	}
}

// The documents are pages too: on screen, at desktop and phone width, they
// pass the accessibility check every page of the product passes (axe, no
// sideways scrolling, each stacked cell with its column's name).
func TestSchedulePrintAccessibility(t *testing.T) {
	src := axeSource(t)
	chromium(t)
	ta := newTestApp(t)
	f := newPrintFixture(t, ta)
	needPrintRoutes(t, ta)
	base := ta.serve(t)
	var mu sync.Mutex
	for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
		ctx, problems := browser(t)
		a := &axeCheck{t: t, ctx: ctx, base: base, axe: src, width: size[0], mu: &mu, seen: map[string]bool{}, problems: problems}
		a.run("window", chromedp.EmulateViewport(size[0], size[1]))
		a.run("sign in",
			chromedp.Navigate(base+"/login"),
			chromedp.SendKeys(`#login`, "koordynator", chromedp.ByID),
			chromedp.SendKeys(`#password`, store.DemoPassword, chromedp.ByID),
			chromedp.Submit(`#password`, chromedp.ByID),
			chromedp.WaitVisible(`#home-news`, chromedp.ByID))
		for _, path := range []string{sessionPrintPath(f.own), sessionPrintPath(f.off), coursePrintPath(f.course)} {
			a.visit(path)
		}
	}
}
