package store

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func TestAccountStateOn(t *testing.T) {
	d := func(s string) time.Time { return day(s) }
	none := time.Time{}
	cases := []struct {
		name       string
		active     bool
		expires    time.Time
		waived     time.Time // the end of employment a reactivation set aside
		employedTo time.Time // zero: linked person still employed
		person     bool
		on         string
		want       AccountStatus
		wantOn     time.Time
	}{
		{"plain account", true, none, none, none, false, "2018-12-31", AccountActive, none},
		{"deactivated", false, none, none, none, false, "2018-12-31", AccountDeactivated, none},
		{"deactivated wins over an end", false, d("2018-01-31"), none, none, false, "2018-12-31", AccountDeactivated, none},
		{"on its last day", true, d("2018-12-31"), none, none, false, "2018-12-31", AccountActive, none},
		{"the day after its last day", true, d("2018-12-31"), none, none, false, "2019-01-01", AccountExpired, d("2018-12-31")},
		{"person still employed", true, none, none, none, true, "2018-12-31", AccountActive, none},
		{"on the last day of work", true, none, none, d("2018-12-31"), true, "2018-12-31", AccountActive, none},
		{"after the last day of work", true, none, none, d("2018-12-31"), true, "2019-01-01", AccountEmploymentEnded, d("2018-12-31")},
		{"reactivation sets the end aside", true, none, d("2018-12-31"), d("2018-12-31"), true, "2019-02-01", AccountActive, none},
		{"a new end after the reactivation applies", true, none, d("2018-12-31"), d("2019-01-31"), true, "2019-02-01", AccountEmploymentEnded, d("2019-01-31")},
		{"an end moved earlier applies", true, none, d("2018-12-31"), d("2018-11-30"), true, "2019-02-01", AccountEmploymentEnded, d("2018-11-30")},
		// A deactivated account switched on again sets no end aside: the
		// last day of work recorded afterwards, even an earlier one, ends it.
		{"an end recorded after a reactivation of a deactivated account", true, none, none, d("2025-03-05"), true, "2025-03-20", AccountEmploymentEnded, d("2025-03-05")},
		{"both ended: the earlier says why", true, d("2018-06-30"), none, d("2018-12-31"), true, "2019-01-01", AccountExpired, d("2018-06-30")},
		{"both ended, employment first", true, d("2018-12-31"), none, d("2018-06-30"), true, "2019-01-01", AccountEmploymentEnded, d("2018-06-30")},
		{"expiry still applies after a reactivation", true, d("2019-03-31"), d("2018-12-31"), d("2018-12-31"), true, "2019-04-01", AccountExpired, d("2019-03-31")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u := &User{Active: c.active, Expires: c.expires, WaivedEnd: c.waived}
			var p *Staff
			if c.person {
				p = &Staff{EmployedFrom: d("2010-01-01"), EmployedTo: c.employedTo}
			}
			got := AccountStateOn(u, p, d(c.on))
			if got.Status != c.want || !got.On.Equal(c.wantOn) {
				t.Fatalf("got %s %v, want %s %v", got.Status, got.On, c.want, c.wantOn)
			}
			if got.Active() != (c.want == AccountActive) || (got.Message() == "") != got.Active() {
				t.Fatalf("Active %v, Message %q", got.Active(), got.Message())
			}
		})
	}
	// "Today" is a Warsaw day: 23:30 UTC on 31 December is already the
	// first of January there.
	u := &User{Active: true, Expires: d("2018-12-31")}
	if got := AccountStateOn(u, nil, time.Date(2018, 12, 31, 23, 30, 0, 0, time.UTC)); got.Status != AccountExpired {
		t.Fatalf("just after midnight in Warsaw: %s", got.Status)
	}
}

func TestRolesAreASetInTheCanonicalOrder(t *testing.T) {
	u := User{Login: "kasia", Name: "Kasia", Roles: []Role{RoleTrainer, RoleStaff, RoleCoordinator, RoleTrainer}}
	if err := u.Validate(); err != nil {
		t.Fatal(err)
	}
	if want := []Role{RoleCoordinator, RoleTrainer, RoleStaff}; !slices.Equal(u.Roles, want) {
		t.Fatalf("roles = %v, want %v", u.Roles, want)
	}
	if !u.Has(RoleTrainer) || u.Has(RoleAdmin) {
		t.Fatal("Has")
	}
	if rs, ok := ParseRoles(" trainer, Coordinator ,,trainer"); !ok || !slices.Equal(rs, []Role{RoleCoordinator, RoleTrainer}) {
		t.Fatalf("ParseRoles = %v %v", rs, ok)
	}
	if _, ok := ParseRoles("trainer,boss"); ok {
		t.Fatal("an unknown role parsed")
	}
	cases := []struct {
		name  string
		u     User
		field string
		msg   string
	}{
		{"no role", User{}, "roles", "error.roles_required"},
		{"unknown role", User{Roles: []Role{RoleStaff, "Admin"}}, "roles", "error.role"},
		{"external with two roles", User{Roles: []Role{RoleTrainer, RoleStaff}, External: true, Expires: day("2019-02-28")}, "roles", "error.external_role"},
		{"external administrator", User{Roles: []Role{RoleAdmin}, External: true, Expires: day("2019-02-28")}, "roles", "error.external_role"},
		{"external without an end", User{Roles: []Role{RoleTrainer}, External: true}, "expires", "error.external_expiry"},
		{"organisation too long", User{Roles: []Role{RoleTrainer}, Organisation: strings.Repeat("ż", MaxOrganisationLen+1)}, "organisation", "error.too_long:200"},
	}
	for _, c := range cases {
		c.u.Login, c.u.Name = "jan", "Jan"
		var v *ValidationError
		if err := c.u.Validate(); !errors.As(err, &v) || v.Fields[c.field] != c.msg {
			t.Errorf("%s: %v, want %s on %s", c.name, err, c.msg, c.field)
		}
	}
	ok := User{Login: "trener.zew", Name: "Jan Zewnętrzny", Roles: []Role{RoleTrainer}, External: true, Expires: day("2019-02-28"), Organisation: "Fundacja"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("an external trainer: %v", err)
	}
}

// linkPerson stores a staff member linked to the account, as the directory
// would, with only the fields the account's state reads.
func linkPerson(t *testing.T, s *Store, userID uint64, employedTo time.Time) *Staff {
	t.Helper()
	p := &Staff{FirstName: "Jan", LastName: "Nowak", EmployedFrom: day("2010-01-01"), EmployedTo: employedTo, UserID: userID}
	if err := s.updateOrg(func(tx *bolt.Tx) error { // as every change to people: the snapshot follows
		if err := insert(s, tx, System, kindStaff, p); err != nil {
			return err
		}
		return tx.Bucket(bucketStaffUser).Put(itob(userID), itob(p.ID))
	}); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSignInStateFollowsThePersonAndTheExpiry(t *testing.T) {
	s, _, _ := openTest(t) // 1 March 2018
	u := newUser(t, s, "ola", RoleStaff)
	if _, st, err := s.SignInState(u.ID, s.Today()); err != nil || !st.Active() {
		t.Fatalf("a new account: %v %+v", err, st)
	}
	linkPerson(t, s, u.ID, day("2018-02-28"))
	if _, st, _ := s.SignInState(u.ID, s.Today()); st.Status != AccountEmploymentEnded || !st.On.Equal(day("2018-02-28")) {
		t.Fatalf("after the last day of work: %+v", st)
	}
	list, err := s.UsersOn(s.Today())
	if err != nil || len(list) != 1 || list[0].State.Status != AccountEmploymentEnded {
		t.Fatalf("UsersOn: %v %+v", err, list)
	}
	if _, _, err := s.SignInState(999, s.Today()); !errors.Is(err, ErrNotFound) {
		t.Fatalf("no such account: %v", err)
	}
}

func TestAnAccountThatEndsLosesItsSessions(t *testing.T) {
	s, _, _ := openTest(t)
	u := newUser(t, s, "ola", RoleStaff)
	if err := s.LinkSession(u.ID, "sesja-1", "x"); err != nil {
		t.Fatal(err)
	}
	// A future last day changes nothing yet; one already past ends it.
	if _, err := s.UpdateUser(System, u.ID, 0, ActionUpdate, func(x *User) error { x.Expires = day("2018-03-31"); return nil }); err != nil {
		t.Fatal(err)
	}
	if n := sessionLinks(t, s, u.ID); n != 1 {
		t.Fatalf("a future expiry ended %d sessions", 1-n)
	}
	if _, err := s.UpdateUser(System, u.ID, 0, ActionUpdate, func(x *User) error { x.Expires = day("2018-02-28"); return nil }); err != nil {
		t.Fatal(err)
	}
	if n := sessionLinks(t, s, u.ID); n != 0 {
		t.Fatalf("%d sessions survived the account's end", n)
	}
}

func sessionLinks(t *testing.T, s *Store, userID uint64) int {
	t.Helper()
	n := 0
	_ = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketUserSessions).Cursor()
		for k, _ := c.Seek(itob(userID)); k != nil && btoi(k[:8]) == userID; k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n
}

func TestReactivationNeedsAReasonAndKeepsIt(t *testing.T) {
	s, clk, _ := openTest(t) // 1 March 2018
	u := newUser(t, s, "ola", RoleStaff)
	p := linkPerson(t, s, u.ID, day("2018-02-28"))
	a := Actor{UserID: 7, Login: "admin"}

	var v *ValidationError
	_, err := s.ReactivateUser(a, u.ID, u.Version, "  ", day("2018-02-01"))
	if !errors.As(err, &v) || v.Fields["reason"] != "error.required" || v.Fields["expires"] != "error.expiry_past" {
		t.Fatalf("no reason, a past expiry: %v", err)
	}
	if _, err := s.ReactivateUser(a, u.ID, u.Version+1, "powrót", time.Time{}); ErrorCode(err) != EConflict {
		t.Fatalf("a stale version: %v", err)
	}
	got, err := s.ReactivateUser(a, u.ID, u.Version, "Umowa zlecenie do końca projektu", day("2019-02-28"))
	if err != nil {
		t.Fatal(err)
	}
	if !got.Active || !got.Reactivated.Equal(day("2018-03-01")) || !got.Expires.Equal(day("2019-02-28")) || got.Version != u.Version+1 {
		t.Fatalf("reactivated: %+v", got)
	}
	if _, st, _ := s.SignInState(u.ID, s.Today()); !st.Active() {
		t.Fatalf("after the reactivation: %+v", st)
	}
	page, _ := s.Audit(AuditFilter{Entity: "user", Action: ActionReactivate})
	if len(page.Entries) != 1 || page.Entries[0].Actor != "admin" {
		t.Fatalf("audit: %+v", page.Entries)
	}
	fields := map[string]Change{}
	for _, c := range page.Entries[0].Changes {
		fields[c.Field] = c
	}
	if fields["reason"].New != "Umowa zlecenie do końca projektu" || fields["expires"].New == "" || fields["reactivated"].New == "" {
		t.Fatalf("changes: %+v", page.Entries[0].Changes)
	}
	// Working again, it cannot be reactivated twice.
	if _, err := s.ReactivateUser(a, u.ID, 0, "jeszcze raz", time.Time{}); !errors.Is(err, ErrAccountNotEnded) {
		t.Fatalf("an active account: %v", err)
	}
	// A new end of employment after the reactivation ends it again.
	clk.Add(30 * 24 * time.Hour)
	if err := s.db.Update(func(tx *bolt.Tx) error {
		p.EmployedTo = day("2018-03-15")
		return putJSON(tx.Bucket(bucketStaff), itob(p.ID), p)
	}); err != nil {
		t.Fatal(err)
	}
	if _, st, _ := s.SignInState(u.ID, s.Today()); st.Status != AccountEmploymentEnded {
		t.Fatalf("a new end after the reactivation: %+v", st)
	}
	// External accounts must come back with a last day.
	ext := &User{Login: "zew", Name: "Zewnętrzna", Roles: []Role{RoleTrainer}, External: true, Expires: day("2018-03-10"), Active: true, PasswordHash: "x"}
	if err := s.CreateUser(System, ext); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReactivateUser(a, ext.ID, 0, "nowa umowa", time.Time{}); !errors.As(err, &v) || v.Fields["expires"] != "error.external_expiry" {
		t.Fatalf("external without a last day: %v", err)
	}
}

func TestMigrationTurnsTheRoleIntoASet(t *testing.T) {
	s, _, _ := openTest(t)
	if err := s.db.Update(func(tx *bolt.Tx) error {
		// As the binary before schema 8 stored an account.
		old := map[string]any{"id": 1, "login": "kasia", "name": "Kasia", "role": "coordinator", "active": true,
			"password_hash": "x", "created": "2018-03-01T09:00:00Z", "updated": "2018-03-01T09:00:00Z", "version": 3}
		if err := putJSON(tx.Bucket(bucketUsers), itob(1), old); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, itob(7))
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.migrate(); err != nil {
		t.Fatal(err)
	}
	u, err := s.User(1)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(u.Roles, []Role{RoleCoordinator}) || u.Version != 3 || u.Login != "kasia" || !u.Active {
		t.Fatalf("migrated: %+v", u)
	}
	if err := s.db.View(func(tx *bolt.Tx) error {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(tx.Bucket(bucketUsers).Get(itob(1)), &raw); err != nil {
			return err
		}
		if _, ok := raw["role"]; ok {
			t.Error("the old field stays")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	page, _ := s.Audit(AuditFilter{Entity: "user"})
	if len(page.Entries) != 1 || page.Entries[0].Actor != "system" || len(page.Entries[0].Changes) != 2 {
		t.Fatalf("audit: %+v", page.Entries)
	}
	// Run again (as when an older schema number is met), it changes nothing.
	if err := s.db.Update(func(tx *bolt.Tx) error { return migrateRoles(s, tx) }); err != nil {
		t.Fatal(err)
	}
	if page, _ := s.Audit(AuditFilter{Entity: "user"}); len(page.Entries) != 1 {
		t.Fatalf("a second run audited %d entries", len(page.Entries)-1)
	}
}
