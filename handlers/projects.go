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

// Projects: everyone signed in reads them; coordinators and administrators
// change them. Their pages depend only on the data, the day and whether
// the reader may edit, so they are rendered once per change.

var projectEditors = orgEditors

type projectListView struct {
	Rows   []store.ProjectSummary
	Filter store.ProjectFilter
	Years  []int
	Kinds  []store.ProjectKind
	States []store.ProjectStatus
	Pager  Pager
	Total  int
	Today  time.Time
	Edit   bool
}

func (s *Server) projectList(c *fiber.Ctx) error {
	today := s.st.Today()
	f := store.ProjectFilter{Kind: store.ProjectKind(c.Query("kind")), Status: store.ProjectStatus(c.Query("status"))}
	if !slices.Contains(store.ProjectKinds, f.Kind) {
		f.Kind = ""
	}
	if !slices.Contains(store.ProjectStatuses, f.Status) {
		f.Status = ""
	}
	if y, err := strconv.Atoi(c.Query("year")); err == nil && y > 1900 && y < 3000 {
		f.Year = y
	}
	edit := canEditOrg(userOf(c))
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	version, res := s.projectVersion(d)
	rows := d.FindProjects(f, today, res)
	from, to, pager := paginate(c, len(rows))
	// The pager's links carry the filter as understood, not the query as
	// typed: the page is kept and served to everyone with this filter.
	q := url.Values{}
	if f.Kind != "" {
		q.Set("kind", string(f.Kind))
	}
	if f.Status != "" {
		q.Set("status", string(f.Status))
	}
	if f.Year != 0 {
		q.Set("year", strconv.Itoa(f.Year))
	}
	link := func(page int) string {
		q.Set("page", strconv.Itoa(page))
		return "/projects?" + q.Encode()
	}
	if pager.Prev != "" {
		pager.Prev = link(pager.Page - 1)
	}
	if pager.Next != "" {
		pager.Next = link(pager.Page + 1)
	}
	key := url.Values{"k": {string(f.Kind)}, "s": {string(f.Status)}, "y": {strconv.Itoa(f.Year)}, "p": {strconv.Itoa(pager.Page)},
		"d": {views.ISODate(today)}, "e": {strconv.FormatBool(edit)}}.Encode()
	return s.cachedPageIn(c, &s.projects, version, "projects", "projects.title", key, func() (any, error) {
		return projectListView{Rows: rows[from:to], Filter: f, Years: d.ProjectYears(today), Kinds: store.ProjectKinds,
			States: store.ProjectStatuses, Pager: pager, Total: len(rows), Today: today, Edit: edit}, nil
	})
}

// sourceLine is a funding source with its share.
type sourceLine struct {
	store.FundingSource
	Share int64 // hundredths of a per cent
}

// milestoneLine is a milestone as the project page shows it.
type milestoneLine struct {
	*store.Milestone
	Late bool
	Unit string
}

type projectView struct {
	P            *store.Project
	Sum          store.ProjectSummary
	Unit         string
	Coordinator  *store.Staff
	Sources      []sourceLine
	Gap          int64
	Milestones   []milestoneLine
	Indicators   []store.Standing
	Timeline     views.Timeline
	Today        time.Time
	Edit, Admin  bool
	KindName     string
	FrozenReason string
	// Published is the newest version of the schedule of support, its late
	// sessions and whether the schedule changed since (nil: never published).
	Published *publishedSummary
	// Evidence: the open problems of the project's sessions (page only).
	Evidence *projectProblems
}

type publishedSummary struct {
	Number  int
	At      time.Time
	Late    int
	Changed bool
}

// projectVersion is the version what shows the projects is kept under:
// the structure's snapshot and the schedule's version added (both only
// grow), with the resolver that fills computed indicators from that
// schedule. The schedule's version is read before any of its data.
func (s *Server) projectVersion(d *store.Org) (uint64, store.Resolver) {
	res := s.st.Resolver()
	return d.Version + s.st.ScheduleVersion(), res
}

// projectData gathers what the project page and its printable summary show.
func (s *Server) projectData(l *views.Lang, d *store.Org, p *store.Project, today time.Time, res store.Resolver) projectView {
	v := projectView{P: p, Sum: d.Summaries(today, res)[slices.IndexFunc(d.Projects, func(x store.Project) bool { return x.ID == p.ID })],
		Unit: d.UnitName(p.UnitID, today), Coordinator: d.PersonByID[p.CoordinatorID], Gap: p.BudgetGap(), Today: today}
	if n := s.st.PublicationCount(p.ID); n > 0 {
		if pub, err := s.st.PublicationOf(p.ID, n); err == nil {
			changes, _ := s.st.ChangesSince(pub)
			v.Published = &publishedSummary{Number: pub.Number, At: pub.At, Late: pub.LateRows(p.LeadDays), Changed: len(changes) > 0}
		}
	}
	for i, share := range p.SourceShares() {
		v.Sources = append(v.Sources, sourceLine{FundingSource: p.Sources[i], Share: share})
	}
	ms := d.MilestonesOf(p.ID)
	for _, m := range ms {
		v.Milestones = append(v.Milestones, milestoneLine{Milestone: m, Late: m.Late(today), Unit: d.UnitName(m.UnitID, today)})
	}
	for _, ind := range d.IndicatorsOf(p.ID) {
		v.Indicators = append(v.Indicators, d.Standing(ind, today, res))
	}
	v.Timeline = views.NewTimeline(l, p, ms, today)
	return v
}

// project reads the project of the route's :id from the snapshot.
func (s *Server) project(c *fiber.Ctx) (*store.Org, *store.Project, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, nil, err
	}
	d, err := s.loadOrg()
	if err != nil {
		return nil, nil, err
	}
	p := d.ProjectByID[id]
	if p == nil {
		return nil, nil, store.ErrNotFound
	}
	return d, p, nil
}

func (s *Server) projectPage(c *fiber.Ctx) error {
	d, p, err := s.project(c)
	if err != nil {
		return err
	}
	u := userOf(c)
	today := s.st.Today()
	edit, admin := canEditOrg(u), u.Has(store.RoleAdmin) && !u.External
	key := strconv.FormatUint(p.ID, 10) + "|" + views.ISODate(today) + "|" + strconv.FormatBool(edit) + strconv.FormatBool(admin)
	l := language(c)
	version, res := s.projectVersion(d)
	return s.render(c, fiber.StatusOK, "project", "projects.title", nil, func(pg *views.Page) (template.HTML, error) {
		pg.Title = p.Name
		ck := contentKey{name: "project", key: key, lang: l.Code, version: version}
		return keep(&s.projects, ck, func() (template.HTML, error) {
			v := s.projectData(l, d, p, today, res)
			v.Edit, v.Admin = edit, admin
			var err error
			if v.Evidence, err = s.projectProblems(p); err != nil {
				return "", err
			}
			pg.Data = v
			return s.html("pages/project", pg)
		})
	})
}

// projectPrint is the printable summary: A4, the timeline on a landscape
// page.
func (s *Server) projectPrint(c *fiber.Ctx) error {
	d, p, err := s.project(c)
	if err != nil {
		return err
	}
	today := s.st.Today()
	l := language(c)
	version, res := s.projectVersion(d)
	return s.documentIn(c, &s.projectDocs, version, "project_print", "projects.print_title", strconv.FormatUint(p.ID, 10)+"|"+views.ISODate(today), func() (any, error) {
		return s.projectData(l, d, p, today, res), nil
	})
}

type projectFormView struct {
	P        store.Project
	New      bool
	Conflict bool
	From, To string
	// SettledOn and RetainUntil are the settlement's dates as typed.
	SettledOn, RetainUntil string
	Total                  string
	Refs                   []refRow
	Sources                []amountRow
	Goals                  string
	Units                  template.HTML
	People                 template.HTML
	Kinds                  []store.ProjectKind
	States                 []store.ProjectStatus
}

type refRow struct{ Name, Date string }
type amountRow struct{ Name, Amount string }

// blankRows is how many empty rows a list in a form offers for new
// entries; saving and editing again offers more.
const blankRows = 2

func (s *Server) projectFormView(p store.Project) projectFormView {
	v := projectFormView{P: p, New: p.ID == 0, From: views.ISODate(p.From), To: views.ISODate(p.To),
		SettledOn: views.ISODate(p.SettledOn), RetainUntil: views.ISODate(p.RetainUntil),
		Goals: joinLines(p.Goals), Kinds: store.ProjectKinds, States: store.ProjectStatuses}
	if p.Total != 0 {
		v.Total = views.Amount(p.Total)
	}
	for _, r := range p.References {
		v.Refs = append(v.Refs, refRow{r.Name, views.ISODate(r.Date)})
	}
	for _, src := range p.Sources {
		v.Sources = append(v.Sources, amountRow{src.Name, views.Amount(src.Amount)})
	}
	return v.padded()
}

func (v projectFormView) padded() projectFormView {
	for range blankRows {
		if len(v.Refs) < store.MaxReferences {
			v.Refs = append(v.Refs, refRow{})
		}
		if len(v.Sources) < store.MaxFundingSources {
			v.Sources = append(v.Sources, amountRow{})
		}
	}
	return v
}

// choices fills the form's unit and person lists from the snapshot. A unit
// closed since or a coordinator who has left stays chosen: saving the form
// must not drop them.
func (s *Server) choices(d *store.Org, today time.Time, unit, person uint64) (units, people template.HTML, err error) {
	if units, err = s.options(d.Version, "units", views.ISODate(today), d.UnitChoices(today), unit); err != nil {
		return "", "", err
	}
	units = withChosen(units, unit, d.UnitName(unit, today))
	if people, err = s.options(d.Version, "people", views.ISODate(today), d.PersonChoices(today), person); err != nil {
		return "", "", err
	}
	if p := d.PersonByID[person]; p != nil {
		people = withChosen(people, person, p.LastName+" "+p.FirstName)
	}
	return units, people, nil
}

// withChosen adds the chosen record to options that do not offer it.
func withChosen(options template.HTML, id uint64, name string) template.HTML {
	if id == 0 || name == "" {
		return options
	}
	value := `<option value="` + strconv.FormatUint(id, 10) + `" selected>`
	if strings.Contains(string(options), value) {
		return options
	}
	return template.HTML(value+template.HTMLEscapeString(name)+"</option>") + options
}

func (s *Server) projectNew(c *fiber.Ctx) error {
	today := s.st.Today()
	return s.projectForm(c, fiber.StatusOK, s.projectFormView(store.Project{Kind: store.KindEUProject, Status: store.ProjectPlanned, From: today}), nil)
}

func (s *Server) projectEdit(c *fiber.Ctx) error {
	p, err := byParam(c, s.st.Project)
	if err != nil {
		return err
	}
	if p.Frozen() {
		return s.refused(c, p.Name, "/projects/"+c.Params("id"), store.Errorf(store.EConflict, "error.project_settled"))
	}
	return s.projectForm(c, fiber.StatusOK, s.projectFormView(*p), nil)
}

func (s *Server) projectForm(c *fiber.Ctx, status int, v projectFormView, errs map[string]string) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	if v.Units, v.People, err = s.choices(d, s.st.Today(), v.P.UnitID, v.P.CoordinatorID); err != nil {
		return err
	}
	title := "projects.edit"
	if v.New {
		title = "projects.new"
	}
	return s.page(c, status, "project_form", title, v, errs)
}

func (s *Server) projectSave(c *fiber.Ctx) error {
	f := newForm(c)
	p := store.Project{Name: f.text("name"), Kind: store.ProjectKind(f.text("kind")), Programme: f.text("programme"),
		From: f.date("from", true), To: f.date("to", false), Status: store.ProjectStatus(f.text("status")),
		MainGoal: f.text("main_goal"), Goals: splitLines(formValue(c, "goals")), UnitID: f.id("unit"), CoordinatorID: f.id("coordinator"),
		LeadDays: int(f.number("lead_days", store.MaxLeadDays)), SettledOn: f.date("settled_on", false), RetainUntil: f.date("retain_until", false)}
	v := projectFormView{From: f.text("from"), To: f.text("to"), SettledOn: f.text("settled_on"), RetainUntil: f.text("retain_until"),
		Total: f.text("total"), Goals: formValue(c, "goals"), Kinds: store.ProjectKinds, States: store.ProjectStatuses}
	p.Total = f.amount("total")
	for i := range store.MaxReferences + blankRows {
		name, day := f.text("ref_name_"+itoa(i)), f.text("ref_date_"+itoa(i))
		if name == "" && day == "" {
			continue
		}
		// Numbered as kept, so that a message lands on its row.
		n := len(p.References)
		p.References = append(p.References, store.Reference{Name: name, Date: f.dateValue("ref_date_"+itoa(n), day, false)})
		v.Refs = append(v.Refs, refRow{name, day})
	}
	for i := range store.MaxFundingSources + blankRows {
		name, amount := f.text("source_name_"+itoa(i)), f.text("source_amount_"+itoa(i))
		if name == "" && amount == "" {
			continue
		}
		n := len(p.Sources)
		p.Sources = append(p.Sources, store.FundingSource{Name: name, Amount: f.amountValue("source_amount_"+itoa(n), amount)})
		v.Sources = append(v.Sources, amountRow{name, amount})
	}
	if c.Params("id") != "" {
		old, err := byParam(c, s.st.Project)
		if err != nil {
			return err
		}
		p.ID = old.ID
	}
	version := f.version()
	if p.ID != 0 {
		version = f.needVersion()
	}
	v.P, v.New = p, p.ID == 0
	f.merge(p.ValidateOn(s.st.Today()))
	if len(f.errs) == 0 {
		err := s.st.SaveProject(s.actor(c), &p, version)
		if done, err := s.answerSave(c, f, err, func() string { return "/projects/" + strconv.FormatUint(p.ID, 10) }, p.Name, "/projects",
			func(current int) error {
				v.P.Version, v.Conflict = current, true
				return s.projectForm(c, fiber.StatusConflict, v.padded(), nil)
			}); done {
			return err
		}
	}
	v.P.Version = version
	return s.projectForm(c, fiber.StatusUnprocessableEntity, v.padded(), f.errs)
}

func (s *Server) projectDeletion() deletion {
	return deletion{question: "projects.delete_question", shown: "/projects/", list: "/projects",
		remove: s.st.DeleteProject, name: named(s.st.Project, func(p *store.Project) string { return p.Name })}
}

type reopenView struct {
	P      *store.Project
	Reason string
}

func (s *Server) reopenForm(c *fiber.Ctx) error {
	p, err := byParam(c, s.st.Project)
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "project_reopen", "projects.reopen", reopenView{P: p}, nil)
}

func (s *Server) reopen(c *fiber.Ctx) error {
	p, err := byParam(c, s.st.Project)
	if err != nil {
		return err
	}
	f := newForm(c)
	version, reason := f.needVersion(), f.text("reason")
	if len(f.errs) == 0 {
		err = s.st.ReopenProject(s.actor(c), p.ID, version, reason)
		switch {
		case err == nil:
			return redirect(c, withOK("/projects/"+strconv.FormatUint(p.ID, 10), "reopened"))
		case isConflictErr(err):
			f.errs["version"] = "error.stale_form"
		case store.ErrorCode(err) == store.EConflict:
			return s.refused(c, p.Name, "/projects/"+strconv.FormatUint(p.ID, 10), err)
		case !f.merge(err):
			return err
		}
	}
	return s.page(c, fiber.StatusUnprocessableEntity, "project_reopen", "projects.reopen", reopenView{P: p, Reason: reason}, f.errs)
}

// splitLines reads a list typed one entry per line (goals, deliverables);
// the store drops the empty lines and bounds the rest.
func splitLines(s string) []string { return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") }
