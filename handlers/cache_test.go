package handlers

import (
	"bytes"
	"compress/gzip"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// Pages kept between requests follow every change of the data: the tree,
// the directory's rows, the locations and the printable phone list.
func TestCachedPagesFollowChanges(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	people, _ := ta.st.People()
	p := people[0]
	for _, path := range []string{"/staff?q=" + p.LastName, "/staff/phones", "/org/units/1"} {
		c.get(path) // fill the caches
	}
	phones := c.get("/staff/phones")
	etag := phones.header.Get(fiber.HeaderETag)
	if phones.status != fiber.StatusOK || etag == "" {
		t.Fatalf("phone list: %d, ETag %q", phones.status, etag)
	}
	if r := c.do("GET", "/staff/phones", nil, map[string]string{"If-None-Match": etag}); r.status != fiber.StatusNotModified || r.body != "" {
		t.Fatalf("unchanged phone list: %d (%d bytes)", r.status, len(r.body))
	}

	p.LastName = "Przemianowana"
	if err := ta.st.SavePerson(store.System, &p, 0); err != nil {
		t.Fatal(err)
	}
	mustContain(t, c.get("/staff?q=Przemianowana"), "Przemianowana")
	r := c.do("GET", "/staff/phones", nil, map[string]string{"If-None-Match": etag})
	if r.status != fiber.StatusOK || r.header.Get(fiber.HeaderETag) == etag {
		t.Fatalf("changed phone list: %d, ETag %q", r.status, r.header.Get(fiber.HeaderETag))
	}
	if p.EmployedOn(ta.st.Today()) {
		mustContain(t, r, "Przemianowana")
	}

	u, _ := ta.st.Unit(1)
	st := u.Current()
	st.Name = "Dyrekcja po zmianie"
	if _, err := ta.st.SaveUnitState(store.System, 1, 0, st); err != nil {
		t.Fatal(err)
	}
	mustContain(t, c.get("/org"), "Dyrekcja po zmianie")
	mustContain(t, c.get("/org/units/1"), "Dyrekcja po zmianie")
}

func TestPrintableDocumentIsCompressedForBrowsersThatAsk(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "pracownik")
	plain := c.get("/staff/phones")
	r := c.do("GET", "/staff/phones", nil, map[string]string{"Accept-Encoding": "gzip"})
	if r.header.Get(fiber.HeaderContentEncoding) != "gzip" || !strings.Contains(r.header.Get(fiber.HeaderVary), "Accept-Encoding") {
		t.Fatalf("headers %v", r.header)
	}
	zr, err := gzip.NewReader(bytes.NewReader([]byte(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if string(body) != plain.body || len(r.body) >= len(plain.body) {
		t.Fatalf("gzip copy differs or is not smaller (%d vs %d)", len(r.body), len(plain.body))
	}
	// It holds nothing of the person who asked: no token, no name.
	mustNotContain(t, plain, "csrf", "user-link", "/logout")
	// htmx never swaps a whole document into a page.
	if r := c.do("GET", "/staff/phones", nil, map[string]string{"HX-Request": "true"}); r.header.Get("HX-Redirect") != "/staff/phones" {
		t.Fatalf("htmx request: %d %v", r.status, r.header)
	}
}

// A page of the audit log is kept until the next entry: a new entry shows
// at once.
func TestAuditPageShowsNewEntries(t *testing.T) {
	ta := newTestApp(t)
	admin := ta.loggedIn(t, "admin")
	admin.get("/admin/audit")
	n := store.Announcement{Title: "Nowy komunikat w dzienniku", Body: "Treść", ValidFrom: ta.st.Today()}
	if err := ta.st.SaveAnnouncement(store.Actor{Login: "admin"}, &n, 0); err != nil {
		t.Fatal(err)
	}
	mustContain(t, admin.get("/admin/audit"), "Nowy komunikat w dzienniku")
}

// Kept pages that print the centre's name or account names follow them too.
func TestKeptPagesFollowTheCentreAndAccounts(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	c.get("/staff/phones")
	c.get("/admin/audit?entity=user")
	centre := ta.st.Centre()
	centre.Name = "Ośrodek po zmianie nazwy"
	if err := ta.st.SetCentre(store.System, centre, centre.Version); err != nil {
		t.Fatal(err)
	}
	mustContain(t, c.get("/staff/phones"), "Ośrodek po zmianie nazwy")
	u, _ := ta.st.UserByLogin("trener")
	if _, err := ta.st.UpdateUser(store.System, u.ID, 0, store.ActionUpdate, func(x *store.User) error {
		x.Name = "Trener Przemianowany"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	mustContain(t, c.get("/admin/audit?entity=user"), "Trener Przemianowany")
}

// A row rendered from a snapshot read before a change is kept under that
// snapshot's version, so a request after the change never gets it: the
// change's commit can land between reading the snapshot and keeping the row.
func TestARowFromAnOlderSnapshotIsNotKeptAsNew(t *testing.T) {
	ta := newTestApp(t)
	engine, err := views.NewEngine()
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{st: ta.st, views: engine}
	u := findUnit(t, ta, "Zespół Realizacji Świadczeń")
	l, day := views.For("pl"), ta.st.Today()
	key := strconv.FormatUint(u.ID, 10) + "|" + views.ISODate(day)

	before, _ := s.loadOrg() // a request reads the snapshot…
	st := u.Current()
	st.Name, st.From = "Zespół po zmianie nazwy", day
	if _, err := ta.st.SaveUnitState(store.System, u.ID, u.Version, st); err != nil { // …a change commits…
		t.Fatal(err)
	}
	old := before.UnitByID[u.ID] // …and the request keeps what it rendered
	if _, err := s.row(l, before, "unit-body", key, unitOn(before, old, day, false)); err != nil {
		t.Fatal(err)
	}
	after, _ := s.loadOrg()
	body, err := s.cachedRow(l, after.Version, "unit-body", key, func() (any, error) {
		return unitOn(after, after.UnitByID[u.ID], day, false), nil
	})
	if err != nil || !strings.Contains(string(body), "Zespół po zmianie nazwy") {
		t.Fatalf("a request after the change got the old page (%v)", err)
	}
}
