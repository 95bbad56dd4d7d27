package store

import (
	"cmp"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Staff is a person who works at the centre.
type Staff struct {
	Meta
	FirstName    string    `json:"first_name"`
	LastName     string    `json:"last_name"`
	LocationID   uint64    `json:"location_id,omitempty"`
	Room         string    `json:"room,omitempty"`
	Phones       []string  `json:"phones,omitempty"`
	Email        string    `json:"email,omitempty"`
	EmployedFrom time.Time `json:"employed_from,omitzero"`
	EmployedTo   time.Time `json:"employed_to,omitzero"` // last day of work
	UserID       uint64    `json:"user_id,omitempty"`
	// Assignments say where the person worked and as what, over time,
	// ordered by their first day; LastAssignment is the last ID given.
	Assignments    []Assignment `json:"assignments"`
	LastAssignment int          `json:"last_assignment,omitempty"`
}

var kindStaff = kind{entity: "staff", bucket: bucketStaff}

// FullName is "First Last".
func (p *Staff) FullName() string { return strings.TrimSpace(p.FirstName + " " + p.LastName) }

// EmployedOn reports whether the person works at the centre on day.
func (p *Staff) EmployedOn(day time.Time) bool {
	return within(Day(day), p.EmployedFrom, p.EmployedTo)
}

// Validate checks and tidies a person's fields.
func (p *Staff) Validate() error {
	var v ValidationError
	tidy(p)
	p.FirstName, p.LastName = strings.TrimSpace(p.FirstName), strings.TrimSpace(p.LastName)
	p.Room, p.Email = strings.TrimSpace(p.Room), strings.TrimSpace(p.Email)
	p.EmployedFrom, p.EmployedTo = Day(p.EmployedFrom), Day(p.EmployedTo)
	requireText(&v, "first_name", p.FirstName, 60)
	requireText(&v, "last_name", p.LastName, 80)
	limitText(&v, "room", p.Room, 40)
	validEmail(&v, "email", p.Email)
	validPhones(&v, "phones", p.Phones)
	// Head counts and the structure as of a day rest on it: a person with
	// no start would count nowhere, or everywhere.
	if p.EmployedFrom.IsZero() {
		v.Add("employed_from", "error.date_required")
	}
	if !p.EmployedFrom.IsZero() && !p.EmployedTo.IsZero() && p.EmployedTo.Before(p.EmployedFrom) {
		v.Add("employed_to", "error.until_before_from")
	}
	p.validateAssignments(&v)
	return v.Err()
}

// unitReader reads units within one transaction, each at most once: an
// import checks thousands of people against the same few units.
type unitReader struct {
	tx   *bolt.Tx
	seen map[uint64]*Unit
}

func (r *unitReader) unit(id uint64) (*Unit, error) {
	if u, ok := r.seen[id]; ok {
		return u, nil
	}
	u, err := get[Unit](r.tx, kindUnit, id)
	if err != nil {
		return nil, err
	}
	if r.seen == nil {
		r.seen = map[uint64]*Unit{}
	}
	r.seen[id] = u
	return u, nil
}

// checkRefs verifies that the units, categories, location and account
// exist.
func (p *Staff) checkRefs(tx *bolt.Tx, units *unitReader, v *ValidationError) {
	p.checkAssignmentRefs(tx, units, v)
	if p.LocationID != 0 && tx.Bucket(bucketLocations).Get(itob(p.LocationID)) == nil {
		v.Add("location", "error.invalid_choice")
	}
	if p.UserID != 0 && tx.Bucket(bucketUsers).Get(itob(p.UserID)) == nil {
		v.Add("user", "error.invalid_choice")
	}
}

// People lists every staff member, former ones included.
func (s *Store) People() ([]Staff, error) { return every[Staff](s, kindStaff) }

// Person returns one staff member.
func (s *Store) Person(id uint64) (*Staff, error) { return one[Staff](s, kindStaff, id) }

// PersonOfUser is the staff member linked to an account, if any.
func (s *Store) PersonOfUser(userID uint64) (*Staff, error) {
	var out *Staff
	err := s.db.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketStaffUser).Get(itob(userID))
		if id == nil {
			return ErrNotFound
		}
		var err error
		out, err = get[Staff](tx, kindStaff, btoi(id))
		return err
	})
	return out, err
}

// SavePerson creates (ID 0) or updates a staff member.
func (s *Store) SavePerson(a Actor, p *Staff, version int) error {
	return s.updateOrg(func(tx *bolt.Tx) error { return s.savePerson(tx, &unitReader{tx: tx}, a, p, version, ActionUpdate) })
}

// UpdatePerson applies change to the stored person if it still has
// version (a *ConflictError otherwise), checks the result as SavePerson
// does and records it under action: a move and a correction of an
// assignment are told apart in the audit log.
func (s *Store) UpdatePerson(a Actor, id uint64, version int, action string, change func(p *Staff) error) (*Staff, error) {
	var out *Staff
	err := s.updateOrg(func(tx *bolt.Tx) error {
		p, err := get[Staff](tx, kindStaff, id)
		if err != nil {
			return err
		}
		if version != 0 && p.Version != version {
			return &ConflictError{Entity: kindStaff.entity, ID: id, Current: p}
		}
		if err := change(p); err != nil {
			return err
		}
		out = p
		return s.savePerson(tx, &unitReader{tx: tx}, a, p, p.Version, action)
	})
	return out, err
}

// savePerson checks and stores a person, new (ID 0) or changed since
// version, under action.
func (s *Store) savePerson(tx *bolt.Tx, units *unitReader, a Actor, p *Staff, version int, action string) error {
	var v ValidationError
	if err := p.Validate(); err != nil {
		v = *err.(*ValidationError)
	}
	p.checkRefs(tx, units, &v)
	idx := tx.Bucket(bucketStaffUser)
	if p.UserID != 0 {
		if other := idx.Get(itob(p.UserID)); other != nil && btoi(other) != p.ID {
			v.Add("user", "error.account_linked")
		}
	}
	if err := v.Err(); err != nil {
		return err
	}
	var err error
	if p.ID == 0 {
		err = insert(s, tx, a, kindStaff, p)
	} else {
		err = replace(s, tx, a, kindStaff, p, version, action)
	}
	if err != nil {
		return err
	}
	return reindexUser(idx, p.ID, p.UserID)
}

// reindexUser points the account index at the person's current account.
func reindexUser(idx *bolt.Bucket, personID, userID uint64) error {
	var stale [][]byte
	_ = idx.ForEach(func(k, v []byte) error {
		if btoi(v) == personID && btoi(k) != userID {
			stale = append(stale, append([]byte(nil), k...))
		}
		return nil
	})
	for _, k := range stale {
		if err := idx.Delete(k); err != nil {
			return err
		}
	}
	if userID == 0 {
		return nil
	}
	return idx.Put(itob(userID), itob(personID))
}

// ImportPeople adds all the people or none: the first invalid one aborts
// the whole transaction. It returns the row (0-based) that failed.
func (s *Store) ImportPeople(a Actor, people []Staff) (failed int, err error) {
	failed = -1
	err = s.updateOrg(func(tx *bolt.Tx) error {
		units := &unitReader{tx: tx}
		for i := range people {
			people[i].ID = 0
			if err := s.savePerson(tx, units, a, &people[i], 0, ActionCreate); err != nil {
				failed = i
				return err
			}
		}
		return nil
	})
	return failed, err
}

// DeletePerson removes a record entered by mistake. People who leave keep
// their record with the last day of work, so that history stays true.
func (s *Store) DeletePerson(a Actor, id uint64, version int) error {
	return s.updateOrg(func(tx *bolt.Tx) error {
		head, err := anyUnitState(tx, func(st UnitState) bool { return st.HeadID == id })
		if err != nil {
			return err
		}
		if head {
			return Errorf(EConflict, "error.person_is_head")
		}
		if used, err := namedByProjects(tx, 0, id); err != nil || used {
			return cmp.Or(err, error(Errorf(EConflict, "error.person_in_projects")))
		}
		if err := remove[Staff](s, tx, a, kindStaff, id, version); err != nil {
			return err
		}
		return reindexUser(tx.Bucket(bucketStaffUser), id, 0)
	})
}
