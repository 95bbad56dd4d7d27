package handlers

import (
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// Sessions of the schedule: planned by coordinators and administrators;
// their attendance taken by their own trainer (or a coordinator).

// runs reports whether the signed-in account runs the session: one of
// its trainers (at most a few) is linked to the account.
func (s *Server) runs(c *fiber.Ctx, ss *store.Session) bool {
	u := userOf(c)
	if u == nil {
		return false
	}
	for _, id := range ss.TrainerIDs {
		if t, err := s.st.Trainer(id); err == nil && t.UserID == u.ID {
			return true
		}
	}
	return false
}

// participantRow is one participant on the session page and in its
// attendance form.
type participantRow struct {
	Person  *store.Staff
	Unit    string
	Mark    store.Mark
	Marked  bool
	Visible bool // the name may be shown to this reader
	Problem string
}

type sessionView struct {
	sessionLine
	Project   *store.Project
	Rows      []participantRow
	Hidden    int // participants this reader sees only as a count
	Present   int
	Marked    int
	Held      bool
	Confirm   bool // the reader may confirm the list now
	own       bool // the reader runs the session (found once, by sessionAccess)
	Edit      bool // plan the session (coordinators, administrators)
	Monitor   bool // write a monitoring note about it (monitoring specialists)
	Take      bool // take attendance now
	TakeLater bool // the reader will take it once the session has begun
	Print     bool // may print the attendance list
	Notes     bool // may read the notes
	// Scans of the signed list: who sees the names sees them; the
	// trainer and coordinators attach them, coordinators remove them.
	SeeScans    bool
	AttachScan  bool
	RemoveScans bool
	Scans       []store.File
	Unit        string
	UnitChoices template.HTML
	Query       string                 // the search for people to enrol
	Found       []store.DirectoryEntry // its matches
	OthersField template.HTML          // sessions of the same course to copy participants from (rendered)
	Presences   []presenceChoice
	Problem     string
	Table       template.HTML // the participants' table, rendered (see attendanceTable)
	// An enrolment refused for its conflicts, to confirm with a reason.
	EnrolConflicts []conflictLine
	EnrolPeople    []uint64
	History        []historyLine
}

// attendanceTable is what the participants' table shows.
type attendanceTable struct {
	Rows      []participantRow
	Units     int
	Presences []presenceChoice
	Take      bool
	Instant   bool // each change saved at once (not for a confirmed list)
	Action    string
}

// presenceChoice is one choice of the attendance form with its words and
// key, translated once per page rather than once per participant.
type presenceChoice struct {
	Value      store.Presence
	Label, Key string
}

func presenceChoices(l *views.Lang) []presenceChoice {
	out := make([]presenceChoice, len(store.Presences))
	for i, p := range store.Presences {
		out[i] = presenceChoice{Value: p, Label: l.T("presence." + string(p)), Key: l.T("presence_key." + string(p))}
	}
	return out
}

func (s *Server) sessionPage(c *fiber.Ctx) error {
	return s.showSession(c, fiber.StatusOK, sessionExtras{})
}

// sessionExtras are what a refused post adds to the session page.
type sessionExtras struct {
	problems  map[uint64]string // per participant, from an attendance form
	problem   string            // message ID
	conflicts []conflictLine    // of an enrolment
	people    []uint64          // whom the enrolment would add
}

// showSession renders the session page, with what a refused post adds.
func (s *Server) showSession(c *fiber.Ctx, status int, x sessionExtras) error {
	problems, problem := x.problems, x.problem
	// The version is read before the data it may keep a table under.
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	version := s.scheduleVersion(d)
	ss, err := byParam(c, s.st.Session)
	if err != nil {
		return err
	}
	if userOf(c).External && !s.runs(c, ss) { // someone from outside sees only their own sessions
		return fiber.ErrForbidden
	}
	v, lk, key, err := s.sessionAccess(c, ss)
	if err != nil {
		return err
	}
	// Each person's unit on the day, and Polish order: done only when the
	// table is rendered.
	table := func() (template.HTML, error) {
		t := attendanceTable{Rows: v.Rows, Units: v.Units, Presences: v.Presences, Take: v.Take, Instant: ss.Confirmed == nil,
			Action: "/schedule/sessions/" + strconv.FormatUint(ss.ID, 10) + "/attendance"}
		for i := range t.Rows {
			t.Rows[i].Unit = primaryUnit(d, t.Rows[i].Person, ss.Date)
		}
		store.SortPolish(t.Rows, func(r participantRow) string { return r.Person.LastName + " " + r.Person.FirstName })
		return s.html("attendance-table", map[string]any{"L": language(c), "R": t})
	}
	if len(problems) > 0 || problem != "" || len(x.conflicts) > 0 || c.Query("q") != "" { // what this request brought: not kept
		if err := s.fillSession(c, ss, lk, &v); err != nil {
			return err
		}
		v.EnrolConflicts, v.EnrolPeople = x.conflicts, x.people
		for i := range v.Rows {
			v.Rows[i].Problem = problems[v.Rows[i].Person.ID]
		}
		v.Problem = problem
		if v.Table, err = table(); err != nil {
			return err
		}
		return s.page(c, status, "training_session", "sessions.title", v, nil)
	}
	// Otherwise the page depends on the data, the day and the reader's view
	// of the session: kept under the schedule's version.
	return s.cachedPageIn(c, &s.schedule, version, "training_session", "sessions.title", key, func() (any, error) {
		if err := s.fillSession(c, ss, lk, &v); err != nil {
			return nil, err
		}
		v.Table, err = table()
		return v, err
	})
}

// sessionAccess is what the reader may do with the session and see of
// it, and a key that tells readers with the same view apart from others.
func (s *Server) sessionAccess(c *fiber.Ctx, ss *store.Session) (sessionView, *lookups, string, error) {
	lk, err := s.lookups()
	if err != nil {
		return sessionView{}, nil, "", err
	}
	today := s.st.Today()
	u := userOf(c)
	v := sessionView{sessionLine: lk.line(*ss, today), Presences: presenceChoices(language(c)), Edit: canEditOrg(u)}
	v.Project = lk.org.ProjectByID[v.Course.ProjectID]
	v.Unit = string(v.Course.Unit)
	own := s.runs(c, ss)
	v.own = own
	me := lk.org.PersonOfUser[u.ID]
	open := ss.Status != store.SessionCancelled && (v.Project == nil || !v.Project.Frozen())
	// A confirmed list is corrected by coordinators only, with a reason.
	v.Take = (own && ss.Confirmed == nil || v.Edit) && open && !ss.Date.After(today)
	v.TakeLater = (own || v.Edit) && open && ss.Date.After(today)
	v.Print = own || v.Edit
	v.Monitor = u.Has(store.RoleMonitoring)
	supervision := v.Course.Kind == store.CourseSupervision
	v.Notes = !supervision || own || (me != nil && ss.Enrolled(me.ID))
	v.SeeScans = !supervision || v.Print
	v.AttachScan = v.Print && open && !ss.Date.After(today)
	v.RemoveScans = v.Edit && (v.Project == nil || !v.Project.Closed())
	// Who attends supervision is known by name to fewer people (see
	// fillSession): those others see a view of their own.
	viewer := "all"
	if supervision && !own && !v.Edit {
		viewer = strconv.FormatUint(u.ID, 10)
	}
	key := strconv.FormatUint(ss.ID, 10) + "|" + views.ISODate(today) + "|" + viewer + "|" + fmt.Sprint(v.Edit, v.Take, v.TakeLater, v.Print, v.Notes, v.SeeScans, v.AttachScan, v.RemoveScans, v.Monitor)
	return v, lk, key, nil
}

// fillSession adds the participants, their marks and the means to enrol
// more to a session's view.
func (s *Server) fillSession(c *fiber.Ctx, ss *store.Session, lk *lookups, v *sessionView) error {
	today := s.st.Today()
	marks, err := s.st.Marks(ss.ID)
	if err != nil {
		return err
	}
	u := userOf(c)
	own := v.own
	me := lk.org.PersonOfUser[u.ID]
	supervision := v.Course.Kind == store.CourseSupervision
	var heads map[string]bool
	if supervision {
		heads = headedUnits(lk.org, me, ss.Date)
	}
	open := ss.Status != store.SessionCancelled && (v.Project == nil || !v.Project.Frozen())
	v.Held = store.Held(marks)
	v.Confirm = ss.Confirmed == nil && open && len(marks) > 0 && len(marks) >= len(ss.Participants) &&
		(own || v.Edit && len(ss.TrainerIDs) == 0)
	v.History = historyLines(lk, ss, language(c))
	if v.SeeScans {
		if v.Scans, err = s.st.Files(store.PurposeScan, store.SessionOwner(ss.ID)); err != nil {
			return err
		}
	}
	for _, id := range ss.Participants {
		p := lk.org.PersonByID[id]
		if p == nil {
			continue
		}
		row := participantRow{Person: p} // its unit is filled when the table is rendered
		row.Mark, row.Marked = marks[id]
		if row.Marked {
			v.Marked++
			if row.Mark.Attended(v.Units) > 0 {
				v.Present++
			}
		}
		// Who attends supervision is known by name to the person, the
		// supervisor, coordinators, administrators and the heads of the
		// person's unit; everyone else sees counts.
		row.Visible = !supervision || own || v.Edit || (me != nil && me.ID == id) || (len(heads) > 0 && heads[primaryUnit(lk.org, p, ss.Date)])
		if !row.Visible {
			v.Hidden++
			continue
		}
		v.Rows = append(v.Rows, row)
	}
	if v.Edit && open {
		if v.UnitChoices, err = s.options(lk.org.Version, "units", views.ISODate(today), lk.org.UnitChoices(today), 0); err != nil {
			return err
		}
		// People are found by typing part of a name (as in the directory),
		// not chosen from a list of everyone.
		if v.Query = strings.TrimSpace(c.Query("q")); v.Query != "" {
			if len(v.Query) > 100 {
				v.Query = v.Query[:100]
			}
			v.Found, _ = lk.org.Directory(ss.Date).Find(store.DirectoryQuery{Text: v.Query, Limit: 20})
		}
		// The course's sessions of the last half year, to copy people from:
		// read once per change of the schedule.
		key := strconv.FormatUint(ss.ID, 10)
		v.OthersField, err = s.cachedRowIn(&s.schedule, language(c), s.scheduleVersion(lk.org), "enrol-others", key, func() (any, error) {
			others, err := s.st.CourseSessionsBetween(ss.CourseID, ss.Date.AddDate(0, -6, 0), ss.Date.AddDate(0, 1, 0), 30)
			var out []store.Session
			for _, o := range others {
				if o.ID != ss.ID && len(o.Participants) > 0 {
					out = append(out, o)
				}
			}
			return out, err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// headedUnits are the names of the units a person heads on day.
func headedUnits(d *store.Org, me *store.Staff, day time.Time) map[string]bool {
	out := map[string]bool{}
	if me == nil {
		return out
	}
	for _, u := range d.Units {
		if st, ok := u.At(day); ok && st.HeadID == me.ID {
			out[st.Name] = true
		}
	}
	return out
}

// Attendance: one form of every participant (works without JavaScript),
// or, from htmx, one participant's mark at a time.

func (s *Server) takeAttendance(c *fiber.Ctx) error {
	ss, err := byParam(c, s.st.Session)
	if err != nil {
		return err
	}
	if !s.runs(c, ss) && !canEditOrg(userOf(c)) || ss.Confirmed != nil && !canEditOrg(userOf(c)) {
		return fiber.ErrForbidden // a confirmed list is corrected by a coordinator
	}
	correction := formValue(c, "correction")
	course, err := s.st.Course(ss.CourseID)
	if err != nil {
		return err
	}
	// A settled project's list takes no form at all, not even one that
	// would change nothing: the answer must not say "saved".
	if course.ProjectID != 0 {
		if p, err := s.st.Project(course.ProjectID); err == nil && p.Frozen() {
			return s.refused(c, course.Title, "/schedule/sessions/"+c.Params("id"), store.Errorf(store.EConflict, "error.project_settled"))
		}
	}
	total := ss.HourUnits(course.Unit)
	marks, err := s.st.Marks(ss.ID)
	if err != nil {
		return err
	}
	f := newForm(c)
	if one := f.id("person"); one != 0 {
		return s.markOne(c, ss, total, marks, one)
	}
	all := formValue(c, "all") == "present"
	problems := map[uint64]string{}
	conflict := false
	for _, p := range ss.Participants {
		id := strconv.FormatUint(p, 10)
		presence := store.Presence(formValue(c, "p_"+id))
		units, _ := strconv.Atoi(formValue(c, "u_"+id))
		version, _ := strconv.Atoi(formValue(c, "v_"+id))
		old, marked := marks[p]
		if all && !marked {
			presence, units = store.Present, 0
		}
		if presence == "" || (marked && old.Presence == presence && (old.Units == units || (presence != store.Late && presence != store.LeftEarly))) {
			continue
		}
		_, err := s.st.MarkAttendance(s.actor(c), ss.ID, p, version, presence, units, correction)
		switch {
		case err == nil:
		case isConflictErr(err):
			conflict = true
			problems[p] = "error.mark_changed"
		case store.ErrorCode(err) == store.EConflict:
			return s.refused(c, ss.Topic, "/schedule/sessions/"+c.Params("id"), err)
		default:
			var verr *store.ValidationError
			if !errors.As(err, &verr) {
				return err
			}
			problems[p] = domainMessage(err)
		}
	}
	if len(problems) > 0 {
		status := fiber.StatusUnprocessableEntity
		if conflict {
			status = fiber.StatusConflict
		}
		return s.showSession(c, status, sessionExtras{problems: problems, problem: "sessions.marks_problems"})
	}
	return redirect(c, withOK("/schedule/sessions/"+c.Params("id")+"#attendance", "marks_saved"))
}

// markOne saves one participant's mark and answers with their row.
func (s *Server) markOne(c *fiber.Ctx, ss *store.Session, total int, marks map[uint64]store.Mark, person uint64) error {
	id := strconv.FormatUint(person, 10)
	presence := store.Presence(formValue(c, "p_"+id))
	units, _ := strconv.Atoi(formValue(c, "u_"+id))
	version, _ := strconv.Atoi(formValue(c, "v_"+id))
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	p := d.PersonByID[person]
	if p == nil || !ss.Enrolled(person) {
		return fiber.ErrNotFound
	}
	row := participantRow{Person: p, Unit: primaryUnit(d, p, ss.Date), Visible: true}
	status := fiber.StatusOK
	m, err := s.st.MarkAttendance(s.actor(c), ss.ID, person, version, presence, units, "")
	switch {
	case err == nil:
		row.Mark, row.Marked = m, true
	case isConflictErr(err):
		status, row.Problem = fiber.StatusConflict, "error.mark_changed"
		fresh, ferr := s.st.Marks(ss.ID)
		if ferr != nil {
			return ferr
		}
		row.Mark, row.Marked = fresh[person]
	default:
		if store.ErrorCode(err) != store.EConflict && store.ErrorCode(err) != store.EInvalid {
			return err
		}
		status, row.Problem = fiber.StatusUnprocessableEntity, domainMessage(err)
		row.Mark, row.Marked = marks[person]
	}
	c.Status(status)
	html, err := s.html("attendance-row", map[string]any{"L": language(c), "R": row, "Units": total, "Presences": presenceChoices(language(c)), "Take": true,
		"Action": "/schedule/sessions/" + strconv.FormatUint(ss.ID, 10) + "/attendance"})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(string(html))
}

// enrol adds people to a session: chosen ones, a whole unit's people on
// the session's day, or the participants of another session.
func (s *Server) enrol(c *fiber.Ctx) error {
	ss, err := byParam(c, s.st.Session)
	if err != nil {
		return err
	}
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	f := newForm(c)
	version := f.needVersion()
	people := f.ids("people")
	if unit := f.id("unit"); unit != 0 {
		for _, m := range d.MembersOf(unit, ss.Date) {
			people = append(people, m.Person.ID)
		}
	}
	if from := f.id("from_session"); from != 0 {
		other, err := s.st.Session(from)
		if err != nil {
			return err
		}
		people = append(people, other.Participants...)
	}
	if len(f.errs) > 0 || len(people) == 0 {
		return s.showSession(c, fiber.StatusUnprocessableEntity, sessionExtras{problem: "sessions.enrol_nobody"})
	}
	added, err := s.st.Enrol(s.actor(c), ss.ID, version, people, store.Plan{Override: f.text("override")})
	if ce, ok := asConflicts(err); ok {
		lines, err := s.conflictLines(language(c), ce.Conflicts, ce.Other)
		if err != nil {
			return err
		}
		return s.showSession(c, fiber.StatusConflict, sessionExtras{problem: "sessions.enrol_conflicts", conflicts: lines, people: people})
	}
	switch {
	case err == nil:
	case isConflictErr(err):
		return s.showSession(c, fiber.StatusConflict, sessionExtras{problem: "error.stale_form"})
	case store.ErrorCode(err) == store.EConflict || store.ErrorCode(err) == store.EInvalid:
		return s.showSession(c, fiber.StatusConflict, sessionExtras{problem: domainMessage(err)})
	default:
		return err
	}
	return redirect(c, withOK("/schedule/sessions/"+c.Params("id")+"#participants", "enrolled_"+pluralKey(added)))
}

func pluralKey(n int) string {
	if n == 0 {
		return "none"
	}
	return "some"
}

// unenrol takes one person off a session (one without a mark).
func (s *Server) unenrol(c *fiber.Ctx) error {
	ss, err := byParam(c, s.st.Session)
	if err != nil {
		return err
	}
	f := newForm(c)
	version, person := f.needVersion(), f.id("person")
	if len(f.errs) > 0 {
		return s.showSession(c, fiber.StatusConflict, sessionExtras{problem: "error.stale_form"})
	}
	ss.Participants = slices.DeleteFunc(slices.Clone(ss.Participants), func(p uint64) bool { return p == person })
	err = s.st.SaveSession(s.actor(c), ss, version, store.Plan{})
	switch {
	case err == nil:
		return redirect(c, withOK("/schedule/sessions/"+c.Params("id")+"#participants", "saved"))
	case isConflictErr(err):
		return s.showSession(c, fiber.StatusConflict, sessionExtras{problem: "error.stale_form"})
	case store.ErrorCode(err) == store.EInvalid || store.ErrorCode(err) == store.EConflict:
		return s.showSession(c, fiber.StatusConflict, sessionExtras{problem: domainMessage(err)})
	}
	return err
}

// The session form.

type sessionFormView struct {
	S          store.Session
	Course     *store.Course
	New        bool
	Conflict   bool
	Date       string
	Start, End string
	Units      string
	Locations  []store.Location
	Trainers   []store.Trainer
	Default    int
	// Why it moves or is cancelled, and why it is saved despite conflicts.
	Reason, Override string
	Conflicts        []conflictLine
	CopyOf           uint64 // a copy of this session, with its people
}

func (s *Server) sessionForm(c *fiber.Ctx, status int, v sessionFormView, errs map[string]string) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	v.Locations = d.Locations
	if v.Trainers, err = s.st.Trainers(); err != nil {
		return err
	}
	v.Default = v.S.DefaultUnits(v.Course.Unit)
	title := "sessions.edit"
	if v.New {
		title = "sessions.new"
	}
	return s.page(c, status, "session_form", title, v, errs)
}

func (s *Server) sessionNew(c *fiber.Ctx) error {
	course, err := byParam(c, s.st.Course)
	if err != nil {
		return err
	}
	ss := store.Session{CourseID: course.ID, Date: s.st.Today(), Start: 9 * 60, End: 15 * 60, Status: store.SessionPlanned}
	return s.sessionForm(c, fiber.StatusOK, sessionFormView{S: ss, Course: course, New: true, Date: views.ISODate(ss.Date),
		Start: store.Clock(ss.Start), End: store.Clock(ss.End)}, nil)
}

func (s *Server) sessionEdit(c *fiber.Ctx) error {
	ss, err := byParam(c, s.st.Session)
	if err != nil {
		return err
	}
	course, err := s.st.Course(ss.CourseID)
	if err != nil {
		return err
	}
	return s.sessionForm(c, fiber.StatusOK, sessionFormView{S: *ss, Course: course, Date: views.ISODate(ss.Date),
		Start: store.Clock(ss.Start), End: store.Clock(ss.End), Units: numberText(ss.Units)}, nil)
}

func (s *Server) sessionSave(c *fiber.Ctx) error {
	f := newForm(c)
	ss := store.Session{Part: f.text("part"), Topic: f.text("topic"), Date: f.date("date", true), LocationID: f.id("location"),
		Address: f.text("address"), Room: f.text("room"), TrainerIDs: f.ids("trainers"), Group: f.text("group"),
		Capacity: int(f.number("capacity", store.MaxCapacity)), Status: store.SessionStatus(f.text("status")),
		Units: int(f.number("units", 32)), UnitsReason: f.text("units_reason"), Notes: f.text("notes")}
	plan := store.Plan{Reason: f.text("reason"), Override: f.text("override")}
	v := sessionFormView{Date: f.text("date"), Start: f.text("start"), End: f.text("end"), Units: f.text("units"), Reason: plan.Reason, Override: plan.Override}
	var ok bool
	if ss.Start, ok = store.ParseClock(v.Start); !ok {
		f.errs["start"] = "error.clock"
	}
	if ss.End, ok = store.ParseClock(v.End); !ok {
		f.errs["end"] = "error.clock"
	}
	version := f.version()
	var err error
	if strings.HasPrefix(c.Route().Path, "/schedule/sessions/") { // an edit
		old, err := byParam(c, s.st.Session)
		if err != nil {
			return err
		}
		ss.ID, ss.CourseID, ss.Participants = old.ID, old.CourseID, old.Participants
		version = f.needVersion()
	} else {
		course, err := byParam(c, s.st.Course)
		if err != nil {
			return err
		}
		ss.CourseID = course.ID
		if from, _ := strconv.ParseUint(c.Query("copy"), 10, 64); from != 0 { // a copy takes the people of its session
			src, err := s.st.Session(from)
			if err != nil || src.CourseID != ss.CourseID {
				return fiber.ErrNotFound
			}
			ss.Participants, v.CopyOf = slices.Clone(src.Participants), src.ID
		}
	}
	if v.Course, err = s.st.Course(ss.CourseID); err != nil {
		return err
	}
	v.S, v.New = ss, ss.ID == 0
	mergeFields(f.errs, ss.Validate(v.Course.Unit))
	v.S.TrainerIDs = ss.TrainerIDs // as understood: each once, at most one over the limit
	if len(f.errs) == 0 {
		err := s.st.SaveSession(s.actor(c), &ss, version, plan)
		if ce, ok := asConflicts(err); ok {
			if v.Conflicts, err = s.conflictLines(language(c), ce.Conflicts, ce.Other); err != nil {
				return err
			}
			v.S.Version = version
			return s.sessionForm(c, fiber.StatusConflict, v, nil)
		}
		if done, err := s.answerSave(c, f, err, func() string { return "/schedule/sessions/" + strconv.FormatUint(ss.ID, 10) }, v.Course.Title, "/schedule/courses/"+strconv.FormatUint(ss.CourseID, 10),
			func(current int) error {
				v.S.Version, v.Conflict = current, true
				return s.sessionForm(c, fiber.StatusConflict, v, nil)
			}); done {
			return err
		}
	}
	v.S.Version = version
	return s.sessionForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

func (s *Server) sessionDeletion() deletion {
	return deletion{question: "sessions.delete_question", shown: "/schedule/sessions/", list: "/schedule",
		remove: s.st.DeleteSession, name: named(s.st.Session, func(ss *store.Session) string {
			return views.Date(ss.Date) + " " + store.Clock(ss.Start) + " " + ss.Topic
		})}
}

// confirmList is the trainer's confirmation of the attendance list (or a
// coordinator's, for a session without a trainer): the marks lock.
func (s *Server) confirmList(c *fiber.Ctx) error {
	ss, err := byParam(c, s.st.Session)
	if err != nil {
		return err
	}
	if !s.runs(c, ss) && !(canEditOrg(userOf(c)) && len(ss.TrainerIDs) == 0) {
		return fiber.ErrForbidden
	}
	f := newForm(c)
	version := f.needVersion()
	if len(f.errs) > 0 {
		return s.showSession(c, fiber.StatusConflict, sessionExtras{problem: "error.stale_form"})
	}
	switch err := s.st.ConfirmList(s.actor(c), ss.ID, version); {
	case err == nil:
		return redirect(c, withOK("/schedule/sessions/"+c.Params("id")+"#attendance", "list_confirmed"))
	case isConflictErr(err):
		return s.showSession(c, fiber.StatusConflict, sessionExtras{problem: "error.stale_form"})
	case store.ErrorCode(err) == store.EConflict:
		return s.showSession(c, fiber.StatusConflict, sessionExtras{problem: domainMessage(err)})
	default:
		return err
	}
}
