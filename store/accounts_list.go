package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// AccountList is the account list as an administrator reads it on a day:
// every account in order of login with its state that day, the positions
// of those that work and of those that ended (in all and per role), and the
// text a search looks in. It is made once per change of the accounts or
// the structure (OrgVersion counts both: a person's last day of work ends
// their account) and per day, since a day that passes ends an account
// with no write at all, after its expiry or the person's last day. A
// request then takes a page of positions, whatever the number of accounts.
// It must be treated as read-only.
type AccountList struct {
	Version uint64    // the OrgVersion it was made for: its data is at least that new
	Day     time.Time // the day the states are of
	Users   []UserState
	// Active and Ended count all accounts by state, for the filter.
	Active, Ended int
	lists         map[accountList][]int32 // positions in Users, in order
	// The logins and lower-case names one after another (login \0 name \0),
	// and where each account's text starts: a search is one pass over it.
	corpus []byte
	starts []int
}

// AccountsShown says which accounts a list shows.
type AccountsShown int

const (
	ShowActive AccountsShown = iota // those that can sign in
	ShowEnded                       // deactivated, expired, or past the employment
	ShowAll
)

type accountList struct {
	shown AccountsShown
	role  Role // "" for any
}

// AccountQuery selects accounts; the zero value is every active account.
type AccountQuery struct {
	// Text is found in the login or, ignoring case, the name.
	Text  string
	Role  Role // accounts holding it, among others too; "" for any
	Shown AccountsShown
}

// Find returns the positions in Users of the accounts the query selects,
// in order of login (shared: read-only). Without a text it is a list made
// with the AccountList; a text is looked for in one pass over the logins
// and names, and only the accounts holding it are looked at.
func (l *AccountList) Find(q AccountQuery) []int32 {
	sel := accountList{shown: q.Shown, role: q.Role}
	needle := strings.ToLower(q.Text)
	if needle == "" {
		return l.lists[sel]
	}
	if strings.IndexByte(needle, 0) >= 0 {
		return nil // no login or name holds one (it separates them here)
	}
	var out []int32
	w := []byte(needle)
	for at := 0; at < len(l.corpus); {
		i := bytes.Index(l.corpus[at:], w)
		if i < 0 {
			break
		}
		n := sort.SearchInts(l.starts, at+i+1) - 1 // the account whose text holds the hit
		if u := &l.Users[n]; l.selects(sel, u) {
			out = append(out, int32(n))
		}
		if n+1 >= len(l.starts) {
			break
		}
		at = l.starts[n+1] // the rest of this account adds nothing
	}
	return out
}

func (l *AccountList) selects(sel accountList, u *UserState) bool {
	switch {
	case sel.shown == ShowActive && !u.State.Active(), sel.shown == ShowEnded && u.State.Active():
		return false
	case sel.role != "" && !u.Has(sel.role):
		return false
	}
	return true
}

// Page is the accounts at found[offset:offset+limit].
func (l *AccountList) Page(found []int32, offset, limit int) []UserState {
	idx := window(found, offset, limit)
	out := make([]UserState, len(idx))
	for i, n := range idx {
		out[i] = l.Users[n]
	}
	return out
}

// newAccountList orders the accounts by login and makes the lists of
// each state and role.
func newAccountList(users []UserState) *AccountList {
	slices.SortFunc(users, func(a, b UserState) int { return strings.Compare(a.Login, b.Login) })
	l := &AccountList{Users: users, lists: map[accountList][]int32{}}
	roles := append([]Role{""}, Roles...)
	for i := range users {
		u := &users[i]
		if u.State.Active() {
			l.Active++
		} else {
			l.Ended++
		}
		for _, shown := range []AccountsShown{ShowActive, ShowEnded, ShowAll} {
			for _, r := range roles {
				if sel := (accountList{shown, r}); l.selects(sel, u) {
					l.lists[sel] = append(l.lists[sel], int32(i))
				}
			}
		}
		l.starts = append(l.starts, len(l.corpus))
		l.corpus = append(append(append(append(l.corpus, u.Login...), 0), strings.ToLower(u.Name)...), 0)
	}
	return l
}

type accountsCache struct {
	mu   sync.Mutex
	list *AccountList
}

// Accounts is the account list as of day, made again only after a change
// of the accounts or the structure, or on another day. Requests that come
// while it is made wait for it rather than each making their own.
func (s *Store) Accounts(day time.Time) (*AccountList, error) {
	day = Day(day)
	s.accounts.mu.Lock()
	defer s.accounts.mu.Unlock()
	v := s.org.gen.Load() // before reading: what is read is at least this new
	if l := s.accounts.list; l != nil && l.Version == v && l.Day.Equal(day) {
		return l, nil
	}
	var users []UserState
	err := s.db.View(func(tx *bolt.Tx) error {
		staff, byAccount := tx.Bucket(bucketStaff), tx.Bucket(bucketStaffUser)
		return tx.Bucket(bucketUsers).ForEach(func(k, data []byte) error {
			var u UserState
			if err := json.Unmarshal(data, &u.User); err != nil {
				return err
			}
			u.PasswordHash = "" // a list has no use for it
			// Of the linked person only the last day of work counts.
			var p *Staff
			if id := byAccount.Get(k); id != nil {
				var employment struct {
					EmployedTo time.Time `json:"employed_to"`
				}
				switch err := getJSON(staff, id, &employment); {
				case err == nil:
					p = &Staff{EmployedTo: employment.EmployedTo}
				case !errors.Is(err, ErrNotFound): // a dangling index entry (check reports it) ends no account
					return err
				}
			}
			u.State = AccountStateOn(&u.User, p, day)
			users = append(users, u)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	l := newAccountList(users)
	l.Version, l.Day = v, day
	s.accounts.list = l
	return l, nil
}
