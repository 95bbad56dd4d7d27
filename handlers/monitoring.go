package handlers

import (
	"fmt"
	"html/template"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// Monitoring notes: the monitoring specialist writes them; coordinators
// and administrators read all; the heads of the units a note is about
// read it and answer; nobody else sees that notes exist — no menu entry,
// no list, no count.

var noteWriters = []store.Role{store.RoleMonitoring}

// heads knows who heads a unit today, per version of the structure, so
// that the menu asks nothing of most people.
type heads struct {
	mu      sync.Mutex
	version uint64
	day     time.Time
	people  map[uint64]bool
}

// noteReader says which notes the signed-in account may see.
func (s *Server) noteReader(c *fiber.Ctx) store.ReaderOf {
	u := userOf(c)
	if u == nil || u.External {
		return store.ReaderOf{}
	}
	if u.Has(store.RoleAdmin) || u.Has(store.RoleCoordinator) || u.Has(store.RoleMonitoring) {
		return store.ReaderOf{All: true}
	}
	d, err := s.loadOrg()
	if err != nil {
		return store.ReaderOf{}
	}
	me := d.PersonOfUser[u.ID]
	if me == nil {
		return store.ReaderOf{}
	}
	today := s.st.Today()
	s.unitHeads.mu.Lock()
	if s.unitHeads.version != d.Version || !s.unitHeads.day.Equal(today) || s.unitHeads.people == nil {
		s.unitHeads.version, s.unitHeads.day, s.unitHeads.people = d.Version, today, map[uint64]bool{}
		for i := range d.Units {
			if st, ok := d.Units[i].At(today); ok && st.HeadID != 0 {
				s.unitHeads.people[st.HeadID] = true
			}
		}
	}
	head := s.unitHeads.people[me.ID]
	s.unitHeads.mu.Unlock()
	if !head {
		return store.ReaderOf{}
	}
	return store.ReaderOf{Units: d.HeadedUnits(me.ID, today)}
}

// monitoringReader is the reader of the monitoring pages with the
// structure, or 403 for anyone who may see no note.
func (s *Server) monitoringReader(c *fiber.Ctx) (store.ReaderOf, *store.Org, error) {
	reader := s.noteReader(c)
	if !reader.Any() {
		return reader, nil, fiber.ErrForbidden
	}
	d, err := s.loadOrg()
	return reader, d, err
}

// readsNotes shows the menu entry only to those who may read a note.
func (s *Server) readsNotes(c *fiber.Ctx) bool { return s.noteReader(c).Any() }

type notesView struct {
	Lines      []noteRow
	Pager      Pager
	Total      int
	Q          string
	Unit       uint64
	Category   store.NoteCategory
	Assessment store.Assessment
	Author     string
	From, To   string
	Open       bool
	Overdue    bool
	Write      bool
	Categories []store.NoteCategory
	Assess     []store.Assessment
	Units      template.HTML // options of the units filter
	Today      time.Time
}

type noteRow struct {
	store.NoteLine
	Subjects []subjectName
	Overdue  int
	Open     int
}

type subjectName struct {
	Kind store.SubjectKind
	ID   uint64
	Name string
	Href string
}

// subjectNames names a note's subjects as of a day, with links.
func (s *Server) subjectNames(d *store.Org, subjects []store.Subject, day time.Time) []subjectName {
	out := make([]subjectName, 0, len(subjects))
	for _, sub := range subjects {
		n := subjectName{Kind: sub.Kind, ID: sub.ID}
		id := strconv.FormatUint(sub.ID, 10)
		switch sub.Kind {
		case store.SubjectUnit:
			n.Name, n.Href = d.UnitName(sub.ID, day), "/org/units/"+id
		case store.SubjectProject:
			if p := d.ProjectByID[sub.ID]; p != nil {
				n.Name = p.Name
			}
			n.Href = "/projects/" + id
		case store.SubjectMilestone:
			if m := d.MilestoneByID[sub.ID]; m != nil {
				n.Name = m.Title
			}
			n.Href = "/projects/milestones/" + id
		case store.SubjectCourse:
			if c, err := s.st.Course(sub.ID); err == nil {
				n.Name = c.Title
			}
			n.Href = "/schedule/courses/" + id
		case store.SubjectSession:
			if ss, err := s.st.Session(sub.ID); err == nil {
				n.Name = views.Date(ss.Date) + " " + store.Clock(ss.Start)
				if c, err := s.st.Course(ss.CourseID); err == nil {
					n.Name = c.Title + ", " + n.Name
				}
			}
			n.Href = "/schedule/sessions/" + id
		}
		if n.Name == "" {
			n.Name = "#" + id
		}
		out = append(out, n)
	}
	return out
}

func (s *Server) monitoringList(c *fiber.Ctx) error {
	reader, d, err := s.monitoringReader(c)
	if err != nil {
		return err
	}
	today := s.st.Today()
	v := notesView{Q: strings.TrimSpace(c.Query("q")), Category: store.NoteCategory(c.Query("category")),
		Assessment: store.Assessment(c.Query("assessment")), Author: strings.TrimSpace(c.Query("author")),
		Open: c.Query("open") != "", Overdue: c.Query("overdue") != "", Write: userOf(c).Has(store.RoleMonitoring),
		Categories: store.NoteCategories, Assess: store.Assessments, Today: today}
	if len(v.Q) > 100 {
		v.Q = v.Q[:100]
	}
	if len(v.Author) > 120 {
		v.Author = ""
	}
	if !slices.Contains(store.NoteCategories, v.Category) {
		v.Category = ""
	}
	if !slices.Contains(store.Assessments, v.Assessment) {
		v.Assessment = ""
	}
	v.Unit, _ = strconv.ParseUint(c.Query("unit"), 10, 64)
	q := store.NoteQuery{Text: v.Q, Category: v.Category, Assessment: v.Assessment, Author: v.Author, Open: v.Open, Overdue: v.Overdue, Today: today}
	if v.Unit != 0 {
		q.Subject = store.Subject{Kind: store.SubjectUnit, ID: v.Unit}
	}
	if t, ok := views.ParseDate(c.Query("from")); ok {
		q.From, v.From = store.Day(t), views.ISODate(t)
	}
	if t, ok := views.ParseDate(c.Query("to")); ok {
		q.To, v.To = store.Day(t), views.ISODate(t)
	}
	q.May = mayLine(reader)
	// The list is kept per change of the notes or the structure, per
	// filter, page and what the reader may see.
	scope := "all"
	if !reader.All {
		scope = fmt.Sprint(slices.Sorted(maps.Keys(reader.Units)))
	}
	page := requestedPage(c)
	key := strings.Join([]string{scope, views.ISODate(today), v.Q, strconv.FormatUint(v.Unit, 10), string(v.Category), string(v.Assessment),
		v.Author, v.From, v.To, strconv.FormatBool(v.Open), strconv.FormatBool(v.Overdue), strconv.Itoa(page), strconv.FormatBool(v.Write)}, "|")
	version := d.Version + s.st.NotesVersion()
	return s.cachedPageIn(c, &s.monitoring, version, "monitoring", "monitoring.title", key, func() (any, error) {
		ix, err := s.st.Notes()
		if err != nil {
			return nil, err
		}
		lines, total := ix.Find(q, (page-1)*perPage, perPage)
		_, _, v.Pager = paginate(c, total)
		if v.Pager.Page != page {
			lines, _ = ix.Find(q, (v.Pager.Page-1)*perPage, perPage)
		}
		v.Total = total
		// The pager's links carry the filter as understood, not as typed:
		// the page is kept and served to everyone with this filter.
		pq := url.Values{}
		for name, value := range map[string]string{"q": v.Q, "category": string(v.Category), "assessment": string(v.Assessment),
			"author": v.Author, "from": v.From, "to": v.To} {
			if value != "" {
				pq.Set(name, value)
			}
		}
		if v.Unit != 0 {
			pq.Set("unit", strconv.FormatUint(v.Unit, 10))
		}
		if v.Open {
			pq.Set("open", "1")
		}
		if v.Overdue {
			pq.Set("overdue", "1")
		}
		pagerLinks(&v.Pager, "/monitoring", pq)
		for _, l := range lines {
			v.Lines = append(v.Lines, noteRow{NoteLine: l, Subjects: s.subjectNames(d, l.Subjects, l.Date), Overdue: l.Overdue(today), Open: len(l.OpenDue)})
		}
		if v.Units, err = s.options(d.Version, "units", views.ISODate(today), d.UnitChoices(today), v.Unit); err != nil {
			return nil, err
		}
		return v, nil
	})
}

// noteView is one note with its thread, actions and earlier texts.
type noteView struct {
	N        *store.Note
	Subjects []subjectName
	Body     template.HTML
	Actions  []actionRow
	Earlier  []earlierText
	Thread   []store.Reply
	Write    bool // the monitoring specialist edits and adds actions
	Reply    bool // a head of a unit the note is about answers
	Frozen   bool // about a settled project: read-only
	Today    time.Time
	People   template.HTML // owners to choose for a new action
	Units    template.HTML
	Problem  string
	// An action form sent back with its problems.
	NewAction actionForm
}

type actionRow struct {
	store.FollowUp
	Owner   string
	Overdue bool
}

type actionForm struct {
	What, Due string
}

type earlierText struct {
	store.NoteVersion
	Body     template.HTML
	Subjects []subjectName
}

// note reads the route's note, if the reader may see it.
func (s *Server) note(c *fiber.Ctx) (*store.Note, store.ReaderOf, error) {
	reader := s.noteReader(c)
	if !reader.Any() {
		return nil, reader, fiber.ErrForbidden
	}
	n, err := byParam(c, s.st.Note)
	if err != nil {
		return nil, reader, err
	}
	if !reader.May(n.Subjects) {
		return nil, reader, fiber.ErrForbidden
	}
	return n, reader, nil
}

func (s *Server) notePage(c *fiber.Ctx) error {
	return s.showNote(c, fiber.StatusOK, "", actionForm{}, nil)
}

func (s *Server) showNote(c *fiber.Ctx, status int, problem string, af actionForm, errs map[string]string) error {
	n, _, err := s.note(c)
	if err != nil {
		return err
	}
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	today := s.st.Today()
	u := userOf(c)
	v := noteView{N: n, Subjects: s.subjectNames(d, n.Subjects, n.Date), Body: views.Markdown(n.Body), Thread: n.Thread,
		Write: u.Has(store.RoleMonitoring), Today: today, Problem: problem, NewAction: af}
	v.Frozen = s.st.NoteFrozen(n)
	if p := me(d, u); p != nil && !v.Frozen {
		v.Reply = headsAny(d, p.ID, n, today)
	}
	for _, f := range n.Actions {
		v.Actions = append(v.Actions, actionRow{FollowUp: f, Overdue: f.Overdue(today), Owner: ownerName(d, f, today)})
	}
	for i := len(n.Earlier) - 1; i >= 0; i-- {
		e := n.Earlier[i]
		v.Earlier = append(v.Earlier, earlierText{NoteVersion: e, Body: views.Markdown(e.Body), Subjects: s.subjectNames(d, e.Subjects, e.Date)})
	}
	if v.Write && !v.Frozen {
		if v.People, err = s.options(d.Version, "people", views.ISODate(today), d.PersonChoices(today), 0); err != nil {
			return err
		}
		if v.Units, err = s.options(d.Version, "units", views.ISODate(today), d.UnitChoices(today), 0); err != nil {
			return err
		}
	}
	return s.page(c, status, "note", "monitoring.note_title", v, errs)
}

func me(d *store.Org, u *store.User) *store.Staff {
	if u == nil {
		return nil
	}
	return d.PersonOfUser[u.ID]
}

// headsAny reports whether a person heads a unit the note is about.
func headsAny(d *store.Org, person uint64, n *store.Note, day time.Time) bool {
	return store.ReaderOf{Units: d.HeadedUnits(person, day)}.May(n.Subjects)
}

// The note form.

type noteFormView struct {
	N          store.NoteText
	ID         uint64
	Version    int
	New        bool
	Conflict   bool
	Date       string
	Tags       string
	Units      template.HTML
	UnitIDs    []uint64
	Projects   []store.Project
	Milestones []*store.Milestone
	Courses    []store.Course
	Chosen     map[string]bool // "kind:id" of the chosen subjects
	Sessions   []subjectName   // sessions chosen on their pages
	Categories []store.NoteCategory
	Assess     []store.Assessment
}

func (s *Server) noteForm(c *fiber.Ctx, status int, v noteFormView, errs map[string]string) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	today := s.st.Today()
	v.Categories, v.Assess = store.NoteCategories, store.Assessments
	v.Chosen = map[string]bool{}
	for _, sub := range v.N.Subjects {
		v.Chosen[string(sub.Kind)+":"+strconv.FormatUint(sub.ID, 10)] = true
		switch sub.Kind {
		case store.SubjectUnit:
			v.UnitIDs = append(v.UnitIDs, sub.ID)
		case store.SubjectSession:
			v.Sessions = append(v.Sessions, s.subjectNames(d, []store.Subject{sub}, today)[0])
		}
	}
	if v.Units, err = s.multiOptions(d, today, v.UnitIDs); err != nil {
		return err
	}
	for _, p := range d.Projects {
		v.Projects = append(v.Projects, p)
		v.Milestones = append(v.Milestones, d.MilestonesOf(p.ID)...)
	}
	if v.Courses, err = s.st.Courses(); err != nil {
		return err
	}
	title := "monitoring.edit"
	if v.New {
		title = "monitoring.new"
	}
	return s.page(c, status, "note_form", title, v, errs)
}

// multiOptions are the units of a day as options, the chosen ones marked.
func (s *Server) multiOptions(d *store.Org, day time.Time, chosen []uint64) (template.HTML, error) {
	var b strings.Builder
	picked := make(map[uint64]bool, len(chosen))
	for _, id := range chosen {
		picked[id] = true
	}
	for _, ch := range d.UnitChoices(day) {
		b.WriteString(`<option value="` + strconv.FormatUint(ch.ID, 10) + `"`)
		if picked[ch.ID] {
			b.WriteString(" selected")
		}
		b.WriteString(">" + template.HTMLEscapeString(ch.Name) + "</option>")
	}
	return template.HTML(b.String()), nil
}

func (s *Server) noteNew(c *fiber.Ctx) error {
	v := noteFormView{New: true, N: store.NoteText{Date: s.st.Today(), Category: store.CategoryChange, Assessment: store.OnTrack}}
	v.Date = views.ISODate(v.N.Date)
	// A note is begun from its subject's page: ?unit=, ?milestone=, ?session= …
	for _, k := range store.SubjectKinds {
		if id, err := strconv.ParseUint(c.Query(string(k)), 10, 64); err == nil && id != 0 {
			v.N.Subjects = append(v.N.Subjects, store.Subject{Kind: k, ID: id})
		}
	}
	return s.noteForm(c, fiber.StatusOK, v, nil)
}

func (s *Server) noteEdit(c *fiber.Ctx) error {
	n, _, err := s.note(c)
	if err != nil {
		return err
	}
	return s.noteForm(c, fiber.StatusOK, noteFormView{N: n.NoteText, ID: n.ID, Version: n.Version, Date: views.ISODate(n.Date), Tags: strings.Join(n.Tags, ", ")}, nil)
}

// subjectsOf reads the subjects chosen in the form: units (several), a
// project, a milestone and a course (one of each at most), and the
// sessions the note was begun from (a note about a session is written
// from the session's page).
func subjectsOf(f *form) []store.Subject {
	var out []store.Subject
	for _, id := range f.ids("units") {
		out = append(out, store.Subject{Kind: store.SubjectUnit, ID: id})
	}
	for _, id := range f.ids("session") {
		out = append(out, store.Subject{Kind: store.SubjectSession, ID: id})
	}
	for _, k := range []store.SubjectKind{store.SubjectProject, store.SubjectMilestone, store.SubjectCourse} {
		if id := f.id(string(k)); id != 0 {
			out = append(out, store.Subject{Kind: k, ID: id})
		}
	}
	return out
}

func (s *Server) noteSave(c *fiber.Ctx) error {
	f := newForm(c)
	text := store.NoteText{Date: f.date("date", true), Subjects: subjectsOf(f), Category: store.NoteCategory(f.text("category")),
		Assessment: store.Assessment(f.text("assessment")), Title: f.text("title"), Body: formValue(c, "body"),
		Tags: strings.Split(f.text("tags"), ",")}
	v := noteFormView{N: text, Date: f.text("date"), Tags: f.text("tags")}
	var id uint64
	version := f.version()
	if c.Params("id") != "" {
		n, _, err := s.note(c)
		if err != nil {
			return err
		}
		id, version = n.ID, f.needVersion()
	}
	v.ID, v.Version, v.New = id, version, id == 0
	f.check(&text)
	if len(f.errs) == 0 {
		n, err := s.st.SaveNote(s.actor(c), id, text, version)
		if done, err := s.answerSave(c, f, err, func() string { return "/monitoring/notes/" + strconv.FormatUint(n.ID, 10) }, text.Title, "/monitoring",
			func(current int) error {
				v.Version, v.Conflict = current, true
				return s.noteForm(c, fiber.StatusConflict, v, nil)
			}); done {
			return err
		}
	}
	v.N.Subjects = text.Subjects
	return s.noteForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

// Actions and the thread.

func (s *Server) actionAdd(c *fiber.Ctx) error {
	n, _, err := s.note(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	fu := store.FollowUp{What: f.text("what"), Due: f.date("due", true), PersonID: f.id("owner_person"), UnitID: f.id("owner_unit")}
	version := f.needVersion()
	f.check(&fu)
	if len(f.errs) == 0 {
		err := s.st.AddFollowUp(s.actor(c), n.ID, version, fu)
		if done, err := s.noteAnswer(c, f, n, err, "action_added"); done {
			return err
		}
	}
	return s.showNote(c, fiber.StatusUnprocessableEntity, "", actionForm{What: f.text("what"), Due: f.text("due")}, f.errs)
}

func (s *Server) actionDone(c *fiber.Ctx) error {
	n, _, err := s.note(c)
	if err != nil {
		return err
	}
	number, err := strconv.Atoi(c.Params("n"))
	if err != nil {
		return fiber.ErrNotFound
	}
	f := newForm(c)
	version := f.needVersion()
	var doneOn time.Time
	if formValue(c, "reopen") == "" {
		doneOn = f.date("done_on", true)
	}
	comment := f.text("comment")
	if len(f.errs) == 0 {
		err := s.st.SetFollowUpDone(s.actor(c), n.ID, version, number, doneOn, comment)
		if done, err := s.noteAnswer(c, f, n, err, "action_saved"); done {
			return err
		}
	} else if i := slices.IndexFunc(n.Actions, func(a store.FollowUp) bool { return a.N == number }); i >= 0 {
		// The form's own problems and the action's, in one answer.
		probe := n.Actions[i]
		probe.DoneOn, probe.Comment = doneOn, comment
		mergeFields(f.errs, s.st.CheckDone(probe))
	}
	// The row's own fields, which the error summary links to.
	for field, id := range map[string]string{"done_on": "done-", "comment": "comment-"} {
		if msg, ok := f.errs[field]; ok {
			delete(f.errs, field)
			f.errs[id+strconv.Itoa(number)] = msg
		}
	}
	return s.showNote(c, fiber.StatusUnprocessableEntity, "", actionForm{}, f.errs)
}

func (s *Server) replyAdd(c *fiber.Ctx) error {
	n, _, err := s.note(c)
	if err != nil {
		return err
	}
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	person := me(d, userOf(c))
	if person == nil || !headsAny(d, person.ID, n, s.st.Today()) {
		return fiber.ErrForbidden // only the head of a unit the note is about answers
	}
	f := newForm(c)
	version := f.needVersion()
	kind := store.ReplyAnswer
	if formValue(c, "ack") != "" {
		kind = store.ReplyAcknowledged
	}
	if len(f.errs) == 0 {
		err := s.st.AddReply(s.actor(c), n.ID, version, store.Reply{Kind: kind, Text: f.text("text"), PersonID: person.ID})
		if done, err := s.noteAnswer(c, f, n, err, "reply_added"); done {
			return err
		}
	}
	return s.showNote(c, fiber.StatusUnprocessableEntity, "", actionForm{}, f.errs)
}

// noteAnswer answers a change of a note's actions or thread: back to the
// note, or why not.
func (s *Server) noteAnswer(c *fiber.Ctx, f *form, n *store.Note, err error, ok string) (bool, error) {
	back := "/monitoring/notes/" + strconv.FormatUint(n.ID, 10)
	switch {
	case err == nil:
		return true, redirect(c, withOK(back, ok))
	case isConflictErr(err):
		return true, s.showNote(c, fiber.StatusConflict, "error.stale_form", actionForm{}, nil)
	case store.ErrorCode(err) == store.EConflict:
		return true, s.refused(c, n.Title, back, err)
	case !f.merge(err):
		return true, err
	}
	return false, nil
}
