package store

import (
	"reflect"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what one record may hold. They live here, beside the validation
// that enforces them, so that forms, imports and the command line are all
// bounded the same way: no request can grow the database or a page without
// limit.
const (
	MaxPhones      = 10  // phone numbers on a person, unit or location
	MaxLocations   = 20  // addresses of one unit
	MaxUnitStates  = 200 // dated states in a unit's history
	MaxEmailLen    = 120
	MaxHoursLen    = 60  // one day's opening hours as typed
	MaxAuditValue  = 500 // characters of an old or new value kept in the audit log
	maxPhoneLength = 24
)

// WithMax attaches a limit to a message ID ("error.too_long:100"); the
// views show the number in the message ("at most 100 characters").
func WithMax(id string, max int) string { return id + ":" + strconv.Itoa(max) }

// bidi controls reorder the text around them: a name holding U+202E shows
// the rest of its line reversed on every page that prints it.
func isBidiControl(r rune) bool {
	switch {
	case r == '\u061c', r == '\u200e', r == '\u200f':
		return true
	case r >= '\u202a' && r <= '\u202e':
		return true
	case r >= '\u2066' && r <= '\u2069':
		return true
	}
	return false
}

// CleanText removes what no one types on purpose and what breaks pages and
// files: invalid UTF-8, control characters other than tab and new line, and
// bidirectional controls. Windows line ends become "\n".
func CleanText(s string) string {
	clean := true
	for _, r := range s {
		if r == utf8.RuneError || r == '\r' || isBidiControl(r) || (unicode.IsControl(r) && r != '\n' && r != '\t') {
			clean = false
			break
		}
	}
	if clean {
		return s // the common case costs one scan and no allocation
	}
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n', r == '\t':
			return r
		case isBidiControl(r), unicode.IsControl(r):
			return -1
		}
		return r
	}, s)
}

// tidy applies CleanText to every string a record holds (fields, lists,
// arrays and nested structs), so that each entity gets the rule by calling
// it first in Validate, including entities added later.
func tidy(v any) { tidyValue(reflect.ValueOf(v)) }

func tidyValue(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			tidyValue(v.Elem())
		}
	case reflect.String:
		if v.CanSet() {
			if s := v.String(); CleanText(s) != s {
				v.SetString(CleanText(s))
			}
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				tidyValue(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		if k := v.Type().Elem().Kind(); k >= reflect.Bool && k <= reflect.Complex128 {
			return // numbers only (a list of IDs): nothing to clean, however long
		}
		for i := 0; i < v.Len(); i++ {
			tidyValue(v.Index(i))
		}
	}
}

func requireText(v *ValidationError, field, value string, max int) {
	if strings.TrimSpace(value) == "" {
		v.Add(field, "error.required")
		return
	}
	limitText(v, field, value, max)
}

func limitText(v *ValidationError, field, value string, max int) {
	if utf8.RuneCountInString(value) > max {
		v.Add(field, WithMax("error.too_long", max))
	}
}

// limitList refuses a list longer than max.
func limitList(v *ValidationError, field string, n, max int) bool {
	if n > max {
		v.Add(field, WithMax("error.too_many", max))
		return false
	}
	return true
}

func validEmail(v *ValidationError, field, email string) {
	switch {
	case email == "":
	case utf8.RuneCountInString(email) > MaxEmailLen:
		v.Add(field, WithMax("error.too_long", MaxEmailLen))
	case !emailPattern.MatchString(email):
		v.Add(field, "error.email")
	}
}

func validPhones(v *ValidationError, field string, phones []string) {
	if !limitList(v, field, len(phones), MaxPhones) {
		return
	}
	for _, p := range phones {
		if len(p) > maxPhoneLength || !phonePattern.MatchString(p) || len(digits(p)) < 6 {
			v.Add(field, "error.phone")
		}
	}
}

// uniqueIDs drops repeated IDs, keeping the first of each; it stops at the
// first ID over max, which the caller's limit then refuses: a list of
// thousands costs one pass, and what comes back is at most max+1 long.
func uniqueIDs(ids []uint64, max int) []uint64 {
	if len(ids) < 2 {
		return ids
	}
	seen := make(map[uint64]bool, min(len(ids), max+1))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			if out = append(out, id); len(out) > max {
				break
			}
		}
	}
	return out
}

// clip shortens a value kept in the audit log, saying how much was left out.
func clip(s string) string {
	if utf8.RuneCountInString(s) <= MaxAuditValue {
		return s
	}
	runes := []rune(s)
	return string(runes[:MaxAuditValue]) + "… (+" + strconv.Itoa(len(runes)-MaxAuditValue) + ")"
}
