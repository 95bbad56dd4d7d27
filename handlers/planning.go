package handlers

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// Planning: the conflicts a change of the schedule meets, blackout
// periods, cancelling with a reason, copies and a week of a trainer or a
// location.

// conflictLine is one conflict as the planner reads it: what stands in
// the way, and a link to the other session.
type conflictLine struct {
	store.Conflict
	Text  string // translated
	Other string // the other session: day, time, title
	Href  string
}

// conflictLines translates conflicts; others are the sessions they name.
func (s *Server) conflictLines(l *views.Lang, list []store.Conflict, others map[uint64]store.Session) ([]conflictLine, error) {
	lk, err := s.lookups()
	if err != nil {
		return nil, err
	}
	out := make([]conflictLine, 0, len(list))
	for _, c := range list {
		line := conflictLine{Conflict: c}
		who := ""
		switch c.Kind {
		case store.ConflictTrainer, store.ConflictTravel:
			if t := lk.trainer(c.Who); t != nil {
				who = t.Name
			}
		case store.ConflictParticipant:
			if p := lk.org.PersonByID[c.Who]; p != nil {
				who = p.FirstName + " " + p.LastName
			}
		}
		name := c.Name
		if c.Kind == store.ConflictHoliday {
			name = l.T(c.Name)
		}
		line.Text = l.T("conflict_kind."+string(c.Kind), "Who", who, "Name", name, "Gap", c.Gap)
		if o, ok := others[c.Other]; ok && c.Other != 0 {
			title := ""
			if course := lk.course(o.CourseID); course != nil {
				title = course.Title
			}
			if o.Part != "" {
				title += " · " + o.Part
			}
			line.Other = views.Date(o.Date) + " " + store.Clock(o.Start) + "–" + store.Clock(o.End) + " " + title
			line.Href = "/schedule/sessions/" + strconv.FormatUint(o.ID, 10)
		}
		out = append(out, line)
	}
	return out, nil
}

// asConflicts reports whether err is a change refused for its conflicts.
func asConflicts(err error) (*store.ConflictsError, bool) {
	var ce *store.ConflictsError
	ok := errors.As(err, &ce)
	return ce, ok
}

// weekView is a week of one trainer's or one location's sessions.
type weekView struct {
	Monday   time.Time
	Days     []weekDay
	Trainer  *store.Trainer
	Location *store.Location
	Trainers []store.Trainer
	Places   []store.Location
	Query    string // trainer=… or location=…, for the links to other weeks
	Prev     string
	Next     string
}

type weekDay struct {
	Index    int // Monday = 0
	Day      time.Time
	Holiday  string
	Sessions []sessionLine
}

// maxWeekSessions bounds one week of one trainer or place.
const maxWeekSessions = 300

func (s *Server) scheduleWeek(c *fiber.Ctx) error {
	day, ok := parseDay(c.Query("date"))
	if !ok {
		day = s.st.Today()
	}
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	trainer, _ := strconv.ParseUint(c.Query("trainer"), 10, 64)
	location, _ := strconv.ParseUint(c.Query("location"), 10, 64)
	if location != 0 {
		trainer = 0 // one or the other
	}
	// The version is read before the data the page is made of.
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	version := s.scheduleVersion(d)
	if trainer != 0 {
		if _, err := s.st.Trainer(trainer); err != nil {
			return err
		}
	}
	if location != 0 && d.LocationByID[location] == nil {
		return fiber.ErrNotFound
	}
	// A week depends on the schedule and the structure only: kept, as the
	// other schedule pages are.
	key := strconv.FormatUint(trainer, 10) + "|" + strconv.FormatUint(location, 10) + "|" + views.ISODate(monday)
	return s.cachedPageIn(c, &s.schedule, version, "schedule_week", "week.title", key, func() (any, error) {
		return s.weekOf(monday, trainer, location)
	})
}

func (s *Server) weekOf(monday time.Time, trainer, location uint64) (weekView, error) {
	sunday := monday.AddDate(0, 0, 6)
	lk, err := s.lookups()
	if err != nil {
		return weekView{}, err
	}
	v := weekView{Monday: monday, Places: lk.org.Locations}
	if v.Trainers, err = s.st.Trainers(); err != nil {
		return v, err
	}
	var list []store.Session
	switch {
	case trainer != 0:
		v.Trainer = lk.trainer(trainer)
		v.Query = "trainer=" + strconv.FormatUint(trainer, 10)
		list, err = s.st.TrainerSessions(trainer, monday, sunday, maxWeekSessions)
	case location != 0:
		v.Location = lk.org.LocationByID[location]
		v.Query = "location=" + strconv.FormatUint(location, 10)
		list, err = s.st.LocationSessions(location, monday, sunday, maxWeekSessions)
	}
	if err != nil {
		return v, err
	}
	today := s.st.Today()
	for i := range 7 {
		d := weekDay{Index: i, Day: monday.AddDate(0, 0, i)}
		if h, ok := store.HolidayOn(d.Day); ok {
			d.Holiday = h.Name
		}
		v.Days = append(v.Days, d)
	}
	for _, ss := range list {
		i := int(ss.Date.Sub(monday).Hours() / 24)
		if i >= 0 && i < 7 {
			v.Days[i].Sessions = append(v.Days[i].Sessions, lk.line(ss, today))
		}
	}
	v.Prev = "/schedule/week?" + v.Query + "&date=" + views.ISODate(monday.AddDate(0, 0, -7))
	v.Next = "/schedule/week?" + v.Query + "&date=" + views.ISODate(monday.AddDate(0, 0, 7))
	return v, nil
}

// parseDay reads a day from a query (2019-02-25).
func parseDay(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil || t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t, true
}

// Blackout periods.

type blackoutsView struct {
	Current, Ended []store.Blackout // Ended: a page of them, the latest first
	EndedTotal     int
	EndedOpen      bool // a page of the ended ones was asked for: unfolded
	Pager          Pager
	Edit           bool
}

// blackoutList shows the periods in force or to come, and the ended ones
// (they only grow) a page at a time, folded unless a page of them was
// asked for; it is kept under the schedule's version, as the schedule is.
func (s *Server) blackoutList(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	edit := canEditOrg(userOf(c))
	today := s.st.Today()
	open := c.Query("page") != ""
	// Past the last page the last is shown: no more pages are kept than
	// the most periods there can be fill.
	page := min(requestedPage(c), (store.MaxBlackouts+perPage-1)/perPage)
	key := strings.Join([]string{views.ISODate(today), strconv.FormatBool(edit), strconv.Itoa(page), strconv.FormatBool(open)}, "|")
	return s.cachedPageIn(c, &s.schedule, s.scheduleVersion(d), "blackouts", "blackouts.title", key, func() (any, error) {
		list, err := s.st.Blackouts()
		if err != nil {
			return nil, err
		}
		v := blackoutsView{Edit: edit, EndedOpen: open}
		var ended []store.Blackout
		v.Current, ended = store.SplitBlackouts(list, today)
		v.EndedTotal = len(ended)
		v.Pager = listPage(c, "page", len(ended), perPage)
		v.Ended = ended[v.Pager.offset():min(v.Pager.offset()+perPage, len(ended))]
		v.Pager.Label = "blackouts.ended_pages"
		v.Pager.linkPages(func(page int) string { return "/schedule/blackouts?page=" + strconv.Itoa(page) + "#ended" })
		return v, nil
	})
}

// blackoutAddress is where a saved period is shown: an ended one on its
// page of the ended ones, unfolded.
func (s *Server) blackoutAddress(b *store.Blackout) string {
	anchor := "#blackout-" + strconv.FormatUint(b.ID, 10)
	today := s.st.Today()
	if !b.Ended(today) {
		return "/schedule/blackouts" + anchor
	}
	if list, err := s.st.Blackouts(); err == nil {
		_, ended := store.SplitBlackouts(list, today)
		if i := slices.IndexFunc(ended, func(e store.Blackout) bool { return e.ID == b.ID }); i >= 0 {
			return "/schedule/blackouts?page=" + strconv.Itoa(i/perPage+1) + anchor
		}
	}
	return "/schedule/blackouts" + anchor
}

type blackoutFormView struct {
	B        store.Blackout
	From, To string
	Kinds    []store.CourseKind
	New      bool
	Conflict bool
}

func (s *Server) blackoutForm(c *fiber.Ctx, status int, v blackoutFormView, errs map[string]string) error {
	v.Kinds = store.CourseKinds
	title := "blackouts.edit"
	if v.New {
		title = "blackouts.new"
	}
	return s.page(c, status, "blackout_form", title, v, errs)
}

func (s *Server) blackoutNew(c *fiber.Ctx) error {
	return s.blackoutForm(c, fiber.StatusOK, blackoutFormView{New: true}, nil)
}

func (s *Server) blackoutEdit(c *fiber.Ctx) error {
	b, err := byParam(c, s.st.Blackout)
	if err != nil {
		return err
	}
	return s.blackoutForm(c, fiber.StatusOK, blackoutFormView{B: *b, From: views.ISODate(b.From), To: views.ISODate(b.To)}, nil)
}

func (s *Server) blackoutSave(c *fiber.Ctx) error {
	f := newForm(c)
	b := store.Blackout{Name: f.text("name"), From: f.date("from", true), To: f.date("to", true), Yearly: f.bool("yearly")}
	for _, k := range f.values("kinds") {
		b.Kinds = append(b.Kinds, store.CourseKind(k))
	}
	v := blackoutFormView{From: f.text("from"), To: f.text("to")}
	version := f.version()
	if c.Params("id") != "" {
		old, err := byParam(c, s.st.Blackout)
		if err != nil {
			return err
		}
		b.ID = old.ID
		version = f.needVersion()
	}
	v.B, v.New = b, b.ID == 0
	mergeFields(f.errs, b.Validate())
	if len(f.errs) == 0 {
		err := s.st.SaveBlackout(s.actor(c), &b, version)
		if done, err := s.answerSave(c, f, err, func() string { return s.blackoutAddress(&b) }, b.Name, "/schedule/blackouts",
			func(current int) error {
				v.B.Version, v.Conflict = current, true
				return s.blackoutForm(c, fiber.StatusConflict, v, nil)
			}); done {
			return err
		}
	}
	v.B.Version = version
	return s.blackoutForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

func (s *Server) blackoutDeletion() deletion {
	return deletion{question: "blackouts.delete_question", shown: "/schedule/blackouts/", list: "/schedule/blackouts",
		remove: s.st.DeleteBlackout, name: named(s.st.Blackout, func(b *store.Blackout) string { return b.Name })}
}

// historyLine is one entry of a session's history, newest first.
type historyLine struct {
	store.SessionChange
	Before string // where and when it was before a move
}

func historyLines(lk *lookups, ss *store.Session, l *views.Lang) []historyLine {
	out := make([]historyLine, 0, len(ss.History))
	for i := len(ss.History) - 1; i >= 0; i-- {
		h := ss.History[i]
		line := historyLine{SessionChange: h}
		if h.Kind == store.ChangeMoved {
			place := h.Address
			if loc := lk.org.LocationByID[h.LocationID]; loc != nil {
				place = loc.Name
			}
			line.Before = views.Date(h.Date) + " " + store.Clock(h.Start) + "–" + store.Clock(h.End)
			if place != "" {
				line.Before += ", " + place
			}
		}
		out = append(out, line)
	}
	return out
}

// Cancelling a session: a reason, kept in its history and told to its
// participants.

type cancelView struct {
	S      sessionLine
	Reason string
}

func (s *Server) sessionCancelForm(c *fiber.Ctx) error {
	ss, err := byParam(c, s.st.Session)
	if err != nil {
		return err
	}
	lk, err := s.lookups()
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "session_cancel", "sessions.cancel_title", cancelView{S: lk.line(*ss, s.st.Today())}, nil)
}

// sessionCancel cancels a planned session, or restores a cancelled one.
func (s *Server) sessionCancel(c *fiber.Ctx) error {
	ss, err := byParam(c, s.st.Session)
	if err != nil {
		return err
	}
	f := newForm(c)
	version := f.needVersion()
	restore := f.bool("restore")
	plan := store.Plan{Reason: f.text("reason"), Override: f.text("override")}
	if restore {
		ss.Status = store.SessionPlanned
	} else {
		ss.Status = store.SessionCancelled
	}
	if len(f.errs) == 0 {
		err = s.st.SaveSession(s.actor(c), ss, version, plan)
		switch ce, conflicts := asConflicts(err); {
		case err == nil:
			return redirect(c, withOK("/schedule/sessions/"+c.Params("id"), "saved"))
		case conflicts: // restored into a clash: the edit form says what and asks why
			lines, err := s.conflictLines(language(c), ce.Conflicts, ce.Other)
			if err != nil {
				return err
			}
			course, err := s.st.Course(ss.CourseID)
			if err != nil {
				return err
			}
			return s.sessionForm(c, fiber.StatusConflict, sessionFormView{S: *ss, Course: course, Date: views.ISODate(ss.Date),
				Start: store.Clock(ss.Start), End: store.Clock(ss.End), Units: numberText(ss.Units), Reason: plan.Reason, Conflicts: lines}, nil)
		case isConflictErr(err):
			f.errs["reason"] = "error.stale_form"
		default:
			if !f.merge(err) {
				if store.ErrorCode(err) == store.EConflict {
					return s.refused(c, ss.Topic, "/schedule/sessions/"+c.Params("id"), err)
				}
				return err
			}
		}
	}
	lk, err := s.lookups()
	if err != nil {
		return err
	}
	fresh, err := s.st.Session(ss.ID)
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusUnprocessableEntity, "session_cancel", "sessions.cancel_title",
		cancelView{S: lk.line(*fresh, s.st.Today()), Reason: plan.Reason}, f.errs)
}

// sessionCopy opens the form of a new session like this one, a week
// later, with the same people.
func (s *Server) sessionCopy(c *fiber.Ctx) error {
	src, err := byParam(c, s.st.Session)
	if err != nil {
		return err
	}
	course, err := s.st.Course(src.CourseID)
	if err != nil {
		return err
	}
	ss := *src
	ss.ID, ss.Version, ss.History, ss.Sequence, ss.Status = 0, 0, nil, 0, store.SessionPlanned
	ss.Date = src.Date.AddDate(0, 0, 7)
	return s.sessionForm(c, fiber.StatusOK, sessionFormView{S: ss, Course: course, New: true, CopyOf: src.ID, Date: views.ISODate(ss.Date),
		Start: store.Clock(ss.Start), End: store.Clock(ss.End), Units: numberText(ss.Units)}, nil)
}
