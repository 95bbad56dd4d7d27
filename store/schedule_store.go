package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The schedule grows to tens of thousands of sessions: it is read through
// index buckets written in the same transaction as each session, so that a
// page reads the sessions it shows and no others.
//
//	training_sessions.date     day|start|id        → nil
//	training_sessions.course   course|day|start|id → nil
//	training_sessions.trainer  trainer|day|start|id → nil
//	training_sessions.person   person|day|start|id → nil
//	training_sessions.location location|day|start|id → nil (a location of the structure)
//	attendance                 session|person      → Mark

// slotKey orders sessions by day, start and ID.
func slotKey(s *Session) []byte {
	k := make([]byte, 14)
	binary.BigEndian.PutUint32(k, uint32(s.Date.Unix()/86400))
	binary.BigEndian.PutUint16(k[4:], uint16(s.Start))
	binary.BigEndian.PutUint64(k[6:], s.ID)
	return k
}

func dayNumber(day time.Time) []byte {
	k := make([]byte, 4)
	binary.BigEndian.PutUint32(k, uint32(Day(day).Unix()/86400))
	return k
}

// sessionKeys are every index key a session has.
func sessionKeys(s *Session) map[string][]byte {
	slot := slotKey(s)
	keys := map[string][]byte{string(bucketSessionsDate) + string(slot): slot}
	owned := func(b []byte, owner uint64) {
		k := append(itob(owner), slot...)
		keys[string(b)+string(k)] = k
	}
	owned(bucketSessionsCourse, s.CourseID)
	for _, t := range s.TrainerIDs {
		owned(bucketSessionsTrainer, t)
	}
	for _, p := range s.Participants {
		owned(bucketSessionsPerson, p)
	}
	if s.LocationID != 0 {
		owned(bucketSessionsLocation, s.LocationID)
	}
	return keys
}

var sessionIndexes = [][]byte{bucketSessionsDate, bucketSessionsCourse, bucketSessionsTrainer, bucketSessionsPerson, bucketSessionsLocation}

// reindexSession replaces old's index keys (nil: none) by now's (nil: none).
func reindexSession(tx *bolt.Tx, old, now *Session) error {
	var before, after map[string][]byte
	if old != nil {
		before = sessionKeys(old)
	}
	if now != nil {
		after = sessionKeys(now)
	}
	bucketOf := func(full string) *bolt.Bucket {
		for _, b := range sessionIndexes {
			if len(full) > len(b) && full[:len(b)] == string(b) {
				return tx.Bucket(b)
			}
		}
		return nil
	}
	for full, k := range before {
		if _, keep := after[full]; !keep {
			if err := bucketOf(full).Delete(k); err != nil {
				return err
			}
		}
	}
	for full, k := range after {
		if _, had := before[full]; !had {
			if err := bucketOf(full).Put(k, nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// updateSchedule runs a write transaction that changes the schedule and
// then moves its version on (after the commit, as updateOrg does).
func (s *Store) updateSchedule(fn func(tx *bolt.Tx) error) error {
	err := s.db.Update(fn)
	s.sched.Add(1)
	return err
}

// ScheduleVersion changes whenever the schedule does.
func (s *Store) ScheduleVersion() uint64 { return s.sched.Load() }

// Course returns one course.
func (s *Store) Course(id uint64) (*Course, error) { return one[Course](s, kindCourse, id) }

// Courses lists every course, newest first.
func (s *Store) Courses() ([]Course, error) {
	list, err := every[Course](s, kindCourse)
	slices.Reverse(list)
	return list, err
}

// SaveCourse creates (ID 0) or updates a course. Its unit does not change
// once a session of it is held: hours are never converted.
func (s *Store) SaveCourse(a Actor, c *Course, version int) error {
	if c.Unit == "" {
		c.Unit = c.Kind.DefaultUnit()
	}
	if err := c.Validate(); err != nil {
		return err
	}
	return s.updateSchedule(func(tx *bolt.Tx) error {
		if c.ProjectID != 0 {
			if _, err := openProject(tx, c.ProjectID, false); err != nil {
				return err
			}
		}
		if c.ID == 0 {
			if tx.Bucket(bucketCourses).Stats().KeyN >= MaxCourses {
				return Errorf(EConflict, "error.too_many_courses")
			}
			return insert(s, tx, a, kindCourse, c)
		}
		old, err := get[Course](tx, kindCourse, c.ID)
		if err != nil {
			return err
		}
		if old.ProjectID != 0 && old.ProjectID != c.ProjectID { // a settled project keeps its courses
			if _, err := openProject(tx, old.ProjectID, false); err != nil {
				return err
			}
		}
		if old.Unit != c.Unit {
			held, err := courseHasMarks(tx, c.ID)
			if err != nil {
				return err
			}
			if held {
				var v ValidationError
				v.Add("unit", "error.unit_fixed")
				return &v
			}
		}
		return replace(s, tx, a, kindCourse, c, version, ActionUpdate)
	})
}

// courseSessions lists the IDs of a course's sessions in time order.
func courseSessions(tx *bolt.Tx, course uint64) []uint64 {
	var ids []uint64
	prefix := itob(course)
	c := tx.Bucket(bucketSessionsCourse).Cursor()
	for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
		ids = append(ids, btoi(k[len(k)-8:]))
	}
	return ids
}

func courseHasMarks(tx *bolt.Tx, course uint64) (bool, error) {
	for _, id := range courseSessions(tx, course) {
		if k, _ := tx.Bucket(bucketAttendance).Cursor().Seek(itob(id)); k != nil && bytes.HasPrefix(k, itob(id)) {
			return true, nil
		}
	}
	return false, nil
}

// DeleteCourse removes a course without sessions.
func (s *Store) DeleteCourse(a Actor, id uint64, version int) error {
	return s.updateSchedule(func(tx *bolt.Tx) error {
		if len(courseSessions(tx, id)) > 0 {
			return Errorf(EConflict, "error.course_has_sessions")
		}
		// A closed project keeps every course it contracted, even one
		// whose sessions never took place.
		if c, err := get[Course](tx, kindCourse, id); err == nil && c.ProjectID != 0 {
			if _, err := openProject(tx, c.ProjectID, true); err != nil {
				return err
			}
		}
		return remove[Course](s, tx, a, kindCourse, id, version)
	})
}

// Trainer returns one trainer.
func (s *Store) Trainer(id uint64) (*Trainer, error) { return one[Trainer](s, kindTrainer, id) }

// Trainers lists every trainer in Polish order of name.
func (s *Store) Trainers() ([]Trainer, error) {
	list, err := every[Trainer](s, kindTrainer)
	SortPolish(list, func(t Trainer) string { return t.Name })
	return list, err
}

// TrainerOfUser is the trainer linked to an account, or nil. Every home
// page asks, so the links are kept per schedule version (saving a trainer
// moves it on) rather than read from every trainer each time.
func (s *Store) TrainerOfUser(user uint64) (*Trainer, error) {
	if user == 0 {
		return nil, nil
	}
	v := s.sched.Load()
	s.trainerLinks.mu.Lock()
	links, ok := s.trainerLinks.m, s.trainerLinks.version == v && s.trainerLinks.m != nil
	s.trainerLinks.mu.Unlock()
	if !ok {
		list, err := every[Trainer](s, kindTrainer)
		if err != nil {
			return nil, err
		}
		links = map[uint64]uint64{}
		for _, t := range list {
			if t.UserID != 0 {
				links[t.UserID] = t.ID
			}
		}
		s.trainerLinks.mu.Lock()
		s.trainerLinks.version, s.trainerLinks.m = v, links
		s.trainerLinks.mu.Unlock()
	}
	id, ok := links[user]
	if !ok {
		return nil, nil
	}
	return s.Trainer(id)
}

// trainerLinks maps accounts to their trainers, for one schedule version.
type trainerLinks struct {
	mu      sync.Mutex
	version uint64
	m       map[uint64]uint64
}

// SaveTrainer creates (ID 0) or updates a trainer.
func (s *Store) SaveTrainer(a Actor, t *Trainer, version int) error {
	if err := t.Validate(); err != nil {
		return err
	}
	return s.updateSchedule(func(tx *bolt.Tx) error {
		var v ValidationError
		if t.PersonID != 0 && tx.Bucket(bucketStaff).Get(itob(t.PersonID)) == nil {
			v.Add("person", "error.invalid_choice")
		}
		if t.UserID != 0 && tx.Bucket(bucketUsers).Get(itob(t.UserID)) == nil {
			v.Add("user", "error.invalid_choice")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if t.UserID != 0 { // one trainer per account: its sessions are the account's
			taken := false
			err := tx.Bucket(bucketTrainers).ForEach(func(k, data []byte) error {
				var other struct {
					UserID uint64 `json:"user_id"`
				}
				if err := json.Unmarshal(data, &other); err != nil {
					return err
				}
				taken = taken || (other.UserID == t.UserID && btoi(k) != t.ID)
				return nil
			})
			if err != nil {
				return err
			}
			if taken {
				v.Add("user", "error.trainer_account_taken")
				return &v
			}
		}
		if t.ID == 0 {
			if tx.Bucket(bucketTrainers).Stats().KeyN >= MaxTrainers {
				return Errorf(EConflict, "error.too_many_trainers")
			}
			return insert(s, tx, a, kindTrainer, t)
		}
		return replace(s, tx, a, kindTrainer, t, version, ActionUpdate)
	})
}

// Session returns one session.
func (s *Store) Session(id uint64) (*Session, error) { return one[Session](s, kindSession, id) }

// checkSession checks what a session refers to, inside the transaction,
// and returns its course.
func checkSession(tx *bolt.Tx, ss *Session) (*Course, error) {
	var v ValidationError
	c, err := get[Course](tx, kindCourse, ss.CourseID)
	if err != nil {
		v.Add("course", "error.invalid_choice")
		return nil, &v
	}
	if c.ProjectID != 0 {
		if _, err := openProject(tx, c.ProjectID, false); err != nil {
			return nil, err
		}
	}
	// The session's own rules first: they bound its lists, so that the
	// look-ups below, inside the write transaction, are a few hundred at
	// most whatever a form sent.
	if err := ss.Validate(c.Unit); err != nil {
		return nil, err
	}
	if ss.LocationID != 0 && tx.Bucket(bucketLocations).Get(itob(ss.LocationID)) == nil {
		v.Add("location", "error.invalid_choice")
	}
	for _, t := range ss.TrainerIDs {
		if tx.Bucket(bucketTrainers).Get(itob(t)) == nil {
			v.Add("trainers", "error.invalid_choice")
		}
	}
	for _, p := range ss.Participants {
		if tx.Bucket(bucketStaff).Get(itob(p)) == nil {
			v.Add("participants", "error.invalid_choice")
		}
	}
	return c, v.Err()
}

// SaveSession creates (ID 0) or updates a session and its indexes. A
// participant with attendance recorded stays enrolled. A move or a
// cancellation needs p.Reason and goes into the session's history;
// conflicts with the schedule refuse the save (a *ConflictsError) unless
// p.Override says why it is saved anyway.
func (s *Store) SaveSession(a Actor, ss *Session, version int, p Plan) error {
	return s.updateSchedule(func(tx *bolt.Tx) error {
		course, err := checkSession(tx, ss)
		if err != nil {
			return err
		}
		if ss.ID == 0 {
			if err := s.planChange(tx, a, ss, nil, course.Kind, p, nil); err != nil {
				return err
			}
			if err := insert(s, tx, a, kindSession, ss); err != nil {
				return err
			}
			return reindexSession(tx, nil, ss)
		}
		old, err := get[Session](tx, kindSession, ss.ID)
		if err != nil {
			return err
		}
		if version != 0 && old.Version != version {
			return &ConflictError{Entity: kindSession.entity, ID: ss.ID, Current: old}
		}
		if old.CourseID != ss.CourseID { // a settled project keeps its sessions
			if oc, err := get[Course](tx, kindCourse, old.CourseID); err == nil && oc.ProjectID != 0 {
				if _, err := openProject(tx, oc.ProjectID, false); err != nil {
					return err
				}
			}
		}
		stays := make(map[uint64]bool, len(ss.Participants))
		for _, p := range ss.Participants {
			stays[p] = true
		}
		for _, p := range old.Participants {
			if !stays[p] && tx.Bucket(bucketAttendance).Get(markKey(ss.ID, p)) != nil {
				var v ValidationError
				v.Add("participants", "error.marked_participant")
				return &v
			}
		}
		if err := lockedByConfirmation(old, ss); err != nil {
			return err
		}
		if err := s.planChange(tx, a, ss, old, course.Kind, p, nil); err != nil {
			return err
		}
		if err := replace(s, tx, a, kindSession, ss, version, ActionUpdate); err != nil {
			return err
		}
		return reindexSession(tx, old, ss)
	})
}

// lockedByConfirmation keeps a confirmed list as it was confirmed: its
// day, slot, place, status and people do not change, and the confirmation
// itself is not lost by a save of the session's form.
func lockedByConfirmation(old, now *Session) error {
	now.Confirmed = old.Confirmed
	if old.Confirmed == nil {
		return nil
	}
	if moved(old, now) || old.Status != now.Status || !slices.Equal(old.Participants, now.Participants) {
		return Errorf(EConflict, "error.session_confirmed")
	}
	return nil
}

// ConfirmList records the trainer's confirmation of a session's
// attendance list: every participant must have a mark; from then on the
// marks change only as corrections, with a reason.
func (s *Store) ConfirmList(a Actor, session uint64, version int) error {
	return s.updateSchedule(func(tx *bolt.Tx) error {
		ss, err := get[Session](tx, kindSession, session)
		if err != nil {
			return err
		}
		if ss.Version != version {
			return &ConflictError{Entity: kindSession.entity, ID: session, Current: ss}
		}
		if c, err := get[Course](tx, kindCourse, ss.CourseID); err == nil && c.ProjectID != 0 {
			if _, err := openProject(tx, c.ProjectID, false); err != nil {
				return err
			}
		}
		switch {
		case ss.Confirmed != nil:
			return Errorf(EConflict, "error.already_confirmed")
		case ss.Status == SessionCancelled:
			return Errorf(EConflict, "error.session_cancelled")
		case len(ss.Participants) == 0:
			return Errorf(EConflict, "error.marks_missing")
		}
		for _, p := range ss.Participants {
			if tx.Bucket(bucketAttendance).Get(markKey(session, p)) == nil {
				return Errorf(EConflict, "error.marks_missing")
			}
		}
		confirmed := *ss
		confirmed.Confirmed = &Confirmation{At: s.now().UTC(), By: a.Login}
		return replace(s, tx, a, kindSession, &confirmed, version, ActionConfirm)
	})
}

// ActionConfirm is the audit action of a trainer confirming a list.
const ActionConfirm = "confirm"

// Enrol adds people to a session up to its capacity; those already in it
// are skipped. It says how many were added. People busy elsewhere at the
// time refuse it unless p.Override says why.
func (s *Store) Enrol(a Actor, id uint64, version int, people []uint64, p Plan) (int, error) {
	// Each person once, counted before the write transaction begins: more
	// people than a session may hold are refused at once, whatever the
	// session holds already.
	asked := make([]uint64, 0, min(len(people), MaxParticipants+1))
	seen := make(map[uint64]bool, cap(asked))
	for _, person := range people {
		if person != 0 && !seen[person] {
			seen[person] = true
			if asked = append(asked, person); len(asked) > MaxParticipants {
				var v ValidationError
				v.Add("participants", WithMax("error.too_many", MaxParticipants))
				return 0, &v
			}
		}
	}
	added := 0
	err := s.updateSchedule(func(tx *bolt.Tx) error {
		old, err := get[Session](tx, kindSession, id)
		if err != nil {
			return err
		}
		if old.Version != version {
			return &ConflictError{Entity: kindSession.entity, ID: id, Current: old}
		}
		if old.Confirmed != nil {
			return Errorf(EConflict, "error.session_confirmed")
		}
		ss := *old
		ss.Participants = slices.Clone(old.Participants)
		enrolled := make(map[uint64]bool, len(old.Participants))
		for _, person := range old.Participants {
			enrolled[person] = true
		}
		for _, person := range asked {
			if !enrolled[person] {
				ss.Participants = append(ss.Participants, person)
				added++
			}
		}
		if ss.Capacity > 0 && len(ss.Participants) > ss.Capacity {
			return Errorf(EConflict, WithMax("error.capacity", ss.Capacity))
		}
		course, err := checkSession(tx, &ss)
		if err != nil {
			return err
		}
		if err := s.planChange(tx, a, &ss, old, course.Kind, p, nil); err != nil {
			return err
		}
		if err := replace(s, tx, a, kindSession, &ss, version, ActionUpdate); err != nil {
			return err
		}
		return reindexSession(tx, old, &ss)
	})
	return added, err
}

// DeleteSession removes a session entered by mistake; one with attendance
// is cancelled instead, never deleted.
func (s *Store) DeleteSession(a Actor, id uint64, version int) error {
	return s.updateSchedule(func(tx *bolt.Tx) error {
		old, err := get[Session](tx, kindSession, id)
		if err != nil {
			return err
		}
		if k, _ := tx.Bucket(bucketAttendance).Cursor().Seek(itob(id)); k != nil && bytes.HasPrefix(k, itob(id)) {
			return Errorf(EConflict, "error.session_has_marks")
		}
		if c, err := get[Course](tx, kindCourse, old.CourseID); err == nil && c.ProjectID != 0 {
			if _, err := openProject(tx, c.ProjectID, true); err != nil {
				return err
			}
		}
		if err := remove[Session](s, tx, a, kindSession, id, version); err != nil {
			return err
		}
		return reindexSession(tx, old, nil)
	})
}

func markKey(session, person uint64) []byte { return append(itob(session), itob(person)...) }

// Marks are a session's attendance marks by person.
func (s *Store) Marks(session uint64) (map[uint64]Mark, error) {
	out := map[uint64]Mark{}
	err := s.db.View(func(tx *bolt.Tx) error { return marksOf(tx, session, out) })
	return out, err
}

func marksOf(tx *bolt.Tx, session uint64, out map[uint64]Mark) error {
	prefix := itob(session)
	c := tx.Bucket(bucketAttendance).Cursor()
	for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
		var m Mark
		if err := json.Unmarshal(v, &m); err != nil {
			return err
		}
		out[m.Person] = m
	}
	return nil
}

// ActionMark is the audit action of recording attendance.
const ActionMark = "mark"

// MarkAttendance records one participant's attendance at a session that
// has taken place (or takes place today). version is the mark's as the
// form saw it (0: none yet); a changed mark is a conflict.
//
// Once the list is confirmed, a change is a correction: it needs a reason,
// which the mark keeps and the audit log records.
func (s *Store) MarkAttendance(a Actor, session, person uint64, version int, presence Presence, units int, correction string) (Mark, error) {
	correction = strings.TrimSpace(CleanText(correction))
	var saved Mark
	err := s.updateSchedule(func(tx *bolt.Tx) error {
		ss, err := get[Session](tx, kindSession, session)
		if err != nil {
			return err
		}
		c, err := get[Course](tx, kindCourse, ss.CourseID)
		if err != nil {
			return err
		}
		if c.ProjectID != 0 {
			if _, err := openProject(tx, c.ProjectID, false); err != nil {
				return err
			}
		}
		switch {
		case ss.Status == SessionCancelled:
			return Errorf(EConflict, "error.session_cancelled")
		case ss.Date.After(s.Today()):
			return Errorf(EConflict, "error.session_in_future")
		case !ss.Enrolled(person):
			return Errorf(EConflict, "error.not_enrolled")
		}
		var v ValidationError
		limitText(&v, "correction", correction, maxReasonLen)
		if ss.Confirmed != nil && correction == "" {
			v.Add("correction", "error.correction_reason")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if ss.Confirmed == nil {
			correction = "" // before the confirmation a change is no correction
		}
		b := tx.Bucket(bucketAttendance)
		var old *Mark
		if data := b.Get(markKey(session, person)); data != nil {
			old = &Mark{}
			if err := json.Unmarshal(data, old); err != nil {
				return err
			}
		}
		current := 0
		if old != nil {
			current = old.Version
		}
		if version != current {
			return &ConflictError{Entity: "attendance", ID: session, Current: old}
		}
		m := Mark{Session: session, Person: person, Presence: presence, Units: units, Version: current + 1, At: s.now().UTC(), By: a.Login,
			Correction: correction}
		if err := m.Validate(ss.HourUnits(c.Unit)); err != nil {
			return err
		}
		if err := putJSON(b, markKey(session, person), m); err != nil {
			return err
		}
		saved = m
		type entry struct {
			Person     uint64   `json:"person"`
			Presence   Presence `json:"presence"`
			Units      int      `json:"units,omitempty"`
			Correction string   `json:"correction,omitempty"`
		}
		var before any
		if old != nil {
			before = entry{old.Person, old.Presence, old.Units, old.Correction}
		}
		return s.audit(tx, a, "attendance", session, ActionMark, Diff(before, entry{m.Person, m.Presence, m.Units, m.Correction}))
	})
	return saved, err
}

// SessionsBetween lists the sessions from one day to another (both
// included) in time order, reading the date index: skip sessions are
// passed over by key, and at most limit are decoded.
func (s *Store) SessionsBetween(from, to time.Time, skip, limit int, keep func(*Session) bool) ([]Session, int, error) {
	var out []Session
	total := 0
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketSessionsDate).Cursor()
		last := binary.BigEndian.Uint32(dayNumber(to))
		for k, _ := c.Seek(dayNumber(from)); k != nil && binary.BigEndian.Uint32(k) <= last; k, _ = c.Next() {
			if keep == nil && (total < skip || len(out) >= limit) {
				total++
				continue
			}
			ss, err := get[Session](tx, kindSession, btoi(k[6:]))
			if err != nil {
				return err
			}
			if keep != nil && !keep(ss) {
				continue
			}
			if total >= skip && len(out) < limit {
				out = append(out, *ss)
			}
			total++
		}
		return nil
	})
	return out, total, err
}

// SessionsOf lists the sessions of a course, trainer or person (by the
// index b) from one day to another, in time order.
func (s *Store) sessionsOf(b []byte, owner uint64, from, to time.Time, limit int) ([]Session, error) {
	var out []Session
	err := s.db.View(func(tx *bolt.Tx) error {
		prefix := itob(owner)
		c := tx.Bucket(b).Cursor()
		start := append(itob(owner), dayNumber(from)...)
		last := binary.BigEndian.Uint32(dayNumber(to))
		for k, _ := c.Seek(start); k != nil && bytes.HasPrefix(k, prefix) && binary.BigEndian.Uint32(k[8:]) <= last && len(out) < limit; k, _ = c.Next() {
			ss, err := get[Session](tx, kindSession, btoi(k[14:]))
			if err != nil {
				return err
			}
			out = append(out, *ss)
		}
		return nil
	})
	return out, err
}

// Far bounds for "all sessions".
var (
	Beginning = time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)
	Forever   = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// CourseSessions are a course's sessions in time order.
func (s *Store) CourseSessions(course uint64) ([]Session, error) {
	return s.sessionsOf(bucketSessionsCourse, course, Beginning, Forever, MaxCourseSessions)
}

// CourseSessionsBetween are at most limit of a course's sessions between
// two days.
func (s *Store) CourseSessionsBetween(course uint64, from, to time.Time, limit int) ([]Session, error) {
	return s.sessionsOf(bucketSessionsCourse, course, from, to, limit)
}

// TrainerSessions are a trainer's sessions between two days.
func (s *Store) TrainerSessions(trainer uint64, from, to time.Time, limit int) ([]Session, error) {
	return s.sessionsOf(bucketSessionsTrainer, trainer, from, to, limit)
}

// PersonSessions are the sessions a person is enrolled in between two days.
func (s *Store) PersonSessions(person uint64, from, to time.Time, limit int) ([]Session, error) {
	return s.sessionsOf(bucketSessionsPerson, person, from, to, limit)
}

// MaxCourseSessions bounds what one course page reads.
const MaxCourseSessions = 2000

// Delivery is what a course delivered: its held sessions and units, and
// each participant's attended units, all in the course's own unit.
type Delivery struct {
	Unit          HourUnit
	Sessions      int // not cancelled
	Held          int // with attendance recorded
	Units         int // units of held sessions
	PersonUnits   map[uint64]int
	PersonUnitSum int            // person-units: what a controller checks
	Present       map[uint64]int // sessions attended per person
}

// Held reports whether a session's attendance is recorded.
func Held(marks map[uint64]Mark) bool { return len(marks) > 0 }

// CourseDelivery adds up a course's sessions and marks.
func (s *Store) CourseDelivery(c *Course) (Delivery, []Session, map[uint64]map[uint64]Mark, error) {
	d := Delivery{Unit: c.Unit, PersonUnits: map[uint64]int{}, Present: map[uint64]int{}}
	sessions, err := s.CourseSessions(c.ID)
	if err != nil {
		return d, nil, nil, err
	}
	marks := map[uint64]map[uint64]Mark{}
	err = s.db.View(func(tx *bolt.Tx) error {
		for _, ss := range sessions {
			m := map[uint64]Mark{}
			if err := marksOf(tx, ss.ID, m); err != nil {
				return err
			}
			marks[ss.ID] = m
		}
		return nil
	})
	for _, ss := range sessions {
		if ss.Status == SessionCancelled {
			continue
		}
		d.Sessions++
		m := marks[ss.ID]
		if !Held(m) {
			continue
		}
		total := ss.HourUnits(c.Unit)
		d.Held++
		d.Units += total
		for p, mark := range m {
			if u := mark.Attended(total); u > 0 {
				d.PersonUnits[p] += u
				d.PersonUnitSum += u
				d.Present[p]++
			}
		}
	}
	return d, sessions, marks, err
}
