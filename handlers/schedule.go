package handlers

import (
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// The training and supervision schedule: everyone reads it and sees their
// own sessions; coordinators and administrators plan it; a trainer takes
// the attendance of the sessions they run.

var scheduleEditors = orgEditors

// sessionLine is a session as lists show it, with what it refers to.
type sessionLine struct {
	store.Session
	Course   *store.Course
	Place    string
	Trainers []string
	Units    int
	Late     bool // first published later than its project requires (set by lists that show it)
}

// lookups resolves the courses and trainers of the sessions one page shows,
// each read once.
type lookups struct {
	st       *store.Store
	org      *store.Org
	courses  map[uint64]*store.Course
	trainers map[uint64]*store.Trainer
	late     map[uint64]map[uint64]bool // per project: its sessions first published late or not
}

func (s *Server) lookups() (*lookups, error) {
	d, err := s.loadOrg()
	if err != nil {
		return nil, err
	}
	return &lookups{st: s.st, org: d, courses: map[uint64]*store.Course{}, trainers: map[uint64]*store.Trainer{}}, nil
}

func (lk *lookups) course(id uint64) *store.Course {
	if c, ok := lk.courses[id]; ok {
		return c
	}
	c, err := lk.st.Course(id)
	if err != nil {
		c = &store.Course{Title: "?", Unit: store.ClockHours}
	}
	lk.courses[id] = c
	return c
}

// publishedLate reports whether a session was first published late.
func (lk *lookups) publishedLate(ss *store.Session) bool {
	p := lk.org.ProjectByID[lk.course(ss.CourseID).ProjectID]
	if p == nil {
		return false
	}
	if lk.late == nil {
		lk.late = map[uint64]map[uint64]bool{}
	}
	first, ok := lk.late[p.ID]
	if !ok {
		first, _ = lk.st.FirstPublished(p.ID, p.LeadDays) // a read error shows no flag; the project's own pages say more
		lk.late[p.ID] = first
	}
	return first[ss.ID]
}

func (lk *lookups) trainer(id uint64) *store.Trainer {
	if t, ok := lk.trainers[id]; ok {
		return t
	}
	t, err := lk.st.Trainer(id)
	if err != nil {
		t = &store.Trainer{Name: "?"}
	}
	lk.trainers[id] = t
	return t
}

func (lk *lookups) place(ss *store.Session) string {
	p := ss.Address
	if l := lk.org.LocationByID[ss.LocationID]; l != nil {
		p = l.Name
		if l.Street != "" && !strings.Contains(l.Name, l.Street) {
			p += ", " + l.Street
		}
	}
	if ss.Room != "" {
		p += ", " + ss.Room
	}
	return p
}

func (lk *lookups) line(ss store.Session, today time.Time) sessionLine {
	c := lk.course(ss.CourseID)
	l := sessionLine{Session: ss, Course: c, Place: lk.place(&ss), Units: ss.HourUnits(c.Unit)}
	for _, t := range ss.TrainerIDs {
		l.Trainers = append(l.Trainers, lk.trainer(t).Name)
	}
	return l
}

type scheduleView struct {
	Lines      []sessionLine
	Pager      Pager
	Total      int
	From, To   string
	Kind       store.CourseKind
	CourseID   uint64
	TrainerID  uint64
	LocationID uint64
	ProjectID  uint64
	Group      string
	Kinds      []store.CourseKind
	Courses    []store.Course
	Trainers   []store.Trainer
	Locations  []store.Location
	Projects   []store.Project
	Edit       bool
	Month      *monthView
}

// scheduleList is the schedule between two days (today and the next 60 by
// default), read through the date index, with filters.
func (s *Server) scheduleList(c *fiber.Ctx) error {
	today := s.st.Today()
	v := scheduleView{Kind: store.CourseKind(c.Query("kind")), Group: strings.TrimSpace(c.Query("group")), Edit: canEditOrg(userOf(c)),
		Kinds: store.CourseKinds}
	if len(v.Group) > 60 {
		v.Group = v.Group[:60]
	}
	if !slices.Contains(store.CourseKinds, v.Kind) {
		v.Kind = ""
	}
	v.CourseID, _ = strconv.ParseUint(c.Query("course"), 10, 64)
	v.TrainerID, _ = strconv.ParseUint(c.Query("trainer"), 10, 64)
	v.LocationID, _ = strconv.ParseUint(c.Query("location"), 10, 64)
	v.ProjectID, _ = strconv.ParseUint(c.Query("project"), 10, 64)
	from, to := today, today.AddDate(0, 0, 60)
	if t, ok := views.ParseDate(c.Query("from")); ok {
		from = store.Day(t)
	}
	if t, ok := views.ParseDate(c.Query("to")); ok {
		to = store.Day(t)
	}
	if to.Before(from) {
		to = from
	}
	if to.Sub(from) > 3*366*24*time.Hour { // a range is read through; keep it to three years
		to = from.AddDate(3, 0, 0)
	}
	v.From, v.To = views.ISODate(from), views.ISODate(to)
	if m := c.Query("month"); m != "" {
		return s.scheduleMonth(c, m, v)
	}
	lk, err := s.lookups()
	if err != nil {
		return err
	}
	var keep func(*store.Session) bool
	if v.Kind != "" || v.CourseID != 0 || v.TrainerID != 0 || v.LocationID != 0 || v.Group != "" || v.ProjectID != 0 {
		keep = func(ss *store.Session) bool {
			return (v.CourseID == 0 || ss.CourseID == v.CourseID) && (v.TrainerID == 0 || ss.RunBy(v.TrainerID)) &&
				(v.LocationID == 0 || ss.LocationID == v.LocationID) && (v.Group == "" || strings.EqualFold(ss.Group, v.Group)) &&
				(v.Kind == "" || lk.course(ss.CourseID).Kind == v.Kind) && (v.ProjectID == 0 || lk.course(ss.CourseID).ProjectID == v.ProjectID)
		}
	}
	// The list depends on the data, the day, the filter and the page only:
	// it is rendered once per change of the structure or the schedule.
	version := s.scheduleVersion(lk.org)
	page := requestedPage(c)
	key := strings.Join([]string{views.ISODate(today), v.From, v.To, string(v.Kind), strconv.FormatUint(v.CourseID, 10),
		strconv.FormatUint(v.TrainerID, 10), strconv.FormatUint(v.LocationID, 10), strconv.FormatUint(v.ProjectID, 10), v.Group, strconv.Itoa(page), strconv.FormatBool(v.Edit)}, "|")
	return s.cachedPageIn(c, &s.schedule, version, "schedule", "schedule.title", key, func() (any, error) {
		list, total, err := s.st.SessionsBetween(from, to, (page-1)*perPage, perPage, keep)
		if err != nil {
			return nil, err
		}
		_, _, v.Pager = paginate(c, total)
		if v.Pager.Page != page { // past the end: show the last page
			if list, total, err = s.st.SessionsBetween(from, to, (v.Pager.Page-1)*perPage, perPage, keep); err != nil {
				return nil, err
			}
		}
		// The pager's links carry the filter as understood, not as typed:
		// the page is kept and served to everyone with this filter.
		q := url.Values{"from": {v.From}, "to": {v.To}}
		for name, value := range map[string]string{"kind": string(v.Kind), "group": v.Group} {
			if value != "" {
				q.Set(name, value)
			}
		}
		for name, id := range map[string]uint64{"course": v.CourseID, "trainer": v.TrainerID, "location": v.LocationID, "project": v.ProjectID} {
			if id != 0 {
				q.Set(name, strconv.FormatUint(id, 10))
			}
		}
		link := func(n int) string { q.Set("page", strconv.Itoa(n)); return "/schedule?" + q.Encode() }
		if v.Pager.Prev != "" {
			v.Pager.Prev = link(v.Pager.Page - 1)
		}
		if v.Pager.Next != "" {
			v.Pager.Next = link(v.Pager.Page + 1)
		}
		v.Total = total
		for _, ss := range list {
			l := lk.line(ss, today)
			l.Late = lk.publishedLate(&ss)
			v.Lines = append(v.Lines, l)
		}
		return v, s.scheduleFilters(&v, lk.org)
	})
}

// scheduleVersion is the version the schedule's pages are kept under: the
// structure's snapshot and the schedule's version added (both only grow;
// the schedule's is read before its data).
func (s *Server) scheduleVersion(d *store.Org) uint64 { return d.Version + s.st.ScheduleVersion() }

// scheduleFilters fills the filter choices: courses and trainers are
// lists of hundreds at most, read once per request.
func (s *Server) scheduleFilters(v *scheduleView, d *store.Org) error {
	var err error
	if v.Courses, err = s.st.Courses(); err != nil {
		return err
	}
	if v.Trainers, err = s.st.Trainers(); err != nil {
		return err
	}
	v.Locations, v.Projects = d.Locations, d.Projects
	return nil
}

// monthView is a calendar of one month, weeks from Monday.
type monthView struct {
	Month      time.Time
	Prev, Next string
	Weeks      [][]monthDay
}

type monthDay struct {
	Day      time.Time
	InMonth  bool
	Today    bool
	Sessions []sessionLine
	More     int
}

const monthDayShown = 6

func (s *Server) scheduleMonth(c *fiber.Ctx, m string, v scheduleView) error {
	month, err := time.Parse("2006-01", m)
	if err != nil || month.Year() < 1990 || month.Year() > 2200 {
		return fiber.ErrNotFound
	}
	today := s.st.Today()
	first := month
	last := first.AddDate(0, 1, -1)
	start := first.AddDate(0, 0, -((int(first.Weekday()) + 6) % 7)) // back to Monday
	end := last.AddDate(0, 0, 6-((int(last.Weekday())+6)%7))
	lk, err := s.lookups()
	if err != nil {
		return err
	}
	version := s.scheduleVersion(lk.org)
	return s.cachedPageIn(c, &s.schedule, version, "schedule_month", "schedule.month_title", m+"|"+views.ISODate(today), func() (any, error) {
		return s.monthData(lk, v, first, start, end, today)
	})
}

func (s *Server) monthData(lk *lookups, v scheduleView, first, start, end, today time.Time) (any, error) {
	list, _, err := s.st.SessionsBetween(start, end, 0, 2000, nil)
	if err != nil {
		return nil, err
	}
	byDay := map[time.Time][]sessionLine{}
	for _, ss := range list {
		if len(byDay[ss.Date]) <= monthDayShown {
			byDay[ss.Date] = append(byDay[ss.Date], lk.line(ss, today))
		}
	}
	mv := &monthView{Month: first, Prev: first.AddDate(0, -1, 0).Format("2006-01"), Next: first.AddDate(0, 1, 0).Format("2006-01")}
	for day := start; !day.After(end); day = day.AddDate(0, 0, 7) {
		var week []monthDay
		for i := range 7 {
			d := day.AddDate(0, 0, i)
			md := monthDay{Day: d, InMonth: d.Month() == first.Month(), Today: d.Equal(today), Sessions: byDay[d]}
			if len(md.Sessions) > monthDayShown {
				md.Sessions, md.More = md.Sessions[:monthDayShown], len(byDay[d])-monthDayShown
			}
			week = append(week, md)
		}
		mv.Weeks = append(mv.Weeks, week)
	}
	v.Month = mv
	return v, nil
}

// mineView is a person's own sessions: those they run and those they are
// enrolled in, from today on (and the last 30 days, for attendance).
type mineView struct {
	Running  []sessionLine
	Enrolled []sessionLine
	Trainer  *store.Trainer
	Person   *store.Staff
	// Changed are one's coming sessions moved or cancelled lately, with
	// what was decided: the home page tells the participants.
	Changed []changedLine
}

type changedLine struct {
	sessionLine
	Change store.SessionChange
}

// changedDays is how long a move or a cancellation stays on the home page.
const changedDays = 14

const mineShown = 50

func (s *Server) mySessions(c *fiber.Ctx, limit int) (mineView, error) {
	var v mineView
	u := userOf(c)
	today := s.st.Today()
	lk, err := s.lookups()
	if err != nil {
		return v, err
	}
	if v.Trainer, err = s.st.TrainerOfUser(u.ID); err != nil {
		return v, err
	}
	if v.Trainer != nil {
		from := today.AddDate(0, 0, -30) // the recent ones still wait for attendance
		if limit < mineShown {
			from = today
		}
		list, err := s.st.TrainerSessions(v.Trainer.ID, from, store.Forever, limit)
		if err != nil {
			return v, err
		}
		for _, ss := range list {
			v.Running = append(v.Running, lk.line(ss, today))
		}
	}
	if p := lk.org.PersonOfUser[u.ID]; p != nil && !u.External {
		v.Person = p
		list, err := s.st.PersonSessions(p.ID, today, store.Forever, limit)
		if err != nil {
			return v, err
		}
		for _, ss := range list {
			v.Enrolled = append(v.Enrolled, lk.line(ss, today))
		}
		changed, err := s.st.ChangedSessionsOf(p.ID, s.st.Now().AddDate(0, 0, -changedDays), homeSessions)
		if err != nil {
			return v, err
		}
		for _, ss := range changed {
			ch, _ := ss.LastChange()
			v.Changed = append(v.Changed, changedLine{sessionLine: lk.line(ss, today), Change: ch})
		}
	}
	return v, nil
}

// scheduleMine depends on the data, the day and who asks: it is kept per
// person and change, like the other schedule pages.
func (s *Server) scheduleMine(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	key := strconv.FormatUint(userOf(c).ID, 10) + "|" + views.ISODate(s.st.Today())
	return s.cachedPageIn(c, &s.schedule, s.scheduleVersion(d), "schedule_mine", "schedule.mine", key, func() (any, error) {
		v, err := s.mySessions(c, mineShown)
		return v, err
	})
}

// homeSessionsBlock is the home page's list of one's next sessions,
// rendered once per person, day and change.
func (s *Server) homeSessionsBlock(c *fiber.Ctx, d *store.Org) (template.HTML, error) {
	key := strconv.FormatUint(userOf(c).ID, 10) + "|" + views.ISODate(s.st.Today())
	return s.cachedRowIn(&s.schedule, language(c), s.scheduleVersion(d), "home-sessions", key, func() (any, error) {
		v, err := s.mySessions(c, homeSessions)
		return v, err
	})
}
