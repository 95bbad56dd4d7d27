package store

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"
)

const (
	feedCentre = "MOPS w Żółkiewce"
	feedName   = "Szkolenia – Zespół Świadczeń"
	// trickySummary has everything TEXT escaping must survive.
	trickySummary = "Szkolenie: Zażółć gęślą jaźń, część 1; sala B\nprzerwa o 10:00 \\ kawa"
)

// feedFixture has a summer session, a winter one with neither place nor
// description, a cancelled one that ends at midnight, and one without a
// date, which must be left out.
func feedFixture() []FeedEvent {
	changed := time.Date(2025, 7, 1, 14, 5, 6, 0, time.FixedZone("CEST", 2*3600))
	return []FeedEvent{
		{ID: 101, Sequence: 0, Date: civil(2025, 7, 15), Start: 9 * 60, End: 10*60 + 30, Summary: trickySummary,
			Location: "Sala 12, ul. Długa 1; II piętro", Description: "Prowadzi: Łucja Źrebięcka\nZabrać: dowód, długopis", Changed: changed},
		{ID: 102, Sequence: 2, Date: civil(2025, 1, 20), Start: 9 * 60, End: 12 * 60, Summary: "Procedura „Niebieskiej Karty”"},
		{ID: 103, Sequence: 3, Date: civil(2025, 12, 31), Start: 20 * 60, End: 24 * 60, Summary: "Dyżur sylwestrowy",
			Location: "Świetlica", Cancelled: true, Changed: changed},
		{ID: 104, Sequence: 1, Start: 9 * 60, End: 10 * 60, Summary: "Bez daty"},
	}
}

func writeFeed(t *testing.T, events []FeedEvent, now time.Time) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSessionsICS(&buf, feedCentre, feedName, events, now); err != nil {
		t.Fatalf("WriteSessionsICS: %v", err)
	}
	return buf.Bytes()
}

func feedEventUIDs(t *testing.T, cal *ical.Calendar) []string {
	t.Helper()
	var uids []string
	for _, ev := range cal.Events() {
		uid, err := ev.Props.Text(ical.PropUID)
		if err != nil {
			t.Fatalf("UID: %v", err)
		}
		uids = append(uids, uid)
	}
	return uids
}

func TestSessionsICSRoundTrip(t *testing.T) {
	now := time.Date(2025, 7, 10, 8, 30, 0, 0, time.UTC)
	out := writeFeed(t, feedFixture(), now)
	cal := decodeICS(t, out)

	for prop, want := range map[string]string{
		ical.PropVersion: "2.0", ical.PropProductID: "-//MOPS w Żółkiewce//Intranet//PL",
		ical.PropCalendarScale: "GREGORIAN", ical.PropMethod: "PUBLISH",
		"X-WR-CALNAME": feedName, "X-WR-TIMEZONE": "Europe/Warsaw",
	} {
		if got, err := cal.Props.Text(prop); err != nil || got != want {
			t.Errorf("%s = %q (%v), want %q", prop, got, err, want)
		}
	}
	if len(cal.Children) == 0 || cal.Children[0].Name != ical.CompTimezone {
		t.Fatal("the calendar does not start with its VTIMEZONE")
	}
	if tzid, _ := cal.Children[0].Props.Text(ical.PropTimezoneID); tzid != "Europe/Warsaw" {
		t.Errorf("VTIMEZONE TZID = %q", tzid)
	}

	uids := feedEventUIDs(t, cal)
	wantUIDs := []string{SessionUID(101), SessionUID(102), SessionUID(103)}
	if strings.Join(uids, " ") != strings.Join(wantUIDs, " ") {
		t.Fatalf("UIDs %v, want %v (the session without a date left out)", uids, wantUIDs)
	}
	if uids[0] != "session-101@intranet.mops.invalid" {
		t.Errorf("UID = %q", uids[0])
	}

	// Written again a day later, the feed keeps every UID and differs
	// only in DTSTAMP, so a calendar refreshing it sees no change.
	later := writeFeed(t, feedFixture(), now.Add(24*time.Hour))
	if again := feedEventUIDs(t, decodeICS(t, later)); strings.Join(again, " ") != strings.Join(uids, " ") {
		t.Errorf("UIDs changed between writes: %v then %v", uids, again)
	}
	stamps := regexp.MustCompile(`(?m)^DTSTAMP:\d{8}T\d{6}Z\r$`)
	if a, b := stamps.ReplaceAll(unfold(out), nil), stamps.ReplaceAll(unfold(later), nil); !bytes.Equal(a, b) {
		t.Errorf("two writes differ in more than DTSTAMP:\n%s\n---\n%s", a, b)
	}

	events := cal.Events()
	for i, tc := range []struct {
		start, end, seq, status string
		summary                 string
		location, description   string // "": the property must be absent
		modified                string // "": absent
	}{
		{"20250715T090000", "20250715T103000", "0", "CONFIRMED", trickySummary,
			"Sala 12, ul. Długa 1; II piętro", "Prowadzi: Łucja Źrebięcka\nZabrać: dowód, długopis", "20250701T120506Z"},
		{"20250120T090000", "20250120T120000", "2", "CONFIRMED", "Procedura „Niebieskiej Karty”", "", "", ""},
		{"20251231T200000", "20260101T000000", "3", "CANCELLED", "Dyżur sylwestrowy", "Świetlica", "", "20250701T120506Z"},
	} {
		ev := events[i]
		for name, want := range map[string]string{ical.PropDateTimeStart: tc.start, ical.PropDateTimeEnd: tc.end} {
			prop := ev.Props.Get(name)
			if prop == nil || prop.Value != want || prop.Params.Get(ical.ParamTimezoneID) != "Europe/Warsaw" || len(prop.Params) != 1 {
				t.Errorf("%s: %s = %+v, want TZID=Europe/Warsaw:%s", uids[i], name, prop, want)
			}
		}
		if seq := ev.Props.Get(ical.PropSequence); seq == nil || seq.Value != tc.seq {
			t.Errorf("%s: SEQUENCE %+v, want %s", uids[i], seq, tc.seq)
		}
		if st, err := ev.Status(); err != nil || string(st) != tc.status {
			t.Errorf("%s: STATUS %q (%v), want %s", uids[i], st, err, tc.status)
		}
		if s, err := ev.Props.Text(ical.PropSummary); err != nil || s != tc.summary {
			t.Errorf("%s: SUMMARY %q (%v), want %q", uids[i], s, err, tc.summary)
		}
		for name, want := range map[string]string{ical.PropLocation: tc.location, ical.PropDescription: tc.description} {
			got, err := ev.Props.Text(name)
			if err != nil || got != want || (want == "") != (ev.Props.Get(name) == nil) {
				t.Errorf("%s: %s %q (%v), want %q", uids[i], name, got, err, want)
			}
		}
		if stamp := ev.Props.Get(ical.PropDateTimeStamp); stamp == nil || stamp.Value != "20250710T083000Z" {
			t.Errorf("%s: DTSTAMP %+v, want now in UTC", uids[i], stamp)
		}
		lm := ev.Props.Get(ical.PropLastModified)
		if (lm == nil) != (tc.modified == "") || (lm != nil && lm.Value != tc.modified) {
			t.Errorf("%s: LAST-MODIFIED %+v, want %q", uids[i], lm, tc.modified)
		}
		if tr, _ := ev.Props.Text(ical.PropTransparency); tr != "OPAQUE" {
			t.Errorf("%s: TRANSP %q", uids[i], tr)
		}
	}
}

// The escaped form is what other clients parse, so it is checked as well
// as the round trip through go-ical.
func TestSessionsICSTextEscaping(t *testing.T) {
	out := string(unfold(writeFeed(t, feedFixture(), time.Now())))
	for _, want := range []string{
		"\r\nSUMMARY:Szkolenie: Zażółć gęślą jaźń\\, część 1\\; sala B\\nprzerwa o 10:00 \\\\ kawa\r\n",
		"\r\nLOCATION:Sala 12\\, ul. Długa 1\\; II piętro\r\n",
		"\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n", // not TEXT: no escaping
	} {
		if !strings.Contains(out, want) {
			t.Errorf("%q not in\n%s", want, out)
		}
	}
	ev := []FeedEvent{{ID: 1, Date: civil(2025, 3, 3), Start: 600, End: 660, Summary: "Odbiór\r\nkońcowy\rprac"}}
	if s, _ := decodeICS(t, writeFeed(t, ev, time.Now())).Events()[0].Props.Text(ical.PropSummary); s != "Odbiór\nkońcowy\nprac" {
		t.Errorf("SUMMARY with CRs = %q", s)
	}
}

func TestSessionsICSLines(t *testing.T) {
	events := feedFixture()
	// Two- and three-octet letters at every offset, so that 75 octets
	// often end inside a character.
	events[0].Description = strings.Repeat("Źródło: „Ośrodek pomocy – ćwiczenia grupowe”; żółć, gęś, łąka. ", 12)
	events[1].Summary = strings.Repeat("ŻĄDANIE ", 30)
	now := time.Date(2025, 7, 10, 8, 30, 0, 0, time.UTC)
	out := writeFeed(t, events, now)

	checkFolded(t, out) // CRLF ends, at most 75 octets, every line valid UTF-8
	if !bytes.HasPrefix(out, []byte("BEGIN:VCALENDAR\r\n")) || !bytes.HasSuffix(out, []byte("\r\nEND:VCALENDAR\r\n")) {
		t.Errorf("stream does not begin and end with the VCALENDAR lines")
	}

	// A line that is continued yet shorter than 75 octets (a leading space
	// counts) shows that a fold moved back to the start of a character
	// instead of splitting it.
	lines := strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n")
	backedOff := 0
	for i, l := range lines[:len(lines)-1] {
		if strings.HasPrefix(lines[i+1], " ") && len(l) < icalLineMax {
			backedOff++
		}
	}
	if backedOff == 0 {
		t.Error("no fold fell inside a multi-octet letter; the test does not test that")
	}

	unfolded := unfold(out)
	if !utf8.Valid(unfolded) {
		t.Error("unfolding gives invalid UTF-8")
	}
	var raw bytes.Buffer
	if err := ical.NewEncoder(&raw).Encode(sessionsCalendar(feedCentre, feedName, events, now)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(unfolded, raw.Bytes()) {
		t.Errorf("unfolding does not give the encoder's output:\n%s\n---\n%s", unfolded, raw.Bytes())
	}
	got := decodeICS(t, out).Events()
	if s, _ := got[0].Props.Text(ical.PropDescription); s != events[0].Description {
		t.Errorf("long DESCRIPTION round trip: %q", s)
	}
	if s, _ := got[1].Props.Text(ical.PropSummary); s != events[1].Summary {
		t.Errorf("long SUMMARY round trip: %q", s)
	}
}

// tzRule is a STANDARD or DAYLIGHT sub-component, read back from a feed.
type tzRule struct {
	kind     string // DAYLIGHT or STANDARD
	name     string // TZNAME
	from, to int    // TZOFFSETFROM, TZOFFSETTO in seconds east of UTC
	start    time.Time
	month    time.Month
	ordinal  int // of the weekday in the month; negative counts from the end
	weekday  time.Weekday
}

// onset is the instant at which the rule takes effect in year: its
// weekday of its month, at DTSTART's time of day in the local time in
// force before (RFC 5545 §3.6.5).
func (r tzRule) onset(year int) time.Time {
	day := nthWeekday(year, r.month, r.ordinal, r.weekday)
	local := time.Date(year, r.month, day, r.start.Hour(), r.start.Minute(), r.start.Second(), 0, time.UTC)
	return local.Add(-time.Duration(r.from) * time.Second)
}

// nthWeekday is the day of the month of the n-th wd (n > 0) or the
// -n-th wd from the end (n < 0).
func nthWeekday(year int, month time.Month, n int, wd time.Weekday) int {
	if n > 0 {
		first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
		return 1 + (int(wd)-int(first.Weekday())+7)%7 + 7*(n-1)
	}
	last := time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC)
	return last.Day() - (int(last.Weekday())-int(wd)+7)%7 + 7*(n+1)
}

func parseUTCOffset(s string) (int, error) {
	if len(s) != 5 || (s[0] != '+' && s[0] != '-') {
		return 0, fmt.Errorf("UTC offset %q", s)
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[3:5])
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("UTC offset %q", s)
	}
	sec := h*3600 + m*60
	if s[0] == '-' {
		sec = -sec
	}
	return sec, nil
}

var icalWeekdays = map[string]time.Weekday{"SU": time.Sunday, "MO": time.Monday, "TU": time.Tuesday,
	"WE": time.Wednesday, "TH": time.Thursday, "FR": time.Friday, "SA": time.Saturday}

// parseTZRule reads the parts of a sub-component that say when it starts;
// it knows only the yearly by-month-and-weekday rules a European zone needs,
// and fails on anything else rather than guess.
func parseTZRule(c *ical.Component) (tzRule, error) {
	r := tzRule{kind: c.Name}
	var err error
	if r.name, err = c.Props.Text(ical.PropTimezoneName); err != nil {
		return r, err
	}
	for name, dst := range map[string]*int{ical.PropTimezoneOffsetFrom: &r.from, ical.PropTimezoneOffsetTo: &r.to} {
		prop := c.Props.Get(name)
		if prop == nil {
			return r, fmt.Errorf("%s missing", name)
		}
		if *dst, err = parseUTCOffset(prop.Value); err != nil {
			return r, err
		}
	}
	start := c.Props.Get(ical.PropDateTimeStart)
	if start == nil || len(start.Params) != 0 {
		return r, fmt.Errorf("DTSTART %+v is not a bare local time", start)
	}
	if r.start, err = time.Parse("20060102T150405", start.Value); err != nil {
		return r, err
	}
	rrule := c.Props.Get(ical.PropRecurrenceRule)
	if rrule == nil {
		return r, fmt.Errorf("RRULE missing")
	}
	parts := map[string]string{}
	for _, part := range strings.Split(rrule.Value, ";") {
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return r, fmt.Errorf("RRULE part %q", part)
		}
		parts[k] = v
	}
	if len(parts) != 3 || parts["FREQ"] != "YEARLY" {
		return r, fmt.Errorf("RRULE %q is not FREQ=YEARLY;BYMONTH=…;BYDAY=…", rrule.Value)
	}
	month, err := strconv.Atoi(parts["BYMONTH"])
	if err != nil || month < 1 || month > 12 {
		return r, fmt.Errorf("BYMONTH in %q", rrule.Value)
	}
	r.month = time.Month(month)
	byday := parts["BYDAY"]
	if len(byday) < 3 {
		return r, fmt.Errorf("BYDAY in %q", rrule.Value)
	}
	wd, ok := icalWeekdays[byday[len(byday)-2:]]
	if !ok {
		return r, fmt.Errorf("BYDAY in %q", rrule.Value)
	}
	r.weekday = wd
	if r.ordinal, err = strconv.Atoi(byday[:len(byday)-2]); err != nil || r.ordinal == 0 || r.ordinal < -5 || r.ordinal > 5 {
		return r, fmt.Errorf("BYDAY in %q", rrule.Value)
	}
	return r, nil
}

func TestFeedNthWeekday(t *testing.T) {
	for _, tc := range []struct {
		year  int
		month time.Month
		n     int
		wd    time.Weekday
		want  int
	}{
		{2025, time.March, -1, time.Sunday, 30},
		{2025, time.October, -1, time.Sunday, 26},
		{2024, time.March, -1, time.Sunday, 31}, // the last day itself
		{2021, time.October, -1, time.Sunday, 31},
		{2025, time.June, 1, time.Sunday, 1}, // the first day itself
		{2025, time.June, 2, time.Monday, 9},
		{2025, time.February, -2, time.Friday, 21},
	} {
		if got := nthWeekday(tc.year, tc.month, tc.n, tc.wd); got != tc.want {
			t.Errorf("nthWeekday(%d, %v, %d, %v) = %d, want %d", tc.year, tc.month, tc.n, tc.wd, got, tc.want)
		}
	}
}

// The VTIMEZONE is what a calendar without tz data of its own uses, so its
// rules must give the same transitions as the tz database for every year
// the feed can hold sessions in.
func TestSessionsICSTimezoneMatchesTzdata(t *testing.T) {
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	cal := decodeICS(t, writeFeed(t, nil, time.Now()))
	var tz *ical.Component
	for _, c := range cal.Children {
		if c.Name == ical.CompTimezone {
			if tz != nil {
				t.Fatal("two VTIMEZONEs")
			}
			tz = c
		}
	}
	if tz == nil {
		t.Fatal("no VTIMEZONE")
	}
	rules := map[string]tzRule{}
	for _, c := range tz.Children {
		r, err := parseTZRule(c)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		if _, twice := rules[c.Name]; twice {
			t.Fatalf("two %s components", c.Name)
		}
		rules[c.Name] = r
	}
	spring, autumn := rules[ical.CompTimezoneDaylight], rules[ical.CompTimezoneStandard]
	if len(rules) != 2 || spring.kind == "" || autumn.kind == "" {
		t.Fatalf("want one DAYLIGHT and one STANDARD, got %v", rules)
	}
	const h = 3600
	if spring.from != 1*h || spring.to != 2*h || autumn.from != 2*h || autumn.to != 1*h {
		t.Errorf("offsets: DAYLIGHT %d→%d, STANDARD %d→%d", spring.from, spring.to, autumn.from, autumn.to)
	}
	for _, r := range []tzRule{spring, autumn} {
		// RFC 5545: DTSTART is the first onset, so it must itself follow
		// the rule, and it must come before every year checked below.
		if first := r.onset(r.start.Year()); !first.Equal(r.start.Add(-time.Duration(r.from) * time.Second)) {
			t.Errorf("%s: DTSTART %v is not the rule's onset in its year (%v)", r.kind, r.start, first)
		}
		if r.start.Year() > 2018 {
			t.Errorf("%s: DTSTART %v starts the rule too late", r.kind, r.start)
		}
	}

	offset := func(at time.Time) (string, int) { return at.In(loc).Zone() }
	for year := 2018; year <= 2030; year++ {
		on, off := spring.onset(year), autumn.onset(year)
		for _, tc := range []struct {
			r  tzRule
			at time.Time
		}{{spring, on}, {autumn, off}} {
			if tc.at.Hour() != 1 || tc.at.Minute() != 0 || tc.at.Second() != 0 {
				t.Errorf("%d %s: onset %v, want 01:00 UTC", year, tc.r.kind, tc.at)
			}
			if _, before := offset(tc.at.Add(-time.Second)); before != tc.r.from {
				t.Errorf("%d %s: tzdata offset one second before %v is %ds, the rule says %ds", year, tc.r.kind, tc.at, before, tc.r.from)
			}
			if name, after := offset(tc.at); after != tc.r.to || name != tc.r.name {
				t.Errorf("%d %s: tzdata at %v is %s %ds, the rule says %s %ds", year, tc.r.kind, tc.at, name, after, tc.r.name, tc.r.to)
			}
		}
		// No other transition: noon of every day is in the zone the rules
		// put it in.
		for d := time.Date(year, 1, 1, 12, 0, 0, 0, time.UTC); d.Year() == year; d = d.AddDate(0, 0, 1) {
			want := autumn
			if !d.Before(on) && d.Before(off) {
				want = spring
			}
			if name, sec := offset(d); sec != want.to || name != want.name {
				t.Fatalf("%v: tzdata says %s %ds, the rules %s %ds", d, name, sec, want.name, want.to)
			}
		}
	}
}

// What a calendar shows is DTSTART's wall-clock time read in the zone its
// TZID names; in summer and in winter that must be the right instant.
func TestSessionsICSLocalTimesToUTC(t *testing.T) {
	events := []FeedEvent{
		{ID: 1, Date: civil(2025, 7, 15), Start: 9 * 60, End: 10*60 + 30},
		{ID: 2, Date: civil(2025, 1, 20), Start: 9 * 60, End: 10*60 + 30},
		{ID: 3, Date: civil(2025, 12, 31), Start: 20 * 60, End: 24 * 60},
		{ID: 4, Date: civil(2025, 3, 30), Start: 60, End: 4 * 60}, // clocks go forward at 02:00
	}
	got := decodeICS(t, writeFeed(t, events, time.Now())).Events()
	if len(got) != len(events) {
		t.Fatalf("%d events, want %d", len(got), len(events))
	}
	for i, want := range [][2]time.Time{
		{time.Date(2025, 7, 15, 7, 0, 0, 0, time.UTC), time.Date(2025, 7, 15, 8, 30, 0, 0, time.UTC)},
		{time.Date(2025, 1, 20, 8, 0, 0, 0, time.UTC), time.Date(2025, 1, 20, 9, 30, 0, 0, time.UTC)},
		{time.Date(2025, 12, 31, 19, 0, 0, 0, time.UTC), time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC)},
		{time.Date(2025, 3, 30, 0, 0, 0, 0, time.UTC), time.Date(2025, 3, 30, 2, 0, 0, 0, time.UTC)},
	} {
		// go-ical loads the TZID's location, as a client with tz data does.
		start, err1 := got[i].DateTimeStart(nil)
		end, err2 := got[i].DateTimeEnd(nil)
		if err1 != nil || err2 != nil || !start.Equal(want[0]) || !end.Equal(want[1]) {
			t.Errorf("session %d: %v – %v (%v, %v), want %v – %v", events[i].ID, start.UTC(), end.UTC(), err1, err2, want[0], want[1])
		}
	}
}

func TestSessionsICSEmptyFeed(t *testing.T) {
	for name, events := range map[string][]FeedEvent{
		"none":         nil,
		"only undated": {{ID: 9, Start: 600, End: 660, Summary: "Bez daty"}},
	} {
		out := writeFeed(t, events, time.Now())
		checkFolded(t, out)
		cal := decodeICS(t, out)
		if n := len(cal.Events()); n != 0 {
			t.Errorf("%s: %d events", name, n)
		}
		if len(cal.Children) != 1 || cal.Children[0].Name != ical.CompTimezone {
			t.Errorf("%s: components %v, want the VTIMEZONE alone", name, cal.Children)
		}
		if got, _ := cal.Props.Text("X-WR-CALNAME"); got != feedName {
			t.Errorf("%s: X-WR-CALNAME %q", name, got)
		}
	}
}

// The caller is trusted to pass valid sessions, but a bad one must not
// break the whole feed.
func TestSessionsICSOddInput(t *testing.T) {
	events := []FeedEvent{
		{ID: 1, Date: civil(2025, 5, 5), Start: -30, End: 25 * 60, Sequence: -4},
		{ID: 2, Date: time.Date(2025, 5, 6, 23, 30, 0, 0, time.FixedZone("", -3600)), Start: 600, End: 540},
		{ID: 3, Date: civil(2025, 5, 7), Summary: "\x00\u202e\r", Location: " ", Description: "\xff"},
	}
	var buf bytes.Buffer
	if err := WriteSessionsICS(&buf, "", "", events, time.Time{}); err != nil {
		t.Fatalf("WriteSessionsICS: %v", err)
	}
	checkFolded(t, buf.Bytes())
	got := decodeICS(t, buf.Bytes()).Events()
	if len(got) != 3 {
		t.Fatalf("%d events, want 3", len(got))
	}
	if seq := got[0].Props.Get(ical.PropSequence); seq == nil || seq.Value != "0" {
		t.Errorf("negative SEQUENCE written as %+v", seq)
	}
	if s := got[1].Props.Get(ical.PropDateTimeStart); s == nil || s.Value != "20250506T100000" {
		t.Errorf("DTSTART of a date given in another zone: %+v, want its own civil date", s)
	}
}
