package store

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Session IDs as Fiber makes them; distinctive enough to search a file for.
const (
	liveSessionID  = "6f0c2a9e-3b1d-4c7a-9e25-8d41f0b7c3a6"
	endedSessionID = "b7e4d1c0-9a2f-4e6b-8c35-1f0a9d2e7b48"
)

// backupTo writes a backup of s into a new file and returns its path.
func backupTo(t *testing.T, s *Store) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	n, err := s.Backup(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Size() != n {
		t.Fatalf("backup reported %d bytes, file has %v (%v)", n, fi.Size(), err)
	}
	return path
}

func openCopy(t *testing.T, path string, opt Options) *Store {
	t.Helper()
	c, err := Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// signIn stores a live session linked to the user, and one that has ended.
func signIn(t *testing.T, s *Store, userID uint64) {
	t.Helper()
	ss := s.Sessions()
	for _, id := range []string{liveSessionID, endedSessionID} {
		if err := ss.Set(id, []byte("session data"), time.Hour); err != nil {
			t.Fatal(err)
		}
		u, err := s.User(userID)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.LinkSession(userID, id, u.PasswordHash); err != nil {
			t.Fatal(err)
		}
	}
	if err := ss.Delete(endedSessionID); err != nil {
		t.Fatal(err)
	}
}

// dump lists every key (with its value) and bucket sequence of a database,
// by bucket path, leaving out the session buckets.
func dump(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	var walk func(path string, b *bolt.Bucket) error
	walk = func(path string, b *bolt.Bucket) error {
		out[path+" #seq"] = fmt.Sprint(b.Sequence())
		return b.ForEach(func(k, v []byte) error {
			if sub := b.Bucket(k); sub != nil {
				return walk(fmt.Sprintf("%s/%x", path, k), sub)
			}
			out[fmt.Sprintf("%s/%x", path, k)] = string(v)
			return nil
		})
	}
	if err := s.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, b *bolt.Bucket) error {
			if isSessionBucket(name) {
				return nil
			}
			return walk(string(name), b)
		})
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestSessionIDsAreStoredOnlyAsHashes(t *testing.T) {
	s, clk, path := openTest(t)
	ola := newUser(t, s, "ola", RoleStaff)
	signIn(t, s, ola.ID)
	if got, _ := s.Sessions().Get(liveSessionID); string(got) != "session data" {
		t.Fatalf("get by the raw ID = %q", got)
	}
	if got, _ := s.Sessions().Get(endedSessionID); got != nil {
		t.Fatalf("ended session readable: %q", got)
	}
	s.Close()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{liveSessionID, endedSessionID} {
		if bytes.Contains(raw, []byte(id)) {
			t.Errorf("the database file holds session ID %s", id)
		}
	}
	// The hashed keys still work after a restart, for links too.
	s2 := openCopy(t, path, Options{Now: clk.Now})
	if got, _ := s2.Sessions().Get(liveSessionID); string(got) != "session data" {
		t.Fatalf("get after reopen = %q", got)
	}
	if err := s2.EndUserSessions(System, ola.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s2.Sessions().Get(liveSessionID); got != nil {
		t.Fatal("the linked session survived EndUserSessions")
	}
}

func TestBackupLeavesOutSessions(t *testing.T) {
	s, clk, _ := openTest(t)
	u := newUser(t, s, "zofia", RoleAdmin)
	newUser(t, s, "adam", RoleStaff)
	if err := s.Record(Actor{UserID: u.ID, Login: "zofia"}, "session", 0, ActionLogin); err != nil {
		t.Fatal(err)
	}
	signIn(t, s, u.ID)
	path := backupTo(t, s)

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range [][]byte{[]byte(liveSessionID), sessionKey(liveSessionID), []byte("session data")} {
		if bytes.Contains(raw, secret) {
			t.Errorf("the backup holds %q", secret)
		}
	}

	c := openCopy(t, path, Options{Now: clk.Now})
	if n := c.SessionCount(); n != 0 {
		t.Fatalf("the backup holds %d sessions", n)
	}
	if got, err := c.Sessions().Get(liveSessionID); got != nil || err != nil {
		t.Fatalf("a live session opens the restored copy: %q %v", got, err)
	}
	if err := c.db.View(func(tx *bolt.Tx) error {
		for _, name := range sessionBuckets {
			b := tx.Bucket(name)
			if b == nil {
				return fmt.Errorf("bucket %s missing", name)
			}
			if k, _ := b.Cursor().First(); k != nil {
				return fmt.Errorf("bucket %s not empty", name)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := dump(t, c), dump(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("the copy differs:\n got %v\nwant %v", got, want)
	}
	wantUsers, _ := s.Users()
	gotUsers, _ := c.Users()
	if !reflect.DeepEqual(gotUsers, wantUsers) {
		t.Fatalf("users: got %+v, want %+v", gotUsers, wantUsers)
	}
	wantLog, _ := s.Audit(AuditFilter{})
	gotLog, _ := c.Audit(AuditFilter{})
	if len(gotLog.Entries) != 3 || !reflect.DeepEqual(gotLog, wantLog) {
		t.Fatalf("audit log: got %+v, want %+v", gotLog, wantLog)
	}
}

func TestBackupKeepsSequencesAndNestedBuckets(t *testing.T) {
	s, _, _ := openTest(t)
	newUser(t, s, "ala", RoleStaff)
	last := newUser(t, s, "ola", RoleStaff)
	// An ID taken by a record that is gone: a restored copy must not reuse it.
	var taken uint64
	if err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		if taken, err = tx.Bucket(bucketUsers).NextSequence(); err != nil {
			return err
		}
		outer, err := tx.CreateBucket([]byte("test.outer"))
		if err != nil {
			return err
		}
		inner, err := outer.CreateBucket([]byte("inner"))
		if err != nil {
			return err
		}
		if err := inner.SetSequence(41); err != nil {
			return err
		}
		if err := inner.Put([]byte("k"), []byte("v")); err != nil {
			return err
		}
		return outer.Put([]byte("empty"), nil)
	}); err != nil {
		t.Fatal(err)
	}
	c := openCopy(t, backupTo(t, s), Options{})
	if got, want := dump(t, c), dump(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("the copy differs:\n got %v\nwant %v", got, want)
	}
	u := newUser(t, c, "ela", RoleStaff)
	if u.ID <= taken || u.ID <= last.ID {
		t.Fatalf("new account in the copy has ID %d; the source had used up to %d", u.ID, taken)
	}
	if err := c.db.View(func(tx *bolt.Tx) error {
		inner := tx.Bucket([]byte("test.outer")).Bucket([]byte("inner"))
		if inner == nil || inner.Sequence() != 41 || string(inner.Get([]byte("k"))) != "v" {
			return fmt.Errorf("nested bucket not copied")
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestBackupIsConsistentDuringWrites(t *testing.T) {
	s, _, _ := openTest(t)
	done := make(chan error, 1)
	go func() {
		for i := 0; i < 30; i++ {
			u := &User{Login: fmt.Sprintf("user%02d", i), Name: "Jan", Roles: []Role{RoleStaff}, Active: true, PasswordHash: "x"}
			if err := s.CreateUser(System, u); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	for finished := false; !finished; {
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
			finished = true
		default:
		}
		c := openCopy(t, backupTo(t, s), Options{ReadOnly: true})
		// Each account and its audit entry commit together: a copy taken
		// in one transaction has as many of one as of the other.
		if err := c.db.View(func(tx *bolt.Tx) error {
			users, log := tx.Bucket(bucketUsers).Stats().KeyN, tx.Bucket(bucketAudit).Stats().KeyN
			if users != log {
				return fmt.Errorf("%d accounts but %d audit entries", users, log)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
}

func TestMigrationEmptiesRawKeyedSessions(t *testing.T) {
	s, _, _ := openTest(t)
	newUser(t, s, "basia", RoleStaff)
	// As schema 4 wrote them: keyed by the raw session ID.
	far := itob(uint64(s.Now().Add(time.Hour).UnixNano()))
	if err := s.db.Update(func(tx *bolt.Tx) error {
		if err := tx.Bucket(bucketSessions).Put([]byte(liveSessionID), append(far, "data"...)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketUserSessions).Put(append(itob(1), liveSessionID...), nil); err != nil {
			return err
		}
		if err := tx.Bucket(bucketSessionsEnded).Put([]byte(endedSessionID), far); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keySchema, itob(4))
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.migrate(); err != nil {
		t.Fatal(err)
	}
	if got := s.Schema(); got != SchemaVersion() || got < 5 {
		t.Fatalf("schema = %d", got)
	}
	if err := s.db.View(func(tx *bolt.Tx) error {
		for _, name := range sessionBuckets {
			if n := tx.Bucket(name).Stats().KeyN; n != 0 {
				return fmt.Errorf("bucket %s keeps %d keys", name, n)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if s.UserCount() != 1 {
		t.Fatal("the migration lost accounts")
	}
	// The old raw key is no use any more, and new sessions work.
	ss := s.Sessions()
	if got, _ := ss.Get(liveSessionID); got != nil {
		t.Fatal("an old session survived the migration")
	}
	if err := ss.Set(liveSessionID, []byte("new"), time.Hour); err != nil {
		t.Fatal(err)
	}
	if got, _ := ss.Get(liveSessionID); string(got) != "new" {
		t.Fatalf("session after migration = %q", got)
	}
}

// The copy commits in batches to keep memory bounded: with tiny batches it
// is still the same database, nested buckets and sequences included.
func TestBackupInSmallBatches(t *testing.T) {
	old := copyBatch
	copyBatch = 64
	t.Cleanup(func() { copyBatch = old })
	TestBackupKeepsSequencesAndNestedBuckets(t)
	TestBackupLeavesOutSessions(t)
}

// The keys that sign the sign-in form and known devices' cookies stay out
// of every copy; a store opened on the copy makes new ones, and the copy
// still verifies against the live database it came from.
func TestBackupLeavesOutSigningKeys(t *testing.T) {
	s, clk, _ := openTest(t)
	live := map[string][]byte{}
	for _, name := range []string{"device", "sign-in-form"} {
		key, err := s.Secret(name)
		if err != nil {
			t.Fatal(err)
		}
		live[name] = key
	}
	path := backupTo(t, s)
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, key := range live {
		if bytes.Contains(raw, key) || bytes.Contains(raw, []byte(secretPrefix+name)) {
			t.Errorf("the copy holds the key %s", name)
		}
	}
	c := openCopy(t, path, Options{Now: clk.Now})
	for name, key := range live {
		got, err := c.Secret(name)
		if err != nil || len(got) != 32 || bytes.Equal(got, key) {
			t.Errorf("the restored copy's key %s: %x (live %x), %v", name, got, key, err)
		}
	}
}
