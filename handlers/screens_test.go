package handlers

import (
	"os"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestScreens keeps pictures of the main pages for a person to look at; it
// runs only when SCREENSHOTS names a folder.
func TestScreens(t *testing.T) {
	if os.Getenv("SCREENSHOTS") == "" {
		t.Skip("set SCREENSHOTS=folder to take pictures of the pages")
	}
	ta := newTestApp(t)
	base := ta.serve(t)
	ctx, problems := browser(t)
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(`#login`, "admin", chromedp.ByID), chromedp.SendKeys(`#password`, "demo", chromedp.ByID),
		chromedp.Submit(`#password`, chromedp.ByID), chromedp.WaitVisible(`#home-news`, chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{"home": "/", "org": "/org?date=2017-09-01", "org-before": "/org?date=2017-08-31",
		"unit": "/org/units/11", "staff": "/staff?q=socjal", "phones": "/staff/phones", "locations": "/locations",
		"announcements": "/announcements", "unit-form": "/org/units/11/edit", "person": "/staff/20", "person-form": "/staff/20/edit",
		"location-form": "/locations/1/edit", "import": "/staff/import", "audit": "/admin/audit", "admin": "/admin"} {
		if err := chromedp.Run(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(`h1`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		screenshot(t, ctx, name)
	}
	// The first screen of a long page, as a person sees it.
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/admin/audit"), chromedp.WaitVisible(`h1`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	screenshotScreen(t, ctx, "audit-screen")
	// A form sent with bad values comes back with the summary and the messages.
	if err := chromedp.Run(ctx, chromedp.Navigate(base+"/locations/new"), chromedp.WaitVisible(`#name`, chromedp.ByID),
		chromedp.SendKeys(`#postal_code`, "42600", chromedp.ByID), chromedp.SendKeys(`#hours1`, "15-9", chromedp.ByID),
		chromedp.Submit(`#name`, chromedp.ByID), chromedp.WaitVisible(`.error-summary`, chromedp.ByQuery)); err != nil {
		t.Fatal(err)
	}
	screenshot(t, ctx, "location-errors")
	// A phone-sized screen.
	for name, path := range map[string]string{"mobile-staff": "/staff?q=socjal", "mobile-org": "/org"} {
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+path), chromedp.WaitVisible(`h1`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		screenshot(t, ctx, name)
	}
	var unexpected []string
	for _, p := range problems() {
		if !strings.Contains(p, "status of 422") { // the bad form above, answered 422 on purpose
			unexpected = append(unexpected, p)
		}
	}
	if p := unexpected; len(p) > 0 {
		t.Fatalf("browser problems: %v", p)
	}
}
