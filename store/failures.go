package store

import (
	"context"
	"errors"
	"os"
	"syscall"

	bolt "go.etcd.io/bbolt"
)

// Why a write failed when it is not the person's doing: the disk is full,
// or the storage does not answer (a read-only or failing disk, a lock not
// given up in time). What was saved before stays safe — bbolt commits a
// transaction whole or not at all — and the form can be sent again later.
const (
	FailureNoSpace     = "no_space"
	FailureUnavailable = "unavailable"
)

// StorageFailure names why err failed in the storage ("" for an error of
// any other kind, such as a validation message or a conflict).
func StorageFailure(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, syscall.ENOSPC), errors.Is(err, syscall.EDQUOT):
		return FailureNoSpace
	case errors.Is(err, syscall.EROFS), errors.Is(err, syscall.EIO), errors.Is(err, syscall.EBADF),
		errors.Is(err, bolt.ErrTimeout), errors.Is(err, bolt.ErrDatabaseNotOpen), errors.Is(err, bolt.ErrDatabaseReadOnly),
		errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return FailureUnavailable
	}
	return ""
}
