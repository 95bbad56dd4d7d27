package handlers

import (
	"os"
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
		"location-form": "/locations/1/edit", "import": "/staff/import"} {
		if err := chromedp.Run(ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(`h1`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		screenshot(t, ctx, name)
	}
	// A phone-sized screen.
	for name, path := range map[string]string{"mobile-staff": "/staff?q=socjal", "mobile-org": "/org"} {
		if err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(base+path), chromedp.WaitVisible(`h1`, chromedp.ByQuery)); err != nil {
			t.Fatal(err)
		}
		screenshot(t, ctx, name)
	}
	if p := problems(); len(p) > 0 {
		t.Fatalf("browser problems: %v", p)
	}
}
