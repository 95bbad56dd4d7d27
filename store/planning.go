package store

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// The rules of planning, as plain functions of values: which days a
// blackout closes, which days a series of sessions falls on, and what
// stands against holding a session. The store applies them inside its
// write transactions (planning_store.go); here nothing reads the database.

// Blackout is a period with no sessions of some kinds: "no trainings in
// June–August", "no supervision in July–August" (every year), or the
// centre's own closed days (once).
//
// A yearly blackout applies in every year, before and after the years its
// dates were typed in: only the month and day of From and To count. To
// may then fall before From in the year, and the period wraps over New
// Year (24.12–06.01).
type Blackout struct {
	Meta
	Name   string       `json:"name"`
	Kinds  []CourseKind `json:"kinds,omitempty"` // empty: every kind
	From   time.Time    `json:"from"`
	To     time.Time    `json:"to"` // inclusive
	Yearly bool         `json:"yearly,omitempty"`
}

// maxBlackoutDays bounds a one-off period: a longer one is a yearly
// blackout typed as a one-off, or a typo in the year.
const maxBlackoutDays = 366

// Validate checks and tidies a blackout period.
func (b *Blackout) Validate() error {
	var v ValidationError
	tidy(b)
	b.Name = strings.TrimSpace(b.Name)
	requireText(&v, "name", b.Name, maxShortLen)
	kinds := b.Kinds[:0:0]
	for _, k := range b.Kinds {
		switch {
		case !slices.Contains(CourseKinds, k):
			v.Add("kinds", "error.invalid_choice")
		case !slices.Contains(kinds, k):
			kinds = append(kinds, k)
		}
	}
	b.Kinds = kinds
	b.From, b.To = Day(b.From), Day(b.To)
	if b.From.IsZero() {
		v.Add("from", "error.date_required")
	}
	if b.To.IsZero() {
		v.Add("to", "error.date_required")
	}
	if !b.Yearly && !b.From.IsZero() && !b.To.IsZero() {
		switch {
		case b.To.Before(b.From):
			v.Add("to", "error.until_before_from")
		case b.To.After(b.From.AddDate(0, 0, maxBlackoutDays-1)):
			v.Add("to", "error.blackout_too_long")
		}
	}
	return v.Err()
}

// monthDay orders the days of a year without their year, so that 29
// February falls between 28 February and 1 March in every year: a yearly
// range ending on 28.02 leaves 29.02 of a leap year open, and one ending on
// 29.02 reaches 28.02 in the other years.
func monthDay(t time.Time) int { return int(t.Month())*100 + t.Day() }

// Covers reports whether the blackout closes day, both ends included, for
// sessions of kind.
func (b *Blackout) Covers(day time.Time, kind CourseKind) bool {
	if b.From.IsZero() || b.To.IsZero() || day.IsZero() {
		return false // an unfinished period closes nothing
	}
	if len(b.Kinds) > 0 && !slices.Contains(b.Kinds, kind) {
		return false
	}
	day = Day(day)
	if !b.Yearly {
		return !day.Before(b.From) && !day.After(b.To)
	}
	d, from, to := monthDay(day), monthDay(b.From), monthDay(b.To)
	if from <= to {
		return from <= d && d <= to
	}
	return d >= from || d <= to
}

// Ended reports whether a one-off blackout lies wholly before today; a
// yearly one never ends.
func (b *Blackout) Ended(today time.Time) bool {
	return !b.Yearly && !b.To.IsZero() && b.To.Before(Day(today))
}

// SplitBlackouts parts bs (in the store's order, by first day) into those
// still in force or to come, in that order, and those that ended, the
// latest ended first (then the latest begun, then by name): the ended ones
// only grow, and are read a page at a time.
func SplitBlackouts(bs []Blackout, today time.Time) (current, ended []Blackout) {
	for _, b := range bs {
		if b.Ended(today) {
			ended = append(ended, b)
		} else {
			current = append(current, b)
		}
	}
	slices.SortStableFunc(ended, func(a, b Blackout) int {
		return cmp.Or(b.To.Compare(a.To), b.From.Compare(a.From), strings.Compare(a.Name, b.Name))
	})
	return current, ended
}

// BlackoutOn is the first of bs that closes day for sessions of kind.
func BlackoutOn(bs []Blackout, day time.Time, kind CourseKind) (*Blackout, bool) {
	for i := range bs {
		if bs[i].Covers(day, kind) {
			return &bs[i], true
		}
	}
	return nil, false
}

// MaxSeries bounds the sessions one series may create.
const MaxSeries = 200

// Bounds of a series: how far its last day may lie, and how many days the
// expansion looks at whatever it is given, so that a series that keeps
// being skipped (a blackout over every chosen day) still ends.
const (
	maxSeriesYears = 2
	maxSeriesDays  = 3 * 366
	maxSeriesEvery = 52
)

// SeriesSpec describes recurring sessions: chosen weekdays every n weeks
// from a first day, up to a last day or a number of sessions.
type SeriesSpec struct {
	First      time.Time
	EveryWeeks int // 1: weekly, 2: every second week...
	Weekdays   []time.Weekday
	Until      time.Time // the last day, inclusive; zero when Count is set
	Count      int       // sessions held, skipped days not counted; 0 when Until is set
}

// SkippedDay is a day the series would have used, and why it did not.
type SkippedDay struct {
	Day      time.Time
	Holiday  string // the public holiday's catalogue key, or ""
	Blackout string // the blackout's name, or ""
}

// Validate checks and tidies a series.
func (sp *SeriesSpec) Validate() error {
	var v ValidationError
	sp.First, sp.Until = Day(sp.First), Day(sp.Until)
	if sp.First.IsZero() {
		v.Add("first", "error.date_required")
	}
	if sp.EveryWeeks < 1 || sp.EveryWeeks > maxSeriesEvery {
		v.Add("every", "error.series_every")
	}
	var seen [7]bool
	days := sp.Weekdays[:0:0]
	for _, wd := range sp.Weekdays {
		switch {
		case wd < time.Sunday || wd > time.Saturday:
			v.Add("weekdays", "error.invalid_choice")
		case !seen[wd]:
			seen[wd] = true
			days = append(days, wd)
		}
	}
	sp.Weekdays = days
	if len(days) == 0 {
		v.Add("weekdays", "error.required")
	}
	switch {
	case !sp.Until.IsZero() && sp.Count != 0:
		v.Add("count", "error.series_end")
	case sp.Until.IsZero() && sp.Count == 0:
		v.Add("until", "error.series_end")
	case sp.Count < 0 || sp.Count > MaxSeries:
		v.Add("count", WithMax("error.value_range", MaxSeries))
	case sp.First.IsZero() || sp.Until.IsZero():
		// a series of Count sessions, or no first day: no span to check
	case sp.Until.Before(sp.First):
		v.Add("until", "error.until_before_from")
	case sp.Until.After(sp.First.AddDate(maxSeriesYears, 0, 0)):
		v.Add("until", "error.series_too_long")
	}
	return v.Err()
}

// Dates are the days of the series for a course of kind, midnight UTC, in
// order, and the candidate days left out for a public holiday or a
// blackout. Weeks start on Monday and the week holding First is week 0; a
// day is a candidate when its weekday is chosen and its week is a multiple
// of EveryWeeks. Skipped days do not count towards Count. Whatever the
// spec, at most MaxSeries dates come out and about three years of days are
// looked at, so an unvalidated spec cannot run away.
func (sp SeriesSpec) Dates(kind CourseKind, bs []Blackout) (dates []time.Time, skipped []SkippedDay) {
	first, until := Day(sp.First), Day(sp.Until)
	if first.IsZero() || sp.EveryWeeks < 1 {
		return nil, nil
	}
	var chosen [7]bool
	for _, wd := range sp.Weekdays {
		if wd >= time.Sunday && wd <= time.Saturday {
			chosen[wd] = true
		}
	}
	want := MaxSeries
	if sp.Count > 0 {
		want = min(sp.Count, MaxSeries)
	}
	// Weeks start on Monday, whereas time.Weekday counts from Sunday.
	offset := (int(first.Weekday()) + 6) % 7
	for i := 0; i < maxSeriesDays && len(dates) < want; i++ {
		d := first.AddDate(0, 0, i)
		if !until.IsZero() && d.After(until) {
			break
		}
		if !chosen[d.Weekday()] || ((offset+i)/7)%sp.EveryWeeks != 0 {
			continue
		}
		h, holiday := HolidayOn(d)
		b, closed := BlackoutOn(bs, d, kind)
		if !holiday && !closed {
			dates = append(dates, d)
			continue
		}
		skip := SkippedDay{Day: d}
		if holiday {
			skip.Holiday = h.Name
		}
		if closed {
			skip.Blackout = b.Name
		}
		skipped = append(skipped, skip)
	}
	return dates, skipped
}

// ConflictKind is what stands against holding a session.
type ConflictKind string

// The kinds, in the order a session's conflicts with one other session are
// listed.
const (
	ConflictTrainer     ConflictKind = "trainer"     // the same trainer in two overlapping sessions
	ConflictParticipant ConflictKind = "participant" // the same person in two overlapping sessions
	ConflictRoom        ConflictKind = "room"        // the same location and room, overlapping
	ConflictLocation    ConflictKind = "location"    // the same location, rooms unknown or different: a warning only
	ConflictTravel      ConflictKind = "travel"      // a trainer without the travel gap between two places
	ConflictBlackout    ConflictKind = "blackout"
	ConflictHoliday     ConflictKind = "holiday"
)

var conflictOrder = []ConflictKind{ConflictTrainer, ConflictParticipant, ConflictRoom, ConflictLocation,
	ConflictTravel, ConflictBlackout, ConflictHoliday}

// Conflict is one thing standing against a session; a save that overrides
// conflicts keeps them in the session's history, hence the JSON names.
type Conflict struct {
	Kind    ConflictKind `json:"kind"`
	Other   uint64       `json:"other,omitempty"` // the other session (0 for blackout and holiday)
	Who     uint64       `json:"who,omitempty"`   // the trainer (trainer, travel) or the person (participant)
	Name    string       `json:"name,omitempty"`  // the blackout's name or the holiday's catalogue key
	Gap     int          `json:"gap,omitempty"`   // travel: minutes between the two sessions
	Warning bool         `json:"warning,omitempty"`
}

// Conflicts are what stands against holding s, a session of a course of
// kind, on its day. sameDay are the other sessions on s.Date; s itself
// (by ID, so a session not stored yet is compared with all) and cancelled
// sessions among them are ignored. travelGap is the minutes a trainer
// needs between two different places (0: not checked). Slots are
// half-open: 11:00–14:00 and 14:00–15:00 do not overlap.
//
// The order is fixed so that a page and an override record list them
// alike: blackout, holiday, then by the other session's start, its ID (and
// its place in sameDay), the kind, and the trainer or person.
func Conflicts(s *Session, kind CourseKind, sameDay []Session, bs []Blackout, travelGap int) []Conflict {
	if s == nil || s.Status == SessionCancelled {
		return nil
	}
	var out []Conflict
	if b, ok := BlackoutOn(bs, s.Date, kind); ok {
		out = append(out, Conflict{Kind: ConflictBlackout, Name: b.Name})
	}
	if h, ok := HolidayOn(s.Date); ok {
		out = append(out, Conflict{Kind: ConflictHoliday, Name: h.Name})
	}
	trainers := sortedIDs(s.TrainerIDs)
	people := make(map[uint64]bool, len(s.Participants))
	for _, p := range s.Participants {
		if p != 0 {
			people[p] = true
		}
	}
	here := placeOf(s)
	// The other session's start and place in sameDay order the list but
	// are no part of a conflict, so they travel beside it until the sort;
	// the place keeps apart sessions not stored yet, which share ID 0.
	type found struct {
		Conflict
		start, at int
	}
	var list []found
	for i := range sameDay {
		o := &sameDay[i]
		if o.Status == SessionCancelled || (s.ID != 0 && o.ID == s.ID) {
			continue
		}
		add := func(c Conflict) {
			c.Other = o.ID
			list = append(list, found{c, o.Start, i})
		}
		overlap := s.Start < o.End && o.Start < s.End
		for _, t := range trainers {
			if !slices.Contains(o.TrainerIDs, t) {
				continue
			}
			if overlap {
				add(Conflict{Kind: ConflictTrainer, Who: t})
			} else if gap, ok := travel(s, o, here, travelGap); ok {
				add(Conflict{Kind: ConflictTravel, Who: t, Gap: gap})
			}
		}
		if !overlap {
			continue
		}
		var shared []uint64
		for _, p := range o.Participants {
			if people[p] {
				shared = append(shared, p)
			}
		}
		for _, p := range sortedIDs(shared) {
			add(Conflict{Kind: ConflictParticipant, Who: p})
		}
		if s.LocationID != 0 && s.LocationID == o.LocationID {
			if sameRoom(s.Room, o.Room) {
				add(Conflict{Kind: ConflictRoom})
			} else {
				add(Conflict{Kind: ConflictLocation, Warning: true})
			}
		}
	}
	slices.SortFunc(list, func(a, b found) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.Other, b.Other), cmp.Compare(a.at, b.at),
			cmp.Compare(slices.Index(conflictOrder, a.Kind), slices.Index(conflictOrder, b.Kind)),
			cmp.Compare(a.Who, b.Who))
	})
	for i, f := range list {
		if i == MaxConflicts {
			// Enough to see what is wrong; the list stays blocking when
			// what was left out would have made it so.
			if !Blocking(out) {
				if j := slices.IndexFunc(list[i:], func(f found) bool { return !f.Warning }); j >= 0 {
					out = append(out, list[i+j].Conflict)
				}
			}
			break
		}
		out = append(out, f.Conflict)
	}
	return out
}

// MaxConflicts bounds the conflicts reported for one session: a session
// clashing with dozens of others needs moving, not a longer list (and an
// import's preview stays the size of its rows).
const MaxConflicts = 50

// Blocking reports whether any conflict needs an override to save.
func Blocking(cs []Conflict) bool {
	return slices.ContainsFunc(cs, func(c Conflict) bool { return !c.Warning })
}

// sortedIDs are the distinct non-zero IDs of a list, ascending.
func sortedIDs(ids []uint64) []uint64 {
	out := slices.DeleteFunc(slices.Clone(ids), func(id uint64) bool { return id == 0 })
	slices.Sort(out)
	return slices.Compact(out)
}

// sameRoom compares rooms as people type them ("Sala 3", "sala 3 ");
// an unknown room matches nothing, so it only warns.
func sameRoom(a, b string) bool {
	a, b = strings.TrimSpace(a), strings.TrimSpace(b)
	return a != "" && strings.EqualFold(a, b)
}

// place is where a session is held: a location of the structure, or an
// address folded for case and spacing; neither is unknown.
type place struct {
	location uint64
	address  string
}

func placeOf(s *Session) place {
	if s.LocationID != 0 {
		return place{location: s.LocationID}
	}
	return place{address: strings.Join(strings.Fields(strings.ToLower(s.Address)), " ")}
}

func (p place) known() bool { return p.location != 0 || p.address != "" }

// travel is the gap between two sessions that do not overlap, when it is
// too short to get from one known place to another; an unknown place
// never counts, as nobody can tell how far it is.
func travel(s, o *Session, here place, need int) (int, bool) {
	if need <= 0 {
		return 0, false
	}
	there := placeOf(o)
	if !here.known() || !there.known() || here == there {
		return 0, false
	}
	gap := o.Start - s.End
	if o.Start < s.Start {
		gap = s.Start - o.End
	}
	return gap, gap < need
}
