package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/alexedwards/argon2id"
	bolt "go.etcd.io/bbolt"
)

// clock is a settable time source for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

type bboltTx = bolt.Tx

func openBench(b *testing.B) (*Store, *clock, string) { return openTB(b) }

func openTest(t *testing.T) (*Store, *clock, string) { return openTB(t) }

func openTB(t testing.TB) (*Store, *clock, string) {
	t.Helper()
	clk := &clock{t: time.Date(2018, 3, 1, 9, 0, 0, 0, time.UTC)}
	path := filepath.Join(t.TempDir(), "sub", "test.db")
	s, err := Open(path, Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clk, path
}

// testParams are cheap argon2id parameters so that tests run quickly.
var testParams = &argon2id.Params{Memory: 8 * 1024, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

func TestMigrationFromEmptyDatabase(t *testing.T) {
	s, _, path := openTest(t)
	if got := s.Schema(); got != SchemaVersion() {
		t.Fatalf("schema after open = %d, want %d", got, SchemaVersion())
	}
	s.Close()
	// Reopening runs no migration twice and keeps the version.
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if got := s2.Schema(); got != SchemaVersion() {
		t.Fatalf("schema after reopen = %d", got)
	}
}

func TestNewerDatabaseIsRefused(t *testing.T) {
	s, _, path := openTest(t)
	if err := s.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, itob(uint64(SchemaVersion()+1)))
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(path, Options{})
	if !errors.Is(err, ErrTooNew) {
		t.Fatalf("open of newer database: err = %v, want ErrTooNew", err)
	}
}

func TestSecondOpenFailsFast(t *testing.T) {
	_, _, path := openTest(t)
	_, err := Open(path, Options{LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: err = %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "in use") {
		t.Fatalf("message %q does not say the database is in use", err)
	}
}

func newUser(t *testing.T, s *Store, login string, roles ...Role) *User {
	t.Helper()
	u := &User{Login: login, Name: "Jan " + login, Roles: roles, Active: true, PasswordHash: "x"}
	if err := s.CreateUser(System, u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestCreateUserValidatesAndKeepsLoginsUnique(t *testing.T) {
	s, _, _ := openTest(t)
	u := newUser(t, s, "Anna.K", RoleStaff)
	if u.Login != "anna.k" || u.ID != 1 || u.Version != 1 {
		t.Fatalf("created %+v", u)
	}
	err := s.CreateUser(System, &User{Login: "anna.k", Name: "Other", Roles: []Role{RoleStaff}})
	var v *ValidationError
	if !errors.As(err, &v) || v.Fields["login"] != "error.login_taken" {
		t.Fatalf("duplicate login: err = %v", err)
	}
	err = s.CreateUser(System, &User{Login: "x", Name: " ", Roles: []Role{"boss"}})
	if !errors.As(err, &v) || v.Fields["login"] == "" || v.Fields["name"] != "error.required" || v.Fields["roles"] != "error.role" {
		t.Fatalf("bad user: err = %v", err)
	}
	if n := s.UserCount(); n != 1 {
		t.Fatalf("user count = %d after rejected creates", n)
	}
	// IDs are never reused: the failed creates took no ID.
	u2 := newUser(t, s, "piotr", RoleStaff)
	if u2.ID != 2 {
		t.Fatalf("second ID = %d", u2.ID)
	}
}

func TestStaleUpdateIsAConflict(t *testing.T) {
	s, _, _ := openTest(t)
	u := newUser(t, s, "ewa", RoleStaff)
	if _, err := s.UpdateUser(System, u.ID, u.Version, ActionUpdate, func(x *User) error { x.Name = "Ewa Nowak"; return nil }); err != nil {
		t.Fatal(err)
	}
	_, err := s.UpdateUser(System, u.ID, u.Version, ActionUpdate, func(x *User) error { x.Name = "Ewa Kowalska"; return nil })
	var c *ConflictError
	if !errors.As(err, &c) {
		t.Fatalf("stale update: err = %v, want conflict", err)
	}
	if cur := c.Current.(*User); cur.Name != "Ewa Nowak" || cur.Version != 2 {
		t.Fatalf("conflict shows %+v", cur)
	}
	got, _ := s.User(u.ID)
	if got.Name != "Ewa Nowak" {
		t.Fatalf("stale update overwrote: %q", got.Name)
	}
}

func TestAuditRecordsChangesInTheSameTransaction(t *testing.T) {
	s, clk, _ := openTest(t)
	u := newUser(t, s, "marek", RoleStaff)
	clk.Add(time.Hour)
	a := Actor{UserID: 9, Login: "admin", IP: "10.0.0.1"}
	if _, err := s.UpdateUser(a, u.ID, 1, ActionUpdate, func(x *User) error {
		x.Roles, x.PasswordHash = []Role{RoleTrainer}, "new-secret"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	page, err := s.Audit(AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Entries) != 2 {
		t.Fatalf("entries = %d, want 2", len(page.Entries))
	}
	e := page.Entries[0] // newest first
	if e.Actor != "admin" || e.IP != "10.0.0.1" || e.Entity != "user" || e.EntityID != u.ID || e.Action != ActionUpdate {
		t.Fatalf("entry = %+v", e)
	}
	want := map[string]Change{
		"password_hash": {Field: "password_hash", Old: "•••", New: "•••"},
		"roles":         {Field: "roles", Old: `["staff"]`, New: `["trainer"]`},
	}
	if len(e.Changes) != len(want) {
		t.Fatalf("changes = %+v", e.Changes)
	}
	for _, c := range e.Changes {
		if want[c.Field] != c {
			t.Errorf("change %+v, want %+v", c, want[c.Field])
		}
	}
	// A change that fails validation writes neither the record nor the log.
	_, err = s.UpdateUser(a, u.ID, 0, ActionUpdate, func(x *User) error { x.Name = ""; return nil })
	if ErrorCode(err) != EInvalid {
		t.Fatalf("invalid update err = %v", err)
	}
	page, _ = s.Audit(AuditFilter{})
	if len(page.Entries) != 2 {
		t.Fatalf("a failed change was audited: %d entries", len(page.Entries))
	}
}

func TestAuditFiltersAndPages(t *testing.T) {
	s, clk, _ := openTest(t)
	for i := 0; i < 7; i++ {
		clk.Add(24 * time.Hour)
		if err := s.Record(Actor{Login: "ala"}, "session", 0, ActionLogin); err != nil {
			t.Fatal(err)
		}
		if err := s.Record(Actor{Login: "ola"}, "session", 0, ActionLoginFailed); err != nil {
			t.Fatal(err)
		}
	}
	p1, _ := s.Audit(AuditFilter{Actor: "ALA", Limit: 3})
	if len(p1.Entries) != 3 || p1.Next == 0 {
		t.Fatalf("page 1: %d entries, next %d", len(p1.Entries), p1.Next)
	}
	p2, _ := s.Audit(AuditFilter{Actor: "ala", Limit: 3, Before: p1.Next})
	p3, _ := s.Audit(AuditFilter{Actor: "ala", Limit: 3, Before: p2.Next})
	if len(p2.Entries) != 3 || len(p3.Entries) != 1 || p3.Next != 0 {
		t.Fatalf("pages: %d, %d (next %d)", len(p2.Entries), len(p3.Entries), p3.Next)
	}
	if p2.Entries[0].ID >= p1.Entries[2].ID {
		t.Fatal("page 2 is not older than page 1")
	}
	from := time.Date(2018, 3, 4, 0, 0, 0, 0, time.UTC)
	to := time.Date(2018, 3, 6, 0, 0, 0, 0, time.UTC)
	p, _ := s.Audit(AuditFilter{Action: ActionLoginFailed, From: from, To: to})
	if len(p.Entries) != 2 {
		t.Fatalf("date range: %d entries, want 2", len(p.Entries))
	}
	for _, e := range p.Entries {
		if e.Actor != "ola" || e.At.Before(from) || !e.At.Before(to) {
			t.Fatalf("entry outside filter: %+v", e)
		}
	}
}

func TestSessionStorageExpiryAndUserSessions(t *testing.T) {
	s, clk, _ := openTest(t)
	ss := s.Sessions()
	u := newUser(t, s, "ola", RoleStaff)
	if err := ss.Set("a", []byte("data-a"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := ss.Set("b", []byte("data-b"), 2*time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkSession(u.ID, "a", u.PasswordHash); err != nil {
		t.Fatal(err)
	}
	if err := s.LinkSession(u.ID, "b", u.PasswordHash); err != nil {
		t.Fatal(err)
	}
	if got, _ := ss.Get("a"); string(got) != "data-a" {
		t.Fatalf("get a = %q", got)
	}
	clk.Add(90 * time.Minute)
	if got, _ := ss.Get("a"); got != nil {
		t.Fatalf("expired session still readable: %q", got)
	}
	if n, err := s.SweepSessions(); err != nil || n != 1 {
		t.Fatalf("sweep removed %d (%v), want 1", n, err)
	}
	if err := s.EndUserSessions(System, u.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := ss.Get("b"); got != nil {
		t.Fatal("session b survived EndUserSessions")
	}
	if n := s.SessionCount(); n != 0 {
		t.Fatalf("%d sessions left", n)
	}
	// A request that read session b before it ended cannot save it back.
	if err := ss.Set("b", []byte("late save"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, _ := ss.Get("b"); got != nil {
		t.Fatal("an ended session was revived by a late save")
	}
	if page, _ := s.Audit(AuditFilter{Action: ActionSessionsEnded}); len(page.Entries) != 1 {
		t.Fatal("ending sessions was not audited")
	}
}

func TestDeactivationEndsSessions(t *testing.T) {
	s, _, _ := openTest(t)
	u := newUser(t, s, "kasia", RoleStaff)
	_ = s.Sessions().Set("k1", []byte("x"), time.Hour)
	_ = s.LinkSession(u.ID, "k1", u.PasswordHash)
	if _, err := s.UpdateUser(System, u.ID, 0, ActionUpdate, func(x *User) error { x.Active = false; return nil }); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Sessions().Get("k1"); got != nil {
		t.Fatal("deactivated user's session survived")
	}
}

func TestHasherVerifiesAndAsksForRehash(t *testing.T) {
	ctx := context.Background()
	old := NewHasher(testParams, 8<<20)
	hash, err := old.Hash(ctx, "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	stronger := *testParams
	stronger.Iterations = 2
	h := NewHasher(&stronger, 8<<20)
	ok, rehash, err := h.Verify(ctx, "correct horse", hash)
	if err != nil || !ok || !rehash {
		t.Fatalf("verify with new params: ok=%v rehash=%v err=%v", ok, rehash, err)
	}
	if ok, _, _ := h.Verify(ctx, "wrong horse", hash); ok {
		t.Fatal("wrong password accepted")
	}
	if ok, _, _ := h.Verify(ctx, "anything", ""); ok {
		t.Fatal("unknown login accepted")
	}
	if ok, _, _ := h.Verify(ctx, strings.Repeat("x", MaxPasswordLen+1), hash); ok {
		t.Fatal("over-long password accepted")
	}
	if ok, _, err := h.Verify(ctx, "x", "not a hash"); ok || err != nil {
		t.Fatalf("broken hash: ok=%v err=%v", ok, err)
	}
}

func TestHasherBoundsConcurrency(t *testing.T) {
	h := NewHasher(testParams, 8<<20)
	h.slots <- struct{}{} // the only slot is taken
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := h.Hash(ctx, "password1"); !errors.Is(err, ErrHasherBusy) {
		t.Fatalf("hash with no free slot: err = %v", err)
	}
}

func TestPasswordParamsMeetOWASPMinimum(t *testing.T) {
	p := PasswordParams
	// OWASP: at least 19 MiB memory with 2 iterations (or more memory with fewer).
	if p.Memory < 19*1024 || p.Iterations < 2 || p.Parallelism < 1 || p.SaltLength < 16 || p.KeyLength < 32 {
		t.Fatalf("parameters below the minimum: %+v", p)
	}
}

func TestBackupIsAUsableDatabase(t *testing.T) {
	s, _, _ := openTest(t)
	newUser(t, s, "zofia", RoleAdmin)
	out := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, err := Open(out, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if u, err := b.UserByLogin("zofia"); err != nil || !u.Has(RoleAdmin) {
		t.Fatalf("backup lacks the account: %v %+v", err, u)
	}
}

func TestSeedDemoOnlyOnEmptyDatabase(t *testing.T) {
	s, _, _ := openTest(t)
	h := NewHasher(testParams, 16<<20)
	seeded, err := s.SeedDemo(context.Background(), h)
	if err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	if !s.DemoMode() {
		t.Fatal("demo mode off after seeding")
	}
	for _, login := range []string{"admin", "koordynator", "trener", "monitoring", "pracownik"} {
		u, err := s.UserByLogin(login)
		if err != nil {
			t.Fatalf("demo account %s: %v", login, err)
		}
		if ok, _, _ := h.Verify(context.Background(), DemoPassword, u.PasswordHash); !ok {
			t.Fatalf("demo account %s does not take the demo password", login)
		}
	}
	if seeded, _ := s.SeedDemo(context.Background(), h); seeded {
		t.Fatal("seeded a database that has accounts")
	}
	if s.Centre().Name == "" {
		t.Fatal("centre details missing")
	}
	// Deactivating every demo account turns the marker off.
	users, _ := s.Users()
	for _, u := range users {
		if _, err := s.UpdateUser(System, u.ID, 0, ActionUpdate, func(x *User) error { x.Active = false; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	if s.DemoMode() {
		t.Fatal("demo mode still on with every demo account inactive")
	}
}

// A sign-in checked against the old password must not get a session after
// a reset that ran meanwhile: the link is refused and the session ended.
func TestSignInCheckedBeforeAResetGetsNoSession(t *testing.T) {
	s, _, _ := openTest(t)
	u := newUser(t, s, "ola", RoleStaff)
	seen := u.PasswordHash // what the sign-in verified
	if _, err := s.UpdateUser(System, u.ID, 0, ActionPassword, func(x *User) error { x.PasswordHash = "new"; return nil }); err != nil {
		t.Fatal(err)
	}
	_ = s.Sessions().Set("late", []byte("x"), time.Hour)
	if err := s.LinkSession(u.ID, "late", seen); !errors.Is(err, ErrSignInOutdated) {
		t.Fatalf("link after reset: %v", err)
	}
	if got, _ := s.Sessions().Get("late"); got != nil {
		t.Fatal("the late session survived")
	}
	// Deactivation likewise.
	cur, _ := s.User(u.ID)
	if _, err := s.UpdateUser(System, u.ID, 0, ActionUpdate, func(x *User) error { x.Active = false; return nil }); err != nil {
		t.Fatal(err)
	}
	_ = s.Sessions().Set("late2", []byte("x"), time.Hour)
	if err := s.LinkSession(u.ID, "late2", cur.PasswordHash); !errors.Is(err, ErrSignInOutdated) {
		t.Fatalf("link after deactivation: %v", err)
	}
}
