package handlers

import (
	"bytes"
	"compress/gzip"
	"errors"
	"html/template"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

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

// Requests that miss the same kept content at once wait for one of them
// to make it: a changed phone book is rendered once, not once a request.
func TestKeptContentIsMadeOnceForRequestsAtOnce(t *testing.T) {
	var c kept[int]
	var builds atomic.Int32
	start := make(chan struct{})
	var wg sync.WaitGroup
	got := make([]int, 20)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			got[i], _ = keep(&c, contentKey{name: "n", version: 1}, func() (int, error) {
				builds.Add(1)
				time.Sleep(50 * time.Millisecond) // the others arrive meanwhile
				return 42, nil
			})
		}()
	}
	close(start)
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Fatalf("made %d times", n)
	}
	for i, v := range got {
		if v != 42 {
			t.Fatalf("request %d got %d", i, v)
		}
	}
	// A failure is not kept: the next request tries again.
	if _, err := keep(&c, contentKey{name: "e", version: 1}, func() (int, error) { return 0, errors.New("disk") }); err == nil {
		t.Fatal("error lost")
	}
	if v, err := keep(&c, contentKey{name: "e", version: 1}, func() (int, error) { return 7, nil }); err != nil || v != 7 {
		t.Fatalf("after a failure: %d %v", v, err)
	}
}

// A kept page with forms carries each reader's own CSRF token, and its
// forms work for each of them.
func TestKeptSessionPageCarriesEachReadersToken(t *testing.T) {
	ta := newTestApp(t)
	f := newScheduleFixture(t, ta)
	a, b := ta.loggedIn(t, "admin"), ta.loggedIn(t, "koordynator")
	pa, pb := a.get(sessionPath(f.own)), b.get(sessionPath(f.own))
	for _, r := range []struct {
		page  response
		token string
	}{{pa, a.csrf}, {pb, b.csrf}} {
		if r.token == "" || !strings.Contains(r.page.body, `name="_csrf" value="`+r.token+`"`) {
			t.Fatalf("the page does not carry the reader's token %q", r.token)
		}
	}
	if a.csrf == b.csrf || strings.Contains(pb.body, a.csrf) {
		t.Fatal("one reader's token reached another")
	}
	if strings.Contains(pb.body, "~") && strings.Contains(pb.body, "value=\"~") {
		t.Fatal("the token's stand-in was left in the page")
	}
	id := strconv.FormatUint(f.people[0], 10)
	if r := b.post(sessionPath(f.own)+"/attendance", url.Values{"p_" + id: {"present"}, "v_" + id: {"0"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("a form of the kept page: %d\n%s", r.status, r.body)
	}
}

// What is kept is bounded in bytes as well as in entries: walking many
// keys (every day of the structure's history) keeps at most the budget,
// the latest made is kept, a value larger than the budget is answered but
// not kept, and a new version starts the count again.
func TestKeptIsBoundedInBytes(t *testing.T) {
	c := kept[template.HTML]{budget: 1000}
	page := template.HTML(strings.Repeat("x", 100))
	for i := range 50 {
		k := contentKey{name: "org", key: strconv.Itoa(i), version: 1}
		if v, err := keep(&c, k, func() (template.HTML, error) { return page, nil }); err != nil || v != page {
			t.Fatalf("entry %d: %q %v", i, v, err)
		}
		total := 0
		for _, v := range c.items {
			total += len(v)
		}
		if total != c.bytes || c.bytes > 1000 || len(c.items) > 10 {
			t.Fatalf("after %d entries: %d entries, %d bytes counted, %d held", i+1, len(c.items), c.bytes, total)
		}
		if _, ok := c.items[k]; !ok {
			t.Fatalf("entry %d is not kept", i)
		}
	}
	if len(c.items) != 10 {
		t.Errorf("a full budget holds %d entries of a tenth of it", len(c.items))
	}
	huge := template.HTML(strings.Repeat("y", 1001))
	k := contentKey{name: "org", key: "huge", version: 1}
	if v, _ := keep(&c, k, func() (template.HTML, error) { return huge, nil }); v != huge {
		t.Fatal("a value larger than the budget is not answered")
	}
	if _, ok := c.items[k]; ok || c.bytes > 1000 {
		t.Fatalf("a value larger than the budget is kept (%d bytes)", c.bytes)
	}
	keep(&c, contentKey{name: "org", key: "new", version: 2}, func() (template.HTML, error) { return page, nil })
	if len(c.items) != 1 || c.bytes != 100 {
		t.Fatalf("a new version keeps %d entries, %d bytes", len(c.items), c.bytes)
	}
	// Documents are kept gzipped only.
	if n := sizeOf(&storedDocument{gzipped: make([]byte, 40)}); n != 40 {
		t.Errorf("a document counts %d bytes", n)
	}
}
