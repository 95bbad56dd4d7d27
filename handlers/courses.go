package handlers

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

type courseListView struct {
	Courses []store.Course
	Edit    bool
}

func (s *Server) courseList(c *fiber.Ctx) error {
	list, err := s.st.Courses()
	if err != nil {
		return err
	}
	from, to, pager := paginate(c, len(list))
	return s.page(c, fiber.StatusOK, "courses", "courses.title", struct {
		courseListView
		Pager Pager
	}{courseListView{Courses: list[from:to], Edit: canEditOrg(userOf(c))}, pager}, nil)
}

// personTotal is one participant's attendance in a course.
type personTotal struct {
	Person   *store.Staff
	Unit     string
	Sessions int
	Units    int
}

type courseView struct {
	C          *store.Course
	Project    *store.Project
	Delivery   store.Delivery
	Lines      []courseSession
	People     []personTotal
	Edit       bool
	HoursShare int64 // delivered of contracted, hundredths of a per cent
	// Names: who attended supervision is not everyone's business; others
	// see the counts.
	Names bool
	// Unconfirmed counts held sessions whose list the trainer has not
	// confirmed yet: evidence a controller would find missing.
	Unconfirmed int
	// Open counts held sessions with any finding (see store.Evidence).
	Open int
}

type courseSession struct {
	sessionLine
	Held            bool
	Present, Marked int
	EnrolledCount   int
	Problems        []string // findings a controller would make (message IDs)
}

func (s *Server) coursePage(c *fiber.Ctx) error {
	course, err := byParam(c, s.st.Course)
	if err != nil {
		return err
	}
	lk, err := s.lookups()
	if err != nil {
		return err
	}
	today := s.st.Today()
	edit := canEditOrg(userOf(c))
	key := strconv.FormatUint(course.ID, 10) + "|" + views.ISODate(today) + "|" + strconv.FormatBool(edit)
	return s.cachedPageIn(c, &s.schedule, s.scheduleVersion(lk.org), "course", "courses.title", key, func() (any, error) {
		return s.courseData(lk, course, today, edit)
	})
}

// courseData adds up a course: what it delivered, its sessions, and each
// participant's hours.
func (s *Server) courseData(lk *lookups, course *store.Course, today time.Time, edit bool) (any, error) {
	d, sessions, marks, err := s.st.CourseDelivery(course)
	if err != nil {
		return nil, err
	}
	v := courseView{C: course, Delivery: d, Edit: edit, Project: lk.org.ProjectByID[course.ProjectID]}
	v.Names = course.Kind != store.CourseSupervision || v.Edit
	if course.ContractedHours > 0 {
		v.HoursShare = min(store.Share(int64(d.Units), int64(course.ContractedHours)), 99999)
	}
	scans, err := s.st.ScanCounts(sessions)
	if err != nil {
		return nil, err
	}
	var first map[uint64]bool
	if p := v.Project; p != nil {
		if first, err = s.st.FirstPublished(p.ID, p.LeadDays); err != nil {
			return nil, err
		}
	}
	for i, ss := range sessions {
		cs := courseSession{sessionLine: lk.line(ss, today), Held: store.Held(marks[ss.ID]), Marked: len(marks[ss.ID]), EnrolledCount: len(ss.Participants)}
		cs.Problems = store.EvidenceOf(&sessions[i], marks[ss.ID], scans[ss.ID], first, len(first) > 0).Problems()
		if len(cs.Problems) > 0 {
			v.Open++
		}
		for _, m := range marks[ss.ID] {
			if m.Attended(cs.Units) > 0 {
				cs.Present++
			}
		}
		if cs.Held && ss.Confirmed == nil {
			v.Unconfirmed++
		}
		v.Lines = append(v.Lines, cs)
	}
	for id, units := range d.PersonUnits {
		p := lk.org.PersonByID[id]
		if p == nil {
			continue
		}
		v.People = append(v.People, personTotal{Person: p, Unit: primaryUnit(lk.org, p, today), Sessions: d.Present[id], Units: units})
	}
	store.SortPolish(v.People, func(t personTotal) string { return t.Person.LastName + " " + t.Person.FirstName })
	return v, nil
}

// primaryUnit is the name of the unit a person works in on day (their
// primary post, or the first one), or of their last one.
func primaryUnit(d *store.Org, p *store.Staff, day time.Time) string {
	posts := d.Posts(p, day)
	if len(posts) == 0 {
		return ""
	}
	return posts[0].Unit
}

type courseFormView struct {
	C        store.Course
	New      bool
	Conflict bool
	Hours    string
	People   string
	Projects []store.Project
	Kinds    []store.CourseKind
}

func (s *Server) courseForm(c *fiber.Ctx, status int, v courseFormView, errs map[string]string) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	for _, p := range d.Projects {
		if !p.Frozen() || p.ID == v.C.ProjectID {
			v.Projects = append(v.Projects, p)
		}
	}
	v.Kinds = store.CourseKinds
	title := "courses.edit"
	if v.New {
		title = "courses.new"
	}
	return s.page(c, status, "course_form", title, v, errs)
}

func (s *Server) courseNew(c *fiber.Ctx) error {
	return s.courseForm(c, fiber.StatusOK, courseFormView{C: store.Course{Kind: store.CourseTraining}, New: true}, nil)
}

func (s *Server) courseEdit(c *fiber.Ctx) error {
	course, err := byParam(c, s.st.Course)
	if err != nil {
		return err
	}
	return s.courseForm(c, fiber.StatusOK, courseFormView{C: *course, Hours: numberText(course.ContractedHours), People: numberText(course.ContractedPeople)}, nil)
}

func numberText(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func (s *Server) courseSave(c *fiber.Ctx) error {
	f := newForm(c)
	course := store.Course{Title: f.text("title"), Kind: store.CourseKind(f.text("kind")), ProjectID: f.id("project"),
		Unit: store.HourUnit(f.text("unit")), ContractedHours: int(f.number("contracted_hours", store.MaxContracted)),
		ContractedPeople: int(f.number("contracted_people", store.MaxContracted)), Notes: f.text("notes")}
	v := courseFormView{Hours: f.text("contracted_hours"), People: f.text("contracted_people")}
	version := f.version()
	if c.Params("id") != "" {
		old, err := byParam(c, s.st.Course)
		if err != nil {
			return err
		}
		course.ID = old.ID
		version = f.needVersion()
	}
	if course.Unit == "" {
		course.Unit = course.Kind.DefaultUnit()
	}
	v.C, v.New = course, course.ID == 0
	f.check(&course)
	if len(f.errs) == 0 {
		err := s.st.SaveCourse(s.actor(c), &course, version)
		if done, err := s.answerSave(c, f, err, func() string { return "/schedule/courses/" + strconv.FormatUint(course.ID, 10) }, course.Title, "/schedule/courses",
			func(current int) error {
				v.C.Version, v.Conflict = current, true
				return s.courseForm(c, fiber.StatusConflict, v, nil)
			}); done {
			return err
		}
	}
	v.C.Version = version
	return s.courseForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

func (s *Server) courseDeletion() deletion {
	return deletion{question: "courses.delete_question", shown: "/schedule/courses/", list: "/schedule/courses",
		remove: s.st.DeleteCourse, name: named(s.st.Course, func(c *store.Course) string { return c.Title })}
}

// Trainers.

type trainerFormView struct {
	T        store.Trainer
	New      bool
	Conflict bool
	People   any
	Users    []store.User
}

func (s *Server) trainerList(c *fiber.Ctx) error {
	list, err := s.st.Trainers()
	if err != nil {
		return err
	}
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	from, to, pager := paginate(c, len(list))
	return s.page(c, fiber.StatusOK, "trainers", "trainers.title", struct {
		Trainers []store.Trainer
		People   map[uint64]*store.Staff
		Pager    Pager
	}{list[from:to], d.PersonByID, pager}, nil)
}

func (s *Server) trainerForm(c *fiber.Ctx, status int, v trainerFormView, errs map[string]string) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	if v.People, err = s.options(d.Version, "people", views.ISODate(s.st.Today()), d.PersonChoices(s.st.Today()), v.T.PersonID); err != nil {
		return err
	}
	users, err := s.st.Users()
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Has(store.RoleTrainer) {
			v.Users = append(v.Users, u)
		}
	}
	title := "trainers.edit"
	if v.New {
		title = "trainers.new"
	}
	return s.page(c, status, "trainer_form", title, v, errs)
}

func (s *Server) trainerNew(c *fiber.Ctx) error {
	return s.trainerForm(c, fiber.StatusOK, trainerFormView{New: true}, nil)
}

func (s *Server) trainerEdit(c *fiber.Ctx) error {
	t, err := byParam(c, s.st.Trainer)
	if err != nil {
		return err
	}
	return s.trainerForm(c, fiber.StatusOK, trainerFormView{T: *t}, nil)
}

func (s *Server) trainerSave(c *fiber.Ctx) error {
	f := newForm(c)
	t := store.Trainer{Name: f.text("name"), Organisation: f.text("organisation"), Email: f.text("email"), Phone: f.text("phone"),
		PersonID: f.id("person"), UserID: f.id("user")}
	version := f.version()
	if c.Params("id") != "" {
		old, err := byParam(c, s.st.Trainer)
		if err != nil {
			return err
		}
		t.ID = old.ID
		version = f.needVersion()
	}
	v := trainerFormView{T: t, New: t.ID == 0}
	f.check(&t)
	if len(f.errs) == 0 {
		err := s.st.SaveTrainer(s.actor(c), &t, version)
		if done, err := s.answerSave(c, f, err, func() string { return "/schedule/trainers" }, t.Name, "/schedule/trainers",
			func(current int) error {
				v.T.Version, v.Conflict = current, true
				return s.trainerForm(c, fiber.StatusConflict, v, nil)
			}); done {
			return err
		}
	}
	v.T.Version = version
	return s.trainerForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}
