package store

import (
	"cmp"
	"slices"
	"time"
)

// The period report: what the monitoring specialist hands over for a
// range of days. It is read as of the period's end (or today, when the
// period has not ended yet): an action done after that day is still open
// in it, a milestone done after it is not done yet, an indicator counts
// the readings taken by then.

// Bounds of what one report lists; counts always cover everything.
const (
	MaxReportUnitNotes  = 3  // notes shown per unit (the list has the rest)
	MaxReportActions    = 50 // open actions shown (the CSV has them all)
	MaxReportMilestones = 50
	MaxReportIndicators = 50
)

// ReportCount is how many notes of a category the period holds, by
// assessment (in the order of Assessments).
type ReportCount struct {
	Category NoteCategory
	By       []int
	Total    int
}

// UnitReport is one unit's part: its latest assessment in the period and
// the notes about it, newest first.
type UnitReport struct {
	UnitID     uint64
	Latest     Assessment
	LatestNote uint64
	Notes      []NoteLine
	More       int // notes not listed
}

// ActionLine is a note's action as a report or an export lists it.
type ActionLine struct {
	FollowUp
	Note      uint64
	NoteTitle string
	NoteDate  time.Time
	Open      bool // not done by the report's day
	Overdue   bool // open after its due day on the report's day
}

// PeriodReport is the notes of a period as of its end.
type PeriodReport struct {
	From, To, AsOf time.Time
	Notes          int
	Counts         []ReportCount // per category, every category
	Totals         []int         // by assessment
	Units          []UnitReport  // in the order of the latest note about them, newest first
	Actions        []ActionLine  // open on AsOf: overdue first, then by due day
	Open, Overdue  int
}

// ReportDay is the day a period is read as of: its end, or today when the
// period has not ended.
func ReportDay(to, today time.Time) time.Time {
	if to.After(today) {
		return today
	}
	return to
}

// BuildReport reads the notes dated in [from, to] (inclusive days) that
// may keeps (nil: all) as of ReportDay(to, today).
func BuildReport(lines []NoteLine, from, to, today time.Time, may func(*NoteLine) bool) PeriodReport {
	r := PeriodReport{From: from, To: to, AsOf: ReportDay(to, today), Totals: make([]int, len(Assessments))}
	byCategory := map[NoteCategory]*ReportCount{}
	for _, c := range NoteCategories {
		r.Counts = append(r.Counts, ReportCount{Category: c, By: make([]int, len(Assessments))})
	}
	for i := range r.Counts {
		byCategory[r.Counts[i].Category] = &r.Counts[i]
	}
	units := map[uint64]int{}
	// lines are newest first: the first note met about a unit is its latest.
	for i := range lines {
		l := &lines[i]
		if l.Date.Before(from) || l.Date.After(to) || may != nil && !may(l) {
			continue
		}
		r.Notes++
		a := slices.Index(Assessments, l.Assessment)
		if c := byCategory[l.Category]; c != nil && a >= 0 {
			c.By[a]++
			c.Total++
			r.Totals[a]++
		}
		for _, s := range l.Subjects {
			if s.Kind != SubjectUnit {
				continue
			}
			k, ok := units[s.ID]
			if !ok {
				k = len(r.Units)
				units[s.ID] = k
				r.Units = append(r.Units, UnitReport{UnitID: s.ID, Latest: l.Assessment, LatestNote: l.ID})
			}
			u := &r.Units[k]
			if len(u.Notes) < MaxReportUnitNotes {
				u.Notes = append(u.Notes, *l)
			} else {
				u.More++
			}
		}
		for _, f := range l.Acts {
			a := ActionAsOf(f, l, r.AsOf)
			if !a.Open {
				continue
			}
			r.Open++
			if a.Overdue {
				r.Overdue++
			}
			r.Actions = append(r.Actions, a)
		}
	}
	slices.SortStableFunc(r.Actions, func(a, b ActionLine) int {
		if a.Overdue != b.Overdue {
			if a.Overdue {
				return -1
			}
			return 1
		}
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.Note, b.Note), cmp.Compare(a.N, b.N))
	})
	if len(r.Actions) > MaxReportActions {
		r.Actions = r.Actions[:MaxReportActions]
	}
	return r
}

// ActionAsOf is a note's action as it stood on day: done only if done by
// then.
func ActionAsOf(f FollowUp, l *NoteLine, day time.Time) ActionLine {
	a := ActionLine{FollowUp: f, Note: l.ID, NoteTitle: l.Title, NoteDate: l.Date}
	a.Open = f.DoneOn.IsZero() || f.DoneOn.After(day)
	a.Overdue = a.Open && day.After(f.Due)
	return a
}

// MilestoneAt is a milestone as it stood on a report's day.
type MilestoneAt struct {
	*Milestone
	Project *Project
	State   MilestoneStatus // done only if done by the day
	Late    bool
}

// MilestonesInPeriod are the milestones of the projects running in
// [from, to] that fall in the period (planned in it or done in it) or are
// late on day, as they stood on day: planned first, at most
// MaxReportMilestones, and how many there are in all.
func (o *Org) MilestonesInPeriod(from, to, day time.Time) ([]MilestoneAt, int) {
	var out []MilestoneAt
	for i := range o.Projects {
		p := &o.Projects[i]
		if p.From.After(to) || !p.To.IsZero() && p.To.Before(from) {
			continue
		}
		for _, m := range o.milestonesOf[p.ID] {
			at := MilestoneAt{Milestone: m, Project: p, State: m.Status}
			switch {
			case m.Status == MilestoneCancelled:
			case m.Status == MilestoneDone && !m.Actual.IsZero() && !m.Actual.After(day):
			case m.Status == MilestoneDone && m.Actual.IsZero():
			default:
				at.State = MilestonePlanned
				if !m.Planned.From.After(day) && m.Planned.Phase() {
					at.State = MilestoneInProgress
				}
				at.Late = day.After(m.Planned.End())
			}
			inPeriod := !m.Planned.From.After(to) && !m.Planned.End().Before(from) ||
				!m.Actual.IsZero() && !m.Actual.Before(from) && !m.Actual.After(to)
			if inPeriod || at.Late {
				out = append(out, at)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b MilestoneAt) int {
		return cmp.Or(a.Planned.From.Compare(b.Planned.From), cmp.Compare(a.ID, b.ID))
	})
	total := len(out)
	if total > MaxReportMilestones {
		out = out[:MaxReportMilestones]
	}
	return out, total
}

// IndicatorsInPeriod are the indicators of the projects running in
// [from, to] as they stood on day: only the readings taken by then count.
// At most MaxReportIndicators, and how many there are in all.
func (o *Org) IndicatorsInPeriod(from, to, day time.Time, rs ...Resolver) ([]Standing, int) {
	r := resolver(rs)
	var out []Standing
	total := 0
	for i := range o.Projects {
		p := &o.Projects[i]
		if p.From.After(to) || !p.To.IsZero() && p.To.Before(from) {
			continue
		}
		for _, ind := range o.indicatorsOf[p.ID] {
			total++
			if len(out) >= MaxReportIndicators {
				continue
			}
			asOf := *r.Fill(ind)
			n := 0
			for n < len(asOf.Measurements) && !asOf.Measurements[n].Date.After(day) {
				n++
			}
			asOf.Measurements = asOf.Measurements[:n:n]
			start, end := asOf.Period(p)
			out = append(out, Standing{Indicator: &asOf, Project: p, Forecast: asOf.Forecast(start, end, day)})
		}
	}
	return out, total
}
