package handlers

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// A subject's timeline: the notes about a unit or a milestone over time,
// the trend of their assessments drawn above the list (which is the
// drawing's data table), and for a unit its filled-in checklists side by
// side.

// maxTrendNotes bounds the drawing: the latest notes of a subject.
const maxTrendNotes = 200

type timelineView struct {
	Kind    store.SubjectKind
	ID      uint64
	Name    string
	Href    string // the record itself
	Project *store.Project
	Trend   views.Trend
	Lines   []noteRow
	Pager   Pager
	Total   int
	Write   bool
	New     string // a new note about the subject
	Grids   []checklistGrid
}

func (s *Server) unitTimeline(c *fiber.Ctx) error {
	return s.subjectTimeline(c, store.SubjectUnit)
}

func (s *Server) milestoneTimeline(c *fiber.Ctx) error {
	return s.subjectTimeline(c, store.SubjectMilestone)
}

func (s *Server) subjectTimeline(c *fiber.Ctx, kind store.SubjectKind) error {
	reader, d, err := s.monitoringReader(c)
	if err != nil {
		return err
	}
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil {
		return fiber.ErrNotFound
	}
	today := s.st.Today()
	v := timelineView{Kind: kind, ID: id, Write: userOf(c).Has(store.RoleMonitoring)}
	switch kind {
	case store.SubjectUnit:
		if d.UnitByID[id] == nil {
			return fiber.ErrNotFound
		}
		if !reader.All && !reader.Units[id] {
			return fiber.ErrForbidden
		}
		v.Name, v.Href = d.UnitName(id, today), "/org/units/"+strconv.FormatUint(id, 10)
		v.New = "/monitoring/notes/new?unit=" + strconv.FormatUint(id, 10)
	case store.SubjectMilestone:
		m := d.MilestoneByID[id]
		if m == nil {
			return fiber.ErrNotFound
		}
		v.Name, v.Href, v.Project = m.Title, "/projects/milestones/"+strconv.FormatUint(id, 10), d.ProjectByID[m.ProjectID]
		v.New = "/monitoring/notes/new?milestone=" + strconv.FormatUint(id, 10)
	}
	page := requestedPage(c)
	key := strings.Join([]string{readerScope(reader), string(kind), strconv.FormatUint(id, 10), views.ISODate(today), strconv.Itoa(page),
		strconv.FormatBool(v.Write)}, "|")
	version := d.Version + s.st.NotesVersion() + s.st.ChecklistsVersion()
	l := language(c)
	return s.cachedPageIn(c, &s.monitoring, version, "monitoring_timeline", "timeline_page.title", key, func() (any, error) {
		ix, err := s.st.Notes()
		if err != nil {
			return nil, err
		}
		q := store.NoteQuery{Subject: store.Subject{Kind: kind, ID: id}, May: mayLine(reader)}
		all, total := ix.Find(q, 0, maxTrendNotes)
		v.Total = total
		var trend []views.TrendNote
		for _, n := range all {
			trend = append(trend, views.TrendNote{Date: n.Date, Assessment: n.Assessment, Title: n.Title})
		}
		v.Trend = views.NewTrend(l, string(kind)+strconv.FormatUint(id, 10), l.T("trend.title", "Name", v.Name), trend)
		_, _, v.Pager = paginate(c, total)
		pagerLinks(&v.Pager, "/monitoring/"+string(kind)+"s/"+strconv.FormatUint(id, 10), url.Values{})
		lines, _ := ix.Find(q, (v.Pager.Page-1)*perPage, perPage)
		for _, n := range lines {
			v.Lines = append(v.Lines, noteRow{NoteLine: n, Subjects: s.subjectNames(d, n.Subjects, n.Date), Overdue: n.Overdue(today), Open: len(n.OpenDue)})
		}
		if kind == store.SubjectUnit {
			if v.Grids, err = s.checklistGrids(id); err != nil {
				return nil, err
			}
		}
		return v, nil
	})
}
