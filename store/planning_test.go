package store

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestBlackoutCovers(t *testing.T) {
	summer := Blackout{Name: "Lato bez szkoleń", Kinds: []CourseKind{CourseTraining}, From: day("2024-06-01"), To: day("2024-08-31"), Yearly: true}
	closed := Blackout{Name: "Remont", From: day("2024-05-02"), To: day("2024-05-06")}
	winter := Blackout{Name: "Przerwa świąteczna", From: day("2024-12-24"), To: day("2025-01-06"), Yearly: true}
	// The same wrap typed with the end's year before the start's: years of
	// a yearly period do not count.
	winterBack := Blackout{Name: "Przerwa", From: day("2024-12-24"), To: day("2024-01-06"), Yearly: true}
	feb28 := Blackout{Name: "Luty", From: day("2023-02-01"), To: day("2023-02-28"), Yearly: true}
	feb29 := Blackout{Name: "Luty", From: day("2024-02-01"), To: day("2024-02-29"), Yearly: true}
	fromFeb29 := Blackout{Name: "Od 29 lutego", From: day("2024-02-29"), To: day("2024-03-10"), Yearly: true}
	unfinished := Blackout{Name: "Bez dat", Yearly: true}
	cases := []struct {
		name string
		b    Blackout
		day  string
		kind CourseKind
		want bool
	}{
		{"training in summer", summer, "2024-07-15", CourseTraining, true},
		{"supervision in a training blackout", summer, "2024-07-15", CourseSupervision, false},
		{"workshop in a training blackout", summer, "2024-07-15", CourseWorkshop, false},
		{"yearly first day", summer, "2031-06-01", CourseTraining, true},
		{"yearly last day", summer, "2031-08-31", CourseTraining, true},
		{"yearly day before", summer, "2031-05-31", CourseTraining, false},
		{"yearly day after", summer, "2031-09-01", CourseTraining, false},
		{"yearly before the year typed", summer, "2019-07-01", CourseTraining, true},
		{"one-off every kind", closed, "2024-05-04", CourseSupervision, true},
		{"one-off first day", closed, "2024-05-02", CourseWorkshop, true},
		{"one-off last day", closed, "2024-05-06", CourseTraining, true},
		{"one-off day before", closed, "2024-05-01", CourseTraining, false},
		{"one-off day after", closed, "2024-05-07", CourseTraining, false},
		{"one-off another year", closed, "2025-05-04", CourseTraining, false},
		{"wrap start", winter, "2030-12-24", CourseTraining, true},
		{"wrap new year's eve", winter, "2030-12-31", CourseTraining, true},
		{"wrap new year", winter, "2031-01-01", CourseTraining, true},
		{"wrap end", winter, "2031-01-06", CourseTraining, true},
		{"wrap day after", winter, "2031-01-07", CourseTraining, false},
		{"wrap day before", winter, "2030-12-23", CourseTraining, false},
		{"wrap in midsummer", winter, "2030-07-01", CourseTraining, false},
		{"wrap typed backwards", winterBack, "2026-01-02", CourseTraining, true},
		{"wrap typed backwards, outside", winterBack, "2026-06-02", CourseTraining, false},
		{"ends 28.02: 28.02 of a leap year", feb28, "2024-02-28", CourseTraining, true},
		{"ends 28.02: 29.02 stays open", feb28, "2024-02-29", CourseTraining, false},
		{"ends 29.02: 29.02 of a leap year", feb29, "2028-02-29", CourseTraining, true},
		{"ends 29.02: 28.02 of another year", feb29, "2025-02-28", CourseTraining, true},
		{"ends 29.02: 1 March", feb29, "2025-03-01", CourseTraining, false},
		{"starts 29.02: 1 March of another year", fromFeb29, "2025-03-01", CourseTraining, true},
		{"starts 29.02: 28.02 of another year", fromFeb29, "2025-02-28", CourseTraining, false},
		{"starts 29.02: 29.02 of a leap year", fromFeb29, "2028-02-29", CourseTraining, true},
		{"no dates covers nothing", unfinished, "0001-01-01", CourseTraining, false},
	}
	for _, c := range cases {
		if got := c.b.Covers(day(c.day), c.kind); got != c.want {
			t.Errorf("%s: Covers(%s, %s) = %v, want %v", c.name, c.day, c.kind, got, c.want)
		}
	}
	// A moment late in a Warsaw evening is that Warsaw day, not the UTC one.
	late := time.Date(2024, 5, 1, 23, 30, 0, 0, time.UTC) // 2 May, 01:30 in Warsaw
	if !closed.Covers(late, CourseTraining) {
		t.Error("a Warsaw 2 May given in UTC is not covered")
	}
}

func TestBlackoutOn(t *testing.T) {
	bs := []Blackout{
		{Name: "Wakacje superwizji", Kinds: []CourseKind{CourseSupervision}, From: day("2024-07-01"), To: day("2024-08-31"), Yearly: true},
		{Name: "Lato", Kinds: []CourseKind{CourseTraining, CourseSupervision}, From: day("2024-06-01"), To: day("2024-08-31"), Yearly: true},
	}
	cases := []struct {
		day  string
		kind CourseKind
		want string // "" for none
	}{
		{"2025-07-10", CourseSupervision, "Wakacje superwizji"}, // the first that covers
		{"2025-06-10", CourseSupervision, "Lato"},
		{"2025-07-10", CourseTraining, "Lato"},
		{"2025-07-10", CourseWorkshop, ""},
		{"2025-09-01", CourseSupervision, ""},
	}
	for _, c := range cases {
		b, ok := BlackoutOn(bs, day(c.day), c.kind)
		if ok != (c.want != "") || (ok && b.Name != c.want) || (!ok && b != nil) {
			t.Errorf("%s %s: %v %v, want %q", c.day, c.kind, b, ok, c.want)
		}
	}
	if b, _ := BlackoutOn(bs, day("2025-07-10"), CourseSupervision); b != &bs[0] {
		t.Error("BlackoutOn does not point into the list")
	}
}

// A one-off period ends the day after its last day; a yearly one never
// does. The ended ones come latest first, the rest keep the store's order.
func TestSplitBlackouts(t *testing.T) {
	bs := []Blackout{ // the store's order: by first day
		{Name: "Lato", From: day("2000-06-01"), To: day("2000-08-31"), Yearly: true},
		{Name: "Remont", From: day("2024-03-04"), To: day("2024-03-08")},
		{Name: "Wigilia", From: day("2024-12-24"), To: day("2024-12-24")},
		{Name: "Dziś ostatni", From: day("2025-01-02"), To: day("2025-01-10")},
		{Name: "Przyszły", From: day("2025-02-01"), To: day("2025-02-01")},
		{Name: "Długi", From: day("2024-01-15"), To: day("2024-12-31")}, // began earlier, ended later
		{Name: "Dzień A", From: day("2024-12-24"), To: day("2024-12-24")},
	}
	current, ended := SplitBlackouts(bs, day("2025-01-10"))
	names := func(list []Blackout) (out []string) {
		for _, b := range list {
			out = append(out, b.Name)
		}
		return out
	}
	if got := names(current); !slices.Equal(got, []string{"Lato", "Dziś ostatni", "Przyszły"}) {
		t.Errorf("current: %v", got)
	}
	if got := names(ended); !slices.Equal(got, []string{"Długi", "Dzień A", "Wigilia", "Remont"}) {
		t.Errorf("ended: %v", got)
	}
	if !bs[1].Ended(day("2024-03-09")) || bs[1].Ended(day("2024-03-08")) || bs[0].Ended(day("2099-01-01")) {
		t.Error("Ended: the day after the last day, never for a yearly period")
	}
}

func TestBlackoutValidate(t *testing.T) {
	ok := func() Blackout {
		return Blackout{Name: "  Remont\u202e ", From: day("2024-05-02"), To: day("2024-05-06"),
			Kinds: []CourseKind{CourseTraining, CourseSupervision, CourseTraining}}
	}
	cases := []struct {
		name  string
		edit  func(*Blackout)
		field string // "" when valid
		msg   string
	}{
		{"valid", func(*Blackout) {}, "", ""},
		{"no name", func(b *Blackout) { b.Name = "  " }, "name", "error.required"},
		{"long name", func(b *Blackout) { b.Name = strings.Repeat("ą", 121) }, "name", "error.too_long:120"},
		{"name at the limit", func(b *Blackout) { b.Name = strings.Repeat("ą", 120) }, "", ""},
		{"unknown kind", func(b *Blackout) { b.Kinds = append(b.Kinds, "lecture") }, "kinds", "error.invalid_choice"},
		{"no kinds: every kind", func(b *Blackout) { b.Kinds = nil }, "", ""},
		{"no from", func(b *Blackout) { b.From = time.Time{} }, "from", "error.date_required"},
		{"no to", func(b *Blackout) { b.To = time.Time{} }, "to", "error.date_required"},
		{"one day", func(b *Blackout) { b.To = b.From }, "", ""},
		{"to before from", func(b *Blackout) { b.To = day("2024-05-01") }, "to", "error.until_before_from"},
		{"yearly wraps", func(b *Blackout) { b.Yearly, b.From, b.To = true, day("2024-12-24"), day("2024-01-06") }, "", ""},
		{"366 days", func(b *Blackout) { b.From, b.To = day("2024-01-01"), day("2024-12-31") }, "", ""},
		{"367 days", func(b *Blackout) { b.From, b.To = day("2024-01-01"), day("2025-01-01") }, "to", "error.blackout_too_long"},
		{"yearly typed over years", func(b *Blackout) { b.Yearly, b.From, b.To = true, day("2020-06-01"), day("2024-08-31") }, "", ""},
	}
	for _, c := range cases {
		b := ok()
		c.edit(&b)
		err := b.Validate()
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if v, isV := err.(*ValidationError); !isV || v.Fields[c.field] != c.msg {
			t.Errorf("%s: %v, want %s: %s", c.name, err, c.field, c.msg)
		}
	}
	b := ok()
	if err := b.Validate(); err != nil {
		t.Fatal(err)
	}
	if b.Name != "Remont" || !slices.Equal(b.Kinds, []CourseKind{CourseTraining, CourseSupervision}) {
		t.Errorf("not tidied: %q %v", b.Name, b.Kinds)
	}
	b.From, b.To = time.Date(2024, 5, 2, 0, 0, 0, 0, warsaw), time.Date(2024, 5, 6, 0, 0, 0, 0, warsaw)
	if err := b.Validate(); err != nil || !b.From.Equal(day("2024-05-02")) || b.From.Location() != time.UTC || !b.To.Equal(day("2024-05-06")) {
		t.Errorf("days not kept as midnight UTC: %v %v %v", b.From, b.To, err)
	}
}

func TestSeriesValidate(t *testing.T) {
	ok := func() SeriesSpec {
		return SeriesSpec{First: day("2024-09-02"), EveryWeeks: 1, Weekdays: []time.Weekday{time.Monday, time.Wednesday, time.Monday}, Until: day("2024-12-20")}
	}
	cases := []struct {
		name  string
		edit  func(*SeriesSpec)
		field string // "" when valid
		msg   string
	}{
		{"valid until", func(*SeriesSpec) {}, "", ""},
		{"valid count", func(sp *SeriesSpec) { sp.Until, sp.Count = time.Time{}, 10 }, "", ""},
		{"count at the limit", func(sp *SeriesSpec) { sp.Until, sp.Count = time.Time{}, MaxSeries }, "", ""},
		{"no first day", func(sp *SeriesSpec) { sp.First = time.Time{} }, "first", "error.date_required"},
		{"every 0", func(sp *SeriesSpec) { sp.EveryWeeks = 0 }, "every", "error.series_every"},
		{"every 52", func(sp *SeriesSpec) { sp.EveryWeeks = 52 }, "", ""},
		{"every 53", func(sp *SeriesSpec) { sp.EveryWeeks = 53 }, "every", "error.series_every"},
		{"no weekday", func(sp *SeriesSpec) { sp.Weekdays = nil }, "weekdays", "error.required"},
		{"no such weekday", func(sp *SeriesSpec) { sp.Weekdays = []time.Weekday{7} }, "weekdays", "error.invalid_choice"},
		{"both until and count", func(sp *SeriesSpec) { sp.Count = 5 }, "count", "error.series_end"},
		{"neither until nor count", func(sp *SeriesSpec) { sp.Until = time.Time{} }, "until", "error.series_end"},
		{"count negative", func(sp *SeriesSpec) { sp.Until, sp.Count = time.Time{}, -1 }, "count", "error.value_range:200"},
		{"count over the limit", func(sp *SeriesSpec) { sp.Until, sp.Count = time.Time{}, MaxSeries+1 }, "count", "error.value_range:200"},
		{"until before first", func(sp *SeriesSpec) { sp.Until = day("2024-09-01") }, "until", "error.until_before_from"},
		{"until on first", func(sp *SeriesSpec) { sp.Until = sp.First }, "", ""},
		{"until two years on", func(sp *SeriesSpec) { sp.Until = day("2026-09-02") }, "", ""},
		{"until over two years on", func(sp *SeriesSpec) { sp.Until = day("2026-09-03") }, "until", "error.series_too_long"},
	}
	for _, c := range cases {
		sp := ok()
		c.edit(&sp)
		err := sp.Validate()
		if c.field == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if v, isV := err.(*ValidationError); !isV || v.Fields[c.field] != c.msg {
			t.Errorf("%s: %v, want %s: %s", c.name, err, c.field, c.msg)
		}
	}
	sp := ok()
	if err := sp.Validate(); err != nil || !slices.Equal(sp.Weekdays, []time.Weekday{time.Monday, time.Wednesday}) {
		t.Errorf("weekdays not deduplicated: %v %v", sp.Weekdays, err)
	}
}

func dayList(list ...string) []time.Time {
	out := make([]time.Time, len(list))
	for i, s := range list {
		out[i] = day(s)
	}
	return out
}

func TestSeriesDates(t *testing.T) {
	noSupervision := Blackout{Name: "Wakacje superwizji", Kinds: []CourseKind{CourseSupervision}, From: day("2023-07-01"), To: day("2023-08-31"), Yearly: true}
	monWed := []time.Weekday{time.Wednesday, time.Monday}
	// 2023: 1 May is a Monday and 3 May a Wednesday; Corpus Christi, a
	// Thursday as always, falls on 8 June.
	cases := []struct {
		name    string
		sp      SeriesSpec
		kind    CourseKind
		dates   []time.Time
		skipped []SkippedDay
	}{
		{"weekly Mon+Wed over May holidays and a supervision blackout",
			SeriesSpec{First: day("2023-04-24"), EveryWeeks: 1, Weekdays: monWed, Until: day("2023-07-12")}, CourseSupervision,
			dayList("2023-04-24", "2023-04-26", "2023-05-08", "2023-05-10", "2023-05-15", "2023-05-17", "2023-05-22", "2023-05-24",
				"2023-05-29", "2023-05-31", "2023-06-05", "2023-06-07", "2023-06-12", "2023-06-14", "2023-06-19", "2023-06-21",
				"2023-06-26", "2023-06-28"),
			[]SkippedDay{
				{Day: day("2023-05-01"), Holiday: "holiday.labour_day"},
				{Day: day("2023-05-03"), Holiday: "holiday.constitution_day"},
				{Day: day("2023-07-03"), Blackout: "Wakacje superwizji"},
				{Day: day("2023-07-05"), Blackout: "Wakacje superwizji"},
				{Day: day("2023-07-10"), Blackout: "Wakacje superwizji"},
				{Day: day("2023-07-12"), Blackout: "Wakacje superwizji"},
			}},
		{"a training keeps July",
			SeriesSpec{First: day("2023-06-26"), EveryWeeks: 1, Weekdays: monWed, Until: day("2023-07-05")}, CourseTraining,
			dayList("2023-06-26", "2023-06-28", "2023-07-03", "2023-07-05"), nil},
		{"Thursdays skip Corpus Christi",
			SeriesSpec{First: day("2023-06-01"), EveryWeeks: 1, Weekdays: []time.Weekday{time.Thursday}, Count: 3}, CourseTraining,
			dayList("2023-06-01", "2023-06-15", "2023-06-22"),
			[]SkippedDay{{Day: day("2023-06-08"), Holiday: "holiday.corpus_christi"}}},
		{"a holiday inside a blackout gives both reasons",
			SeriesSpec{First: day("2023-08-14"), EveryWeeks: 1, Weekdays: []time.Weekday{time.Tuesday}, Count: 1}, CourseSupervision,
			dayList("2023-09-05"),
			[]SkippedDay{
				{Day: day("2023-08-15"), Holiday: "holiday.assumption", Blackout: "Wakacje superwizji"},
				{Day: day("2023-08-22"), Blackout: "Wakacje superwizji"},
				{Day: day("2023-08-29"), Blackout: "Wakacje superwizji"},
			}},
		{"count does not count skipped days",
			SeriesSpec{First: day("2023-04-24"), EveryWeeks: 1, Weekdays: monWed, Count: 4}, CourseTraining,
			dayList("2023-04-24", "2023-04-26", "2023-05-08", "2023-05-10"),
			[]SkippedDay{{Day: day("2023-05-01"), Holiday: "holiday.labour_day"}, {Day: day("2023-05-03"), Holiday: "holiday.constitution_day"}}},
		// The first Monday is before First; week 1 (with 1 and 3 May) is
		// not a week of the series, so its holidays are no skipped days.
		{"every second week from a Wednesday",
			SeriesSpec{First: day("2023-04-26"), EveryWeeks: 2, Weekdays: monWed, Count: 4}, CourseTraining,
			dayList("2023-04-26", "2023-05-08", "2023-05-10", "2023-05-22"), nil},
		{"every third week until a day",
			SeriesSpec{First: day("2024-09-02"), EveryWeeks: 3, Weekdays: []time.Weekday{time.Friday}, Until: day("2024-10-18")}, CourseWorkshop,
			dayList("2024-09-06", "2024-09-27", "2024-10-18"), nil},
		{"until is inclusive, after it nothing",
			SeriesSpec{First: day("2024-09-02"), EveryWeeks: 1, Weekdays: []time.Weekday{time.Monday}, Until: day("2024-09-09")}, CourseWorkshop,
			dayList("2024-09-02", "2024-09-09"), nil},
		{"until before first",
			SeriesSpec{First: day("2024-09-02"), EveryWeeks: 1, Weekdays: []time.Weekday{time.Monday}, Until: day("2024-09-01")}, CourseWorkshop,
			nil, nil},
		{"first given as a Warsaw midnight",
			SeriesSpec{First: time.Date(2024, 9, 2, 0, 0, 0, 0, warsaw), EveryWeeks: 1, Weekdays: []time.Weekday{time.Monday}, Count: 2}, CourseWorkshop,
			dayList("2024-09-02", "2024-09-09"), nil},
		{"no weekday", SeriesSpec{First: day("2024-09-02"), EveryWeeks: 1, Count: 2}, CourseWorkshop, nil, nil},
		{"every 0 weeks", SeriesSpec{First: day("2024-09-02"), Weekdays: monWed, Count: 2}, CourseWorkshop, nil, nil},
	}
	bs := []Blackout{noSupervision}
	for _, c := range cases {
		dates, skipped := c.sp.Dates(c.kind, bs)
		if !slices.EqualFunc(dates, c.dates, time.Time.Equal) {
			t.Errorf("%s: dates\n%v\nwant\n%v", c.name, dates, c.dates)
		}
		if !slices.EqualFunc(skipped, c.skipped, func(a, b SkippedDay) bool {
			return a.Day.Equal(b.Day) && a.Holiday == b.Holiday && a.Blackout == b.Blackout
		}) {
			t.Errorf("%s: skipped\n%v\nwant\n%v", c.name, skipped, c.skipped)
		}
		for _, d := range dates {
			if d.Location() != time.UTC || d.Hour() != 0 || d.Minute() != 0 {
				t.Errorf("%s: %v is not midnight UTC", c.name, d)
			}
		}
	}
}

func TestSeriesBounds(t *testing.T) {
	every := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	cases := []struct {
		name string
		sp   SeriesSpec
	}{
		{"until two years of every day", SeriesSpec{First: day("2023-01-02"), EveryWeeks: 1, Weekdays: every, Until: day("2024-12-31")}},
		{"count over the limit", SeriesSpec{First: day("2023-01-02"), EveryWeeks: 1, Weekdays: every, Count: MaxSeries + 50}},
		{"no end at all", SeriesSpec{First: day("2023-01-02"), EveryWeeks: 1, Weekdays: every}},
	}
	for _, c := range cases {
		dates, _ := c.sp.Dates(CourseTraining, nil)
		if len(dates) != MaxSeries {
			t.Errorf("%s: %d dates, want %d", c.name, len(dates), MaxSeries)
		}
	}
	// A blackout over every day: the series never fills, and still ends.
	always := []Blackout{{Name: "Zawsze", From: day("2023-01-01"), To: day("2023-12-31"), Yearly: true}}
	sp := SeriesSpec{First: day("2023-01-02"), EveryWeeks: 1, Weekdays: []time.Weekday{time.Monday}, Count: 5}
	dates, skipped := sp.Dates(CourseTraining, always)
	if len(dates) != 0 || len(skipped) == 0 {
		t.Fatalf("%d dates, %d skipped", len(dates), len(skipped))
	}
	if last := skipped[len(skipped)-1].Day; last.After(sp.First.AddDate(3, 0, 7)) {
		t.Errorf("looked on until %v", last)
	}
}

func TestConflicts(t *testing.T) {
	const trainer, other, anna, jan, zofia = 7, 8, 100, 101, 102
	wednesday := day("2023-06-14")
	base := func() Session {
		return Session{Meta: Meta{ID: 1}, Date: wednesday, Start: 600, End: 720, LocationID: 5, Room: "12",
			TrainerIDs: []uint64{trainer}, Participants: []uint64{jan, anna}, Status: SessionPlanned}
	}
	at := func(id uint64, start, end int, edit func(*Session)) Session {
		o := Session{Meta: Meta{ID: id}, Date: wednesday, Start: start, End: end, LocationID: 6, Status: SessionPlanned}
		if edit != nil {
			edit(&o)
		}
		return o
	}
	runs := func(ids ...uint64) func(*Session) { return func(o *Session) { o.TrainerIDs = ids } }
	supervisionSummer := Blackout{Name: "Wakacje superwizji", Kinds: []CourseKind{CourseSupervision}, From: day("2023-07-01"), To: day("2023-08-31"), Yearly: true}
	cases := []struct {
		name    string
		edit    func(*Session) // of s
		kind    CourseKind
		sameDay []Session
		gap     int
		want    []Conflict
	}{
		{"trainer in an overlapping session", nil, CourseTraining,
			[]Session{at(2, 690, 800, runs(trainer))}, 0,
			[]Conflict{{Kind: ConflictTrainer, Other: 2, Who: trainer}}},
		{"trainer in the same slot", nil, CourseTraining,
			[]Session{at(2, 600, 720, runs(other, trainer))}, 0,
			[]Conflict{{Kind: ConflictTrainer, Other: 2, Who: trainer}}},
		{"trainer right after: half-open slots", nil, CourseTraining,
			[]Session{at(2, 720, 780, runs(trainer)), at(3, 480, 600, runs(trainer))}, 0, nil},
		{"another trainer", nil, CourseTraining,
			[]Session{at(2, 600, 720, runs(other))}, 0, nil},
		{"participants, one each, by person", nil, CourseTraining,
			[]Session{at(2, 700, 760, func(o *Session) { o.Participants = []uint64{zofia, jan, anna} })}, 0,
			[]Conflict{{Kind: ConflictParticipant, Other: 2, Who: anna}, {Kind: ConflictParticipant, Other: 2, Who: jan}}},
		{"participant after the end", nil, CourseTraining,
			[]Session{at(2, 720, 760, func(o *Session) { o.Participants = []uint64{anna} })}, 0, nil},
		{"same room, typed differently", nil, CourseTraining,
			[]Session{at(2, 660, 700, func(o *Session) { o.LocationID, o.Room = 5, " 12 " })}, 0,
			[]Conflict{{Kind: ConflictRoom, Other: 2}}},
		{"same room, letters in another case", func(s *Session) { s.Room = "Sala A" }, CourseTraining,
			[]Session{at(2, 660, 700, func(o *Session) { o.LocationID, o.Room = 5, "sala a" })}, 0,
			[]Conflict{{Kind: ConflictRoom, Other: 2}}},
		{"different rooms in one location: a warning", nil, CourseTraining,
			[]Session{at(2, 660, 700, func(o *Session) { o.LocationID, o.Room = 5, "14" })}, 0,
			[]Conflict{{Kind: ConflictLocation, Other: 2, Warning: true}}},
		{"room unknown: a warning", func(s *Session) { s.Room = "" }, CourseTraining,
			[]Session{at(2, 660, 700, func(o *Session) { o.LocationID, o.Room = 5, "12" })}, 0,
			[]Conflict{{Kind: ConflictLocation, Other: 2, Warning: true}}},
		{"same room after the end", nil, CourseTraining,
			[]Session{at(2, 720, 780, func(o *Session) { o.LocationID, o.Room = 5, "12" })}, 0, nil},
		{"same room number elsewhere", nil, CourseTraining,
			[]Session{at(2, 660, 700, func(o *Session) { o.Room = "12" })}, 0, nil},
		{"rooms at addresses are not compared", func(s *Session) { s.LocationID, s.Address = 0, "ul. Polna 1" }, CourseTraining,
			[]Session{at(2, 660, 700, func(o *Session) { o.LocationID, o.Address, o.Room = 0, "ul. Polna 1", "12" })}, 0, nil},
		{"travel just under the gap", nil, CourseTraining,
			[]Session{at(2, 749, 800, runs(trainer))}, 30,
			[]Conflict{{Kind: ConflictTravel, Other: 2, Who: trainer, Gap: 29}}},
		{"travel at the gap", nil, CourseTraining,
			[]Session{at(2, 750, 800, runs(trainer))}, 30, nil},
		{"travel from an earlier session", nil, CourseTraining,
			[]Session{at(2, 480, 590, runs(trainer))}, 30,
			[]Conflict{{Kind: ConflictTravel, Other: 2, Who: trainer, Gap: 10}}},
		{"back to back at two places", nil, CourseTraining,
			[]Session{at(2, 720, 780, runs(trainer))}, 30,
			[]Conflict{{Kind: ConflictTravel, Other: 2, Who: trainer, Gap: 0}}},
		{"no travel check", nil, CourseTraining,
			[]Session{at(2, 730, 800, runs(trainer))}, 0, nil},
		{"no travel within one location", nil, CourseTraining,
			[]Session{at(2, 720, 800, func(o *Session) { o.LocationID, o.TrainerIDs = 5, []uint64{trainer} })}, 30, nil},
		{"no travel for a trainer not shared", nil, CourseTraining,
			[]Session{at(2, 730, 800, runs(other))}, 30, nil},
		{"the same address typed differently", func(s *Session) { s.LocationID, s.Address = 0, "ul. Szkolna 5" }, CourseTraining,
			[]Session{at(2, 730, 800, func(o *Session) { o.LocationID, o.Address, o.TrainerIDs = 0, " UL.  szkolna 5", []uint64{trainer} })}, 30, nil},
		{"another address", func(s *Session) { s.LocationID, s.Address = 0, "ul. Szkolna 5" }, CourseTraining,
			[]Session{at(2, 730, 800, func(o *Session) { o.LocationID, o.Address, o.TrainerIDs = 0, "ul. Polna 1", []uint64{trainer} })}, 30,
			[]Conflict{{Kind: ConflictTravel, Other: 2, Who: trainer, Gap: 10}}},
		{"an address and a location", func(s *Session) { s.LocationID, s.Address = 0, "ul. Szkolna 5" }, CourseTraining,
			[]Session{at(2, 730, 800, runs(trainer))}, 30,
			[]Conflict{{Kind: ConflictTravel, Other: 2, Who: trainer, Gap: 10}}},
		{"the other's place unknown", nil, CourseTraining,
			[]Session{at(2, 730, 800, func(o *Session) { o.LocationID, o.TrainerIDs = 0, []uint64{trainer} })}, 30, nil},
		{"this place unknown", func(s *Session) { s.LocationID = 0 }, CourseTraining,
			[]Session{at(2, 730, 800, runs(trainer))}, 30, nil},
		{"a cancelled other session", nil, CourseTraining,
			[]Session{at(2, 600, 720, func(o *Session) {
				o.Status, o.TrainerIDs, o.Participants, o.LocationID, o.Room = SessionCancelled, []uint64{trainer}, []uint64{anna}, 5, "12"
			})}, 30, nil},
		{"the session itself", nil, CourseTraining, []Session{base()}, 30, nil},
		{"cancelled: nothing, not even a holiday", func(s *Session) { s.Status, s.Date = SessionCancelled, day("2023-08-15") }, CourseSupervision,
			[]Session{at(2, 600, 720, runs(trainer))}, 30, nil},
		{"a supervision blackout stops supervision", func(s *Session) { s.Date = day("2023-07-12") }, CourseSupervision, nil, 0,
			[]Conflict{{Kind: ConflictBlackout, Name: "Wakacje superwizji"}}},
		{"a supervision blackout does not stop a training", func(s *Session) { s.Date = day("2023-07-12") }, CourseTraining, nil, 0, nil},
		{"a holiday", func(s *Session) { s.Date = day("2023-06-08") }, CourseTraining, nil, 0,
			[]Conflict{{Kind: ConflictHoliday, Name: "holiday.corpus_christi"}}},
		{"blackout, holiday, then by start, ID, kind and person", func(s *Session) { s.Date = day("2023-08-15") }, CourseSupervision,
			[]Session{
				at(9, 690, 720, func(o *Session) { o.LocationID, o.Room, o.Participants = 5, "12", []uint64{anna} }),
				at(4, 540, 610, func(o *Session) {
					o.LocationID, o.Room, o.TrainerIDs, o.Participants = 5, "12", []uint64{trainer}, []uint64{jan, anna}
				}),
				at(3, 690, 720, func(o *Session) { o.LocationID, o.Room = 5, "" }),
				at(2, 730, 800, runs(trainer)),
			}, 30,
			[]Conflict{
				{Kind: ConflictBlackout, Name: "Wakacje superwizji"},
				{Kind: ConflictHoliday, Name: "holiday.assumption"},
				{Kind: ConflictTrainer, Other: 4, Who: trainer},
				{Kind: ConflictParticipant, Other: 4, Who: anna},
				{Kind: ConflictParticipant, Other: 4, Who: jan},
				{Kind: ConflictRoom, Other: 4},
				{Kind: ConflictLocation, Other: 3, Warning: true},
				{Kind: ConflictParticipant, Other: 9, Who: anna},
				{Kind: ConflictRoom, Other: 9},
				{Kind: ConflictTravel, Other: 2, Who: trainer, Gap: 10},
			}},
	}
	bs := []Blackout{supervisionSummer}
	for _, c := range cases {
		s := base()
		if c.edit != nil {
			c.edit(&s)
		}
		got := Conflicts(&s, c.kind, c.sameDay, bs, c.gap)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s:\n got %s\nwant %s", c.name, conflictList(got), conflictList(c.want))
		}
	}
}

// Sessions not stored yet (a series, an import) all have ID 0: they are
// compared with one another, and each one's conflicts stay together.
func TestConflictsUnsaved(t *testing.T) {
	d := day("2023-06-14")
	s := Session{Date: d, Start: 600, End: 720, TrainerIDs: []uint64{7}, Participants: []uint64{100}, Status: SessionPlanned}
	a := Session{Date: d, Start: 600, End: 700, TrainerIDs: []uint64{7}, Participants: []uint64{100}, Status: SessionPlanned}
	b := a
	b.End = 650
	want := []Conflict{
		{Kind: ConflictTrainer}, {Kind: ConflictParticipant, Who: 100},
		{Kind: ConflictTrainer}, {Kind: ConflictParticipant, Who: 100},
	}
	for i := range want {
		if want[i].Kind == ConflictTrainer {
			want[i].Who = 7
		}
	}
	if got := Conflicts(&s, CourseTraining, []Session{a, b}, nil, 0); !slices.Equal(got, want) {
		t.Errorf("got %s\nwant %s", conflictList(got), conflictList(want))
	}
}

func TestConflictBlocking(t *testing.T) {
	cases := []struct {
		list []Conflict
		want bool
	}{
		{nil, false},
		{[]Conflict{{Kind: ConflictLocation, Other: 2, Warning: true}}, false},
		{[]Conflict{{Kind: ConflictLocation, Other: 2, Warning: true}, {Kind: ConflictRoom, Other: 3}}, true},
		{[]Conflict{{Kind: ConflictHoliday, Name: "holiday.assumption"}}, true},
	}
	for _, c := range cases {
		if got := Blocking(c.list); got != c.want {
			t.Errorf("Blocking(%s) = %v, want %v", conflictList(c.list), got, c.want)
		}
	}
}

func conflictList(cs []Conflict) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%+v", c)
	}
	return "[" + strings.Join(parts, " ") + "]"
}
