package handlers

import (
	"bytes"
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// The schedule as CSV: an import with a preview and a row-by-row report,
// stored all or none; exports of sessions (the import's columns) and of
// attendance.

type scheduleImportView struct {
	Rows     []scheduleImportRow
	Bad      int
	Clashes  int
	CSV      string
	Problem  string
	Columns  []string
	Override string
	Saved    bool
}

type scheduleImportRow struct {
	store.ScheduleRow
	Conflicts []conflictLine
	More      int // conflicts not listed
}

// previewConflicts bounds the conflicts the preview lists per row: a
// file of thousands of clashing rows stays a page of its rows.
const previewConflicts = 5

func (s *Server) scheduleImportPage(c *fiber.Ctx) error {
	return s.page(c, fiber.StatusOK, "schedule_import", "schedule_import.title", scheduleImportView{Columns: store.ScheduleColumns}, nil)
}

// scheduleImport previews an uploaded schedule; a second post with
// confirm=1 stores it, all rows or none.
func (s *Server) scheduleImport(c *fiber.Ctx) error {
	v := scheduleImportView{Columns: store.ScheduleColumns, Override: strings.TrimSpace(formValue(c, "override"))}
	refuse := func(problem string) error {
		v.Problem = problem
		return s.page(c, fiber.StatusUnprocessableEntity, "schedule_import", "schedule_import.title", v, nil)
	}
	data, problem, err := readUpload(c)
	if err != nil {
		return err
	}
	if problem != "" {
		return refuse(problem)
	}
	rows, err := store.ParseScheduleCSV(bytes.NewReader(data))
	if err != nil {
		if store.ErrorCode(err) != store.EInvalid {
			return err
		}
		return refuse(domainMessage(err))
	}
	v.CSV = string(data)
	sessions, err := s.st.ResolveSchedule(rows)
	if err != nil {
		return err
	}
	var good []store.Session
	for i := range rows {
		if len(rows[i].Errors) > 0 {
			v.Bad++
		} else {
			good = append(good, sessions[i])
		}
	}
	if v.Bad == 0 && formValue(c, "confirm") == "1" {
		err := s.st.SaveSessions(s.actor(c), good, store.Plan{Override: v.Override})
		if _, clash := asConflicts(err); err == nil || !clash {
			if store.ErrorCode(err) == store.EInvalid { // a day filled meanwhile
				return refuse(domainMessage(err))
			}
			if err != nil {
				return err
			}
			return redirect(c, withOK("/schedule", "imported_sessions"))
		}
	}
	// The preview: each row's problems and its conflicts.
	conflicts, others, err := s.st.CheckSessions(sessions)
	if err != nil {
		return err
	}
	l := language(c)
	for i, r := range rows {
		row := scheduleImportRow{ScheduleRow: r}
		if len(r.Errors) == 0 {
			shown := conflicts[i]
			if len(shown) > previewConflicts {
				shown, row.More = shown[:previewConflicts], len(shown)-previewConflicts
			}
			if row.Conflicts, err = s.conflictLines(l, shown, others); err != nil {
				return err
			}
			if store.Blocking(conflicts[i]) {
				v.Clashes++
			}
		}
		v.Rows = append(v.Rows, row)
	}
	status := fiber.StatusOK
	if v.Bad > 0 || (formValue(c, "confirm") == "1" && v.Clashes > 0) {
		status = fiber.StatusUnprocessableEntity
	}
	return s.page(c, status, "schedule_import", "schedule_import.title", v, nil)
}

// maxExportSessions bounds one export (the import reads as many rows).
const maxExportSessions = store.MaxImportRows

// exportSessions are the sessions of an export: from and to (the current
// year by default), of one course or all.
func (s *Server) exportSessions(c *fiber.Ctx) ([]store.Session, *lookups, error) {
	today := s.st.Today()
	from, to := today.AddDate(0, 0, 1-today.YearDay()), today.AddDate(1, 0, -today.YearDay())
	if d, ok := parseDay(c.Query("from")); ok {
		from = d
	}
	if d, ok := parseDay(c.Query("to")); ok {
		to = d
	}
	course, _ := strconv.ParseUint(c.Query("course"), 10, 64)
	lk, err := s.lookups()
	if err != nil {
		return nil, nil, err
	}
	var list []store.Session
	if course != 0 {
		list, err = s.st.CourseSessionsBetween(course, from, to, maxExportSessions)
	} else {
		list, _, err = s.st.SessionsBetween(from, to, 0, maxExportSessions, nil)
	}
	return list, lk, err
}

// scheduleCSV exports sessions in the import's format.
func (s *Server) scheduleCSV(c *fiber.Ctx) error {
	list, lk, err := s.exportSessions(c)
	if err != nil {
		return err
	}
	rows := make([]store.ScheduleRow, 0, len(list))
	for _, ss := range list {
		course := lk.course(ss.CourseID)
		place := ""
		if l := lk.org.LocationByID[ss.LocationID]; l != nil {
			place = l.Name
		} else if ss.Address != "" {
			place = store.AddressPrefix + " " + ss.Address
		}
		var trainers []string
		for _, id := range ss.TrainerIDs {
			trainers = append(trainers, lk.trainer(id).Name)
		}
		rows = append(rows, store.ScheduleRow{Date: ss.Date, Start: ss.Start, End: ss.End, Kind: course.Kind, Course: course.Title,
			Part: ss.Part, Trainer: strings.Join(trainers, ", "), Location: place, Group: ss.Group, Units: ss.Units})
	}
	return s.sendCSV(c, "harmonogram", func(w io.Writer) error { return store.WriteScheduleCSV(w, rows) })
}

// attendanceCSV exports who attended which session (names: for those who
// manage the schedule only).
func (s *Server) attendanceCSV(c *fiber.Ctx) error {
	list, lk, err := s.exportSessions(c)
	if err != nil {
		return err
	}
	l := views.For("pl")
	var rows []store.AttendanceRow
	for _, ss := range list {
		marks, err := s.st.Marks(ss.ID)
		if err != nil {
			return err
		}
		if len(marks) == 0 {
			continue
		}
		course := lk.course(ss.CourseID)
		for _, id := range ss.Participants {
			p := lk.org.PersonByID[id]
			if p == nil {
				continue
			}
			row := store.AttendanceRow{Date: ss.Date, Start: ss.Start, End: ss.End, Course: course.Title, Part: ss.Part, Group: ss.Group,
				LastName: p.LastName, FirstName: p.FirstName, Unit: primaryUnit(lk.org, p, ss.Date)}
			if m, ok := marks[id]; ok {
				row.Presence = l.T("presence." + string(m.Presence))
				row.Units = m.Attended(ss.HourUnits(course.Unit))
			}
			rows = append(rows, row)
		}
	}
	return s.sendCSV(c, "obecnosci", func(w io.Writer) error { return store.WriteAttendanceCSV(w, rows) })
}
