package handlers

import (
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// The schedule's printed documents: a session's attendance list, which
// participants sign and a funder's controller reads, and a course's
// delivered hours. Sessions and marks are not part of the structure's
// snapshot (its version does not move when a mark is recorded): what is
// kept of them is kept under the schedule's version too (scheduleVersion),
// which every change of a session, a mark, a scan or a logo moves, so a
// kept list never shows a participant who has left or a mark before its
// correction.

// attendanceView is what an attendance list prints.
type attendanceView struct {
	Session   *store.Session
	Course    *store.Course
	Project   *store.Project // nil: a course of no project
	Logo      template.URL   // the project's logo strip, if it has one
	EU        bool           // print the EU funding line
	Weekday   int            // 0 is Monday, as the catalogue's weekday.N
	From, To  string
	Units     int
	Place     string // the building's name and address, or the address typed
	Trainers  []store.Trainer
	Rows      []attendanceRow
	Cancelled bool
	// Once attendance is recorded the list says what was recorded: who
	// was present, and the units delivered; before, it is a blank to sign.
	Held        bool
	Present     int
	Enrolled    int
	Corrections []correctionLine
}

// attendanceRow is one numbered row to sign; a spare row has no person.
type attendanceRow struct {
	N        int
	Name     string
	Unit     string
	Presence store.Presence // "" before attendance is recorded
	Attended int            // units, for late or left early
}

// correctionLine is a mark changed after the list was confirmed.
type correctionLine struct {
	Name   string
	Mark   store.Mark
	Reason string
}

// spareRows are the blank numbered rows under the participants, for
// someone who joins on the day.
const spareRows = 3

// attendanceList is a session's printable attendance list (lista
// obecności). Coordinators and administrators print any; a trainer prints
// the lists of the sessions they run: the right comes from the session's
// link to the trainer, not from the role.
func (s *Server) attendanceList(c *fiber.Ctx, issued bool) (document, error) {
	// The version is read before the data a list may be kept under.
	org, err := s.loadOrg()
	if err != nil {
		return document{}, err
	}
	version := s.scheduleVersion(org)
	ss, err := byParam(c, s.st.Session)
	if err != nil {
		return document{}, err
	}
	trainers := make([]store.Trainer, 0, len(ss.TrainerIDs))
	runsIt := false
	u := userOf(c)
	for _, id := range ss.TrainerIDs {
		t, err := s.st.Trainer(id)
		if store.ErrorCode(err) == store.ENotFound {
			continue
		}
		if err != nil {
			return document{}, err
		}
		runsIt = runsIt || (u != nil && t.UserID != 0 && t.UserID == u.ID)
		trainers = append(trainers, *t)
	}
	if !canEditOrg(u) && !runsIt {
		return document{}, fiber.ErrForbidden
	}
	course, err := s.st.Course(ss.CourseID)
	if err != nil {
		return document{}, err
	}
	l := language(c)
	doc := document{name: "attendance_list", title: "attendance_print.title",
		owner: "attendance:" + strconv.FormatUint(ss.ID, 10), project: course.ProjectID, issue: true,
		file: l.T("attendance_print.title") + " " + ss.Date.Format("2006-01-02") + " " + course.Title}
	if issued {
		doc.data, err = s.attendanceData(ss, course, trainers, true)
		return doc, err
	}
	// Kept per version of the schedule (marks, confirmations, the logo)
	// and the structure (names, units): printed lists are asked for often
	// on the day of a session.
	ck := contentKey{name: "attendance", key: strconv.FormatUint(ss.ID, 10), lang: l.Code, version: version}
	doc.content, err = keep(&s.schedule, ck, func() (template.HTML, error) {
		v, err := s.attendanceData(ss, course, trainers, false)
		if err != nil {
			return "", err
		}
		return s.html("pages/"+doc.name, &views.Page{Name: doc.name, L: l, Title: l.T(doc.title), Centre: s.st.Centre(), Data: v})
	})
	return doc, err
}

// attendanceData is what a session's list prints.
func (s *Server) attendanceData(ss *store.Session, course *store.Course, trainers []store.Trainer, issued bool) (attendanceView, error) {
	d, err := s.loadOrg()
	if err != nil {
		return attendanceView{}, err
	}
	marks, err := s.st.Marks(ss.ID)
	if err != nil {
		return attendanceView{}, err
	}
	v := attendanceView{Session: ss, Course: course, Project: d.ProjectByID[course.ProjectID], Trainers: trainers,
		Weekday: (int(ss.Date.Weekday()) + 6) % 7, From: store.Clock(ss.Start), To: store.Clock(ss.End),
		Units: ss.HourUnits(course.Unit), Place: placeOf(d, ss), Cancelled: ss.Status == store.SessionCancelled,
		Held: store.Held(marks), Enrolled: len(ss.Participants)}
	v.EU = v.Project != nil && v.Project.Kind == store.KindEUProject
	if v.Logo, err = s.logoSrc(course.ProjectID, issued); err != nil {
		return v, err
	}
	people := make([]*store.Staff, 0, len(ss.Participants))
	for _, id := range ss.Participants {
		if p := d.PersonByID[id]; p != nil {
			people = append(people, p)
		}
	}
	store.SortPolish(people, func(p *store.Staff) string { return p.LastName }, func(p *store.Staff) string { return p.FirstName })
	for i, p := range people {
		row := attendanceRow{N: i + 1, Name: p.FullName(), Unit: unitsOf(d, p, ss.Date)}
		if m, ok := marks[p.ID]; ok {
			row.Presence, row.Attended = m.Presence, m.Attended(v.Units)
			if row.Attended > 0 {
				v.Present++
			}
			if m.Correction != "" {
				v.Corrections = append(v.Corrections, correctionLine{Name: p.FullName(), Mark: m, Reason: m.Correction})
			}
		}
		v.Rows = append(v.Rows, row)
	}
	for i := range spareRows {
		v.Rows = append(v.Rows, attendanceRow{N: len(people) + i + 1})
	}
	return v, nil
}

// placeOf is a session's place in one line: the building's name and
// address, or the address typed for a place outside the structure.
func placeOf(d *store.Org, ss *store.Session) string {
	if loc := d.LocationByID[ss.LocationID]; loc != nil {
		if loc.Street != "" && strings.Contains(loc.Name, loc.Street) { // "Centrum Aktywności Seniorów – ul. Janasa 11"
			return strings.TrimSpace(loc.Name + ", " + loc.PostalCode + " " + loc.City)
		}
		return loc.Name + ", " + loc.Address()
	}
	return ss.Address
}

// unitsOf names the units a person worked in on day (as they were named
// then), or, for someone not employed that day, their last ones.
func unitsOf(d *store.Org, p *store.Staff, day time.Time) string {
	var names []string
	for _, post := range d.Posts(p, day) {
		if post.Unit != "" && !slices.Contains(names, post.Unit) {
			names = append(names, post.Unit)
		}
	}
	return strings.Join(names, ", ")
}

// summaryView is what a course's printed summary shows.
type summaryView struct {
	Course   *store.Course
	Project  *store.Project
	Today    time.Time
	Delivery store.Delivery
	People   int // distinct participants with units attended
	Sessions []heldSession
	Persons  []personHours
	Present  int // sessions attended, over every person
}

type heldSession struct {
	*store.Session
	From, To string
	Units    int
}

// personHours is one person's attendance in a course, in the course's unit.
type personHours struct {
	Name     string
	Unit     string // today
	Sessions int
	Units    int
}

// courseSummary prints what a course delivered: its held sessions and, per
// person, the sessions and units attended — always in the course's own unit,
// so clock and lesson hours are never added together.
func (s *Server) courseSummary(c *fiber.Ctx, _ bool) (document, error) {
	course, err := byParam(c, s.st.Course)
	if err != nil {
		return document{}, err
	}
	v, _, _, err := s.summaryOf(course)
	if err != nil {
		return document{}, err
	}
	return document{name: "course_summary", title: "course_print.title", data: v, owner: "summary:" + strconv.FormatUint(course.ID, 10),
		project: course.ProjectID, issue: canEditOrg(userOf(c)), file: language(c).T("course_print.title") + " " + course.Title}, nil
}

// summaryOf adds up what a course delivered, with its sessions and marks.
func (s *Server) summaryOf(course *store.Course) (summaryView, []store.Session, map[uint64]map[uint64]store.Mark, error) {
	del, sessions, marks, err := s.st.CourseDelivery(course)
	if err != nil {
		return summaryView{}, nil, nil, err
	}
	d, err := s.loadOrg()
	if err != nil {
		return summaryView{}, nil, nil, err
	}
	today := s.st.Today()
	v := summaryView{Course: course, Project: d.ProjectByID[course.ProjectID], Today: today, Delivery: del, People: len(del.PersonUnits)}
	counted := map[uint64]bool{}
	var people []*store.Staff
	for i := range sessions {
		ss := &sessions[i]
		if ss.Status == store.SessionCancelled || !store.Held(marks[ss.ID]) {
			continue
		}
		v.Sessions = append(v.Sessions, heldSession{Session: ss, From: store.Clock(ss.Start), To: store.Clock(ss.End), Units: ss.HourUnits(course.Unit)})
		// Everyone enrolled in a held session is listed, those who
		// attended none of it with zero: a controller asks about them too.
		for _, id := range ss.Participants {
			if p := d.PersonByID[id]; p != nil && !counted[id] {
				counted[id] = true
				people = append(people, p)
			}
		}
	}
	store.SortPolish(people, func(p *store.Staff) string { return p.LastName }, func(p *store.Staff) string { return p.FirstName })
	for _, p := range people {
		v.Persons = append(v.Persons, personHours{Name: p.FullName(), Unit: unitsOf(d, p, today), Sessions: del.Present[p.ID], Units: del.PersonUnits[p.ID]})
		v.Present += del.Present[p.ID]
	}
	return v, sessions, marks, nil
}
