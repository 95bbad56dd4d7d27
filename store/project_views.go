package store

import (
	"cmp"
	"slices"
	"time"
)

// ProjectSummary is a project with the figures its list row shows.
type ProjectSummary struct {
	*Project
	Milestones, Done, Late int
	Next                   *Milestone // the first open milestone
	Indicators, Behind     int
	Progress               int64 // mean progress of the indicators, hundredths of a per cent
}

// ProjectFilter narrows the project list; zero values do not filter.
type ProjectFilter struct {
	Kind   ProjectKind
	Status ProjectStatus
	Year   int
}

func (f ProjectFilter) keeps(p *Project) bool {
	return (f.Kind == "" || p.Kind == f.Kind) && (f.Status == "" || p.Status == f.Status) && (f.Year == 0 || p.Covers(f.Year))
}

// Resolver gives an indicator with its readings: entered ones as they
// are, computed ones from the schedule (Fill). Tag names the schedule's
// version, so that views built with it are kept per version.
type Resolver struct {
	Tag  string
	Fill func(*Indicator) *Indicator
}

func resolver(r []Resolver) Resolver {
	if len(r) > 0 && r[0].Fill != nil {
		return r[0]
	}
	return Resolver{Fill: func(ind *Indicator) *Indicator { return ind }}
}

// Summaries are every project's figures on day, newest first; built once
// per snapshot, day and schedule version.
func (o *Org) Summaries(day time.Time, rs ...Resolver) []ProjectSummary {
	r := resolver(rs)
	return asOf(o, "project-summaries|"+r.Tag, day, func() []ProjectSummary {
		out := make([]ProjectSummary, len(o.Projects))
		for i := range o.Projects {
			out[i] = o.summarise(&o.Projects[i], day, r)
		}
		return out
	})
}

// FindProjects are the summaries the filter keeps, newest first; each
// filter is applied once per snapshot and day.
func (o *Org) FindProjects(f ProjectFilter, day time.Time, rs ...Resolver) []ProjectSummary {
	all := o.Summaries(day, rs...)
	if f == (ProjectFilter{}) {
		return all
	}
	what := "find-projects|" + string(f.Kind) + "|" + string(f.Status) + "|" + itoa(f.Year) + "|" + resolver(rs).Tag
	return asOf(o, what, day, func() []ProjectSummary {
		var out []ProjectSummary
		for _, s := range all {
			if f.keeps(s.Project) {
				out = append(out, s)
			}
		}
		return out
	})
}

// ProjectYears are the years some project runs in, newest first, for the
// year filter (open-ended projects count up to day's year).
func (o *Org) ProjectYears(day time.Time) []int {
	return asOf(o, "project-years", day, func() []int {
		seen := map[int]bool{}
		for _, p := range o.Projects {
			last := p.To
			if last.IsZero() {
				last = day
				if p.From.After(day) {
					last = p.From
				}
			}
			for y := p.From.Year(); y <= last.Year() && y-p.From.Year() < 100; y++ {
				seen[y] = true
			}
		}
		var years []int
		for y := range seen {
			years = append(years, y)
		}
		slices.SortFunc(years, func(a, b int) int { return b - a })
		return years
	})
}

func (o *Org) summarise(p *Project, day time.Time, r Resolver) ProjectSummary {
	s := ProjectSummary{Project: p}
	for _, m := range o.milestonesOf[p.ID] {
		if m.Status == MilestoneCancelled {
			continue
		}
		s.Milestones++
		switch {
		case m.Status == MilestoneDone:
			s.Done++
		case m.Late(day):
			s.Late++
		}
		if m.Open() && s.Next == nil {
			s.Next = m
		}
	}
	var progress int64
	for _, ind := range o.indicatorsOf[p.ID] {
		ind = r.Fill(ind)
		s.Indicators++
		progress += ind.Progress()
		from, to := ind.Period(p)
		if ind.Forecast(from, to, day).Behind {
			s.Behind++
		}
	}
	if s.Indicators > 0 {
		s.Progress = progress / int64(s.Indicators)
	}
	return s
}

// Standing is an indicator of a project with its forecast on a day.
type Standing struct {
	*Indicator
	Project  *Project
	Forecast Forecast
}

// Standing computes an indicator's forecast on day.
func (o *Org) Standing(ind *Indicator, day time.Time, rs ...Resolver) Standing {
	ind = resolver(rs).Fill(ind)
	p := o.ProjectByID[ind.ProjectID]
	from, to := ind.Period(p)
	return Standing{Indicator: ind, Project: p, Forecast: ind.Forecast(from, to, day)}
}

// Due is a milestone with its project.
type Due struct {
	*Milestone
	Project *Project
}

// Attention is what coordinators and monitoring specialists should look at
// on a day: late milestones, those due soon, indicators behind pace, of
// the projects that are planned or running.
type Attention struct {
	Late, Soon []Due
	Behind     []Standing
}

// Empty reports whether nothing needs attention.
func (a Attention) Empty() bool { return len(a.Late)+len(a.Soon)+len(a.Behind) == 0 }

// SoonDays is how far ahead "due soon" looks.
const SoonDays = 30

// NeedsAttention is the Attention of day, built once per snapshot and day.
func (o *Org) NeedsAttention(day time.Time, rs ...Resolver) Attention {
	return asOf(o, "attention|"+resolver(rs).Tag, day, func() Attention {
		day := Day(day)
		horizon := day.AddDate(0, 0, SoonDays)
		var a Attention
		for i := range o.Projects {
			p := &o.Projects[i]
			if p.Status != ProjectPlanned && p.Status != ProjectRunning {
				continue
			}
			for _, m := range o.milestonesOf[p.ID] {
				switch {
				case m.Late(day):
					a.Late = append(a.Late, Due{m, p})
				case m.Open() && !m.Planned.End().After(horizon):
					a.Soon = append(a.Soon, Due{m, p})
				}
			}
			for _, ind := range o.indicatorsOf[p.ID] {
				if st := o.Standing(ind, day, rs...); st.Forecast.Behind {
					a.Behind = append(a.Behind, st)
				}
			}
		}
		byDate := func(x, y Due) int {
			return cmp.Or(x.Planned.End().Compare(y.Planned.End()), cmp.Compare(x.ID, y.ID))
		}
		slices.SortStableFunc(a.Late, byDate)
		slices.SortStableFunc(a.Soon, byDate)
		return a
	})
}

// PersonChoice is a person offered in a form (a project's coordinator).
type PersonChoice struct {
	ID   uint64
	Name string
}

// PersonChoices are the people employed on day, in Polish order.
func (o *Org) PersonChoices(day time.Time) []PersonChoice {
	return asOf(o, "person-choices", day, func() []PersonChoice {
		var out []PersonChoice
		for i := range o.People { // in Polish order already
			p := &o.People[i]
			if len(p.AssignmentsOn(day)) > 0 {
				out = append(out, PersonChoice{ID: p.ID, Name: p.LastName + " " + p.FirstName})
			}
		}
		return out
	})
}
