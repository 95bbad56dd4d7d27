package store

import (
	"errors"
	"fmt"
	"io/fs"
	"syscall"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// A full disk and a storage that does not answer are told apart from the
// person's own mistakes, however deep they are wrapped.
func TestStorageFailure(t *testing.T) {
	for _, c := range []struct {
		err  error
		want string
	}{
		{&fs.PathError{Op: "write", Path: "/var/lib/intranet.db", Err: syscall.ENOSPC}, FailureNoSpace},
		{fmt.Errorf("commit: %w", &fs.PathError{Op: "write", Path: "x", Err: syscall.EDQUOT}), FailureNoSpace},
		{fmt.Errorf("open: %w", bolt.ErrTimeout), FailureUnavailable},
		{&fs.PathError{Op: "fdatasync", Path: "x", Err: syscall.EIO}, FailureUnavailable},
		{bolt.ErrDatabaseReadOnly, FailureUnavailable},
		{ErrNotFound, ""},
		{&ValidationError{}, ""},
		{errors.New("something else"), ""},
		{nil, ""},
	} {
		if got := StorageFailure(c.err); got != c.want {
			t.Errorf("%v: %q, want %q", c.err, got, c.want)
		}
	}
}
