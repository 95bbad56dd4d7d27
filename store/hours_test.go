package store

import "testing"

func TestUnitsInASlot(t *testing.T) {
	hm := func(h, m int) int { return h*60 + m }
	cases := []struct {
		unit       HourUnit
		start, end int
		want       int
	}{
		{LessonHours, hm(7, 30), hm(10, 30), 4},   // "7.30 – 10.30 (4 x 45 min)"
		{LessonHours, hm(12, 0), hm(14, 30), 3},   // "12.00 – 14.30 (3 gr x 3 x 45 min)"
		{ClockHours, hm(9, 0), hm(15, 0), 6},      // a training day: 26 × 6 h = 156 h
		{LessonHours, hm(8, 0), hm(14, 0), 8},     // the whole slot; two groups of 3 are two sessions
		{ClockHours, hm(9, 0), hm(9, 59), 0},      // no whole hour
		{LessonHours, hm(10, 0), hm(10, 45), 1},   // exactly one
		{LessonHours, hm(11, 0), hm(10, 0), 0},    // an end before the start
		{HourUnit("day"), hm(8, 0), hm(16, 0), 0}, // an unknown unit counts nothing
	}
	for _, c := range cases {
		if got := c.unit.UnitsIn(c.start, c.end); got != c.want {
			t.Errorf("%s %d–%d: %d, want %d", c.unit, c.start, c.end, got, c.want)
		}
	}
}
