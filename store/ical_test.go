package store

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"
)

func civil(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

const trickyTitle = "Zażółć gęślą jaźń, etap; pierwszy\ndruga linia \\ koniec"

// icalFixture is a project with a done one-day milestone, a re-planned
// phase in progress, a cancelled one and one with a title that needs
// escaping.
func icalFixture() (*Project, []*Milestone) {
	p := &Project{Meta: Meta{ID: 7}, Name: "Aktywna integracja w Gminie Żółkiewka", From: civil(2017, 1, 1), To: civil(2018, 12, 31)}
	upd := time.Date(2017, 3, 30, 14, 5, 6, 0, time.FixedZone("CEST", 2*3600))
	ms := []*Milestone{
		{Meta: Meta{ID: 11, Updated: upd}, ProjectID: 7, Title: "Podpisanie umowy", Planned: Period{From: civil(2017, 3, 29)},
			Baseline: Period{From: civil(2017, 3, 29)}, Status: MilestoneDone, Actual: civil(2017, 3, 29)},
		{Meta: Meta{ID: 12, Updated: upd}, ProjectID: 7, Title: "Realizacja zadań zespołu wdrożeniowego",
			Planned: Period{From: civil(2017, 4, 1), To: civil(2017, 11, 30)}, Baseline: Period{From: civil(2017, 3, 1), To: civil(2017, 10, 31)},
			Replans: []Replan{{Reason: "opóźnienie naboru"}, {Reason: "aneks nr 2"}}, Status: MilestoneInProgress,
			Deliverables: []string{"Raport z diagnozy", "Lista uczestników, wersja 2"}},
		{Meta: Meta{ID: 13, Updated: upd}, ProjectID: 7, Title: "Wizyta studyjna", Planned: Period{From: civil(2017, 6, 1)}, Status: MilestoneCancelled},
		{Meta: Meta{ID: 14}, ProjectID: 7, Title: trickyTitle, Planned: Period{From: civil(2018, 1, 15)}, Status: MilestonePlanned},
	}
	return p, ms
}

func exportICS(t *testing.T, centre string, p *Project, ms []*Milestone, now time.Time) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteMilestonesICS(&buf, centre, p, ms, now); err != nil {
		t.Fatalf("WriteMilestonesICS: %v", err)
	}
	return buf.Bytes()
}

func decodeICS(t *testing.T, data []byte) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(data)).Decode()
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, data)
	}
	return cal
}

func eventsByUID(t *testing.T, cal *ical.Calendar) (map[string]ical.Event, []string) {
	t.Helper()
	byUID := map[string]ical.Event{}
	var uids []string
	for _, ev := range cal.Events() {
		uid, err := ev.Props.Text(ical.PropUID)
		if err != nil || uid == "" {
			t.Fatalf("event without UID: %v", err)
		}
		if _, twice := byUID[uid]; twice {
			t.Fatalf("UID %q appears twice", uid)
		}
		byUID[uid] = ev
		uids = append(uids, uid)
	}
	return byUID, uids
}

func TestMilestonesICSRoundTrip(t *testing.T) {
	p, ms := icalFixture()
	now := time.Date(2017, 12, 4, 10, 30, 0, 0, time.UTC)
	cal := decodeICS(t, exportICS(t, "MOPS w Żółkiewce", p, ms, now))

	for prop, want := range map[string]string{ical.PropVersion: "2.0", ical.PropCalendarScale: "GREGORIAN",
		ical.PropProductID: "-//MOPS w Żółkiewce//Intranet//PL", "X-WR-CALNAME": p.Name} {
		if got, err := cal.Props.Text(prop); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", prop, got, err, want)
		}
	}
	if got := cal.Props.Get("X-WR-CALNAME").Params; len(got) != 0 {
		t.Errorf("X-WR-CALNAME has parameters %v", got)
	}
	for _, c := range cal.Children {
		if c.Name != ical.CompEvent {
			t.Errorf("unexpected component %s", c.Name)
		}
	}

	byUID, uids := eventsByUID(t, cal)
	if len(uids) != 3 {
		t.Fatalf("got %d events %v, want 3 (the cancelled one left out)", len(uids), uids)
	}
	if _, ok := byUID[MilestoneUID(13)]; ok {
		t.Error("the cancelled milestone was exported")
	}

	// The same UIDs in a later export, made at another moment.
	_, again := eventsByUID(t, decodeICS(t, exportICS(t, "MOPS w Żółkiewce", p, ms, now.Add(50*24*time.Hour))))
	if strings.Join(again, " ") != strings.Join(uids, " ") {
		t.Errorf("UIDs changed between exports: %v then %v", uids, again)
	}
	if uids[0] != "milestone-11@"+icalUIDHost {
		t.Errorf("UID = %q", uids[0])
	}

	for _, tc := range []struct {
		id                 uint64
		start, end, status string
		seq                string
		summary            string
	}{
		{11, "20170329", "20170330", "CONFIRMED", "0", "Podpisanie umowy"},
		{12, "20170401", "20171201", "TENTATIVE", "2", "Realizacja zadań zespołu wdrożeniowego"},
		{14, "20180115", "20180116", "TENTATIVE", "0", trickyTitle},
	} {
		ev, ok := byUID[MilestoneUID(tc.id)]
		if !ok {
			t.Errorf("milestone %d missing", tc.id)
			continue
		}
		for name, want := range map[string]string{ical.PropDateTimeStart: tc.start, ical.PropDateTimeEnd: tc.end} {
			prop := ev.Props.Get(name)
			if prop == nil || prop.Value != want || prop.ValueType() != ical.ValueDate || prop.Params.Get(ical.ParamValue) != "DATE" {
				t.Errorf("milestone %d: %s = %+v, want VALUE=DATE:%s", tc.id, name, prop, want)
			}
		}
		start, _ := ev.DateTimeStart(nil)
		end, _ := ev.DateTimeEnd(nil)
		if ms := ms[tc.id-11]; !start.Equal(ms.Planned.From) || !end.Equal(ms.Planned.End().AddDate(0, 0, 1)) {
			t.Errorf("milestone %d: %v – %v (exclusive)", tc.id, start, end)
		}
		if st, err := ev.Status(); err != nil || string(st) != tc.status {
			t.Errorf("milestone %d: STATUS %q (%v), want %s", tc.id, st, err, tc.status)
		}
		if seq := ev.Props.Get(ical.PropSequence); seq == nil || seq.Value != tc.seq {
			t.Errorf("milestone %d: SEQUENCE %+v, want %s", tc.id, seq, tc.seq)
		} else if n, err := seq.Int(); err != nil || n != len(ms[tc.id-11].Replans) {
			t.Errorf("milestone %d: SEQUENCE %d (%v)", tc.id, n, err)
		}
		if s, err := ev.Props.Text(ical.PropSummary); err != nil || s != tc.summary {
			t.Errorf("milestone %d: SUMMARY %q (%v), want %q", tc.id, s, err, tc.summary)
		}
		if stamp := ev.Props.Get(ical.PropDateTimeStamp); stamp == nil || stamp.Value != "20171204T103000Z" {
			t.Errorf("milestone %d: DTSTAMP %+v", tc.id, stamp)
		}
	}

	ev := byUID[MilestoneUID(12)]
	if lm := ev.Props.Get(ical.PropLastModified); lm == nil || lm.Value != "20170330T120506Z" {
		t.Errorf("LAST-MODIFIED %+v, want the update in UTC", lm)
	}
	if lm := byUID[MilestoneUID(14)].Props.Get(ical.PropLastModified); lm != nil {
		t.Errorf("LAST-MODIFIED %+v for a milestone never updated", lm)
	}
	desc, err := ev.Props.Text(ical.PropDescription)
	want := "Projekt: Aktywna integracja w Gminie Żółkiewka\nStatus: w toku, opóźniony\nProdukty:\n- Raport z diagnozy\n- Lista uczestników, wersja 2"
	if err != nil || desc != want {
		t.Errorf("DESCRIPTION %q (%v), want %q", desc, err, want)
	}
	if desc, _ := byUID[MilestoneUID(11)].Props.Text(ical.PropDescription); desc != "Projekt: Aktywna integracja w Gminie Żółkiewka\nStatus: zrealizowany" {
		t.Errorf("DESCRIPTION of a done milestone %q", desc)
	}
}

// go-ical escapes backslashes, semicolons, commas and newlines in TEXT
// values; a CR (which it would refuse) is turned into a newline first.
func TestICSTextEscaping(t *testing.T) {
	p, ms := icalFixture()
	out := string(unfold(exportICS(t, "", p, ms, time.Now())))
	if want := "\r\nSUMMARY:Zażółć gęślą jaźń\\, etap\\; pierwszy\\ndruga linia \\\\ koniec\r\n"; !strings.Contains(out, want) {
		t.Errorf("escaped SUMMARY %q not in\n%s", want, out)
	}
	if !strings.Contains(out, "\r\nPRODID:-//MOPS//Intranet//PL\r\n") {
		t.Errorf("PRODID without a centre is not MOPS:\n%s", out)
	}
	if strings.Contains(out, "VTIMEZONE") {
		t.Error("all-day events need no VTIMEZONE")
	}

	ms[0].Title = "Odbiór\r\nkońcowy\rprac"
	cal := decodeICS(t, exportICS(t, "", p, ms, time.Now()))
	if s, _ := cal.Events()[0].Props.Text(ical.PropSummary); s != "Odbiór\nkońcowy\nprac" {
		t.Errorf("SUMMARY with CRs = %q", s)
	}
}

func TestICSProductID(t *testing.T) {
	for centre, want := range map[string]string{
		"":                    "-//MOPS//Intranet//PL",
		"  ":                  "-//MOPS//Intranet//PL",
		"MOPS w Żółkiewce":    "-//MOPS w Żółkiewce//Intranet//PL",
		"MOPS //// Gmina\n X": "-//MOPS / Gmina X//Intranet//PL",
	} {
		if got := icalProductID(centre); got != want {
			t.Errorf("icalProductID(%q) = %q, want %q", centre, got, want)
		}
	}
}

func TestICSEmptyCalendar(t *testing.T) {
	p, ms := icalFixture()
	var buf bytes.Buffer
	if err := WriteMilestonesICS(&buf, "", p, ms[2:3], time.Now()); !errors.Is(err, ErrEmptyCalendar) || buf.Len() != 0 {
		t.Errorf("only a cancelled milestone: %v, %d bytes written", err, buf.Len())
	}
	if err := WriteMilestonesICS(&buf, "", p, nil, time.Now()); !errors.Is(err, ErrEmptyCalendar) {
		t.Errorf("no milestones: %v", err)
	}
}

func unfold(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n "), nil) }

// checkFolded checks RFC 5545 §3.1 line rules on a whole stream.
func checkFolded(t *testing.T, out []byte) {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Fatal("stream does not end with CRLF")
	}
	lines := bytes.Split(out[:len(out)-2], []byte("\r\n"))
	for i, l := range lines {
		if bytes.ContainsAny(l, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, l)
		}
		if len(l) > icalLineMax {
			t.Errorf("line %d has %d octets: %q", i+1, len(l), l)
		}
		if !utf8.Valid(l) {
			t.Errorf("line %d splits a UTF-8 character: %q", i+1, l)
		}
	}
}

func TestICSFoldLines(t *testing.T) {
	p, ms := icalFixture()
	ms[1].Title = strings.Repeat("ąćęłńóśźżĄ", 20) // 200 letters of two octets each
	p.Name = "Ż" + strings.Repeat("ółw ", 40)      // an odd offset for the description
	now := time.Date(2017, 12, 4, 10, 30, 0, 0, time.UTC)
	out := exportICS(t, "Miejski Ośrodek Pomocy Społecznej w Żółkiewce, ul. Długa 1", p, ms, now)
	checkFolded(t, out)
	if !bytes.Contains(out, []byte("\r\n ")) {
		t.Fatal("nothing was folded")
	}

	cal, err := milestonesCalendar("Miejski Ośrodek Pomocy Społecznej w Żółkiewce, ul. Długa 1", p, ms, now)
	if err != nil {
		t.Fatal(err)
	}
	var raw bytes.Buffer
	if err := ical.NewEncoder(&raw).Encode(cal); err != nil {
		t.Fatal(err)
	}
	if got := unfold(out); !bytes.Equal(got, raw.Bytes()) {
		t.Errorf("unfolding does not give the encoder's output:\n%s\n---\n%s", got, raw.Bytes())
	}
	if s, _ := decodeICS(t, out).Events()[1].Props.Text(ical.PropSummary); s != ms[1].Title {
		t.Errorf("long SUMMARY round trip: %q", s)
	}
}

func TestFoldLines(t *testing.T) {
	a := func(n int) string { return strings.Repeat("a", n) }
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"A:b\r\n", "A:b\r\n"},
		{a(75) + "\r\n", a(75) + "\r\n"},
		{a(76) + "\r\n", a(75) + "\r\n a\r\n"},
		{a(75+74+3) + "\r\n" + a(2) + "\r\n", a(75) + "\r\n " + a(74) + "\r\n " + a(3) + "\r\n" + a(2) + "\r\n"},
		// "ż" is two octets: at offset 74 it would be split, so it moves on.
		{a(74) + "żb\r\n", a(74) + "\r\n żb\r\n"},
		// "😀" is four octets starting at 72, 73 or 74.
		{a(72) + "😀b\r\n", a(72) + "\r\n 😀b\r\n"},
		{a(73) + "😀b\r\n", a(73) + "\r\n 😀b\r\n"},
		{a(74) + "😀b\r\n", a(74) + "\r\n 😀b\r\n"},
		{a(71) + "😀b\r\n", a(71) + "😀\r\n b\r\n"},
	} {
		if got := string(foldLines([]byte(tc.in))); got != tc.want {
			t.Errorf("foldLines(%q)\n = %q\nwant %q", tc.in, got, tc.want)
		}
	}
	for n := 1; n < 400; n++ {
		for _, r := range []string{"ż", "€", "😀", "a"} {
			in := []byte("SUMMARY:" + strings.Repeat(r, n) + "\r\nEND:VEVENT\r\n")
			out := foldLines(in)
			checkFolded(t, out)
			if !bytes.Equal(unfold(out), in) {
				t.Fatalf("%d×%q: unfolding gives %q", n, r, unfold(out))
			}
		}
	}
}
