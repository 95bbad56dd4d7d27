package store

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Planning: blackout periods, and the checks every change of the schedule
// goes through inside its own write transaction, so that no page, import
// or series can store a clash nobody was asked about.

var kindBlackout = kind{entity: "blackout", bucket: bucketBlackouts}

// MaxBlackouts bounds the list of blackout periods.
const MaxBlackouts = 500

// Blackouts lists the blackout periods, earliest first.
func (s *Store) Blackouts() ([]Blackout, error) {
	var out []Blackout
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = blackoutsIn(tx)
		return err
	})
	return out, err
}

func blackoutsIn(tx *bolt.Tx) ([]Blackout, error) {
	list, err := all[Blackout](tx, kindBlackout)
	slices.SortStableFunc(list, func(a, b Blackout) int {
		if c := a.From.Compare(b.From); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	return list, err
}

func (s *Store) Blackout(id uint64) (*Blackout, error) { return one[Blackout](s, kindBlackout, id) }

// SaveBlackout creates (ID 0) or updates a blackout period.
func (s *Store) SaveBlackout(a Actor, b *Blackout, version int) error {
	if err := b.Validate(); err != nil {
		return err
	}
	return s.updateSchedule(func(tx *bolt.Tx) error {
		if b.ID == 0 {
			if tx.Bucket(bucketBlackouts).Stats().KeyN >= MaxBlackouts {
				return Errorf(EConflict, WithMax("error.too_many", MaxBlackouts))
			}
			return insert(s, tx, a, kindBlackout, b)
		}
		return replace(s, tx, a, kindBlackout, b, version, ActionUpdate)
	})
}

// DeleteBlackout removes a blackout period; sessions it covered stay.
func (s *Store) DeleteBlackout(a Actor, id uint64, version int) error {
	return s.updateSchedule(func(tx *bolt.Tx) error {
		return remove[Blackout](s, tx, a, kindBlackout, id, version)
	})
}

// Plan is what a planner adds to a change of the schedule.
type Plan struct {
	// Reason says why a session moves or is cancelled (required then).
	Reason string
	// Override saves despite conflicts, and says why; it is recorded on
	// the session and in the audit log.
	Override string
}

func (p *Plan) tidy() {
	p.Reason, p.Override = strings.TrimSpace(CleanText(p.Reason)), strings.TrimSpace(CleanText(p.Override))
}

// ConflictsError is a change refused because of its conflicts: the
// planner sees them and may save again with an override.
type ConflictsError struct {
	Conflicts []Conflict
	// Other are the sessions the conflicts name, by ID.
	Other map[uint64]Session
}

func (e *ConflictsError) Error() string { return "conflicts with the schedule" }

// sameDay reads the sessions on a day from the date index.
func sameDay(tx *bolt.Tx, day time.Time) ([]Session, error) {
	var out []Session
	c := tx.Bucket(bucketSessionsDate).Cursor()
	d := dayNumber(day)
	for k, _ := c.Seek(d); k != nil && bytes.HasPrefix(k, d); k, _ = c.Next() {
		ss, err := get[Session](tx, kindSession, btoi(k[6:]))
		if err != nil {
			return nil, err
		}
		out = append(out, *ss)
	}
	return out, nil
}

// sessionsOn counts the sessions stored on a day, cancelled ones too.
func sessionsOn(tx *bolt.Tx, day time.Time) int {
	n := 0
	c := tx.Bucket(bucketSessionsDate).Cursor()
	d := dayNumber(day)
	for k, _ := c.Seek(d); k != nil && bytes.HasPrefix(k, d) && n <= MaxSessionsPerDay; k, _ = c.Next() {
		n++
	}
	return n
}

// roomOnDay refuses a session new on a day that holds MaxSessionsPerDay
// already: every save reads its day whole.
func roomOnDay(tx *bolt.Tx, day time.Time) error {
	if sessionsOn(tx, day) >= MaxSessionsPerDay {
		var v ValidationError
		v.Add("date", WithMax("error.day_full", MaxSessionsPerDay))
		return &v
	}
	return nil
}

// dayCache keeps the days a transaction has read, with the sessions it
// inserted on them since, so that saving many sessions (an import, a
// series) decodes each day once rather than once per session. A nil cache
// reads the day each time.
type dayCache map[int64][]Session

func (dc dayCache) sessions(tx *bolt.Tx, day time.Time) ([]Session, error) {
	if dc == nil {
		return sameDay(tx, day)
	}
	if list, ok := dc[day.Unix()]; ok {
		return list, nil
	}
	list, err := sameDay(tx, day)
	if err == nil {
		dc[day.Unix()] = list
	}
	return list, err
}

// inserted adds a session just stored to its day, if the day is kept.
func (dc dayCache) inserted(ss Session) {
	if list, ok := dc[ss.Date.Unix()]; ok {
		dc[ss.Date.Unix()] = append(list, ss)
	}
}

// travelGap is the minutes a trainer needs between two places.
func travelGap(tx *bolt.Tx) int {
	var c Centre
	if err := getJSON(tx.Bucket(bucketMeta), keyCentre, &c); err != nil {
		return 0
	}
	return c.TravelMinutes
}

// conflictsIn are the conflicts of ss with the schedule as stored, plus
// the sessions of extra (other rows of one import or series, not stored
// yet). Only what the change touches counts: a new session, or one whose
// time, place or trainers changed, is checked whole; otherwise only the
// people added to it.
func conflictsIn(tx *bolt.Tx, ss *Session, kind CourseKind, old *Session, days dayCache, extra []Session) ([]Conflict, map[uint64]Session, error) {
	var added map[uint64]bool
	if old != nil && !moved(old, ss) && slices.Equal(old.TrainerIDs, ss.TrainerIDs) && old.Status == ss.Status {
		added = map[uint64]bool{}
		for _, p := range ss.Participants {
			added[p] = true
		}
		for _, p := range old.Participants {
			delete(added, p)
		}
		if len(added) == 0 {
			return nil, nil, nil
		}
	}
	day, err := days.sessions(tx, ss.Date)
	if err != nil {
		return nil, nil, err
	}
	day = slices.Clip(day) // a kept day is not appended to
	for _, e := range extra {
		if e.Date.Equal(ss.Date) {
			day = append(day, e)
		}
	}
	bs, err := blackoutsIn(tx)
	if err != nil {
		return nil, nil, err
	}
	list := Conflicts(ss, kind, day, bs, travelGap(tx))
	if added != nil {
		list = slices.DeleteFunc(list, func(c Conflict) bool { return c.Kind != ConflictParticipant || !added[c.Who] })
	}
	byID := make(map[uint64]int, len(day))
	for i, d := range day {
		if d.ID != 0 {
			byID[d.ID] = i
		}
	}
	others := map[uint64]Session{}
	for _, c := range list {
		if i, ok := byID[c.Other]; ok && c.Other != 0 {
			others[c.Other] = day[i]
		}
	}
	return list, others, nil
}

// moved reports whether a session's day, slot or place changed.
func moved(old, now *Session) bool {
	return !old.Date.Equal(now.Date) || old.Start != now.Start || old.End != now.End ||
		old.LocationID != now.LocationID || old.Address != now.Address || old.Room != now.Room
}

// planChange checks a change of ss (old: as stored, nil when new) against
// the schedule and the plan, and writes what the change needs into ss:
// its history and sequence. A move or a cancellation needs a reason;
// blocking conflicts need an override.
func (s *Store) planChange(tx *bolt.Tx, a Actor, ss, old *Session, kind CourseKind, p Plan, days dayCache) error {
	p.tidy()
	var v ValidationError
	limitText(&v, "reason", p.Reason, maxReasonLen)
	limitText(&v, "override", p.Override, maxReasonLen)
	if err := v.Err(); err != nil {
		return err
	}
	now := s.now().UTC()
	ss.History = slices.Clone(ss.History)
	if old != nil {
		ss.History, ss.Sequence = slices.Clone(old.History), old.Sequence
		entry := SessionChange{At: now, By: a.Login, Reason: p.Reason}
		switch {
		case old.Status != SessionCancelled && ss.Status == SessionCancelled:
			entry.Kind = ChangeCancelled
		case old.Status == SessionCancelled && ss.Status != SessionCancelled:
			entry.Kind = ChangeRestored
		case moved(old, ss):
			entry.Kind = ChangeMoved
			entry.Date, entry.Start, entry.End, entry.LocationID, entry.Address = old.Date, old.Start, old.End, old.LocationID, old.Address
		}
		if entry.Kind != "" {
			if p.Reason == "" && entry.Kind != ChangeRestored {
				v.Add("reason", "error.change_reason")
				return &v
			}
			ss.History = append(ss.History, entry)
			ss.Sequence++
		}
	}
	if old == nil || !old.Date.Equal(ss.Date) {
		if err := roomOnDay(tx, ss.Date); err != nil {
			return err
		}
	}
	list, others, err := conflictsIn(tx, ss, kind, old, days, nil)
	if err != nil {
		return err
	}
	if Blocking(list) {
		if p.Override == "" {
			return &ConflictsError{Conflicts: list, Other: others}
		}
		blocking := slices.DeleteFunc(slices.Clone(list), func(c Conflict) bool { return c.Warning })
		if len(blocking) > maxOverridden {
			blocking = blocking[:maxOverridden]
		}
		ss.History = append(ss.History, SessionChange{At: now, By: a.Login, Kind: ChangeOverride, Reason: p.Override, Conflicts: blocking})
	}
	if len(ss.History) > MaxSessionHistory {
		v.Add("history", WithMax("error.too_many", MaxSessionHistory))
		return &v
	}
	return nil
}

// maxOverridden bounds the conflicts one history entry lists (enrolling a
// whole unit may clash for each of its people).
const maxOverridden = 50

// LastChange is the newest move or cancellation of a session, if any.
func (ss *Session) LastChange() (SessionChange, bool) {
	for i := len(ss.History) - 1; i >= 0; i-- {
		if k := ss.History[i].Kind; k == ChangeMoved || k == ChangeCancelled || k == ChangeRestored {
			return ss.History[i], true
		}
	}
	return SessionChange{}, false
}

// LocationSessions are the sessions at a location between two days.
func (s *Store) LocationSessions(location uint64, from, to time.Time, limit int) ([]Session, error) {
	return s.sessionsOf(bucketSessionsLocation, location, from, to, limit)
}

// ChangedSessionsOf are a person's sessions from today on (as participant)
// that were moved, cancelled or restored since a moment: what their home
// page tells them.
func (s *Store) ChangedSessionsOf(person uint64, since time.Time, limit int) ([]Session, error) {
	today := s.Today()
	list, err := s.PersonSessions(person, today, today.AddDate(0, 6, 0), 500)
	out := list[:0]
	for _, ss := range list {
		if ch, ok := ss.LastChange(); ok && !ch.At.Before(since) && len(out) < limit {
			out = append(out, ss)
		}
	}
	return out, err
}

// migrateLocationIndex indexes the sessions held at a location of the
// structure, for a location's week.
func migrateLocationIndex(s *Store, tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketBlackouts, bucketFeedTokens} {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return err
		}
	}
	idx, err := tx.CreateBucketIfNotExists(bucketSessionsLocation)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketTrainingSessions).ForEach(func(_, data []byte) error {
		var ss Session
		if err := json.Unmarshal(data, &ss); err != nil {
			return err
		}
		if ss.LocationID == 0 {
			return nil
		}
		k := append(itob(ss.LocationID), slotKey(&ss)...)
		return idx.Put(k, nil)
	})
}
