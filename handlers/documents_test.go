package handlers

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"intranet/store"
)

// printed is a document as Chromium prints it on A4 and poppler reads it
// back, beside the words the page shows when it is printed.
type printed struct {
	pages []string // each page's text as laid out (pdftotext -layout)
	flat  string   // the whole text in reading order, lower case, without spaces
	shown []string // every word the printed page shows, lower case
	pdf   []byte
}

// visibleText is the text of every text node the page renders with print
// styles on: not hidden, not clipped to nothing, not an SVG's title or a
// text kept for screen readers only.
const visibleText = `(() => {
	const out = [];
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	const range = document.createRange();
	for (let n = walk.nextNode(); n; n = walk.nextNode()) {
		const el = n.parentElement;
		if (!n.nodeValue.trim() || !el || el.closest("script, style, title, desc, .visually-hidden, [hidden]")) continue;
		const style = getComputedStyle(el);
		if (style.visibility !== "visible" || style.opacity === "0") continue;
		range.selectNodeContents(n);
		if (![...range.getClientRects()].some(r => r.width > 1 && r.height > 1)) continue;
		out.push(n.nodeValue);
	}
	return out.join(" ");
})()`

// printDocument opens path, waits for ready, and prints the page as the
// browser's print dialog would, with its own @page size.
func printDocument(t *testing.T, ctx context.Context, url, ready string) printed {
	t.Helper()
	needPdftotext(t)
	var doc printed
	var text string
	err := chromedp.Run(ctx,
		chromedp.Navigate(url),
		chromedp.WaitVisible(ready, chromedp.ByQuery),
		emulation.SetEmulatedMedia().WithMedia("print"),
		chromedp.Evaluate(visibleText, &text),
		printPage(&doc.pdf),
		emulation.SetEmulatedMedia().WithMedia(""),
	)
	if err != nil {
		t.Fatalf("printing %s: %v", url, err)
	}
	doc.shown = strings.Fields(strings.ToLower(text))
	layout, raw := pdfText(t, doc.pdf, "-layout"), pdfText(t, doc.pdf, "-raw")
	doc.pages = strings.Split(strings.TrimRight(layout, "\f\n "), "\f")
	doc.flat = flatten(raw)
	return doc
}

func pdfText(t *testing.T, pdf []byte, mode string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "document.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", mode, file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// ligatures are single glyphs a PDF may hold for two or three letters.
var ligatures = strings.NewReplacer("ﬀ", "ff", "ﬁ", "fi", "ﬂ", "fl", "ﬃ", "ffi", "ﬄ", "ffl")

// flatten drops every space and line break, so that a value wrapped in
// its cell (or a word broken at a line's end) still reads whole.
func flatten(s string) string {
	s = ligatures.Replace(strings.ToLower(s))
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// has reports whether the document holds s, however it was wrapped.
func (d printed) has(s string) bool { return strings.Contains(d.flat, flatten(s)) }

// cut lists the words the page shows that the paper lacks: a word cut at
// the right edge of the page (Chromium clips what does not fit) or lost
// with its letters.
func (d printed) cut() []string {
	var out []string
	for _, w := range d.shown {
		if !strings.Contains(d.flat, ligatures.Replace(w)) && !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

var polishLetters = regexp.MustCompile(`[ąćęłńóśźżĄĆĘŁŃÓŚŹŻ]`)

// check is what a person handed the document checks: the title and every
// row there; Polish letters as written (no replacement characters); every
// page numbered "n / total"; nothing the screen shows missing on paper.
func (d printed) check(t *testing.T, what, title string, rows []string) {
	t.Helper()
	if !d.has(title) {
		t.Errorf("%s: no title %q:\n%s", what, title, strings.Join(d.pages, "\f"))
	}
	var missing []string
	for _, r := range rows {
		if !d.has(r) {
			missing = append(missing, r)
		}
	}
	if len(missing) > 0 {
		t.Errorf("%s: %d of %d rows missing: %q", what, len(missing), len(rows), missing)
	}
	whole := strings.Join(d.pages, "\n")
	if strings.ContainsRune(whole, unicode.ReplacementChar) || !polishLetters.MatchString(whole) {
		t.Errorf("%s: Polish letters are not intact:\n%s", what, whole)
	}
	wantPageNumbers(t, what, d.pages)
	if cut := d.cut(); len(cut) > 0 {
		t.Errorf("%s: %d words on the page are not on paper (cut at the edge?): %q", what, len(cut), cut[:min(len(cut), 20)])
	}
	if dir := os.Getenv("SCREENSHOTS"); dir != "" {
		name := strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return '-'
		}, what)
		_ = os.WriteFile(filepath.Join(dir, name+".pdf"), d.pdf, 0o644)
	}
}

// The check finds a word cut at the right edge of the paper: a line that
// does not wrap runs off the page, and Chromium clips it.
func TestPrintCheckFindsAWordCutAtTheEdge(t *testing.T) {
	ctx, _ := browser(t)
	page := `<!DOCTYPE html><html lang="pl"><head><meta charset="utf-8"><title>Próba</title>` +
		`<style>@page { size: A4; margin: 15mm } p { white-space: nowrap }</style></head><body>` +
		`<h1>Lista obecności</h1><p>Zażółć gęślą jaźń — wiersz tak długi, że nie mieści się na stronie A4 i jego ostatnie słowo, ` +
		`czyli to oto słowo Zakończenie, wychodzi poza prawą krawędź kartki</p></body></html>`
	doc := printDocument(t, ctx, "data:text/html;charset=utf-8,"+strings.ReplaceAll(page, "#", "%23"), "h1")
	cut := doc.cut()
	if !slices.Contains(cut, "kartki") {
		t.Fatalf("the word past the edge was not found missing: cut %q\n%s", cut, strings.Join(doc.pages, "\f"))
	}
	if slices.Contains(cut, "zażółć") || slices.Contains(cut, "obecności") {
		t.Fatalf("words that fit were found missing: %q", cut)
	}
}

// TestPrintedDocumentsHoldEverything prints the documents an auditor is
// handed — an attendance list, a course's hours summary, the project's
// summary, the phone list and the monitoring period report — from the demo
// centre, and reads each back from the PDF.
func TestPrintedDocumentsHoldEverything(t *testing.T) {
	ta := newTestApp(t)
	base := ta.serve(t)
	o, err := ta.st.Org()
	if err != nil {
		t.Fatal(err)
	}
	today := ta.st.Today()
	names := func(ids []uint64) []string {
		var out []string
		for _, id := range ids {
			if p := o.PersonByID[id]; p != nil {
				out = append(out, p.FullName())
			}
		}
		return out
	}
	// The demo's session with the most participants, and its course.
	var biggest *store.Session
	for id := uint64(1); ; id++ {
		ss, err := ta.st.Session(id)
		if err != nil || ss == nil {
			break
		}
		if biggest == nil || len(ss.Participants) > len(biggest.Participants) {
			biggest = ss
		}
	}
	if biggest == nil || len(biggest.Participants) < 10 {
		t.Fatalf("the demo has no session with ten participants: %+v", biggest)
	}
	course, err := ta.st.Course(biggest.CourseID)
	if err != nil {
		t.Fatal(err)
	}
	delivery, _, _, err := ta.st.CourseDelivery(course)
	if err != nil {
		t.Fatal(err)
	}
	var attended []uint64
	for id := range delivery.Present {
		attended = append(attended, id)
	}
	var project *store.Project
	for i := range o.Projects {
		if o.Projects[i].Total > 0 && project == nil {
			project = &o.Projects[i]
		}
	}
	var milestones []string
	for _, m := range o.MilestonesOf(project.ID) {
		milestones = append(milestones, m.Title)
	}
	var phones []string
	for _, g := range o.PhoneBook(today) {
		for _, u := range g.Units {
			phones = append(phones, u.Name)
		}
	}

	ctx, problems := browserWithin(t, 3*time.Minute)
	if err := chromedp.Run(ctx, signInAs(base, "koordynator")); err != nil {
		t.Fatal(err)
	}
	id := strconv.FormatUint
	printDocument(t, ctx, base+"/schedule/sessions/"+id(biggest.ID, 10)+"/print", "main table").
		check(t, "attendance list", "Lista obecności", append(names(biggest.Participants), course.Title))
	printDocument(t, ctx, base+"/schedule/courses/"+id(course.ID, 10)+"/print", "main table").
		check(t, "course summary", course.Title, names(attended))
	printDocument(t, ctx, base+"/projects/"+id(project.ID, 10)+"/print", "svg.timeline-chart").
		check(t, "project summary", project.Name, milestones)
	printDocument(t, ctx, base+"/staff/phones", "table.phones").
		check(t, "phone list", "Wykaz telefonów", phones)
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(`form[action="/logout"]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('form[action="/logout"]').submit()`, nil),
		chromedp.WaitVisible(`#login`, chromedp.ByID), signInAs(base, "monitoring")); err != nil {
		t.Fatal(err)
	}
	printDocument(t, ctx, base+"/monitoring/report", "main table").
		check(t, "period report", "Raport z monitoringu za okres", nil)
	if p := problems(); len(p) > 0 {
		t.Errorf("browser problems: %s", strings.Join(p, "\n"))
	}
}
