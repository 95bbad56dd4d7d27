package handlers

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/page"
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
	return browserWithin(t, 90*time.Second)
}

// browserWithin is browser for a test that needs longer than 90 seconds.
func browserWithin(t *testing.T, limit time.Duration) (context.Context, func() []string) {
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
	ctx, cancelTimeout := context.WithTimeout(ctx, limit)
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

// htmxReady waits until the page shows sel and htmx has finished with it:
// no request in flight, nothing being swapped or settling. htmx attaches the
// behaviour of new content (the active search's "input" listener, boosted
// links) only when it settles, after the content is already visible: typing
// into a field that is merely visible can be lost, so the search never runs
// ("waiting for function failed: timeout"), and a click on a link can load
// the whole page. sel must be something only the expected page has.
func htmxReady(sel string) chromedp.Action {
	return chromedp.Poll(`document.readyState === "complete" && !!document.querySelector(`+strconv.Quote(sel)+`) &&
		!document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")`,
		nil, chromedp.WithPollingTimeout(10*time.Second))
}

// signInAs signs in through the form (demo password) and waits for the
// home page.
func signInAs(base, login string) chromedp.Tasks {
	return chromedp.Tasks{
		chromedp.Navigate(base + "/login"),
		chromedp.SendKeys(`#login`, login, chromedp.ByID),
		chromedp.SendKeys(`#password`, "demo", chromedp.ByID),
		chromedp.Submit(`#password`, chromedp.ByID),
		chromedp.WaitVisible(`#site-nav a[href="/"]`, chromedp.ByQuery), // the menu: signed in
	}
}

// needPdftotext skips a test that reads a PDF where poppler-utils is not
// installed, and fails it in CI, which installs them.
func needPdftotext(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext is needed in CI (apt-get install poppler-utils)")
		}
		t.Skip("pdftotext is not installed")
	}
}

// pdfWords is a PDF's text as pdftotext lays it out, in one line with
// single spaces.
func pdfWords(t *testing.T, pdf []byte) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "printed.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// printPage prints the page shown as on paper, with the page's own @page size.
func printPage(pdf *[]byte) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		var err error
		*pdf, _, err = page.PrintToPDF().WithPreferCSSPageSize(true).Do(ctx)
		return err
	})
}

// screenshot keeps a picture of the page when SCREENSHOTS names a folder.
func screenshot(t *testing.T, ctx context.Context, name string) {
	shoot(t, ctx, name, func(png *[]byte) chromedp.Action { return chromedp.FullScreenshot(png, 100) })
}

// screenshotScreen keeps a picture of what the window shows (the first
// screen, as a person sees it before scrolling) when SCREENSHOTS names a folder.
func screenshotScreen(t *testing.T, ctx context.Context, name string) {
	shoot(t, ctx, name, func(png *[]byte) chromedp.Action { return chromedp.CaptureScreenshot(png) })
}

func shoot(t *testing.T, ctx context.Context, name string, take func(*[]byte) chromedp.Action) {
	dir := os.Getenv("SCREENSHOTS")
	if dir == "" {
		return
	}
	var png []byte
	if err := chromedp.Run(ctx, take(&png)); err != nil {
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
		htmxReady(`#home-news`),
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
	// Type only once htmx has settled the new page (see htmxReady), then wait
	// for exactly the answer: the trainer listed, the others gone, the URL
	// pushed, htmx done.
	run("search",
		chromedp.Click(`#site-nav a[href="/admin"]`, chromedp.ByQuery),
		htmxReady(`#admin-backup`),
		chromedp.Click(`a[href="/admin/users"]`, chromedp.ByQuery),
		htmxReady(`#user-results`),
		chromedp.SendKeys(`#q`, "tren", chromedp.ByID),
		chromedp.Poll(`(() => {
			const r = document.querySelector("#user-results tbody");
			return !!r && r.innerText.includes("Tomasz Trenerski") && !r.innerText.includes("Piotr") && location.search.includes("q=tren");
		})()`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		htmxReady(`#user-results`),
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
