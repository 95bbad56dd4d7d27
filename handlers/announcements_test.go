package handlers

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

var expiredTitle = regexp.MustCompile(`Wygasły komunikat \d\d`)

// The expired announcements come a page at a time, the latest to end
// first; the current ones stay on every page.
func TestExpiredAnnouncementsArePaged(t *testing.T) {
	ta := newTestApp(t)
	// Thirty more expired ones, each ending a day after the one before,
	// all later than the demo's two expired ones (2020 and 2022).
	ids := map[string]uint64{}
	for i := range 30 {
		end := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		n := store.Announcement{Title: fmt.Sprintf("Wygasły komunikat %02d", i), Body: "Treść.", ValidFrom: end.AddDate(0, 0, -7), ValidTo: end}
		if err := ta.st.SaveAnnouncement(store.System, &n, 0); err != nil {
			t.Fatal(err)
		}
		ids[n.Title] = n.ID
	}
	c := ta.loggedIn(t, "admin")

	first := c.get("/announcements")
	mustContain(t, first, "Kasa czynna we wtorki", "Wygasłe (32)", `<details class="expired" id="expired">`,
		"Strona 1 z 2", `aria-label="Strony wygasłych komunikatów"`, `href="/announcements?page=2#expired"`,
		"Wygasły komunikat 29", "Wygasły komunikat 05")
	mustNotContain(t, first, "Wygasły komunikat 04", "Wznowienie bezpośredniej obsługi klientów", `rel="prev"`)

	second := c.get("/announcements?page=2")
	mustContain(t, second, "Kasa czynna we wtorki", "Wygasłe (32)", `<details class="expired" id="expired" open>`,
		"Strona 2 z 2", `href="/announcements?page=1#expired"`,
		"Wygasły komunikat 04", "Wygasły komunikat 00", "Organizacja pracy od 13.10.2020", "Wznowienie bezpośredniej obsługi klientów")
	mustNotContain(t, second, "Wygasły komunikat 05", `rel="next"`)

	// Every expired announcement is on one page, and on one only.
	seen := map[string]int{}
	for _, r := range []response{first, second} {
		for _, title := range expiredTitle.FindAllString(r.body, -1) {
			seen[title]++
		}
	}
	if len(seen) != 30 {
		t.Fatalf("%d of 30 expired announcements shown", len(seen))
	}
	for title, n := range seen {
		if n != 1 {
			t.Errorf("%s shown %d times", title, n)
		}
	}

	// Past the end (however far): the last page; junk: the first.
	for path, want := range map[string]string{
		"/announcements?page=99":                      "Strona 2 z 2",
		"/announcements?page=99999999999999999999999": "Strona 2 z 2",
		"/announcements?page=abc":                     "Strona 1 z 2",
		"/announcements?page=-3":                      "Strona 1 z 2",
		"/announcements?page=0":                       "Strona 1 z 2",
		"/announcements?page=":                        "Strona 1 z 2",
	} {
		r := c.get(path)
		if r.status != fiber.StatusOK {
			t.Fatalf("%s: %d", path, r.status)
		}
		mustContain(t, r, want)
	}

	// A staff member reads the same pages without the editing links.
	staff := ta.loggedIn(t, "pracownik").get("/announcements?page=2")
	mustContain(t, staff, "Wygasły komunikat 00", "Strona 2 z 2")
	mustNotContain(t, staff, "/edit")

	// Saving an expired announcement lands on its page, unfolded.
	old := ids["Wygasły komunikat 00"]
	c.get(fmt.Sprintf("/announcements/%d/edit", old))
	r := c.post(fmt.Sprintf("/announcements/%d", old), url.Values{"version": {"1"}, "title": {"Wygasły komunikat 00"},
		"body": {"Treść poprawiona."}, "valid_from": {"2022-12-25"}, "valid_to": {"2023-01-01"}})
	want := "/announcements?page=2&ok=saved#announcement-" + strconv.FormatUint(old, 10)
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != want {
		t.Fatalf("save: %d to %q, want %q", r.status, r.header.Get("Location"), want)
	}
	mustContain(t, c.get(want), "Treść poprawiona.")
}

// Without announcements the page says so, and page numbers do no harm.
func TestAnnouncementsEmpty(t *testing.T) {
	ta := newTestApp(t)
	all, err := ta.st.Announcements()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range all {
		if err := ta.st.DeleteAnnouncement(store.System, n.ID, n.Version); err != nil {
			t.Fatal(err)
		}
	}
	c := ta.loggedIn(t, "admin")
	for _, path := range []string{"/announcements", "/announcements?page=3", "/announcements?page=x"} {
		r := c.get(path)
		if r.status != fiber.StatusOK {
			t.Fatalf("%s: %d", path, r.status)
		}
		mustContain(t, r, "Brak aktualnych komunikatów.")
		mustNotContain(t, r, `id="expired"`, `class="pager"`)
	}
}
