package store

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"time"
)

// RestoreReport says what Restore did.
type RestoreReport struct {
	Copy CopyInfo // the copy as verified before it was put in place
	// KeptAside is the replaced database's new name; "" when there was none.
	KeptAside string
	// Replaced says why the replaced database did not open, when it did
	// not (a damaged file is the usual reason to restore).
	Replaced string
	Schema   int // the restored database's schema after its migrations
}

// Restore puts the copy at from in place of the database at dbPath, which
// no server may be using. The copy is verified first; the database it
// replaces is kept as dbPath.before-restore-YYYYMMDD-HHMMSS (UTC); the
// restored file is opened once, so that its migrations run.
func Restore(dbPath, from string) (RestoreReport, error) {
	var r RestoreReport
	info, err := VerifyCopy(from)
	if err != nil {
		return r, fmt.Errorf("restore: the copy is refused: %w", err)
	}
	r.Copy = info
	// The database stays locked while it is replaced: a server started
	// meanwhile waits for the lock, then times out, or finds the new file.
	unlock := func() {}
	switch db, err := openShared(dbPath); {
	case err == nil:
		unlock = func() { db.Close() }
	case errors.Is(err, ErrLocked):
		return r, fmt.Errorf("restore: %s is in use: stop the service first", dbPath)
	case errors.Is(err, fs.ErrNotExist): // nothing to keep aside
	default:
		// A damaged file takes no lock; a server that opened it before it
		// was damaged would still answer on its backup channel.
		if conn, derr := net.DialTimeout("unix", SocketPath(dbPath), time.Second); derr == nil {
			conn.Close()
			return r, fmt.Errorf("restore: the server on %s is running: stop the service first", dbPath)
		}
		r.Replaced = err.Error()
	}
	defer func() { unlock() }()

	dir := filepath.Dir(dbPath)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return r, fmt.Errorf("restore: %w", err)
	}
	tmp, err := copyFile(from, dir)
	if err != nil {
		return r, fmt.Errorf("restore: %w", err)
	}
	defer os.Remove(tmp) // gone already once renamed into place
	// Read again from where it will be used: a disk can fail a copy too.
	if _, err := VerifyCopy(tmp); err != nil {
		return r, fmt.Errorf("restore: the copy beside the database failed verification: %w", err)
	}
	moved := false // the old file left dbPath: a failure must bring it back
	if _, err := os.Lstat(dbPath); err == nil {
		aside := freeAside(dbPath, time.Now())
		// A second name for the old file, so that dbPath never goes
		// missing: a server starting now finds one database or the other.
		if err := os.Link(dbPath, aside); err != nil {
			if err := os.Rename(dbPath, aside); err != nil {
				return r, fmt.Errorf("restore: keeping the database aside: %w", err)
			}
			moved = true
		}
		r.KeptAside = aside
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		if moved {
			_ = os.Rename(r.KeptAside, dbPath)
		} else if r.KeptAside != "" {
			os.Remove(r.KeptAside)
		}
		return RestoreReport{Copy: r.Copy}, fmt.Errorf("restore: %w (the database is unchanged)", err)
	}
	if err := syncDir(dir); err != nil {
		return r, fmt.Errorf("restore: the copy is in place, but: %w", err)
	}
	unlock()
	unlock = func() {}
	st, err := Open(dbPath, Options{})
	if err != nil {
		return r, fmt.Errorf("restore: the copy is in place, but it does not open: %w", err)
	}
	r.Schema = st.Schema()
	return r, st.Close()
}

// freeAside is the name the replaced database is kept under.
func freeAside(dbPath string, t time.Time) string {
	t = t.UTC().Truncate(time.Second)
	for {
		aside := dbPath + ".before-restore-" + t.Format("20060102-150405")
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			return aside
		}
		t = t.Add(time.Second)
	}
}

// copyFile copies the file at from into a new temporary file in dir, on
// disk, and returns its path.
func copyFile(from, dir string) (string, error) {
	src, err := os.Open(from)
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, err := os.CreateTemp(dir, ".intranet-restore-*.part")
	if err != nil {
		return "", err
	}
	_, err = io.Copy(dst, src)
	if err == nil {
		err = dst.Sync()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst.Name())
		return "", err
	}
	return dst.Name(), nil
}
