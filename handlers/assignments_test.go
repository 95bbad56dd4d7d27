package handlers

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// A coordinator moves a person to another team from a day: the history
// keeps the old post, the structure before that day still counts the
// person in the old team, and the audit log says it was a move.
func TestMovingAPersonKeepsTheirHistory(t *testing.T) {
	ta := newTestApp(t)
	p := addPerson(t, ta) // in Zespół Testowy for a year
	to := findUnit(t, ta, "Zespół Realizacji Świadczeń")
	c := ta.loggedIn(t, "koordynator")
	mustContain(t, c.get(fmt.Sprintf("/staff/%d/move", p.ID)), `name="from"`, "Zespół Testowy", `value="asystent rodziny"`)

	day := ta.st.Today().AddDate(0, 0, -10)
	before := day.AddDate(0, 0, -1).Format("2006-01-02")
	move := url.Values{"version": {fmt.Sprint(p.Version)}, "from": {day.Format("2006-01-02")}, "assignment": {"1"},
		"unit": {fmt.Sprint(to.ID)}, "position": {"referent"}, "category": {""}}
	r := c.post(fmt.Sprintf("/staff/%d/move", p.ID), move)
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("move: %d\n%s", r.status, r.body)
	}
	got, _ := ta.st.Person(p.ID)
	if len(got.Assignments) != 2 || !got.Assignments[0].To.Equal(day.AddDate(0, 0, -1)) || got.Assignments[1].UnitID != to.ID {
		t.Fatalf("after the move: %+v", got.Assignments)
	}
	mustContain(t, c.get(fmt.Sprintf("/staff/%d", p.ID)), "Historia zatrudnienia", "referent", "Zespół Realizacji Świadczeń", "asystent rodziny", "Zespół Testowy")
	old := findUnit(t, ta, "Zespół Testowy")
	mustContain(t, c.get(fmt.Sprintf("/org/units/%d?date=%s", old.ID, before)), "Żółwińska Łucja")
	now := c.get(fmt.Sprintf("/org/units/%d", old.ID))
	mustContain(t, now, "Dawniej w tej komórce (1)")
	mustContain(t, c.get(fmt.Sprintf("/staff?unit=%d", to.ID)), "Żółwińska Łucja")
	mustNotContain(t, c.get(fmt.Sprintf("/staff?unit=%d", old.ID)), "Żółwińska Łucja")

	// The same form again is stale: someone (this very move) saved since.
	r = c.post(fmt.Sprintf("/staff/%d/move", p.ID), move)
	if r.status != fiber.StatusConflict {
		t.Fatalf("stale move: %d", r.status)
	}
	admin := ta.loggedIn(t, "admin")
	mustContain(t, admin.get("/admin/audit?entity=staff"), "przeniesienie")
}

func TestAMoveOnTheFirstDayIsACorrection(t *testing.T) {
	ta := newTestApp(t)
	p := addPerson(t, ta)
	c := ta.loggedIn(t, "koordynator")
	c.get(fmt.Sprintf("/staff/%d/move", p.ID))
	r := c.post(fmt.Sprintf("/staff/%d/move", p.ID), url.Values{"version": {fmt.Sprint(p.Version)}, "assignment": {"1"},
		"from": {p.EmployedFrom.Format("2006-01-02")}, "unit": {"1"}, "position": {"x"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("move on the first day: %d", r.status)
	}
	mustContain(t, r, "popraw go")

	// The correction changes the assignment in place, audited as such.
	c.get(fmt.Sprintf("/staff/%d/assignments/1", p.ID))
	a := p.Assignments[0]
	r = c.post(fmt.Sprintf("/staff/%d/assignments/1", p.ID), url.Values{"version": {fmt.Sprint(p.Version)},
		"from": {a.From.Format("2006-01-02")}, "unit": {fmt.Sprint(a.UnitID)}, "position": {"starszy asystent rodziny"}, "primary": {"1"}, "field_work": {"1"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("correction: %d\n%s", r.status, r.body)
	}
	got, _ := ta.st.Person(p.ID)
	if len(got.Assignments) != 1 || got.Assignments[0].Position != "starszy asystent rodziny" || !got.Assignments[0].FieldWork {
		t.Fatalf("after the correction: %+v", got.Assignments)
	}
	mustContain(t, ta.loggedIn(t, "admin").get("/admin/audit?entity=staff"), "poprawka przydziału")

	// The only assignment cannot be deleted.
	c.get(fmt.Sprintf("/staff/%d/assignments/1/delete", p.ID))
	r = c.post(fmt.Sprintf("/staff/%d/assignments/1/delete", p.ID), url.Values{"version": {fmt.Sprint(got.Version)}})
	if r.status != fiber.StatusConflict {
		t.Fatalf("deleting the last assignment: %d", r.status)
	}
	mustContain(t, r, "jedyny przydział")

	// A second post can be added beside it, and deleted again.
	c.get(fmt.Sprintf("/staff/%d/move?assignment=0", p.ID))
	r = c.post(fmt.Sprintf("/staff/%d/move", p.ID), url.Values{"version": {fmt.Sprint(got.Version)}, "assignment": {"0"},
		"from": {ta.st.Today().Format("2006-01-02")}, "unit": {"1"}, "position": {"psycholog"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("second post: %d\n%s", r.status, r.body)
	}
	got, _ = ta.st.Person(p.ID)
	if len(got.AssignmentsOn(ta.st.Today())) != 2 {
		t.Fatalf("two posts today: %+v", got.Assignments)
	}
	r = c.post(fmt.Sprintf("/staff/%d/assignments/2/delete", p.ID), url.Values{"version": {fmt.Sprint(got.Version)}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("deleting the second post: %d\n%s", r.status, r.body)
	}
}

func TestJobCategoriesAndCounts(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	list := admin.get("/admin/categories")
	mustContain(t, list, "pracownik socjalny", "asystent rodziny")

	admin.get("/admin/categories/new")
	r := admin.post("/admin/categories", url.Values{"name": {"Pracownik Socjalny"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("duplicate category: %d", r.status)
	}
	mustContain(t, r, "już istnieje")
	r = admin.post("/admin/categories", url.Values{"name": {"terapeuta"}, "field_work": {"1"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("new category: %d\n%s", r.status, r.body)
	}

	// A category in use cannot be deleted.
	var social *store.JobCategory
	d, _ := ta.st.Org()
	for i := range d.Categories {
		if d.Categories[i].Name == "pracownik socjalny" {
			social = &d.Categories[i]
		}
	}
	admin.get(fmt.Sprintf("/admin/categories/%d/delete", social.ID))
	r = admin.post(fmt.Sprintf("/admin/categories/%d/delete", social.ID), url.Values{"version": {fmt.Sprint(social.Version)}})
	if r.status != fiber.StatusConflict {
		t.Fatalf("deleting a category in use: %d", r.status)
	}
	mustContain(t, r, "archiwalną")

	// The structure counts people by category, as of a day.
	org := admin.get("/org")
	mustContain(t, org, "Zatrudnieni według kategorii", "pracownik socjalny")
	tree := d.Tree(ta.st.Today())
	for _, cc := range tree.Categories {
		if cc.Name == "pracownik socjalny" && !strings.Contains(org.body, fmt.Sprintf(`data-label="Osób">%d<`, cc.People)) {
			t.Fatalf("the page does not show %d social workers", cc.People)
		}
	}
	// Only administrators keep the list.
	if r := ta.loggedIn(t, "koordynator").get("/admin/categories"); r.status != fiber.StatusForbidden {
		t.Fatalf("coordinator on the categories: %d", r.status)
	}
}

// A move says which assignment ends; without a readable answer nothing is
// saved, rather than a second post appearing.
func TestAMoveMustSayWhichAssignmentEnds(t *testing.T) {
	ta := newTestApp(t)
	p := addPerson(t, ta)
	c := ta.loggedIn(t, "koordynator")
	c.get(fmt.Sprintf("/staff/%d/move", p.ID))
	for _, choice := range []url.Values{{}, {"assignment": {"x1"}}} {
		form := url.Values{"version": {fmt.Sprint(p.Version)}, "from": {ta.st.Today().Format("2006-01-02")}, "unit": {"1"}, "position": {"x"}}
		for k, v := range choice {
			form[k] = v
		}
		r := c.post(fmt.Sprintf("/staff/%d/move", p.ID), form)
		if r.status != fiber.StatusUnprocessableEntity {
			t.Fatalf("move with %v: %d", choice, r.status)
		}
	}
	if got, _ := ta.st.Person(p.ID); len(got.Assignments) != 1 {
		t.Fatalf("a move without a clear choice saved: %+v", got.Assignments)
	}
}

// phoneTable is the phone list's table of the unit called name, "" if
// the list has none.
func phoneTable(body, name string) string {
	var out []string
	for _, table := range strings.Split(body, `<table class="table compact phones">`)[1:] {
		table, _, _ = strings.Cut(table, "</table>")
		if strings.Contains(table, `<span class="unit-title">`+name+`</span>`) {
			out = append(out, table)
		}
	}
	return strings.Join(out, "\n")
}

// treeCount is the head count the tree on /org shows beside a unit (0
// when it shows none).
func treeCount(t *testing.T, r response, unit uint64) int {
	t.Helper()
	_, line, ok := strings.Cut(r.body, fmt.Sprintf(`href="/org/units/%d?date=`, unit))
	if !ok {
		t.Fatalf("the tree lacks unit %d:\n%s", unit, r.body)
	}
	line, _, _ = strings.Cut(line, "</div>")
	_, count, ok := strings.Cut(line, `<span class="count">· `)
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(strings.Fields(count)[0])
	if err != nil {
		t.Fatalf("count %q: %v", count, err)
	}
	return n
}

// categoryCounts is the count of people and of field workers the unit page
// shows for a job category, zeros when it has no row for it.
func categoryCounts(t *testing.T, r response, name string) (people, field int) {
	t.Helper()
	re := regexp.MustCompile(`<th scope="row">` + regexp.QuoteMeta(name) + `</th><td class="num" data-label="Osób">(\d+)</td><td class="num" data-label="W tym w terenie">(\d+)</td>`)
	m := re.FindStringSubmatch(r.body)
	if m == nil {
		return 0, 0
	}
	people, _ = strconv.Atoi(m[1])
	field, _ = strconv.Atoi(m[2])
	return people, field
}

// A move shows on the pages of its day: the move form starts on today;
// after it, the phone list has the person in the new unit only, the tree
// as of a day before the move counts them in the old unit and as of the
// move's day in the new one, and the unit's page counts them by job
// category from that day.
func TestAMoveShowsOnThePagesOfItsDay(t *testing.T) {
	ta := newTestApp(t)
	p := addPerson(t, ta) // in Zespół Testowy for a year
	old := findUnit(t, ta, "Zespół Testowy")
	to := findUnit(t, ta, "Zespół Realizacji Świadczeń")
	d, _ := ta.st.Org()
	var social *store.JobCategory
	for i := range d.Categories {
		if d.Categories[i].Name == "pracownik socjalny" {
			social = &d.Categories[i]
		}
	}
	if social == nil || !social.FieldWork {
		t.Fatalf("the demo's social workers: %+v", social)
	}
	c := ta.loggedIn(t, "koordynator")
	today := ta.st.Today()
	form := c.get(fmt.Sprintf("/staff/%d/move", p.ID))
	if !regexp.MustCompile(`<input[^>]* name="from" type="date" value="` + today.Format("2006-01-02") + `"`).MatchString(form.body) {
		t.Fatalf("the move form does not start on today:\n%s", form.body)
	}

	day := today.AddDate(0, 0, -10)
	before, on := day.AddDate(0, 0, -1).Format("2006-01-02"), day.Format("2006-01-02")
	phones := c.get("/staff/phones") // kept until the data changes
	if !strings.Contains(phoneTable(phones.body, "Zespół Testowy"), "Żółwińska Łucja") {
		t.Fatalf("before the move the phone list lacks her in her team:\n%s", phones.body)
	}
	unitBefore := c.get(fmt.Sprintf("/org/units/%d?date=%s", to.ID, before))
	people, field := categoryCounts(t, unitBefore, social.Name)

	r := c.post(fmt.Sprintf("/staff/%d/move", p.ID), url.Values{"version": {fmt.Sprint(p.Version)}, "from": {on}, "assignment": {"1"},
		"unit": {fmt.Sprint(to.ID)}, "position": {"pracownik socjalny"}, "category": {fmt.Sprint(social.ID)}, "field_work": {""}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("move: %d\n%s", r.status, r.body)
	}

	phones = c.get("/staff/phones")
	if !strings.Contains(phoneTable(phones.body, "Zespół Realizacji Świadczeń"), "Żółwińska Łucja") {
		t.Fatalf("the phone list lacks her in the new team:\n%s", phones.body)
	}
	if strings.Contains(phoneTable(phones.body, "Zespół Testowy"), "Żółwińska Łucja") {
		t.Fatal("the phone list still has her in the old team")
	}

	treeBefore, treeOn := c.get("/org?date="+before), c.get("/org?date="+on)
	if n := treeCount(t, treeBefore, old.ID); n != 1 {
		t.Errorf("the tree of %s counts %d in her old team, want 1", before, n)
	}
	if n := treeCount(t, treeOn, old.ID); n != 0 {
		t.Errorf("the tree of %s counts %d in her old team, want 0", on, n)
	}
	if a, b := treeCount(t, treeBefore, to.ID), treeCount(t, treeOn, to.ID); b != a+1 {
		t.Errorf("the new team counts %d on %s and %d on %s: one more is her", a, before, b, on)
	}
	// The tree's totals are the store's, day by day.
	for _, x := range []struct {
		r   response
		day string
	}{{treeBefore, before}, {treeOn, on}} {
		d, _ := ta.st.Org()
		tree := d.Tree(store.Day(mustDay(t, x.day)))
		for _, id := range []uint64{old.ID, to.ID} {
			if got, want := treeCount(t, x.r, id), tree.Node[id].Total; got != want {
				t.Errorf("on %s the tree shows %d in unit %d, the store counts %d", x.day, got, id, want)
			}
		}
	}

	unitOn := c.get(fmt.Sprintf("/org/units/%d?date=%s", to.ID, on))
	mustContain(t, unitOn, "Zatrudnieni według kategorii", "Żółwińska Łucja")
	if p2, f2 := categoryCounts(t, unitOn, social.Name); p2 != people+1 || f2 != field+1 {
		t.Errorf("social workers in the new team: %d (%d in the field) on %s, %d (%d) the day before", p2, f2, on, people, field)
	}
	d, _ = ta.st.Org()
	for _, cc := range d.Tree(day).Node[to.ID].Categories {
		name := cc.Name
		if name == "" {
			name = "— bez kategorii —"
		}
		if p, f := categoryCounts(t, unitOn, name); p != cc.People || f != cc.Field {
			t.Errorf("%s: the unit page shows %d/%d, the store counts %d/%d", name, p, f, cc.People, cc.Field)
		}
	}
	mustContain(t, c.get(fmt.Sprintf("/org/units/%d?date=%s", old.ID, on)), `<h2 id="unit-people">Pracownicy (0)</h2>`, "Dawniej w tej komórce (1)")
	mustContain(t, c.get(fmt.Sprintf("/org/units/%d?date=%s", old.ID, before)), `<h2 id="unit-people">Pracownicy (1)</h2>`)
}

func mustDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse("2006-01-02", s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// The rule of the primary post over HTTP: a correction that would leave a
// day of work without a primary assignment is refused with the reason,
// and marking another post primary takes the mark over in one step.
func TestACorrectionKeepsAPrimaryPost(t *testing.T) {
	ta := newTestApp(t)
	p := addPerson(t, ta)
	c := ta.loggedIn(t, "koordynator")
	path := fmt.Sprintf("/staff/%d/assignments/1", p.ID)
	mustContain(t, c.get(path), "zdejmuje to oznaczenie z innych przydziałów")
	a := p.Assignments[0]
	fields := func(version int, a store.Assignment, primary bool) url.Values {
		v := url.Values{"version": {fmt.Sprint(version)}, "from": {a.From.Format("2006-01-02")}, "unit": {fmt.Sprint(a.UnitID)}, "position": {a.Position}}
		if primary {
			v.Set("primary", "1")
		}
		return v
	}
	r := c.post(path, fields(p.Version, a, false))
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("the only post unmarked: %d\n%s", r.status, r.body)
	}
	mustContain(t, r, "Każdego dnia pracy jeden z przydziałów osoby musi być główny")
	if got, _ := ta.st.Person(p.ID); !got.Assignments[0].Primary || got.Version != p.Version {
		t.Fatalf("saved after a refusal: %+v", got)
	}

	// A second post over the same days, then marked primary instead.
	c.get(fmt.Sprintf("/staff/%d/move?assignment=0", p.ID))
	r = c.post(fmt.Sprintf("/staff/%d/move", p.ID), url.Values{"version": {fmt.Sprint(p.Version)}, "assignment": {"0"},
		"from": {a.From.Format("2006-01-02")}, "unit": {"1"}, "position": {"psycholog"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("second post: %d\n%s", r.status, r.body)
	}
	got, _ := ta.st.Person(p.ID)
	second, _ := got.Assignment(2)
	c.get(fmt.Sprintf("/staff/%d/assignments/2", p.ID))
	r = c.post(fmt.Sprintf("/staff/%d/assignments/2", p.ID), fields(got.Version, *second, true))
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("the second post marked primary: %d\n%s", r.status, r.body)
	}
	got, _ = ta.st.Person(p.ID)
	first, _ := got.Assignment(1)
	second, _ = got.Assignment(2)
	if first.Primary || !second.Primary {
		t.Fatalf("after marking the second post primary: %+v", got.Assignments)
	}
	if pr, ok := got.PrimaryOn(ta.st.Today()); !ok || pr.ID != 2 {
		t.Fatalf("the primary post today: %+v", pr)
	}
}
