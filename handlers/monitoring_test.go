package handlers

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
)

var noteLink = regexp.MustCompile(`href="/monitoring/notes/(\d+)"`)

// Who sees monitoring notes: the specialist, coordinators and
// administrators all of them; the head of the social work team those
// about the team; a staff member none — no menu entry, no list, no note,
// no search.
func TestMonitoringNotesAreSeenOnlyByThoseWhoMay(t *testing.T) {
	ta := newTestApp(t)
	ix, err := ta.st.Notes()
	if err != nil || len(ix.Lines) == 0 {
		t.Fatalf("the demo has no notes: %v", err)
	}
	all := len(ix.Lines)
	for _, login := range []string{"monitoring", "koordynator", "admin"} {
		c := ta.loggedIn(t, login)
		r := c.get("/monitoring")
		if r.status != fiber.StatusOK || len(noteLink.FindAllString(r.body, -1)) != min(all, perPage) {
			t.Fatalf("%s: %d, %d notes listed of %d", login, r.status, len(noteLink.FindAllString(r.body, -1)), all)
		}
		mustContain(t, c.get("/"), `href="/monitoring"`)
	}
	head := ta.loggedIn(t, "kierownik")
	r := head.get("/monitoring")
	mustContain(t, head.get("/"), `href="/monitoring"`)
	seen := noteLink.FindAllStringSubmatch(r.body, -1)
	if r.status != fiber.StatusOK || len(seen) == 0 || len(seen) >= all {
		t.Fatalf("the head: %d, %d notes of %d", r.status, len(seen), all)
	}
	mustContain(t, r, "Zespół ds. Pracy Socjalnej")
	mustNotContain(t, r, "Pierwszy kontakt")
	var other uint64
	for _, l := range ix.Lines {
		if !strings.Contains(r.body, `href="/monitoring/notes/`+strconv.FormatUint(l.ID, 10)+`"`) {
			other = l.ID
		}
	}
	if r := head.get("/monitoring/notes/" + strconv.FormatUint(other, 10)); r.status != fiber.StatusForbidden {
		t.Fatalf("the head read another team's note: %d", r.status)
	}
	staff := ta.loggedIn(t, "pracownik")
	mustNotContain(t, staff.get("/"), `href="/monitoring"`)
	for _, path := range []string{"/monitoring", "/monitoring?q=kolejki", "/monitoring/notes/" + seen[0][1]} {
		if r := staff.get(path); r.status != fiber.StatusForbidden || strings.Contains(r.body, "kolejki") {
			t.Fatalf("staff at %s: %d", path, r.status)
		}
	}
}

// The specialist writes a note with an action; the team's head answers
// it; an edit keeps the earlier text; a note's Markdown cannot run code.
func TestWritingANoteWithAnActionAndAnAnswer(t *testing.T) {
	ta := newTestApp(t)
	notOnAHoliday(ta)
	o, _ := ta.st.Org()
	var team uint64
	for _, u := range o.Units {
		if u.Current().Name == "Zespół ds. Pracy Socjalnej" {
			team = u.ID
		}
	}
	c := ta.loggedIn(t, "monitoring")
	c.get("/monitoring/notes/new")
	form := url.Values{"title": {"Rejonizacja w praktyce"}, "date": {"2026-11-30"}, "units": {strconv.FormatUint(team, 10)},
		"category": {"change"}, "assessment": {"at_risk"}, "body": {"**Ważne**: <script>alert(1)</script> [x](javascript:alert(2))"}, "tags": {"rejony, Rejony"}}
	r := c.post("/monitoring/notes", form)
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("save: %d\n%s", r.status, r.body)
	}
	path := strings.SplitN(r.header.Get("Location"), "?", 2)[0]
	page := c.get(path)
	mustContain(t, page, "<strong>Ważne</strong>", "#rejony", "zagrożone")
	mustNotContain(t, page, "<script>alert(1)", "javascript:alert")
	// Nothing chosen as its subject: the form says so and keeps the text.
	bad := url.Values{"title": {"Bez przedmiotu"}, "date": {"2026-11-30"}, "category": {"change"}, "assessment": {"at_risk"}}
	if r := c.post("/monitoring/notes", bad); r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("a note about nothing: %d", r.status)
	} else {
		mustContain(t, r, "Wskaż, czego dotyczy notatka.", "Bez przedmiotu")
	}
	id, _ := strconv.ParseUint(strings.TrimPrefix(path, "/monitoring/notes/"), 10, 64)
	n, _ := ta.st.Note(id)
	if r := c.post(path+"/actions", url.Values{"version": {strconv.Itoa(n.Version)}, "what": {"Wskazać pracowników rejonów"},
		"due": {"2026-11-01"}, "owner_unit": {strconv.FormatUint(team, 10)}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("action: %d\n%s", r.status, r.body)
	}
	mustContain(t, c.get(path), "Wskazać pracowników rejonów", "po terminie")
	mustContain(t, c.get("/monitoring?overdue=1"), "Rejonizacja w praktyce")
	// The team's head answers; a staff member cannot.
	n, _ = ta.st.Note(id)
	head := ta.loggedIn(t, "kierownik")
	mustContain(t, head.get(path), "Potwierdź zapoznanie się")
	if r := head.post(path+"/replies", url.Values{"version": {strconv.Itoa(n.Version)}, "text": {"Wskażemy do 15 grudnia."}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("answer: %d\n%s", r.status, r.body)
	}
	if r := ta.loggedIn(t, "pracownik").post(path+"/replies", url.Values{"version": {"1"}, "text": {"x"}}); r.status != fiber.StatusForbidden {
		t.Fatalf("staff answered: %d", r.status)
	}
	mustContain(t, c.get(path), "Wskażemy do 15 grudnia.")
	// An edit keeps the earlier text.
	n, _ = ta.st.Note(id)
	form.Set("version", strconv.Itoa(n.Version))
	form.Set("body", "Nowa treść")
	if r := c.post(path, form); r.status != fiber.StatusSeeOther {
		t.Fatalf("edit: %d", r.status)
	}
	mustContain(t, c.get(path), "Nowa treść", "Wcześniejsze wersje", "<strong>Ważne</strong>")
	if r := ta.loggedIn(t, "koordynator").post(path, form); r.status != fiber.StatusForbidden {
		t.Fatalf("a coordinator edited a note: %d", r.status)
	}
}
