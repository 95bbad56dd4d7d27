package handlers

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// A clash is shown before saving, with a link to the other session, and is
// saved only with a reason that the session's history keeps.
func TestAClashNeedsAReasonToBeSaved(t *testing.T) {
	ta := newTestApp(t)
	notOnAHoliday(ta)
	f := newScheduleFixture(t, ta)
	c := ta.loggedIn(t, "koordynator")
	path := "/schedule/courses/" + strconv.FormatUint(f.course.ID, 10) + "/sessions"
	c.get(path + "/new")
	day := ta.st.Today().Format("2006-01-02")
	trainer := strconv.FormatUint(f.trainer.ID, 10)
	form := url.Values{"date": {day}, "start": {"09:00"}, "end": {"11:00"}, "status": {"planned"}, "trainers": {trainer}}
	r := c.post(path, form)
	if r.status != fiber.StatusConflict {
		t.Fatalf("a clash saved: %d", r.status)
	}
	mustContain(t, r, "Prowadzący Barbara Superwizorska ma w tym czasie inne zajęcia", `href="`+sessionPath(f.own)+`"`, `name="override"`)
	if list, _ := ta.st.CourseSessions(f.course.ID); len(list) != 2 {
		t.Fatalf("the clash was stored: %d sessions", len(list))
	}
	// Half-open slots: ending at 07:30, when the other begins, is no clash.
	if r = c.post(path, url.Values{"date": {day}, "start": {"06:30"}, "end": {"07:30"}, "status": {"planned"}, "trainers": {trainer}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("back to back: %d\n%s", r.status, r.body)
	}
	form.Set("override", "Zastępstwo uzgodnione z superwizorem")
	if r = c.post(path, form); r.status != fiber.StatusSeeOther {
		t.Fatalf("with a reason: %d\n%s", r.status, r.body)
	}
	loc, _, _ := strings.Cut(r.header.Get("Location"), "?")
	mustContain(t, c.get(loc), "Historia zmian", "Zapisano mimo konfliktów", "Zastępstwo uzgodnione z superwizorem")
	id, _ := strconv.ParseUint(strings.TrimPrefix(loc, "/schedule/sessions/"), 10, 64)
	saved, _ := ta.st.Session(id)
	if len(saved.History) != 1 || saved.History[0].Kind != store.ChangeOverride || len(saved.History[0].Conflicts) == 0 ||
		saved.History[0].By != "koordynator" {
		t.Fatalf("history: %+v", saved.History)
	}
	page, _ := ta.st.Audit(store.AuditFilter{Entity: "training_session", Limit: 50})
	if len(page.Entries) == 0 || !strings.Contains(auditText(page.Entries), "Zastępstwo uzgodnione") {
		t.Fatalf("the override is not in the audit log: %+v", page.Entries)
	}
}

func auditText(list []store.AuditEntry) string {
	var b strings.Builder
	for _, e := range list {
		for _, ch := range e.Changes {
			b.WriteString(ch.New + "\n")
		}
	}
	return b.String()
}

// A move needs a reason, keeps the old time in the history, raises the
// calendar sequence and tells the participants on their home page.
func TestAMoveIsToldWithItsReason(t *testing.T) {
	ta := newTestApp(t)
	notOnAHoliday(ta)
	f := newScheduleFixture(t, ta)
	c := ta.loggedIn(t, "koordynator")
	edit := sessionPath(f.other)
	usr, _ := ta.st.UserByLogin("pracownik")
	me, err := ta.st.PersonOfUser(usr.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ta.st.Enrol(store.System, f.other.ID, f.other.Version, []uint64{me.ID}, store.Plan{Override: "test"}); err != nil {
		t.Fatal(err)
	}
	f.other, _ = ta.st.Session(f.other.ID)
	c.get(edit + "/edit")
	day := ta.st.Today().AddDate(0, 0, 8).Format("2006-01-02")
	form := url.Values{"version": {strconv.Itoa(f.other.Version)}, "date": {day}, "start": {"12:00"}, "end": {"14:30"}, "status": {"planned"},
		"group": {"3"}, "trainers": {strconv.FormatUint(f.rival.ID, 10)}}
	r := c.post(edit, form)
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("a move without a reason: %d", r.status)
	}
	mustContain(t, r, "Podaj powód przeniesienia lub odwołania zajęć")
	form.Set("reason", "Choroba superwizora")
	if r = c.post(edit, form); r.status != fiber.StatusSeeOther {
		t.Fatalf("a move: %d\n%s", r.status, r.body)
	}
	moved, _ := ta.st.Session(f.other.ID)
	last := moved.History[len(moved.History)-1]
	if moved.Sequence != 1 || last.Kind != store.ChangeMoved || !last.Date.Equal(f.other.Date) || last.Start != f.other.Start || last.Reason != "Choroba superwizora" {
		t.Fatalf("after the move: sequence %d, history %+v", moved.Sequence, moved.History)
	}
	mustContain(t, c.get(edit), "Przeniesiono", "Choroba superwizora")
	// The participant's home page says so.
	mustContain(t, ta.loggedIn(t, "pracownik").get("/"), "Zmiany w Twoich zajęciach", "Przeniesiono", "Choroba superwizora")
	// Cancelling takes a reason too; a cancelled session stays listed as such.
	c.get(edit + "/cancel")
	if r = c.post(edit+"/cancel", url.Values{"version": {strconv.Itoa(moved.Version)}}); r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("a cancellation without a reason: %d", r.status)
	}
	if r = c.post(edit+"/cancel", url.Values{"version": {strconv.Itoa(moved.Version)}, "reason": {"Brak sali"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("a cancellation: %d\n%s", r.status, r.body)
	}
	if cancelled, _ := ta.st.Session(f.other.ID); cancelled.Status != store.SessionCancelled || cancelled.Sequence != 2 {
		t.Fatalf("cancelled: %s, sequence %d", cancelled.Status, cancelled.Sequence)
	}
}

// The calendar feed: its address is shown once, answers without a cookie,
// keeps UIDs, raises SEQUENCE after a move, keeps a cancelled session as
// cancelled, and stops answering once revoked.
func TestCalendarFeed(t *testing.T) {
	ta := newTestApp(t)
	notOnAHoliday(ta)
	f := newScheduleFixture(t, ta)
	tr := ta.loggedIn(t, "trener")
	mustContain(t, tr.get("/account/feed"), "Nie masz jeszcze adresu kalendarza")
	r := tr.post("/account/feed", url.Values{})
	m := regexp.MustCompile(`value="(http[^"]*/feeds/([^/"]+)/mine\.ics)"`).FindStringSubmatch(r.body)
	if r.status != fiber.StatusOK || m == nil {
		t.Fatalf("new address: %d\n%s", r.status, r.body)
	}
	feed := strings.TrimPrefix(m[1], "http://example.com")
	anon := ta.client(t)
	first := anon.get(feed)
	if first.status != fiber.StatusOK || !strings.HasPrefix(first.header.Get(fiber.HeaderContentType), "text/calendar") {
		t.Fatalf("feed: %d %s", first.status, first.header.Get(fiber.HeaderContentType))
	}
	events := parseFeed(t, first.body)
	uid := store.SessionUID(f.own.ID)
	ev, ok := events[uid]
	if !ok {
		t.Fatalf("the trainer's session is not in the feed: %v", events)
	}
	if seq, _ := ev.Props.Get(ical.PropSequence).Int(); seq != 0 {
		t.Fatalf("sequence before a move: %d", seq)
	}
	if p := ev.Props.Get(ical.PropDateTimeStart); p == nil || p.Params.Get(ical.ParamTimezoneID) != "Europe/Warsaw" {
		t.Fatalf("DTSTART: %+v", p)
	}
	// The session moves, then is cancelled.
	ss, _ := ta.st.Session(f.own.ID)
	ss.Start, ss.End = 8*60, 11*60
	if err := ta.st.SaveSession(store.System, ss, ss.Version, store.Plan{Reason: "Zmiana sali", Override: "test"}); err != nil {
		t.Fatal(err)
	}
	second := parseFeed(t, anon.get(feed).body)
	if seq, _ := second[uid].Props.Get(ical.PropSequence).Int(); seq != 1 {
		t.Fatalf("sequence after a move: %d", seq)
	}
	ss, _ = ta.st.Session(f.own.ID)
	ss.Status = store.SessionCancelled
	if err := ta.st.SaveSession(store.System, ss, ss.Version, store.Plan{Reason: "Choroba"}); err != nil {
		t.Fatal(err)
	}
	third := parseFeed(t, anon.get(feed).body)
	if st, _ := third[uid].Props.Text(ical.PropStatus); st != "CANCELLED" {
		t.Fatalf("a cancelled session: %q", st)
	}
	if len(third) != len(events) {
		t.Fatalf("events: %d, then %d", len(events), len(third))
	}
	// A course's feed through the same token; an unknown course is not found.
	course := "/feeds/" + m[2] + "/courses/" + strconv.FormatUint(f.course.ID, 10) + ".ics"
	if _, ok := parseFeed(t, anon.get(course).body)[store.SessionUID(f.other.ID)]; !ok {
		t.Fatal("the course feed lacks a session of the course")
	}
	if r := anon.get("/feeds/" + m[2] + "/courses/999999.ics"); r.status != fiber.StatusNotFound {
		t.Fatalf("an unknown course: %d", r.status)
	}
	// Revoked: not found, and a wrong token likewise.
	if r := tr.post("/account/feed/revoke", url.Values{}); r.status != fiber.StatusSeeOther {
		t.Fatalf("revoke: %d", r.status)
	}
	if r := anon.get(feed); r.status != fiber.StatusNotFound {
		t.Fatalf("a revoked feed: %d", r.status)
	}
	if r := anon.get("/feeds/" + strings.Repeat("A", 43) + "/mine.ics"); r.status != fiber.StatusNotFound {
		t.Fatalf("a wrong token: %d", r.status)
	}
}

func parseFeed(t *testing.T, body string) map[string]*ical.Component {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader([]byte(body))).Decode()
	if err != nil {
		t.Fatalf("feed: %v\n%s", err, body)
	}
	out := map[string]*ical.Component{}
	for _, ev := range cal.Children {
		if ev.Name == ical.CompEvent {
			uid, _ := ev.Props.Text(ical.PropUID)
			out[uid] = ev
		}
	}
	return out
}

// A week of a trainer and of a place; blackout periods are kept by
// coordinators and make a session on their days a conflict.
func TestWeeksAndBlackouts(t *testing.T) {
	ta := newTestApp(t)
	notOnAHoliday(ta)
	f := newScheduleFixture(t, ta)
	c := ta.loggedIn(t, "koordynator")
	week := c.get("/schedule/week?trainer=" + strconv.FormatUint(f.trainer.ID, 10))
	mustContain(t, week, "Tydzień: Barbara Superwizorska", sessionPath(f.own))
	mustNotContain(t, week, sessionPath(f.other))
	locs, _ := ta.st.Locations()
	if r := c.get("/schedule/week?location=" + strconv.FormatUint(locs[0].ID, 10)); r.status != fiber.StatusOK {
		t.Fatalf("a place's week: %d", r.status)
	}
	if r := c.get("/schedule/week?trainer=999999"); r.status != fiber.StatusNotFound {
		t.Fatalf("an unknown trainer's week: %d", r.status)
	}
	c.get("/schedule/blackouts/new")
	day := ta.st.Today().AddDate(0, 0, 21)
	r := c.post("/schedule/blackouts", url.Values{"name": {"Remont"}, "from": {day.Format("2006-01-02")}, "to": {day.AddDate(0, 0, 2).Format("2006-01-02")},
		"kinds": {"supervision"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("a blackout: %d\n%s", r.status, r.body)
	}
	mustContain(t, c.get("/schedule/blackouts"), "Remont")
	mustContain(t, ta.loggedIn(t, "admin").get("/admin/audit"), "okres bez zajęć", `href="/schedule/blackouts/`)
	path := "/schedule/courses/" + strconv.FormatUint(f.course.ID, 10) + "/sessions"
	c.get(path + "/new")
	r = c.post(path, url.Values{"date": {day.AddDate(0, 0, 1).Format("2006-01-02")}, "start": {"09:00"}, "end": {"11:00"}, "status": {"planned"}})
	if r.status != fiber.StatusConflict {
		t.Fatalf("a session in a blackout: %d", r.status)
	}
	mustContain(t, r, "Termin przypada w okresie bez zajęć: Remont")
	// Staff read the periods, but may not add one.
	s := ta.loggedIn(t, "pracownik")
	if r := s.post("/schedule/blackouts", url.Values{"name": {"X"}}); r.status != fiber.StatusForbidden {
		t.Fatalf("staff added a blackout: %d", r.status)
	}
}

// notOnAHoliday moves the test's clock past a public holiday, on which
// every session would be a conflict.
func notOnAHoliday(ta *testApp) {
	for _, holiday := store.HolidayOn(ta.st.Today()); holiday; _, holiday = store.HolidayOn(ta.st.Today()) {
		ta.clk.Add(24 * time.Hour)
	}
}

// A schedule from a spreadsheet: a bad row stops the whole file; conflicts
// are shown and need a reason; the export reads back as the import.
func TestScheduleImportAllOrNothing(t *testing.T) {
	ta := newTestApp(t)
	notOnAHoliday(ta)
	f := newScheduleFixture(t, ta)
	c := ta.loggedIn(t, "koordynator")
	c.get("/schedule/import")
	day := ta.st.Today().AddDate(0, 0, 35)
	for _, holiday := store.HolidayOn(day); holiday; _, holiday = store.HolidayOn(day) {
		day = day.AddDate(0, 0, 1)
	}
	d := day.Format("02.01.2006")
	good := "Data;Od;Do;Rodzaj;Kurs;Część;Prowadzący;Miejsce;Grupa;Jednostki\n" +
		d + ";8.00;11.00;superwizja;Superwizja testowa;cz. 1;Barbara Superwizorska;adres: ul. Testowa 1;I;\n" +
		d + ";12.00;14.30;superwizja;Superwizja testowa;cz. 2;Barbara Superwizorska;adres: ul. Testowa 1;II;3\n"
	bad := good + "31.02.2019;8.00;9.00;;Superwizja testowa;;;;;\n" + d + ";15.00;16.00;;Superwizja testowa;;Nieznany Trener;;;\n"
	before, _ := ta.st.CourseSessions(f.course.ID)
	r := c.post("/schedule/import", url.Values{"csv": {bad}, "confirm": {"1"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("a file with a bad row: %d", r.status)
	}
	mustContain(t, r, "Niczego nie zapisano", "Nie ma prowadzącego o tym imieniu i nazwisku", "<code>date</code>")
	// The same trainer twice at once in the file itself: a conflict.
	clash := good + d + ";10.00;12.00;superwizja;Superwizja testowa;cz. 3;Barbara Superwizorska;;III;\n"
	r = c.post("/schedule/import", url.Values{"csv": {clash}})
	mustContain(t, r, "Prowadzący Barbara Superwizorska ma w tym czasie inne zajęcia", `name="override"`)
	if r = c.post("/schedule/import", url.Values{"csv": {clash}, "confirm": {"1"}}); r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("conflicts without a reason: %d", r.status)
	}
	if after, _ := ta.st.CourseSessions(f.course.ID); len(after) != len(before) {
		t.Fatalf("a refused import stored %d sessions", len(after)-len(before))
	}
	if r = c.post("/schedule/import", url.Values{"csv": {good}, "confirm": {"1"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("a good file: %d\n%s", r.status, r.body)
	}
	after, _ := ta.st.CourseSessions(f.course.ID)
	if len(after) != len(before)+2 {
		t.Fatalf("imported %d sessions", len(after)-len(before))
	}
	// The export of those days re-imports: it parses to the same rows.
	iso := day.Format("2006-01-02")
	exp := c.get("/schedule/export.csv?from=" + iso + "&to=" + iso + "&course=" + strconv.FormatUint(f.course.ID, 10))
	rows, err := store.ParseScheduleCSV(strings.NewReader(exp.body))
	if err != nil || len(rows) != 2 || rows[0].Location != "adres: ul. Testowa 1" || rows[1].Part != "cz. 2" || rows[0].Trainer != "Barbara Superwizorska" {
		t.Fatalf("export: %v %+v\n%s", err, rows, exp.body)
	}
	for _, row := range rows {
		if len(row.Errors) > 0 {
			t.Fatalf("an exported row does not read back: %+v", row)
		}
	}
}

// A series skips public holidays and blackout periods, says which days it
// skipped, numbers its parts and is stored whole.
func TestSeriesSkipsHolidaysAndBlackouts(t *testing.T) {
	ta := newTestApp(t)
	f := newScheduleFixture(t, ta)
	c := ta.loggedIn(t, "koordynator")
	path := "/schedule/courses/" + strconv.FormatUint(f.course.ID, 10) + "/series"
	mustContain(t, c.get(path), "Seria zajęć")
	// Mondays and Wednesdays from 27.04.2037 to 13.05.2037: 4 May (Mon)
	// is a working day, 1 and 3 May fall on a Friday and a Sunday, so take
	// a blackout on 6 May to be skipped as well.
	if err := ta.st.SaveBlackout(store.System, &store.Blackout{Name: "Zamknięte", From: time.Date(2037, 5, 6, 0, 0, 0, 0, time.UTC),
		To: time.Date(2037, 5, 6, 0, 0, 0, 0, time.UTC)}, 0); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"weekdays": {"0", "2"}, "first": {"2037-04-27"}, "until": {"2037-05-13"}, "every": {"1"}, "start": {"08:00"}, "end": {"11:00"},
		"part": {"cz. {n}"}, "number": {"1"}, "group": {"I"}}
	r := c.post(path, form)
	if r.status != fiber.StatusOK {
		t.Fatalf("preview: %d\n%s", r.status, r.body)
	}
	mustContain(t, r, "5 zajęć w serii", "Pominięte dni", "6 maja 2037", "Zamknięte", "cz. 5")
	before, _ := ta.st.CourseSessions(f.course.ID)
	form.Set("confirm", "1")
	if r = c.post(path, form); r.status != fiber.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, r.body)
	}
	after, _ := ta.st.CourseSessions(f.course.ID)
	if len(after) != len(before)+5 {
		t.Fatalf("saved %d sessions", len(after)-len(before))
	}
	last := after[len(after)-1]
	if last.Part != "cz. 5" || last.Date.Format("2006-01-02") != "2037-05-13" {
		t.Fatalf("last of the series: %s %s", last.Part, last.Date)
	}
	// Neither a weekday nor an end: the form says what is missing.
	r = c.post(path, url.Values{"first": {"2037-04-27"}, "every": {"1"}, "start": {"08:00"}, "end": {"11:00"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("an empty series: %d", r.status)
	}
}

// The trainer confirms the list once every mark is in; then the trainer's
// marks are locked, and a coordinator corrects one only with a reason.
func TestTrainerConfirmsTheList(t *testing.T) {
	ta := newTestApp(t)
	notOnAHoliday(ta)
	f := newScheduleFixture(t, ta)
	tr := ta.loggedIn(t, "trener")
	path := sessionPath(f.own)
	page := tr.get(path)
	mustNotContain(t, page, "Potwierdź listę obecności") // nobody is marked yet
	if r := tr.post(path+"/attendance", url.Values{"all": {"present"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("all present: %d", r.status)
	}
	page = tr.get(path)
	mustContain(t, page, "Potwierdź listę obecności")
	coursePage := "/schedule/courses/" + strconv.FormatUint(f.course.ID, 10)
	mustContain(t, ta.loggedIn(t, "koordynator").get(coursePage), "nie mają potwierdzonej listy obecności", "niepotwierdzona")
	ss, _ := ta.st.Session(f.own.ID)
	if r := tr.post(path+"/confirm", url.Values{"version": {strconv.Itoa(ss.Version)}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("confirm: %d\n%s", r.status, r.body)
	}
	page = tr.get(path)
	mustContain(t, page, "Lista potwierdzona przez trener")
	mustNotContain(t, page, `class="attendance-form"`)
	id := strconv.FormatUint(f.people[0], 10)
	if r := tr.post(path+"/attendance", url.Values{"p_" + id: {"absent"}, "v_" + id: {"1"}}); r.status != fiber.StatusForbidden {
		t.Fatalf("the trainer changed a confirmed list: %d", r.status)
	}
	c := ta.loggedIn(t, "koordynator")
	mustContain(t, c.get(path), "Powód korekty", "Zapisz korektę")
	r := c.post(path+"/attendance", url.Values{"p_" + id: {"absent"}, "v_" + id: {"1"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("a correction without a reason: %d", r.status)
	}
	mustContain(t, r, "Podaj powód korekty potwierdzonej listy")
	if r = c.post(path+"/attendance", url.Values{"p_" + id: {"absent"}, "v_" + id: {"1"}, "correction": {"Pomyłka w liście"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("a correction: %d\n%s", r.status, r.body)
	}
	mustContain(t, c.get(path), "korekta", "Pomyłka w liście")
	mustContain(t, c.get(path+"/print"), "Lista potwierdzona w intranecie przez trener")
	// A second trainer cannot confirm someone else's list.
	other := sessionPath(f.other)
	o, _ := ta.st.Session(f.other.ID)
	if r := tr.post(other+"/confirm", url.Values{"version": {strconv.Itoa(o.Version)}}); r.status != fiber.StatusForbidden {
		t.Fatalf("confirmed another trainer's list: %d", r.status)
	}
}

// The demo's first published version is the seed's table of 16.01.2018:
// its two January supervision sessions are flagged as published late. A
// coordinator publishes a new version; a later move marks the schedule
// changed since it; CSV and the print view have the funder's columns.
func TestPublishedScheduleOfSupport(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "koordynator")
	o, _ := ta.st.Org()
	var project *store.Project
	for i := range o.Projects {
		if strings.HasPrefix(o.Projects[i].Name, "Nowy Model") {
			project = &o.Projects[i]
		}
	}
	if project == nil || project.Frozen() {
		t.Skip("the demo project is settled on this day")
	}
	base := "/projects/" + strconv.FormatUint(project.ID, 10) + "/published"
	list := c.get(base)
	mustContain(t, list, "Wersja 1", "Wersja 6", "16.01.2018")
	first := c.get(base + "/1")
	mustContain(t, first, "3 zajęcia opublikowano za późno", "11.01.2018", "opublikowane po terminie", "Rodzaj wsparcia", "Godzina od–do")
	if strings.Count(first.body, "opublikowane po terminie") != 3 { // 11.01 twice, 12.01
		t.Fatalf("late rows flagged: %d", strings.Count(first.body, "opublikowane po terminie"))
	}
	csv := c.get(base + "/1/csv")
	if !strings.HasPrefix(csv.body, "\ufeffLp.;Rodzaj wsparcia;Data;Godzina od–do;Adres") || !strings.Contains(csv.body, "11.01.2018;08:00–11:00") {
		t.Fatalf("CSV:\n%s", csv.body)
	}
	mustContain(t, c.get(base+"/1/print"), "Harmonogram udzielania wsparcia", "11.01.2018")
	// With three days' notice required, the sessions of 19 January were
	// published late too.
	fresh, _ := ta.st.Project(project.ID)
	fresh.LeadDays = 3
	if err := ta.st.SaveProject(store.System, fresh, fresh.Version); err != nil {
		t.Fatal(err)
	}
	mustContain(t, c.get(base+"/1"), "5 zajęć opublikowano za późno")
	// Publishing anew, then moving a session of the period.
	r := c.post(base, url.Values{"from": {"2019-02-01"}, "to": {"2019-02-28"}})
	if r.status != fiber.StatusSeeOther || !strings.HasSuffix(strings.Split(r.header.Get("Location"), "?")[0], "/published/7") {
		t.Fatalf("publish: %d %s", r.status, r.header.Get("Location"))
	}
	mustContain(t, c.get(base), "Harmonogram jest zgodny z opublikowaną wersją 7")
	pub, _ := ta.st.Publications(project.ID)
	// (the demo's past lists are confirmed and cannot move: a session is added)
	held, _ := ta.st.Session(pub[0].Rows[0].Session)
	added := &store.Session{CourseID: held.CourseID, Date: time.Date(2019, 2, 27, 0, 0, 0, 0, time.UTC), Start: 10 * 60, End: 11 * 60, Status: store.SessionPlanned}
	if err := ta.st.SaveSession(store.System, added, 0, store.Plan{Override: "test"}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, c.get(base), "Harmonogram zmienił się od wersji 7", "Nowe", "27.02.2019")
	mustContain(t, c.get("/projects/"+strconv.FormatUint(project.ID, 10)), "zmieniony od wersji 7")
	// Staff read it; they do not publish.
	s := ta.loggedIn(t, "pracownik")
	if r := s.post(base, url.Values{"from": {"2019-02-01"}, "to": {"2019-02-28"}}); r.status != fiber.StatusForbidden {
		t.Fatalf("staff published: %d", r.status)
	}
}

// Ended periods only grow: the list shows those in force or to come, and
// the ended ones folded, the latest first, a page at a time; a period
// saved after its end is shown on its page of them.
func TestEndedBlackoutsArePaged(t *testing.T) {
	ta := newTestApp(t)
	today := ta.st.Today()
	for _, b := range mustBlackouts(t, ta.st) {
		if err := ta.st.DeleteBlackout(store.System, b.ID, b.Version); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 { // ended on the 30 days before yesterday, the latest "Zamknięte 0"
		d := today.AddDate(0, 0, -2-i)
		if err := ta.st.SaveBlackout(store.System, &store.Blackout{Name: fmt.Sprintf("Zamknięte %d", i), From: d, To: d}, 0); err != nil {
			t.Fatal(err)
		}
	}
	if err := ta.st.SaveBlackout(store.System, &store.Blackout{Name: "Remont sali", From: today, To: today.AddDate(0, 0, 3)}, 0); err != nil {
		t.Fatal(err)
	}
	c := ta.loggedIn(t, "koordynator")
	first := c.get("/schedule/blackouts")
	current, ended, ok := strings.Cut(first.body, `id="ended"`)
	if !ok {
		t.Fatalf("no ended periods:\n%s", first.body)
	}
	mustContain(t, response{body: current}, "Remont sali")
	mustNotContain(t, response{body: current}, "Zamknięte")
	mustContain(t, response{body: ended}, "Zakończone (30)", `href="/schedule/blackouts?page=2#ended"`, ">Zamknięte 0<", ">Zamknięte 24<")
	mustNotContain(t, response{body: ended}, ">Zamknięte 25<", "Remont sali")
	if strings.Contains(first.body, `id="ended" open`) {
		t.Error("the ended periods are unfolded on the list's first view")
	}
	second := c.get("/schedule/blackouts?page=2")
	mustContain(t, second, `id="ended" open`, ">Zamknięte 25<", ">Zamknięte 29<", `href="/schedule/blackouts?page=1#ended"`)
	mustNotContain(t, second, ">Zamknięte 24<")
	if last := c.get("/schedule/blackouts?page=999"); !strings.Contains(last.body, ">Zamknięte 29<") {
		t.Error("a page past the end does not show the last one")
	}

	// Entered after the fact: shown unfolded, on the page where it stands.
	d := today.AddDate(0, 0, -40).Format("2006-01-02")
	c.get("/schedule/blackouts/new")
	r := c.post("/schedule/blackouts", url.Values{"name": {"Awaria ogrzewania"}, "from": {d}, "to": {d}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("an ended period: %d\n%s", r.status, r.body)
	}
	loc := r.header.Get("Location")
	if !strings.HasPrefix(loc, "/schedule/blackouts?page=2") || !strings.Contains(loc, "#blackout-") {
		t.Fatalf("an ended period saved leads to %q", loc)
	}
	mustContain(t, c.get(strings.Split(loc, "#")[0]), "Awaria ogrzewania", `id="`+strings.Split(loc, "#")[1]+`"`)

	// Days pass: the repair's last day goes by, and it is the latest ended.
	ta.clk.Add(4 * 24 * time.Hour)
	later := ta.loggedIn(t, "koordynator").get("/schedule/blackouts") // the old session has run out
	mustContain(t, later, "Nie ma obowiązujących ani przyszłych okresów bez zajęć.", "Zakończone (32)")
	if _, ended, _ := strings.Cut(later.body, `id="ended"`); !strings.Contains(ended, ">Remont sali<") ||
		strings.Index(ended, ">Remont sali<") > strings.Index(ended, ">Zamknięte 0<") {
		t.Error("the period that ended last is not the first of the ended ones")
	}
}

func mustBlackouts(t *testing.T, st *store.Store) []store.Blackout {
	t.Helper()
	list, err := st.Blackouts()
	if err != nil {
		t.Fatal(err)
	}
	return list
}
