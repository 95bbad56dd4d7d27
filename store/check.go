package store

import (
	"encoding/json"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Check reads the whole database and lists every inconsistency it finds:
// records that do not decode or would not pass validation today, references
// to records that do not exist, and index entries that disagree with the
// records. An empty list means the database is consistent. It is for
// operators (after a restore, of a generated database) and tests, not for
// page views: it reads everything.
func (s *Store) Check() ([]string, error) {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	err := s.db.View(func(tx *bolt.Tx) error {
		// A read-only check does not migrate: an older file lacks buckets
		// this binary would look in.
		if v := schemaOf(tx); v < uint64(SchemaVersion()) {
			add("schema %d is older than this binary's %d: open it once with `intranet serve` (or restore it) to bring it up to date, then check again", v, SchemaVersion())
			return nil
		}
		exists := func(b []byte, id uint64) bool { return id != 0 && tx.Bucket(b).Get(itob(id)) != nil }
		logins := tx.Bucket(bucketUsersLogin)
		if err := tx.Bucket(bucketUsers).ForEach(func(k, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				add("user %d: %v", btoi(k), err)
				return nil
			}
			if err := u.Validate(); err != nil {
				add("user %d: %v", u.ID, err)
			}
			if id := logins.Get([]byte(u.Login)); id == nil || btoi(id) != u.ID {
				add("user %d: login %q is not indexed to it", u.ID, u.Login)
			}
			return nil
		}); err != nil {
			return err
		}
		if err := logins.ForEach(func(k, v []byte) error {
			if !exists(bucketUsers, btoi(v)) {
				add("login %q points to missing user %d", k, btoi(v))
			}
			return nil
		}); err != nil {
			return err
		}
		units, err := all[Unit](tx, kindUnit)
		if err != nil {
			return err
		}
		for _, u := range units {
			for i, st := range u.States {
				if err := st.Validate(); err != nil {
					add("unit %d state %d: %v", u.ID, i, err)
				}
				if i > 0 && !st.From.After(u.States[i-1].From) {
					add("unit %d: states out of order", u.ID)
				}
				if st.ParentID != 0 && !exists(bucketUnits, st.ParentID) {
					add("unit %d: parent %d missing", u.ID, st.ParentID)
				}
				if st.HeadID != 0 {
					var head Staff
					if getJSON(tx.Bucket(bucketStaff), itob(st.HeadID), &head) != nil {
						add("unit %d: head %d missing", u.ID, st.HeadID)
					} else if !head.EmployedOn(st.From) {
						add("unit %d state %d: head %d not employed on %s", u.ID, i, st.HeadID, st.From.Format("2006-01-02"))
					}
				}
				for _, l := range st.Locations {
					if !exists(bucketLocations, l) {
						add("unit %d: location %d missing", u.ID, l)
					}
				}
			}
		}
		byAccount := tx.Bucket(bucketStaffUser)
		people, err := all[Staff](tx, kindStaff)
		if err != nil {
			return err
		}
		for _, p := range people {
			if err := p.Validate(); err != nil {
				add("staff %d: %v", p.ID, err)
			}
			for _, a := range p.Assignments {
				if !exists(bucketUnits, a.UnitID) {
					add("staff %d: unit %d missing", p.ID, a.UnitID)
				}
				if a.CategoryID != 0 && !exists(bucketCategories, a.CategoryID) {
					add("staff %d: job category %d missing", p.ID, a.CategoryID)
				}
			}
			if p.LocationID != 0 && !exists(bucketLocations, p.LocationID) {
				add("staff %d: location %d missing", p.ID, p.LocationID)
			}
			if p.UserID != 0 {
				if !exists(bucketUsers, p.UserID) {
					add("staff %d: account %d missing", p.ID, p.UserID)
				}
				if id := byAccount.Get(itob(p.UserID)); id == nil || btoi(id) != p.ID {
					add("staff %d: account %d is not indexed to it", p.ID, p.UserID)
				}
			}
		}
		if err := byAccount.ForEach(func(k, v []byte) error {
			var p Staff
			if getJSON(tx.Bucket(bucketStaff), v, &p) != nil || p.UserID != btoi(k) {
				add("account index %d → staff %d disagrees with the record", btoi(k), btoi(v))
			}
			return nil
		}); err != nil {
			return err
		}
		if err := checkValid[Location](tx, kindLocation, add); err != nil {
			return err
		}
		if err := checkProjects(tx, exists, add); err != nil {
			return err
		}
		if err := checkFiles(tx, add); err != nil {
			return err
		}
		if err := checkValid[Note](tx, kindNote, add); err != nil {
			return err
		}
		if err := checkChecklists(tx, s.Today(), exists, add); err != nil {
			return err
		}
		return checkValid[Announcement](tx, kindAnnouncement, add)
	})
	return problems, err
}

// checkValid reports every record of a kind that its own rules refuse today.
func checkValid[T any, P interface {
	record[T]
	Validate() error
}](tx *bolt.Tx, k kind, add func(string, ...any)) error {
	list, err := all[T, P](tx, k)
	if err != nil {
		return err
	}
	for i := range list {
		if err := P(&list[i]).Validate(); err != nil {
			add("%s %d: %v", k.entity, P(&list[i]).meta().ID, err)
		}
	}
	return nil
}

// checkProjects reports projects, milestones and indicators their rules
// refuse, and references to units, people or projects that are gone.
func checkProjects(tx *bolt.Tx, exists func([]byte, uint64) bool, add func(string, ...any)) error {
	projects, err := all[Project](tx, kindProject)
	if err != nil {
		return err
	}
	for _, p := range projects {
		if err := p.Validate(); err != nil {
			add("project %d: %v", p.ID, err)
		}
		if p.UnitID != 0 && !exists(bucketUnits, p.UnitID) {
			add("project %d: unit %d missing", p.ID, p.UnitID)
		}
		if p.CoordinatorID != 0 && !exists(bucketStaff, p.CoordinatorID) {
			add("project %d: coordinator %d missing", p.ID, p.CoordinatorID)
		}
	}
	milestones, err := all[Milestone](tx, kindMilestone)
	if err != nil {
		return err
	}
	for _, m := range milestones {
		if err := m.Validate(); err != nil {
			add("milestone %d: %v", m.ID, err)
		}
		if !exists(bucketProjects, m.ProjectID) {
			add("milestone %d: project %d missing", m.ID, m.ProjectID)
		}
		if m.UnitID != 0 && !exists(bucketUnits, m.UnitID) {
			add("milestone %d: unit %d missing", m.ID, m.UnitID)
		}
	}
	indexed := func(k kind, project, id uint64) {
		if tx.Bucket(k.byProject).Get(partKey(project, id)) == nil {
			add("%s %d: not indexed under project %d", k.entity, id, project)
		}
	}
	for _, m := range milestones {
		indexed(kindMilestone, m.ProjectID, m.ID)
	}
	indicators, err := all[Indicator](tx, kindIndicator)
	if err != nil {
		return err
	}
	for _, ind := range indicators {
		indexed(kindIndicator, ind.ProjectID, ind.ID)
	}
	for _, k := range []kind{kindMilestone, kindIndicator} {
		if err := tx.Bucket(k.byProject).ForEach(func(key, _ []byte) error {
			if len(key) != 16 {
				add("%s index: a key of %d bytes", k.entity, len(key))
				return nil
			}
			data := tx.Bucket(k.bucket).Get(key[8:])
			if project, err := projectOf(data); data == nil || err != nil || project != btoi(key[:8]) {
				add("%s index: %d under project %d disagrees with the record", k.entity, btoi(key[8:]), btoi(key[:8]))
			}
			return nil
		}); err != nil {
			return err
		}
	}
	for _, ind := range indicators {
		if err := ind.Validate(); err != nil {
			add("indicator %d: %v", ind.ID, err)
		}
		if !exists(bucketProjects, ind.ProjectID) {
			add("indicator %d: project %d missing", ind.ID, ind.ProjectID)
		}
	}
	return nil
}
