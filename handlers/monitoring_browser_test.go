package handlers

import (
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"intranet/views"
)

// The monitoring specialist in a real browser writes a note about a team
// with an overdue action, finds it in this month's cell of the status
// matrix, follows the cell to the note, and prints the period report,
// which names the note and the action; the team's head answers it, and a
// staff member finds no trace of it.
// With JavaScript and without.
func TestJourneyMonitoring(t *testing.T) {
	for _, js := range []bool{true, false} {
		journeyMonitoring(t, js)
	}
}

func journeyMonitoring(t *testing.T, js bool) {
	needPdftotext(t)
	ta := newTestApp(t)
	base := ta.serve(t)
	team := demoUnit(t, ta, "Zespół ds. Pracy Socjalnej")
	today := ta.st.Today()
	j := newJourney(t, "monitoring", js)
	run := j.run
	run("sign in as the monitoring specialist", signInAs(base, "monitoring"))
	run("write the note", chromedp.Navigate(base+"/monitoring/notes/new"), chromedp.WaitVisible(`#title`, chromedp.ByID),
		chromedp.SendKeys(`#title`, "Praca socjalna: dyżury w grudniu", chromedp.ByID),
		chromedp.SetValue(`#date`, views.ISODate(today), chromedp.ByID),
		chromedp.SetValue(`#units`, strconv.FormatUint(team, 10), chromedp.ByID),
		chromedp.Click(`#assessment-off_track`, chromedp.ByID),
		chromedp.SendKeys(`#body`, "Brak **zastępstw** w dwóch rejonach.", chromedp.ByID),
		chromedp.Click(`form[action="/monitoring/notes"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#actions-h`, chromedp.ByID))
	var location string
	run("add an overdue action", chromedp.Location(&location),
		chromedp.SendKeys(`#what`, "Zastępstwa w rejonach do ustalenia", chromedp.ByID),
		chromedp.SetValue(`#due`, views.ISODate(today.AddDate(0, 0, -1)), chromedp.ByID),
		chromedp.SetValue(`#owner_unit`, strconv.FormatUint(team, 10), chromedp.ByID),
		chromedp.Click(`form[action$="/actions"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`tr.overdue`, chromedp.ByQuery))
	notePath := strings.TrimPrefix(strings.SplitN(location, "?", 2)[0], base)
	if !strings.HasPrefix(notePath, "/monitoring/notes/") {
		t.Fatalf("the note was not saved: at %s", location)
	}

	// This month's cell of the team's row is the note's assessment, and
	// it leads to the note.
	cell := `//tr[th/a[@href="/monitoring/units/` + strconv.FormatUint(team, 10) + `"]]/td[last()]//a`
	var cellText, href string
	var ok bool
	run("find it in the matrix", chromedp.Navigate(base+"/monitoring/matrix"), chromedp.WaitVisible(`table.matrix`, chromedp.ByQuery),
		chromedp.Text(cell, &cellText, chromedp.BySearch), chromedp.AttributeValue(cell, "href", &href, &ok, chromedp.BySearch))
	if !strings.Contains(cellText, "✖") || !strings.Contains(cellText, "niezgodnie z planem") || href != notePath {
		t.Fatalf("the team's cell this month: %q → %q, want ✖ and %s", cellText, href, notePath)
	}
	run("follow the cell", chromedp.Click(cell, chromedp.BySearch), chromedp.WaitVisible(`#actions-h`, chromedp.ByID), chromedp.Location(&location))
	if !strings.HasSuffix(location, notePath) {
		t.Fatalf("the cell led to %s", location)
	}

	printDocument(t, j.ctx, base+"/monitoring/report", "#summary-h").check(t, j.name+" period report", "Raport z monitoringu",
		[]string{"Praca socjalna: dyżury w grudniu", "Zastępstwa w rejonach do ustalenia", "⚠ po terminie"})

	// The team's head answers the note; a staff member finds no trace of it.
	var thread string
	run("sign out", chromedp.Click(`form[action="/logout"] button`, chromedp.ByQuery), chromedp.WaitVisible(`#login`, chromedp.ByID))
	run("the head answers", signInAs(base, "kierownik"), chromedp.Navigate(base+notePath), chromedp.WaitVisible(`#text`, chromedp.ByID),
		chromedp.SendKeys(`#text`, "Zastępstwa ustalimy w tym tygodniu.", chromedp.ByID),
		chromedp.Click(`form[action$="/replies"] button[type="submit"]:not([name])`, chromedp.ByQuery),
		chromedp.WaitVisible(`ul.history`, chromedp.ByQuery), chromedp.Text(`ul.history`, &thread, chromedp.ByQuery))
	if !strings.Contains(thread, "Zastępstwa ustalimy w tym tygodniu.") {
		t.Fatalf("the thread after the head's answer: %q", thread)
	}
	var menu, page string
	run("sign out again", chromedp.Click(`form[action="/logout"] button`, chromedp.ByQuery), chromedp.WaitVisible(`#login`, chromedp.ByID))
	run("a staff member looks", signInAs(base, "pracownik"), chromedp.Text(`#site-nav`, &menu, chromedp.ByID),
		chromedp.Navigate(base+"/monitoring?q=dyzury"), chromedp.Text(`#main`, &page, chromedp.ByID))
	if strings.Contains(menu, "Monitoring") || strings.Contains(page, "dyżury w grudniu") || !strings.Contains(page, "Brak dostępu") {
		t.Fatalf("a staff member sees monitoring: menu %q, page %q", menu, page)
	}
	// The 403 page is the answer asked for, not a problem of the page.
	var rest []string
	for _, p := range j.problems() {
		if !strings.Contains(p, "status of 403") {
			rest = append(rest, p)
		}
	}
	if len(rest) > 0 {
		t.Fatalf("browser problems: %v", rest)
	}
}
