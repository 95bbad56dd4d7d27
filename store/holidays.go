package store

import "time"

// Public holidays in Poland are never working days; a series of sessions
// skips them without being told. They are computed from the year, never
// typed in: the fixed ones, and those that follow Easter.

// Easter is Easter Sunday of a year in the Gregorian calendar (the
// anonymous Gregorian computus, as Meeus gives it).
func Easter(year int) time.Time {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// Holiday is a public holiday: its day and the catalogue key of its name.
type Holiday struct {
	Day  time.Time
	Name string
}

// Holidays are the public holidays of a year, in order of date.
func Holidays(year int) []Holiday {
	date := func(m time.Month, d int) time.Time { return time.Date(year, m, d, 0, 0, 0, 0, time.UTC) }
	easter := Easter(year)
	list := []Holiday{
		{date(time.January, 1), "holiday.new_year"},
		{date(time.January, 6), "holiday.epiphany"},
		{easter, "holiday.easter"},
		{easter.AddDate(0, 0, 1), "holiday.easter_monday"},
		{date(time.May, 1), "holiday.labour_day"},
		{date(time.May, 3), "holiday.constitution_day"},
		{easter.AddDate(0, 0, 49), "holiday.pentecost"},
		{easter.AddDate(0, 0, 60), "holiday.corpus_christi"},
		{date(time.August, 15), "holiday.assumption"},
		{date(time.November, 1), "holiday.all_saints"},
		{date(time.November, 11), "holiday.independence_day"},
	}
	if year >= 2025 { // by the law of 2024, not before
		list = append(list, Holiday{date(time.December, 24), "holiday.christmas_eve"})
	}
	list = append(list, Holiday{date(time.December, 25), "holiday.christmas"}, Holiday{date(time.December, 26), "holiday.boxing_day"})
	// Easter's feasts move: keep the list in order of date.
	for i := 1; i < len(list); i++ {
		for j := i; j > 0 && list[j].Day.Before(list[j-1].Day); j-- {
			list[j], list[j-1] = list[j-1], list[j]
		}
	}
	return list
}

// HolidayOn is the public holiday on day, if any.
func HolidayOn(day time.Time) (Holiday, bool) {
	day = Day(day)
	for _, h := range Holidays(day.Year()) {
		if h.Day.Equal(day) {
			return h, true
		}
	}
	return Holiday{}, false
}

// WorkingDay reports whether day is a working day: neither a Saturday, a
// Sunday nor a public holiday.
func WorkingDay(day time.Time) bool {
	day = Day(day)
	if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	_, holiday := HolidayOn(day)
	return !holiday
}
