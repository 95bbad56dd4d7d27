package handlers

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// The status matrix: the teams (rows) by months (columns), each cell the
// latest assessment of the month in a word and a symbol, linking to the
// notes behind it. Rows are the teams and single positions of the
// period's end, and every unit a note of the period is about; a head of a
// unit sees only the units they head. It prints on A4 landscape.

type matrixView struct {
	From, To string // the period's days, for the form
	Start    time.Time
	End      time.Time
	AsOf     time.Time
	Months   []time.Time
	Rows     []matrixRow
	Pager    Pager
	Total    int
	Report   string // the report of the same period
}

type matrixRow struct {
	Unit  uint64
	Name  string
	Cells []matrixCell
}

type matrixCell struct {
	store.MatrixCell
	Href string
}

// readerScope names what a reader may see, for cache keys.
func readerScope(r store.ReaderOf) string {
	if r.All {
		return "all"
	}
	return fmt.Sprint(slices.Sorted(maps.Keys(r.Units)))
}

// mayLine is the reader's filter of note lines (nil: every note).
func mayLine(r store.ReaderOf) func(*store.NoteLine) bool {
	if r.All {
		return nil
	}
	return func(l *store.NoteLine) bool { return r.May(l.Subjects) }
}

func (s *Server) monitoringMatrix(c *fiber.Ctx) error {
	reader, d, err := s.monitoringReader(c)
	if err != nil {
		return err
	}
	today := s.st.Today()
	args := readPeriodArgs(c)
	page := requestedPage(c)
	key := strings.Join([]string{readerScope(reader), views.ISODate(today), args.key(), strconv.Itoa(page)}, "|")
	return s.cachedPageIn(c, &s.monitoring, d.Version+s.st.NotesVersion(), "monitoring_matrix", "matrix.title", key, func() (any, error) {
		ix, err := s.st.Notes()
		if err != nil {
			return nil, err
		}
		may := mayLine(reader)
		from, to := args.resolve(ix, may, today)
		v := matrixView{From: views.ISODate(from), To: views.ISODate(to), Start: from, End: to, AsOf: store.ReportDay(to, today)}
		v.Report = "/monitoring/report?" + periodQuery(from, to).Encode()
		units := s.matrixUnits(d, ix, reader, from, to)
		v.Total = len(units)
		_, _, v.Pager = paginate(c, len(units))
		first := (v.Pager.Page - 1) * perPage
		units = units[first:min(first+perPage, len(units))]
		pagerLinks(&v.Pager, "/monitoring/matrix", periodQuery(from, to))
		lines := ix.Lines
		if may != nil {
			lines = nil
			for i := range ix.Lines {
				if may(&ix.Lines[i]) {
					lines = append(lines, ix.Lines[i])
				}
			}
		}
		m := store.BuildMatrix(lines, units, from, to)
		v.Months = m.Months
		for _, u := range units {
			row := matrixRow{Unit: u, Name: d.UnitName(u, v.AsOf)}
			for i, cell := range m.Cells[u] {
				mc := matrixCell{MatrixCell: cell}
				if cell.Notes > 0 {
					mc.Href = notesOfMonth(u, m.Months[i], cell)
				}
				row.Cells = append(row.Cells, mc)
			}
			v.Rows = append(v.Rows, row)
		}
		return v, nil
	})
}

// matrixUnits are the matrix's rows: the teams and positions that exist
// at the period's end (for a head, the units they head) and the units
// the period's notes are about, in the Polish order of their names then;
// units gone by then follow.
func (s *Server) matrixUnits(d *store.Org, ix *store.NotesIndex, reader store.ReaderOf, from, to time.Time) []uint64 {
	noted := map[uint64]bool{}
	for i := range ix.Lines {
		l := &ix.Lines[i]
		if l.Date.Before(from) || l.Date.After(to) || !reader.May(l.Subjects) {
			continue
		}
		for _, sub := range l.Subjects {
			if sub.Kind == store.SubjectUnit && (reader.All || reader.Units[sub.ID]) {
				noted[sub.ID] = true
			}
		}
	}
	var out []uint64
	for _, ch := range d.UnitChoices(to) {
		team := ch.Kind == store.KindTeam || ch.Kind == store.KindPosition
		if noted[ch.ID] || reader.All && team || !reader.All && reader.Units[ch.ID] {
			out = append(out, ch.ID)
			delete(noted, ch.ID)
		}
	}
	gone := slices.Sorted(maps.Keys(noted))
	return append(out, gone...)
}
