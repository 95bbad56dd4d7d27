package views

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"intranet/store"
)

// Charts and timelines are SVG drawn by templates from geometry computed
// here: a template only prints numbers and text. Colours come from fixed
// classes in public/css/charts.css; nothing of the data goes into a class
// name or an attribute, only into text and <title>.

// Num is a coordinate in user units, printed with at most one decimal.
type Num float64

func (n Num) String() string {
	v := math.Round(float64(n)*10) / 10
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		v = 0 // no "-0", and nothing a viewer cannot read
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Box is a rectangle.
type Box struct{ X, Y, W, H Num }

// Point is a position.
type Point struct{ X, Y Num }

// Line is a segment.
type Line struct{ X1, Y1, X2, Y2 Num }

// Tick is one month line of a time axis with its labels ("" when the
// month or the year is not labelled).
type Tick struct {
	X      Num
	LabelX Num // where its labels start, just after the line
	Month  string
	Year   string
	Major  bool // a January: a stronger line
}

// Marker is a vertical line (today, the end of a period) with its label.
type Marker struct {
	X              Num
	Label          string
	LabelX, LabelY Num
	Anchor         string // text-anchor: start, middle or end
}

// points writes a polygon's or polyline's points attribute.
func points(ps ...Point) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(p.X.String())
		b.WriteByte(',')
		b.WriteString(p.Y.String())
	}
	return b.String()
}

// diamond is the points of a diamond centred on (x, y).
func diamond(x, y, r Num) string {
	return points(Point{x, y - r}, Point{x + r, y}, Point{x, y + r}, Point{x - r, y})
}

// svgText keeps text an XML document may hold: control characters (other
// than white space, which becomes a space) and non-characters go.
func svgText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20, r >= 0x7f && r < 0xa0, r >= 0xd800 && r < 0xe000, r == 0xfffe, r == 0xffff:
			return -1
		}
		return r
	}, s)
}

// shorten cuts text to at most max runes, ending with "…" when cut.
func shorten(s string, max int) string {
	s = strings.TrimSpace(svgText(s))
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:max-1])) + "…"
}

// dateRange writes a day or a span of days: 01.04.2017–30.11.2017.
func dateRange(p store.Period) string {
	if p.Phase() {
		return Date(p.From) + "–" + Date(p.To)
	}
	return Date(p.From)
}

// groupDigits writes a whole number with its thousands apart: "1 250" in
// Polish, "1,250" in English.
func groupDigits(l *Lang, n int64) string {
	sep := " "
	if l != nil && l.Code == "en" {
		sep = ","
	}
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// timeAxis maps days onto x between Left and Right; the axis runs from
// the first of a month to the first of a later month.
type timeAxis struct {
	start, end  time.Time
	left, right float64
}

// newTimeAxis spans whole months covering the days from and to (both
// inclusive), at least one month.
func newTimeAxis(from, to time.Time, left, right float64) timeAxis {
	start := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
	last := to.AddDate(0, 0, 1) // the axis ends after the last day
	end := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC)
	if end.Before(last) {
		end = end.AddDate(0, 1, 0)
	}
	if !end.After(start) {
		end = start.AddDate(0, 1, 0)
	}
	return timeAxis{start: start, end: end, left: left, right: right}
}

// X is the position of the start of a day (midnight).
func (a timeAxis) X(t time.Time) Num {
	span := a.end.Sub(a.start).Hours()
	return Num(a.left + (a.right-a.left)*t.Sub(a.start).Hours()/span)
}

// Mid is the position of the middle of a day.
func (a timeAxis) Mid(t time.Time) Num { return a.X(t.Add(12 * time.Hour)) }

// Contains reports whether the day is on the axis.
func (a timeAxis) Contains(t time.Time) bool { return !t.Before(a.start) && t.Before(a.end) }

// Ticks are the month lines: every month labelled when the axis spans at
// most 18 months, else every quarter; longer spans keep fewer lines. The
// year is written at each January and at the first line.
func (a timeAxis) Ticks(l *Lang) []Tick {
	months := (a.end.Year()-a.start.Year())*12 + int(a.end.Month()) - int(a.start.Month())
	years := max(1, (months/12+14)/15) // very long spans: at most 15 year lines
	var out []Tick
	for i := 0; i <= months; i++ {
		t := a.start.AddDate(0, i, 0)
		m := int(t.Month()) - 1
		var line, month bool
		switch {
		case months <= 18:
			line, month = true, true
		case months <= 60:
			line, month = true, m%3 == 0
		case months <= 180:
			line = m%3 == 0
		default:
			line = m == 0 && t.Year()%years == 0
		}
		if !line && i != 0 && i != months {
			continue
		}
		tk := Tick{X: a.X(t), Major: m == 0}
		tk.LabelX = tk.X + 3
		if i < months && month {
			tk.Month = l.T("month.short." + strconv.Itoa(m+1))
		}
		// The first line names its year too, unless a January follows
		// too closely for both labels to fit.
		if i < months && (m == 0 || i == 0 && (12-m)*15 >= months) {
			tk.Year = strconv.Itoa(t.Year())
		}
		out = append(out, tk)
	}
	return out
}

// labelAt places a label by a vertical line: after it, or before it near
// the right end.
func labelAt(x Num, left, right float64, y Num, label string) Marker {
	m := Marker{X: x, Label: label, LabelY: y, LabelX: x + 4, Anchor: "start"}
	// About 6.5 units a letter: a label that would run past the right edge
	// goes before the line instead.
	width := 6.5 * float64(utf8.RuneCountInString(label))
	if float64(x) > left+(right-left)*0.75 || float64(x)+4+width > right {
		m.LabelX, m.Anchor = x-4, "end"
	}
	return m
}

// niceTicks are the values of a value axis from 0 that covers hi, with a
// step of 1, 2 or 5 × 10^k: the smallest step that needs at most six
// values, so four to six values unless hi is tiny.
func niceTicks(hi float64) []int64 {
	if hi < 1 || math.IsNaN(hi) {
		hi = 1
	}
	step := int64(1)
	for k := int64(1); ; k *= 10 {
		found := false
		for _, m := range []int64{1, 2, 5} {
			step = m * k
			if int64(math.Ceil(hi/float64(step)))+1 <= 6 {
				found = true
				break
			}
		}
		if found || k > math.MaxInt64/100 {
			break
		}
	}
	n := int64(math.Ceil(hi / float64(step)))
	out := make([]int64, 0, n+1)
	for i := int64(0); i <= n; i++ {
		out = append(out, i*step)
	}
	return out
}

// Chart is an indicator's readings against its target over time.
type Chart struct {
	ID            string // the indicator's ID, for element ids
	Title, Desc   string
	Width, Height Num
	// The plot area.
	Left, Right, Top, Bottom Num
	XTicks                   []Tick
	YTicks                   []YTick
	// Start is the baseline at the start of the period, Readings the
	// dots, Actual the step line through them (points).
	Start    *Dot
	Readings []Dot
	Actual   string
	Target   Level
	Plan     *Line // from the baseline at the start to the target at the end
	Forecast *Projection
	End      *Marker // the period's end
	Today    *Marker
	Legend   []LegendItem
	LegendY  Num
	// Where the axis labels go: the values left of the plot, the months
	// and years under it; month lines reach TickY2, below the axis.
	YLabelX, MonthY, YearY, TickY2 Num
}

// YTick is one value line.
type YTick struct {
	Y     Num
	Label string
}

// Dot is a reading with its tooltip.
type Dot struct {
	X, Y Num
	Hint string
}

// Level is the target line with its label.
type Level struct {
	Y              Num
	Label          string
	LabelX, LabelY Num
}

// Projection is the forecast: from the last reading to the target.
type Projection struct {
	Line
	Label          string
	LabelX, LabelY Num
	Anchor         string
}

// LegendItem names one kind of line; Kind is a fixed class.
type LegendItem struct {
	Kind    string // actual, plan, target, forecast
	X       Num    // where its sample line starts
	LineEnd Num
	Label   string
	TextX   Num
}

// Chart geometry, in user units.
const (
	chartWidth  = 960
	chartLeft   = 72
	chartRight  = 930
	chartTop    = 28
	chartBottom = 300
	chartHeight = 372
)

// NewIndicatorChart draws an indicator's cumulative readings from the
// baseline against its target over the indicator's period, with the plan
// (a straight line to the target), the forecast at the pace so far, the
// end of the period and today.
func NewIndicatorChart(l *Lang, st store.Standing, today time.Time) Chart {
	ind := st.Indicator
	if ind == nil {
		ind = &store.Indicator{}
	}
	today = store.Day(today)
	from, to := ind.Period(st.Project)
	from, to = store.Day(from), store.Day(to)
	ms := ind.Measurements
	var first, last time.Time
	var top int64 = max(ind.Target, ind.Baseline)
	for _, m := range ms {
		d := store.Day(m.Date)
		if first.IsZero() || d.Before(first) {
			first = d
		}
		if d.After(last) {
			last = d
		}
		top = max(top, m.Value)
	}

	start := from
	if start.IsZero() {
		start = first
		if start.IsZero() {
			start = today
		}
	}
	end := to
	if end.IsZero() {
		end = today
		if last.After(end) {
			end = last
		}
		end = end.AddDate(0, 3, 0)
	}
	lo, hi := start, end
	if !first.IsZero() && first.Before(lo) {
		lo = first
	}
	if last.After(hi) {
		hi = last
	}
	fd := store.Day(st.Forecast.Date)
	if !fd.IsZero() && !fd.After(start.AddDate(3, 0, 0)) && fd.After(hi) {
		hi = fd
	}
	ax := newTimeAxis(lo, hi, chartLeft, chartRight)

	c := Chart{
		ID:    strconv.FormatUint(ind.ID, 10),
		Title: l.T("chart.title", "Name", svgText(ind.Name)),
		Width: chartWidth, Height: chartHeight,
		Left: chartLeft, Right: chartRight, Top: chartTop, Bottom: chartBottom,
		XTicks:  ax.Ticks(l),
		YLabelX: chartLeft - 8, MonthY: chartBottom + 16, YearY: chartBottom + 32, TickY2: chartBottom + 4,
	}

	ticks := niceTicks(float64(top) * 1.1)
	ymax := float64(ticks[len(ticks)-1])
	y := func(v int64) Num {
		return Num(chartBottom - (chartBottom-chartTop)*float64(v)/ymax)
	}
	for _, v := range ticks {
		c.YTicks = append(c.YTicks, YTick{Y: y(v), Label: groupDigits(l, v)})
	}

	// The readings: a step line from the baseline at the start; each
	// reading holds until the next one.
	var line []Point
	if first.IsZero() || !first.Before(start) {
		p := Point{ax.X(start), y(ind.Baseline)}
		line = append(line, p)
		c.Start = &Dot{X: p.X, Y: p.Y, Hint: l.T("chart.baseline", "Date", Date(start), "Value", groupDigits(l, ind.Baseline))}
	}
	for _, m := range ms {
		x := ax.Mid(store.Day(m.Date))
		if n := len(line); n > 0 {
			line = append(line, Point{x, line[n-1].Y})
		}
		line = append(line, Point{x, y(m.Value)})
		hint := l.T("chart.reading", "Date", Date(m.Date), "Value", groupDigits(l, m.Value))
		if note := shorten(m.Comment, 200); note != "" {
			hint += " — " + note
		}
		c.Readings = append(c.Readings, Dot{X: x, Y: y(m.Value), Hint: hint})
	}
	if len(line) > 1 {
		c.Actual = points(line...)
	}

	ty := y(ind.Target)
	c.Target = Level{Y: ty, Label: l.T("chart.target", "Value", groupDigits(l, ind.Target)), LabelX: chartLeft + 6, LabelY: ty - 6}

	if !to.IsZero() {
		xe := ax.X(to.AddDate(0, 0, 1))
		c.Plan = &Line{X1: ax.X(start), Y1: y(ind.Baseline), X2: xe, Y2: ty}
		m := labelAt(xe, chartLeft, chartRight, chartTop-10, l.T("chart.end", "Date", Date(to)))
		c.End = &m
	}
	if !fd.IsZero() && len(line) > 0 {
		p0 := line[len(line)-1]
		x1, y1 := ax.Mid(fd), ty
		if float64(x1) > chartRight { // beyond the axis: cut at its edge
			f := (chartRight - float64(p0.X)) / (float64(x1) - float64(p0.X))
			x1, y1 = chartRight, p0.Y+Num(f*float64(ty-p0.Y))
		}
		pr := &Projection{Line: Line{X1: p0.X, Y1: p0.Y, X2: x1, Y2: y1},
			Label: l.T("chart.forecast", "Date", Date(fd)), LabelY: y1 - 8}
		pr.LabelX, pr.Anchor = x1, "end"
		if float64(x1) < (chartLeft+chartRight)/2 {
			pr.Anchor = "start"
		}
		c.Forecast = pr
	}
	if ax.Contains(today) {
		m := labelAt(ax.Mid(today), chartLeft, chartRight, chartBottom-6, l.T("chart.today"))
		c.Today = &m
	}

	// The legend under the axis labels; widths estimated from the text.
	c.LegendY = chartBottom + 52
	x := Num(chartLeft)
	kinds := []string{"actual", "target"}
	if c.Plan != nil {
		kinds = append(kinds, "plan")
	}
	if c.Forecast != nil {
		kinds = append(kinds, "forecast")
	}
	for _, k := range kinds {
		label := l.T("chart.legend_" + k)
		c.Legend = append(c.Legend, LegendItem{Kind: k, X: x, LineEnd: x + 24, Label: label, TextX: x + 30})
		x += 30 + Num(7*utf8.RuneCountInString(label)) + 28
	}

	c.Desc = l.T("chart.desc", "Actual", groupDigits(l, ind.Actual()), "Target", groupDigits(l, ind.Target)) + " " + forecastSentence(l, st.Forecast, to)
	return c
}

// forecastSentence says where the pace leads: reached, reached on a day,
// not reached by the end, or that there is no pace to go by.
func forecastSentence(l *Lang, f store.Forecast, end time.Time) string {
	switch {
	case f.Reached:
		return l.T("chart.forecast_reached")
	case f.Misses && !end.IsZero():
		return l.T("chart.forecast_misses", "End", Date(end))
	case !f.Date.IsZero():
		return l.T("chart.forecast_date", "Date", Date(f.Date))
	}
	return l.T("chart.forecast_unknown")
}
