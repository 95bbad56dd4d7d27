package views

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the single binary must know Europe/Warsaw on a bare server
)

// Warsaw is the time zone every date is shown in.
var Warsaw = mustLoad("Europe/Warsaw")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Date formats a day the Polish way: 01.09.2017.
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Warsaw).Format("02.01.2006")
}

// DateTime formats a moment: 01.09.2017 14:05.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Warsaw).Format("02.01.2006 15:04")
}

// ISODate is the value of an <input type="date">.
func ISODate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Warsaw).Format("2006-01-02")
}

// LongDate formats a day with the month's name: "1 września 2017".
func (l *Lang) LongDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Warsaw)
	return l.T("date.long", "Day", t.Day(), "Month", l.T("month.genitive."+strconv.Itoa(int(t.Month()))), "Year", t.Year())
}

// DayMonth is a day of the year without its year: "1 czerwca", for what
// repeats every year.
func (l *Lang) DayMonth(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return l.T("date.day_month", "Day", t.Day(), "Month", l.T("month.genitive."+strconv.Itoa(int(t.Month()))))
}

// Money formats an amount in grosze: 35639750 → "356 397,50 zł". Money is
// kept in integer grosze everywhere; this is the only place it meets a comma.
func Money(grosze int64) string {
	sign := ""
	u := uint64(grosze)
	if grosze < 0 {
		sign = "-"
		u = uint64(-(grosze + 1)) + 1 // also right for the smallest int64
	}
	zl, gr := u/100, u%100
	digits := strconv.FormatUint(zl, 10)
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	b.WriteByte(',')
	if gr < 10 {
		b.WriteByte('0')
	}
	b.WriteString(strconv.FormatUint(gr, 10))
	b.WriteString(" zł")
	return b.String()
}

// ParseDate reads a date typed by a person: 2017-09-01 (date inputs) or
// 01.09.2017 / 1.9.2017 (Polish habit). It returns midnight in Warsaw.
// LooksLikeDate reports whether s has the shape of a date (31.02.2024 does,
// "jutro" does not), so that a day that does not exist gets its own message.
func LooksLikeDate(s string) bool { return dateShape.MatchString(strings.TrimSpace(s)) }

var dateShape = regexp.MustCompile(`^(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4})$`)

func ParseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 10 {
		return time.Time{}, false
	}
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006", "02.1.2006", "2.01.2006"} {
		if t, err := time.ParseInLocation(layout, s, Warsaw); err == nil {
			if t.Year() < 1900 || t.Year() > 2200 {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// FileSize is a size in bytes as people read it: "840 B", "12 kB",
// "3,4 MB" (decimal comma, as Polish writes it; kilo- and megabytes of 1024).
func FileSize(n int) string {
	switch {
	case n < 1024:
		return strconv.Itoa(n) + " B"
	case n < 1024*1024:
		return strconv.Itoa((n+512)/1024) + " kB"
	}
	tenths := (n*10 + 512*1024) / (1024 * 1024)
	return strconv.Itoa(tenths/10) + "," + strconv.Itoa(tenths%10) + " MB"
}
