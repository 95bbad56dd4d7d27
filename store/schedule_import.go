package store

import (
	"strings"

	bolt "go.etcd.io/bbolt"
)

// A schedule from a spreadsheet: rows read by ParseScheduleCSV become
// sessions here, by the names of courses, trainers and places; then they
// are checked against the schedule, and stored all or none.

// AddressPrefix marks a place outside the centre's locations in the
// schedule CSV ("adres: ul. Sienkiewicza 8"): any other place must be one
// of the structure's locations, so that a typo is reported, not stored.
const AddressPrefix = "adres:"

// ResolveSchedule turns good rows into sessions: it fills each row's
// Errors with what cannot be resolved, and returns one session per row
// (the zero session for a row with errors).
func (s *Store) ResolveSchedule(rows []ScheduleRow) ([]Session, error) {
	courses, err := s.Courses()
	if err != nil {
		return nil, err
	}
	trainers, err := s.Trainers()
	if err != nil {
		return nil, err
	}
	locations, err := s.Locations()
	if err != nil {
		return nil, err
	}
	const ambiguous = ^uint64(0)
	byName := func(m map[string]uint64, name string, id uint64) {
		if _, twice := m[Fold(name)]; twice {
			m[Fold(name)] = ambiguous
		} else {
			m[Fold(name)] = id
		}
	}
	courseKey := func(title string, kind CourseKind) string { return Fold(title) + "\x00" + string(kind) }
	courseIDs, trainerIDs, placeIDs := map[string]uint64{}, map[string]uint64{}, map[string]uint64{}
	units := map[uint64]HourUnit{}
	for _, c := range courses {
		byName(courseIDs, courseKey(c.Title, ""), c.ID)
		byName(courseIDs, courseKey(c.Title, c.Kind), c.ID)
		units[c.ID] = c.Unit
	}
	for _, t := range trainers {
		byName(trainerIDs, t.Name, t.ID)
	}
	for _, l := range locations {
		byName(placeIDs, l.Name, l.ID)
		if l.Street != "" {
			byName(placeIDs, l.Street, l.ID)
		}
	}
	out := make([]Session, len(rows))
	for i := range rows {
		r := &rows[i]
		if r.Errors == nil {
			r.Errors = map[string]string{}
		}
		if len(r.Errors) > 0 {
			continue
		}
		ss := Session{Date: r.Date, Start: r.Start, End: r.End, Part: r.Part, Group: r.Group, Units: r.Units, Status: SessionPlanned}
		// lookup finds a name's record, or says in the row's column why not.
		lookup := func(m map[string]uint64, key, column, unknown, twice string) uint64 {
			switch id := m[key]; id {
			case 0:
				r.Errors[column] = unknown
			case ambiguous:
				r.Errors[column] = twice
			default:
				return id
			}
			return 0
		}
		ss.CourseID = lookup(courseIDs, courseKey(r.Course, r.Kind), "course", "import.error_unknown_course", "import.error_course_ambiguous")
		if r.Trainer != "" {
			for _, name := range strings.Split(r.Trainer, ",") {
				if id := lookup(trainerIDs, Fold(strings.TrimSpace(name)), "trainer", "import.error_unknown_trainer", "import.error_trainer_ambiguous"); id != 0 {
					ss.TrainerIDs = append(ss.TrainerIDs, id)
				}
			}
		}
		if addr, ok := cutPrefixFold(r.Location, AddressPrefix); ok {
			ss.Address = strings.TrimSpace(addr)
		} else if r.Location != "" {
			ss.LocationID = lookup(placeIDs, Fold(r.Location), "location", "import.error_unknown_place", "import.error_place_ambiguous")
		}
		if len(r.Errors) > 0 {
			continue
		}
		if ss.Units != 0 && ss.Units != ss.DefaultUnits(units[ss.CourseID]) {
			ss.UnitsReason = "import CSV"
		}
		var v *ValidationError
		if err := ss.Validate(units[ss.CourseID]); err != nil {
			if ve, ok := err.(*ValidationError); ok {
				v = ve
			}
		}
		if v != nil {
			for field, msg := range v.Fields {
				col := field
				if col == "trainers" {
					col = "trainer"
				}
				r.Errors[col] = msg
			}
			continue
		}
		out[i] = ss
	}
	return out, s.fillDays(rows, out)
}

// fillDays turns the rows that would put more than MaxSessionsPerDay
// sessions on a day (with those stored) into errors, so that neither the
// preview nor the save reads a day without bound.
func (s *Store) fillDays(rows []ScheduleRow, sessions []Session) error {
	perDay := map[int64]int{}
	return s.db.View(func(tx *bolt.Tx) error {
		for i := range sessions {
			ss := &sessions[i]
			if ss.CourseID == 0 { // a row with errors
				continue
			}
			day := ss.Date.Unix()
			n, seen := perDay[day]
			if !seen {
				n = sessionsOn(tx, ss.Date)
			}
			if n >= MaxSessionsPerDay {
				rows[i].Errors["date"] = WithMax("error.day_full", MaxSessionsPerDay)
				*ss = Session{}
				continue
			}
			perDay[day] = n + 1
		}
		return nil
	})
}

// cutPrefixFold is strings.CutPrefix ignoring case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}

// CheckSessions are the conflicts of new sessions with the schedule and
// with the sessions before them in the list, and the stored sessions
// they name.
func (s *Store) CheckSessions(list []Session) ([][]Conflict, map[uint64]Session, error) {
	out := make([][]Conflict, len(list))
	others := map[uint64]Session{}
	// The rows before each one on its day: a day's rows are compared with
	// each other, never every row with every other.
	before := map[int64][]Session{}
	days := dayCache{}
	err := s.db.View(func(tx *bolt.Tx) error {
		for i := range list {
			c, err := get[Course](tx, kindCourse, list[i].CourseID)
			if err != nil {
				continue // an unresolved row
			}
			day := list[i].Date.Unix()
			cs, o, err := conflictsIn(tx, &list[i], c.Kind, nil, days, before[day])
			before[day] = append(before[day], list[i])
			if err != nil {
				return err
			}
			out[i] = cs
			for id, ss := range o {
				others[id] = ss
			}
		}
		return nil
	})
	return out, others, err
}

// SaveSessions stores new sessions all or none, in one transaction: each
// is checked against the schedule and those before it; blocking
// conflicts refuse them all unless p.Override says why (it is recorded on
// each session it let through).
func (s *Store) SaveSessions(a Actor, list []Session, p Plan) error {
	if len(list) > MaxImportRows {
		return Errorf(EInvalid, "import.error_too_many")
	}
	return s.updateSchedule(func(tx *bolt.Tx) error {
		var all []Conflict
		others := map[uint64]Session{}
		days := dayCache{}
		for i := range list {
			ss := &list[i]
			if ss.ID != 0 {
				return Errorf(EInvalid, "error.invalid_choice")
			}
			course, err := checkSession(tx, ss)
			if err != nil {
				return err
			}
			// Those before it are in the transaction's indexes already.
			err = s.planChange(tx, a, ss, nil, course.Kind, p, days)
			if ce, ok := err.(*ConflictsError); ok {
				all = append(all, ce.Conflicts...)
				for id, o := range ce.Other {
					others[id] = o
				}
				continue
			}
			if err != nil {
				return err
			}
			if err := insert(s, tx, a, kindSession, ss); err != nil {
				return err
			}
			if err := reindexSession(tx, nil, ss); err != nil {
				return err
			}
			days.inserted(*ss)
		}
		if len(all) > 0 {
			return &ConflictsError{Conflicts: all, Other: others}
		}
		return nil
	})
}
