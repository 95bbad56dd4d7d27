package handlers

import (
	"encoding/csv"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

var matrixRowRE = regexp.MustCompile(`(?s)<tr>\s*<th scope="row"><a href="/monitoring/units/(\d+)">([^<]+)</a></th>(.*?)</tr>`)

// matrixCells reads a matrix row's cells: the assessment of each month
// ("" when none).
func matrixCells(body, unit string) []string {
	cell := regexp.MustCompile(`<td class="cell[^"]*"[^>]*>(?:<a [^>]*><span class="assessment assessment-([a-z_]+)">)?`)
	for _, m := range matrixRowRE.FindAllStringSubmatch(body, -1) {
		if m[2] == unit {
			var out []string
			for _, c := range cell.FindAllStringSubmatch(m[3], -1) {
				out = append(out, c[1])
			}
			return out
		}
	}
	return nil
}

// The demo's 2018 seen in the status matrix and the period report, by
// the specialist, by the social work team's head (only that team) and by
// a staff member (nothing at all).
func TestMatrixAndReportOfTheDemoYear(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "monitoring")
	r := c.get("/monitoring/matrix") // by default: the year up to the latest note
	if r.status != fiber.StatusOK {
		t.Fatalf("matrix: %d", r.status)
	}
	mustContain(t, r, "01.01.2018 – 31.12.2018")
	want := []string{"", "", "at_risk", "", "", "", "on_track", "", "", "", "off_track", ""}
	if got := matrixCells(r.body, "Zespół ds. Pracy Socjalnej"); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("the social work team's months: %q", got)
	}
	if got := matrixCells(r.body, "Stanowisko ds. Pierwszego Kontaktu"); len(got) != 12 || got[1] != "at_risk" || got[5] != "on_track" || got[11] != "on_track" {
		t.Fatalf("the first contact desk's months: %q", got)
	}
	// A quarter: three columns, the team's one note a link to that note.
	r = c.get("/monitoring/matrix?from=2018-01-01&to=2018-03-31")
	if got := matrixCells(r.body, "Zespół ds. Pracy Socjalnej"); strings.Join(got, ",") != ",,at_risk" {
		t.Fatalf("a quarter: %q", got)
	}
	mustContain(t, r, `href="/monitoring/notes/`)

	// The first half of 2018 as of 30.06.2018.
	r = c.get("/monitoring/report?from=2018-01-01&to=2018-06-30")
	if r.status != fiber.StatusOK {
		t.Fatalf("report: %d", r.status)
	}
	mustContain(t, r, "01.01.2018 – 30.06.2018", "5 notatek", "1 działanie otwarte", "1 po terminie",
		"Przeanalizować dyżury w poniedziałki", "Pierwszy kontakt: po wprowadzeniu dyżuru", "Nowy Model – Lepsza Jakość")
	// Done on 07.05.2018: not open at the end of June; the Feb note's
	// card, done in March, neither.
	mustNotContain(t, r, "Przekazać sprawy zasiłków celowych", "Przygotować kartę informacyjną", "Rejonizacja nie działa")
	acts := c.get("/monitoring/report/actions.csv?from=2018-01-01&to=2018-06-30")
	if acts.status != fiber.StatusOK || !strings.Contains(acts.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("actions csv: %d %s", acts.status, acts.header.Get("Content-Type"))
	}
	mustContain(t, acts, "Przeanalizować dyżury w poniedziałki (drugie stanowisko);Stanowisko ds. Pierwszego Kontaktu;2018-04-30;po terminie",
		"Przekazać sprawy zasiłków celowych do zespołu decyzji;Zespół ds. Pracy Socjalnej;2018-04-30;wykonane;2018-05-07")
	notes := c.get("/monitoring/report/notes.csv?from=2018-01-01&to=2018-06-30")
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(notes.body, "\ufeff")))
	cr.Comma = ';'
	if rows, err := cr.ReadAll(); err != nil || len(rows) != 6 || rows[0][0] != "Nr" {
		t.Fatalf("notes csv: %d rows, %v", len(rows), err) // a header and five notes
	}
	mustContain(t, notes, "Pierwszy kontakt: kolejki w poniedziałki", "Zespół decyzji: terminy wydawania decyzji")
	mustNotContain(t, notes, "Praca socjalna: udział w superwizji") // July

	// The team's head: only the team.
	head := ta.loggedIn(t, "kierownik")
	r = head.get("/monitoring/matrix?from=2018-01-01&to=2018-12-31")
	if got := matrixCells(r.body, "Zespół ds. Pracy Socjalnej"); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("the head's matrix: %q", got)
	}
	mustNotContain(t, r, "Pierwszego Kontaktu", "Zespół ds. Usług")
	r = head.get("/monitoring/report?from=2018-01-01&to=2018-12-31")
	mustContain(t, r, "3 notatki", "Wskazać pracowników dla rejonów 4 i 7")
	mustNotContain(t, r, "Pierwszy kontakt", "Zespół decyzji", "Przeanalizować dyżury")
	mustNotContain(t, head.get("/monitoring/report/notes.csv?from=2018-01-01&to=2018-12-31"), "Pierwszy kontakt", "Zespół decyzji")
	mustNotContain(t, head.get("/monitoring/report/actions.csv?from=2018-01-01&to=2018-12-31"), "Przeanalizować dyżury")
	first := demoUnit(t, ta, "Stanowisko ds. Pierwszego Kontaktu")
	if r := head.get("/monitoring/units/" + strconv.FormatUint(first, 10)); r.status != fiber.StatusForbidden {
		t.Fatalf("the head opened another unit's timeline: %d", r.status)
	}

	staff := ta.loggedIn(t, "pracownik")
	team := strconv.FormatUint(demoUnit(t, ta, "Zespół ds. Pracy Socjalnej"), 10)
	for _, path := range []string{"/monitoring/matrix", "/monitoring/report", "/monitoring/report/notes.csv", "/monitoring/report/actions.csv",
		"/monitoring/units/" + team, "/monitoring/milestones/5"} {
		if r := staff.get(path); r.status != fiber.StatusForbidden || strings.Contains(r.body, "rejon") {
			t.Fatalf("staff at %s: %d", path, r.status)
		}
	}
}

// A team's timeline lists its notes with the trend of their assessments;
// a milestone's lists the notes about it.
func TestSubjectTimelines(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "koordynator")
	team := demoUnit(t, ta, "Zespół ds. Pracy Socjalnej")
	r := c.get("/monitoring/units/" + strconv.FormatUint(team, 10))
	if r.status != fiber.StatusOK {
		t.Fatalf("timeline: %d", r.status)
	}
	mustContain(t, r, "Praca socjalna: rejonizacja nie działa w dwóch rejonach", "Praca socjalna: udział w superwizji", "3 notatki",
		`class="tr-mark off_track"`, `class="tr-mark at_risk"`, "<polyline")
	mustNotContain(t, r, "Pierwszy kontakt", "Nowa notatka o tym przedmiocie") // the coordinator does not write
	if r := c.get("/monitoring/units/999999"); r.status != fiber.StatusNotFound {
		t.Fatalf("an unknown unit: %d", r.status)
	}

	// The specialist writes a note about a milestone and a session (begun
	// from the session's page); both show it.
	m := ta.loggedIn(t, "monitoring")
	o, _ := ta.st.Org()
	var milestone uint64
	for id := range o.MilestoneByID {
		milestone = max(milestone, id)
	}
	sessions, _, err := ta.st.SessionsBetween(store.Day(ta.st.Today()).AddDate(-20, 0, 0), ta.st.Today(), 0, 1, nil)
	if err != nil || len(sessions) == 0 {
		t.Fatalf("no sessions: %v", err)
	}
	session := strconv.FormatUint(sessions[0].ID, 10)
	mustContain(t, m.get("/schedule/sessions/"+session), "/monitoring/notes/new?session="+session)
	mustNotContain(t, c.get("/schedule/sessions/"+session), "/monitoring/notes/new?session=")
	form := m.get("/monitoring/notes/new?session=" + session + "&milestone=" + strconv.FormatUint(milestone, 10))
	mustContain(t, form, `name="session" value="`+session+`" checked`)
	r = m.post("/monitoring/notes", url.Values{"title": {"Obserwacja zajęć"}, "date": {"2018-06-01"}, "session": {session},
		"milestone": {strconv.FormatUint(milestone, 10)}, "category": {"tool"}, "assessment": {"on_track"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("a note about a session: %d\n%s", r.status, r.body)
	}
	note := m.get(strings.SplitN(r.header.Get("Location"), "?", 2)[0])
	mustContain(t, note, "/schedule/sessions/"+session, "(zajęcia")
	mustContain(t, c.get("/monitoring/milestones/"+strconv.FormatUint(milestone, 10)), "Obserwacja zajęć", "1 notatka")
}
