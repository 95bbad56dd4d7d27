package handlers

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
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
		screenshot(j.t, j.ctx, j.name+"-failed")
		j.t.Fatalf("%s: %s: %v (browser problems: %v)", j.name, step, err, j.problems())
	}
}

// done fails the journey if the browser reported anything.
func (j *journey) done() {
	j.t.Helper()
	if p := j.problems(); len(p) > 0 {
		screenshot(j.t, j.ctx, j.name+"-problems")
		j.t.Fatalf("%s: the browser reported:\n%s", j.name, strings.Join(p, "\n"))
	}
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
// a backup: a file arrives and nothing is restored.
func TestJourneyAdministrator(t *testing.T) {
	ta := newTestApp(t)
	base := ta.serve(t)
	j := newJourney(t, "admin", true)
	j.run("sign in", signInAs(base, "admin"))
	j.run("create an account", chromedp.Navigate(base+"/admin/users/new"), chromedp.WaitVisible(`#login`, chromedp.ByID),
		chromedp.SendKeys(`#login`, "nowa.osoba", chromedp.ByID),
		chromedp.SendKeys(`#name`, "Nowa Osoba", chromedp.ByID),
		// a new account is a staff member's unless other roles are chosen
		chromedp.SendKeys(`#password`, "Bardzo-dlugie-haslo-2026", chromedp.ByID),
		chromedp.Click(`form[action="/admin/users"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.Poll(`!!document.querySelector(".flash, .error-summary, [role=alert]")`, nil, chromedp.WithPollingTimeout(10*time.Second)))
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
