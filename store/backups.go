package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// BackupPlan says where, when and how many copies the server keeps.
type BackupPlan struct {
	Dir  string
	Keep int    // good copies kept, 1 to 1000
	At   string // "HH:MM", Europe/Warsaw, once a day
	// Every, when positive, takes a copy this long after the previous one
	// instead of at a time of day.
	Every time.Duration
	Log   *slog.Logger // nil: slog.Default()
}

// BackupState is what the status page shows about the copies.
type BackupState struct {
	Dir         string
	Keep        int
	Schedule    string // "02:30" or "every 6h0m0s"
	LastGood    *CopyInfo
	LastFailure *BackupFailure
	Next        time.Time
	Good        int // good copies in Dir
}

// BackupFailure is the latest copy that could not be written or verified.
type BackupFailure struct {
	At   time.Time
	Path string
	Err  string
}

// Backups takes verified copies of the database on a schedule into one
// directory and keeps the newest of them. The directory belongs to one
// database: retention counts every copy in it.
type Backups struct {
	st           *Store
	plan         BackupPlan
	hour, minute int
	log          *slog.Logger
	now          func() time.Time
	wait         func(ctx context.Context, d time.Duration) bool
	taking       sync.Mutex // one copy at a time: each reads the whole database
	mu           sync.Mutex // guards what follows
	lastGood     *CopyInfo
	lastFailed   *BackupFailure
	next         time.Time
	good         int
}

// Copies are named by the UTC second they were taken, so that names sort
// in time order whatever the zone; only names of this form are ever
// pruned or renamed.
var (
	goodCopy   = regexp.MustCompile(`^intranet-[0-9]{8}-[0-9]{6}\.db$`)
	failedCopy = regexp.MustCompile(`^intranet-[0-9]{8}-[0-9]{6}\.db\.failed$`)
	partCopy   = regexp.MustCompile(`^\.intranet-[0-9]+\.db\.part$`) // os.CreateTemp's name
)

const copyNameLayout = "intranet-20060102-150405.db"

// NewBackups checks the plan, creates the directory (0700: the copies hold
// personal data) and reads the state of the copies already there.
//
// After a restart the newest good copy is trusted by its name: a copy
// gets that name only after it has passed VerifyCopy (a failed one is
// named .failed), so it is not read again at start.
func NewBackups(st *Store, plan BackupPlan) (*Backups, error) {
	b := &Backups{st: st, plan: plan, log: plan.Log, now: st.now, wait: sleep}
	if b.log == nil {
		b.log = slog.Default()
	}
	if plan.Keep < 1 || plan.Keep > 1000 {
		return nil, fmt.Errorf("backups: keep %d copies? choose 1 to 1000", plan.Keep)
	}
	switch {
	case plan.Every < 0:
		return nil, fmt.Errorf("backups: a negative interval %s", plan.Every)
	case plan.Every > 0 && plan.Every < time.Minute:
		return nil, fmt.Errorf("backups: every %s is too often: at least a minute apart", plan.Every)
	case plan.Every == 0:
		t, err := time.Parse("15:04", plan.At)
		if err != nil {
			return nil, fmt.Errorf("backups: time of day %q: want HH:MM", plan.At)
		}
		b.hour, b.minute = t.Hour(), t.Minute()
	}
	if plan.Dir == "" {
		return nil, errors.New("backups: no directory")
	}
	if err := os.MkdirAll(plan.Dir, 0o700); err != nil {
		return nil, fmt.Errorf("backups: %w", err)
	}
	b.removeParts()
	good, failed, err := b.list()
	if err != nil {
		return nil, err
	}
	b.good = len(good)
	if len(good) > 0 {
		if info, err := b.known(good[len(good)-1]); err == nil {
			b.lastGood = &info
		}
	}
	if n := len(failed); n > 0 && (len(good) == 0 || strings.TrimSuffix(failed[n-1], ".failed") > good[len(good)-1]) {
		path := filepath.Join(plan.Dir, failed[n-1])
		f := &BackupFailure{Path: path, Err: "the copy failed verification (before the server last started; see its log)"}
		if fi, err := os.Stat(path); err == nil {
			f.At = fi.ModTime()
		}
		b.lastFailed = f
	}
	return b, nil
}

// known describes a copy by its name and file alone.
func (b *Backups) known(name string) (CopyInfo, error) {
	path := filepath.Join(b.plan.Dir, name)
	fi, err := os.Stat(path)
	if err != nil {
		return CopyInfo{}, err
	}
	return CopyInfo{Path: path, Size: fi.Size(), Taken: fi.ModTime()}, nil
}

// list returns the names of the good and the failed copies in Dir, oldest first.
func (b *Backups) list() (good, failed []string, err error) {
	entries, err := os.ReadDir(b.plan.Dir)
	if err != nil {
		return nil, nil, fmt.Errorf("backups: %w", err)
	}
	for _, e := range entries { // ReadDir sorts by name: oldest first
		if !e.Type().IsRegular() {
			continue
		}
		switch name := e.Name(); {
		case goodCopy.MatchString(name):
			good = append(good, name)
		case failedCopy.MatchString(name):
			failed = append(failed, name)
		}
	}
	return good, failed, nil
}

// removeParts removes copies a crash left half-written. Only the server
// writes into its directory, and it has not started a copy yet.
func (b *Backups) removeParts() {
	entries, err := os.ReadDir(b.plan.Dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.Type().IsRegular() && partCopy.MatchString(e.Name()) {
			path := filepath.Join(b.plan.Dir, e.Name())
			if err := os.Remove(path); err == nil {
				b.log.Info("half-written backup removed", "file", path)
			}
		}
	}
}

// Schedule describes when copies are taken.
func (b *Backups) Schedule() string {
	if b.plan.Every > 0 {
		return "every " + b.plan.Every.String()
	}
	return fmt.Sprintf("%02d:%02d", b.hour, b.minute)
}

// Next is when the copy after one taken at after is due: the day's At in
// Warsaw (tomorrow's once it has passed), or Every later. The time of day
// is a Warsaw wall-clock time on every day, across changes of the clocks.
func (b *Backups) Next(after time.Time) time.Time {
	if b.plan.Every > 0 {
		return after.Add(b.plan.Every)
	}
	y, m, d := after.In(warsaw).Date()
	t := time.Date(y, m, d, b.hour, b.minute, 0, 0, warsaw)
	if !after.Before(t) {
		t = time.Date(y, m, d+1, b.hour, b.minute, 0, 0, warsaw)
	}
	return t
}

// maxWait bounds one sleep of Run: the wall clock is read again at least
// this often, so that a suspended machine or a clock put right does not
// push a copy off its time.
const maxWait = time.Minute

// Run takes a copy whenever one is due, until ctx ends.
func (b *Backups) Run(ctx context.Context) {
	for {
		next := b.Next(b.now())
		b.mu.Lock()
		b.next = next
		b.mu.Unlock()
		for now := b.now(); now.Before(next); now = b.now() {
			if !b.wait(ctx, min(next.Sub(now), maxWait)) {
				return
			}
		}
		_, _ = b.TakeNow(System) // logged and audited there
	}
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// TakeNow writes a verified copy into the backup directory, then prunes
// the older good copies beyond Keep. The server keeps serving meanwhile:
// the copy is read in one read transaction.
func (b *Backups) TakeNow(a Actor) (CopyInfo, error) {
	b.taking.Lock()
	defer b.taking.Unlock()
	path := b.freeName(b.now())
	tmp, info, err := b.st.stageCopy(b.plan.Dir)
	if err != nil {
		if tmp != "" { // written but refused: kept for a look, never as a good copy
			failed := path + ".failed"
			if rerr := os.Rename(tmp, failed); rerr != nil {
				os.Remove(tmp)
			} else {
				path = failed
				_ = syncDir(b.plan.Dir)
				b.pruneFailed()
			}
		}
		return CopyInfo{}, b.failure(a, path, err, true)
	}
	if err := placeNew(tmp, path); err != nil {
		os.Remove(tmp)
		return CopyInfo{}, b.failure(a, path, err, true)
	}
	if err := syncDir(b.plan.Dir); err != nil {
		return CopyInfo{}, b.failure(a, path, err, true)
	}
	info.Path = path
	good := b.prune(path)
	b.success(a, info)
	b.mu.Lock()
	b.lastGood, b.good = &info, good
	b.mu.Unlock()
	return info, nil
}

// CopyTo writes a verified copy to path, which must not exist yet: the
// backup that `intranet backup` asks a running server for. It is audited
// like a scheduled copy but is not one of the kept copies.
func (b *Backups) CopyTo(a Actor, path string) (CopyInfo, error) {
	b.taking.Lock()
	defer b.taking.Unlock()
	info, err := b.st.WriteCopy(path)
	if err != nil {
		return info, b.failure(a, path, err, false)
	}
	b.success(a, info)
	return info, nil
}

// freeName is the path of a copy taken at t; a second copy within the same
// second takes the next free second, so that names stay unique and in order.
func (b *Backups) freeName(t time.Time) string {
	t = t.UTC().Truncate(time.Second)
	for {
		path := filepath.Join(b.plan.Dir, t.Format(copyNameLayout))
		_, errGood := os.Lstat(path)
		_, errFailed := os.Lstat(path + ".failed")
		if errors.Is(errGood, fs.ErrNotExist) && errors.Is(errFailed, fs.ErrNotExist) {
			return path
		}
		t = t.Add(time.Second)
	}
}

func (b *Backups) success(a Actor, info CopyInfo) {
	b.log.Info("backup written", "file", info.Path, "bytes", info.Size, "schema", info.Schema)
	if err := b.st.Record(a, "database", 0, ActionBackup, Change{Field: "file", New: clip(info.Path)}); err != nil {
		b.log.Error("backup written, but not recorded in the audit log", "file", info.Path, "err", err)
	}
}

// failure logs, audits and (for a kept copy) remembers a failed copy, and
// returns err.
func (b *Backups) failure(a Actor, path string, err error, kept bool) error {
	b.log.Error("backup failed", "file", path, "err", err)
	if rerr := b.st.Record(a, "database", 0, ActionBackupFailed,
		Change{Field: "file", New: clip(path)}, Change{Field: "error", New: clip(err.Error())}); rerr != nil {
		b.log.Error("backup failure not recorded in the audit log", "err", rerr)
	}
	if kept {
		b.mu.Lock()
		b.lastFailed = &BackupFailure{At: b.now(), Path: path, Err: err.Error()}
		b.mu.Unlock()
	}
	return err
}

// prune removes the oldest good copies beyond Keep, never the one just
// taken (a clock once set ahead must not make every new copy the oldest),
// and returns how many good copies remain.
func (b *Backups) prune(keep string) int {
	good, _, err := b.list()
	if err != nil {
		b.log.Error("backup retention", "err", err)
		return 0
	}
	remain := len(good)
	for i := 0; i < len(good) && remain > b.plan.Keep; i++ {
		path := filepath.Join(b.plan.Dir, good[i])
		if path == keep {
			continue
		}
		if err := os.Remove(path); err != nil {
			b.log.Error("backup retention: an old copy stays", "file", path, "err", err)
			continue
		}
		b.log.Info("old backup removed", "file", path)
		remain--
	}
	return remain
}

// pruneFailed keeps at most Keep failed copies: enough to look into, not
// enough to fill the disk night after night.
func (b *Backups) pruneFailed() {
	_, failed, err := b.list()
	if err != nil {
		return
	}
	for i := 0; i+b.plan.Keep < len(failed); i++ {
		if err := os.Remove(filepath.Join(b.plan.Dir, failed[i])); err != nil {
			b.log.Error("backup retention: an old failed copy stays", "file", failed[i], "err", err)
		}
	}
}

// State reports the copies for the status page.
func (b *Backups) State() BackupState {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := BackupState{Dir: b.plan.Dir, Keep: b.plan.Keep, Schedule: b.Schedule(), Next: b.next, Good: b.good}
	if s.Next.IsZero() { // Run has not started
		s.Next = b.Next(b.now())
	}
	if b.lastGood != nil {
		c := *b.lastGood
		c.Counts = append([]BucketCount(nil), c.Counts...)
		s.LastGood = &c
	}
	if b.lastFailed != nil {
		f := *b.lastFailed
		s.LastFailure = &f
	}
	return s
}

// WriteCopy writes a verified copy of the database to path, which must not
// exist yet; nothing is left at path unless the copy passed VerifyCopy.
func (s *Store) WriteCopy(path string) (CopyInfo, error) {
	if _, err := os.Lstat(path); err == nil { // said before the copy is made; placeNew is what makes it certain
		return CopyInfo{}, fmt.Errorf("%s already exists; choose a new file", path)
	}
	dir := filepath.Dir(path)
	tmp, info, err := s.stageCopy(dir)
	if tmp != "" && err != nil {
		os.Remove(tmp)
	}
	if err != nil {
		return CopyInfo{}, err
	}
	if err := placeNew(tmp, path); err != nil {
		os.Remove(tmp)
		return CopyInfo{}, err
	}
	if err := syncDir(dir); err != nil {
		return CopyInfo{}, err
	}
	info.Path = path
	return info, nil
}

// stageCopy writes the copy to a temporary file in dir, on disk, and
// verifies it. It returns the temporary file when it was written, also if
// it failed verification, so that the caller decides what becomes of it.
//
// A copy is verified before it gets its name, so that a file with a copy's
// name has always passed: a crash between the two leaves a temporary file,
// never an unverified copy that looks good.
func (s *Store) stageCopy(dir string) (tmp string, info CopyInfo, err error) {
	f, err := os.CreateTemp(dir, ".intranet-*.db.part")
	if err != nil {
		return "", info, fmt.Errorf("backup: %w", err)
	}
	tmp = f.Name()
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return "", info, fmt.Errorf("backup: %w", err)
	}
	var sum [32]byte
	if err := s.copyTo(tmp, &sum); err != nil {
		os.Remove(tmp)
		return "", info, fmt.Errorf("backup: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return "", info, fmt.Errorf("backup: %w", err)
	}
	info, err = verifyStaged(tmp, &sum)
	if err != nil {
		return tmp, info, fmt.Errorf("backup: the copy failed verification: %w", err)
	}
	return tmp, info, nil
}

// verifyStaged is verifyCopy; tests make it fail.
var verifyStaged = verifyCopy

// placeNew gives the file tmp the name path, refusing to replace a file
// already there.
func placeNew(tmp, path string) error {
	err := os.Link(tmp, path) // fails if path exists, unlike a rename
	if err == nil {
		return os.Remove(tmp)
	}
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("%s already exists; choose a new file", path)
	}
	// A file system without hard links: a rename after a look, which a
	// file created in between would lose to.
	if _, serr := os.Lstat(path); serr == nil {
		return fmt.Errorf("%s already exists; choose a new file", path)
	}
	return os.Rename(tmp, path)
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// syncDir makes a new name in dir survive a crash, not only the file's contents.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
