package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func newBackups(t *testing.T, s *Store, plan BackupPlan) *Backups {
	t.Helper()
	if plan.Dir == "" {
		plan.Dir = filepath.Join(t.TempDir(), "backups")
	}
	if plan.At == "" && plan.Every == 0 {
		plan.At = "02:30"
	}
	plan.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	b, err := NewBackups(s, plan)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func announce(s *Store, title string) (uint64, error) {
	n := Announcement{Title: title, Body: "Treść komunikatu.", ValidFrom: time.Date(2018, 3, 1, 0, 0, 0, 0, time.UTC)}
	if err := s.SaveAnnouncement(System, &n, 0); err != nil {
		return 0, err
	}
	return n.ID, nil
}

// filesIn lists the files in dir.
func filesIn(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func TestBackupWhileWritingHoldsEveryAcknowledgedWrite(t *testing.T) {
	s, _, _ := openTest(t)
	b := newBackups(t, s, BackupPlan{Keep: 3})
	var (
		mu    sync.Mutex
		acked []uint64
		stop  = make(chan struct{})
		wg    sync.WaitGroup
		first sync.WaitGroup // each writer has written at least once
	)
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		first.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				id, err := announce(s, fmt.Sprintf("Komunikat %d/%d", w, i))
				if err != nil {
					errs <- err
					if i == 0 {
						first.Done()
					}
					return
				}
				mu.Lock()
				acked = append(acked, id)
				mu.Unlock()
				if i == 0 {
					first.Done()
				}
				select {
				case <-stop:
					return
				default:
				}
			}
		}()
	}
	first.Wait()
	mu.Lock()
	before := slices.Clone(acked)
	mu.Unlock()
	info, err := b.TakeNow(System)
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(before) < 8 {
		t.Fatalf("only %d writes acknowledged before the copy", len(before))
	}
	if _, err := VerifyCopy(info.Path); err != nil {
		t.Fatalf("the copy does not verify: %v", err)
	}
	if info.Schema != SchemaVersion() || len(info.Counts) != len(countedBuckets) {
		t.Fatalf("copy info %+v", info)
	}
	c := openCopy(t, info.Path, Options{ReadOnly: true})
	for _, id := range before {
		if _, err := c.Announcement(id); err != nil {
			t.Errorf("announcement %d, acknowledged before the copy began, is not in it: %v", id, err)
		}
	}
	if problems, err := c.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check of the copy: %v %v", problems, err)
	}
}

func TestRetentionKeepsTheNewestCopies(t *testing.T) {
	for _, keep := range []int{1, 2, 5} {
		t.Run(fmt.Sprint("keep ", keep), func(t *testing.T) {
			s, clk, _ := openTest(t)
			dir := filepath.Join(t.TempDir(), "backups")
			if err := os.MkdirAll(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			// Files retention must never touch.
			others := []string{"intranet-20000101-000000.db.failed", "notes.txt", "intranet-old.db",
				"intranet-20000101-000000.db.bak", "copy-intranet-20000101-000000.db"}
			for _, name := range others {
				if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			b := newBackups(t, s, BackupPlan{Dir: dir, Keep: keep})
			var taken []string
			for i := range keep + 3 {
				if _, err := announce(s, fmt.Sprint("Komunikat ", i)); err != nil {
					t.Fatal(err)
				}
				info, err := b.TakeNow(System)
				if err != nil {
					t.Fatal(err)
				}
				taken = append(taken, filepath.Base(info.Path))
				clk.Add(7 * time.Hour)
			}
			if taken[0] != "intranet-20180301-090000.db" {
				t.Fatalf("first copy named %s", taken[0])
			}
			want := append(slices.Clone(taken[len(taken)-keep:]), others...)
			got := filesIn(t, dir)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Fatalf("files after %d copies, keeping %d:\n got %v\nwant %v", len(taken), keep, got, want)
			}
			st := b.State()
			if st.Good != keep || st.LastGood == nil || filepath.Base(st.LastGood.Path) != taken[len(taken)-1] {
				t.Fatalf("state %+v", st)
			}
			// The failed copy found at start stays the latest failure.
			if f := st.LastFailure; f == nil || filepath.Base(f.Path) != others[0] {
				t.Fatalf("latest failure %+v", f)
			}
			// A restart knows the newest copy by its name.
			again := newBackups(t, s, BackupPlan{Dir: dir, Keep: keep})
			if st := again.State(); st.Good != keep || st.LastGood == nil || st.LastGood.Path != filepath.Join(dir, taken[len(taken)-1]) {
				t.Fatalf("state after a restart %+v", st)
			}
		})
	}
}

func TestTwoCopiesInOneSecondGetTwoNames(t *testing.T) {
	s, _, _ := openTest(t)
	b := newBackups(t, s, BackupPlan{Keep: 5})
	a, err := b.TakeNow(System)
	if err != nil {
		t.Fatal(err)
	}
	c, err := b.TakeNow(System)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(a.Path) != "intranet-20180301-090000.db" || filepath.Base(c.Path) != "intranet-20180301-090001.db" {
		t.Fatalf("names %s and %s", a.Path, c.Path)
	}
}

func TestAFailedCopyIsKeptApartAndAudited(t *testing.T) {
	s, clk, _ := openTest(t)
	b := newBackups(t, s, BackupPlan{Keep: 2})
	good, err := b.TakeNow(System)
	if err != nil {
		t.Fatal(err)
	}
	verifyStaged = func(string, *[32]byte) (CopyInfo, error) {
		return CopyInfo{}, fmt.Errorf("simulated damage: %w", ErrBadCopy)
	}
	t.Cleanup(func() { verifyStaged = verifyCopy })
	for range 4 {
		clk.Add(time.Hour)
		if _, err := b.TakeNow(System); !errors.Is(err, ErrBadCopy) {
			t.Fatalf("a copy failing verification: %v", err)
		}
	}
	got := filesIn(t, b.plan.Dir)
	want := []string{"intranet-20180301-090000.db", "intranet-20180301-120000.db.failed", "intranet-20180301-130000.db.failed"}
	if !slices.Equal(got, want) {
		t.Fatalf("files: %v, want %v", got, want)
	}
	st := b.State()
	if st.Good != 1 || st.LastGood == nil || st.LastGood.Path != good.Path || st.LastFailure == nil ||
		!strings.HasSuffix(st.LastFailure.Path, "130000.db.failed") || !strings.Contains(st.LastFailure.Err, "simulated damage") {
		t.Fatalf("state %+v %+v", st, st.LastFailure)
	}
	page, err := s.Audit(AuditFilter{Entity: "database"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range page.Entries {
		actions = append(actions, e.Action)
	}
	if !slices.Equal(actions, []string{ActionBackupFailed, ActionBackupFailed, ActionBackupFailed, ActionBackupFailed, ActionBackup}) {
		t.Fatalf("audit: %v", actions)
	}
	if e := page.Entries[0]; e.Actor != "system" || len(e.Changes) != 2 || e.Changes[1].Field != "error" {
		t.Fatalf("failure entry %+v", e)
	}
	// A restart still shows the failure: it is newer than the good copy.
	verifyStaged = verifyCopy
	if st := newBackups(t, s, BackupPlan{Dir: b.plan.Dir, Keep: 2}).State(); st.LastFailure == nil || st.Good != 1 {
		t.Fatalf("state after a restart %+v", st)
	}
}

func TestNextBackup(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	s, _, _ := openTest(t)
	cases := []struct {
		name  string
		plan  BackupPlan
		after string
		want  string
	}{
		{"before the time, same day", BackupPlan{At: "02:30"}, "2026-01-10T00:00:00Z", "2026-01-10T01:30:00Z"},
		{"at the time: tomorrow", BackupPlan{At: "02:30"}, "2026-01-10T01:30:00Z", "2026-01-11T01:30:00Z"},
		{"summer time", BackupPlan{At: "02:30"}, "2026-07-01T12:00:00Z", "2026-07-02T00:30:00Z"},
		{"clocks go forward: 04:00 comes 23 hours later", BackupPlan{At: "04:00"}, "2026-03-28T03:00:00Z", "2026-03-29T02:00:00Z"},
		{"clocks go back: 04:00 comes 25 hours later", BackupPlan{At: "04:00"}, "2026-10-24T02:00:00Z", "2026-10-25T03:00:00Z"},
		// 02:30 does not exist on the spring night: the copy runs at 03:30.
		{"02:30 on the spring night", BackupPlan{At: "02:30"}, "2026-03-28T12:00:00Z", "2026-03-29T01:30:00Z"},
		// 02:30 comes twice on the autumn night: one copy, at the second.
		{"02:30 on the autumn night", BackupPlan{At: "02:30"}, "2026-10-24T12:00:00Z", "2026-10-25T01:30:00Z"},
		{"every 6 hours", BackupPlan{Every: 6 * time.Hour}, "2026-03-29T00:15:00Z", "2026-03-29T06:15:00Z"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.plan.Keep = 1
			b := newBackups(t, s, c.plan)
			if got := b.Next(utc(c.after)); !got.Equal(utc(c.want)) {
				t.Fatalf("Next(%s) = %s, want %s", c.after, got.UTC().Format(time.RFC3339), c.want)
			}
		})
	}
	// Over a year with both changes of the clocks: one copy every day.
	b := newBackups(t, s, BackupPlan{At: "02:30", Keep: 1})
	at := utc("2025-12-31T12:00:00Z")
	day := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	for range 400 {
		at = b.Next(at)
		day = day.AddDate(0, 0, 1)
		if !Day(at).Equal(day) {
			t.Fatalf("after %s the next copy is on %s", day.AddDate(0, 0, -1).Format(time.DateOnly), at.In(warsaw))
		}
	}
	if got := b.Schedule(); got != "02:30" {
		t.Fatalf("schedule %q", got)
	}
	if got := newBackups(t, s, BackupPlan{Every: 6 * time.Hour, Keep: 1}).Schedule(); got != "every 6h0m0s" {
		t.Fatalf("schedule %q", got)
	}
}

func TestBackupPlanIsChecked(t *testing.T) {
	s, _, _ := openTest(t)
	dir := t.TempDir()
	for _, p := range []BackupPlan{
		{Dir: dir, Keep: 0, At: "02:30"},
		{Dir: dir, Keep: 1001, At: "02:30"},
		{Dir: dir, Keep: 3, At: "25:00"},
		{Dir: dir, Keep: 3, At: "half past two"},
		{Dir: dir, Keep: 3, Every: time.Second},
		{Dir: dir, Keep: 3, Every: -time.Hour},
		{Keep: 3, At: "02:30"},
	} {
		if _, err := NewBackups(s, p); err == nil {
			t.Errorf("plan %+v accepted", p)
		}
	}
	deep := filepath.Join(dir, "a", "b")
	if _, err := NewBackups(s, BackupPlan{Dir: deep, Keep: 3, At: "2:30"}); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(deep); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("backup directory: %v %v", fi.Mode(), err)
	}
}

func TestRunTakesCopiesOnSchedule(t *testing.T) {
	s, clk, _ := openTest(t)
	b := newBackups(t, s, BackupPlan{Every: 6 * time.Hour, Keep: 10})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var waited time.Duration
	b.wait = func(ctx context.Context, d time.Duration) bool {
		if d > maxWait {
			t.Errorf("a wait of %s", d)
		}
		if good, _, _ := b.list(); len(good) == 3 {
			cancel()
		}
		if ctx.Err() != nil {
			return false
		}
		waited += d
		clk.Add(d)
		return true
	}
	b.Run(ctx)
	got := filesIn(t, b.plan.Dir)
	want := []string{"intranet-20180301-150000.db", "intranet-20180301-210000.db", "intranet-20180302-030000.db"}
	if !slices.Equal(got, want) {
		t.Fatalf("copies %v, want %v", got, want)
	}
	if waited != 18*time.Hour {
		t.Fatalf("waited %s", waited)
	}
	if next := b.State().Next; !next.Equal(time.Date(2018, 3, 2, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("next %s", next)
	}
}

func TestCopiesHoldNoSessions(t *testing.T) {
	s, _, _ := openTest(t)
	u := newUser(t, s, "ola", RoleStaff)
	signIn(t, s, u.ID)
	if got, _ := s.Sessions().Get(liveSessionID); got == nil {
		t.Fatal("no live session to leave out")
	}
	info, err := newBackups(t, s, BackupPlan{Keep: 1}).TakeNow(System)
	if err != nil {
		t.Fatal(err)
	}
	c := openCopy(t, info.Path, Options{ReadOnly: true})
	if got, _ := c.Sessions().Get(liveSessionID); got != nil {
		t.Fatal("the copy holds a live session")
	}
	if err := c.db.View(func(tx *bolt.Tx) error {
		for _, name := range sessionBuckets {
			if k, _ := tx.Bucket(name).Cursor().First(); k != nil {
				t.Errorf("bucket %s is not empty in the copy", name)
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UserByLogin("ola"); err != nil {
		t.Fatal("the copy lacks the account")
	}
}

// damage copies the file at path and spoils the copy with spoil.
func damage(t *testing.T, path string, spoil func(f *os.File, size int64)) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	bad := filepath.Join(t.TempDir(), "damaged.db")
	if err := os.WriteFile(bad, data, 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(bad, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	spoil(f, int64(len(data)))
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return bad
}

// leafInTheMiddle finds a page of records that the database reaches, half
// way through the file.
func leafInTheMiddle(t *testing.T, path string) (id, pageSize int64) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, PreLoadFreelist: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	err = db.View(func(tx *bolt.Tx) error {
		pages := int(tx.Size()) / db.Info().PageSize
		for i := pages / 2; i < pages+pages/2; i++ {
			p, err := tx.Page(i % pages)
			if err != nil {
				return err
			}
			if p != nil && p.Type == "leaf" {
				id, pageSize = int64(p.ID), int64(db.Info().PageSize)
				return nil
			}
		}
		return errors.New("no leaf page")
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, pageSize
}

func TestDamagedCopiesAreRefused(t *testing.T) {
	s, _, dbPath := openTest(t)
	for i := range 200 {
		if _, err := announce(s, fmt.Sprintf("Komunikat %d z dłuższą treścią, żeby było kilka stron", i)); err != nil {
			t.Fatal(err)
		}
	}
	good, err := newBackups(t, s, BackupPlan{Keep: 1}).TakeNow(System)
	if err != nil {
		t.Fatal(err)
	}
	leaf, pageSize := leafInTheMiddle(t, good.Path)
	text := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(text, []byte(strings.Repeat("not a database\n", 1000)), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(t.TempDir(), "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, path, says string
	}{
		{"truncated", damage(t, good.Path, func(f *os.File, size int64) {
			if err := f.Truncate(size / 2); err != nil {
				t.Fatal(err)
			}
		}), "truncated"},
		{"cut inside the meta pages", damage(t, good.Path, func(f *os.File, size int64) {
			if err := f.Truncate(5000); err != nil {
				t.Fatal(err)
			}
		}), ""},
		{"a page of records overwritten", damage(t, good.Path, func(f *os.File, size int64) {
			if _, err := f.WriteAt([]byte(strings.Repeat("\xa5", int(pageSize))), leaf*pageSize); err != nil {
				t.Fatal(err)
			}
		}), "damaged"},
		{"a page's type flipped", damage(t, good.Path, func(f *os.File, size int64) {
			if _, err := f.WriteAt([]byte{0x10}, leaf*pageSize+8); err != nil {
				t.Fatal(err)
			}
		}), "damaged"},
		{"both meta pages spoiled", damage(t, good.Path, func(f *os.File, size int64) {
			for _, off := range []int64{16, pageSize + 16} {
				if _, err := f.WriteAt([]byte{0, 0, 0, 0}, off); err != nil {
					t.Fatal(err)
				}
			}
		}), "not a bbolt database"},
		{"not a database", text, "not a bbolt database"},
		{"empty", empty, "empty"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := VerifyCopy(c.path)
			if !errors.Is(err, ErrBadCopy) || !strings.Contains(err.Error(), c.says) {
				t.Fatalf("VerifyCopy: %v", err)
			}
			t.Log(err)
			if _, err := Restore(dbPath, c.path); !errors.Is(err, ErrBadCopy) {
				t.Fatalf("Restore: %v", err)
			}
		})
	}
	if _, err := VerifyCopy(filepath.Join(t.TempDir(), "none.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a missing copy: %v", err)
	}
	// The live database was never touched: it is still open and in use.
	if n, err := s.Announcements(); err != nil || len(n) != 200 {
		t.Fatalf("after refused restores: %d announcements, %v", len(n), err)
	}
}

// setSchema writes a schema number into a copy's meta bucket.
func setSchema(t *testing.T, path string, v int) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketMeta).Put(keySchema, itob(uint64(v)))
	}); err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestCopiesOfOtherSchemas(t *testing.T) {
	s, _, _ := openTest(t)
	b := newBackups(t, s, BackupPlan{Keep: 5})
	newer, err := b.TakeNow(System)
	if err != nil {
		t.Fatal(err)
	}
	setSchema(t, newer.Path, SchemaVersion()+1)
	if _, err := VerifyCopy(newer.Path); !errors.Is(err, ErrTooNew) {
		t.Fatalf("a copy from a newer binary: %v", err)
	}
	target := filepath.Join(t.TempDir(), "restored.db")
	if _, err := Restore(target, newer.Path); !errors.Is(err, ErrTooNew) {
		t.Fatalf("restore of a copy from a newer binary: %v", err)
	}
	if _, err := os.Stat(target); !errors.Is(err, fs.ErrNotExist) {
		t.Fatal("a refused restore left a database behind")
	}

	older, err := b.TakeNow(System)
	if err != nil {
		t.Fatal(err)
	}
	setSchema(t, older.Path, SchemaVersion()-1)
	info, err := VerifyCopy(older.Path)
	if err != nil || info.Schema != SchemaVersion()-1 {
		t.Fatalf("a copy from an older binary: %+v %v", info, err)
	}
	r, err := Restore(target, older.Path)
	if err != nil || r.Schema != SchemaVersion() || r.Copy.Schema != SchemaVersion()-1 || r.KeptAside != "" {
		t.Fatalf("restore of an older copy into no database: %+v %v", r, err)
	}
}

func TestRestoreRoundTrip(t *testing.T) {
	s, _, path := openTest(t)
	kept, err := announce(s, "Zostaje")
	if err != nil {
		t.Fatal(err)
	}
	b := newBackups(t, s, BackupPlan{Keep: 2})
	copyInfo, err := b.TakeNow(System)
	if err != nil {
		t.Fatal(err)
	}
	lost, err := announce(s, "Zniknie po przywróceniu")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Restore(path, copyInfo.Path); err == nil || !strings.Contains(err.Error(), "stop the service first") {
		t.Fatalf("restore under a running server: %v", err)
	}
	s.Close()
	r, err := Restore(path, copyInfo.Path)
	if err != nil {
		t.Fatal(err)
	}
	if r.Schema != SchemaVersion() || !strings.HasPrefix(r.KeptAside, path+".before-restore-") || r.Copy.Path != copyInfo.Path {
		t.Fatalf("report %+v", r)
	}
	restored := openCopy(t, path, Options{})
	if _, err := restored.Announcement(kept); err != nil {
		t.Fatalf("the restored database lacks what the copy held: %v", err)
	}
	if _, err := restored.Announcement(lost); !errors.Is(err, ErrNotFound) {
		t.Fatalf("the change made after the copy survived the restore: %v", err)
	}
	aside := openCopy(t, r.KeptAside, Options{ReadOnly: true})
	if _, err := aside.Announcement(lost); err != nil {
		t.Fatalf("the database kept aside lacks the later change: %v", err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".intranet-*")); len(leftovers) > 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
}

func TestWriteCopyRefusesToReplaceAFile(t *testing.T) {
	s, _, _ := openTest(t)
	path := filepath.Join(t.TempDir(), "copy.db")
	if err := os.WriteFile(path, []byte("keep me"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.WriteCopy(path); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("copy over a file: %v", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "keep me" {
		t.Fatal("the file was replaced")
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".intranet-*")); len(leftovers) > 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
}

func TestBackupChannel(t *testing.T) {
	s, _, dbPath := openTest(t)
	if _, err := announce(s, "Przez gniazdo"); err != nil {
		t.Fatal(err)
	}
	b := newBackups(t, s, BackupPlan{Keep: 2})
	sock := SocketPath(dbPath)
	// A socket left by a server that was killed is replaced.
	stale, err := net.ListenUnix("unix", &net.UnixAddr{Name: sock, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	stale.SetUnlinkOnClose(false)
	stale.Close()
	ctx, cancel := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- b.Serve(ctx, sock) }()
	out := filepath.Join(t.TempDir(), "copy.db")
	var size int64
	for { // until the server listens
		if size, err = RequestBackup(sock, out); !errors.Is(err, ErrNoBackupChannel) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(sock)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Mode().Type() != fs.ModeSocket {
		t.Fatalf("socket %v %v", fi.Mode(), err)
	}
	info, err := VerifyCopy(out)
	if err != nil || info.Size != size {
		t.Fatalf("the copy: %+v %v (answered %d)", info, err, size)
	}
	if _, err := RequestBackup(sock, out); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("a second copy to the same file: %v", err)
	}
	if _, err := RequestBackup(sock, "relative.db"); err == nil {
		t.Fatal("a relative path accepted")
	}
	page, err := s.Audit(AuditFilter{Entity: "database"})
	if err != nil || len(page.Entries) != 2 || page.Entries[1].Action != ActionBackup || page.Entries[0].Action != ActionBackupFailed {
		t.Fatalf("audit %+v %v", page.Entries, err)
	}
	if st := b.State(); st.Good != 0 || st.LastGood != nil || st.LastFailure != nil {
		t.Fatalf("a copy on request counted as a scheduled one: %+v", st)
	}
	cancel()
	if err := <-served; err != nil {
		t.Fatal(err)
	}
	if _, err := os.Lstat(sock); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the socket stays after Serve: %v", err)
	}
	if _, err := RequestBackup(sock, filepath.Join(t.TempDir(), "x.db")); !errors.Is(err, ErrNoBackupChannel) {
		t.Fatalf("no server: %v", err)
	}
}

func TestServeLeavesAFileThatIsNotASocket(t *testing.T) {
	s, _, dbPath := openTest(t)
	b := newBackups(t, s, BackupPlan{Keep: 2})
	sock := SocketPath(dbPath)
	if err := os.WriteFile(sock, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := b.Serve(t.Context(), sock); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Fatalf("serve over a file: %v", err)
	}
	if data, _ := os.ReadFile(sock); string(data) != "mine" {
		t.Fatal("the file was touched")
	}
}

// Damage anywhere in a file makes VerifyCopy return, never crash the
// process. Alone it proves the structure; a copy just taken is also
// compared with the digest of what was copied, which finds a changed
// value too (damage to free space changes nothing and passes).
func TestVerifyCopySurvivesDamageAnywhere(t *testing.T) {
	s, _, _ := openTest(t)
	for i := range 100 {
		if _, err := announce(s, fmt.Sprintf("Komunikat %d z dłuższą treścią", i)); err != nil {
			t.Fatal(err)
		}
	}
	good, err := newBackups(t, s, BackupPlan{Keep: 1}).TakeNow(System)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good.Path)
	if err != nil {
		t.Fatal(err)
	}
	// The copy's digest is its source's at the moment it was taken (the
	// live database has the backup's audit entry since).
	var sum [32]byte
	c := openCopy(t, good.Path, Options{ReadOnly: true})
	if err := c.db.View(func(tx *bolt.Tx) error { sum, err = contentSum(tx); return err }); err != nil {
		t.Fatal(err)
	}
	c.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	path := filepath.Join(t.TempDir(), "damaged.db")
	refused, refusedBySum := 0, 0
	for range 300 {
		bad := slices.Clone(data)
		at := rng.IntN(len(bad))
		for j := range 1 + rng.IntN(16) {
			if at+j < len(bad) {
				bad[at+j] = byte(rng.Uint32())
			}
		}
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		_, plain := VerifyCopy(path)
		_, bySum := verifyCopy(path, &sum)
		if plain != nil {
			refused++
		}
		if bySum != nil {
			refusedBySum++
		}
		if plain != nil && bySum == nil {
			t.Fatalf("refused alone, accepted with the digest: %v", plain)
		}
	}
	if refused == 0 || refusedBySum <= refused {
		t.Fatalf("damaged files refused: %d by structure, %d with the digest", refused, refusedBySum)
	}
	t.Logf("of 300 damaged files, %d refused by their structure, %d with the digest", refused, refusedBySum)
}
