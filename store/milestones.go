package store

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

func itoa(n int) string { return strconv.Itoa(n) }

// MilestoneStatus is how far a milestone is.
type MilestoneStatus string

const (
	MilestonePlanned    MilestoneStatus = "planned"
	MilestoneInProgress MilestoneStatus = "in_progress"
	MilestoneDone       MilestoneStatus = "done"
	MilestoneCancelled  MilestoneStatus = "cancelled"
)

// MilestoneStatuses lists the statuses in the order forms offer them.
var MilestoneStatuses = []MilestoneStatus{MilestonePlanned, MilestoneInProgress, MilestoneDone, MilestoneCancelled}

// Period is a planned date, or a phase of several days when To is set
// (the implementation team worked 01.04–30.11.2017). Both ends inclusive.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to,omitzero"`
}

// End is the last day of the period.
func (p Period) End() time.Time {
	if p.To.IsZero() {
		return p.From
	}
	return p.To
}

// Phase reports whether the period spans more than one day.
func (p Period) Phase() bool { return !p.To.IsZero() && p.To.After(p.From) }

// normal drops a To equal to From: one day is a date, not a phase.
func (p Period) normal() Period {
	p.From, p.To = Day(p.From), Day(p.To)
	if p.To.Equal(p.From) {
		p.To = time.Time{}
	}
	return p
}

// Replan records one change of a milestone's planned date: who, when, why,
// and the dates before and after.
type Replan struct {
	At     time.Time `json:"at"`
	UserID uint64    `json:"user_id,omitempty"`
	Login  string    `json:"login"`
	Old    Period    `json:"old"`
	New    Period    `json:"new"`
	Reason string    `json:"reason"`
}

// Milestone is a dated step of a project. Its first planned date (the
// baseline) is kept for good; re-planning moves Planned and says why.
type Milestone struct {
	Meta
	ProjectID    uint64          `json:"project_id"`
	Title        string          `json:"title"`
	Planned      Period          `json:"planned"`
	Baseline     Period          `json:"baseline"`
	Replans      []Replan        `json:"replans,omitempty"`
	Actual       time.Time       `json:"actual,omitzero"` // when it was done
	Status       MilestoneStatus `json:"status"`
	UnitID       uint64          `json:"unit_id,omitempty"`
	Deliverables []string        `json:"deliverables,omitempty"` // named documents
	Notes        string          `json:"notes,omitempty"`
}

var kindMilestone = kind{entity: "milestone", bucket: bucketMilestones, byProject: bucketMilestonesProject}

func (m *Milestone) partOf() uint64 { return m.ProjectID }

// Open reports whether the milestone still has to happen.
func (m *Milestone) Open() bool {
	return m.Status == MilestonePlanned || m.Status == MilestoneInProgress
}

// Late reports whether, on day (a civil date in Europe/Warsaw, see Day),
// the milestone's planned date has passed and it is not done. It is
// computed each time, never stored.
func (m *Milestone) Late(day time.Time) bool {
	return m.Open() && Day(day).After(m.Planned.End())
}

// Replanned reports whether the planned date differs from the baseline.
func (m *Milestone) Replanned() bool {
	return !m.Planned.From.Equal(m.Baseline.From) || !m.Planned.To.Equal(m.Baseline.To)
}

// Validate checks and tidies a milestone.
func (m *Milestone) Validate() error {
	var v ValidationError
	tidy(m)
	m.Title, m.Notes = strings.TrimSpace(m.Title), strings.TrimSpace(m.Notes)
	m.Planned, m.Baseline, m.Actual = m.Planned.normal(), m.Baseline.normal(), Day(m.Actual)
	requireText(&v, "title", m.Title, maxProjectNameLen)
	validPeriod(&v, "planned_from", "planned_to", m.Planned)
	if !slices.Contains(MilestoneStatuses, m.Status) {
		v.Add("status", "error.invalid_choice")
	}
	if m.Status == MilestoneDone && m.Actual.IsZero() {
		v.Add("actual", "error.milestone_actual_required")
	}
	m.Deliverables = nonEmpty(m.Deliverables)
	if limitList(&v, "deliverables", len(m.Deliverables), MaxDeliverables) {
		for _, d := range m.Deliverables {
			limitText(&v, "deliverables", d, maxDeliverableLen)
		}
	}
	limitText(&v, "notes", m.Notes, maxMilestoneNotes)
	// Filled in by the server (Replan), bounded here all the same: any
	// path that stores a milestone stores them within the same limits.
	if limitList(&v, "replans", len(m.Replans), MaxReplans) {
		for _, r := range m.Replans {
			limitText(&v, "replans", r.Login, maxLoginLen)
			limitText(&v, "replans", r.Reason, maxReasonLen)
		}
	}
	return v.Err()
}

func validPeriod(v *ValidationError, from, to string, p Period) {
	if p.From.IsZero() {
		v.Add(from, "error.date_required")
	} else if !p.To.IsZero() && p.To.Before(p.From) {
		v.Add(to, "error.until_before_from")
	}
}

// Replan moves the milestone's planned date, keeping the baseline and
// recording the change; a reason is required and the date must change.
func (m *Milestone) Replan(a Actor, at time.Time, to Period, reason string) error {
	var v ValidationError
	to, reason = to.normal(), strings.TrimSpace(CleanText(reason))
	validPeriod(&v, "planned_from", "planned_to", to)
	requireText(&v, "reason", reason, maxReasonLen)
	if to.From.Equal(m.Planned.From) && to.To.Equal(m.Planned.To) {
		v.Add("planned_from", "error.replan_same")
	}
	if len(m.Replans) >= MaxReplans {
		v.Add("reason", WithMax("error.too_many", MaxReplans))
	}
	if err := v.Err(); err != nil {
		return err
	}
	m.Replans = append(m.Replans, Replan{At: at.UTC(), UserID: a.UserID, Login: a.Login, Old: m.Planned, New: to, Reason: reason})
	m.Planned = to
	return nil
}

// IndicatorUnit is what an indicator counts.
type IndicatorUnit string

const (
	UnitPersons     IndicatorUnit = "persons"
	UnitClockHours  IndicatorUnit = "clock_hours"
	UnitLessonHours IndicatorUnit = "lesson_hours" // 45 minutes
	UnitCount       IndicatorUnit = "count"
)

// IndicatorUnits lists the units in the order forms offer them.
var IndicatorUnits = []IndicatorUnit{UnitPersons, UnitClockHours, UnitLessonHours, UnitCount}

// Measurement is the value an indicator had reached on a day (a reading
// to date, not an increment), with where it comes from.
type Measurement struct {
	Date    time.Time `json:"date"`
	Value   int64     `json:"value"`
	Comment string    `json:"comment,omitempty"`
}

// Indicator measures a project's progress towards a target. Its period
// (the project's when empty) is when the target is to be reached: the
// supervision indicator counts from January 2018, not from the project's
// start.
type Indicator struct {
	Meta
	ProjectID    uint64        `json:"project_id"`
	Name         string        `json:"name"`
	Unit         IndicatorUnit `json:"unit"`
	Baseline     int64         `json:"baseline"`
	Target       int64         `json:"target"`
	From         time.Time     `json:"from,omitzero"`
	To           time.Time     `json:"to,omitzero"`
	Notes        string        `json:"notes,omitempty"`
	Measurements []Measurement `json:"measurements,omitempty"` // by date
	// Source is where the value comes from: readings entered by hand
	// (empty), or the schedule's held sessions of CourseIDs.
	Source    IndicatorSource `json:"source,omitempty"`
	CourseIDs []uint64        `json:"course_ids,omitempty"`
}

// IndicatorSource says how an indicator's value is obtained.
type IndicatorSource string

const (
	SourceManual   IndicatorSource = ""
	SourceHours    IndicatorSource = "schedule_hours"    // units delivered in held sessions
	SourcePeople   IndicatorSource = "schedule_people"   // distinct people who attended
	SourceSessions IndicatorSource = "schedule_sessions" // held sessions
)

// IndicatorSources lists them in the order forms offer them.
var IndicatorSources = []IndicatorSource{SourceManual, SourceHours, SourcePeople, SourceSessions}

// Computed reports whether the schedule gives the indicator's value.
func (ind *Indicator) Computed() bool { return ind.Source != SourceManual }

// MaxIndicatorCourses bounds the courses one indicator counts.
const MaxIndicatorCourses = 20

var kindIndicator = kind{entity: "indicator", bucket: bucketIndicators, byProject: bucketIndicatorsProject}

func (ind *Indicator) partOf() uint64 { return ind.ProjectID }

// Validate checks and tidies an indicator.
func (ind *Indicator) Validate() error {
	var v ValidationError
	tidy(ind)
	ind.Name, ind.Notes = strings.TrimSpace(ind.Name), strings.TrimSpace(ind.Notes)
	ind.From, ind.To = Day(ind.From), Day(ind.To)
	requireText(&v, "name", ind.Name, maxProjectNameLen)
	if !slices.Contains(IndicatorUnits, ind.Unit) {
		v.Add("unit", "error.invalid_choice")
	}
	if ind.Baseline < 0 || ind.Baseline > MaxIndicatorValue {
		v.Add("baseline", WithMax("error.value_range", MaxIndicatorValue))
	}
	switch {
	case ind.Target <= 0 || ind.Target > MaxIndicatorValue:
		v.Add("target", WithMax("error.value_range", MaxIndicatorValue))
	case ind.Target <= ind.Baseline:
		v.Add("target", "error.target_not_above_baseline")
	}
	if !ind.From.IsZero() && !ind.To.IsZero() && ind.To.Before(ind.From) {
		v.Add("to", "error.until_before_from")
	}
	limitText(&v, "notes", ind.Notes, maxMilestoneNotes)
	if !slices.Contains(IndicatorSources, ind.Source) {
		v.Add("source", "error.invalid_choice")
	}
	ind.CourseIDs = dedupe(ind.CourseIDs, MaxIndicatorCourses)
	switch {
	case !ind.Computed():
		ind.CourseIDs = nil
	case len(ind.CourseIDs) == 0:
		v.Add("courses", "error.indicator_courses")
	default:
		limitList(&v, "courses", len(ind.CourseIDs), MaxIndicatorCourses)
		want := map[IndicatorSource]IndicatorUnit{SourcePeople: UnitPersons, SourceSessions: UnitCount}[ind.Source]
		if want != "" && ind.Unit != want {
			v.Add("unit", "error.indicator_unit_source")
		}
		if ind.Source == SourceHours && ind.Unit != UnitClockHours && ind.Unit != UnitLessonHours {
			v.Add("unit", "error.indicator_unit_source")
		}
	}
	if limitList(&v, "measurements", len(ind.Measurements), MaxMeasurements) {
		for i := range ind.Measurements {
			ms := &ind.Measurements[i]
			ms.Date, ms.Comment = Day(ms.Date), strings.TrimSpace(ms.Comment)
			if ms.Value < 0 || ms.Value > MaxIndicatorValue {
				v.Add("value", WithMax("error.value_range", MaxIndicatorValue))
			}
			limitText(&v, "comment", ms.Comment, maxMeasurementNote)
		}
	}
	slices.SortStableFunc(ind.Measurements, func(a, b Measurement) int { return a.Date.Compare(b.Date) })
	return v.Err()
}

// Measure adds a reading; one reading per day (a second one for the same
// day replaces the first is not what a person expects: it is refused).
func (ind *Indicator) Measure(m Measurement, today time.Time) error {
	var v ValidationError
	m.Date, m.Comment = Day(m.Date), strings.TrimSpace(CleanText(m.Comment))
	switch {
	case m.Date.IsZero():
		v.Add("date", "error.date_required")
	case m.Date.After(Day(today)):
		v.Add("date", "error.measurement_future")
	}
	for _, old := range ind.Measurements {
		if old.Date.Equal(m.Date) && !m.Date.IsZero() {
			v.Add("date", "error.measurement_same_day")
		}
	}
	if m.Value < 0 || m.Value > MaxIndicatorValue {
		v.Add("value", WithMax("error.value_range", MaxIndicatorValue))
	}
	limitText(&v, "comment", m.Comment, maxMeasurementNote)
	if len(ind.Measurements) >= MaxMeasurements {
		v.Add("value", WithMax("error.too_many", MaxMeasurements))
	}
	if err := v.Err(); err != nil {
		return err
	}
	ind.Measurements = append(ind.Measurements, m)
	slices.SortStableFunc(ind.Measurements, func(a, b Measurement) int { return a.Date.Compare(b.Date) })
	return nil
}

// Actual is the latest reading, or the baseline before the first.
func (ind *Indicator) Actual() int64 {
	if n := len(ind.Measurements); n > 0 {
		return ind.Measurements[n-1].Value
	}
	return ind.Baseline
}

// Period is when the target is to be reached: the indicator's own dates,
// else the project's.
func (ind *Indicator) Period(p *Project) (from, to time.Time) {
	from, to = ind.From, ind.To
	if from.IsZero() && p != nil {
		from = p.From
	}
	if to.IsZero() && p != nil {
		to = p.To
	}
	return from, to
}

// Progress is the share of the way from baseline to target covered, in
// hundredths of a per cent, at most 100 %.
func (ind *Indicator) Progress() int64 {
	gain, need := ind.Actual()-ind.Baseline, ind.Target-ind.Baseline
	if gain <= 0 || need <= 0 {
		return 0
	}
	return min(Share(gain, need), 10000)
}

// Forecast is where an indicator stands on a day and where its pace leads.
type Forecast struct {
	Actual   int64
	Reached  bool
	Expected int64 // by the day, on a straight line from baseline to target
	Behind   bool  // below Expected and not reached
	// Date is the day the target is reached at the pace so far (from the
	// start of the period to the latest reading); zero when there is no
	// pace to go by (Stalled or no readings).
	Date    time.Time
	Stalled bool // readings exist but show no progress
	Misses  bool // at this pace the target is not reached by the end
}

// Forecast computes the indicator's standing on day for the period
// [from, to] (to zero: open-ended). The pace is the gain from the baseline
// at the start of the period to the latest reading, per day.
func (ind *Indicator) Forecast(from, to, day time.Time) Forecast {
	day = Day(day)
	f := Forecast{Actual: ind.Actual()}
	f.Reached = f.Actual >= ind.Target
	f.Expected = ind.Baseline
	switch {
	case from.IsZero() || day.Before(from):
	case to.IsZero() || !day.Before(to):
		if !to.IsZero() {
			f.Expected = ind.Target
		}
	default:
		span, done := days(from, to), days(from, day)
		f.Expected = ind.Baseline + (ind.Target-ind.Baseline)*done/span
	}
	f.Behind = !f.Reached && f.Actual < f.Expected
	if f.Reached || len(ind.Measurements) == 0 || from.IsZero() {
		return f
	}
	last := ind.Measurements[len(ind.Measurements)-1]
	// The pace runs from the start of the period, or from the first
	// reading when one was taken before it.
	start := from
	if first := ind.Measurements[0].Date; first.Before(start) {
		start = first
	}
	gain, elapsed := last.Value-ind.Baseline, days(start, last.Date)
	switch {
	case gain <= 0:
		f.Stalled = true
		f.Misses = !to.IsZero()
		return f
	case elapsed <= 0: // one reading on the first day: no pace yet
		return f
	}
	need := ind.Target - last.Value
	// ceil(need·elapsed/gain): need ≤ 10⁹ and elapsed a few thousand days.
	ahead := (need*elapsed + gain - 1) / gain
	f.Misses = !to.IsZero() && last.Date.AddDate(0, 0, int(min(ahead, maxForecastDays))).After(to)
	if ahead <= maxForecastDays { // a date centuries ahead says nothing
		f.Date = last.Date.AddDate(0, 0, int(ahead))
	}
	return f
}

// maxForecastDays is how far ahead a forecast date is worth showing.
const maxForecastDays = 50 * 366

// days counts the days from a to b (civil dates, so DST does not count).
func days(a, b time.Time) int64 {
	return int64(math.Round(Day(b).Sub(Day(a)).Hours() / 24))
}
