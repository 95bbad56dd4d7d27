package store

import (
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// An indicator computed from the schedule counts an explicit set of
// courses that share one unit (the training indicator "26 szkoleń /
// warsztatów, 156 godzin" counts trainings and workshops together); its
// readings are the running totals at each held session, so that its chart,
// pace and forecast work as for entered readings, and every figure traces
// back to the sessions behind it.

// Computation is what the schedule gives a computed indicator.
type Computation struct {
	Readings []Measurement // running totals, one per day with a held session
	Sessions []Session     // the held sessions counted, in time order
	// what it was computed for
	courses  []uint64
	source   IndicatorSource
	baseline int64
}

// checkIndicatorCourses refuses courses that do not exist or whose unit
// does not match the indicator's (hours are never mixed or converted).
func checkIndicatorCourses(tx *bolt.Tx, ind *Indicator) error {
	var v ValidationError
	units := map[HourUnit]bool{}
	for _, id := range ind.CourseIDs {
		c, err := get[Course](tx, kindCourse, id)
		if err != nil {
			v.Add("courses", "error.invalid_choice")
			continue
		}
		units[c.Unit] = true
	}
	if len(units) > 1 {
		v.Add("courses", "error.indicator_mixed_units")
	}
	if ind.Source == SourceHours {
		want := map[IndicatorUnit]HourUnit{UnitClockHours: ClockHours, UnitLessonHours: LessonHours}[ind.Unit]
		for u := range units {
			if u != want {
				v.Add("unit", "error.indicator_unit_courses")
			}
		}
	}
	return v.Err()
}

// Compute adds up a computed indicator's courses: held sessions (with
// attendance recorded, not cancelled) in time order, each adding its units,
// its newly counted people (a person counts from the first session they
// attended), or one session.
func (s *Store) Compute(ind *Indicator) (Computation, error) {
	var out Computation
	if !ind.Computed() {
		return out, nil
	}
	type held struct {
		Session
		units  int
		people []uint64
	}
	var all []held
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, cid := range ind.CourseIDs {
			c, err := get[Course](tx, kindCourse, cid)
			if err != nil {
				continue // a course deleted since: it has no sessions
			}
			for _, sid := range courseSessions(tx, cid) {
				ss, err := get[Session](tx, kindSession, sid)
				if err != nil {
					return err
				}
				if ss.Status == SessionCancelled {
					continue
				}
				marks := map[uint64]Mark{}
				if err := marksOf(tx, sid, marks); err != nil {
					return err
				}
				if !Held(marks) {
					continue
				}
				h := held{Session: *ss, units: ss.HourUnits(c.Unit)}
				for p, m := range marks {
					if m.Attended(h.units) > 0 {
						h.people = append(h.people, p)
					}
				}
				all = append(all, h)
			}
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	slices.SortStableFunc(all, func(a, b held) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		return a.Start - b.Start
	})
	seen := map[uint64]bool{}
	total := ind.Baseline
	for _, h := range all {
		switch ind.Source {
		case SourceHours:
			total += int64(h.units)
		case SourceSessions:
			total++
		case SourcePeople:
			for _, p := range h.people {
				if !seen[p] {
					seen[p] = true
					total++
				}
			}
		}
		out.Sessions = append(out.Sessions, h.Session)
		if n := len(out.Readings); n > 0 && out.Readings[n-1].Date.Equal(h.Date) {
			out.Readings[n-1].Value = total
		} else {
			out.Readings = append(out.Readings, Measurement{Date: h.Date, Value: total})
		}
	}
	return out, nil
}

// computeCache keeps the computations of one schedule version.
type computeCache struct {
	mu      sync.Mutex
	version uint64
	m       map[uint64]Computation
}

// Computed is Compute kept per schedule version: a project page with four
// computed indicators reads their courses once per change of the schedule.
func (s *Store) Computed(ind *Indicator) (Computation, error) {
	if !ind.Computed() {
		return Computation{}, nil
	}
	v := s.sched.Load()
	key := ind.ID<<1 | 1 // never 0
	s.computed.mu.Lock()
	if s.computed.version == v && s.computed.m != nil {
		if c, ok := s.computed.m[key]; ok && sameCourses(c, ind) {
			s.computed.mu.Unlock()
			return c, nil
		}
	}
	s.computed.mu.Unlock()
	c, err := s.Compute(ind)
	if err != nil {
		return c, err
	}
	c.courses, c.source, c.baseline = ind.CourseIDs, ind.Source, ind.Baseline
	s.computed.mu.Lock()
	defer s.computed.mu.Unlock()
	if s.computed.version != v || s.computed.m == nil || len(s.computed.m) > 4096 {
		s.computed.version, s.computed.m = v, map[uint64]Computation{}
	}
	s.computed.m[key] = c
	return c, nil
}

// sameCourses: the kept computation was made for the indicator as it is
// now (its definition lives in the structure's data, not the schedule's).
func sameCourses(c Computation, ind *Indicator) bool {
	return slices.Equal(c.courses, ind.CourseIDs) && c.source == ind.Source && c.baseline == ind.Baseline
}

// Resolver fills computed indicators from the schedule as it is now.
func (s *Store) Resolver() Resolver {
	return Resolver{Tag: itoa(int(s.sched.Load())), Fill: func(ind *Indicator) *Indicator {
		c, err := s.Computed(ind)
		if err != nil {
			return ind // shown as it is stored; the page that needs the sessions reports the error
		}
		return ind.WithReadings(c)
	}}
}

// WithReadings is a copy of the indicator whose readings are the
// computation's, for the chart, the progress and the forecast.
func (ind *Indicator) WithReadings(c Computation) *Indicator {
	if !ind.Computed() {
		return ind
	}
	cp := *ind
	cp.Measurements = c.Readings
	return &cp
}

// Day of the last held session counted, or zero.
func (c Computation) Last() time.Time {
	if n := len(c.Sessions); n > 0 {
		return c.Sessions[n-1].Date
	}
	return time.Time{}
}
