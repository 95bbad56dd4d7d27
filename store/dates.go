package store

import (
	"time"
	_ "time/tzdata" // calendar days are Warsaw days, on any server
)

var warsaw = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Day is the calendar day of t in Warsaw, as midnight UTC: the form every
// date-only field is stored and compared in.
func Day(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.In(warsaw).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Today is the current calendar day in Warsaw.
func (s *Store) Today() time.Time { return Day(s.now()) }

// within reports whether day lies in [from, to]; a zero bound is open.
func within(day, from, to time.Time) bool {
	return (from.IsZero() || !day.Before(from)) && (to.IsZero() || !day.After(to))
}
