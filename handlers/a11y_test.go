package handlers

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// axeKnownIssues are the problems the accessibility check tolerates for
// now: page (as visited, see axeExamples) → axe rule IDs, or the pseudo
// rules below for the checks at phone width. Each entry says which template
// causes it; fix the template, then delete the entry (the test fails when an
// entry no longer happens, so the list only shrinks).
var axeKnownIssues = map[string][]string{}

// Pseudo rule IDs of the checks at phone width, for axeKnownIssues: the
// page scrolls sideways; a table cell shows its value without its column's
// name (data-label) when the table's rows stack.
const (
	sideways  = "page-scrolls-sideways"
	unlabeled = "stacked-cell-without-label"
)

// axeExamples gives one concrete address for every GET route with a
// parameter, so that the check visits every page. A new route with a
// parameter fails the test until it has an example here.
var axeExamples = map[string]string{
	"/org/units/:id":                                "/org/units/1",
	"/org/units/:id/edit":                           "/org/units/1/edit",
	"/org/units/:id/delete":                         "/org/units/1/delete",
	"/staff/:id":                                    "/staff/1",
	"/staff/:id/edit":                               "/staff/1/edit",
	"/staff/:id/delete":                             "/staff/1/delete",
	"/staff/:id/move":                               "/staff/1/move",
	"/staff/:id/assignments/:n":                     "/staff/1/assignments/1",
	"/staff/:id/assignments/:n/delete":              "/staff/1/assignments/1/delete",
	"/admin/categories/:id":                         "/admin/categories/1",
	"/admin/categories/:id/delete":                  "/admin/categories/1/delete",
	"/locations/:id/edit":                           "/locations/1/edit",
	"/locations/:id/delete":                         "/locations/1/delete",
	"/announcements/:id/edit":                       "/announcements/1/edit",
	"/announcements/:id/delete":                     "/announcements/1/delete",
	"/admin/users/:id":                              "/admin/users/1",
	"/projects/:id":                                 "/projects/1",
	"/projects/:id/print":                           "/projects/1/print",
	"/projects/:id/published":                       "/projects/1/published",
	"/projects/:id/published/:n":                    "/projects/1/published/1",
	"/projects/:id/published/:n/print":              "/projects/1/published/1/print",
	"/projects/:id/published/:n/csv":                "/projects/1/published/1/csv",
	"/projects/:id/milestones.csv":                  "/projects/1/milestones.csv",
	"/projects/:id/milestones.ics":                  "/projects/1/milestones.ics",
	"/projects/:id/edit":                            "/projects/1/edit",
	"/projects/:id/reopen":                          "/projects/1/reopen",
	"/projects/:id/delete":                          "/projects/1/delete",
	"/projects/:id/milestones/new":                  "/projects/1/milestones/new",
	"/projects/milestones/:id":                      "/projects/milestones/5",
	"/projects/milestones/:id/edit":                 "/projects/milestones/5/edit",
	"/projects/milestones/:id/replan":               "/projects/milestones/5/replan",
	"/projects/milestones/:id/delete":               "/projects/milestones/5/delete",
	"/projects/:id/indicators/new":                  "/projects/1/indicators/new",
	"/projects/indicators/:id":                      "/projects/indicators/1",
	"/projects/indicators/:id/edit":                 "/projects/indicators/1/edit",
	"/projects/indicators/:id/delete":               "/projects/indicators/1/delete",
	"/projects/indicators/:id/readings/:day/delete": "/projects/indicators/5/readings/2018-06-30/delete",
	"/schedule/courses/:id":                         "/schedule/courses/1",
	"/schedule/courses/:id/edit":                    "/schedule/courses/1/edit",
	"/schedule/courses/:id/delete":                  "/schedule/courses/1/delete",
	"/schedule/courses/:id/print":                   "/schedule/courses/1/print",
	"/schedule/courses/:id/sessions/new":            "/schedule/courses/1/sessions/new",
	"/schedule/sessions/:id":                        "/schedule/sessions/1",
	"/schedule/sessions/:id/edit":                   "/schedule/sessions/1/edit",
	"/schedule/sessions/:id/delete":                 "/schedule/sessions/1/delete",
	"/schedule/sessions/:id/print":                  "/schedule/sessions/1/print",
	"/schedule/sessions/:id/copy":                   "/schedule/sessions/1/copy",
	"/schedule/sessions/:id/cancel":                 "/schedule/sessions/1/cancel",
	"/schedule/courses/:id/series":                  "/schedule/courses/1/series",
	"/schedule/blackouts/:id":                       "/schedule/blackouts/1",
	"/schedule/blackouts/:id/delete":                "/schedule/blackouts/1/delete",
	"/feeds/:token/:what":                           axeFeed + "/mine.ics",
	"/feeds/:token/:what/:id":                       axeFeed + "/courses/1.ics",
	"/schedule/trainers/:id":                        "/schedule/trainers/1",
	"/schedule/courses/:id/evidence":                "/schedule/courses/1/evidence",
	"/projects/:id/logo":                            "/projects/1/logo",
	"/projects/:id/logo/delete":                     "/projects/1/logo/delete",
	"/files/:id":                                    "/files/1",          // the demo's logo strip
	"/schedule/scans/:id":                           "/schedule/scans/2", // the demo's first scan
	"/schedule/scans/:id/delete":                    "/schedule/scans/2/delete",
	"/documents/:id":                                axeIssued, // issued by the test first
	"/monitoring/notes/:id":                         "/monitoring/notes/2",
	"/monitoring/notes/:id/edit":                    "/monitoring/notes/2/edit",
	"/monitoring/checklists/:id":                    "/monitoring/checklists/1",
	"/monitoring/checklists/:id/edit":               "/monitoring/checklists/1/edit",
	"/monitoring/checklists/:id/delete":             "/monitoring/checklists/1/delete",
	"/monitoring/checklists/:id/fill":               "/monitoring/checklists/1/fill",
	"/monitoring/checklists/results/:id":            "/monitoring/checklists/results/1",
	"/monitoring/checklists/results/:id/delete":     "/monitoring/checklists/results/1/delete",
	"/monitoring/units/:id":                         "/monitoring/units/15", // the social work team
	"/monitoring/milestones/:id":                    "/monitoring/milestones/5",
}

// axeOthers are example addresses the administrator may not open: the
// monitoring specialist's forms (the test visits them as that specialist
// after the others).
var axeOthers = map[string]bool{"/monitoring/notes/new": true, "/monitoring/notes/2/edit": true,
	"/monitoring/checklists/new": true, "/monitoring/checklists/1/edit": true, "/monitoring/checklists/1/delete": true,
	"/monitoring/checklists/1/fill": true, "/monitoring/checklists/results/1/delete": true}

// axeIssued stands for the address of a document the test issues before
// it visits the pages (the demo issues none).
const axeIssued = "/documents/issued-by-the-test"

// axeRedirects are example addresses that lead to a page elsewhere (a
// milestone's address leads to its row on the project page).
var axeRedirects = map[string]bool{"/projects/milestones/5": true}

// axeFeed is a calendar feed's address with a token nobody was given: a
// feed is a file for calendar applications, and an unknown token is not
// found (TestCalendarFeed reads real ones).
const axeFeed = "/feeds/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

// axeNotFound is an address no route answers: the error page is a page too.
const axeNotFound = "/no-such-page"

// axeRoutes lists an address for every GET route of the route table: the
// public ones (visited before signing in) and the others (visited as an
// administrator). It fails the test for a GET route it cannot visit.
func axeRoutes(t *testing.T) (public, signedIn []string) {
	t.Helper()
	gets := map[string]bool{}
	for _, r := range Routes() {
		if r.Method != fiber.MethodGet {
			continue
		}
		gets[r.Path] = true
		path := r.Path
		if strings.Contains(path, ":") {
			ex, ok := axeExamples[path]
			if !ok {
				t.Errorf("GET %s is not checked for accessibility: add an example address to axeExamples in a11y_test.go", path)
				continue
			}
			path = ex
		}
		if r.Public {
			public = append(public, path)
		} else {
			signedIn = append(signedIn, path)
		}
	}
	for p := range axeExamples {
		if !gets[p] {
			t.Errorf("axeExamples names %s, which is no longer a GET route", p)
		}
	}
	return public, append(signedIn, axeNotFound)
}

// everyPage is an address of every page of the product, from the route
// table: the public ones and those the administrator opens (an issued
// document among them, issued here first). The monitoring specialist's own
// forms are axeOthers.
func everyPage(t *testing.T, ta *testApp) (public, signedIn []string) {
	t.Helper()
	public, signedIn = axeRoutes(t)
	if t.Failed() {
		t.FailNow()
	}
	admin := ta.loggedIn(t, "admin")
	if r := admin.post("/schedule/sessions/1/print/issue", nil); r.status != fiber.StatusSeeOther {
		t.Fatalf("issuing a list: %d", r.status)
	}
	issued, _ := ta.st.Files(store.PurposeIssued, "attendance:1")
	if len(issued) != 1 {
		t.Fatalf("issued copies: %+v", issued)
	}
	for i, p := range signedIn {
		if p == axeIssued {
			signedIn[i] = fmt.Sprintf("/documents/%d", issued[0].ID)
		}
	}
	return axePages(t, ta.client(t), public), axePages(t, admin, signedIn)
}

// axePages keeps the addresses that answer a page: a route answering a
// file (the CSV exports) has nothing to check. Any other answer than the
// page fails the test, which would otherwise check an error page.
func axePages(t *testing.T, c *client, paths []string) []string {
	t.Helper()
	var pages []string
	for _, p := range paths {
		r := c.get(p)
		want := fiber.StatusOK
		switch {
		case strings.HasPrefix(p, axeFeed):
			if r.status != fiber.StatusNotFound {
				t.Fatalf("GET %s: %d, want 404", p, r.status)
			}
			continue
		case p == axeNotFound:
			want = fiber.StatusNotFound
		case axeOthers[p]:
			if r.status != fiber.StatusForbidden {
				t.Fatalf("GET %s: %d, want 403 for the administrator", p, r.status)
			}
			continue
		case axeRedirects[p]:
			if r.status != fiber.StatusSeeOther {
				t.Fatalf("GET %s: %d, want a redirect", p, r.status)
			}
			continue
		}
		if r.status != want {
			t.Fatalf("GET %s: %d, want %d", p, r.status, want)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Logf("GET %s answers %s, not a page", p, ct)
			continue
		}
		if cd := r.header.Get("Content-Disposition"); strings.HasPrefix(cd, "attachment") {
			t.Logf("GET %s answers a file to download", p)
			continue
		}
		pages = append(pages, p)
	}
	return pages
}

// axeResult is the part of axe.run's answer the test reads.
type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target json.RawMessage `json:"target"`
			HTML   string          `json:"html"`
		} `json:"nodes"`
	} `json:"violations"`
}

// axeSource is axe-core as installed by npm (make assets); the product does
// not embed it, the test injects it into each page.
func axeSource(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core is missing (%v): run make assets", err)
		}
		t.Skipf("axe-core is missing (%v): run make assets", err)
	}
	return string(data)
}

// axeCheck is one run of the checks over every page at one window size.
type axeCheck struct {
	t        *testing.T
	ctx      context.Context
	base     string
	axe      string
	width    int64
	mu       *sync.Mutex
	seen     map[string]bool // page + " " + rule of the known issues that happened
	problems func() []string
}

func (a *axeCheck) run(step string, actions ...chromedp.Action) {
	a.t.Helper()
	if err := chromedp.Run(a.ctx, actions...); err != nil {
		a.t.Fatalf("%d px, %s: %v (browser problems: %v)", a.width, step, err, a.problems())
	}
}

// known reports whether rule is a tolerated issue of page, and notes that it happened.
func (a *axeCheck) known(page, rule string) bool {
	if !slices.Contains(axeKnownIssues[page], rule) {
		return false
	}
	a.mu.Lock()
	a.seen[page+" "+rule] = true
	a.mu.Unlock()
	return true
}

// check runs axe on the page as it is now and, on a phone-sized screen,
// checks that nothing scrolls sideways and that every table cell shown
// carries its column's name. page names it in messages and in
// axeKnownIssues.
func (a *axeCheck) check(page string) {
	a.t.Helper()
	var res axeResult
	a.run(page+": axe",
		chromedp.ActionFunc(func(ctx context.Context) error {
			var loaded bool
			if err := chromedp.Evaluate(`typeof axe === "object"`, &loaded).Do(ctx); err != nil || loaded {
				return err
			}
			return chromedp.Evaluate(a.axe, nil).Do(ctx)
		}),
		chromedp.Evaluate(`axe.run(document, {resultTypes: ["violations"]})`, &res,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	for _, v := range res.Violations {
		if v.Impact != "serious" && v.Impact != "critical" && v.ID != "region" {
			a.t.Logf("%d px, %s: %s (%s): %s", a.width, page, v.ID, v.Impact, v.Help)
			continue
		}
		if a.known(page, v.ID) {
			continue
		}
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprintf("%s %s", n.Target, n.HTML))
		}
		a.t.Errorf("%d px, %s: axe %s (%s): %s\n\t%s", a.width, page, v.ID, v.Impact, v.Help, strings.Join(where, "\n\t"))
	}
	if a.width > 600 {
		return
	}
	var wide struct {
		Scroll, Inner int
		Culprits      []string
	}
	a.run(page+": width", chromedp.Evaluate(`(() => {
		const inner = window.innerWidth, out = [];
		for (const el of document.body.querySelectorAll("*")) {
			const r = el.getBoundingClientRect();
			if (r.right > inner + 1 && r.width > 0 && ![...el.children].some(c => c.getBoundingClientRect().right > inner + 1)) {
				out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().replace(/\s+/g, ".") : "") + " right=" + Math.round(r.right) + " " + JSON.stringify((el.textContent || "").trim().slice(0, 40)));
			}
		}
		return {Scroll: document.documentElement.scrollWidth, Inner: inner, Culprits: out.slice(0, 8)};
	})()`, &wide))
	if wide.Scroll > wide.Inner && !a.known(page, sideways) {
		a.t.Errorf("%d px, %s: the page scrolls sideways (%d px wide in a %d px window):\n\t%s", a.width, page, wide.Scroll, wide.Inner, strings.Join(wide.Culprits, "\n\t"))
	}
	var bare []string
	a.run(page+": labels", chromedp.Evaluate(`[...document.querySelectorAll(".table td:not([data-label])")].filter(td => td.checkVisibility()).slice(0, 5).map(td => td.outerHTML.slice(0, 120))`, &bare))
	if len(bare) > 0 && !a.known(page, unlabeled) {
		a.t.Errorf("%d px, %s: stacked table cells without data-label (their column's name):\n\t%s", a.width, page, strings.Join(bare, "\n\t"))
	}
}

// visit loads a page in full and checks it.
func (a *axeCheck) visit(path string) {
	a.t.Helper()
	a.run(path, chromedp.Navigate(a.base+path), chromedp.WaitReady(`body`, chromedp.ByQuery))
	a.check(path)
	if dir := os.Getenv("SCREENSHOTS"); dir != "" {
		name := strings.Trim(strings.NewReplacer("/", "-", "?", "-", "=", "-").Replace(path), "-")
		if name == "" {
			name = "home"
		}
		screenshot(a.t, a.ctx, fmt.Sprintf("a11y-%d-%s", a.width, name))
		if a.width < 600 {
			screenshotScreen(a.t, a.ctx, fmt.Sprintf("a11y-%d-%s-screen", a.width, name))
		}
	}
}

// visible is a script that tells whether the element sel is rendered.
func visible(sel string) string {
	return `(() => { const e = document.querySelector(` + strconv.Quote(sel) + `); return !!e && e.checkVisibility(); })()`
}

// menuAndFilters checks the main menu and the staff filters: on a phone
// both are folded behind a button that opens them (checked open too), a
// link in the menu navigates and folds it, and a filter still searches as
// it changes; on a wide screen both are shown without a button. It also
// measures where the directory's first result starts.
func (a *axeCheck) menuAndFilters() {
	a.t.Helper()
	var menuShown, buttonShown, filtersShown, filterButtonShown bool
	var firstResult, screen float64
	a.run("/staff: menu and filters",
		chromedp.Navigate(a.base+"/staff"),
		htmxReady(`#staff-results`),
		chromedp.Evaluate(visible(`#site-nav a[href="/org"]`), &menuShown),
		chromedp.Evaluate(visible(`#menu > summary`), &buttonShown),
		chromedp.Evaluate(visible(`#unit`), &filtersShown),
		chromedp.Evaluate(visible(`.filters-more > summary`), &filterButtonShown),
		chromedp.Evaluate(`document.querySelector("#staff-results tbody tr").getBoundingClientRect().top + scrollY`, &firstResult),
		chromedp.Evaluate(`window.innerHeight`, &screen))
	a.t.Logf("%d px: the directory's first result starts %.0f px from the top (window %.0f px high)", a.width, firstResult, screen)
	if a.width > 600 {
		if !menuShown || buttonShown || !filtersShown || filterButtonShown {
			a.t.Errorf("%d px: menu shown %v (button %v), filters shown %v (button %v); want both shown without buttons", a.width, menuShown, buttonShown, filtersShown, filterButtonShown)
		}
		return
	}
	if menuShown || !buttonShown || filtersShown || !filterButtonShown {
		a.t.Errorf("%d px: menu shown %v (button %v), filters shown %v (button %v); want both folded behind their buttons", a.width, menuShown, buttonShown, filtersShown, filterButtonShown)
	}
	if firstResult >= screen {
		a.t.Errorf("%d px: the directory's first result starts at %.0f px, below the first screen (%.0f px)", a.width, firstResult, screen)
	}
	a.run("open the menu", chromedp.Click(`#menu > summary`, chromedp.ByQuery), chromedp.WaitVisible(`#site-nav a[href="/org"]`, chromedp.ByQuery))
	a.check("/staff (menu open)")
	screenshotScreen(a.t, a.ctx, fmt.Sprintf("a11y-%d-menu-open", a.width))
	var folded bool
	a.run("follow a menu link",
		chromedp.Click(`#site-nav a[href="/org"]`, chromedp.ByQuery),
		chromedp.Poll(`location.pathname === "/org"`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		htmxReady(`#main h1`),
		chromedp.Evaluate(`!document.querySelector("#menu").open && !`+visible(`#site-nav a[href="/org"]`), &folded))
	if !folded {
		a.t.Errorf("%d px: the menu stays open after following one of its links", a.width)
	}
	a.run("open the filters",
		chromedp.Navigate(a.base+"/staff"),
		htmxReady(`#staff-results`),
		chromedp.Click(`.filters-more > summary`, chromedp.ByQuery),
		chromedp.WaitVisible(`#unit`, chromedp.ByID))
	a.check("/staff (filters open)")
	screenshotScreen(a.t, a.ctx, fmt.Sprintf("a11y-%d-filters-open", a.width))
	var unit string
	a.run("filter by unit",
		chromedp.Evaluate(`(() => {
			const s = document.querySelector("#unit");
			s.value = s.options[1].value;
			s.dispatchEvent(new Event("change", {bubbles: true}));
			return s.value;
		})()`, &unit),
		chromedp.Poll(`new URLSearchParams(location.search).get("unit") === document.querySelector("#unit").value`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		htmxReady(`#staff-results`))
	if unit == "" {
		a.t.Errorf("%d px: no unit to filter by", a.width)
	}
	// Without JavaScript both open all the same (they are <details>), and a
	// menu link loads its page.
	var loc, htmx string
	a.run("without JavaScript",
		emulation.SetScriptExecutionDisabled(true),
		chromedp.Navigate(a.base+"/staff"),
		chromedp.Evaluate(`typeof htmx`, &htmx),
		chromedp.Click(`.filters-more > summary`, chromedp.ByQuery),
		chromedp.WaitVisible(`#unit`, chromedp.ByID),
		chromedp.Click(`#menu > summary`, chromedp.ByQuery),
		chromedp.WaitVisible(`#site-nav a[href="/locations"]`, chromedp.ByQuery),
		chromedp.Click(`#site-nav a[href="/locations"]`, chromedp.ByQuery),
		chromedp.WaitNotPresent(`#staff-results`, chromedp.ByID),
		chromedp.WaitReady(`#main h1`, chromedp.ByQuery),
		chromedp.Location(&loc),
		emulation.SetScriptExecutionDisabled(false))
	if htmx != "undefined" {
		a.t.Errorf("%d px: the page ran its scripts (htmx is %s) although they were off", a.width, htmx)
	}
	if loc != a.base+"/locations" {
		a.t.Errorf("%d px: without JavaScript the menu's link led to %s", a.width, loc)
	}
}

// TestAccessibility visits every page of the product (every GET route of
// the route table) at desktop and phone width, runs axe-core on it and fails
// on serious and critical violations, and on "region" ones (content outside
// landmarks, such as a banner); at phone width it also fails when a page
// scrolls sideways or a stacked table cell lacks its label. A form showing
// errors, the opened menu and the opened filters are checked too. With
// SCREENSHOTS=folder it keeps a picture of every page.
func TestAccessibility(t *testing.T) {
	src := axeSource(t)
	chromium(t)
	ta := newTestApp(t)
	public, signedIn := everyPage(t, ta)
	base := ta.serve(t)

	var mu sync.Mutex
	seen := map[string]bool{}
	t.Run("widths", func(t *testing.T) {
		for _, size := range [][2]int64{{1280, 800}, {390, 844}} {
			t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
				t.Parallel()
				ctx, problems := browserWithin(t, 4*time.Minute)
				a := &axeCheck{t: t, ctx: ctx, base: base, axe: src, width: size[0], mu: &mu, seen: seen, problems: problems}
				a.run("window", chromedp.EmulateViewport(size[0], size[1]))
				for _, p := range public {
					a.visit(p)
				}
				a.run("sign in",
					chromedp.Navigate(base+"/login"),
					chromedp.SendKeys(`#login`, "admin", chromedp.ByID),
					chromedp.SendKeys(`#password`, "demo", chromedp.ByID),
					chromedp.Submit(`#password`, chromedp.ByID),
					chromedp.WaitVisible(`#home-news`, chromedp.ByID))
				for _, p := range signedIn {
					a.visit(p)
				}

				a.menuAndFilters()

				// A form sent with mistakes comes back (422, swapped in
				// place by htmx) with the error summary and the messages.
				a.run("form with errors",
					chromedp.Navigate(base+"/announcements/new"),
					htmxReady(`#title`),
					chromedp.Evaluate(`(() => {
						const f = document.querySelector("#title").form;
						f.noValidate = true;
						f.querySelector("#title").value = "";
						f.querySelector("#valid_from").value = "2026-01-02";
						f.querySelector("#valid_to").value = "2026-01-01";
						f.requestSubmit();
						return true;
					})()`, nil),
					htmxReady(`.error-summary`))
				a.check("/announcements/new (errors)")

				// The monitoring specialist's forms, which the administrator
				// may not open.
				a.run("sign in as the monitoring specialist",
					chromedp.Evaluate(`document.querySelector('form[action="/logout"]').submit()`, nil),
					chromedp.WaitVisible(`#login`, chromedp.ByID),
					chromedp.SendKeys(`#login`, "monitoring", chromedp.ByID),
					chromedp.SendKeys(`#password`, "demo", chromedp.ByID),
					chromedp.Submit(`#password`, chromedp.ByID),
					chromedp.WaitVisible(`#home-news`, chromedp.ByID))
				for _, p := range slices.Sorted(maps.Keys(axeOthers)) {
					a.visit(p)
				}

				var unexpected []string
				for _, p := range problems() {
					// The two answers asked for on purpose above.
					if !(strings.Contains(p, "status of 422") && strings.HasSuffix(p, "/announcements")) &&
						!(strings.Contains(p, "status of 404") && strings.HasSuffix(p, axeNotFound)) {
						unexpected = append(unexpected, p)
					}
				}
				if len(unexpected) > 0 {
					t.Errorf("browser problems:\n%s", strings.Join(unexpected, "\n"))
				}
			})
		}
	})
	if t.Failed() {
		return
	}
	var stale []string
	for page, rules := range axeKnownIssues {
		for _, r := range rules {
			if !seen[page+" "+r] {
				stale = append(stale, page+" "+r)
			}
		}
	}
	sort.Strings(stale)
	for _, s := range stale {
		t.Errorf("known issue %s no longer happens: delete it from axeKnownIssues", s)
	}
}
