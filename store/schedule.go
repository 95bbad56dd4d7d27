package store

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// CourseKind is what a course is: a training, a workshop or supervision.
type CourseKind string

const (
	CourseTraining    CourseKind = "training"
	CourseWorkshop    CourseKind = "workshop"
	CourseSupervision CourseKind = "supervision"
)

// CourseKinds lists the kinds in the order forms offer them.
var CourseKinds = []CourseKind{CourseTraining, CourseWorkshop, CourseSupervision}

// DefaultUnit is the unit a new course of the kind counts in: supervision
// in lesson hours, trainings and workshops in clock hours.
func (k CourseKind) DefaultUnit() HourUnit {
	if k == CourseSupervision {
		return LessonHours
	}
	return ClockHours
}

// Course is a series of sessions counted together against a contract: 26
// trainings of 156 clock hours for 60 employees, 156 lesson hours of
// supervision for 30 social workers.
type Course struct {
	Meta
	Title     string     `json:"title"`
	Kind      CourseKind `json:"kind"`
	ProjectID uint64     `json:"project_id,omitempty"`
	// Unit is what the course's hours are counted in; it never changes
	// once a session is held (hours are never converted).
	Unit             HourUnit `json:"unit"`
	ContractedHours  int      `json:"contracted_hours,omitempty"`
	ContractedPeople int      `json:"contracted_people,omitempty"`
	Notes            string   `json:"notes,omitempty"`
}

var kindCourse = kind{entity: "course", bucket: bucketCourses}

// Limits of the schedule.
const (
	MaxCourses         = 10_000
	MaxTrainers        = 5_000
	MaxSessionTrainers = 5
	MaxParticipants    = 200 // on one session
	MaxSessionsPerDay  = 100 // on one day, cancelled ones too
	MaxCapacity        = 500
	MaxContracted      = 100_000
	maxTitleLen        = 300
	maxNoteLen         = 10_000
	maxShortLen        = 120
)

// Validate checks and tidies a course.
func (c *Course) Validate() error {
	var v ValidationError
	tidy(c)
	c.Title, c.Notes = strings.TrimSpace(c.Title), strings.TrimSpace(c.Notes)
	requireText(&v, "title", c.Title, maxTitleLen)
	if !slices.Contains(CourseKinds, c.Kind) {
		v.Add("kind", "error.invalid_choice")
	}
	if c.Unit.Minutes() == 0 {
		v.Add("unit", "error.invalid_choice")
	}
	if c.ContractedHours < 0 || c.ContractedHours > MaxContracted {
		v.Add("contracted_hours", WithMax("error.value_range", MaxContracted))
	}
	if c.ContractedPeople < 0 || c.ContractedPeople > MaxContracted {
		v.Add("contracted_people", WithMax("error.value_range", MaxContracted))
	}
	limitText(&v, "notes", c.Notes, maxNoteLen)
	return v.Err()
}

// Trainer runs sessions: a staff member, or a person from outside with
// their organisation and contact. Rights on a session come from being its
// trainer through the linked account, never from a role alone.
type Trainer struct {
	Meta
	Name         string `json:"name"`
	Organisation string `json:"organisation,omitempty"`
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	PersonID     uint64 `json:"person_id,omitempty"` // a staff member
	UserID       uint64 `json:"user_id,omitempty"`   // the account that may take attendance
}

var kindTrainer = kind{entity: "trainer", bucket: bucketTrainers}

// Validate checks and tidies a trainer.
func (t *Trainer) Validate() error {
	var v ValidationError
	tidy(t)
	t.Name, t.Organisation = strings.TrimSpace(t.Name), strings.TrimSpace(t.Organisation)
	t.Email, t.Phone = strings.TrimSpace(t.Email), strings.TrimSpace(t.Phone)
	requireText(&v, "name", t.Name, maxShortLen)
	limitText(&v, "organisation", t.Organisation, 200)
	validEmail(&v, "email", t.Email)
	if t.Phone != "" {
		validPhones(&v, "phone", []string{t.Phone})
	}
	return v.Err()
}

// SessionStatus is what was decided about a session; "held" is not
// stored: a session is held once its attendance is recorded.
type SessionStatus string

const (
	SessionPlanned   SessionStatus = "planned"
	SessionCancelled SessionStatus = "cancelled"
)

// Session is one meeting of a course: a civil date and a wall-clock slot
// in Europe/Warsaw as agreed, a place, trainers, a group and its people.
// A notice line "12.00 – 14.30 (3 gr x 3 x 45 min)" is the session of
// group 3; "8.00 – 14.00 (2gr x 3 x 45 min)" is two sessions, one per group.
type Session struct {
	Meta
	CourseID uint64 `json:"course_id"`
	// Part names the session within its course ("cz. 1", "szkolenie nr
	// 18"); Topic is its own subject when the course's title is general.
	Part  string    `json:"part,omitempty"`
	Topic string    `json:"topic,omitempty"`
	Date  time.Time `json:"date"`
	Start int       `json:"start"` // minutes since midnight, Warsaw wall clock
	End   int       `json:"end"`
	// A location of the structure, or a free-text address elsewhere.
	LocationID uint64   `json:"location_id,omitempty"`
	Address    string   `json:"address,omitempty"`
	Room       string   `json:"room,omitempty"`
	TrainerIDs []uint64 `json:"trainer_ids,omitempty"`
	Group      string   `json:"group,omitempty"`
	Capacity   int      `json:"capacity,omitempty"` // 0: no limit
	// Participants are staff members, in the order they were enrolled.
	Participants []uint64      `json:"participants,omitempty"`
	Status       SessionStatus `json:"status"`
	// Units overrides the whole units that fit in the slot (a slot with
	// breaks); UnitsReason says why.
	Units       int    `json:"units,omitempty"`
	UnitsReason string `json:"units_reason,omitempty"`
	// Notes are the trainer's; for supervision only its supervisor and
	// participants read them.
	Notes string `json:"notes,omitempty"`
	// Sequence counts the changes of time, place or status, so that a
	// calendar subscribed to a feed takes the newer event.
	Sequence int `json:"sequence,omitempty"`
	// History is what happened to the session after it was planned: moves
	// and cancellations with their reasons, saves despite conflicts.
	History []SessionChange `json:"history,omitempty"`
	// Confirmed is the trainer's confirmation of the attendance list: its
	// marks are locked from then on, and a correction needs a reason.
	Confirmed *Confirmation `json:"confirmed,omitempty"`
}

// Confirmation is who confirmed an attendance list, and when.
type Confirmation struct {
	At time.Time `json:"at"`
	By string    `json:"by"` // login
}

// SessionChange is one entry of a session's history.
type SessionChange struct {
	At     time.Time  `json:"at"`
	By     string     `json:"by"` // the login of who made it
	Kind   ChangeKind `json:"kind"`
	Reason string     `json:"reason,omitempty"`
	// Where and when the session was before a move.
	Date       time.Time `json:"date,omitempty"`
	Start      int       `json:"start,omitempty"`
	End        int       `json:"end,omitempty"`
	LocationID uint64    `json:"location_id,omitempty"`
	Address    string    `json:"address,omitempty"`
	// The conflicts a save overrode.
	Conflicts []Conflict `json:"conflicts,omitempty"`
}

// ChangeKind is what a history entry records.
type ChangeKind string

const (
	ChangeMoved     ChangeKind = "moved"
	ChangeCancelled ChangeKind = "cancelled"
	ChangeRestored  ChangeKind = "restored"
	ChangeOverride  ChangeKind = "override"
)

// MaxSessionHistory bounds a session's history: a session moved a hundred
// times is a mistake to look at, not to store further.
const MaxSessionHistory = 100

var kindSession = kind{entity: "training_session", bucket: bucketTrainingSessions}

// Clock formats minutes since midnight as 09:00.
func Clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// ParseClock reads 9:00, 09.00 or 0900 as minutes since midnight.
func ParseClock(s string) (int, bool) {
	s = strings.TrimSpace(strings.ReplaceAll(s, ".", ":"))
	var h, m int
	switch {
	case strings.Contains(s, ":"):
		if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil {
			return 0, false
		}
		if i := strings.IndexByte(s, ':'); len(s)-i-1 != 2 {
			return 0, false
		}
	case len(s) == 4:
		if _, err := fmt.Sscanf(s, "%02d%02d", &h, &m); err != nil {
			return 0, false
		}
	case len(s) > 0 && len(s) <= 2:
		if _, err := fmt.Sscanf(s, "%d", &h); err != nil {
			return 0, false
		}
	default:
		return 0, false
	}
	if h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// DefaultUnits is how many whole units of unit fit in the session's slot.
func (s *Session) DefaultUnits(unit HourUnit) int { return unit.UnitsIn(s.Start, s.End) }

// HourUnits is the session's count of units: set by hand, or what fits.
func (s *Session) HourUnits(unit HourUnit) int {
	if s.Units > 0 {
		return s.Units
	}
	return s.DefaultUnits(unit)
}

// Enrolled reports whether a person takes part.
func (s *Session) Enrolled(person uint64) bool { return slices.Contains(s.Participants, person) }

// RunBy reports whether a trainer runs the session.
func (s *Session) RunBy(trainer uint64) bool { return slices.Contains(s.TrainerIDs, trainer) }

// Validate checks and tidies a session; unit is its course's.
func (s *Session) Validate(unit HourUnit) error {
	var v ValidationError
	tidy(s)
	s.Part, s.Topic, s.Address = strings.TrimSpace(s.Part), strings.TrimSpace(s.Topic), strings.TrimSpace(s.Address)
	s.Room, s.Group, s.UnitsReason = strings.TrimSpace(s.Room), strings.TrimSpace(s.Group), strings.TrimSpace(s.UnitsReason)
	s.Notes = strings.TrimSpace(s.Notes)
	s.Date = Day(s.Date)
	limitText(&v, "part", s.Part, maxShortLen)
	limitText(&v, "topic", s.Topic, maxTitleLen)
	limitText(&v, "address", s.Address, 200)
	limitText(&v, "room", s.Room, 40)
	limitText(&v, "group", s.Group, 60)
	limitText(&v, "units_reason", s.UnitsReason, maxReasonLen)
	limitText(&v, "notes", s.Notes, maxNoteLen)
	if s.Date.IsZero() {
		v.Add("date", "error.date_required")
	}
	switch {
	case s.Start < 0 || s.Start >= 24*60:
		v.Add("start", "error.clock")
	case s.End <= s.Start || s.End > 24*60:
		v.Add("end", "error.end_before_start")
	case !s.Date.IsZero() && !wallClockExists(s.Date, s.Start, s.End):
		v.Add("start", "error.clock_dst")
	}
	if !slices.Contains([]SessionStatus{SessionPlanned, SessionCancelled}, s.Status) {
		v.Add("status", "error.invalid_choice")
	}
	if s.Capacity < 0 || s.Capacity > MaxCapacity {
		v.Add("capacity", WithMax("error.value_range", MaxCapacity))
	}
	if s.Units < 0 || s.Units > 24*60/45 {
		v.Add("units", WithMax("error.value_range", 24*60/45))
	}
	if s.Units > 0 && s.Units != s.DefaultUnits(unit) && s.UnitsReason == "" {
		v.Add("units_reason", "error.units_reason")
	}
	if s.Units == s.DefaultUnits(unit) {
		s.Units, s.UnitsReason = 0, "" // the default needs no reason
	}
	s.TrainerIDs = dedupe(s.TrainerIDs, MaxSessionTrainers)
	limitList(&v, "trainers", len(s.TrainerIDs), MaxSessionTrainers)
	s.Participants = dedupe(s.Participants, MaxParticipants)
	if limitList(&v, "participants", len(s.Participants), MaxParticipants) && s.Capacity > 0 && len(s.Participants) > s.Capacity {
		v.Add("participants", WithMax("error.capacity", s.Capacity))
	}
	if s.LocationID != 0 && s.Address != "" {
		v.Add("address", "error.place_twice")
	}
	// The history and the confirmation are filled in by the server
	// (planChange, ConfirmList), bounded here all the same.
	if limitList(&v, "history", len(s.History), MaxSessionHistory) {
		for _, h := range s.History {
			limitText(&v, "history", h.By, maxLoginLen)
			limitText(&v, "history", h.Reason, maxReasonLen)
			limitText(&v, "history", h.Address, 200)
			limitList(&v, "history", len(h.Conflicts), maxOverridden)
		}
	}
	if s.Confirmed != nil {
		limitText(&v, "confirmed", s.Confirmed.By, maxLoginLen)
	}
	return v.Err()
}

// wallClockExists refuses a slot that falls into the hour the clocks skip
// in spring, or the hour they repeat in autumn: it would be shifted or
// ambiguous, and people agreed on a wall-clock time.
func wallClockExists(day time.Time, start, end int) bool {
	y, m, d := day.Date()
	for _, minute := range []int{start, end} {
		t := time.Date(y, m, d, minute/60, minute%60, 0, 0, warsaw)
		if t.Hour() != minute/60%24 || t.Minute() != minute%60 {
			return false // normalised: the time does not exist
		}
		for _, shift := range []time.Duration{-time.Hour, time.Hour} {
			if u := t.Add(shift).In(warsaw); u.Hour() == t.Hour() && u.Minute() == t.Minute() {
				return false // the same wall clock an hour apart: the repeated hour
			}
		}
	}
	return true
}

// dedupe is uniqueIDs without the zeros (no choice made).
func dedupe(ids []uint64, max int) []uint64 {
	return uniqueIDs(slices.DeleteFunc(slices.Clone(ids), func(id uint64) bool { return id == 0 }), max)
}

// Presence is how a participant took part in a session.
type Presence string

const (
	Present   Presence = "present"
	Late      Presence = "late"
	LeftEarly Presence = "left_early"
	Excused   Presence = "excused"
	Absent    Presence = "absent"
)

// Presences lists them in the order the attendance form offers them; the
// first letters are the keys a trainer presses.
var Presences = []Presence{Present, Late, LeftEarly, Excused, Absent}

// Mark is one participant's attendance at a session, with its own version
// so that marks taken at once by two devices never overwrite each other.
type Mark struct {
	Session  uint64    `json:"session"`
	Person   uint64    `json:"person"`
	Presence Presence  `json:"presence"`
	Units    int       `json:"units,omitempty"` // attended, for late or left early
	Version  int       `json:"version"`
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	// Correction is why the mark was changed after the list was confirmed.
	Correction string `json:"correction,omitempty"`
}

// Attended is how many units the mark counts of a session of total units:
// all when present, the partial count when late or left early, none when
// excused or absent.
func (m Mark) Attended(total int) int {
	switch m.Presence {
	case Present:
		return total
	case Late, LeftEarly:
		return min(max(m.Units, 0), total)
	}
	return 0
}

// Validate checks a mark against its session's units.
func (m *Mark) Validate(total int) error {
	var v ValidationError
	if !slices.Contains(Presences, m.Presence) {
		v.Add("presence", "error.invalid_choice")
	}
	switch {
	case m.Presence != Late && m.Presence != LeftEarly:
		m.Units = 0
	case m.Units < 0 || m.Units > total:
		v.Add("units", WithMax("error.value_range", total))
	}
	return v.Err()
}
