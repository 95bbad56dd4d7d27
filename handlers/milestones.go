package handlers

import (
	"html/template"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// A milestone has no page of its own: it lives on its project's page, and
// its address leads there.

func milestoneAnchor(m *store.Milestone) string {
	return "/projects/" + strconv.FormatUint(m.ProjectID, 10) + "#milestone-" + strconv.FormatUint(m.ID, 10)
}

func (s *Server) milestoneShow(c *fiber.Ctx) error {
	m, err := byParam(c, s.st.Milestone)
	if err != nil {
		return err
	}
	return c.Redirect(milestoneAnchor(m), fiber.StatusSeeOther)
}

type milestoneFormView struct {
	M            store.Milestone
	Project      *store.Project
	New          bool
	Conflict     bool
	From, To     string // planned (new milestones only)
	Actual       string
	Deliverables string
	Units        template.HTML
	States       []store.MilestoneStatus
}

// parentProject reads the project of the route's :id (a new milestone's or
// indicator's) and refuses a settled one.
func (s *Server) parentProject(c *fiber.Ctx) (*store.Project, error) {
	p, err := byParam(c, s.st.Project)
	if err != nil {
		return nil, err
	}
	if p.Frozen() {
		return nil, s.refused(c, p.Name, "/projects/"+c.Params("id"), store.Errorf(store.EConflict, "error.project_settled"))
	}
	return p, nil
}

func (s *Server) milestoneNew(c *fiber.Ctx) error {
	p, err := s.parentProject(c)
	if err != nil || p == nil {
		return err
	}
	v := milestoneFormView{M: store.Milestone{ProjectID: p.ID, Status: store.MilestonePlanned}, Project: p, New: true}
	return s.milestoneForm(c, fiber.StatusOK, v, nil)
}

// frozenRefused answers a form of a settled project's part with the
// reason it cannot change; nil when the project is open.
func (s *Server) frozenRefused(c *fiber.Ctx, p *store.Project, name string) (bool, error) {
	if !p.Frozen() {
		return false, nil
	}
	return true, s.refused(c, name, "/projects/"+strconv.FormatUint(p.ID, 10), store.Errorf(store.EConflict, "error.project_settled"))
}

// openMilestone reads the route's milestone and its project for a form;
// for a settled project it answers with the refusal (m is then nil).
func (s *Server) openMilestone(c *fiber.Ctx) (*store.Milestone, *store.Project, error) {
	m, err := byParam(c, s.st.Milestone)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.st.Project(m.ProjectID)
	if err != nil {
		return nil, nil, err
	}
	if done, err := s.frozenRefused(c, p, m.Title); done {
		return nil, nil, err
	}
	return m, p, nil
}

func (s *Server) milestoneEdit(c *fiber.Ctx) error {
	m, p, err := s.openMilestone(c)
	if m == nil {
		return err
	}
	v := milestoneFormView{M: *m, Project: p, Actual: views.ISODate(m.Actual), Deliverables: joinLines(m.Deliverables)}
	return s.milestoneForm(c, fiber.StatusOK, v, nil)
}

func (s *Server) milestoneForm(c *fiber.Ctx, status int, v milestoneFormView, errs map[string]string) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	today := s.st.Today()
	if v.Units, err = s.options(d.Version, "units", views.ISODate(today), d.UnitChoices(today), v.M.UnitID); err != nil {
		return err
	}
	v.Units = withChosen(v.Units, v.M.UnitID, d.UnitName(v.M.UnitID, today))
	v.States = store.MilestoneStatuses
	title := "milestones.edit"
	if v.New {
		title = "milestones.new"
	}
	return s.page(c, status, "milestone_form", title, v, errs)
}

func (s *Server) milestoneSave(c *fiber.Ctx) error {
	f := newForm(c)
	m := store.Milestone{Title: f.text("title"), Status: store.MilestoneStatus(f.text("status")), Actual: f.date("actual", false),
		UnitID: f.id("unit"), Deliverables: splitLines(formValue(c, "deliverables")), Notes: f.text("notes")}
	v := milestoneFormView{From: f.text("planned_from"), To: f.text("planned_to"), Actual: f.text("actual"),
		Deliverables: formValue(c, "deliverables")}
	var err error
	version := 0
	if strings.HasPrefix(c.Route().Path, "/projects/milestones/") { // an edit
		old, err := byParam(c, s.st.Milestone)
		if err != nil {
			return err
		}
		m.ID, m.ProjectID, m.Planned, m.Baseline, m.Replans = old.ID, old.ProjectID, old.Planned, old.Baseline, old.Replans
		version = f.needVersion()
		if v.Project, err = s.st.Project(m.ProjectID); err != nil {
			return err
		}
	} else {
		if v.Project, err = s.parentProject(c); err != nil || v.Project == nil {
			return err
		}
		m.ProjectID = v.Project.ID
		m.Planned = store.Period{From: f.date("planned_from", true), To: f.date("planned_to", false)}
		m.Baseline = m.Planned
	}
	v.M, v.New = m, m.ID == 0
	f.check(&m)
	if len(f.errs) == 0 {
		err := s.st.SaveMilestone(s.actor(c), &m, version)
		if done, err := s.answerSave(c, f, err, func() string { return milestoneAnchor(&m) }, m.Title, "/projects/"+strconv.FormatUint(m.ProjectID, 10),
			func(current int) error {
				v.M.Version, v.Conflict = current, true
				return s.milestoneForm(c, fiber.StatusConflict, v, nil)
			}); done {
			return err
		}
	}
	v.M.Version = version
	return s.milestoneForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

type replanView struct {
	M        *store.Milestone
	Project  *store.Project
	From, To string
	Reason   string
	Conflict bool
}

func (s *Server) replanForm(c *fiber.Ctx) error {
	m, p, err := s.openMilestone(c)
	if m == nil {
		return err
	}
	v := replanView{M: m, Project: p, From: views.ISODate(m.Planned.From), To: views.ISODate(m.Planned.To)}
	return s.page(c, fiber.StatusOK, "milestone_replan", "milestones.replan", v, nil)
}

func (s *Server) replan(c *fiber.Ctx) error {
	m, err := byParam(c, s.st.Milestone)
	if err != nil {
		return err
	}
	p, err := s.st.Project(m.ProjectID)
	if err != nil {
		return err
	}
	f := newForm(c)
	to := store.Period{From: f.date("planned_from", true), To: f.date("planned_to", false)}
	v := replanView{M: m, Project: p, From: f.text("planned_from"), To: f.text("planned_to"), Reason: f.text("reason")}
	version := f.needVersion()
	// The milestone's own rules (the new period, the reason) are checked
	// with the form's, on a copy, so that every problem shows at once.
	probe := *m
	probe.Replans = slices.Clone(m.Replans)
	mergeFields(f.errs, probe.Replan(s.actor(c), s.st.Now(), to, v.Reason))
	if len(f.errs) == 0 {
		err := s.st.ReplanMilestone(s.actor(c), m.ID, version, to, v.Reason)
		switch {
		case err == nil:
			return redirect(c, withOK(milestoneAnchor(m), "replanned"))
		case isConflictErr(err):
			v.Conflict = true
			return s.page(c, fiber.StatusConflict, "milestone_replan", "milestones.replan", v, nil)
		case store.ErrorCode(err) == store.EConflict:
			return s.refused(c, m.Title, milestoneAnchor(m), err)
		case !f.merge(err):
			return err
		}
	}
	return s.page(c, fiber.StatusUnprocessableEntity, "milestone_replan", "milestones.replan", v, f.errs)
}

func (s *Server) milestoneDeletion() deletion {
	return deletion{question: "milestones.delete_question", shown: "/projects/milestones/", list: "/projects",
		remove: s.st.DeleteMilestone, name: named(s.st.Milestone, func(m *store.Milestone) string { return m.Title })}
}

func (s *Server) milestonesCSV(c *fiber.Ctx) error {
	d, p, err := s.project(c)
	if err != nil {
		return err
	}
	return s.sendCSV(c, "kamienie-milowe-"+strconv.FormatUint(p.ID, 10), func(w io.Writer) error {
		return store.WriteMilestonesCSV(w, p, d.MilestonesOf(p.ID), s.st.Today())
	})
}

// milestonesICS is the project's milestones as an iCalendar file of
// all-day events, to import into a calendar.
func (s *Server) milestonesICS(c *fiber.Ctx) error {
	d, p, err := s.project(c)
	if err != nil {
		return err
	}
	var buf strings.Builder
	if err := store.WriteMilestonesICS(&buf, s.st.Centre().Name, p, d.MilestonesOf(p.ID), s.st.Now()); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="kamienie-milowe-`+strconv.FormatUint(p.ID, 10)+`.ics"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendString(buf.String())
}

// Indicators.

type indicatorView struct {
	store.Standing
	Chart   views.Chart
	Today   time.Time
	Frozen  bool
	Date    string // the reading being added, as typed
	Value   string
	Comment string
	// What the reader may do: edit the definition, delete the indicator,
	// add readings, delete them (never from a closed project).
	Edit, Remove, Measure, Drop bool
	Readings                    []store.Measurement // newest first
	Body                        template.HTML       // everything but the reading form
	// A computed indicator's sessions, and the courses it counts.
	Computation store.Computation
	Courses     []courseRef
}

type courseRef struct {
	ID    uint64
	Title string
}

// courseNames names the courses of a computed indicator.
func (s *Server) courseNames(ids []uint64) []courseRef {
	var out []courseRef
	for _, id := range ids {
		if c, err := s.st.Course(id); err == nil {
			out = append(out, courseRef{ID: id, Title: c.Title})
		}
	}
	return out
}

func (s *Server) indicatorPage(c *fiber.Ctx) error {
	return s.showIndicator(c, fiber.StatusOK, nil, nil)
}

// measurers may record an indicator's readings: its editors, and the
// monitoring specialists who measure.
var measurers = []store.Role{store.RoleAdmin, store.RoleCoordinator, store.RoleMonitoring}

func canMeasure(u *store.User) bool {
	return u != nil && !u.External && (canEditOrg(u) || u.Has(store.RoleMonitoring))
}

func (s *Server) showIndicator(c *fiber.Ctx, status int, typed *indicatorView, errs map[string]string) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	ind := d.IndicatorByID[id]
	if ind == nil || d.ProjectByID[ind.ProjectID] == nil {
		return store.ErrNotFound
	}
	today := s.st.Today()
	u := userOf(c)
	version, res := s.projectVersion(d)
	v := indicatorView{Standing: d.Standing(ind, today, res), Today: today, Date: views.ISODate(today)}
	if ind.Computed() {
		if v.Computation, err = s.st.Computed(ind); err != nil {
			return err
		}
		v.Courses = s.courseNames(ind.CourseIDs)
	}
	v.Frozen = v.Project.Frozen()
	v.Edit = canEditOrg(u) && !v.Frozen
	v.Remove = v.Edit && !v.Project.Closed()
	v.Measure = canMeasure(u) && !v.Frozen && !ind.Computed()
	v.Drop = canMeasure(u) && !v.Project.Closed() && !ind.Computed()
	if typed != nil {
		v.Date, v.Value, v.Comment = typed.Date, typed.Value, typed.Comment
	}
	l := language(c)
	key := strconv.FormatUint(id, 10) + "|" + views.ISODate(today) + "|" + strconv.FormatBool(v.Edit) + strconv.FormatBool(v.Drop)
	if v.Body, err = s.cachedRowIn(&s.projects, l, version, "indicator-body", key, func() (any, error) {
		body := v
		body.Chart = views.NewIndicatorChart(l, v.Standing, today)
		readings := v.Standing.Indicator.Measurements // computed ones for a computed indicator
		for i := len(readings) - 1; i >= 0; i-- {
			body.Readings = append(body.Readings, readings[i])
		}
		return body, nil
	}); err != nil {
		return err
	}
	return s.page(c, status, "indicator", "indicators.title", v, errs)
}

// addReading records the value an indicator reached on a day.
func (s *Server) addReading(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	typed := indicatorView{Date: f.text("date"), Value: f.text("value"), Comment: f.text("comment")}
	version := f.needVersion()
	m := store.Measurement{Date: f.date("date", true), Value: f.number("value", store.MaxIndicatorValue), Comment: typed.Comment}
	if typed.Value == "" {
		f.errs["value"] = "error.required"
	}
	// The indicator's rules for a reading (not in the future, one a day,
	// the comment's length) are checked with the form's, on a copy.
	if ind, err := s.st.Indicator(id); err == nil {
		probe := *ind
		probe.Measurements = slices.Clone(ind.Measurements)
		mergeFields(f.errs, probe.Measure(m, s.st.Today()))
	}
	if len(f.errs) == 0 {
		err := s.st.AddMeasurement(s.actor(c), id, version, m)
		switch {
		case err == nil:
			return redirect(c, withOK("/projects/indicators/"+strconv.FormatUint(id, 10)+"#readings", "saved"))
		case isConflictErr(err):
			f.errs["version"] = "error.stale_form"
		case store.ErrorCode(err) == store.EConflict:
			return s.refused(c, "", "/projects/indicators/"+strconv.FormatUint(id, 10), err)
		case !f.merge(err):
			return err
		}
	}
	return s.showIndicator(c, fiber.StatusUnprocessableEntity, &typed, f.errs)
}

// readingDay reads the :day of a reading's route.
func readingDay(c *fiber.Ctx) (time.Time, error) {
	t, err := time.Parse("2006-01-02", c.Params("day"))
	if err != nil {
		return time.Time{}, fiber.ErrNotFound
	}
	return t, nil
}

func (s *Server) askDropReading(c *fiber.Ctx) error {
	ind, err := byParam(c, s.st.Indicator)
	if err != nil {
		return err
	}
	if p, err := s.st.Project(ind.ProjectID); err == nil && p.Closed() {
		return s.refused(c, ind.Name, "/projects/indicators/"+c.Params("id"), store.Errorf(store.EConflict, "error.project_closed_delete"))
	}
	day, err := readingDay(c)
	if err != nil {
		return err
	}
	back := "/projects/indicators/" + c.Params("id")
	return s.confirm(c, fiber.StatusOK, confirmView{Question: "indicators.drop_reading_question", Name: ind.Name + " · " + views.Date(day),
		Version: ind.Version, Action: back + "/readings/" + c.Params("day") + "/delete", Back: back})
}

func (s *Server) dropReading(c *fiber.Ctx) error {
	ind, err := byParam(c, s.st.Indicator)
	if err != nil {
		return err
	}
	day, err := readingDay(c)
	if err != nil {
		return err
	}
	back := "/projects/indicators/" + c.Params("id")
	f := newForm(c)
	version := f.needVersion()
	if version > 0 {
		err = s.st.RemoveMeasurement(s.actor(c), ind.ID, version, day)
	}
	switch {
	case version <= 0 || isConflictErr(err):
		return s.confirm(c, fiber.StatusConflict, confirmView{Question: "indicators.drop_reading_question", Name: ind.Name + " · " + views.Date(day),
			Version: ind.Version, Action: back + "/readings/" + c.Params("day") + "/delete", Back: back, Changed: true})
	case store.ErrorCode(err) == store.EConflict:
		return s.refused(c, ind.Name, back, err)
	case err != nil:
		return err
	}
	return redirect(c, withOK(back+"#readings", "deleted"))
}

type indicatorFormView struct {
	I        store.Indicator
	Project  *store.Project
	New      bool
	Conflict bool
	Baseline string
	Target   string
	From, To string
	Units    []store.IndicatorUnit
	Sources  []store.IndicatorSource
	Courses  []store.Course // the project's courses, for a computed indicator
}

func (s *Server) indicatorNew(c *fiber.Ctx) error {
	p, err := s.parentProject(c)
	if err != nil || p == nil {
		return err
	}
	v := indicatorFormView{I: store.Indicator{ProjectID: p.ID, Unit: store.UnitPersons}, Project: p, New: true, Baseline: "0"}
	return s.indicatorForm(c, fiber.StatusOK, v, nil)
}

func (s *Server) indicatorEdit(c *fiber.Ctx) error {
	ind, err := byParam(c, s.st.Indicator)
	if err != nil {
		return err
	}
	p, err := s.st.Project(ind.ProjectID)
	if err != nil {
		return err
	}
	if done, err := s.frozenRefused(c, p, ind.Name); done {
		return err
	}
	v := indicatorFormView{I: *ind, Project: p, Baseline: strconv.FormatInt(ind.Baseline, 10), Target: strconv.FormatInt(ind.Target, 10),
		From: views.ISODate(ind.From), To: views.ISODate(ind.To)}
	return s.indicatorForm(c, fiber.StatusOK, v, nil)
}

func (s *Server) indicatorForm(c *fiber.Ctx, status int, v indicatorFormView, errs map[string]string) error {
	v.Units, v.Sources = store.IndicatorUnits, store.IndicatorSources
	courses, err := s.st.Courses()
	if err != nil {
		return err
	}
	chosen := make(map[uint64]bool, len(v.I.CourseIDs))
	for _, id := range v.I.CourseIDs {
		chosen[id] = true
	}
	for _, co := range courses {
		if co.ProjectID == v.Project.ID || chosen[co.ID] {
			v.Courses = append(v.Courses, co)
		}
	}
	title := "indicators.edit"
	if v.New {
		title = "indicators.new"
	}
	return s.page(c, status, "indicator_form", title, v, errs)
}

func (s *Server) indicatorSave(c *fiber.Ctx) error {
	f := newForm(c)
	ind := store.Indicator{Name: f.text("name"), Unit: store.IndicatorUnit(f.text("unit")),
		Baseline: f.number("baseline", store.MaxIndicatorValue), Target: f.number("target", store.MaxIndicatorValue),
		From: f.date("from", false), To: f.date("to", false), Notes: f.text("notes"),
		Source: store.IndicatorSource(f.text("source")), CourseIDs: f.ids("courses")}
	v := indicatorFormView{Baseline: f.text("baseline"), Target: f.text("target"), From: f.text("from"), To: f.text("to")}
	version := 0
	var err error
	if strings.HasPrefix(c.Route().Path, "/projects/indicators/") { // an edit
		old, err := byParam(c, s.st.Indicator)
		if err != nil {
			return err
		}
		ind.ID, ind.ProjectID, ind.Measurements = old.ID, old.ProjectID, old.Measurements
		version = f.needVersion()
		if v.Project, err = s.st.Project(ind.ProjectID); err != nil {
			return err
		}
	} else {
		if v.Project, err = s.parentProject(c); err != nil || v.Project == nil {
			return err
		}
		ind.ProjectID = v.Project.ID
	}
	v.I, v.New = ind, ind.ID == 0
	f.check(&ind)
	if ind.Computed() { // the courses as understood: each once, at most one over the limit
		v.I.CourseIDs = ind.CourseIDs
	}
	if len(f.errs) == 0 {
		err := s.st.SaveIndicator(s.actor(c), &ind, version)
		if done, err := s.answerSave(c, f, err, func() string { return "/projects/indicators/" + strconv.FormatUint(ind.ID, 10) }, ind.Name, "/projects/"+strconv.FormatUint(ind.ProjectID, 10),
			func(current int) error {
				v.I.Version, v.Conflict = current, true
				return s.indicatorForm(c, fiber.StatusConflict, v, nil)
			}); done {
			return err
		}
	}
	v.I.Version = version
	return s.indicatorForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

func (s *Server) indicatorDeletion() deletion {
	return deletion{question: "indicators.delete_question", shown: "/projects/indicators/", list: "/projects",
		remove: s.st.DeleteIndicator, name: named(s.st.Indicator, func(i *store.Indicator) string { return i.Name })}
}
