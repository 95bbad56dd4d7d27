package store

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// logins names the accounts at positions, for comparing lists.
func logins(l *AccountList, found []int32) string {
	var out []string
	for _, u := range l.Page(found, 0, len(found)) {
		out = append(out, u.Login)
	}
	return strings.Join(out, " ")
}

// The account list is made once per change of the data and per day, and
// selects by state, role and text as the page asks.
func TestAccountListIsKeptPerVersionAndDay(t *testing.T) {
	s, clk, _ := openTest(t) // 1 March 2018
	newUser(t, s, "zofia", RoleStaff)
	trainer := newUser(t, s, "adam", RoleTrainer, RoleCoordinator)
	ola := newUser(t, s, "ola", RoleStaff)
	if _, err := s.UpdateUser(System, ola.ID, 0, ActionUpdate, func(x *User) error { x.Name = "Ola Żółwińska"; return nil }); err != nil {
		t.Fatal(err)
	}
	linkPerson(t, s, ola.ID, day("2018-03-01")) // today is her last day of work
	gone := newUser(t, s, "ewa", RoleStaff)
	if _, err := s.UpdateUser(System, gone.ID, 0, ActionUpdate, func(x *User) error { x.Active = false; return nil }); err != nil {
		t.Fatal(err)
	}

	l, err := s.Accounts(s.Today())
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		q    AccountQuery
		want string
	}{
		{AccountQuery{}, "adam ola zofia"},
		{AccountQuery{Shown: ShowEnded}, "ewa"},
		{AccountQuery{Shown: ShowAll}, "adam ewa ola zofia"},
		{AccountQuery{Role: RoleCoordinator}, "adam"},
		{AccountQuery{Role: RoleStaff, Shown: ShowAll}, "ewa ola zofia"},
		{AccountQuery{Text: "ŻÓŁW"}, "ola"}, // the name, ignoring case
		{AccountQuery{Text: "jan"}, "adam zofia"},
		{AccountQuery{Text: "a", Shown: ShowAll}, "adam ewa ola zofia"},
		{AccountQuery{Text: "a", Role: RoleTrainer}, "adam"},
		{AccountQuery{Text: "ola\x00jan"}, ""},
		{AccountQuery{Text: "nikt"}, ""},
	}
	for _, c := range cases {
		if got := logins(l, l.Find(c.q)); got != c.want {
			t.Errorf("%+v: %q, want %q", c.q, got, c.want)
		}
	}
	if l.Active != 3 || l.Ended != 1 {
		t.Fatalf("counts %d active, %d ended", l.Active, l.Ended)
	}
	if page := l.Page(l.Find(AccountQuery{Shown: ShowAll}), 1, 2); len(page) != 2 || page[0].Login != "ewa" || page[0].PasswordHash != "" {
		t.Fatalf("the second and third of all: %+v", page)
	}

	// Asked again with nothing changed, the list is the same one.
	if again, _ := s.Accounts(s.Today()); again != l {
		t.Fatal("the list was made again without a change")
	}
	// A change to an account shows at once.
	if _, err := s.UpdateUser(System, trainer.ID, 0, ActionUpdate, func(x *User) error { x.Active = false; return nil }); err != nil {
		t.Fatal(err)
	}
	l, _ = s.Accounts(s.Today())
	if got := logins(l, l.Find(AccountQuery{Shown: ShowEnded})); got != "adam ewa" {
		t.Fatalf("after deactivating adam: ended %q", got)
	}
	// The next day ends Ola's account with no write at all.
	clk.Add(24 * time.Hour)
	next, _ := s.Accounts(s.Today())
	if next == l || logins(next, next.Find(AccountQuery{})) != "zofia" || next.Ended != 3 {
		t.Fatalf("the day after Ola's last day: active %q, %d ended", logins(next, next.Find(AccountQuery{})), next.Ended)
	}
	if st := next.Users[2].State; next.Users[2].Login != "ola" || st.Status != AccountEmploymentEnded || !st.On.Equal(day("2018-03-01")) {
		t.Fatalf("Ola's state: %+v", next.Users[2])
	}
	// A change to the person linked to an account shows too.
	p, err := s.PersonOfUser(ola.ID)
	if err != nil {
		t.Fatal(err)
	}
	p.EmployedTo, p.Assignments = time.Time{}, posted(testUnit(t, s), "referent", "2010-01-01")
	if err := s.SavePerson(System, p, p.Version); err != nil {
		t.Fatal(err)
	}
	l, _ = s.Accounts(s.Today())
	if got := logins(l, l.Find(AccountQuery{})); got != "ola zofia" {
		t.Fatalf("after Ola's employment goes on: active %q", got)
	}
	if got := fmt.Sprint(l.Active, l.Ended); got != "2 2" {
		t.Fatalf("counts %s", got)
	}
}
