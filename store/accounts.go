package store

import (
	"errors"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// AccountStatus says whether an account can sign in, and if not, why.
type AccountStatus string

const (
	AccountActive          AccountStatus = "active"
	AccountDeactivated     AccountStatus = "deactivated"      // switched off by an administrator
	AccountExpired         AccountStatus = "expired"          // past its own last day
	AccountEmploymentEnded AccountStatus = "employment_ended" // past the linked person's last day of work
)

// AccountState is an account's status on a day; On is the last day the
// account worked when it has expired or the employment has ended.
type AccountState struct {
	Status AccountStatus
	On     time.Time
}

// Active reports whether the account can sign in.
func (a AccountState) Active() bool { return a.Status == AccountActive }

// Message is the message ID that tells the account's owner why they cannot
// sign in (with the day as Date), or "" for an active account.
func (a AccountState) Message() string {
	switch a.Status {
	case AccountDeactivated:
		return "auth.account_deactivated"
	case AccountExpired:
		return "auth.account_expired"
	case AccountEmploymentEnded:
		return "auth.employment_ended"
	}
	return ""
}

// ParseAccountStatus reads a status name; ok is false for anything else.
func ParseAccountStatus(s string) (AccountStatus, bool) {
	for _, x := range []AccountStatus{AccountActive, AccountDeactivated, AccountExpired, AccountEmploymentEnded} {
		if string(x) == s {
			return x, true
		}
	}
	return "", false
}

// AccountStateOn decides whether account u can sign in on day; p is the
// person linked to it (nil when none). An account stops working after its
// own last day, and after the linked person's last day of work unless a
// reactivation set that very day aside (a different end, recorded later or
// changed, applies again). When both have passed, the earlier one is why.
func AccountStateOn(u *User, p *Staff, day time.Time) AccountState {
	day = Day(day)
	if !u.Active {
		return AccountState{Status: AccountDeactivated}
	}
	var out AccountState
	if p != nil && !p.EmployedTo.IsZero() && !p.EmployedTo.Equal(u.WaivedEnd) && day.After(p.EmployedTo) {
		out = AccountState{Status: AccountEmploymentEnded, On: p.EmployedTo}
	}
	if !u.Expires.IsZero() && day.After(u.Expires) && (out.Status == "" || u.Expires.Before(out.On)) {
		out = AccountState{Status: AccountExpired, On: u.Expires}
	}
	if out.Status == "" {
		out.Status = AccountActive
	}
	return out
}

// linkedPerson is the staff member linked to an account, or nil.
func linkedPerson(tx *bolt.Tx, userID uint64) (*Staff, error) {
	id := tx.Bucket(bucketStaffUser).Get(itob(userID))
	if id == nil {
		return nil, nil
	}
	p, err := get[Staff](tx, kindStaff, btoi(id))
	if errors.Is(err, ErrNotFound) {
		return nil, nil // a dangling index entry (check reports it) ends no account
	}
	return p, err
}

// SignInState reads an account and whether it can sign in on day, in one
// read: every signed-in request asks it. Of the linked person only the last
// day of work is decoded, not the record with its assignments; and the
// shared snapshot is not asked, so that a request after a change does not
// wait for it to be rebuilt.
func (s *Store) SignInState(userID uint64, day time.Time) (*User, AccountState, error) {
	var u User
	var st AccountState
	err := s.db.View(func(tx *bolt.Tx) error {
		if err := getJSON(tx.Bucket(bucketUsers), itob(userID), &u); err != nil {
			return err
		}
		var p *Staff
		if id := tx.Bucket(bucketStaffUser).Get(itob(userID)); id != nil {
			var employment struct {
				EmployedTo time.Time `json:"employed_to"`
			}
			switch err := getJSON(tx.Bucket(bucketStaff), id, &employment); {
			case err == nil:
				p = &Staff{EmployedTo: employment.EmployedTo}
			case !errors.Is(err, ErrNotFound): // a dangling index entry (check reports it) ends no account
				return err
			}
		}
		st = AccountStateOn(&u, p, day)
		return nil
	})
	if err != nil {
		return nil, st, err
	}
	return &u, st, nil
}

// UserState is an account with its state on a day.
type UserState struct {
	User
	State AccountState
}

// UsersOn lists all accounts sorted by login, each with its state on day
// (without the password hashes).
func (s *Store) UsersOn(day time.Time) ([]UserState, error) {
	l, err := s.Accounts(day)
	if err != nil {
		return nil, err
	}
	return slices.Clone(l.Users), nil
}

// MaxReasonLen bounds the reason given for reactivating an account.
const MaxReasonLen = 500

// Audit actions of accounts that end.
const (
	// ActionReactivate is an ended account switched on again, with a reason.
	ActionReactivate = "reactivate"
	// ActionLoginRefused is the right password for an account that has ended.
	ActionLoginRefused = "login_refused"
)

// ErrAccountNotEnded means a reactivation of an account that works.
var ErrAccountNotEnded = Errorf(EConflict, "error.account_not_ended")

// ReactivateUser switches an ended account (deactivated, expired, or past
// the linked person's employment) on again from today, with a reason kept
// in the audit log and a new last day (zero for none; required for an
// external account; today or later). The change applies only if the account
// still has version, as the administrator saw it.
func (s *Store) ReactivateUser(a Actor, id uint64, version int, reason string, expires time.Time) (*User, error) {
	var out User
	err := s.updateOrg(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketUsers)
		old, err := userAt(tx, id, version)
		if err != nil {
			return err
		}
		p, err := linkedPerson(tx, id)
		if err != nil {
			return err
		}
		today := Day(s.now())
		state := AccountStateOn(&old, p, today)
		if state.Active() {
			return ErrAccountNotEnded
		}
		var v ValidationError
		reason = strings.TrimSpace(CleanText(reason))
		requireText(&v, "reason", reason, MaxReasonLen)
		u := old
		u.Active, u.Reactivated, u.Expires = true, today, Day(expires)
		if state.Status == AccountEmploymentEnded {
			u.WaivedEnd = state.On // only this end; another one ends it again
		}
		if !u.Expires.IsZero() && u.Expires.Before(today) {
			v.Add("expires", "error.expiry_past")
		}
		var uv *ValidationError
		if err := u.Validate(); errors.As(err, &uv) {
			for f, m := range uv.Fields {
				v.Add(f, m)
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		u.Version, u.Updated = old.Version+1, s.now().UTC()
		if err := putJSON(b, itob(id), &u); err != nil {
			return err
		}
		out = u
		// The reason is no field of the account; it rides along as one so
		// that the log shows why beside what changed.
		changes := append(Diff(&old, &u), Change{Field: "reason", New: clip(reason)})
		return s.audit(tx, a, "user", id, ActionReactivate, changes)
	})
	if err != nil {
		return nil, err
	}
	return &out, s.refreshDemo()
}

// migrateRoles turns each account's one role into a set of roles (8).
func migrateRoles(s *Store, tx *bolt.Tx) error {
	return s.rewrite(tx, kind{entity: "user", bucket: bucketUsers}, func(old map[string]any) map[string]any {
		role, had := old["role"]
		if !had {
			return nil // written as a set already
		}
		cur := make(map[string]any, len(old))
		for f, x := range old {
			cur[f] = x
		}
		delete(cur, "role")
		if _, set := cur["roles"]; !set {
			if r, _ := role.(string); r != "" {
				cur["roles"] = []any{r}
			} else {
				cur["roles"] = []any{}
			}
		}
		return cur
	})
}
