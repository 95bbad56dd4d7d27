package handlers

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

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
