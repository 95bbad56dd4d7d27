package handlers

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"intranet/store"
)

// The printed phone list, read back from the PDF Chromium makes: every page
// carries its number and the table header, and a table that runs onto the
// next page starts there again with its unit's name, so a continuation page
// still says whose numbers these are; the list does not wait for a whole
// building to fit (no half-empty first page).
func TestPrintedPhoneList(t *testing.T) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is needed in CI (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is not installed")
	}
	ta := newTestApp(t)
	base := ta.serve(t)
	ctx, problems := browser(t)
	var pdf []byte
	err := chromedp.Run(ctx,
		signInAs(base, "pracownik"),
		chromedp.Navigate(base+"/staff/phones"),
		chromedp.WaitVisible(`table.phones`, chromedp.ByQuery),
		printPage(&pdf),
	)
	if err != nil {
		t.Fatalf("%v (browser problems: %v)", err, problems())
	}
	path := filepath.Join(t.TempDir(), "phones.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	pages := strings.Split(strings.TrimRight(string(out), "\f\n "), "\f")
	if len(pages) < 2 {
		t.Fatalf("the demo's phone list printed on %d page(s)", len(pages))
	}
	if rows := strings.Count(pages[0], "32 476 85"); rows < 8 {
		t.Errorf("the first page holds only %d numbers", rows)
	}
	units := map[string]bool{}
	d, _ := ta.st.Org()
	for _, g := range d.PhoneBook(ta.st.Today()) {
		for _, u := range g.Units {
			units[u.Name] = true
		}
	}
	// (Page numbers, Polish letters and nothing cut at the edge:
	// TestPrintedDocumentsHoldEverything.)
	for i, p := range pages {
		lines := strings.Split(strings.TrimSpace(p), "\n")
		// The first line of a page: the title, a building, or a unit whose
		// table goes on (with its header) — never a bare row of numbers.
		first := strings.TrimSpace(strings.Split(lines[0], " — ")[0])
		if i > 0 && !units[first] && !strings.Contains(lines[0], "ul.") {
			t.Errorf("page %d starts with %q, not a unit or a building", i+1, lines[0])
		}
		if !strings.Contains(p, "Nazwisko i imię") {
			t.Errorf("page %d has no table header", i+1)
		}
	}
}

// TestPrintedProjectSummary prints the demo EU project's summary: the
// budget with its shares, every milestone, and the timeline on a landscape
// page of its own.
func TestPrintedProjectSummary(t *testing.T) {
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatalf("%s is needed in CI (apt-get install poppler-utils)", tool)
			}
			t.Skipf("%s is not installed", tool)
		}
	}
	ta := newTestApp(t)
	base := ta.serve(t)
	o, _ := ta.st.Org()
	var p *store.Project
	for i := range o.Projects {
		if o.Projects[i].Total > 0 {
			p = &o.Projects[i]
		}
	}
	if p == nil {
		t.Fatal("the demo has no project with a budget")
	}
	ctx, problems := browser(t)
	var pdf []byte
	err := chromedp.Run(ctx,
		signInAs(base, "monitoring"),
		chromedp.Navigate(base+"/projects/"+strconv.FormatUint(p.ID, 10)+"/print"),
		chromedp.WaitVisible(`svg.timeline-chart`, chromedp.ByQuery),
		printPage(&pdf),
	)
	if err != nil {
		t.Fatalf("%v (browser problems: %v)", err, problems())
	}
	dir := os.Getenv("SCREENSHOTS") // keep the document to look at
	if dir == "" {
		dir = t.TempDir()
	}
	path := filepath.Join(dir, "project.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(out)), " ")
	for _, want := range []string{p.Name, "84,28 %", "100,00 %", "zrealizowany"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed summary lacks %q", want)
		}
	}
	for _, m := range o.MilestonesOf(p.ID) {
		if first := strings.Fields(m.Title)[0]; !strings.Contains(text, first) {
			t.Errorf("milestone %q is not printed", m.Title)
		}
	}
	info, err := exec.Command("pdfinfo", "-f", "1", "-l", "20", path).Output()
	if err != nil {
		t.Fatal(err)
	}
	var portrait, landscape int
	for _, line := range strings.Split(string(info), "\n") {
		var n int
		var w, h float64
		if _, err := fmt.Sscanf(line, "Page %d size: %f x %f", &n, &w, &h); err == nil {
			if w > h {
				landscape++
			} else {
				portrait++
			}
		}
	}
	if portrait == 0 || landscape == 0 {
		t.Errorf("pages: %d portrait, %d landscape; want the summary upright and the milestones across", portrait, landscape)
	}
}
