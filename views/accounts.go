package views

import (
	"strings"

	"intranet/store"
)

// RoleNames is an account's set of roles, named and joined: "koordynator
// projektu, trener / superwizor".
func RoleNames(l *Lang, rs []store.Role) string {
	names := make([]string, len(rs))
	for i, r := range rs {
		names[i] = l.T("role." + string(r))
	}
	return strings.Join(names, ", ")
}

// AccountState names an account's state on the day it was read, with the
// day it ended: "wygasło 31.12.2018".
func AccountState(l *Lang, st store.AccountState) string {
	switch st.Status {
	case store.AccountActive:
		return l.T("user.active")
	case store.AccountExpired:
		return l.T("user.expired_on", "Date", Date(st.On))
	case store.AccountEmploymentEnded:
		return l.T("user.employment_ended_on", "Date", Date(st.On))
	}
	return l.T("user.inactive")
}
