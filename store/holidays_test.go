package store

import (
	"testing"
	"time"
)

func TestEaster(t *testing.T) {
	// Published dates of Easter Sunday.
	for year, want := range map[int]string{
		1961: "1961-04-02", 2000: "2000-04-23", 2008: "2008-03-23", 2011: "2011-04-24", 2017: "2017-04-16",
		2018: "2018-04-01", 2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20", 2026: "2026-04-05",
		2038: "2038-04-25", 2285: "2285-03-22",
	} {
		if got := Easter(year); !got.Equal(day(want)) {
			t.Errorf("Easter %d = %s, want %s", year, got.Format("2006-01-02"), want)
		}
	}
}

func TestHolidays(t *testing.T) {
	cases := []struct {
		day  string
		name string // "" for a day that is no holiday
	}{
		{"2018-01-01", "holiday.new_year"},
		{"2018-01-06", "holiday.epiphany"},
		{"2018-04-01", "holiday.easter"},
		{"2018-04-02", "holiday.easter_monday"},
		{"2018-05-01", "holiday.labour_day"},
		{"2018-05-03", "holiday.constitution_day"},
		{"2018-05-20", "holiday.pentecost"},      // Easter + 49
		{"2018-05-31", "holiday.corpus_christi"}, // Easter + 60
		{"2018-08-15", "holiday.assumption"},
		{"2018-11-01", "holiday.all_saints"},
		{"2018-11-11", "holiday.independence_day"},
		{"2018-12-25", "holiday.christmas"},
		{"2018-12-26", "holiday.boxing_day"},
		{"2026-06-04", "holiday.corpus_christi"},
		{"2026-05-24", "holiday.pentecost"},
		// 24 December is a holiday from 2025 on, not before.
		{"2024-12-24", ""},
		{"2025-12-24", "holiday.christmas_eve"},
		{"2018-11-12", ""},
		{"2018-04-03", ""},
	}
	for _, c := range cases {
		h, ok := HolidayOn(day(c.day))
		if ok != (c.name != "") || h.Name != c.name {
			t.Errorf("%s: %q %v, want %q", c.day, h.Name, ok, c.name)
		}
	}
	for _, year := range []int{2017, 2024, 2025, 2026} {
		list := Holidays(year)
		want := 13
		if year >= 2025 {
			want = 14
		}
		if len(list) != want {
			t.Errorf("%d: %d holidays, want %d", year, len(list), want)
		}
		for i := 1; i < len(list); i++ {
			if !list[i-1].Day.Before(list[i].Day) {
				t.Errorf("%d: %s after %s", year, list[i-1].Day, list[i].Day)
			}
		}
	}
}

func TestWorkingDay(t *testing.T) {
	for d, want := range map[string]bool{
		"2018-01-11": true,  // a Thursday of the seed's supervision
		"2018-01-13": false, // Saturday
		"2018-01-14": false, // Sunday
		"2018-05-31": false, // Corpus Christi, a Thursday
		"2025-12-24": false, // Wednesday, a holiday from 2025
		"2024-12-24": true,  // Tuesday, a working day then
	} {
		if got := WorkingDay(day(d)); got != want {
			t.Errorf("%s: working %v, want %v", d, got, want)
		}
	}
	// A day is a Warsaw day: 23:30 UTC on 10 November is already the 11th.
	if WorkingDay(time.Date(2026, 11, 10, 23, 30, 0, 0, time.UTC)) {
		t.Error("the evening of 10 November UTC is Independence Day in Warsaw")
	}
}
