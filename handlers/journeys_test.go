package handlers

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"intranet/store"
)

// Each kind of user's job end to end in a real browser, with JavaScript
// and, where the page promises to work without it, without. A failing
// step keeps a screenshot; any console error, exception or CSP report
// fails the journey.

// journey is one user's run in a browser: run fails the test at the first
// step that does not work, with a screenshot named after the journey.
type journey struct {
	t        *testing.T
	name     string
	ctx      context.Context
	problems func() []string
}

func newJourney(t *testing.T, name string, js bool) *journey {
	ctx, problems := browser(t)
	j := &journey{t: t, name: name, ctx: ctx, problems: problems}
	if !js {
		name += "-nojs"
		j.name = name
		j.run("switch JavaScript off", emulation.SetScriptExecutionDisabled(true))
	}
	return j
}

func (j *journey) run(step string, actions ...chromedp.Action) {
	j.t.Helper()
	if err := chromedp.Run(j.ctx, actions...); err != nil {
		j.t.Fatalf("%s: %s: %v (browser problems: %v; the screen: %s)", j.name, step, err, j.problems(), j.keep("failed"))
	}
}

// done fails the journey if the browser reported anything.
func (j *journey) done() {
	j.t.Helper()
	if p := j.problems(); len(p) > 0 {
		j.t.Fatalf("%s: the browser reported (the screen: %s):\n%s", j.name, j.keep("problems"), strings.Join(p, "\n"))
	}
}

// keep saves what the browser shows in test-artifacts/ at the top of the
// repository (or in SCREENSHOTS), for whoever reads a failed run.
func (j *journey) keep(what string) string {
	dir := os.Getenv("SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("..", "test-artifacts")
	}
	var png []byte
	ctx, cancel := context.WithTimeout(context.WithoutCancel(j.ctx), 10*time.Second) // the step may have used up the journey's time
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 90)); err != nil {
		return "none (" + err.Error() + ")"
	}
	file := filepath.Join(dir, j.t.Name()+"-"+j.name+"-"+what+".png")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "none (" + err.Error() + ")"
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		return "none (" + err.Error() + ")"
	}
	abs, _ := filepath.Abs(file)
	return abs
}

// arrived waits until the browser shows path (a whole page loaded, or
// swapped in by htmx and settled) with sel on it: a selector that the page
// before also has cannot end the wait too early. It asks again while a
// page is being replaced (a question asked then finds no page to ask).
func arrived(path, sel string) chromedp.Action {
	cond := `location.pathname === ` + strconv.Quote(path) + ` && document.readyState === "complete" && !!document.querySelector(` + strconv.Quote(sel) + `) &&
		!document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")`
	return chromedp.ActionFunc(func(ctx context.Context) error {
		deadline := time.Now().Add(10 * time.Second)
		for {
			var ok bool
			err := chromedp.Evaluate(cond, &ok).Do(ctx)
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) || ctx.Err() != nil {
				return fmt.Errorf("not at %s with %s (%v)", path, sel, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}

// A staff member finds a colleague's phone typing part of her name
// without Polish letters, opens their own sessions, and subscribes to
// their calendar: the feed's address answers an iCalendar file.
func TestJourneyStaff(t *testing.T) {
	ta := newTestApp(t)
	base := ta.serve(t)
	for _, js := range []bool{true, false} {
		j := newJourney(t, "staff", js)
		j.run("sign in", signInAs(base, "pracownik"))
		var results string
		if js {
			j.run("search as you type", chromedp.Navigate(base+"/staff"), htmxReady(`#staff-results`),
				chromedp.SendKeys(`#q`, "kozlowsk", chromedp.ByID),
				chromedp.Poll(`location.search.includes("q=kozlowsk") && document.querySelector("#staff-results").innerText.includes("Kozłowska")`,
					nil, chromedp.WithPollingTimeout(10*time.Second)),
				htmxReady(`#staff-results`))
		} else {
			j.run("search", chromedp.Navigate(base+"/staff"), chromedp.WaitVisible(`#q`, chromedp.ByID),
				chromedp.SendKeys(`#q`, "kozlowsk\n", chromedp.ByID),
				chromedp.WaitVisible(`#staff-results a.tel`, chromedp.ByQuery))
		}
		var phones []string
		j.run("read the results", chromedp.Text(`#staff-results`, &results, chromedp.ByID),
			chromedp.Evaluate(`[...document.querySelectorAll("#staff-results a.tel")].map(a => a.getAttribute("href"))`, &phones))
		if !strings.Contains(results, "Kozłowska") || len(phones) == 0 || !strings.HasPrefix(phones[0], "tel:") {
			t.Fatalf("staff (js %v): results %q, phones %v", js, results, phones)
		}
		var heading string
		j.run("own sessions", chromedp.Navigate(base+"/schedule/mine"), chromedp.Text(`h1`, &heading, chromedp.ByQuery))
		if heading == "" {
			t.Fatal("no heading on the own sessions' page")
		}
		var feed string
		j.run("subscribe to the calendar", chromedp.Navigate(base+"/account/feed"),
			chromedp.Click(`form[action="/account/feed"] button[type="submit"]`, chromedp.ByQuery),
			chromedp.WaitVisible(`#feed-url`, chromedp.ByID), chromedp.Value(`#feed-url`, &feed, chromedp.ByID))
		resp, err := http.Get(feed)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") ||
			!strings.HasPrefix(string(body), "BEGIN:VCALENDAR\r\n") {
			t.Fatalf("the feed %s: %d %s %.40q", feed, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		j.done()
	}
}

// The administrator creates an account that then signs in, and downloads
// a backup: a file arrives and nothing is restored. With JavaScript and
// without.
func TestJourneyAdministrator(t *testing.T) {
	for _, js := range []bool{true, false} {
		journeyAdministrator(t, js)
	}
}

func journeyAdministrator(t *testing.T, js bool) {
	ta := newTestApp(t)
	base := ta.serve(t)
	j := newJourney(t, "admin", js)
	j.run("sign in", signInAs(base, "admin"))
	j.run("create an account", chromedp.Navigate(base+"/admin/users/new"), chromedp.WaitVisible(`#login`, chromedp.ByID),
		chromedp.SendKeys(`#login`, "nowa.osoba", chromedp.ByID),
		chromedp.SendKeys(`#name`, "Nowa Osoba", chromedp.ByID),
		// a new account is a staff member's unless other roles are chosen
		chromedp.SendKeys(`#password`, "Bardzo-dlugie-haslo-2026", chromedp.ByID),
		chromedp.Click(`form[action="/admin/users"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`.flash, .error-summary, [role=alert]`, chromedp.ByQuery))
	if u, err := ta.st.UserByLogin("nowa.osoba"); err != nil || u == nil {
		var said string
		_ = chromedp.Run(j.ctx, chromedp.Text(`#main`, &said, chromedp.ByID))
		screenshot(t, j.ctx, "admin-failed")
		t.Fatalf("the account was not created: %v\n%s", err, said)
	}
	// A backup downloads: the file is a database, the page stays.
	dir := t.TempDir()
	done := make(chan string, 1)
	chromedp.ListenTarget(j.ctx, func(ev any) {
		if e, ok := ev.(*cdpbrowser.EventDownloadProgress); ok && e.State == cdpbrowser.DownloadProgressStateCompleted {
			select {
			case done <- e.GUID:
			default:
			}
		}
	})
	j.run("download a backup", cdpbrowser.SetDownloadBehavior(cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName).WithDownloadPath(dir).WithEventsEnabled(true),
		chromedp.Navigate(base+"/admin"), chromedp.WaitVisible(`#admin-backup`, chromedp.ByID),
		chromedp.Click(`form[action="/admin/backup"] button`, chromedp.ByQuery))
	select {
	case guid := <-done:
		data, err := os.ReadFile(filepath.Join(dir, guid))
		if err != nil || len(data) < 4096 {
			t.Fatalf("the downloaded backup: %d bytes, %v", len(data), err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("no backup was downloaded")
	}
	j.run("sign out", chromedp.Navigate(base+"/"), chromedp.Click(`form[action="/logout"] button`, chromedp.ByQuery), chromedp.WaitVisible(`#login`, chromedp.ByID))
	var loc string
	j.run("the new account signs in", chromedp.SendKeys(`#login`, "nowa.osoba", chromedp.ByID),
		chromedp.SendKeys(`#password`, "Bardzo-dlugie-haslo-2026", chromedp.ByID), chromedp.Submit(`#password`, chromedp.ByID),
		chromedp.WaitVisible(`#home-news`, chromedp.ByID), chromedp.Location(&loc)) // the home page, not the sign-in form still shown
	if strings.Contains(loc, "/login") {
		t.Fatalf("the new account did not get in: %s", loc)
	}
	j.done()
}

// A trainer opens their list of sessions, takes today's attendance with the
// keyboard — with JavaScript one key a person, each saved as it is typed;
// without, the radio buttons and the form's button — and opens the
// printable list, which names everyone. A second trainer sees the session
// but no attendance form, and is refused its list.
func TestJourneyTrainer(t *testing.T) {
	for _, js := range []bool{true, false} {
		ta := newTestApp(t)
		base := ta.serve(t)
		trener, err := ta.st.UserByLogin("trener")
		if err != nil {
			t.Fatal(err)
		}
		mine, err := ta.st.TrainerOfUser(trener.ID)
		if err != nil || mine == nil {
			t.Fatalf("the demo trainer account has no trainer: %v", err)
		}
		ss := sessionToTake(t, ta, mine.ID)
		hash, err := store.NewHasher(testParams, 8<<20).Hash(context.Background(), store.DemoPassword)
		if err != nil {
			t.Fatal(err)
		}
		second := &store.User{Login: "trener.drugi", Name: "Ryszard Kotlarski", Roles: []store.Role{store.RoleTrainer}, Active: true,
			External: true, Organisation: "Pracownia Superwizji", Expires: ta.st.Today().AddDate(0, 6, 0), PasswordHash: hash}
		if err := ta.st.CreateUser(store.System, second); err != nil {
			t.Fatal(err)
		}
		accountTrainer(t, ta, second.ID, second.Name, second.Organisation)

		j := newJourney(t, "trainer", js)
		path := "/schedule/sessions/" + strconv.FormatUint(ss.ID, 10)
		j.run("sign in", signInAs(base, "trener"))
		j.run("open the list of sessions", chromedp.Click(`a[href="/schedule/mine"]`, chromedp.ByQuery),
			arrived("/schedule/mine", `#main a[href="`+path+`"]`))
		j.run("open today's session", chromedp.Click(`#main a[href="`+path+`"]`, chromedp.ByQuery),
			arrived(path, `form.attendance-form`))
		n := len(ss.Participants)
		if js {
			// One key a person: "o" (obecny) for all but the last, "n"
			// (nieobecny) for the last; each is saved before the next.
			j.run("attendance ready", htmxReady(`form.attendance-form`), chromedp.Focus(`tr.attendance-row input[type="radio"]`, chromedp.ByQuery))
			for i := 0; i < n; i++ {
				key := "o"
				if i == n-1 {
					key = "n"
				}
				j.run("key "+strconv.Itoa(i), chromedp.KeyEvent(key),
					chromedp.Poll(`document.querySelectorAll('tr.attendance-row input[type="radio"]:checked').length >= `+strconv.Itoa(i+1)+
						` && !document.querySelector(".htmx-request")`, nil, chromedp.WithPollingTimeout(10*time.Second)))
			}
			j.run("saved", chromedp.Poll(`!document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling")`, nil, chromedp.WithPollingTimeout(10*time.Second)))
		} else {
			// The keyboard without JavaScript: each person's choice gets
			// the focus and the space bar; Enter on the button sends all.
			for i, id := range ss.Participants {
				value := "present"
				if i == n-1 {
					value = "absent"
				}
				j.run("choose "+strconv.Itoa(i), chromedp.Focus(`#att-`+strconv.FormatUint(id, 10)+` input[value="`+value+`"]`, chromedp.ByQuery), chromedp.KeyEvent(" "))
			}
			j.run("send", chromedp.Focus(`form.attendance-form button.primary`, chromedp.ByQuery), chromedp.KeyEvent("\r"),
				chromedp.WaitVisible(`.flash, .alert.success`, chromedp.ByQuery))
		}
		var marks map[uint64]store.Mark
		for try := 0; try < 50; try++ {
			if marks, err = ta.st.Marks(ss.ID); err == nil && len(marks) == n {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		present := 0
		for _, m := range marks {
			if m.Presence == store.Present {
				present++
			}
		}
		if len(marks) != n || present != n-1 || marks[ss.Participants[n-1]].Presence != store.Absent {
			t.Fatalf("js %v: marks after the keys: %d of %d, %d present", js, len(marks), n, present)
		}
		screenshot(t, j.ctx, j.name+"-attendance")

		// The printable list, opened from the session's page.
		j.run("back to the session", chromedp.Navigate(base+path), chromedp.WaitVisible(`a[href="`+path+`/print"]`, chromedp.ByQuery))
		j.run("open the printable list", chromedp.Click(`a[href="`+path+`/print"]`, chromedp.ByQuery), chromedp.WaitVisible(`main table`, chromedp.ByQuery))
		o, _ := ta.st.Org()
		var names []string
		for _, id := range ss.Participants {
			names = append(names, o.PersonByID[id].FullName())
		}
		printDocument(t, j.ctx, base+path+"/print", "main table").check(t, j.name+" attendance list", "Lista obecności", append(names, mine.Name, "Podpis"))

		// Another trainer: the session, but no form; the list refused.
		var forms int
		var refused string
		j.run("sign out", chromedp.Navigate(base+"/"), chromedp.Click(`form[action="/logout"] button`, chromedp.ByQuery), chromedp.WaitVisible(`#login`, chromedp.ByID))
		j.run("the second trainer", signInAs(base, "trener.drugi"), chromedp.Navigate(base+path), chromedp.WaitVisible(`h1`, chromedp.ByQuery),
			chromedp.Evaluate(`document.querySelectorAll("form.attendance-form, tr.attendance-row input").length`, &forms),
			chromedp.Navigate(base+path+"/print"), chromedp.Text(`h1`, &refused, chromedp.ByQuery))
		if forms != 0 || refused != "Brak dostępu" {
			t.Fatalf("js %v: the second trainer sees %d attendance inputs; the list answers %q", js, forms, refused)
		}
		for _, p := range j.problems() {
			// The refusal asked for on purpose above.
			if !strings.Contains(p, "status of 403") {
				t.Errorf("%s: the browser reported: %s", j.name, p)
			}
		}
	}
}

// sessionToTake is the demo trainer's session of today waiting for its
// attendance, or on a public holiday (when the demo plans none) the last
// working day's.
func sessionToTake(t *testing.T, ta *testApp, trainer uint64) *store.Session {
	t.Helper()
	today := ta.st.Today()
	list, err := ta.st.TrainerSessions(trainer, today.AddDate(0, 0, -30), today, 50)
	if err != nil {
		t.Fatal(err)
	}
	var found *store.Session
	for i := range list {
		marks, _ := ta.st.Marks(list[i].ID)
		if len(marks) == 0 && len(list[i].Participants) > 1 && list[i].Status == store.SessionPlanned {
			found = &list[i] // the latest wins: today's, if there is one
		}
	}
	if found == nil {
		t.Fatal("the demo trainer has no session waiting for attendance")
	}
	return found
}

// A coordinator plans a session that clashes with a trainer's other
// session and is shown the clash, with the way to the other session; moves
// a milestone to yesterday and sees it late on the timeline; reads the
// hours delivered against the contract and follows the figure to the
// sessions behind it. With JavaScript and without.
func TestJourneyCoordinator(t *testing.T) {
	for _, js := range []bool{true, false} {
		ta := newTestApp(t)
		base := ta.serve(t)
		j := newJourney(t, "coordinator", js)
		j.run("sign in", signInAs(base, "koordynator"))

		// The clash: the demo trainer's next session, planned again in its
		// course at the same hour with the same trainer.
		trener, _ := ta.st.UserByLogin("trener")
		mine, err := ta.st.TrainerOfUser(trener.ID)
		if err != nil || mine == nil {
			t.Fatalf("the demo trainer account has no trainer: %v", err)
		}
		today := ta.st.Today()
		next, err := ta.st.TrainerSessions(mine.ID, today.AddDate(0, 0, 1), store.Forever, 1)
		if err != nil || len(next) == 0 {
			t.Fatalf("the demo trainer has no coming session: %v", err)
		}
		other := next[0]
		before, _ := ta.st.CourseSessions(other.CourseID)
		course := "/schedule/courses/" + strconv.FormatUint(other.CourseID, 10)
		otherPath := "/schedule/sessions/" + strconv.FormatUint(other.ID, 10)
		j.run("plan a session", chromedp.Navigate(base+course), chromedp.WaitVisible(`a[href="`+course+`/sessions/new"]`, chromedp.ByQuery),
			chromedp.Click(`a[href="`+course+`/sessions/new"]`, chromedp.ByQuery), chromedp.WaitVisible(`#date`, chromedp.ByID),
			chromedp.SendKeys(`#topic`, "Szkolenie dodatkowe", chromedp.ByID),
			chromedp.SetValue(`#date`, other.Date.Format("2006-01-02"), chromedp.ByID),
			chromedp.SetValue(`#start`, clockText(other.Start), chromedp.ByID),
			chromedp.SetValue(`#end`, clockText(other.End+60), chromedp.ByID),
			chromedp.Click(`#trainer-`+strconv.FormatUint(mine.ID, 10), chromedp.ByID),
			chromedp.Click(`#main form button.primary`, chromedp.ByQuery),
			chromedp.WaitVisible(`#conflicts-h`, chromedp.ByID))
		var clash string
		j.run("read the clash", chromedp.Text(`ul.conflicts`, &clash, chromedp.ByQuery))
		if !strings.Contains(clash, mine.Name) {
			t.Fatalf("js %v: the clash does not name the trainer %s: %q", js, mine.Name, clash)
		}
		if after, _ := ta.st.CourseSessions(other.CourseID); len(after) != len(before) {
			t.Fatalf("js %v: a clashing session was saved without a reason: %d sessions, were %d", js, len(after), len(before))
		}
		var heading string
		j.run("the other session", chromedp.Click(`ul.conflicts a[href="`+otherPath+`"]`, chromedp.ByQuery),
			arrived(otherPath, `#attendance-h`), chromedp.Text(`h1`, &heading, chromedp.ByQuery))
		if want := other.Topic; want != "" && !strings.Contains(heading, want) {
			t.Fatalf("js %v: the clash's link opens %q, not %q", js, heading, want)
		}

		j.replanMilestone(ta, base)
		j.hoursBehindAFigure(ta, base)
		for _, p := range j.problems() {
			// The refused save asked for on purpose above.
			if !strings.Contains(p, "status of 409") {
				t.Errorf("%s: the browser reported: %s", j.name, p)
			}
		}
	}
}

func clockText(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// replanMilestone moves an open milestone of a running project to
// yesterday, giving a reason, and finds it late on the project's timeline,
// marked by a sign and by words, with the original date still shown.
func (j *journey) replanMilestone(ta *testApp, base string) {
	t := j.t
	t.Helper()
	o, err := ta.st.Org()
	if err != nil {
		t.Fatal(err)
	}
	today := ta.st.Today()
	var project, milestone uint64
	var title string
	for _, p := range o.Projects {
		for _, m := range o.MilestonesOf(p.ID) {
			if project == 0 && !p.Frozen() && m.Open() && !m.Late(today) {
				project, milestone, title = p.ID, m.ID, m.Title
			}
		}
	}
	if project == 0 {
		t.Fatal("the demo has no open milestone to re-plan")
	}
	page := base + "/projects/" + strconv.FormatUint(project, 10)
	replan := "/projects/milestones/" + strconv.FormatUint(milestone, 10) + "/replan"
	var before int
	j.run("the project", chromedp.Navigate(page), chromedp.WaitVisible(`#milestones-h`, chromedp.ByID),
		chromedp.Evaluate(`document.querySelectorAll("svg.timeline-chart g.tl-row.late").length`, &before))
	j.run("open the re-plan form", chromedp.Click(`a[href="`+replan+`"]`, chromedp.ByQuery), chromedp.WaitVisible(`#reason`, chromedp.ByID))
	j.run("re-plan",
		chromedp.SetValue(`#planned_from`, today.AddDate(0, 0, -1).Format("2006-01-02"), chromedp.ByID),
		chromedp.SendKeys(`#reason`, "Zmiana terminu przez instytucję pośredniczącą", chromedp.ByID),
		// A click, as a person submits (form.submit() would bypass htmx).
		chromedp.Click(`#main form button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#milestone-`+strconv.FormatUint(milestone, 10), chromedp.ByID))
	var late, marks int
	var label, hint, row string
	j.run("read the timeline",
		chromedp.Evaluate(`document.querySelectorAll("svg.timeline-chart g.tl-row.late").length`, &late),
		chromedp.Evaluate(`document.querySelectorAll("svg.timeline-chart g.tl-row.late .tl-late-mark").length`, &marks),
		chromedp.Evaluate(`[...document.querySelectorAll("svg.timeline-chart g.tl-row.late")].map(g => g.querySelector("title").textContent).join("\n")`, &hint),
		chromedp.Evaluate(`[...document.querySelectorAll("svg.timeline-chart g.tl-row.late .tl-label")].map(t => t.textContent).join("\n")`, &label),
		chromedp.Text(`#milestone-`+strconv.FormatUint(milestone, 10), &row, chromedp.ByID))
	if late != before+1 || marks != late {
		t.Fatalf("%s: late rows on the timeline: %d before, %d after, %d late signs", j.name, before, late, marks)
	}
	if !strings.Contains(hint, title) || !strings.Contains(label, "opóźniony") {
		t.Fatalf("%s: the late row does not name the milestone or say it is late:\n%s\n%s", j.name, hint, label)
	}
	if !strings.Contains(row, "opóźniony") || !strings.Contains(row, "pierwotnie:") || !strings.Contains(row, "Zmiany terminu: 1") {
		t.Fatalf("%s: the table row: %q", j.name, row)
	}
	screenshot(t, j.ctx, j.name+"-replanned")
}

// hoursBehindAFigure opens the demo project's indicator of delivered hours,
// whose figure is the held sessions' hours of its courses, checks it
// against the courses' own pages (delivered against the contract), and
// follows the figure to the sessions behind it.
func (j *journey) hoursBehindAFigure(ta *testApp, base string) {
	t := j.t
	t.Helper()
	o, _ := ta.st.Org()
	var ind *store.Indicator
	for _, p := range o.Projects {
		for _, i := range o.IndicatorsOf(p.ID) {
			if ind == nil && i.Source == store.SourceHours && len(i.CourseIDs) > 0 {
				ind = i
			}
		}
	}
	if ind == nil {
		t.Fatal("the demo has no indicator of delivered hours")
	}
	units, held := 0, 0
	for _, id := range ind.CourseIDs {
		c, err := ta.st.Course(id)
		if err != nil {
			t.Fatal(err)
		}
		d, _, _, err := ta.st.CourseDelivery(c)
		if err != nil {
			t.Fatal(err)
		}
		units, held = units+d.Units, held+d.Held
	}
	path := "/projects/indicators/" + strconv.FormatUint(ind.ID, 10)
	var facts string
	var rows int
	j.run("the indicator", chromedp.Navigate(base+"/projects/"+strconv.FormatUint(ind.ProjectID, 10)),
		chromedp.WaitVisible(`a[href="`+path+`"]`, chromedp.ByQuery), chromedp.Click(`a[href="`+path+`"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#behind-h`, chromedp.ByID),
		chromedp.Text(`dl.facts`, &facts, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("#behind tbody tr").length`, &rows))
	if !strings.Contains(facts, strconv.Itoa(units)) || !strings.Contains(facts, strconv.FormatInt(ind.Target, 10)) {
		t.Fatalf("%s: the indicator's figures %q, want %d of %d", j.name, facts, units, ind.Target)
	}
	if rows != held {
		t.Fatalf("%s: %d sessions behind the figure, the courses held %d", j.name, rows, held)
	}
	// The course: delivered against the contract, the same hours.
	course := "/schedule/courses/" + strconv.FormatUint(ind.CourseIDs[0], 10)
	var delivery string
	j.run("the course", chromedp.Click(`a[href="`+course+`"]`, chromedp.ByQuery), arrived(course, `progress`),
		chromedp.Text(`#main table`, &delivery, chromedp.ByQuery))
	c, _ := ta.st.Course(ind.CourseIDs[0])
	d, _, _, _ := ta.st.CourseDelivery(c)
	if !strings.Contains(delivery, strconv.Itoa(d.Units)) || !strings.Contains(delivery, strconv.Itoa(c.ContractedHours)) {
		t.Fatalf("%s: the course's delivery %q, want %d of %d", j.name, delivery, d.Units, c.ContractedHours)
	}
	// Back to the figure, and to the first session behind it.
	var first, heading string
	j.run("a session behind the figure", chromedp.Navigate(base+path), chromedp.WaitVisible(`#behind-h`, chromedp.ByID),
		chromedp.AttributeValue(`#behind tbody a`, "href", &first, nil, chromedp.ByQuery),
		chromedp.Click(`#behind tbody a`, chromedp.ByQuery), chromedp.WaitVisible(`#attendance-h`, chromedp.ByID),
		chromedp.Text(`h1`, &heading, chromedp.ByQuery))
	id, _ := strconv.ParseUint(strings.TrimPrefix(first, "/schedule/sessions/"), 10, 64)
	ss, err := ta.st.Session(id)
	if err != nil || !slices.Contains(ind.CourseIDs, ss.CourseID) {
		t.Fatalf("%s: the first session behind the figure %s is not of the indicator's courses: %v", j.name, first, err)
	}
}
