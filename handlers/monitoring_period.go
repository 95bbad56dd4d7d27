package handlers

import (
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// The period the status matrix and the report cover: ?from= and ?to= as
// typed (inclusive days), or by default the twelve months up to the month
// of the latest note the reader may see. Both pages read it as of its end.

// maxReportYears bounds a report's period.
const maxReportYears = 10

// periodArgs are the period as the request gave it, for the cache key.
type periodArgs struct{ from, to string }

func readPeriodArgs(c *fiber.Ctx) periodArgs {
	cut := func(s string) string {
		if len(s) > 10 {
			return s[:10]
		}
		return s
	}
	return periodArgs{from: cut(c.Query("from")), to: cut(c.Query("to"))}
}

func (a periodArgs) key() string { return a.from + "|" + a.to }

// resolve makes the days of the period: what was typed, completed to a
// year when only one end was, or the default.
func (a periodArgs) resolve(ix *store.NotesIndex, may func(*store.NoteLine) bool, today time.Time) (from, to time.Time) {
	f, okF := views.ParseDate(a.from)
	t, okT := views.ParseDate(a.to)
	switch {
	case okF && okT:
		from, to = store.Day(f), store.Day(t)
	case okF:
		from = store.Day(f)
		to = from.AddDate(1, 0, -1)
	case okT:
		to = store.Day(t)
		from = to.AddDate(-1, 0, 1)
	default:
		last := today
		if lines, n := ix.Find(store.NoteQuery{May: may}, 0, 1); n > 0 {
			last = lines[0].Date
		}
		first := time.Date(last.Year(), last.Month(), 1, 0, 0, 0, 0, time.UTC)
		return first.AddDate(0, -11, 0), first.AddDate(0, 1, -1)
	}
	if to.Before(from) {
		from, to = to, from
	}
	if limit := to.AddDate(-maxReportYears, 0, 1); from.Before(limit) {
		from = limit
	}
	return from, to
}

// periodQuery is the period as query arguments, for links and exports.
func periodQuery(from, to time.Time) url.Values {
	return url.Values{"from": {views.ISODate(from)}, "to": {views.ISODate(to)}}
}

// notesOfMonth links a matrix cell: its one note, or the list of the
// unit's notes of that month.
func notesOfMonth(unit uint64, month time.Time, cell store.MatrixCell) string {
	if cell.Notes == 1 {
		return "/monitoring/notes/" + strconv.FormatUint(cell.Latest, 10)
	}
	q := periodQuery(month, month.AddDate(0, 1, -1))
	q.Set("unit", strconv.FormatUint(unit, 10))
	return "/monitoring?" + q.Encode()
}

// pagerLinks points a pager kept in a cached page at base with the query
// as the handler understood it (not as typed: the page is served to
// everyone who asks for the same thing).
func pagerLinks(p *Pager, base string, q url.Values) {
	p.linkPages(func(n int) string {
		q.Set("page", strconv.Itoa(n))
		return base + "?" + q.Encode()
	})
}
