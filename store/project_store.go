package store

import (
	"bytes"
	"cmp"
	"encoding/json"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Projects change rarely and are shown beside the structure (their units
// and coordinators), so they live in the structure's snapshot and share
// its version: a page showing both is kept under one number.

// projects is the part of the snapshot that holds the projects.
type projects struct {
	Projects      []Project // newest first
	ProjectByID   map[uint64]*Project
	MilestoneByID map[uint64]*Milestone
	IndicatorByID map[uint64]*Indicator
	milestonesOf  map[uint64][]*Milestone // by project, in planned order
	indicatorsOf  map[uint64][]*Indicator // by project, in ID order
	milestones    []Milestone
	indicators    []Indicator
}

func (o *Org) loadProjects(tx *bolt.Tx, before *decodedOrg, now *decodedOrg) error {
	ps, mp, err := load(tx, kindProject, before.projects, nil)
	if err != nil {
		return err
	}
	o.Projects, now.projects = values(ps), mp
	ms, mm, err := load(tx, kindMilestone, before.milestones, nil)
	if err != nil {
		return err
	}
	o.milestones, now.milestones = values(ms), mm
	is, mi, err := load(tx, kindIndicator, before.indicators, nil)
	if err != nil {
		return err
	}
	o.indicators, now.indicators = values(is), mi
	return nil
}

func (o *Org) indexProjects() {
	slices.SortStableFunc(o.Projects, func(a, b Project) int {
		return cmp.Or(b.From.Compare(a.From), cmp.Compare(b.ID, a.ID))
	})
	o.ProjectByID = make(map[uint64]*Project, len(o.Projects))
	for i := range o.Projects {
		o.ProjectByID[o.Projects[i].ID] = &o.Projects[i]
	}
	o.MilestoneByID = make(map[uint64]*Milestone, len(o.milestones))
	o.milestonesOf = map[uint64][]*Milestone{}
	for i := range o.milestones {
		m := &o.milestones[i]
		o.MilestoneByID[m.ID] = m
		o.milestonesOf[m.ProjectID] = append(o.milestonesOf[m.ProjectID], m)
	}
	for _, list := range o.milestonesOf {
		slices.SortStableFunc(list, func(a, b *Milestone) int {
			return cmp.Or(a.Planned.From.Compare(b.Planned.From), a.Planned.End().Compare(b.Planned.End()), cmp.Compare(a.ID, b.ID))
		})
	}
	o.IndicatorByID = make(map[uint64]*Indicator, len(o.indicators))
	o.indicatorsOf = map[uint64][]*Indicator{}
	for i := range o.indicators {
		ind := &o.indicators[i]
		o.IndicatorByID[ind.ID] = ind
		o.indicatorsOf[ind.ProjectID] = append(o.indicatorsOf[ind.ProjectID], ind)
	}
}

// MilestonesOf are a project's milestones in planned order.
func (o *Org) MilestonesOf(projectID uint64) []*Milestone { return o.milestonesOf[projectID] }

// IndicatorsOf are a project's indicators in the order they were added.
func (o *Org) IndicatorsOf(projectID uint64) []*Indicator { return o.indicatorsOf[projectID] }

// Project returns one project.
func (s *Store) Project(id uint64) (*Project, error) { return one[Project](s, kindProject, id) }

// Milestone returns one milestone.
func (s *Store) Milestone(id uint64) (*Milestone, error) { return one[Milestone](s, kindMilestone, id) }

// Indicator returns one indicator.
func (s *Store) Indicator(id uint64) (*Indicator, error) { return one[Indicator](s, kindIndicator, id) }

// checkRefs refuses a unit or person that does not exist.
func checkRefs(tx *bolt.Tx, unitField string, unitID uint64, personField string, personID uint64) error {
	var v ValidationError
	if unitID != 0 && tx.Bucket(bucketUnits).Get(itob(unitID)) == nil {
		v.Add(unitField, "error.invalid_choice")
	}
	if personID != 0 && tx.Bucket(bucketStaff).Get(itob(personID)) == nil {
		v.Add(personField, "error.invalid_choice")
	}
	return v.Err()
}

// SaveProject creates (ID 0) or updates a project. A settled project is
// frozen: only ReopenProject changes it.
func (s *Store) SaveProject(a Actor, p *Project, version int) error {
	if err := p.ValidateOn(s.Today()); err != nil {
		return err
	}
	return s.updateOrg(func(tx *bolt.Tx) error {
		if err := checkRefs(tx, "unit", p.UnitID, "coordinator", p.CoordinatorID); err != nil {
			return err
		}
		if p.ID == 0 {
			if tx.Bucket(bucketProjects).Stats().KeyN >= MaxProjects {
				return Errorf(EConflict, "error.too_many_projects")
			}
			p.Reopenings = nil
			return insert(s, tx, a, kindProject, p)
		}
		old, err := get[Project](tx, kindProject, p.ID)
		if err != nil {
			return err
		}
		if old.Frozen() {
			return Errorf(EConflict, "error.project_settled")
		}
		if err := statusChange(old.Status, p.Status); err != nil {
			return err
		}
		p.Reopenings = old.Reopenings // kept by ReopenProject only
		return replace(s, tx, a, kindProject, p, version, ActionUpdate)
	})
}

// statusChange refuses a step back in a project's life: once it has run it
// is never "planned" again (only a planned project may be deleted), and a
// finished one goes back to work only when an administrator reopens it —
// nothing of a closed project may be deleted by changing its status.
func statusChange(from, to ProjectStatus) error {
	switch {
	case from == to:
		return nil
	case to == ProjectPlanned:
		var v ValidationError
		v.Add("status", "error.project_back_to_planned")
		return &v
	case from == ProjectFinished && to == ProjectRunning:
		var v ValidationError
		v.Add("status", "error.project_reopen_needed")
		return &v
	}
	return nil
}

// ReopenProject takes a closed project a step back — a settled one to
// finished, a finished one to running — recording who and why; the
// handler lets only administrators ask.
func (s *Store) ReopenProject(a Actor, id uint64, version int, reason string) error {
	reason = strings.TrimSpace(CleanText(reason))
	var v ValidationError
	requireText(&v, "reason", reason, maxReasonLen)
	if err := v.Err(); err != nil {
		return err
	}
	return s.updateOrg(func(tx *bolt.Tx) error {
		p, err := get[Project](tx, kindProject, id)
		if err != nil {
			return err
		}
		if !p.Closed() {
			return Errorf(EConflict, "error.project_not_closed")
		}
		if len(p.Reopenings) >= MaxReopenings {
			return Errorf(EConflict, "error.too_many_reopenings")
		}
		p.Status = map[ProjectStatus]ProjectStatus{ProjectSettled: ProjectFinished, ProjectFinished: ProjectRunning}[p.Status]
		// The acceptance no longer holds; the retention date, set by the
		// agreement, still does.
		p.SettledOn = time.Time{}
		p.Reopenings = append(p.Reopenings, Reopening{At: s.now().UTC(), UserID: a.UserID, Login: a.Login, Reason: reason})
		return replace(s, tx, a, kindProject, p, version, ActionReopen)
	})
}

// ActionReopen is the audit action of reopening a settled project.
const ActionReopen = "reopen"

// DeleteProject removes a project entered by mistake, with its milestones
// and indicators; only a planned project goes: one that has run keeps its
// record (change its status instead).
func (s *Store) DeleteProject(a Actor, id uint64, version int) error {
	return s.updateOrg(func(tx *bolt.Tx) error {
		p, err := get[Project](tx, kindProject, id)
		if err != nil {
			return err
		}
		if p.Status != ProjectPlanned {
			return Errorf(EConflict, "error.project_not_deletable")
		}
		if err := remove[Project](s, tx, a, kindProject, id, version); err != nil {
			return err
		}
		for _, k := range []kind{kindMilestone, kindIndicator} {
			ids, err := idsOf(tx, k, id)
			if err != nil {
				return err
			}
			for _, child := range ids {
				if k.entity == kindMilestone.entity {
					err = remove[Milestone](s, tx, a, kindMilestone, child, 0)
				} else {
					err = remove[Indicator](s, tx, a, kindIndicator, child, 0)
				}
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// projectOf reads the project a stored milestone or indicator belongs to.
func projectOf(data []byte) (uint64, error) {
	var v struct {
		ProjectID uint64 `json:"project_id"`
	}
	err := json.Unmarshal(data, &v)
	return v.ProjectID, err
}

// idsOf lists the parts of a kind (milestones, indicators) that belong to
// a project, from the kind's index.
func idsOf(tx *bolt.Tx, k kind, project uint64) ([]uint64, error) {
	var ids []uint64
	prefix := itob(project)
	c := tx.Bucket(k.byProject).Cursor()
	for key, _ := c.Seek(prefix); key != nil && bytes.HasPrefix(key, prefix); key, _ = c.Next() {
		ids = append(ids, btoi(key[8:]))
	}
	return ids, nil
}

// openProject reads the project a milestone or indicator belongs to and
// refuses a change to a settled one (or a deletion from a closed one).
func openProject(tx *bolt.Tx, id uint64, deleting bool) (*Project, error) {
	p, err := get[Project](tx, kindProject, id)
	if err != nil {
		var v ValidationError
		v.Add("project", "error.invalid_choice")
		return nil, &v
	}
	switch {
	case p.Frozen():
		return nil, Errorf(EConflict, "error.project_settled")
	case deleting && p.Closed():
		return nil, Errorf(EConflict, "error.project_closed_delete")
	}
	return p, nil
}

// SaveMilestone creates (ID 0) or updates a milestone. Its planned date
// is set when it is created (and becomes the baseline); later it moves
// only by ReplanMilestone.
func (s *Store) SaveMilestone(a Actor, m *Milestone, version int) error {
	if m.ID == 0 {
		m.Baseline, m.Replans = m.Planned.normal(), nil
	}
	if err := m.Validate(); err != nil {
		return err
	}
	return s.updateOrg(func(tx *bolt.Tx) error {
		if _, err := openProject(tx, m.ProjectID, false); err != nil {
			return err
		}
		if err := checkRefs(tx, "unit", m.UnitID, "", 0); err != nil {
			return err
		}
		if m.ID == 0 {
			ids, err := idsOf(tx, kindMilestone, m.ProjectID)
			if err != nil {
				return err
			}
			if len(ids) >= MaxMilestones {
				return Errorf(EConflict, "error.too_many_milestones")
			}
			return insert(s, tx, a, kindMilestone, m)
		}
		old, err := get[Milestone](tx, kindMilestone, m.ID)
		if err != nil {
			return err
		}
		m.ProjectID, m.Planned, m.Baseline, m.Replans = old.ProjectID, old.Planned, old.Baseline, old.Replans
		return replace(s, tx, a, kindMilestone, m, version, ActionUpdate)
	})
}

// ActionReplan is the audit action of moving a milestone's planned date.
const ActionReplan = "replan"

// ReplanMilestone moves a milestone's planned date, with a reason.
func (s *Store) ReplanMilestone(a Actor, id uint64, version int, to Period, reason string) error {
	return s.updateOrg(func(tx *bolt.Tx) error {
		m, err := get[Milestone](tx, kindMilestone, id)
		if err != nil {
			return err
		}
		if _, err := openProject(tx, m.ProjectID, false); err != nil {
			return err
		}
		if version != m.Version {
			return &ConflictError{Entity: kindMilestone.entity, ID: id, Current: m}
		}
		if err := m.Replan(a, s.now(), to, reason); err != nil {
			return err
		}
		return replace(s, tx, a, kindMilestone, m, version, ActionReplan)
	})
}

// DeleteMilestone removes a milestone of a project that has not ended.
func (s *Store) DeleteMilestone(a Actor, id uint64, version int) error {
	return s.updateOrg(func(tx *bolt.Tx) error {
		m, err := get[Milestone](tx, kindMilestone, id)
		if err != nil {
			return err
		}
		if _, err := openProject(tx, m.ProjectID, true); err != nil {
			return err
		}
		return remove[Milestone](s, tx, a, kindMilestone, id, version)
	})
}

// SaveIndicator creates (ID 0) or updates an indicator's definition; its
// readings change by AddMeasurement and RemoveMeasurement.
func (s *Store) SaveIndicator(a Actor, ind *Indicator, version int) error {
	if ind.ID == 0 {
		ind.Measurements = nil
	}
	if err := ind.Validate(); err != nil {
		return err
	}
	return s.updateOrg(func(tx *bolt.Tx) error {
		if _, err := openProject(tx, ind.ProjectID, false); err != nil {
			return err
		}
		if err := checkIndicatorCourses(tx, ind); err != nil {
			return err
		}
		if ind.ID == 0 {
			ids, err := idsOf(tx, kindIndicator, ind.ProjectID)
			if err != nil {
				return err
			}
			if len(ids) >= MaxIndicators {
				return Errorf(EConflict, "error.too_many_indicators")
			}
			return insert(s, tx, a, kindIndicator, ind)
		}
		old, err := get[Indicator](tx, kindIndicator, ind.ID)
		if err != nil {
			return err
		}
		// Readings entered by hand are kept when the indicator is computed
		// from the schedule: switching back finds them again.
		ind.ProjectID, ind.Measurements = old.ProjectID, old.Measurements
		return replace(s, tx, a, kindIndicator, ind, version, ActionUpdate)
	})
}

// changeIndicator applies change to the stored indicator of version;
// deleting refuses it in a closed project too.
func (s *Store) changeIndicator(a Actor, id uint64, version int, deleting bool, change func(*Indicator) error) error {
	return s.updateOrg(func(tx *bolt.Tx) error {
		ind, err := get[Indicator](tx, kindIndicator, id)
		if err != nil {
			return err
		}
		if _, err := openProject(tx, ind.ProjectID, deleting); err != nil {
			return err
		}
		if version != ind.Version {
			return &ConflictError{Entity: kindIndicator.entity, ID: id, Current: ind}
		}
		if err := change(ind); err != nil {
			return err
		}
		return replace(s, tx, a, kindIndicator, ind, version, ActionUpdate)
	})
}

// AddMeasurement records the value an indicator reached on a day.
func (s *Store) AddMeasurement(a Actor, id uint64, version int, m Measurement) error {
	today := s.Today()
	return s.changeIndicator(a, id, version, false, func(ind *Indicator) error {
		if ind.Computed() {
			return Errorf(EConflict, "error.indicator_computed")
		}
		return ind.Measure(m, today)
	})
}

// RemoveMeasurement deletes the reading of a day (a wrong entry) of a
// project that has not ended.
func (s *Store) RemoveMeasurement(a Actor, id uint64, version int, day time.Time) error {
	return s.changeIndicator(a, id, version, true, func(ind *Indicator) error {
		n := len(ind.Measurements)
		ind.Measurements = slices.DeleteFunc(ind.Measurements, func(m Measurement) bool { return m.Date.Equal(Day(day)) })
		if len(ind.Measurements) == n {
			return ErrNotFound
		}
		return nil
	})
}

// DeleteIndicator removes an indicator of a project that has not ended.
func (s *Store) DeleteIndicator(a Actor, id uint64, version int) error {
	return s.updateOrg(func(tx *bolt.Tx) error {
		ind, err := get[Indicator](tx, kindIndicator, id)
		if err != nil {
			return err
		}
		if _, err := openProject(tx, ind.ProjectID, true); err != nil {
			return err
		}
		return remove[Indicator](s, tx, a, kindIndicator, id, version)
	})
}

// namedByProjects reports whether a project or milestone names the unit
// (as responsible) or the person (as coordinator): deleting them would
// leave a project, perhaps a settled one, pointing at nothing.
func namedByProjects(tx *bolt.Tx, unit, person uint64) (bool, error) {
	var refs struct {
		UnitID        uint64 `json:"unit_id"`
		CoordinatorID uint64 `json:"coordinator_id"`
	}
	for _, b := range [][]byte{bucketProjects, bucketMilestones} {
		c := tx.Bucket(b).Cursor()
		for k, data := c.First(); k != nil; k, data = c.Next() {
			refs.UnitID, refs.CoordinatorID = 0, 0
			if err := json.Unmarshal(data, &refs); err != nil {
				return false, err
			}
			if (unit != 0 && refs.UnitID == unit) || (person != 0 && refs.CoordinatorID == person) {
				return true, nil
			}
		}
	}
	return false, nil
}
