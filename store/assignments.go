package store

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Assignment is a post a person holds for a while: in a unit, under a job
// title, in a job category. A move ends one assignment and starts another,
// so what an earlier day shows never changes; a person may hold two at
// once (a half-time post in two teams), one of them primary.
type Assignment struct {
	ID         int       `json:"id"` // within the person; never reused
	From       time.Time `json:"from"`
	To         time.Time `json:"to,omitzero"` // last day; zero while it lasts
	UnitID     uint64    `json:"unit_id"`
	Position   string    `json:"position"` // the job title
	CategoryID uint64    `json:"category_id,omitempty"`
	FieldWork  bool      `json:"field_work,omitempty"`
	Primary    bool      `json:"primary,omitempty"`
}

// MaxAssignments bounds a person's history: decades of moves fit.
const MaxAssignments = 60

// On reports whether the assignment is in force on day (employment aside).
func (a Assignment) On(day time.Time) bool { return within(Day(day), a.From, a.To) }

// overlaps reports whether two assignments share a day.
func (a Assignment) overlaps(b Assignment) bool {
	return (a.To.IsZero() || !a.To.Before(b.From)) && (b.To.IsZero() || !b.To.Before(a.From))
}

// AssignmentsOn are the assignments in force on day while the person is
// employed, the primary one first. Employment ends them all: an open
// assignment needs no closing when a person leaves.
func (p *Staff) AssignmentsOn(day time.Time) []Assignment {
	day = Day(day)
	if !p.EmployedOn(day) {
		return nil
	}
	var out []Assignment
	for _, a := range p.Assignments {
		if a.On(day) {
			out = append(out, a)
		}
	}
	slices.SortStableFunc(out, func(a, b Assignment) int {
		if a.Primary != b.Primary {
			if a.Primary {
				return -1
			}
			return 1
		}
		return 0
	})
	return out
}

// PrimaryOn is the person's main assignment on day.
func (p *Staff) PrimaryOn(day time.Time) (Assignment, bool) {
	if list := p.AssignmentsOn(day); len(list) > 0 {
		return list[0], true
	}
	return Assignment{}, false
}

// ShownOn is what the directory shows for a person on day: the
// assignments in force, or for someone no longer (or not yet) employed the
// ones in force on their last (or first) day of work. An ended post is
// never shown as a current one.
func (p *Staff) ShownOn(day time.Time) []Assignment {
	if list := p.AssignmentsOn(day); len(list) > 0 || len(p.Assignments) == 0 || p.EmployedOn(day) {
		return list // someone employed but without an assignment that day is shown in no unit
	}
	switch day = Day(day); {
	case !p.EmployedTo.IsZero() && day.After(p.EmployedTo):
		day = p.EmployedTo
	case day.Before(p.EmployedFrom):
		day = p.EmployedFrom
	}
	if list := p.AssignmentsOn(day); len(list) > 0 {
		return list
	}
	return p.Assignments[len(p.Assignments)-1:]
}

// Assignment finds one of the person's assignments by its ID.
func (p *Staff) Assignment(id int) (*Assignment, bool) {
	for i := range p.Assignments {
		if p.Assignments[i].ID == id {
			return &p.Assignments[i], true
		}
	}
	return nil, false
}

// AddAssignment gives a new assignment the next free ID and keeps the list
// in order.
// An ID is never given twice, even after the assignment that had it was
// deleted: audit entries and addresses name assignments by it.
func (p *Staff) AddAssignment(a Assignment) {
	a.ID = p.LastAssignment + 1
	for _, x := range p.Assignments {
		a.ID = max(a.ID, x.ID+1)
	}
	p.LastAssignment = a.ID
	p.Assignments = append(p.Assignments, a)
	sortAssignments(p.Assignments)
}

func sortAssignments(list []Assignment) {
	slices.SortStableFunc(list, func(a, b Assignment) int {
		return cmp.Or(a.From.Compare(b.From), cmp.Compare(a.ID, b.ID))
	})
}

// Move ends assignment id the day before day and starts next on day, with
// the old one's end and primacy; id 0 adds next beside the current ones (a
// second post). The old assignment must have begun before day: changing
// it from its first day on is a correction, not a move.
func (p *Staff) Move(day time.Time, id int, next Assignment) error {
	day = Day(day)
	next.From = day
	var v ValidationError
	if day.IsZero() {
		v.Add("from", "error.date_required")
		return v.Err()
	}
	if id == 0 && !next.Primary {
		// A second post is the primary one only where nothing else is:
		// beside a primary post it is not, in a gap between posts it is.
		next.Primary = !slices.ContainsFunc(p.Assignments, func(a Assignment) bool { return a.Primary && a.overlaps(next) })
	}
	if id != 0 {
		old, ok := p.Assignment(id)
		switch {
		case !ok:
			v.Add("assignment", "error.invalid_choice")
		case !day.After(old.From):
			v.Add("from", "error.move_not_after_start")
		case !old.To.IsZero() && day.After(old.To):
			v.Add("from", "error.move_after_end")
		default:
			next.To, next.Primary = old.To, old.Primary
			old.To = day.AddDate(0, 0, -1)
		}
		if err := v.Err(); err != nil {
			return err
		}
	}
	p.AddAssignment(next)
	return nil
}

// Correct replaces assignment a.ID as it was entered: a mistake, not a
// change that happened on a day. An assignment marked primary takes that
// from the others in force at the same time, so that which of two posts
// is the main one can be put right in one step; whether every day is
// still left with a primary one is for validation to say.
func (p *Staff) Correct(a Assignment) error {
	old, ok := p.Assignment(a.ID)
	if !ok {
		var v ValidationError
		v.Add("assignment", "error.invalid_choice")
		return v.Err()
	}
	*old = a
	if a.Primary {
		for i := range p.Assignments {
			if b := &p.Assignments[i]; b.ID != a.ID && b.overlaps(a) {
				b.Primary = false
			}
		}
	}
	sortAssignments(p.Assignments)
	return nil
}

// DropAssignment removes an assignment entered by mistake; the last one
// stays (a person is always somewhere).
func (p *Staff) DropAssignment(id int) error {
	var v ValidationError
	i := slices.IndexFunc(p.Assignments, func(a Assignment) bool { return a.ID == id })
	switch {
	case i < 0:
		v.Add("assignment", "error.invalid_choice")
	case len(p.Assignments) == 1:
		v.Add("assignment", "error.last_assignment")
	default:
		dropped := p.Assignments[i]
		p.Assignments = slices.Delete(p.Assignments, i, i+1)
		// Undoing a move: the assignment the move ended the day before goes
		// on as it was, so that no day of work is left without one.
		endedBy := func(a Assignment) bool { return !a.To.IsZero() && a.To.Equal(dropped.From.AddDate(0, 0, -1)) }
		if j := slices.IndexFunc(p.Assignments, endedBy); j >= 0 {
			p.Assignments[j].To = dropped.To
		}
	}
	return v.Err()
}

// Validate checks and tidies an assignment's own fields, so that a form
// reports them together with the rules of the person's whole history.
func (a *Assignment) Validate() error {
	var v ValidationError
	a.check(&v)
	return v.Err()
}

func (a *Assignment) check(v *ValidationError) {
	a.From, a.To = Day(a.From), Day(a.To)
	a.Position = strings.TrimSpace(CleanText(a.Position))
	if a.UnitID == 0 {
		v.Add("unit", "error.required")
	}
	requireText(v, "position", a.Position, 120)
	switch {
	case a.From.IsZero():
		v.Add("from", "error.date_required")
	case !a.To.IsZero() && a.To.Before(a.From):
		v.Add("to", "error.until_before_from")
	}
}

// validateAssignments checks the list within the person's employment. The
// fields are named as in the forms that edit one assignment.
func (p *Staff) validateAssignments(v *ValidationError) {
	if len(p.Assignments) == 0 {
		v.Add("unit", "error.assignment_required")
		return
	}
	limitList(v, "assignments", len(p.Assignments), MaxAssignments)
	seen := map[int]bool{}
	for i := range p.Assignments {
		a := &p.Assignments[i]
		if a.ID <= 0 || seen[a.ID] {
			v.Add("assignment", "error.invalid_choice")
		}
		seen[a.ID] = true
		a.check(v)
		switch {
		case a.From.IsZero():
		case !p.EmployedFrom.IsZero() && a.From.Before(p.EmployedFrom):
			v.Add("from", "error.assignment_before_employment")
		case !p.EmployedTo.IsZero() && a.From.After(p.EmployedTo):
			v.Add("from", "error.assignment_after_employment")
		}
	}
	sortAssignments(p.Assignments)
	for i, a := range p.Assignments {
		for _, b := range p.Assignments[i+1:] {
			if a.Primary && b.Primary && a.overlaps(b) {
				v.Add("primary", "error.two_primary")
			}
			if a.UnitID == b.UnitID && a.overlaps(b) && a.UnitID != 0 {
				v.Add("unit", "error.same_unit_twice")
			}
		}
	}
	if _, ok := p.DayWithoutPrimary(); ok {
		v.Add("primary", "error.no_primary")
	}
}

// DayWithoutPrimary is the first day of work on which the person has an
// assignment in force but none of those in force is primary. The rule is
// that every such day has exactly one primary assignment (two at once are
// refused apart): the head counts by job category count a person in their
// primary post's category, and the directory and the exports show it
// first, on every day of the history, not only today. Days outside the
// employment count for nothing, as the assignments are not in force then.
func (p *Staff) DayWithoutPrimary() (time.Time, bool) {
	var days []time.Time // the days on which the posts in force change
	for _, a := range p.Assignments {
		if a.From.IsZero() {
			continue
		}
		days = append(days, a.From)
		if !a.To.IsZero() {
			days = append(days, a.To.AddDate(0, 0, 1))
		}
	}
	slices.SortFunc(days, time.Time.Compare)
	for _, d := range days {
		if !p.EmployedOn(d) {
			continue
		}
		held, primary := false, false
		for _, a := range p.Assignments {
			if !a.From.IsZero() && a.On(d) {
				held, primary = true, primary || a.Primary
			}
		}
		if held && !primary {
			return d, true
		}
	}
	return time.Time{}, false
}

// checkAssignmentRefs verifies that each unit exists on the assignment's
// first day and lasts as long as it, and that each category exists and,
// for an assignment new or changed since it was stored, is still offered.
func (p *Staff) checkAssignmentRefs(tx *bolt.Tx, units *unitReader, v *ValidationError) {
	p.checkAssignmentUnits(func(id uint64) *Unit {
		u, err := units.unit(id)
		if err != nil {
			return nil
		}
		return u
	}, v)
	for _, a := range p.Assignments {
		if a.CategoryID == 0 {
			continue
		}
		c, err := get[JobCategory](tx, kindCategory, a.CategoryID)
		switch {
		case err != nil:
			v.Add("category", "error.invalid_choice")
		case c.Archived && !storedWith(tx, p.ID, a):
			v.Add("category", "error.category_archived")
		}
	}
}

// storedWith reports whether person id is stored with assignment a in its
// category: an archived category stays where it was set, but is not set
// anew.
func storedWith(tx *bolt.Tx, id uint64, a Assignment) bool {
	if id == 0 {
		return false
	}
	p, err := get[Staff](tx, kindStaff, id)
	if err != nil {
		return false
	}
	old, ok := p.Assignment(a.ID)
	return ok && old.CategoryID == a.CategoryID
}

// checkAssignmentUnits is the rule on units, with the units looked up by
// unit (nil: no such unit), for the store and for an import's preview.
func (p *Staff) checkAssignmentUnits(unit func(id uint64) *Unit, v *ValidationError) {
	for _, a := range p.Assignments {
		if a.UnitID == 0 {
			continue
		}
		u := unit(a.UnitID)
		switch {
		case u == nil:
			v.Add("unit", "error.invalid_choice")
		case a.From.Before(u.Since()):
			v.Add("unit", "error.unit_not_yet")
		case !u.Until.IsZero() && !p.endsBefore(a, u.Until):
			v.Add("unit", "error.unit_ended")
		}
	}
}

// endsBefore reports whether the assignment (or the employment that
// bounds it) ends before day.
func (p *Staff) endsBefore(a Assignment, day time.Time) bool {
	end := a.To
	if end.IsZero() || (!p.EmployedTo.IsZero() && p.EmployedTo.Before(end)) {
		end = p.EmployedTo
	}
	return !end.IsZero() && end.Before(day)
}

// migrateAssignments turns each person's unit and job title into their
// first assignment, from the start of employment (or the unit's first day,
// if later: nothing says where the person was before it existed), and
// creates the job categories' bucket.
func migrateAssignments(s *Store, tx *bolt.Tx) error {
	if _, err := tx.CreateBucketIfNotExists(bucketCategories); err != nil {
		return err
	}
	type before struct {
		Staff
		UnitID      uint64 `json:"unit_id"`
		JobTitle    string `json:"job_title"`
		FieldWorker bool   `json:"field_worker"`
	}
	b := tx.Bucket(bucketStaff)
	var people []before
	if err := b.ForEach(func(_, data []byte) error {
		var p before
		if err := json.Unmarshal(data, &p); err != nil {
			return err
		}
		people = append(people, p)
		return nil
	}); err != nil {
		return err
	}
	for _, old := range people {
		p := old.Staff
		if len(p.Assignments) > 0 {
			continue
		}
		a := Assignment{ID: 1, From: p.EmployedFrom, UnitID: old.UnitID, Position: old.JobTitle, FieldWork: old.FieldWorker, Primary: true}
		if u, err := get[Unit](tx, kindUnit, old.UnitID); err == nil && a.From.Before(u.Since()) {
			a.From = u.Since()
		}
		if a.From.IsZero() {
			a.From = Day(p.Created)
		}
		p.Assignments = []Assignment{a}
		if err := putJSON(b, itob(p.ID), &p); err != nil {
			return err
		}
		changes := Diff(map[string]any{"unit_id": old.UnitID, "job_title": old.JobTitle, "field_worker": old.FieldWorker},
			map[string]any{"assignments": p.Assignments})
		if err := s.audit(tx, System, kindStaff.entity, p.ID, ActionUpdate, changes); err != nil {
			return err
		}
	}
	return nil
}

// migratePrimaries marks as primary what the pages showed as primary
// before the rule that every day of work has a primary assignment: a post
// that overlaps no other, and a post that starts first among those it
// overlaps and lasts as long as all of them, when none of them was marked
// (the person's main post with a shorter second one beside it). Any other
// person without a primary post on some day is left as stored for an
// administrator to decide; Check reports them.
func migratePrimaries(s *Store, tx *bolt.Tx) error {
	people, err := all[Staff](tx, kindStaff)
	if err != nil {
		return err
	}
	for i := range people {
		p := &people[i]
		old := slices.Clone(p.Assignments)
		for j := range p.Assignments {
			a := &p.Assignments[j]
			shown := !a.Primary && !a.From.IsZero()
			for k, b := range p.Assignments {
				if k == j || !a.overlaps(b) {
					continue
				}
				starts := a.From.Before(b.From) || (a.From.Equal(b.From) && a.ID < b.ID)
				lasts := a.To.IsZero() || (!b.To.IsZero() && !b.To.After(a.To))
				shown = shown && !b.Primary && starts && lasts
			}
			if shown {
				a.Primary = true
			}
		}
		if slices.Equal(old, p.Assignments) {
			continue
		}
		if err := putJSON(tx.Bucket(bucketStaff), itob(p.ID), p); err != nil {
			return err
		}
		changes := Diff(map[string]any{"assignments": old}, map[string]any{"assignments": p.Assignments})
		if err := s.audit(tx, System, kindStaff.entity, p.ID, ActionUpdate, changes); err != nil {
			return err
		}
	}
	return nil
}
