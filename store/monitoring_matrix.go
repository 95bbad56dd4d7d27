package store

import "time"

// The status matrix: teams (rows) by months (columns), each cell the
// latest assessment of that month and how many notes stand behind it.
// Months are named by their first day; a report or a matrix is read as
// of its period's end.

// MaxMatrixMonths bounds a matrix's columns (three years).
const MaxMatrixMonths = 36

// MatrixCell is one unit's month.
type MatrixCell struct {
	Assessment Assessment // of the month's latest note; "" when none
	Notes      int
	Latest     uint64 // that note
	latestDay  time.Time
}

// Matrix is the latest assessment per unit and month.
type Matrix struct {
	Months []time.Time // first days, in order
	Units  []uint64    // rows, in the order asked
	Cells  map[uint64][]MatrixCell
}

// BuildMatrix puts the notes about the units into months from the month
// of from to the month of to (at most MaxMatrixMonths, counted from the
// end); a note about several units counts for each.
func BuildMatrix(lines []NoteLine, units []uint64, from, to time.Time) Matrix {
	first := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(to.Year(), to.Month(), 1, 0, 0, 0, 0, time.UTC)
	if last.Before(first) {
		first, last = last, first
	}
	if months := monthIndex(first, last) + 1; months > MaxMatrixMonths {
		first = last.AddDate(0, 1-MaxMatrixMonths, 0)
	}
	m := Matrix{Units: units, Cells: make(map[uint64][]MatrixCell, len(units))}
	for d := first; !d.After(last); d = d.AddDate(0, 1, 0) {
		m.Months = append(m.Months, d)
	}
	for _, u := range units {
		m.Cells[u] = make([]MatrixCell, len(m.Months))
	}
	for i := range lines {
		l := &lines[i]
		day := time.Date(l.Date.Year(), l.Date.Month(), 1, 0, 0, 0, 0, time.UTC)
		if day.Before(first) || day.After(last) {
			continue
		}
		col := monthIndex(first, day)
		for _, s := range l.Subjects {
			row, ok := m.Cells[s.ID]
			if s.Kind != SubjectUnit || !ok {
				continue
			}
			c := &row[col]
			c.Notes++
			if c.Latest == 0 || l.Date.After(c.latestDay) || l.Date.Equal(c.latestDay) && l.ID > c.Latest {
				c.Assessment, c.Latest, c.latestDay = l.Assessment, l.ID, l.Date
			}
		}
	}
	return m
}

func monthIndex(first, day time.Time) int {
	return (day.Year()-first.Year())*12 + int(day.Month()) - int(first.Month())
}
