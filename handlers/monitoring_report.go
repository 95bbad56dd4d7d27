package handlers

import (
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// The period report: counts by assessment and category, each unit's
// latest assessment with its notes, the actions open at the period's end,
// and the projects' milestones and indicators as they stood then. It
// prints on A4; its notes and its actions are also CSV files.

type reportView struct {
	From, To   string
	R          store.PeriodReport
	Assess     []store.Assessment
	Units      []reportUnit
	UnitsTotal int
	Pager      Pager
	Actions    []reportAction
	Projects   []reportProject
	Milestones int // in all; the projects list at most MaxReportMilestones
	Indicators int
	Shown      struct{ Milestones, Indicators int }
	Query      string // the period as query arguments
}

type reportUnit struct {
	store.UnitReport
	Name  string
	Notes []noteRow
}

type reportAction struct {
	store.ActionLine
	Owner string
}

type reportProject struct {
	P          *store.Project
	Milestones []store.MilestoneAt
	Indicators []store.Standing
}

// ownerName names an action's owner as of day.
func ownerName(d *store.Org, f store.FollowUp, day time.Time) string {
	if f.PersonID != 0 {
		if p := d.PersonByID[f.PersonID]; p != nil {
			return p.FullName()
		}
		return ""
	}
	return d.UnitName(f.UnitID, day)
}

func (s *Server) monitoringReport(c *fiber.Ctx) error {
	reader, d, err := s.monitoringReader(c)
	if err != nil {
		return err
	}
	today := s.st.Today()
	args := readPeriodArgs(c)
	version, res := s.projectVersion(d)
	key := strings.Join([]string{readerScope(reader), views.ISODate(today), args.key(), strconv.Itoa(requestedPage(c))}, "|")
	return s.cachedPageIn(c, &s.monitoring, version+s.st.NotesVersion(), "monitoring_report", "report.title", key, func() (any, error) {
		ix, err := s.st.Notes()
		if err != nil {
			return nil, err
		}
		may := mayLine(reader)
		from, to := args.resolve(ix, may, today)
		v := reportView{From: views.ISODate(from), To: views.ISODate(to), Assess: store.Assessments, Query: periodQuery(from, to).Encode()}
		v.R = store.BuildReport(ix.Lines, from, to, today, may)
		day := v.R.AsOf
		for _, u := range v.R.Units {
			ru := reportUnit{UnitReport: u, Name: d.UnitName(u.UnitID, day)}
			for _, n := range u.Notes {
				ru.Notes = append(ru.Notes, noteRow{NoteLine: n, Subjects: s.subjectNames(d, n.Subjects, day)})
			}
			v.Units = append(v.Units, ru)
		}
		store.SortPolish(v.Units, func(u reportUnit) string { return u.Name })
		// A centre of many teams reads them a page at a time; the
		// counts, the actions and the projects stand on every page.
		v.UnitsTotal = len(v.Units)
		_, _, v.Pager = paginate(c, len(v.Units))
		first := (v.Pager.Page - 1) * perPage
		v.Units = v.Units[first:min(first+perPage, len(v.Units))]
		pagerLinks(&v.Pager, "/monitoring/report", periodQuery(from, to))
		for _, a := range v.R.Actions {
			v.Actions = append(v.Actions, reportAction{ActionLine: a, Owner: ownerName(d, a.FollowUp, day)})
		}
		ms, mTotal := d.MilestonesInPeriod(from, to, day)
		inds, iTotal := d.IndicatorsInPeriod(from, to, day, res)
		v.Milestones, v.Indicators, v.Shown.Milestones, v.Shown.Indicators = mTotal, iTotal, len(ms), len(inds)
		byProject := map[uint64]int{}
		project := func(p *store.Project) *reportProject {
			i, ok := byProject[p.ID]
			if !ok {
				i = len(v.Projects)
				byProject[p.ID] = i
				v.Projects = append(v.Projects, reportProject{P: p})
			}
			return &v.Projects[i]
		}
		for _, m := range ms {
			rp := project(m.Project)
			rp.Milestones = append(rp.Milestones, m)
		}
		for _, ind := range inds {
			rp := project(ind.Project)
			rp.Indicators = append(rp.Indicators, ind)
		}
		return v, nil
	})
}

// reportLines reads the period of an export as the report would.
func (s *Server) reportLines(c *fiber.Ctx) (*store.Org, *store.NotesIndex, store.PeriodReport, func(*store.NoteLine) bool, error) {
	reader, d, err := s.monitoringReader(c)
	if err != nil {
		return nil, nil, store.PeriodReport{}, nil, err
	}
	ix, err := s.st.Notes()
	if err != nil {
		return nil, nil, store.PeriodReport{}, nil, err
	}
	today := s.st.Today()
	may := mayLine(reader)
	from, to := readPeriodArgs(c).resolve(ix, may, today)
	return d, ix, store.PeriodReport{From: from, To: to, AsOf: store.ReportDay(to, today)}, may, nil
}

// reportNotesCSV is every note of the period the reader may see, with its
// text.
func (s *Server) reportNotesCSV(c *fiber.Ctx) error {
	d, ix, r, may, err := s.reportLines(c)
	if err != nil {
		return err
	}
	var ids []uint64
	for i := range ix.Lines {
		l := &ix.Lines[i]
		if !l.Date.Before(r.From) && !l.Date.After(r.To) && (may == nil || may(l)) {
			ids = append(ids, l.ID)
		}
	}
	notes, err := s.st.NotesByID(ids)
	if err != nil {
		return err
	}
	name := func(sub store.Subject) string { return s.subjectNames(d, []store.Subject{sub}, r.AsOf)[0].Name }
	return s.sendCSV(c, "notatki-"+views.ISODate(r.From)+"-"+views.ISODate(r.To), func(w io.Writer) error {
		return store.WriteNotesCSV(w, notes, r, name)
	})
}

// reportActionsCSV is every action of the period's notes as of its end.
func (s *Server) reportActionsCSV(c *fiber.Ctx) error {
	d, ix, r, may, err := s.reportLines(c)
	if err != nil {
		return err
	}
	actions := store.PeriodActions(ix.Lines, r, may)
	return s.sendCSV(c, "dzialania-"+views.ISODate(r.From)+"-"+views.ISODate(r.To), func(w io.Writer) error {
		return store.WriteActionsCSV(w, actions, func(f store.FollowUp) string { return ownerName(d, f, r.AsOf) })
	})
}
