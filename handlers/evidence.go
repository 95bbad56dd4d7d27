package handlers

import (
	"html/template"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// The evidence pack of a course (one contract: 26 trainings, 156 lesson
// hours of supervision): what a funder's controller reads in one go — the
// contract's facts, every session with its place, trainer, units, who
// confirmed the list and the scans, each person's units, delivered
// against contracted, what each indicator counts, and the open problems.

type evidenceView struct {
	summaryView
	Logo       template.URL
	HoursShare int64 // delivered of contracted, hundredths of a per cent
	Lines      []evidenceLine
	Indicators []evidenceIndicator
	Problems   []evidenceLine // sessions with findings
	// Found counts the sessions with each finding (message ID → count),
	// in the order of Kinds.
	Found map[string]int
	Kinds []string
}

type evidenceLine struct {
	*store.Session
	From, To  string
	Place     string
	Trainers  string
	Units     int
	Present   int
	Scans     []store.File
	Evidence  store.Evidence
	Problems  []string
	Cancelled bool
}

// evidenceIndicator is an indicator that counts the course, with the
// sessions it counts (of this course and the others it adds up).
type evidenceIndicator struct {
	*store.Indicator
	Value   int64
	Counted []countedSession
}

type countedSession struct {
	Date   string
	Course string
	This   bool // of the course the pack is about
}

// problemKinds are the findings in the order a controller reads them.
var problemKinds = []string{"evidence.problem_late", "evidence.problem_unpublished", "evidence.problem_unconfirmed",
	"evidence.problem_no_scan", "evidence.problem_corrected"}

// evidencePack is kept per version of the schedule and the structure
// (scans, marks, publications and logos all move the first): it reads
// every session of the course, so it is made once per change, not once
// per reader. An issued copy is made afresh, with its images inside.
func (s *Server) evidencePack(c *fiber.Ctx, issued bool) (document, error) {
	course, err := byParam(c, s.st.Course)
	if err != nil {
		return document{}, err
	}
	l := language(c)
	doc := document{name: "evidence_pack", title: "evidence.title", owner: "evidence:" + strconv.FormatUint(course.ID, 10),
		project: course.ProjectID, issue: canEditOrg(userOf(c)), file: l.T("evidence.title") + " " + course.Title}
	if issued {
		doc.data, err = s.evidenceData(course, true)
		return doc, err
	}
	org, err := s.loadOrg()
	if err != nil {
		return document{}, err
	}
	ck := contentKey{name: "evidence", key: strconv.FormatUint(course.ID, 10) + "|" + views.ISODate(s.st.Today()), lang: l.Code, version: s.scheduleVersion(org)}
	doc.content, err = keep(&s.schedule, ck, func() (template.HTML, error) {
		v, err := s.evidenceData(course, false)
		if err != nil {
			return "", err
		}
		return s.html("pages/"+doc.name, &views.Page{Name: doc.name, L: l, Title: l.T(doc.title), Centre: s.st.Centre(), Data: v})
	})
	return doc, err
}

// evidenceData gathers what the evidence pack shows.
func (s *Server) evidenceData(course *store.Course, issued bool) (evidenceView, error) {
	sum, sessions, marks, err := s.summaryOf(course)
	if err != nil {
		return evidenceView{}, err
	}
	v := evidenceView{summaryView: sum, Found: map[string]int{}, Kinds: problemKinds}
	if course.ContractedHours > 0 {
		v.HoursShare = min(store.Share(int64(sum.Delivery.Units), int64(course.ContractedHours)), 99999)
	}
	if v.Logo, err = s.logoSrc(course.ProjectID, issued); err != nil {
		return v, err
	}
	lk, err := s.lookups()
	if err != nil {
		return v, err
	}
	var first map[uint64]bool
	publishes := false
	if p := sum.Project; p != nil {
		if first, err = s.st.FirstPublished(p.ID, p.LeadDays); err != nil {
			return v, err
		}
		publishes = len(first) > 0
	}
	owners := make([]string, len(sessions))
	for i := range sessions {
		owners[i] = store.SessionOwner(sessions[i].ID)
	}
	scans, err := s.st.FilesOfAll(store.PurposeScan, owners)
	if err != nil {
		return v, err
	}
	for i := range sessions {
		ss := &sessions[i]
		l := evidenceLine{Session: ss, From: store.Clock(ss.Start), To: store.Clock(ss.End), Place: placeOf(lk.org, ss),
			Units: ss.HourUnits(course.Unit), Scans: scans[owners[i]], Cancelled: ss.Status == store.SessionCancelled}
		l.Evidence = store.EvidenceOf(ss, marks[ss.ID], len(l.Scans), first, publishes)
		names := make([]string, 0, len(ss.TrainerIDs))
		for _, id := range ss.TrainerIDs {
			names = append(names, lk.trainer(id).Name)
		}
		l.Trainers = strings.Join(names, ", ")
		for _, m := range marks[ss.ID] {
			if m.Attended(l.Units) > 0 {
				l.Present++
			}
		}
		if l.Problems = l.Evidence.Problems(); len(l.Problems) > 0 {
			v.Problems = append(v.Problems, l)
			for _, p := range l.Problems {
				v.Found[p]++
			}
		}
		v.Lines = append(v.Lines, l)
	}
	if sum.Project != nil {
		for _, ind := range lk.org.IndicatorsOf(sum.Project.ID) {
			if !slices.Contains(ind.CourseIDs, course.ID) {
				continue
			}
			comp, err := s.st.Computed(ind)
			if err != nil {
				return v, err
			}
			ei := evidenceIndicator{Indicator: ind}
			if n := len(comp.Readings); n > 0 {
				ei.Value = comp.Readings[n-1].Value
			}
			for _, ss := range comp.Sessions {
				ei.Counted = append(ei.Counted, countedSession{Date: ss.Date.Format("02.01.2006"), Course: lk.course(ss.CourseID).Title, This: ss.CourseID == course.ID})
			}
			v.Indicators = append(v.Indicators, ei)
		}
	}
	return v, nil
}

// projectProblems are the findings over a project's courses, for the
// project page: counts per kind and the first sessions with any.
type projectProblems struct {
	Found   map[string]int
	Kinds   []string
	Lines   []problemLine
	More    int // sessions with findings beyond those listed
	Courses []store.Course
}

type problemLine struct {
	Session  store.Session
	Course   string
	Problems []string
}

// maxProblemLines bounds the project page's list; the evidence pack of
// each course lists them all.
const maxProblemLines = 20

func (s *Server) projectProblems(p *store.Project) (*projectProblems, error) {
	courses, err := s.st.Courses()
	if err != nil {
		return nil, err
	}
	first, err := s.st.FirstPublished(p.ID, p.LeadDays)
	if err != nil {
		return nil, err
	}
	v := &projectProblems{Found: map[string]int{}, Kinds: problemKinds}
	for i := range courses {
		course := &courses[i]
		if course.ProjectID != p.ID {
			continue
		}
		v.Courses = append(v.Courses, *course)
		_, sessions, marks, err := s.st.CourseDelivery(course)
		if err != nil {
			return nil, err
		}
		scans, err := s.st.ScanCounts(sessions)
		if err != nil {
			return nil, err
		}
		for j := range sessions {
			ss := &sessions[j]
			problems := store.EvidenceOf(ss, marks[ss.ID], scans[ss.ID], first, len(first) > 0).Problems()
			if len(problems) == 0 {
				continue
			}
			for _, k := range problems {
				v.Found[k]++
			}
			if len(v.Lines) < maxProblemLines {
				v.Lines = append(v.Lines, problemLine{Session: *ss, Course: course.Title, Problems: problems})
			} else {
				v.More++
			}
		}
	}
	return v, nil
}
