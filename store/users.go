package store

import (
	"encoding/json"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Role is what a user may do. The HTTP layer's route table names the roles
// allowed on each route.
type Role string

const (
	RoleAdmin       Role = "admin"
	RoleCoordinator Role = "coordinator"
	RoleTrainer     Role = "trainer"
	RoleMonitoring  Role = "monitoring"
	RoleStaff       Role = "staff"
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleCoordinator, RoleTrainer, RoleMonitoring, RoleStaff}

// ParseRole accepts a role name; ok is false for anything else.
func ParseRole(s string) (Role, bool) {
	for _, r := range Roles {
		if string(r) == strings.TrimSpace(strings.ToLower(s)) {
			return r, true
		}
	}
	return "", false
}

// User is an account that can sign in.
type User struct {
	ID    uint64 `json:"id"`
	Login string `json:"login"`
	Name  string `json:"name"`
	// Roles are every role the person holds (one who also trains holds
	// trainer too), in the order of Roles; a route accepts any of them.
	Roles  []Role `json:"roles"`
	Active bool   `json:"active"`
	// Expires is the last day the account works (external trainers,
	// contract staff); zero is no end of its own.
	Expires time.Time `json:"expires,omitzero"`
	// External marks a trainer or supervisor from outside the centre: the
	// account sees only what concerns them and must expire.
	External     bool   `json:"external,omitempty"`
	Organisation string `json:"organisation,omitempty"` // whom an external person comes from
	// Reactivated is the day an administrator last switched the ended
	// account on again. WaivedEnd is the linked person's last day of work
	// that reactivation set aside: that end no longer ends the account, but
	// any other one (recorded later, or changed) does.
	Reactivated  time.Time `json:"reactivated,omitzero"`
	WaivedEnd    time.Time `json:"waived_end,omitzero"`
	Demo         bool      `json:"demo,omitempty"`
	Lang         string    `json:"lang,omitempty"`
	PasswordHash string    `json:"password_hash"`
	Created      time.Time `json:"created"`
	Updated      time.Time `json:"updated"`
	Version      int       `json:"version"`
}

// MaxOrganisationLen bounds an external person's organisation.
const MaxOrganisationLen = 200

// Has reports whether the account holds the role. It takes a copy so that
// templates can ask it of any User value.
func (u User) Has(r Role) bool { return slices.Contains(u.Roles, r) }

// SortRoles puts roles in the order of Roles and drops repeats, so that a
// set is stored, compared and shown one way whatever order it was ticked in.
// Unknown roles are kept (after the known ones) for Validate to refuse.
func SortRoles(rs []Role) []Role {
	out := make([]Role, 0, len(rs))
	for _, r := range Roles {
		if slices.Contains(rs, r) {
			out = append(out, r)
		}
	}
	for _, r := range rs {
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// ParseRoles reads a comma-separated set of role names ("coordinator,trainer");
// ok is false when a name is not a role.
func ParseRoles(s string) ([]Role, bool) {
	var out []Role
	for _, name := range strings.Split(s, ",") {
		if strings.TrimSpace(name) == "" {
			continue
		}
		r, ok := ParseRole(name)
		if !ok {
			return nil, false
		}
		out = append(out, r)
	}
	return SortRoles(out), true
}

var loginPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,39}$`)

// NormalizeLogin is how logins are compared and stored: trimmed, lower case.
func NormalizeLogin(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Validate checks the fields a person types in.
func (u *User) Validate() error {
	var v ValidationError
	u.Name = CleanText(u.Name)
	if !loginPattern.MatchString(u.Login) {
		v.Add("login", "error.login_format")
	}
	u.Organisation = strings.TrimSpace(CleanText(u.Organisation))
	u.Expires, u.Reactivated, u.WaivedEnd = Day(u.Expires), Day(u.Reactivated), Day(u.WaivedEnd)
	requireText(&v, "name", u.Name, 120)
	if u.Lang != "" && len(u.Lang) > 8 {
		v.Add("lang", "error.invalid_choice")
	}
	u.Roles = SortRoles(u.Roles)
	if len(u.Roles) == 0 {
		v.Add("roles", "error.roles_required")
	}
	for _, r := range u.Roles {
		if !slices.Contains(Roles, r) {
			v.Add("roles", "error.role")
		}
	}
	limitText(&v, "organisation", u.Organisation, MaxOrganisationLen)
	if u.External {
		// Someone from outside is let in for their sessions only, and only
		// for as long as their contract runs.
		if len(u.Roles) > 0 && (len(u.Roles) != 1 || u.Roles[0] != RoleTrainer) {
			v.Add("roles", "error.external_role")
		}
		if u.Expires.IsZero() {
			v.Add("expires", "error.external_expiry")
		}
	}
	return v.Err()
}

// CreateUser adds an account with an already hashed password.
func (s *Store) CreateUser(a Actor, u *User) error {
	if err := s.updateOrg(func(tx *bolt.Tx) error { return s.createUser(tx, a, u) }); err != nil {
		return err
	}
	return s.refreshDemo()
}

func (s *Store) createUser(tx *bolt.Tx, a Actor, u *User) error {
	u.Login = NormalizeLogin(u.Login)
	u.Name = strings.TrimSpace(u.Name)
	if err := u.Validate(); err != nil {
		return err
	}
	idx := tx.Bucket(bucketUsersLogin)
	if idx.Get([]byte(u.Login)) != nil {
		v := ValidationError{}
		v.Add("login", "error.login_taken")
		return &v
	}
	b := tx.Bucket(bucketUsers)
	id, err := nextID(b)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	u.ID, u.Created, u.Updated, u.Version = id, now, now, 1
	if err := putJSON(b, itob(id), u); err != nil {
		return err
	}
	if err := idx.Put([]byte(u.Login), itob(id)); err != nil {
		return err
	}
	return s.audit(tx, a, "user", id, ActionCreate, Diff(nil, u))
}

// User returns the account with that ID.
func (s *Store) User(id uint64) (*User, error) {
	var u User
	err := s.db.View(func(tx *bolt.Tx) error { return getJSON(tx.Bucket(bucketUsers), itob(id), &u) })
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// UserByLogin returns the account with that login.
func (s *Store) UserByLogin(login string) (*User, error) {
	var u User
	err := s.db.View(func(tx *bolt.Tx) error {
		id := tx.Bucket(bucketUsersLogin).Get([]byte(NormalizeLogin(login)))
		if id == nil {
			return ErrNotFound
		}
		return getJSON(tx.Bucket(bucketUsers), id, &u)
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// Users lists all accounts sorted by login.
func (s *Store) Users() ([]User, error) {
	var out []User
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketUsers).ForEach(func(_, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Login < out[j].Login })
	return out, err
}

// UpdateUser applies change to the stored account if it still has version;
// otherwise it returns a *ConflictError with the stored account. Version 0
// skips the check (for changes a person does not base on a form they read).
// A deactivated account loses its sessions in the same transaction.
func (s *Store) UpdateUser(a Actor, id uint64, version int, action string, change func(u *User) error) (*User, error) {
	var out User
	// Pages kept between requests show account names (the audit log).
	err := s.updateOrg(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		old, err := userAt(tx, id, version)
		if err != nil {
			return err
		}
		u := old
		if err := change(&u); err != nil {
			return err
		}
		u.ID, u.Login, u.Created = old.ID, old.Login, old.Created
		u.Name = strings.TrimSpace(u.Name)
		if err := u.Validate(); err != nil {
			return err
		}
		u.Version = old.Version + 1
		u.Updated = s.now().UTC()
		if err := putJSON(b, itob(id), &u); err != nil {
			return err
		}
		// An account that stops working (deactivated, or given an expiry
		// already past) or a new password ends every session at once.
		p, err := linkedPerson(tx, id)
		if err != nil {
			return err
		}
		today := Day(s.now())
		if (AccountStateOn(&old, p, today).Active() && !AccountStateOn(&u, p, today).Active()) || action == ActionPassword {
			if err := s.endUserSessions(tx, id); err != nil {
				return err
			}
		}
		out = u
		return s.audit(tx, a, "user", id, action, Diff(&old, &u))
	})
	if err != nil {
		return nil, err
	}
	return &out, s.refreshDemo()
}

// userAt reads an account for a change based on version (0: any); a
// *ConflictError when it has changed since.
func userAt(tx *bolt.Tx, id uint64, version int) (User, error) {
	var u User
	if err := getJSON(tx.Bucket(bucketUsers), itob(id), &u); err != nil {
		return u, err
	}
	if version != 0 && u.Version != version {
		return u, &ConflictError{Entity: "user", ID: id, Current: &u}
	}
	return u, nil
}

// DemoMode reports whether demo accounts exist.
func (s *Store) DemoMode() bool { return s.demo.Load() }

func (s *Store) refreshDemo() error {
	demo := false
	err := s.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		if b == nil {
			return nil
		}
		return b.ForEach(func(_, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			demo = demo || (u.Demo && u.Active)
			return nil
		})
	})
	s.demo.Store(demo)
	return err
}

// UserCount is the number of accounts.
func (s *Store) UserCount() int {
	n := 0
	_ = s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucketUsers); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	return n
}

// ErrNoOtherAdmin means the demo accounts cannot be switched off yet: no
// active administrator account of the centre's own would remain.
var ErrNoOtherAdmin = Errorf(EConflict, "error.demo_no_admin")

// DisableDemoAccounts deactivates every demo account in one transaction,
// ending their sessions, each change in the audit log. An active
// administrator account that is not a demo one must exist first, so that
// no one is locked out. It returns how many accounts it deactivated.
func (s *Store) DisableDemoAccounts(a Actor) (int, error) {
	n := 0
	err := s.updateOrg(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		var demo, others []User
		if err := b.ForEach(func(_, v []byte) error {
			var u User
			if err := json.Unmarshal(v, &u); err != nil {
				return err
			}
			switch {
			case u.Demo && u.Active:
				demo = append(demo, u)
			case !u.Demo && u.Active && u.Has(RoleAdmin):
				others = append(others, u)
			}
			return nil
		}); err != nil {
			return err
		}
		// An administrator whose account has ended cannot sign in either.
		admin := false
		for i := range others {
			p, err := linkedPerson(tx, others[i].ID)
			if err != nil {
				return err
			}
			admin = admin || AccountStateOn(&others[i], p, Day(s.now())).Active()
		}
		if !admin {
			return ErrNoOtherAdmin
		}
		for _, old := range demo {
			u := old
			u.Active, u.Version, u.Updated = false, old.Version+1, s.now().UTC()
			if err := putJSON(b, itob(u.ID), &u); err != nil {
				return err
			}
			if err := s.endUserSessions(tx, u.ID); err != nil {
				return err
			}
			if err := s.audit(tx, a, "user", u.ID, ActionUpdate, Diff(&old, &u)); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, s.refreshDemo()
}
