package views

import (
	"slices"
	"time"

	"intranet/store"
)

// Trend is the assessment trend of one subject of monitoring notes: each
// note a mark on a time axis, at the height of its assessment (a labelled
// row: the position tells the assessment, the colour and the shape repeat
// it), the assessed notes joined by a line.
type Trend struct {
	ID            string
	Title, Desc   string
	Width, Height Num
	Left, Right   Num
	Top, Bottom   Num
	YearY, MonthY Num
	Ticks         []Tick
	Levels        []TrendLevel
	Line          string // polyline points through the assessed notes, oldest first
	Marks         []TrendMark
}

// TrendLevel is one assessment's row.
type TrendLevel struct {
	Y, LabelY Num
	Label     string
	Class     string // the assessment: a fixed class
}

// TrendMark is one note.
type TrendMark struct {
	X, Y  Num
	Class string // the assessment: a fixed class
	Hint  string // date, assessment, title
}

// TrendNote is what a trend needs of a note. The drawing is an image:
// the notes' links are in the list beside it.
type TrendNote struct {
	Date       time.Time
	Assessment store.Assessment
	Title      string
}

const (
	trWidth  = 960
	trLeft   = 150
	trRight  = 944
	trYearY  = 14
	trMonthY = 30
	trTop    = 40
	trRowH   = 30
)

// NewTrend draws notes (in any order) over the months from the first to
// the last of them; id tells one drawing from another on a page.
func NewTrend(l *Lang, id, title string, notes []TrendNote) Trend {
	t := Trend{ID: id, Title: title, Width: trWidth, Left: trLeft, Right: trRight, Top: trTop - 20, YearY: trYearY, MonthY: trMonthY}
	levels := len(store.Assessments)
	t.Bottom = Num(trTop + levels*trRowH)
	t.Height = t.Bottom + 10
	row := map[store.Assessment]Num{}
	for i, a := range store.Assessments {
		y := Num(trTop + i*trRowH + trRowH/2)
		row[a] = y
		t.Levels = append(t.Levels, TrendLevel{Y: y, LabelY: y + 4, Label: l.T("assessment_symbol."+string(a)) + " " + l.T("assessment."+string(a)), Class: string(a)})
	}
	if len(notes) == 0 {
		t.Desc = l.T("trend.empty")
		return t
	}
	from, to := notes[0].Date, notes[0].Date
	for _, n := range notes {
		if n.Date.Before(from) {
			from = n.Date
		}
		if n.Date.After(to) {
			to = n.Date
		}
	}
	ax := newTimeAxis(from, to, trLeft, trRight)
	t.Ticks = ax.Ticks(l)
	ordered := slices.Clone(notes)
	slices.SortStableFunc(ordered, func(a, b TrendNote) int { return a.Date.Compare(b.Date) })
	var line []Point
	for _, n := range ordered {
		y, ok := row[n.Assessment]
		if !ok {
			continue
		}
		m := TrendMark{X: ax.Mid(n.Date), Y: y, Class: string(n.Assessment),
			Hint: Date(n.Date) + " · " + l.T("assessment."+string(n.Assessment)) + " · " + svgText(n.Title)}
		t.Marks = append(t.Marks, m)
		if n.Assessment != store.NotAssessed {
			line = append(line, Point{m.X, m.Y})
		}
	}
	if len(line) > 1 {
		t.Line = points(line...)
	}
	t.Desc = l.T("trend.desc", "Count", len(t.Marks), "From", Date(from), "To", Date(to))
	return t
}
