package handlers

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// demoUnit is the ID of the demo's unit named so in 2018, when the demo's
// checklists were filled in.
func demoUnit(t *testing.T, ta *testApp, name string) uint64 {
	t.Helper()
	o, err := ta.st.Org()
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range o.Units {
		if st, ok := u.At(time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC)); ok && st.Name == name {
			return u.ID
		}
	}
	t.Fatalf("no unit %q", name)
	return 0
}

// demoResultOf is the ID of a demo result for the unit.
func demoResultOf(t *testing.T, ta *testApp, unit uint64) uint64 {
	t.Helper()
	list, err := ta.st.ResultsOfUnit(unit)
	if err != nil || len(list) == 0 {
		t.Fatalf("no demo result for unit %d: %v", unit, err)
	}
	return list[0].ID
}

// Who sees checklists: the specialist, coordinators and administrators
// all of them; the head of the social work team the results of the team
// and the checklist they use; a staff member nothing — no link, no list,
// no result.
func TestChecklistsAreSeenOnlyByThoseWhoMay(t *testing.T) {
	ta := newTestApp(t)
	social := demoUnit(t, ta, "Zespół ds. Pracy Socjalnej")
	first := demoUnit(t, ta, "Stanowisko ds. Pierwszego Kontaktu")
	services := demoUnit(t, ta, "Zespół ds. Usług")
	mine, theirs, ynp := demoResultOf(t, ta, social), demoResultOf(t, ta, first), demoResultOf(t, ta, services)
	mineR, _ := ta.st.ChecklistResult(mine)
	ynpR, _ := ta.st.ChecklistResult(ynp)
	path := func(id uint64) string { return "/monitoring/checklists/results/" + strconv.FormatUint(id, 10) }
	listOf := func(id uint64) string { return "/monitoring/checklists/" + strconv.FormatUint(id, 10) }

	for _, login := range []string{"monitoring", "koordynator", "admin"} {
		c := ta.loggedIn(t, login)
		r := c.get("/monitoring/checklists")
		if r.status != fiber.StatusOK {
			t.Fatalf("%s: list %d", login, r.status)
		}
		mustContain(t, r, "Wdrożenie nowej struktury w zespole", "Zgodność z regulaminem organizacyjnym", "8 pytań", "4 wyniki")
		r = c.get(path(theirs))
		if r.status != fiber.StatusOK {
			t.Fatalf("%s: result %d", login, r.status)
		}
		mustContain(t, r, "Wdrożenie nowej struktury w zespole", "Stanowisko ds. Pierwszego Kontaktu", "3 — trudno powiedzieć")
		mustContain(t, c.get(path(ynp)), "częściowo", "Zespół ds. Usług")
		mustContain(t, c.get(listOf(ynpR.ChecklistID)), "Zespół ds. Usług", "Zespół ds. Świadczeń Przyznawanych Decyzją")
	}

	head := ta.loggedIn(t, "kierownik")
	r := head.get("/monitoring/checklists")
	if r.status != fiber.StatusOK {
		t.Fatalf("the head's list: %d", r.status)
	}
	mustContain(t, r, "Wdrożenie nowej struktury w zespole", "2 wyniki")
	mustNotContain(t, r, "Zgodność z regulaminem organizacyjnym", "/monitoring/checklists/new")
	if r := head.get(path(mine)); r.status != fiber.StatusOK {
		t.Fatalf("the head reads their team's result: %d", r.status)
	} else {
		mustContain(t, r, "Zespół ds. Pracy Socjalnej")
		mustNotContain(t, r, "checklists.", "/delete")
	}
	r = head.get(listOf(mineR.ChecklistID))
	if r.status != fiber.StatusOK {
		t.Fatalf("the head reads the checklist their team's results use: %d", r.status)
	}
	mustContain(t, r, "Zespół ds. Pracy Socjalnej")
	mustNotContain(t, r, "Stanowisko ds. Pierwszego Kontaktu", "/fill")
	for _, p := range []string{path(theirs), path(ynp), listOf(ynpR.ChecklistID), listOf(mineR.ChecklistID) + "/fill",
		"/monitoring/checklists/new", path(mine) + "/delete"} {
		if r := head.get(p); r.status != fiber.StatusForbidden {
			t.Errorf("the head at %s: %d", p, r.status)
		}
	}

	staff := ta.loggedIn(t, "pracownik")
	home := staff.get("/")
	mustNotContain(t, home, "/monitoring", "Listy kontrolne")
	for _, p := range []string{"/monitoring/checklists", path(mine), path(theirs), listOf(mineR.ChecklistID), "/monitoring/checklists/new",
		listOf(mineR.ChecklistID) + "/fill", listOf(mineR.ChecklistID) + "/edit"} {
		if r := staff.get(p); r.status != fiber.StatusForbidden || strings.Contains(r.body, "Wdrożenie") {
			t.Errorf("staff at %s: %d", p, r.status)
		}
	}
}

// checklistForm is the form of a new checklist.
func checklistForm(title, scale string, questions ...string) url.Values {
	return url.Values{"title": {title}, "scale": {scale}, "questions": {strings.Join(questions, "\n")}, "description": {"Opis testowy"}}
}

// idFrom reads the record's ID from the address a save redirects to.
func idFrom(t *testing.T, r response, prefix string) uint64 {
	t.Helper()
	loc := strings.SplitN(r.header.Get("Location"), "?", 2)[0]
	if r.status != fiber.StatusSeeOther || !strings.HasPrefix(loc, prefix) {
		t.Fatalf("save: %d to %q\n%s", r.status, loc, r.body)
	}
	id, err := strconv.ParseUint(strings.TrimPrefix(loc, prefix), 10, 64)
	if err != nil {
		t.Fatalf("save went to %q", loc)
	}
	return id
}

// The specialist writes a checklist one question per line, fills it in
// for a team, and edits it later: the result keeps what was asked.
func TestWritingAndFillingAChecklist(t *testing.T) {
	ta := newTestApp(t)
	team := strconv.FormatUint(demoUnit(t, ta, "Zespół ds. Pracy Socjalnej"), 10)
	today := ta.st.Today()
	c := ta.loggedIn(t, "monitoring")
	mustContain(t, c.get("/monitoring/checklists"), `href="/monitoring/checklists/new"`)
	if r := c.get("/monitoring/checklists/new"); r.status != fiber.StatusOK {
		t.Fatalf("the form: %d", r.status)
	}

	// What the form refuses comes back with the message and what was typed.
	for _, tc := range []struct {
		name string
		form url.Values
		want string
	}{
		{"no questions", checklistForm("Lista bez pytań", "five", "", "  "), "Wpisz co najmniej jedno pytanie"},
		{"too many questions", checklistForm("Lista za długa", "five", strings.Split(strings.Repeat("Pytanie\n", store.MaxChecklistQuestions+1), "\n")...),
			"Za dużo pozycji (najwyżej 30)"},
		{"no scale", checklistForm("Lista bez skali", "", "Pytanie"), "Nieprawidłowa wartość."},
	} {
		r := c.post("/monitoring/checklists", tc.form)
		if r.status != fiber.StatusUnprocessableEntity {
			t.Fatalf("%s: %d", tc.name, r.status)
		}
		mustContain(t, r, tc.want, tc.form.Get("title"))
	}

	r := c.post("/monitoring/checklists", checklistForm("Obsługa klienta po zmianie", "five", "Klient wie, dokąd iść.", "", "  Procedury są stosowane. ", "Dokumenty krążą sprawnie."))
	id := idFrom(t, r, "/monitoring/checklists/")
	list := "/monitoring/checklists/" + strconv.FormatUint(id, 10)
	mustContain(t, c.get(list), "Obsługa klienta po zmianie", "<li>Procedury są stosowane.</li>", "3 pytania", "Lista nie była jeszcze wypełniana.")

	// Filling it in: the unit chosen in the address, the answers in words.
	fill := c.get(list + "/fill?unit=" + team)
	if fill.status != fiber.StatusOK {
		t.Fatalf("the fill form: %d", fill.status)
	}
	mustContain(t, fill, `<option value="`+team+`" selected>`, "1 — zdecydowanie nie", "brak odpowiedzi", "Klient wie, dokąd iść.")
	answers := url.Values{"version": {"1"}, "unit": {team}, "date": {today.AddDate(0, 0, -1).Format(time.DateOnly)},
		"a1": {"5"}, "a2": {"2"}, "a3": {"0"}, "comment": {"Wnioski omówione z zespołem."}}
	result := idFrom(t, c.post(list+"/fill", answers), "/monitoring/checklists/results/")
	resultPath := "/monitoring/checklists/results/" + strconv.FormatUint(result, 10)
	mustContain(t, c.get(resultPath), "5 — zdecydowanie tak", "2 — raczej nie", "brak odpowiedzi", "Wnioski omówione z zespołem.",
		"Zespół ds. Pracy Socjalnej", "2 z 3", "Klient wie, dokąd iść.")
	mustContain(t, c.get(list), resultPath, "1 wynik", "<td data-label=\"Wypełnia\">monitoring</td>")

	// An answer out of scale, a day to come, no unit: 422, answers kept.
	for _, tc := range []struct {
		name, field, value, want string
	}{
		{"an answer out of scale", "a1", "7", "Odpowiedź spoza skali tej listy."},
		{"not a number", "a1", "dużo", "Odpowiedź spoza skali tej listy."},
		{"tomorrow", "date", today.AddDate(0, 0, 1).Format(time.DateOnly), "Data nie może być z przyszłości."},
		{"no unit", "unit", "", "Wybierz komórkę."},
		{"before the team existed", "date", "2001-01-01", "Ta komórka jeszcze nie istniała w tym dniu."},
	} {
		bad := url.Values{}
		for k, v := range answers {
			bad[k] = v
		}
		bad.Set(tc.field, tc.value)
		r := c.post(list+"/fill", bad)
		if r.status != fiber.StatusUnprocessableEntity {
			t.Fatalf("%s: %d\n%s", tc.name, r.status, r.body)
		}
		mustContain(t, r, tc.want, `id="a2-2" name="a2" value="2" checked`, "Wnioski omówione z zespołem.")
	}

	// An edit of the questions leaves the result as it was answered.
	edit := checklistForm("Obsługa klienta po zmianie", "five", "Klient zna swojego pracownika.", "Procedury są stosowane.")
	edit.Set("version", "1")
	if r := c.post(list, edit); r.status != fiber.StatusSeeOther {
		t.Fatalf("edit: %d\n%s", r.status, r.body)
	}
	mustContain(t, c.get(list), "Klient zna swojego pracownika.")
	mustContain(t, c.get(resultPath), "Klient wie, dokąd iść.", "Dokumenty krążą sprawnie.", "5 — zdecydowanie tak")
	mustNotContain(t, c.get(resultPath), "Klient zna swojego pracownika.")

	// The form of version 1 again: someone changed it meanwhile.
	if r := c.post(list, edit); r.status != fiber.StatusConflict {
		t.Fatalf("a stale edit: %d", r.status)
	} else {
		mustContain(t, r, "Ktoś zmienił ten rekord w międzyczasie", `name="version" value="2"`)
	}
	// Answers to the old questions are not taken for the new ones.
	if r := c.post(list+"/fill", answers); r.status != fiber.StatusConflict {
		t.Fatalf("a fill of the old questions: %d", r.status)
	} else {
		mustContain(t, r, "Klient zna swojego pracownika.", `name="version" value="2"`)
	}

	// A checklist that was filled in stays; once its result is gone it may go.
	mustNotContain(t, c.get(list), list+"/delete")
	c.get(list + "/delete")
	if r := c.post(list+"/delete", url.Values{"version": {"2"}}); r.status != fiber.StatusConflict {
		t.Fatalf("deleting a used checklist: %d", r.status)
	} else {
		mustContain(t, r, "była już wypełniana")
	}
	if r := c.get(resultPath + "/delete"); r.status != fiber.StatusOK {
		t.Fatalf("the question before deleting a result: %d", r.status)
	}
	if r := c.post(resultPath+"/delete", url.Values{"version": {"1"}}); r.status != fiber.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), list+"?") {
		t.Fatalf("deleting the result: %d %q", r.status, r.header.Get("Location"))
	}
	if r := c.get(resultPath); r.status != fiber.StatusNotFound {
		t.Fatalf("the deleted result: %d", r.status)
	}
	if r := c.post(list+"/delete", url.Values{"version": {"2"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("deleting the unused checklist: %d\n%s", r.status, r.body)
	}
	// A coordinator reads but does not write.
	co := ta.loggedIn(t, "koordynator")
	if r := co.post("/monitoring/checklists", checklistForm("Nie wolno", "five", "Pytanie")); r.status != fiber.StatusForbidden {
		t.Fatalf("a coordinator wrote a checklist: %d", r.status)
	}
	if problems, err := ta.st.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %q", err, problems)
	}
}

// Two fills for one unit make one grid with two columns in date order.
func TestChecklistGridOfAUnit(t *testing.T) {
	ta := newTestApp(t)
	unit := demoUnit(t, ta, "Zespół Asystentów Rodziny") // no demo results
	c := ta.loggedIn(t, "monitoring")
	c.get("/monitoring/checklists/new")
	id := idFrom(t, c.post("/monitoring/checklists", checklistForm("Zgodność w zespole", "ynp", "Zakresy czynności aktualne.", "Zastępstwa wyznaczone.")),
		"/monitoring/checklists/")
	list := "/monitoring/checklists/" + strconv.FormatUint(id, 10)
	today := ta.st.Today()
	for _, day := range []time.Time{today.AddDate(0, 0, -3), today.AddDate(0, -6, 0)} { // the later day first
		c.get(list + "/fill")
		r := c.post(list+"/fill", url.Values{"version": {"1"}, "unit": {strconv.FormatUint(unit, 10)}, "date": {day.Format(time.DateOnly)},
			"a1": {"3"}, "a2": {strconv.Itoa(1 + day.Day()%2)}})
		idFrom(t, r, "/monitoring/checklists/results/")
	}
	grids, err := (&Server{st: ta.st}).checklistGrids(unit)
	if err != nil || len(grids) != 1 {
		t.Fatalf("%v: %d grids", err, len(grids))
	}
	g := grids[0]
	if g.ID != id || g.Title != "Zgodność w zespole" || len(g.Dates) != 2 || !g.Dates[0].Day.Before(g.Dates[1].Day) || len(g.Rows) != 2 {
		t.Fatalf("grid %+v", g)
	}
	if cell := g.Rows[0].Cells[1]; !cell.Asked || cell.Text != "checklist_short.ynp.3" || cell.Class != "assessment-on_track" {
		t.Fatalf("cell %+v", cell)
	}
	// The newest result shows the grid over time, a word in every cell.
	r := c.get(g.Dates[1].Href)
	mustContain(t, r, "Ta lista w tej komórce w czasie", `<caption><a href="`+list+`">Zgodność w zespole</a></caption>`, `<span class="assessment assessment-on_track">tak</span>`)
	if grids, _ := (&Server{st: ta.st}).checklistGrids(demoUnit(t, ta, "Zespół ds. Pracy Socjalnej")); len(grids) != 1 || len(grids[0].Dates) != 2 {
		t.Fatalf("the demo's social work team: %+v", grids)
	}
}

// Questions are matched by position when they read the same; a question
// reworded or dropped since has its own row, never the newest's.
func TestBuildGridMatchesQuestions(t *testing.T) {
	day := func(m time.Month) time.Time { return time.Date(2018, m, 1, 0, 0, 0, 0, time.UTC) }
	results := []store.ChecklistResult{
		{Meta: store.Meta{ID: 1}, Date: day(3), Scale: store.ScaleFive, Questions: []string{"A", "B", "C"}, Answers: []int{1, 2, 3}},
		{Meta: store.Meta{ID: 2}, Date: day(6), Scale: store.ScaleFive, Questions: []string{"A", "B2", "C"}, Answers: []int{2, 3, 0}},
		{Meta: store.Meta{ID: 3}, Date: day(9), Scale: store.ScaleFive, Questions: []string{"A", "B2"}, Answers: []int{5, 4}},
	}
	g := buildGrid(results)
	type row struct {
		q       string
		earlier bool
		texts   [3]string
	}
	want := []row{
		{"A", false, [3]string{"checklist_short.five.1", "checklist_short.five.2", "checklist_short.five.5"}},
		{"B2", false, [3]string{"", "checklist_short.five.3", "checklist_short.five.4"}},
		{"B", true, [3]string{"checklist_short.five.2", "", ""}},
		{"C", true, [3]string{"checklist_short.five.3", "checklist_short.none", ""}},
	}
	if len(g.Rows) != len(want) || len(g.Dates) != 3 || g.Dates[2].ResultID != 3 {
		t.Fatalf("%d rows, %d columns", len(g.Rows), len(g.Dates))
	}
	for i, w := range want {
		got := g.Rows[i]
		if got.Question != w.q || got.Earlier != w.earlier {
			t.Errorf("row %d: %q (earlier %v), want %q", i, got.Question, got.Earlier, w.q)
		}
		for col, text := range w.texts {
			if cell := got.Cells[col]; cell.Text != text || cell.Asked != (text != "") || !cell.Day.Equal(results[col].Date) {
				t.Errorf("row %q, column %d: %+v, want %q", w.q, col, cell, text)
			}
		}
	}
	many := make([]store.ChecklistResult, gridColumns+3)
	for i := range many {
		many[i] = store.ChecklistResult{Meta: store.Meta{ID: uint64(i + 1)}, Date: day(1).AddDate(0, 0, i), Scale: store.ScaleYesPartlyNo,
			Questions: []string{"X"}, Answers: []int{3}}
	}
	if g := buildGrid(many); len(g.Dates) != gridColumns || g.Dates[0].ResultID != 4 || len(g.Rows) != 1 {
		t.Fatalf("the newest %d of %d: %+v", gridColumns, len(many), g.Dates)
	}
}
