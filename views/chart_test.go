package views

import (
	"slices"
	"strings"
	"testing"
	"time"

	"intranet/store"
)

func TestNiceTicks(t *testing.T) {
	for target, want := range map[int64][]int64{
		156:    {0, 50, 100, 150, 200},
		30:     {0, 10, 20, 30, 40},
		26:     {0, 10, 20, 30},
		7:      {0, 2, 4, 6, 8},
		1:      {0, 1, 2},
		1000:   {0, 500, 1000, 1500},
		480000: {0, 200000, 400000, 600000},
	} {
		got := niceTicks(float64(target) * 1.1)
		if !slices.Equal(got, want) {
			t.Errorf("target %d: ticks %v, want %v", target, got, want)
		}
		if target >= 7 && (len(got) < 4 || len(got) > 6) {
			t.Errorf("target %d: %d ticks", target, len(got))
		}
	}
}

// An indicator of 2018 with three readings, seen on 1 July 2018.
func standing(name string, target int64, readings ...store.Measurement) (store.Standing, time.Time) {
	p := &store.Project{Meta: store.Meta{ID: 3}, Name: "Projekt", From: day(2017, 3, 1), To: day(2018, 12, 31)}
	ind := &store.Indicator{Meta: store.Meta{ID: 11}, ProjectID: 3, Name: name, Unit: store.UnitPersons,
		Baseline: 0, Target: target, From: day(2018, 1, 1), To: day(2018, 12, 31), Measurements: readings}
	today := day(2018, 7, 1)
	from, to := ind.Period(p)
	return store.Standing{Indicator: ind, Project: p, Forecast: ind.Forecast(from, to, today)}, today
}

var readings = []store.Measurement{
	{Date: day(2018, 2, 28), Value: 20, Comment: "lista <obecności> & ankiety"},
	{Date: day(2018, 4, 30), Value: 50},
	{Date: day(2018, 6, 30), Value: 90},
}

func TestIndicatorChartRendersValidSVG(t *testing.T) {
	st, today := standing(`Liczba osób <script>alert(1)</script> & rodzin`, 156, readings...)
	for _, lang := range Languages {
		l := For(lang)
		c := NewIndicatorChart(l, st, today)
		out := render(t, "indicator-chart", c)
		root := parseSVG(t, out)
		if strings.Contains(out, "<script") || !strings.Contains(out, "&lt;script&gt;") {
			t.Errorf("%s: the name is not escaped:\n%s", lang, out)
		}
		if got := root.Children[0].Text; got != l.T("chart.title", "Name", st.Name) {
			t.Errorf("%s: title = %q", lang, got)
		}
		dots := root.all(func(n *node) bool { return n.Name == "circle" && n.class("ic-dot") })
		if len(dots) != 3 || dots[0].child("title") == nil || dots[0].child("title").Text != "28.02.2018: 20 — lista <obecności> & ankiety" {
			t.Errorf("%s: reading dots %d", lang, len(dots))
		}
		for _, kind := range []string{"ic-actual", "ic-target", "ic-plan", "ic-end", "chart-today"} {
			if !hasClass(root, kind) {
				t.Errorf("%s: no %s", lang, kind)
			}
		}
		var ticks []string
		for _, n := range root.all(func(n *node) bool { return n.class("ic-ylabel") }) {
			ticks = append(ticks, n.Text)
		}
		if strings.Join(ticks, " ") != "0 50 100 150 200" {
			t.Errorf("%s: value labels %v", lang, ticks)
		}
	}
}

func TestIndicatorChartGeometry(t *testing.T) {
	st, today := standing("Osoby", 156, readings...)
	c := NewIndicatorChart(For("pl"), st, today)
	// 200 at the top: the target 156 lies 78 % of the way up.
	if y := float64(c.Bottom - (c.Bottom-c.Top)*0.78); abs(float64(c.Target.Y)-y) > 0.5 {
		t.Errorf("target at %v, want %v", c.Target.Y, y)
	}
	if c.Start == nil || c.Start.X != c.Left || c.Start.Y != c.Bottom {
		t.Errorf("the line does not start at the baseline at the period's start: %+v", c.Start)
	}
	if c.Plan == nil || c.Plan.X1 != c.Left || c.Plan.X2 != c.Right || c.Plan.Y2 != c.Target.Y {
		t.Errorf("plan %+v", c.Plan)
	}
	if c.End == nil || c.End.X != c.Right || c.Today == nil || c.Today.X <= c.Left || c.Today.X >= c.Right {
		t.Errorf("end %+v, today %+v", c.End, c.Today)
	}
	// A step line: start, then two points a reading.
	if n := len(strings.Fields(c.Actual)); n != 1+2*len(readings) {
		t.Errorf("%d points: %s", n, c.Actual)
	}
}

func abs(f float64) float64 { return max(f, -f) }

func TestIndicatorChartForecast(t *testing.T) {
	l := For("pl")
	st, today := standing("Osoby", 156, readings...)
	if st.Forecast.Date.IsZero() {
		t.Fatal("the fixture has no forecast")
	}
	c := NewIndicatorChart(l, st, today)
	if c.Forecast == nil {
		t.Fatal("no forecast line")
	}
	root := parseSVG(t, render(t, "indicator-chart", c))
	f := root.all(func(n *node) bool { return n.class("ic-forecast") })
	if len(f) != 1 || !strings.Contains(f[0].text(), Date(st.Forecast.Date)) {
		t.Errorf("the forecast line is not labelled with %s", Date(st.Forecast.Date))
	}
	last := c.Readings[len(c.Readings)-1]
	if c.Forecast.X1 != last.X || c.Forecast.Y1 != last.Y || c.Forecast.Y2 != c.Target.Y {
		t.Errorf("forecast %+v from %+v", c.Forecast, last)
	}
	want := l.T("chart.forecast_date", "Date", Date(st.Forecast.Date))
	if st.Forecast.Misses {
		want = l.T("chart.forecast_misses", "End", "31.12.2018")
	}
	if !strings.HasSuffix(c.Desc, want) || !strings.HasPrefix(c.Desc, "Wartość osiągnięta: 90, wartość docelowa: 156.") {
		t.Errorf("desc = %q", c.Desc)
	}

	// No forecast date: no line.
	st.Forecast.Date = time.Time{}
	c = NewIndicatorChart(l, st, today)
	out := render(t, "indicator-chart", c)
	if c.Forecast != nil || strings.Contains(out, "ic-forecast") {
		t.Error("a forecast line without a forecast date")
	}
	parseSVG(t, out)

	// No readings: nothing to draw but the target, the plan and the axes.
	empty, _ := standing("Puste", 7)
	c = NewIndicatorChart(For("en"), empty, today)
	if c.Forecast != nil || len(c.Readings) != 0 || c.Actual != "" {
		t.Errorf("an empty indicator draws readings: %+v", c)
	}
	if !strings.HasSuffix(c.Desc, For("en").T("chart.forecast_unknown")) {
		t.Errorf("desc = %q", c.Desc)
	}
	parseSVG(t, render(t, "indicator-chart", c))
}

func TestIndicatorChartSentences(t *testing.T) {
	l := For("en")
	end := day(2018, 12, 31)
	for _, c := range []struct {
		f    store.Forecast
		want string
	}{
		{store.Forecast{Reached: true}, "The target has been reached."},
		{store.Forecast{Date: day(2018, 10, 5)}, "At the current pace the target will be reached on 05.10.2018."},
		{store.Forecast{Date: day(2019, 3, 5), Misses: true}, "At the current pace the target will not be reached by 31.12.2018."},
		{store.Forecast{Stalled: true, Misses: true}, "At the current pace the target will not be reached by 31.12.2018."},
	} {
		if got := forecastSentence(l, c.f, end); got != c.want {
			t.Errorf("%+v: %q", c.f, got)
		}
	}
}

// A forecast years away is not let to stretch the axis: the line stops at
// the edge.
func TestIndicatorChartFarForecast(t *testing.T) {
	st, today := standing("Osoby", 1000, store.Measurement{Date: day(2018, 6, 30), Value: 20}) // about 24 years ahead
	if st.Forecast.Date.Before(day(2022, 1, 1)) {
		t.Fatalf("forecast %v", st.Forecast.Date)
	}
	c := NewIndicatorChart(For("pl"), st, today)
	if c.Forecast == nil || c.Forecast.X2 != c.Right || c.Forecast.Y2 <= c.Target.Y {
		t.Errorf("forecast %+v", c.Forecast)
	}
	if !strings.Contains(c.Forecast.Label, Date(st.Forecast.Date)) {
		t.Errorf("label %q", c.Forecast.Label)
	}
}

// Odd data draws a valid picture, never a panic: nothing at all, a reading
// before the period, huge values, dates centuries apart.
func TestChartsSurviveOddData(t *testing.T) {
	l := For("pl")
	today := day(2018, 7, 1)
	parseSVG(t, render(t, "indicator-chart", NewIndicatorChart(l, store.Standing{}, today)))
	parseSVG(t, render(t, "timeline", NewTimeline(l, nil, nil, today)))

	st, _ := standing("Duże", store.MaxIndicatorValue,
		store.Measurement{Date: day(2017, 6, 1), Value: 10},
		store.Measurement{Date: day(2018, 6, 1), Value: store.MaxIndicatorValue / 2})
	c := NewIndicatorChart(l, st, today)
	if c.Start != nil || c.Readings[0].X < c.Left {
		t.Errorf("a reading before the period: start %+v, first %+v", c.Start, c.Readings[0])
	}
	if got := c.YTicks[len(c.YTicks)-1].Label; got != "1 500 000 000" {
		t.Errorf("top value label %q", got)
	}
	parseSVG(t, render(t, "indicator-chart", c))

	ms := []*store.Milestone{
		{Title: "Daleko\x01\tw przyszłości", Status: store.MilestonePlanned, Planned: store.Period{From: day(2199, 1, 1)}, Baseline: store.Period{From: day(1990, 1, 1)}},
		{Title: "", Status: store.MilestoneDone},
	}
	tl := NewTimeline(l, &store.Project{From: day(2018, 1, 1)}, ms, today)
	if len(tl.Ticks) > 40 {
		t.Errorf("%d ticks over two centuries", len(tl.Ticks))
	}
	if tl.Rows[0].Label != "Daleko w przyszłości" {
		t.Errorf("label %q", tl.Rows[0].Label)
	}
	parseSVG(t, render(t, "timeline", tl))
}
