package handlers

import (
	"errors"
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

type directoryView struct {
	Rows    []store.DirectoryEntry
	RowHTML []template.HTML // the rows rendered (kept until the data changes)
	Total   int
	Query   string
	UnitID  uint64
	LocID   uint64
	Former  bool
	// UnitOptions and LocationOptions are the filters' choices.
	UnitOptions, LocationOptions template.HTML
	Pager                        Pager
	CanEdit                      bool
	Today                        time.Time
}

// directory is the staff search: by name, unit, job title, phone or
// location, ignoring case and Polish diacritics, in Polish order. The
// store keeps the order and the folded search text; this reads one page.
func (s *Server) directory(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	today := s.st.Today()
	v := directoryView{Query: c.Query("q"), Former: c.Query("former") != "", CanEdit: canEditOrg(userOf(c)), Today: today}
	v.UnitID, _ = strconv.ParseUint(c.Query("unit"), 10, 64)
	v.LocID, _ = strconv.ParseUint(c.Query("location"), 10, 64)
	if len(v.Query) > 100 {
		v.Query = v.Query[:100]
	}
	q := store.DirectoryQuery{Text: v.Query, UnitID: v.UnitID, LocationID: v.LocID, Former: v.Former, Limit: perPage}
	q.Offset = (requestedPage(c) - 1) * perPage
	q.After, _ = strconv.ParseUint(c.Query("after"), 10, 64)
	rows, total := d.Directory(today).Find(q)
	if len(rows) == 0 && total > 0 { // past the last page: show the last one
		q.After, q.Offset = 0, (total-1)/perPage*perPage
		rows, total = d.Directory(today).Find(q)
	}
	v.Rows, v.Total = rows, total
	l := language(c)
	day := views.ISODate(today)
	for i := range rows {
		html, err := s.row(l, d, "staff-row", day+"|"+strconv.FormatUint(rows[i].Person.ID, 10), rows[i])
		if err != nil {
			return err
		}
		v.RowHTML = append(v.RowHTML, html)
	}
	_, _, v.Pager = paginate(c, total)
	if v.Pager.Next != "" && len(rows) > 0 { // the next page continues after the last person shown
		v.Pager.Next += "&after=" + strconv.FormatUint(rows[len(rows)-1].Person.ID, 10)
	}
	if v.UnitOptions, err = s.options(d.Version, "units", views.ISODate(today), d.UnitChoices(today), v.UnitID); err != nil {
		return err
	}
	if v.LocationOptions, err = s.options(d.Version, "locations", "", d.OpenLocations(), v.LocID); err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "staff", "staff.title", v, nil)
}

// phoneList is the printable phone list: every person employed today,
// grouped by building and unit. It shows everything, so the store builds
// it once per change and the rendered page is kept until the next one.
func (s *Server) phoneList(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	today := s.st.Today()
	return s.document(c, d.Version, "phones", "staff.phones", views.ISODate(today), func() (any, error) {
		return struct {
			Groups []store.PhoneGroup
			Day    time.Time
		}{d.PhoneBook(today), today}, nil
	})
}

type personView struct {
	P        store.Staff
	Posts    []store.Post // today's, or the last ones for someone who left
	History  []store.Post // every assignment, latest first
	Today    time.Time
	NoPost   bool // employed today, but in no unit
	Location *store.Location
	Login    string
	CanEdit  bool
	IsSelf   bool
}

func (s *Server) person(c *fiber.Ctx) error {
	p, err := byParam(c, s.st.Person)
	if err != nil {
		return err
	}
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	u := userOf(c)
	today := s.st.Today()
	v := personView{P: *p, Posts: d.Posts(p, today), History: d.History(p), Today: today, Location: d.LocationByID[p.LocationID],
		NoPost:  p.EmployedOn(today) && len(p.AssignmentsOn(today)) == 0,
		CanEdit: canEditOrg(u), IsSelf: p.UserID != 0 && p.UserID == u.ID}
	if p.UserID != 0 && canEditOrg(u) {
		if acc, err := s.st.User(p.UserID); err == nil {
			v.Login = acc.Login
		}
	}
	return s.page(c, fiber.StatusOK, "person", "staff.person", v, nil)
}

type personFormView struct {
	P         store.Staff
	New       bool
	Full      bool // all fields (editors) or phone and room only (the person)
	Units     []store.UnitChoice
	Cats      []*store.JobCategory
	Locations []store.Location
	Users     []store.User
	From, To  string
	Phones    string
	Conflict  *store.Staff
	// A is a new person's first assignment; later ones are moves.
	A     store.Assignment
	Field string // field work: "" as the category says, "1", "0"
}

func (s *Server) personForm(c *fiber.Ctx, status int, v personFormView, errs map[string]string) error {
	if v.Full {
		d, err := s.loadOrg()
		if err != nil {
			return err
		}
		today := s.st.Today()
		v.Units = withUnit(d, d.UnitChoices(today), v.A.UnitID)
		v.Cats = d.OpenCategories()
		v.Locations = d.Locations
		if v.Users, err = s.st.Users(); err != nil {
			return err
		}
	}
	if v.From == "" {
		v.From = views.ISODate(v.P.EmployedFrom)
	}
	if v.To == "" {
		v.To = views.ISODate(v.P.EmployedTo)
	}
	if v.Phones == "" {
		v.Phones = joinLines(v.P.Phones)
	}
	title := "staff.edit"
	if v.New {
		title = "staff.new"
	}
	return s.page(c, status, "person_form", title, v, errs)
}

// joinLines puts a list back into a textarea, one entry per line.
func joinLines(list []string) string { return strings.Join(list, "\n") }

func (s *Server) personNew(c *fiber.Ctx) error {
	p := store.Staff{EmployedFrom: s.st.Today()}
	v := personFormView{P: p, New: true, Full: true}
	v.A.UnitID, _ = strconv.ParseUint(c.Query("unit"), 10, 64)
	return s.personForm(c, fiber.StatusOK, v, nil)
}

// mayEdit: editors edit everyone; people edit their own phone and room.
func (s *Server) mayEdit(c *fiber.Ctx, p *store.Staff) (full bool, err error) {
	u := userOf(c)
	if canEditOrg(u) {
		return true, nil
	}
	if p.UserID != 0 && p.UserID == u.ID {
		return false, nil
	}
	return false, fiber.ErrForbidden
}

func (s *Server) personEdit(c *fiber.Ctx) error {
	p, err := byParam(c, s.st.Person)
	if err != nil {
		return err
	}
	full, err := s.mayEdit(c, p)
	if err != nil {
		return err
	}
	return s.personForm(c, fiber.StatusOK, personFormView{P: *p, Full: full}, nil)
}

func (s *Server) personSave(c *fiber.Ctx) error {
	p := &store.Staff{}
	full := true
	if c.Params("id") != "" {
		id, err := paramID(c)
		if err != nil {
			return err
		}
		if p, err = s.st.Person(id); err != nil {
			return err
		}
		if full, err = s.mayEdit(c, p); err != nil {
			return err
		}
	}
	f := newForm(c)
	version := f.version()
	if p.ID != 0 {
		version = f.needVersion()
	}
	v := personFormView{New: p.ID == 0, Full: full, Phones: formValue(c, "phones")}
	p.Phones = store.ParsePhones(formValue(c, "phones"))
	p.Room = f.text("room")
	if full {
		p.FirstName, p.LastName = f.text("first_name"), f.text("last_name")
		p.LocationID, p.UserID = f.id("location"), f.id("user")
		p.Email = f.text("email")
		v.From, v.To = f.text("employed_from"), f.text("employed_to")
		p.EmployedFrom, p.EmployedTo = f.date("employed_from", false), f.date("employed_to", false)
	}
	if p.ID == 0 { // the first assignment starts with the employment
		d, err := s.loadOrg()
		if err != nil {
			return err
		}
		v.A, v.Field = s.readAssignment(f, d)
		v.A.From, v.A.Primary = p.EmployedFrom, true
		p.Assignments = nil
		p.AddAssignment(v.A)
	}
	f.check(p)
	v.P = *p
	if len(f.errs) == 0 {
		err := s.st.SavePerson(s.actor(c), p, version)
		if p.ID == 0 {
			err = firstAssignmentErrors(err)
		}
		var conflict *store.ConflictError
		switch {
		case err == nil:
			return redirect(c, withOK("/staff/"+strconv.FormatUint(p.ID, 10), "saved"))
		case asConflict(err, &conflict):
			v.Conflict = conflict.Current.(*store.Staff)
			v.P.Version = v.Conflict.Version
			return s.personForm(c, fiber.StatusConflict, v, nil)
		case !f.merge(err):
			return err
		}
	}
	if v.New {
		f.errs = firstAssignmentErrors(&store.ValidationError{Fields: f.errs}).(*store.ValidationError).Fields
	}
	v.P.Version = version
	return s.personForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

// firstAssignmentErrors puts a new person's assignment problems on the
// fields their form has: the first assignment starts with the employment.
func firstAssignmentErrors(err error) error {
	var ve *store.ValidationError
	if !errors.As(err, &ve) {
		return err
	}
	if msg, ok := ve.Fields["from"]; ok {
		delete(ve.Fields, "from")
		if _, taken := ve.Fields["employed_from"]; !taken {
			ve.Fields["employed_from"] = msg
		}
	}
	return ve
}
