package handlers

import (
	"context"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// The administrator's status page and the free-space warning: what a new
// administrator needs to know without a shell — how big the database is
// and how fast it grows, how much disk is left, when the last good backup
// was taken and when the next one is due.

// diskCheckEvery is how long a reading of the free space is trusted: the
// warning on every administrator's page costs a lookup, not a system call.
const diskCheckEvery = 30 * time.Second

// diskReading is the free space last read.
type diskReading struct {
	mu          sync.Mutex
	at          time.Time
	free, total uint64
	err         error
}

// counted is the records counted last: counting reads every record of
// the largest kinds, so a reading serves the page for a minute.
type counted struct {
	mu     sync.Mutex
	at     time.Time
	counts []store.BucketCount
}

func (s *Server) recordCounts() ([]store.BucketCount, error) {
	s.counts.mu.Lock()
	defer s.counts.mu.Unlock()
	if now := time.Now(); s.counts.counts == nil || now.Sub(s.counts.at) >= time.Minute {
		counts, err := s.st.RecordCounts()
		if err != nil {
			return nil, err
		}
		s.counts.at, s.counts.counts = now, counts
	}
	return s.counts.counts, nil
}

// diskSpace reads the free space, at most every diskCheckEvery.
func (s *Server) diskSpace() (free, total uint64, err error) {
	s.disk.mu.Lock()
	defer s.disk.mu.Unlock()
	if now := time.Now(); now.Sub(s.disk.at) >= diskCheckEvery {
		s.disk.at = now
		s.disk.free, s.disk.total, s.disk.err = s.cfg.DiskSpace()
	}
	return s.disk.free, s.disk.total, s.disk.err
}

// diskWarning is the warning an administrator's pages carry when the
// database's disk runs short (nil otherwise, and for everyone else).
func (s *Server) diskWarning(u *store.User) *views.DiskWarning {
	if u == nil || !u.Has(store.RoleAdmin) {
		return nil
	}
	free, total, err := s.diskSpace()
	if err != nil || !store.LowOnSpace(free, total) {
		return nil
	}
	return &views.DiskWarning{Free: humanSize(int64(free)), Total: humanSize(int64(total))}
}

// sampleSizes records the database file's size once a day while the
// server runs, for the growth the status page shows.
func (s *Server) sampleSizes(ctx context.Context) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if err := s.st.NoteSize(s.st.Today()); err != nil && store.StorageFailure(err) == "" {
			s.log.Warn("recording the database size", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

type statusView struct {
	Version     string
	Started     time.Time
	Schema      int
	Size        string
	Growth7     string // "" when no size was recorded that long ago
	Growth30    string
	Free, Total string
	FreeShare   int64 // hundredths of a per cent
	Low         bool
	DiskErr     bool
	Backups     *store.BackupState
	LastGood    *goodCopy
	Counts      []store.BucketCount
	Sessions    int
}

// goodCopy is the last good backup as the page shows it.
type goodCopy struct {
	Taken  time.Time
	Size   string
	Schema int // 0: verified when taken, before the server's restart
}

// growth writes the change of size since a recorded day: "+1.2 MiB".
func growth(now int64, then int64, ok bool) string {
	if !ok {
		return ""
	}
	if now >= then {
		return "+" + humanSize(now-then)
	}
	return "−" + humanSize(then-now)
}

func (s *Server) statusPage(c *fiber.Ctx) error {
	v := statusView{Version: s.cfg.Version, Started: s.started, Schema: s.st.Schema(), Sessions: s.st.SessionCount()}
	size, err := s.st.FileSize()
	if err != nil {
		return err
	}
	v.Size = humanSize(size)
	today := s.st.Today()
	before7, ok7 := s.st.SizeOn(today.AddDate(0, 0, -7))
	before30, ok30 := s.st.SizeOn(today.AddDate(0, 0, -30))
	v.Growth7, v.Growth30 = growth(size, before7, ok7), growth(size, before30, ok30)
	free, total, err := s.diskSpace()
	if err != nil {
		v.DiskErr = true
	} else {
		v.Free, v.Total, v.Low = humanSize(int64(free)), humanSize(int64(total)), store.LowOnSpace(free, total)
		if total > 0 {
			v.FreeShare = store.Share(int64(free), int64(total))
		}
	}
	if s.cfg.Backups != nil {
		st := s.cfg.Backups.State()
		v.Backups = &st
		if g := st.LastGood; g != nil {
			v.LastGood = &goodCopy{Taken: g.Taken, Size: humanSize(g.Size), Schema: g.Schema}
		}
	}
	if v.Counts, err = s.recordCounts(); err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "status", "status.title", v, nil)
}
