package handlers

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// staffRow is a person with the names the directory shows beside them.
type staffRow struct {
	P        store.Staff
	Unit     string
	Location string
	Address  string
}

func (d *orgData) rows(people []store.Staff, day time.Time) []staffRow {
	out := make([]staffRow, 0, len(people))
	for _, p := range people {
		r := staffRow{P: p, Unit: d.unitName(p.UnitID, day)}
		if l := d.locations[p.LocationID]; l != nil {
			r.Location, r.Address = l.Name, l.Street
		}
		out = append(out, r)
	}
	return out
}

type directoryView struct {
	Rows      []staffRow
	Total     int
	Query     string
	UnitID    uint64
	LocID     uint64
	Former    bool
	Units     []childUnit
	Locations []store.Location
	Pager     Pager
	CanEdit   bool
	Today     time.Time
}

// directory is the staff search: by name, unit, job title, phone or
// location, ignoring case and Polish diacritics, sorted the Polish way.
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
	var matched []staffRow
	for _, r := range d.rows(d.people, today) {
		p := r.P
		if (!v.Former && !p.EmployedOn(today)) || (v.UnitID != 0 && p.UnitID != v.UnitID) || (v.LocID != 0 && p.LocationID != v.LocID) {
			continue
		}
		fields := append([]string{p.FirstName, p.LastName, p.JobTitle, r.Unit, r.Location, r.Address, p.Room, p.Email}, p.Phones...)
		if store.Matches(v.Query, fields...) {
			matched = append(matched, r)
		}
	}
	store.SortPolish(matched, func(r staffRow) string { return r.P.LastName }, func(r staffRow) string { return r.P.FirstName })
	from, to, pager := paginate(c, len(matched))
	v.Rows, v.Total, v.Pager = matched[from:to], len(matched), pager
	for _, u := range d.units {
		if st, ok := u.At(today); ok {
			v.Units = append(v.Units, childUnit{ID: u.ID, Name: st.Name})
		}
	}
	store.SortPolish(v.Units, func(ch childUnit) string { return ch.Name })
	for _, l := range d.locs {
		if !l.Archived {
			v.Locations = append(v.Locations, l)
		}
	}
	return s.page(c, fiber.StatusOK, "staff", "staff.title", v, nil)
}

// phoneGroup is one building of the printable phone list.
type phoneGroup struct {
	Location *store.Location
	Units    []phoneUnit
}

type phoneUnit struct {
	Name   string
	Phones []string
	People []store.Staff
}

// phoneList groups today's people by building and unit, like the phone
// list the centre publishes.
func (s *Server) phoneList(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	today := s.st.Today()
	byLoc := map[uint64]map[uint64]*phoneUnit{}
	for _, p := range d.people {
		if !p.EmployedOn(today) {
			continue
		}
		units := byLoc[p.LocationID]
		if units == nil {
			units = map[uint64]*phoneUnit{}
			byLoc[p.LocationID] = units
		}
		pu := units[p.UnitID]
		if pu == nil {
			pu = &phoneUnit{Name: d.unitName(p.UnitID, today)}
			if u := d.unitByID[p.UnitID]; u != nil {
				if st, ok := u.At(today); ok {
					pu.Phones = st.Phones
				}
			}
			units[p.UnitID] = pu
		}
		pu.People = append(pu.People, p)
	}
	var groups []phoneGroup
	for lid, units := range byLoc {
		g := phoneGroup{Location: d.locations[lid]}
		if g.Location == nil {
			g.Location = &store.Location{}
		}
		for _, pu := range units {
			store.SortPolish(pu.People, func(p store.Staff) string { return p.LastName }, func(p store.Staff) string { return p.FirstName })
			g.Units = append(g.Units, *pu)
		}
		store.SortPolish(g.Units, func(u phoneUnit) string { return u.Name })
		groups = append(groups, g)
	}
	store.SortPolish(groups, func(g phoneGroup) string { return g.Location.Name })
	return s.page(c, fiber.StatusOK, "phones", "staff.phones", struct {
		Groups []phoneGroup
		Day    time.Time
	}{groups, today}, nil)
}

type personView struct {
	P        store.Staff
	Unit     string
	UnitID   uint64
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
	v := personView{P: *p, Unit: d.unitName(p.UnitID, s.st.Today()), UnitID: p.UnitID, Location: d.locations[p.LocationID],
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
	Units     []childUnit
	Locations []store.Location
	Users     []store.User
	From, To  string
	Phones    string
	Conflict  *store.Staff
}

func (s *Server) personForm(c *fiber.Ctx, status int, v personFormView, errs map[string]string) error {
	if v.Full {
		d, err := s.loadOrg()
		if err != nil {
			return err
		}
		today := s.st.Today()
		for _, u := range d.units {
			if st, ok := u.At(today); ok || u.ID == v.P.UnitID {
				if !ok {
					st = u.Current()
				}
				v.Units = append(v.Units, childUnit{ID: u.ID, Name: st.Name})
			}
		}
		store.SortPolish(v.Units, func(ch childUnit) string { return ch.Name })
		v.Locations = d.locs
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
	p.UnitID, _ = strconv.ParseUint(c.Query("unit"), 10, 64)
	return s.personForm(c, fiber.StatusOK, personFormView{P: p, New: true, Full: true}, nil)
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
		p.FirstName, p.LastName, p.JobTitle = f.text("first_name"), f.text("last_name"), f.text("job_title")
		p.UnitID, p.LocationID, p.UserID = f.id("unit"), f.id("location"), f.id("user")
		p.Email, p.FieldWorker = f.text("email"), f.bool("field_worker")
		v.From, v.To = f.text("employed_from"), f.text("employed_to")
		p.EmployedFrom, p.EmployedTo = f.date("employed_from", false), f.date("employed_to", false)
	}
	v.P = *p
	if len(f.errs) == 0 {
		err := s.st.SavePerson(s.actor(c), p, version)
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
	v.P.Version = version
	return s.personForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}
