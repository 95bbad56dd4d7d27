package views

import (
	"strconv"
	"time"

	"intranet/store"
)

// Timeline is a project's milestones on a horizontal time axis, one row
// each: a bar for a phase, a diamond for a single day.
type Timeline struct {
	ID            string // the project's ID, for element ids
	Title, Desc   string
	Width, Height Num
	// Left and Right are the ends of the time axis; the month lines run
	// from Top to Bottom, the rows lie between RowsTop and Bottom.
	Left, Right      Num
	Top, Bottom      Num
	RowsTop          Num
	YearY, MonthY    Num // baselines of the axis labels
	Ticks            []Tick
	Rows             []TimelineRow
	Today            *Marker // nil when today is off the axis
	Empty            string  // said instead of rows when there are none
	EmptyX, EmptyY   Num
	TodayY1, TodayY2 Num
}

// TimelineRow is one milestone. Class is one of the fixed classes
// planned, in-progress, done, late, cancelled; everything else of the
// milestone is text.
type TimelineRow struct {
	Class  string
	Odd    bool   // every other row is shaded
	Hint   string // the row's <title>: full title, dates, status
	Label  string // the title, shortened, with its status mark
	Band   Box
	LabelX Num
	LabelY Num
	Anchor string // text-anchor of the label
	// The planned date: Bar for a phase, else Diamond (polygon points).
	Bar     *Box
	Diamond string
	// The baseline, when the milestone was re-planned: a dashed outline
	// under the planned one.
	BaseBar     *Box
	BaseDiamond string
	// Late is where the "!" sign of a late milestone goes.
	Late *Point
	// Strike crosses out a cancelled milestone.
	Strike *Line
}

// Timeline geometry, in user units.
const (
	tlWidth    = 960
	tlLeft     = 16
	tlRight    = 944
	tlYearY    = 14
	tlMonthY   = 34
	tlGridTop  = 20
	tlRowsTop  = 44
	tlRowH     = 44
	tlFooter   = 30
	tlLabelMax = 60 // runes of a title shown in its row
)

// NewTimeline draws a project's milestones (in the order given) over the
// project's period, widened to every planned and baseline date, on day
// today. An open-ended project runs to the latest of today, the last
// milestone and a year after its start.
func NewTimeline(l *Lang, p *store.Project, ms []*store.Milestone, today time.Time) Timeline {
	today = store.Day(today)
	var from, to time.Time
	var id uint64
	name := ""
	if p != nil {
		from, to, id, name = store.Day(p.From), store.Day(p.To), p.ID, p.Name
	}
	var lo, hi time.Time // the milestones' dates
	widen := func(t time.Time) {
		if t.IsZero() {
			return
		}
		t = store.Day(t)
		if lo.IsZero() || t.Before(lo) {
			lo = t
		}
		if t.After(hi) {
			hi = t
		}
	}
	for _, m := range ms {
		widen(m.Planned.From)
		widen(m.Planned.End())
		widen(m.Baseline.From)
		widen(m.Baseline.End())
	}
	if from.IsZero() {
		from = lo
		if from.IsZero() {
			from = today
		}
	}
	if to.IsZero() {
		to = latest(today, hi, from.AddDate(1, 0, 0))
	}
	if !lo.IsZero() && lo.Before(from) {
		from = lo
	}
	to = latest(to, hi, from)
	ax := newTimeAxis(from, to, tlLeft, tlRight)

	rows := max(len(ms), 1)
	bottom := Num(tlRowsTop + rows*tlRowH)
	t := Timeline{
		ID:    strconv.FormatUint(id, 10),
		Title: l.T("timeline.title", "Name", svgText(name)),
		Width: tlWidth, Height: bottom + tlFooter,
		Left: tlLeft, Right: tlRight, Top: tlGridTop, Bottom: bottom, RowsTop: tlRowsTop,
		YearY: tlYearY, MonthY: tlMonthY,
		Ticks:   ax.Ticks(l),
		TodayY1: tlGridTop, TodayY2: bottom,
	}

	done, late, cancelled := 0, 0, 0
	for i, m := range ms {
		r := timelineRow(l, ax, m, today, Num(tlRowsTop+i*tlRowH))
		r.Odd = i%2 == 1
		switch r.Class {
		case "done":
			done++
		case "late":
			late++
		case "cancelled":
			cancelled++
		}
		t.Rows = append(t.Rows, r)
	}

	if ax.Contains(today) {
		x := ax.Mid(today)
		t.Today = &Marker{X: x, Label: l.T("chart.today"), LabelX: min(max(x, tlLeft+20), tlRight-20), LabelY: bottom + 18, Anchor: "middle"}
	}
	if len(ms) == 0 {
		t.Empty, t.EmptyX, t.EmptyY = l.T("timeline.none"), tlLeft+8, tlRowsTop+tlRowH/2+5
		t.Desc = l.T("timeline.none")
		return t
	}
	t.Desc = l.T("timeline.desc", "Milestones", l.N("timeline.milestones", len(ms)), "Done", done, "Late", late)
	if cancelled > 0 {
		t.Desc += " " + l.T("timeline.desc_cancelled", "Count", cancelled)
	}
	return t
}

// timelineRow lays out one milestone in the row starting at y0.
func timelineRow(l *Lang, ax timeAxis, m *store.Milestone, today time.Time, y0 Num) TimelineRow {
	r := TimelineRow{Band: Box{X: tlLeft, Y: y0, W: tlRight - tlLeft, H: tlRowH}, LabelY: y0 + 14}
	status := l.T("timeline.status." + string(m.Status))
	mark := ""
	switch {
	case m.Status == store.MilestoneDone:
		r.Class, mark = "done", l.T("timeline.mark_done")
		if !m.Actual.IsZero() {
			status = l.T("timeline.done_on", "Date", Date(m.Actual))
		}
	case m.Status == store.MilestoneCancelled:
		r.Class, mark = "cancelled", l.T("timeline.mark_cancelled")
	case m.Late(today):
		r.Class, mark = "late", l.T("timeline.mark_late")
		status = l.T("timeline.status.late")
	case m.Status == store.MilestoneInProgress:
		r.Class = "in-progress"
	default:
		r.Class = "planned"
	}

	title := svgText(m.Title)
	r.Label = shorten(title, tlLabelMax)
	if mark != "" {
		r.Label += " " + mark
	}
	baseline := !m.Baseline.From.IsZero() && m.Replanned()
	if baseline {
		r.Hint = l.T("timeline.hint_replanned", "Title", title, "Dates", dateRange(m.Planned), "Baseline", dateRange(m.Baseline), "Status", status)
	} else {
		r.Hint = l.T("timeline.hint", "Title", title, "Dates", dateRange(m.Planned), "Status", status)
	}

	cy := y0 + 25
	xs, xe := Num(tlLeft), Num(tlLeft)
	if pl := m.Planned; !pl.From.IsZero() {
		if pl.Phase() {
			xs, xe = ax.X(store.Day(pl.From)), ax.X(store.Day(pl.To).AddDate(0, 0, 1))
			xe = max(xe, xs+3) // a short phase stays visible
			r.Bar = &Box{X: xs, Y: cy - 6, W: xe - xs, H: 12}
		} else {
			x := ax.Mid(store.Day(pl.From))
			xs, xe = x-7, x+7
			r.Diamond = diamond(x, cy, 7)
		}
	}
	if b := m.Baseline; baseline {
		if b.Phase() {
			bs, be := ax.X(store.Day(b.From)), ax.X(store.Day(b.To).AddDate(0, 0, 1))
			r.BaseBar = &Box{X: bs, Y: y0 + 33, W: max(be-bs, 3), H: 8}
		} else {
			r.BaseDiamond = diamond(ax.Mid(store.Day(b.From)), y0+37, 5)
		}
	}

	// The label starts at the shape in the left half of the axis and ends
	// at it in the right half, so that it stays inside.
	if xs <= (tlLeft+tlRight)/2 {
		r.LabelX, r.Anchor = max(xs, tlLeft+2), "start"
	} else {
		r.LabelX, r.Anchor = min(xe, tlRight-2), "end"
	}
	switch r.Class {
	case "late":
		r.Late = &Point{X: xe + 13, Y: cy}
		if xe+22 > tlWidth {
			r.Late.X = xs - 13
		}
	case "cancelled":
		r.Strike = &Line{X1: xs - 4, Y1: cy, X2: xe + 4, Y2: cy}
	}
	return r
}

// latest is the latest of some days.
func latest(days ...time.Time) time.Time {
	var out time.Time
	for _, d := range days {
		if d.After(out) {
			out = d
		}
	}
	return out
}
