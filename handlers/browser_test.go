package handlers

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium finds Debian's Chromium; CI installs it (see .ci/run).
func chromium(t *testing.T) string {
	for _, name := range []string{os.Getenv("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("Chromium is not installed; .ci/run installs the chromium package")
	}
	t.Skip("Chromium is not installed (apt-get install chromium)")
	return ""
}

// browser starts headless Chromium and collects every console error,
// uncaught exception and browser log error (CSP violations land there).
func browser(t *testing.T) (context.Context, func() []string) {
	// Not t.TempDir: Chromium may still write its profile while it exits.
	profile, err := os.MkdirTemp("", "intranet-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.UserDataDir(profile),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1280, 900),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
		_ = os.RemoveAll(profile)
	})
	var mu sync.Mutex
	var problems []string
	chromedp.ListenTarget(ctx, func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.APITypeError || e.Type == runtime.APITypeWarning {
				var parts []string
				for _, a := range e.Args {
					parts = append(parts, string(a.Value)+a.Description)
				}
				problems = append(problems, "console "+string(e.Type)+": "+strings.Join(parts, " "))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text+" "+e.ExceptionDetails.Error())
		case *cdplog.EventEntryAdded:
			if e.Entry.Level == cdplog.LevelError || e.Entry.Level == cdplog.LevelWarning {
				problems = append(problems, "log "+string(e.Entry.Source)+": "+e.Entry.Text+" "+e.Entry.URL)
			}
		}
	})
	if err := chromedp.Run(ctx, runtime.Enable(), cdplog.Enable()); err != nil {
		t.Fatal(err)
	}
	return ctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// screenshot keeps a picture of the page when SCREENSHOTS names a folder.
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	if err := chromedp.Run(ctx, chromedp.FullScreenshot(&png, 100)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestBrowserSignInAndHtmxNavigation(t *testing.T) {
	ta := newTestApp(t)
	base := ta.serve(t)
	ctx, problems := browser(t)

	var loc, title, marker, results string
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			t.Fatalf("%s: %v (browser problems: %v)", step, err, problems())
		}
	}
	run("open", chromedp.Navigate(base+"/admin/users"), chromedp.WaitVisible(`#login`, chromedp.ByID), chromedp.Location(&loc))
	if !strings.Contains(loc, "/login?next=") {
		t.Fatalf("not sent to sign-in: %s", loc)
	}
	screenshot(t, ctx, "login")
	run("sign in",
		chromedp.SendKeys(`#login`, "admin", chromedp.ByID),
		chromedp.SendKeys(`#password`, "demo", chromedp.ByID),
		chromedp.Submit(`#password`, chromedp.ByID),
		chromedp.WaitVisible(`#user-results`, chromedp.ByID),
		chromedp.Location(&loc))
	if loc != base+"/admin/users" {
		t.Fatalf("after sign-in at %s, want the page asked for", loc)
	}

	// A menu click swaps #main through htmx: the page (and this marker) stays.
	run("navigate",
		chromedp.Evaluate(`window.stillHere = "yes"; "ok"`, nil),
		chromedp.Click(`#site-nav a[href="/"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#home-news`, chromedp.ByID),
		chromedp.Evaluate(`window.stillHere || "reloaded"`, &marker),
		chromedp.Location(&loc),
		chromedp.Title(&title))
	if marker != "yes" {
		t.Fatal("the menu link reloaded the whole page instead of swapping #main")
	}
	if loc != base+"/" || !strings.HasPrefix(title, "Strona główna") {
		t.Fatalf("after htmx navigation: url %s, title %q", loc, title)
	}
	screenshot(t, ctx, "home")

	// Active search: typing filters the list without a reload and the URL follows.
	run("search",
		chromedp.Click(`#site-nav a[href="/admin"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#admin-backup`, chromedp.ByID),
		chromedp.Click(`a[href="/admin/users"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#q`, chromedp.ByID),
		chromedp.SendKeys(`#q`, "tren", chromedp.ByID),
		chromedp.Poll(`!document.querySelector('#user-results').innerText.includes('Piotr')`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Text(`#user-results`, &results, chromedp.ByID),
		chromedp.Evaluate(`window.stillHere || "reloaded"`, &marker),
		chromedp.Location(&loc))
	if !strings.Contains(results, "Tomasz Trenerski") || marker != "yes" || !strings.Contains(loc, "q=tren") {
		t.Fatalf("search: results %q, marker %q, url %s", results, marker, loc)
	}
	screenshot(t, ctx, "users")

	// Back restores the previous page from htmx's history.
	// Back twice: past the search's own history entry, to the administration page.
	run("back",
		chromedp.Evaluate(`history.back(); "ok"`, nil),
		chromedp.Poll(`!location.search.includes("q=tren")`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Evaluate(`history.back(); "ok"`, nil),
		chromedp.WaitVisible(`#admin-backup`, chromedp.ByID),
		chromedp.Location(&loc))
	if loc != base+"/admin" {
		t.Fatalf("back at %s", loc)
	}

	run("audit", chromedp.Navigate(base+"/admin/audit"), chromedp.WaitVisible(`table.audit`, chromedp.ByQuery))
	screenshot(t, ctx, "audit")

	if p := problems(); len(p) > 0 {
		t.Fatalf("browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}
