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
// which names the note and the action.
func TestBrowserNoteInTheMatrix(t *testing.T) {
	needPdftotext(t)
	ta := newTestApp(t)
	base := ta.serve(t)
	team := demoUnit(t, ta, "Stanowisko ds. Pierwszego Kontaktu")
	today := ta.st.Today()
	ctx, problems := browser(t)
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			screenshot(t, ctx, "note-in-matrix-failed")
			t.Fatalf("%s: %v (browser problems: %v)", step, err, problems())
		}
	}
	run("sign in as the monitoring specialist", signInAs(base, "monitoring"))
	run("write the note", chromedp.Navigate(base+"/monitoring/notes/new"), chromedp.WaitVisible(`#title`, chromedp.ByID),
		chromedp.SendKeys(`#title`, "Pierwszy kontakt: dyżury w grudniu", chromedp.ByID),
		chromedp.SetValue(`#date`, views.ISODate(today), chromedp.ByID),
		chromedp.SetValue(`#units`, strconv.FormatUint(team, 10), chromedp.ByID),
		chromedp.Click(`#assessment-off_track`, chromedp.ByID),
		chromedp.SendKeys(`#body`, "Brak **zastępstw** w dwóch rejonach.", chromedp.ByID),
		chromedp.Click(`form[action="/monitoring/notes"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#actions-h`, chromedp.ByID))
	var location string
	run("add an overdue action", chromedp.Location(&location),
		chromedp.SendKeys(`#what`, "Ustalić zastępstwa na stanowisku", chromedp.ByID),
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

	var pdf []byte
	run("print the period report", chromedp.Navigate(base+"/monitoring/report"), chromedp.WaitVisible(`#summary-h`, chromedp.ByID), printPage(&pdf))
	text := pdfWords(t, pdf)
	for _, want := range []string{"Raport z monitoringu", "Pierwszy kontakt: dyżury w", "zastępstwa na", "⚠ po terminie"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed report lacks %q:\n%s", want, text)
		}
	}
	if p := problems(); len(p) > 0 {
		t.Fatalf("browser problems: %v", p)
	}
}
