package handlers

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// locationCard finds the IDs of the cards of a page of locations: those in
// use and the archived ones.
var locationCard = regexp.MustCompile(`<section class="card location( muted)?" id="location-(\d+)"`)

func locationCards(r response) (open, archived []string) {
	for _, m := range locationCard.FindAllStringSubmatch(r.body, -1) {
		if m[1] != "" {
			archived = append(archived, m[2])
		} else {
			open = append(open, m[2])
		}
	}
	return open, archived
}

// The locations in use come a page at a time, and so do the archived ones
// below them, each pager keeping the other's page.
func TestLocationsArePaged(t *testing.T) {
	ta := newTestApp(t)
	add := func(name string, archived bool) uint64 {
		l := store.Location{Name: name, Street: "ul. Nowa 1", PostalCode: "42-600", City: "Tarnowskie Góry", Archived: archived}
		if err := ta.st.SaveLocation(store.System, &l, 0); err != nil {
			t.Fatal(err)
		}
		return l.ID
	}
	// The demo has 8 locations in use and 2 archived: with these, 21 in
	// use on three pages of ten, 11 archived on two.
	for i := range 13 {
		add(fmt.Sprintf("Punkt %02d", i), false)
	}
	for i := range 9 {
		add(fmt.Sprintf("Archiwum %02d", i), true)
	}
	c := ta.loggedIn(t, "admin")

	first := c.get("/locations")
	mustContain(t, first, "Centrum Aktywności Seniorów", "Strona 1 z 3", "Strona 1 z 2", `aria-label="Strony lokalizacji w użyciu"`,
		`aria-label="Strony lokalizacji archiwalnych"`, `href="/locations?page=2"`, `href="/locations?page=1&amp;archived_page=2#archived"`,
		"Lokalizacje archiwalne")
	second := c.get("/locations?page=2&archived_page=2")
	mustContain(t, second, "Strona 2 z 3", "Strona 2 z 2", `href="/locations?page=1&amp;archived_page=2"`,
		`href="/locations?page=3&amp;archived_page=2"`, `href="/locations?page=2#archived"`)
	third := c.get("/locations?page=3")
	mustContain(t, third, "Strona 3 z 3", "Strona 1 z 2")
	var open, archived [3][]string
	for i, r := range []response{first, second, third} {
		open[i], archived[i] = locationCards(r)
	}
	if len(open[0]) != 10 || len(open[1]) != 10 || len(open[2]) != 1 || len(archived[0]) != 10 || len(archived[1]) != 1 {
		t.Fatalf("cards in use %d + %d + %d, archived %d + %d; want 10 + 10 + 1 and 10 + 1",
			len(open[0]), len(open[1]), len(open[2]), len(archived[0]), len(archived[1]))
	}
	// Every location is on one page of its list, and on one only.
	for _, list := range [][]string{slices.Concat(open[:]...), slices.Concat(archived[0], archived[1])} {
		seen := map[string]bool{}
		for _, id := range list {
			if seen[id] {
				t.Errorf("location %s shown twice", id)
			}
			seen[id] = true
		}
	}
	// In name order across the pages: the last in use is alone on the third.
	mustNotContain(t, first, "ul. Wyszyńskiego 135")
	mustContain(t, third, "ul. Wyszyńskiego 135")

	// Past the end (however far): the last page; junk: the first.
	for path, want := range map[string][2]int{
		"/locations?page=7&archived_page=9":                   {1, 1},
		"/locations?page=abc&archived_page=-1":                {10, 10},
		"/locations?page=99999999999999999999&archived_page=": {1, 10},
		"/locations?archived_page=2":                          {10, 1},
	} {
		r := c.get(path)
		if r.status != fiber.StatusOK {
			t.Fatalf("%s: %d", path, r.status)
		}
		open, archived := locationCards(r)
		if len(open) != want[0] || len(archived) != want[1] {
			t.Errorf("%s: %d in use and %d archived, want %v", path, len(open), len(archived), want)
		}
	}

	// Saving a location lands on its page.
	id := open[2][0]
	c.get("/locations/" + id + "/edit")
	l, _ := ta.st.Location(mustID(t, id))
	r := c.post("/locations/"+id, url.Values{"version": {strconv.Itoa(l.Version)}, "name": {l.Name}, "street": {l.Street},
		"postal_code": {l.PostalCode}, "city": {l.City}, "notes": {"Wejście od podwórka."}})
	want := "/locations?page=3&ok=saved#location-" + id
	if r.status != fiber.StatusSeeOther || r.header.Get("Location") != want {
		t.Fatalf("save: %d to %q, want %q", r.status, r.header.Get("Location"), want)
	}
	mustContain(t, c.get(want), "Wejście od podwórka.")
}

func mustID(t *testing.T, s string) uint64 {
	t.Helper()
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// With every location archived the page says there is none in use, and
// lists the archived ones without a pager while they fit on one page.
func TestLocationsEmpty(t *testing.T) {
	ta := newTestApp(t)
	all, err := ta.st.Locations()
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range all {
		if !l.Archived {
			l.Archived = true
			if err := ta.st.SaveLocation(store.System, &l, l.Version); err != nil {
				t.Fatal(err)
			}
		}
	}
	c := ta.loggedIn(t, "admin")
	for _, path := range []string{"/locations", "/locations?page=2&archived_page=3"} {
		r := c.get(path)
		if r.status != fiber.StatusOK {
			t.Fatalf("%s: %d", path, r.status)
		}
		mustContain(t, r, "Nie ma jeszcze żadnej lokalizacji.", "Lokalizacje archiwalne")
		mustNotContain(t, r, `class="pager"`)
		if open, archived := locationCards(r); len(open) != 0 || len(archived) != len(all) {
			t.Fatalf("%s: %d in use, %d archived", path, len(open), len(archived))
		}
	}
	mustContain(t, c.get("/locations"), `id="archived"`)
}
