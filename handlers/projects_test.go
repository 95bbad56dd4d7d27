package handlers

import (
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/emersion/go-ical"
	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// newProject posts the project form as a coordinator types it and returns
// the new project's address.
func newProject(t *testing.T, c *client, form url.Values) string {
	t.Helper()
	c.get("/projects/new")
	r := c.post("/projects", form)
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("create project: %d\n%s", r.status, r.body)
	}
	loc, _, _ := strings.Cut(r.header.Get("Location"), "?")
	return loc
}

func projectForm() url.Values {
	return url.Values{"name": {"Nowy Model – Lepsza Jakość"}, "kind": {"eu"}, "status": {"running"},
		"programme": {"PO WER 2014–2020, oś II, działanie 2.5"}, "from": {"01.03.2017"}, "to": {"28.02.2019"},
		"goals": {"Poprawa obsługi\n\nNowe zespoły\n"}, "ref_name_0": {"Uchwała Rady Miejskiej"}, "ref_date_0": {"29.03.2017"},
		// A non-breaking space groups thousands, as a copied figure does.
		"total": {"356\u00a0397,50 zł"}, "source_name_0": {"Środki europejskie"}, "source_amount_0": {"300 371,81"},
		"source_name_1": {"Dotacja celowa"}, "source_amount_1": {"56025,69"}}
}

func TestCoordinatorKeepsABudgetInPolishAmounts(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "koordynator")
	page := newProject(t, c, projectForm())
	r := c.get(page)
	mustContain(t, r, "356 397,50 zł", "300 371,81 zł", "56 025,69 zł", "84,28\u00a0%", "15,72\u00a0%", "100,00\u00a0%",
		"Poprawa obsługi", "Nowe zespoły", "Uchwała Rady Miejskiej", "29.03.2017")
	mustNotContain(t, r, "nie pokrywają budżetu")

	// Wrong amounts come back as typed, each with its own message, and
	// nothing is saved.
	edit := c.get(page + "/edit")
	version := regexpVersion(t, edit.body)
	form := projectForm()
	form.Set("version", version)
	form.Set("total", "1.234.5")
	form.Set("source_amount_0", "12,345")
	form.Set("source_amount_1", "abc")
	r = c.post(page, form)
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad amounts: %d", r.status)
	}
	mustContain(t, r, `value="1.234.5"`, `value="12,345"`, `value="abc"`, "najwyżej dwa miejsca po przecinku", "Wpisz kwotę")
	if got := c.get(page); !strings.Contains(got.body, "356 397,50 zł") {
		t.Fatal("a refused form changed the budget")
	}

	// Sources that do not add up are saved with a warning.
	form = projectForm()
	form.Set("version", version)
	form.Set("source_amount_1", "50 000")
	if r = c.post(page, form); r.status != fiber.StatusSeeOther {
		t.Fatalf("short budget: %d\n%s", r.status, r.body)
	}
	mustContain(t, c.get(page), "brakuje 6 025,69 zł")

	// The form read at the old version is stale now.
	form = projectForm()
	form.Set("version", version)
	if r = c.post(page, form); r.status != fiber.StatusConflict {
		t.Fatalf("stale form: %d", r.status)
	}
}

var versionField = `name="version" value="`

func regexpVersion(t *testing.T, body string) string {
	t.Helper()
	_, rest, ok := strings.Cut(body, versionField)
	if !ok {
		t.Fatal("no version field")
	}
	v, _, _ := strings.Cut(rest, `"`)
	return v
}

func TestReplanningKeepsTheBaselineAndShowsLate(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "koordynator")
	today := ta.st.Today()
	form := projectForm()
	form.Set("name", "Projekt testowy")
	form.Set("from", today.AddDate(0, -2, 0).Format("2006-01-02"))
	form.Set("to", today.AddDate(1, 0, 0).Format("2006-01-02"))
	page := newProject(t, c, form)
	id := strings.TrimPrefix(page, "/projects/")
	c.get(page + "/milestones/new")
	due := today.AddDate(0, 0, 3)
	r := c.post("/projects/"+id+"/milestones", url.Values{"title": {"Dokumenty zespołu"}, "status": {"planned"},
		"planned_from": {due.Format("02.01.2006")}, "deliverables": {"Regulamin\nProcedura"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("new milestone: %d\n%s", r.status, r.body)
	}
	o, _ := ta.st.Org()
	pid, _ := strconv.ParseUint(id, 10, 64)
	m := o.MilestonesOf(pid)[0]
	replan := "/projects/milestones/" + strconv.FormatUint(m.ID, 10) + "/replan"
	mustContain(t, c.get(replan), due.Format("2006-01-02"))
	// A re-plan needs a reason.
	earlier := today.AddDate(0, 0, -2)
	if r = c.post(replan, url.Values{"version": {"1"}, "planned_from": {earlier.Format("2006-01-02")}}); r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("re-plan without a reason: %d", r.status)
	}
	mustContain(t, r, "To pole jest wymagane")
	if r = c.post(replan, url.Values{"version": {"1"}, "planned_from": {earlier.Format("2006-01-02")}, "reason": {"Termin instytucji pośredniczącej"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("re-plan: %d\n%s", r.status, r.body)
	}
	p := c.get(page)
	mustContain(t, p, "pierwotnie:", "<s>", due.Format("02.01.2006"), "Termin instytucji pośredniczącej", "koordynator",
		"⚠ opóźniony", `class="late"`, "Opóźnione: 1")
	// The same re-plan again, from the page read before it: a conflict.
	if r = c.post(replan, url.Values{"version": {"1"}, "planned_from": {today.Format("2006-01-02")}, "reason": {"x"}}); r.status != fiber.StatusConflict {
		t.Fatalf("stale re-plan: %d", r.status)
	}
	// Late shows on the coordinator's home page, not on a staff member's.
	mustContain(t, c.get("/"), "Wymaga uwagi", "Dokumenty zespołu")
	mustNotContain(t, ta.loggedIn(t, "pracownik").get("/"), "Wymaga uwagi")

	// The milestones as a calendar: parsed back, one all-day event.
	ics := c.get(page + "/milestones.ics")
	if ics.status != fiber.StatusOK || !strings.HasPrefix(ics.header.Get("Content-Type"), "text/calendar") {
		t.Fatalf("ics: %d %s", ics.status, ics.header.Get("Content-Type"))
	}
	cal, err := ical.NewDecoder(strings.NewReader(ics.body)).Decode()
	if err != nil {
		t.Fatal(err)
	}
	events := cal.Events()
	if len(events) != 1 || events[0].Props.Get(ical.PropDateTimeStart).Value != earlier.Format("20060102") {
		t.Fatalf("events: %+v", events)
	}
	csv := c.get(page + "/milestones.csv")
	if !strings.Contains(csv.body, "Dokumenty zespołu") || !strings.Contains(csv.body, "Regulamin; Procedura") {
		t.Fatalf("csv:\n%s", csv.body)
	}
	// The printable summary has the timeline with its title and the table.
	pr := c.get(page + "/print")
	mustContain(t, pr, "<svg", "<title", "<desc", "Dokumenty zespołu", "Termin instytucji pośredniczącej")
}

func TestSettledProjectIsReadOnlyUntilAnAdministratorReopensIt(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "koordynator")
	form := projectForm()
	form.Set("status", "settled")
	form.Set("settled_on", "30.09.2019")
	form.Set("retain_until", "31.12.2029")
	page := newProject(t, c, form)
	r := c.get(page)
	mustContain(t, r, "tylko do odczytu")
	mustNotContain(t, r, page+"/edit", "/milestones/new", page+"/reopen")
	if r = c.get(page + "/edit"); r.status != fiber.StatusConflict {
		t.Fatalf("edit a settled project: %d", r.status)
	}
	form.Set("version", "1")
	form.Set("name", "zmiana")
	if r = c.post(page, form); r.status != fiber.StatusConflict {
		t.Fatalf("save a settled project: %d", r.status)
	}
	if r = c.post(page+"/milestones", url.Values{"title": {"x"}, "status": {"planned"}, "planned_from": {"2018-01-01"}}); r.status != fiber.StatusConflict {
		t.Fatalf("add a milestone to a settled project: %d", r.status)
	}
	if r = c.post(page+"/reopen", url.Values{"version": {"1"}, "reason": {"x"}}); r.status != fiber.StatusForbidden {
		t.Fatalf("a coordinator reopened: %d", r.status)
	}
	admin := ta.loggedIn(t, "admin")
	mustContain(t, admin.get(page), page+"/reopen")
	admin.get(page + "/reopen")
	if r = admin.post(page+"/reopen", url.Values{"version": {"1"}, "reason": {" "}}); r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("reopen without a reason: %d", r.status)
	}
	if r = admin.post(page+"/reopen", url.Values{"version": {"1"}, "reason": {"Korekta rozliczenia"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("reopen: %d\n%s", r.status, r.body)
	}
	mustContain(t, c.get(page), "zakończony", "Korekta rozliczenia", page+"/edit")
	// Only a planned project is deleted; this one has run.
	c.get(page + "/delete")
	if r = c.post(page+"/delete", url.Values{"version": {"2"}}); r.status != fiber.StatusConflict {
		t.Fatalf("delete a finished project: %d", r.status)
	}
	mustContain(t, r, "Usunąć można tylko projekt planowany")
}

func TestIndicatorReadingsAndChart(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "koordynator")
	today := ta.st.Today()
	form := projectForm()
	form.Set("from", today.AddDate(0, -6, 0).Format("2006-01-02"))
	form.Set("to", today.AddDate(0, 6, 0).Format("2006-01-02"))
	page := newProject(t, c, form)
	c.get(page + "/indicators/new")
	r := c.post(page+"/indicators", url.Values{"name": {"Osoby objęte superwizją"}, "unit": {"persons"}, "baseline": {"0"}, "target": {"30"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("new indicator: %d\n%s", r.status, r.body)
	}
	ind, _, _ := strings.Cut(r.header.Get("Location"), "?")
	if r = c.post(ind+"/readings", url.Values{"version": {"1"}, "date": {today.AddDate(0, 0, 1).Format("2006-01-02")}, "value": {"5"}}); r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("a reading from tomorrow: %d", r.status)
	}
	mustContain(t, r, "z przyszłości", `value="5"`)
	if r = c.post(ind+"/readings", url.Values{"version": {"1"}, "date": {today.AddDate(0, -1, 0).Format("2006-01-02")}, "value": {"6"}, "comment": {"lista obecności"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("reading: %d\n%s", r.status, r.body)
	}
	p := c.get(ind)
	mustContain(t, p, "<svg", "lista obecności", "poniżej planu", "w tym tempie")
	mustContain(t, c.get(page), "Osoby objęte superwizją", "<progress")
	// Staff read it, and cannot add readings.
	staff := ta.loggedIn(t, "pracownik")
	mustNotContain(t, staff.get(ind), "/readings\"")
	if r = staff.post(ind+"/readings", url.Values{"version": {"2"}, "date": {today.Format("2006-01-02")}, "value": {"7"}}); r.status != fiber.StatusForbidden {
		t.Fatalf("staff added a reading: %d", r.status)
	}
	day := today.AddDate(0, -1, 0).Format("2006-01-02")
	mustContain(t, c.get(ind+"/readings/"+day+"/delete"), "Usunąć ten pomiar?")
	if r = c.post(ind+"/readings/"+day+"/delete", url.Values{"version": {"2"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("drop reading: %d\n%s", r.status, r.body)
	}
	mustContain(t, c.get(ind), "Nie ma jeszcze pomiarów")
}

func TestProjectListFilters(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "pracownik")
	o, _ := ta.st.Org()
	var eu, event *store.Project
	for i := range o.Projects {
		switch o.Projects[i].Kind {
		case store.KindEUProject:
			eu = &o.Projects[i]
		case store.KindEvent:
			event = &o.Projects[i]
		}
	}
	if eu == nil || event == nil {
		t.Fatal("the demo has no EU project or no event")
	}
	r := c.get("/projects?kind=eu")
	mustContain(t, r, eu.Name)
	mustNotContain(t, r, event.Name)
	mustContain(t, c.get("/projects?kind=event&year="+strconv.Itoa(event.From.Year())), event.Name)
	mustContain(t, c.get("/projects?status=settled&year=1999"), "Żaden projekt nie pasuje")
	// Nonsense filters are ignored, never an error.
	if r = c.get("/projects?kind=x&status=%00&year=abc&page=-4"); r.status != fiber.StatusOK {
		t.Fatalf("odd filters: %d", r.status)
	}
	if r = c.get("/projects/new"); r.status != fiber.StatusForbidden {
		t.Fatalf("staff opened the project form: %d", r.status)
	}
}
