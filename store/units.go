package store

import (
	"cmp"
	"slices"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// UnitKind is what a unit of the structure is.
type UnitKind string

const (
	KindManagement UnitKind = "management"
	KindDepartment UnitKind = "department"
	KindTeam       UnitKind = "team"
	KindSection    UnitKind = "section"
	KindPosition   UnitKind = "position"
	KindFacility   UnitKind = "facility"
)

// UnitKinds in the order they are listed under a parent.
var UnitKinds = []UnitKind{KindManagement, KindDepartment, KindTeam, KindSection, KindPosition, KindFacility}

func kindRank(k UnitKind) int {
	for i, x := range UnitKinds {
		if x == k {
			return i
		}
	}
	return len(UnitKinds)
}

// UnitState is how a unit looks from a day on, until its next state.
type UnitState struct {
	From      time.Time `json:"from"`
	Name      string    `json:"name"`
	Kind      UnitKind  `json:"kind"`
	ParentID  uint64    `json:"parent_id,omitempty"`
	Locations []uint64  `json:"locations,omitempty"`
	Phones    []string  `json:"phones,omitempty"`
	Email     string    `json:"email,omitempty"`
	HeadID    uint64    `json:"head_id,omitempty"` // a staff member
	Duties    string    `json:"duties,omitempty"`
}

// Unit is a part of the organisational structure. A reorganisation does not
// overwrite it: renames and moves add a state with the day they take
// effect, and a unit that is dissolved gets the day it ends (Until, the
// first day it no longer exists).
type Unit struct {
	Meta
	States []UnitState `json:"states"` // ordered by From
	Until  time.Time   `json:"until,omitzero"`
}

var kindUnit = kind{entity: "unit", bucket: bucketUnits}

// At is the unit's state on day; ok is false when it did not exist then.
func (u *Unit) At(day time.Time) (UnitState, bool) {
	day = Day(day)
	if len(u.States) == 0 || day.Before(u.States[0].From) || (!u.Until.IsZero() && !day.Before(u.Until)) {
		return UnitState{}, false
	}
	i := sort.Search(len(u.States), func(i int) bool { return u.States[i].From.After(day) })
	return u.States[i-1], true
}

// Current is the latest state.
func (u *Unit) Current() UnitState {
	if len(u.States) == 0 {
		return UnitState{}
	}
	return u.States[len(u.States)-1]
}

// Since is the first day the unit existed.
func (u *Unit) Since() time.Time {
	if len(u.States) == 0 {
		return time.Time{}
	}
	return u.States[0].From
}

// Validate checks one state's own fields.
func (st *UnitState) Validate() error {
	var v ValidationError
	tidy(st)
	st.Name = strings.TrimSpace(st.Name)
	st.Email = strings.TrimSpace(st.Email)
	requireText(&v, "name", st.Name, 160)
	if kindRank(st.Kind) == len(UnitKinds) {
		v.Add("kind", "error.invalid_choice")
	}
	if st.From.IsZero() {
		v.Add("from", "error.date")
	}
	validEmail(&v, "email", st.Email)
	validPhones(&v, "phones", st.Phones)
	st.Locations = uniqueIDs(st.Locations, MaxLocations)
	limitList(&v, "locations", len(st.Locations), MaxLocations)
	limitText(&v, "duties", st.Duties, 4000)
	return v.Err()
}

// OrgNode is a unit in the structure as of one day.
type OrgNode struct {
	Unit     *Unit
	State    UnitState
	Head     *Staff
	Staff    int // people assigned to this unit on that day
	Total    int // people in this unit and below, each counted once
	Children []*OrgNode
	// Categories count the people in this unit and below by the job
	// category of their assignment here (the primary one first).
	Categories []CategoryCount
}

// CategoryCount is how many people hold a job category, and how many of
// them work in the field. CategoryID 0 counts those without a category.
type CategoryCount struct {
	CategoryID uint64
	Name       string
	People     int
	Field      int
}

// categoryCounts counts people by the category of an assignment.
type categoryCounts map[uint64]*CategoryCount

func (m categoryCounts) add(a Assignment) {
	c := m[a.CategoryID]
	if c == nil {
		c = &CategoryCount{CategoryID: a.CategoryID}
		m[a.CategoryID] = c
	}
	c.People++
	if a.FieldWork {
		c.Field++
	}
}

func (m categoryCounts) list() []CategoryCount {
	out := make([]CategoryCount, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	return out
}

// BuildTree arranges the units that existed on day into a forest, roots
// first, and counts the people assigned to each unit that day. A unit
// whose parent did not exist that day is shown as a root, so nothing
// disappears from view. A person with posts in two teams counts in each
// team, but once in the department above both.
func BuildTree(units []Unit, staff []Staff, day time.Time) []*OrgNode {
	day = Day(day)
	nodes := map[uint64]*OrgNode{}
	var order []*OrgNode
	for i := range units {
		if st, ok := units[i].At(day); ok {
			n := &OrgNode{Unit: &units[i], State: st}
			nodes[units[i].ID] = n
			order = append(order, n)
		}
	}
	people := map[uint64]*Staff{}
	for i := range staff {
		people[staff[i].ID] = &staff[i]
	}
	var roots []*OrgNode
	for _, n := range order {
		if h := people[n.State.HeadID]; h != nil && h.EmployedOn(day) {
			n.Head = h // a head not employed that day is not shown as head
		}
		if parent := nodes[n.State.ParentID]; parent != nil && parent != n && !loops(nodes, n) {
			parent.Children = append(parent.Children, n)
		} else {
			roots = append(roots, n)
		}
	}
	parent := func(n *OrgNode) *OrgNode {
		if p := nodes[n.State.ParentID]; p != nil && p != n && !loops(nodes, n) {
			return p
		}
		return nil
	}
	counts := map[*OrgNode]categoryCounts{}
	var seen, direct []*OrgNode // the nodes counted for the current person, in all and as their own unit
	for i := range staff {
		seen, direct = seen[:0], direct[:0]
		for _, a := range staff[i].AssignmentsOn(day) { // primary first
			n := nodes[a.UnitID]
			if n != nil && !slices.Contains(direct, n) {
				direct = append(direct, n)
				n.Staff++
			}
			for ; n != nil && !slices.Contains(seen, n); n = parent(n) {
				seen = append(seen, n)
				n.Total++
				if counts[n] == nil {
					counts[n] = categoryCounts{}
				}
				counts[n].add(a)
			}
		}
	}
	for n, byCat := range counts {
		n.Categories = byCat.list()
	}
	c := collate.New(language.Polish)
	var sortTree func([]*OrgNode)
	sortTree = func(list []*OrgNode) {
		sortPolishWith(c, list, func(n *OrgNode) string { return string(rune('0' + kindRank(n.State.Kind))) }, func(n *OrgNode) string { return n.State.Name })
		for _, n := range list {
			sortTree(n.Children)
		}
	}
	sortTree(roots)
	return roots
}

// loops reports whether following parents from n comes back to n; such a
// unit is shown as a root so that nothing disappears from view.
func loops(nodes map[uint64]*OrgNode, n *OrgNode) bool {
	seen := map[*OrgNode]bool{}
	for cur := nodes[n.State.ParentID]; cur != nil; cur = nodes[cur.State.ParentID] {
		if cur == n {
			return true
		}
		if seen[cur] {
			return false
		}
		seen[cur] = true
	}
	return false
}

// Units lists every unit.
func (s *Store) Units() ([]Unit, error) { return every[Unit](s, kindUnit) }

// Unit returns one unit.
func (s *Store) Unit(id uint64) (*Unit, error) { return one[Unit](s, kindUnit, id) }

// checkParent refuses a parent that did not exist on the day the state
// takes effect, one that ends while the unit goes on, and any loop in the
// tree on that day or on any later day the structure changes (a move that
// is harmless today may close a loop with a change already planned).
func checkParent(tx *bolt.Tx, v *ValidationError, unitID uint64, st UnitState, until time.Time) error {
	if st.ParentID == 0 {
		return nil
	}
	units, err := all[Unit](tx, kindUnit)
	if err != nil {
		return err
	}
	byID := map[uint64]*Unit{}
	for i := range units {
		byID[units[i].ID] = &units[i]
	}
	parent := byID[st.ParentID]
	switch {
	case parent == nil:
		v.Add("parent", "error.invalid_choice")
		return nil
	case st.ParentID == unitID:
		v.Add("parent", "error.parent_cycle")
		return nil
	}
	if _, ok := parent.At(st.From); !ok {
		v.Add("parent", "error.parent_absent")
		return nil
	}
	if !parent.Until.IsZero() && (until.IsZero() || until.After(parent.Until)) {
		v.Add("parent", "error.parent_ends")
		return nil
	}
	// The unit as it will be, for the walk below.
	self := &Unit{Meta: Meta{ID: unitID}, Until: until}
	if old := byID[unitID]; old != nil {
		self.States = append(self.States, old.States...)
		for len(self.States) > 0 && !self.States[len(self.States)-1].From.Before(st.From) {
			self.States = self.States[:len(self.States)-1]
		}
	}
	self.States = append(self.States, st)
	byID[unitID] = self
	days := []time.Time{st.From}
	for _, u := range byID {
		for _, s := range u.States {
			if s.From.After(st.From) {
				days = append(days, s.From)
			}
		}
	}
	for _, day := range days {
		seen := map[uint64]bool{}
		for id := unitID; id != 0; {
			u := byID[id]
			if u == nil {
				break
			}
			ust, ok := u.At(day)
			if !ok {
				break
			}
			if seen[id] {
				v.Add("parent", "error.parent_cycle")
				return nil
			}
			seen[id] = true
			id = ust.ParentID
		}
	}
	return nil
}

// SaveUnitState records how a unit looks from st.From on. For a new unit
// (id 0) it creates the unit. For an existing one, a state with the same
// day as the latest corrects it; a later day adds a change to the history;
// an earlier day is refused (history is not rewritten).
func (s *Store) SaveUnitState(a Actor, id uint64, version int, st UnitState) (*Unit, error) {
	st.From = Day(st.From)
	var out *Unit
	err := s.updateOrg(func(tx *bolt.Tx) error {
		var v ValidationError
		if err := st.Validate(); err != nil {
			v = *err.(*ValidationError)
		}
		var until time.Time
		if id != 0 {
			if u, err := get[Unit](tx, kindUnit, id); err == nil {
				until = u.Until
			}
		}
		if err := checkParent(tx, &v, id, st, until); err != nil {
			return err
		}
		if st.HeadID != 0 {
			// A head must work at the centre on the day the state starts:
			// the structure of that day would otherwise name someone who
			// was not there.
			head, err := get[Staff](tx, kindStaff, st.HeadID)
			switch {
			case err != nil:
				v.Add("head", "error.invalid_choice")
			case !head.EmployedOn(st.From):
				v.Add("head", "error.head_not_employed")
			}
		}
		for _, lid := range st.Locations {
			if tx.Bucket(bucketLocations).Get(itob(lid)) == nil {
				v.Add("locations", "error.invalid_choice")
			}
		}
		if id == 0 {
			if err := v.Err(); err != nil {
				return err
			}
			out = &Unit{States: []UnitState{st}}
			return insert(s, tx, a, kindUnit, out)
		}
		u, err := get[Unit](tx, kindUnit, id)
		if err != nil {
			return err
		}
		last := u.Current()
		switch {
		case st.From.Before(last.From):
			v.Add("from", "error.from_before_history")
		case !u.Until.IsZero() && !st.From.Before(u.Until):
			v.Add("from", "error.unit_closed")
		}
		if err := v.Err(); err != nil {
			return err
		}
		if st.From.Equal(last.From) {
			u.States[len(u.States)-1] = st
		} else {
			if !limitList(&v, "from", len(u.States)+1, MaxUnitStates) {
				return v.Err()
			}
			u.States = append(u.States, st)
		}
		out = u
		return replace(s, tx, a, kindUnit, u, version, ActionUpdate)
	})
	return out, err
}

// CloseUnit records the day a unit stops existing. Its people and sub-units
// must have moved by then.
func (s *Store) CloseUnit(a Actor, id uint64, version int, until time.Time) error {
	until = Day(until)
	return s.updateOrg(func(tx *bolt.Tx) error {
		u, err := get[Unit](tx, kindUnit, id)
		if err != nil {
			return err
		}
		var v ValidationError
		if until.IsZero() || !until.After(u.Current().From) {
			v.Add("until", "error.until_before_from")
			return v.Err()
		}
		if err := refuseIfUsed(tx, id, until); err != nil {
			return err
		}
		u.Until = until
		return replace(s, tx, a, kindUnit, u, version, ActionUpdate)
	})
}

// ReopenUnit removes a unit's end date.
func (s *Store) ReopenUnit(a Actor, id uint64, version int) error {
	return s.updateOrg(func(tx *bolt.Tx) error {
		u, err := get[Unit](tx, kindUnit, id)
		if err != nil {
			return err
		}
		u.Until = time.Time{}
		return replace(s, tx, a, kindUnit, u, version, ActionUpdate)
	})
}

// anyUnitState reports whether some state of some unit satisfies match.
func anyUnitState(tx *bolt.Tx, match func(UnitState) bool) (bool, error) {
	units, err := all[Unit](tx, kindUnit)
	if err != nil {
		return false, err
	}
	for _, u := range units {
		for _, st := range u.States {
			if match(st) {
				return true, nil
			}
		}
	}
	return false, nil
}

// refuseIfUsed refuses to end or delete a unit that still has sub-units or
// people on or after day (any time, for a zero day).
func refuseIfUsed(tx *bolt.Tx, id uint64, day time.Time) error {
	units, err := all[Unit](tx, kindUnit)
	if err != nil {
		return err
	}
	for i := range units {
		u := &units[i]
		if u.ID == id {
			continue
		}
		for j, st := range u.States {
			end := u.Until
			if j+1 < len(u.States) {
				end = u.States[j+1].From
			}
			if st.ParentID == id && (day.IsZero() || end.IsZero() || end.After(day)) {
				return Errorf(EConflict, "error.unit_has_children")
			}
		}
	}
	staff, err := all[Staff](tx, kindStaff)
	if err != nil {
		return err
	}
	for _, p := range staff {
		for _, a := range p.Assignments {
			if a.UnitID == id && (day.IsZero() || !p.endsBefore(a, day)) {
				return Errorf(EConflict, "error.unit_has_people")
			}
		}
	}
	return nil
}

// DeleteUnit removes a unit entered by mistake. A unit that has or had
// people or sub-units cannot be deleted: end it (CloseUnit) instead.
func (s *Store) DeleteUnit(a Actor, id uint64, version int) error {
	return s.updateOrg(func(tx *bolt.Tx) error {
		if err := refuseIfUsed(tx, id, time.Time{}); err != nil {
			return err
		}
		if used, err := namedByProjects(tx, id, 0); err != nil || used {
			return cmp.Or(err, error(Errorf(EConflict, "error.unit_in_projects")))
		}
		if used, err := assessedInMonitoring(tx, id); err != nil || used {
			return cmp.Or(err, error(Errorf(EConflict, "error.unit_in_monitoring")))
		}
		return remove[Unit](s, tx, a, kindUnit, id, version)
	})
}
