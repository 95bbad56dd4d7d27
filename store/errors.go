package store

import (
	"errors"
	"fmt"
)

// Error codes shared by the store and the HTTP layer. The HTTP layer maps each
// code to a status and shows the user only the message ID, never internals.
const (
	ENotFound     = "not_found"
	EConflict     = "conflict"
	EInvalid      = "invalid"
	EUnauthorized = "unauthorized"
	EForbidden    = "forbidden"
	EBusy         = "busy"
)

// Error is a domain error with a code and a message ID from the locale catalogue.
type Error struct {
	Code    string
	Message string // message ID, translated by the views
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

// Errorf builds a domain error.
func Errorf(code, message string) *Error { return &Error{Code: code, Message: message} }

// ErrorCode returns the code of a domain error, or "" for any other error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	var v *ValidationError
	if errors.As(err, &v) {
		return EInvalid
	}
	var c *ConflictError
	if errors.As(err, &c) {
		return EConflict
	}
	return ""
}

// ErrNotFound is returned when a record does not exist.
var ErrNotFound = Errorf(ENotFound, "error.not_found")

// ValidationError lists message IDs per form field; nothing was written.
type ValidationError struct {
	Fields map[string]string
}

func (v *ValidationError) Error() string { return fmt.Sprintf("invalid fields: %v", v.Fields) }

// Add records a problem with a field; the first problem per field wins.
func (v *ValidationError) Add(field, message string) {
	if v.Fields == nil {
		v.Fields = map[string]string{}
	}
	if _, ok := v.Fields[field]; !ok {
		v.Fields[field] = message
	}
}

// Err returns nil when no field had a problem.
func (v *ValidationError) Err() error {
	if len(v.Fields) == 0 {
		return nil
	}
	return v
}

// ConflictError means the record changed since the caller read it. Current
// holds the stored record so that the user can compare both versions.
type ConflictError struct {
	Entity  string
	ID      uint64
	Current any
}

func (c *ConflictError) Error() string {
	return fmt.Sprintf("%s %d was changed by someone else", c.Entity, c.ID)
}
