package store

import (
	"io"
	"strconv"
	"strings"
	"time"
)

// MilestoneColumns are the columns of a project's milestones CSV. Planned
// and baseline periods are written as two inclusive dates each; a one-day
// milestone has the same date in both.
var MilestoneColumns = []string{"Lp.", "Kamień milowy", "Planowany od", "Planowany do", "Pierwotny termin od",
	"Pierwotny termin do", "Liczba zmian terminu", "Status", "Opóźniony", "Data realizacji", "Produkty", "Uwagi"}

// milestoneStatusWords are the Polish names of milestone statuses, for
// files that leave the intranet (CSV, iCalendar) and so cannot be
// translated by the views.
var milestoneStatusWords = map[MilestoneStatus]string{
	MilestonePlanned:    "planowany",
	MilestoneInProgress: "w toku",
	MilestoneDone:       "zrealizowany",
	MilestoneCancelled:  "anulowany",
}

// milestoneStatusWord names a status in Polish; an unknown one as stored.
func milestoneStatusWord(s MilestoneStatus) string {
	if w, ok := milestoneStatusWords[s]; ok {
		return w
	}
	return string(s)
}

// WriteMilestonesCSV writes the milestones of project p, cancelled ones
// included, in the given order, with whether each is late on today (a
// civil date, see Day). The file holds only the header and one row per
// milestone, like every other CSV file: the project belongs in the file
// name, since a title row would break column detection in spreadsheets.
// p is not written; it is taken for symmetry with WriteMilestonesICS, and
// the caller chooses the milestones (normally all of p's, by date).
func WriteMilestonesCSV(w io.Writer, p *Project, ms []*Milestone, today time.Time) error {
	cw, err := newCSVWriter(w, MilestoneColumns)
	if err != nil {
		return err
	}
	n := 0
	for _, m := range ms {
		if m == nil {
			continue
		}
		n++
		_ = cw.Write([]string{strconv.Itoa(n), m.Title, csvDate(m.Planned.From), csvDate(m.Planned.End()),
			csvDate(m.Baseline.From), csvDate(m.Baseline.End()), strconv.Itoa(len(m.Replans)), milestoneStatusWord(m.Status),
			yesNo(m.Late(today)), csvDate(m.Actual), strings.Join(m.Deliverables, "; "), m.Notes})
	}
	cw.Flush()
	return cw.Error()
}
