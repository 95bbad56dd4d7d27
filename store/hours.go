package store

// HourUnit is what a course's hours are counted in, never converted:
// training in clock hours, supervision in lesson hours of 45 minutes.
type HourUnit string

const (
	ClockHours  HourUnit = "clock"  // 60 minutes
	LessonHours HourUnit = "lesson" // 45 minutes
)

// Minutes is the length of one unit; 0 for an unknown unit.
func (u HourUnit) Minutes() int {
	switch u {
	case ClockHours:
		return 60
	case LessonHours:
		return 45
	}
	return 0
}

// UnitsIn is how many whole units fit in a slot from start to end (minutes
// since midnight, end not included): 07:30–10:30 holds 4 lesson hours,
// 12:00–14:30 holds 3 (the rest of a unit does not count), 09:00–15:00
// holds 6 clock hours. A slot that holds breaks has its count set by hand.
func (u HourUnit) UnitsIn(start, end int) int {
	m := u.Minutes()
	if m == 0 || end <= start {
		return 0
	}
	return (end - start) / m
}
