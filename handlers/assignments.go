package handlers

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// A person's assignments change in two distinct ways, each its own form:
// a move (a new unit, job title or category from a day on, which ends the
// old assignment the day before and leaves every earlier day as it was)
// and a correction (an assignment entered wrongly is put right in place).

type assignmentFormView struct {
	P       store.Staff
	Correct bool             // correcting assignment A, else moving
	A       store.Assignment // the assignment being corrected, or the new one
	Replace int              // the assignment a move ends; 0 adds a second post
	Current []store.Post     // the posts in force on the move's day
	Units   []store.UnitChoice
	Cats    []*store.JobCategory
	// Field is the field-work choice: "" follows the category, "1" or "0".
	Field    string
	From, To string
	Conflict *store.Staff
}

func (s *Server) assignmentForm(c *fiber.Ctx, status int, v assignmentFormView, errs map[string]string) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	day := v.A.From
	if day.IsZero() {
		day = s.st.Today()
	}
	v.Units = withUnit(d, d.UnitChoices(day), v.A.UnitID)
	v.Cats = d.OpenCategories()
	if c := d.CategoryByID[v.A.CategoryID]; c != nil && c.Archived {
		v.Cats = append(slices.Clip(v.Cats), c) // an archived category stays choosable where it is set
	}
	if !v.Correct { // the posts that could end: in force on the day, or today, or chosen
		today := s.st.Today()
		for _, post := range d.History(&v.P) {
			if post.On(day) || post.On(today) || post.ID == v.Replace {
				v.Current = append(v.Current, post)
			}
		}
	}
	if v.From == "" {
		v.From = views.ISODate(v.A.From)
	}
	if v.To == "" {
		v.To = views.ISODate(v.A.To)
	}
	title := "staff.move"
	if v.Correct {
		title = "staff.correct"
	}
	return s.page(c, status, "assignment_form", title, v, errs)
}

// withUnit keeps a unit choosable even when it does not exist on the
// form's day (an assignment being corrected may name one that has ended).
func withUnit(d *store.Org, units []store.UnitChoice, id uint64) []store.UnitChoice {
	u := d.UnitByID[id]
	if u == nil || slices.ContainsFunc(units, func(ch store.UnitChoice) bool { return ch.ID == id }) {
		return units
	}
	return append(slices.Clip(units), store.UnitChoice{ID: u.ID, Name: u.Current().Name, Kind: u.Current().Kind})
}

// fieldChoice shows a stored field-work flag in the form's select.
func fieldChoice(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

// readAssignment reads the fields every assignment form has. Field work
// left to the category takes the category's flag.
func (s *Server) readAssignment(f *form, d *store.Org) (store.Assignment, string) {
	a := store.Assignment{UnitID: f.id("unit"), Position: f.text("position"), CategoryID: f.id("category")}
	field := f.text("field_work")
	switch field {
	case "1":
		a.FieldWork = true
	case "0":
	default:
		field = ""
		if c := d.CategoryByID[a.CategoryID]; c != nil {
			a.FieldWork = c.FieldWork
		}
	}
	return a, field
}

// assignmentPost reads what the move and the correction forms send alike:
// the version the form was read at and the assignment's fields.
func (s *Server) assignmentPost(c *fiber.Ctx) (f *form, version int, a store.Assignment, field string, err error) {
	d, err := s.loadOrg()
	if err != nil {
		return nil, 0, a, "", err
	}
	f = newForm(c)
	version = f.needVersion()
	a, field = s.readAssignment(f, d)
	return f, version, a, field, nil
}

// moveNew is the move form: by default it ends the primary assignment in
// force today; ?assignment=0 adds a second post instead.
func (s *Server) moveNew(c *fiber.Ctx) error {
	p, err := byParam(c, s.st.Person)
	if err != nil {
		return err
	}
	today := s.st.Today()
	v := assignmentFormView{P: *p, A: store.Assignment{From: today}}
	if cur, ok := p.PrimaryOn(today); ok {
		v.Replace = cur.ID
		v.A.UnitID, v.A.Position, v.A.CategoryID = cur.UnitID, cur.Position, cur.CategoryID
	}
	if n, err := strconv.Atoi(c.Query("assignment")); err == nil {
		if a, ok := p.Assignment(n); (ok && a.On(today)) || n == 0 { // one offered on the form
			v.Replace = n
			if ok {
				v.A.UnitID, v.A.Position, v.A.CategoryID = a.UnitID, a.Position, a.CategoryID
			}
		}
	}
	if v.Replace == 0 {
		v.A.UnitID, v.A.Position = 0, ""
	}
	return s.assignmentForm(c, fiber.StatusOK, v, nil)
}

func (s *Server) moveSave(c *fiber.Ctx) error {
	p, err := byParam(c, s.st.Person)
	if err != nil {
		return err
	}
	f, version, next, field, err := s.assignmentPost(c)
	if err != nil {
		return err
	}
	v := assignmentFormView{P: *p, Field: field, From: f.text("from")}
	next.From = f.date("from", true)
	// Which assignment ends must be said: a value missing or unreadable
	// never turns a move into a second post.
	switch n, err := strconv.Atoi(f.text("assignment")); {
	case f.text("assignment") == "":
		f.errs["assignment"] = "error.choose_assignment"
	case err != nil:
		f.errs["assignment"] = "error.invalid_choice"
	default:
		v.Replace = n
	}
	v.A = next
	// Every problem at once: the new assignment's own fields, and the move
	// tried on a copy (the store tries it again on the stored person).
	f.check(&next)
	if !next.From.IsZero() && version == p.Version { // on a stale form the conflict is what to show
		trial := *p
		trial.Assignments = slices.Clone(p.Assignments)
		f.merge(trial.Move(next.From, v.Replace, next))
	}
	if len(f.errs) == 0 {
		_, err := s.st.UpdatePerson(s.actor(c), p.ID, version, store.ActionMove, func(x *store.Staff) error {
			return x.Move(next.From, v.Replace, next)
		})
		if done, err := s.afterPersonUpdate(c, &v, err, f); done {
			return err
		}
	}
	v.P.Version = max(version, 0)
	return s.assignmentForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

// afterPersonUpdate ends a request whose change was saved (done) or
// refused by a newer version of the person (done, with both shown);
// validation problems go into the form.
func (s *Server) afterPersonUpdate(c *fiber.Ctx, v *assignmentFormView, err error, f *form) (bool, error) {
	var conflict *store.ConflictError
	switch {
	case err == nil:
		return true, redirect(c, withOK("/staff/"+strconv.FormatUint(v.P.ID, 10)+"#history", "saved"))
	case asConflict(err, &conflict):
		v.Conflict = conflict.Current.(*store.Staff)
		v.P = *v.Conflict
		return true, s.assignmentForm(c, fiber.StatusConflict, *v, nil)
	case !f.merge(err):
		return true, err
	}
	return false, nil
}

// assignmentParam finds the person and their assignment :n.
func (s *Server) assignmentParam(c *fiber.Ctx) (*store.Staff, store.Assignment, error) {
	p, err := byParam(c, s.st.Person)
	if err != nil {
		return nil, store.Assignment{}, err
	}
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil {
		return nil, store.Assignment{}, fiber.ErrNotFound
	}
	a, ok := p.Assignment(n)
	if !ok {
		return nil, store.Assignment{}, fiber.ErrNotFound
	}
	return p, *a, nil
}

func (s *Server) correctEdit(c *fiber.Ctx) error {
	p, a, err := s.assignmentParam(c)
	if err != nil {
		return err
	}
	return s.assignmentForm(c, fiber.StatusOK, assignmentFormView{P: *p, Correct: true, A: a, Field: fieldChoice(a.FieldWork)}, nil)
}

func (s *Server) correctSave(c *fiber.Ctx) error {
	p, old, err := s.assignmentParam(c)
	if err != nil {
		return err
	}
	f, version, a, field, err := s.assignmentPost(c)
	if err != nil {
		return err
	}
	a.ID, a.Primary = old.ID, f.bool("primary")
	v := assignmentFormView{P: *p, Correct: true, Field: field, From: f.text("from"), To: f.text("to")}
	a.From, a.To = f.date("from", true), f.date("to", false)
	v.A = a
	f.check(&a)
	if len(f.errs) == 0 {
		_, err := s.st.UpdatePerson(s.actor(c), p.ID, version, store.ActionCorrect, func(x *store.Staff) error { return x.Correct(a) })
		if done, err := s.afterPersonUpdate(c, &v, err, f); done {
			return err
		}
	}
	v.P.Version = max(version, 0)
	return s.assignmentForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

// assignmentName names an assignment in a confirmation.
func (s *Server) assignmentName(p *store.Staff, a store.Assignment) (string, error) {
	d, err := s.loadOrg()
	if err != nil {
		return "", err
	}
	to := "…"
	if !a.To.IsZero() {
		to = views.Date(a.To)
	}
	return p.FullName() + ": " + a.Position + ", " + d.UnitName(a.UnitID, a.From) + " (" + views.Date(a.From) + " – " + to + ")", nil
}

// assignmentDeletion is the person, their assignment :n and the question
// that asks to delete it.
func (s *Server) assignmentDeletion(c *fiber.Ctx) (*store.Staff, store.Assignment, confirmView, error) {
	p, a, err := s.assignmentParam(c)
	if err != nil {
		return nil, a, confirmView{}, err
	}
	name, err := s.assignmentName(p, a)
	base := "/staff/" + strconv.FormatUint(p.ID, 10) + "/assignments/" + strconv.Itoa(a.ID)
	return p, a, confirmView{Question: "staff.assignment_delete_question", Name: name, Version: p.Version,
		Action: base + "/delete", Back: base}, err
}

func (s *Server) askDropAssignment(c *fiber.Ctx) error {
	_, _, v, err := s.assignmentDeletion(c)
	if err != nil {
		return err
	}
	return s.confirm(c, fiber.StatusOK, v)
}

// dropAssignment removes an assignment entered by mistake; a change since
// the question was asked asks again, and the last assignment stays.
func (s *Server) dropAssignment(c *fiber.Ctx) error {
	p, a, v, err := s.assignmentDeletion(c)
	if err != nil {
		return err
	}
	version := newForm(c).version()
	if version > 0 {
		_, err = s.st.UpdatePerson(s.actor(c), p.ID, version, store.ActionCorrect, func(x *store.Staff) error { return x.DropAssignment(a.ID) })
	}
	switch {
	case version <= 0 || isConflictErr(err):
		v.Changed = true
		return s.confirm(c, fiber.StatusConflict, v)
	case store.ErrorCode(err) == store.EInvalid:
		return s.refused(c, v.Name, v.Back, err)
	case err != nil:
		return err
	}
	return redirect(c, withOK("/staff/"+strconv.FormatUint(p.ID, 10)+"#history", "deleted"))
}
