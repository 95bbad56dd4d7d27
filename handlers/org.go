package handlers

import (
	"html/template"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// loadOrg reads the structure: a snapshot shared between requests, with
// its orders and indexes built once per change. Read-only.
func (s *Server) loadOrg() (*store.Org, error) { return s.st.Org() }

type orgView struct {
	Day       time.Time
	DayISO    string
	Roots     []*store.OrgNode
	Locations map[uint64]*store.Location
	Changes   []time.Time
	CanEdit   bool
	Total     int
	// Categories count the centre's people by job category that day.
	Categories []store.CategoryCount
}

func (s *Server) orgTree(c *fiber.Ctx) error {
	day, ok := s.dateParam(c)
	var errs map[string]string
	if !ok {
		errs = map[string]string{"date": "error.date"}
	}
	canEdit := canEditOrg(userOf(c))
	view := func() (any, error) {
		d, err := s.loadOrg()
		if err != nil {
			return nil, err
		}
		tree := d.Tree(day)
		return orgView{Day: day, DayISO: views.ISODate(day), Roots: tree.Roots, Total: tree.Total, Categories: tree.Categories,
			Locations: d.LocationByID, Changes: d.Changes(), CanEdit: canEdit}, nil
	}
	if errs != nil {
		v, err := view()
		if err != nil {
			return err
		}
		return s.page(c, fiber.StatusOK, "org", "org.title", v, errs)
	}
	return s.cachedPage(c, "org", "org.title", views.ISODate(day)+editorKey(canEdit), view)
}

// editorKey tells cached pages with editing links from those without.
func editorKey(canEdit bool) string {
	if canEdit {
		return "|edit"
	}
	return ""
}

type unitView struct {
	Unit      *store.Unit
	State     store.UnitState
	Exists    bool
	Day       time.Time
	Parent    string
	Head      *store.Staff
	HeadPost  string // the head's job title that day
	People    []store.Member
	Former    []store.Member // the latest assignments here that had ended by the day
	FormerAll int            // how many had ended in all
	Counts    []store.CategoryCount
	Children  []childUnit
	Locations []*store.Location
	History   []historyRow
	// LocationNames name every location, for the history table.
	LocationNames map[uint64]string
	CanEdit       bool
	Total         int // people in the unit and its sub-units that day
	// Body is the page without its forms, kept until the data changes.
	Body template.HTML
}

// headChoice is a person the unit form offers as its head.
type headChoice struct {
	ID             uint64
	Name, Position string
}

type childUnit struct {
	ID   uint64
	Name string
	Kind store.UnitKind
}

type historyRow struct {
	From, To time.Time
	State    store.UnitState
	Parent   string
}

// unitPage is a unit as of a day. All but its forms depends only on the
// data, the day and whether the reader edits, so that part is rendered once
// per change of the data.
func (s *Server) unitPage(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	u := d.UnitByID[id]
	if u == nil {
		return fiber.ErrNotFound
	}
	day, _ := s.dateParam(c)
	v := unitView{Unit: u, Day: day, CanEdit: canEditOrg(userOf(c))}
	key := strconv.FormatUint(id, 10) + "|" + views.ISODate(day) + editorKey(v.CanEdit)
	v.Body, err = s.cachedRow(language(c), d.Version, "unit-body", key, func() (any, error) { return unitOn(d, u, day, v.CanEdit), nil })
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "unit", "org.unit", v, nil)
}

// unitOn is everything a unit's page shows about it on day.
func unitOn(d *store.Org, u *store.Unit, day time.Time, canEdit bool) unitView {
	id := u.ID
	v := unitView{Unit: u, Day: day, CanEdit: canEdit, LocationNames: map[uint64]string{}}
	v.State, v.Exists = u.At(day)
	if !v.Exists {
		v.State = u.Current()
	}
	v.Parent = d.UnitName(v.State.ParentID, day)
	if h := d.PersonByID[v.State.HeadID]; h != nil && h.EmployedOn(day) {
		v.Head = h
		if a, ok := h.PrimaryOn(day); ok {
			v.HeadPost = a.Position
		}
	}
	v.People = d.MembersOf(id, day) // in Polish order already
	v.Former = d.FormerMembersOf(id, day)
	if v.FormerAll = len(v.Former); v.FormerAll > perPage {
		v.Former = v.Former[:perPage] // a page costs what it shows
	}
	if n := d.Tree(day).Node[id]; n != nil {
		v.Total, v.Counts = n.Total, n.Categories
		for _, ch := range n.Children {
			v.Children = append(v.Children, childUnit{ID: ch.Unit.ID, Name: ch.State.Name, Kind: ch.State.Kind})
		}
	}
	for _, lid := range v.State.Locations {
		if l := d.LocationByID[lid]; l != nil {
			v.Locations = append(v.Locations, l)
		}
	}
	for i, st := range u.States {
		row := historyRow{From: st.From, State: st, Parent: d.UnitName(st.ParentID, st.From)}
		if i+1 < len(u.States) {
			row.To = u.States[i+1].From.AddDate(0, 0, -1)
		} else if !u.Until.IsZero() {
			row.To = u.Until.AddDate(0, 0, -1)
		}
		for _, lid := range st.Locations {
			if l := d.LocationByID[lid]; l != nil {
				v.LocationNames[lid] = l.Street
			}
		}
		v.History = append(v.History, row)
	}
	return v
}

type unitFormView struct {
	ID        uint64
	Version   int
	New       bool
	State     store.UnitState
	FromISO   string
	Units     []store.UnitChoice
	Locations []store.Location
	People    []headChoice
	Kinds     []store.UnitKind
	Conflict  bool
	Since     time.Time // the latest state's day, for the help text
	Mode      string    // "change" from a day, or "correct" the latest state
}

func (s *Server) unitForm(c *fiber.Ctx, status int, v unitFormView, errs map[string]string) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	day := v.State.From
	if day.IsZero() {
		day = s.st.Today()
	}
	for _, u := range d.UnitChoices(day) { // in Polish order already
		if u.ID != v.ID {
			v.Units = append(v.Units, u)
		}
	}
	v.Locations = d.Locations
	for i := range d.People { // in Polish order already
		p := &d.People[i]
		if p.EmployedOn(day) || p.ID == v.State.HeadID { // never drop the current head
			h := headChoice{ID: p.ID, Name: p.LastName + " " + p.FirstName}
			if a, ok := p.PrimaryOn(day); ok {
				h.Position = a.Position
			}
			v.People = append(v.People, h)
		}
	}
	v.Kinds = store.UnitKinds
	if v.FromISO == "" {
		v.FromISO = views.ISODate(v.State.From)
	}
	title := "org.edit_unit"
	if v.New {
		title = "org.new_unit"
	}
	return s.page(c, status, "unit_form", title, v, errs)
}

func (s *Server) unitNew(c *fiber.Ctx) error {
	st := store.UnitState{From: s.st.Today(), Kind: store.KindTeam}
	if p, err := strconv.ParseUint(c.Query("parent"), 10, 64); err == nil {
		st.ParentID = p
	}
	return s.unitForm(c, fiber.StatusOK, unitFormView{New: true, State: st}, nil)
}

func (s *Server) unitEdit(c *fiber.Ctx) error {
	u, err := byParam(c, s.st.Unit)
	if err != nil {
		return err
	}
	st := u.Current()
	// A change from today by default: correcting the state in force since
	// its day is a choice the person makes, not what a save does silently.
	return s.unitForm(c, fiber.StatusOK, unitFormView{ID: u.ID, Version: u.Version, State: st, Since: st.From,
		FromISO: views.ISODate(s.st.Today()), Mode: "change"}, nil)
}

// unitSave creates a unit or records how it looks from the given day on.
func (s *Server) unitSave(c *fiber.Ctx) error {
	var id uint64
	if c.Params("id") != "" {
		var err error
		if id, err = paramID(c); err != nil {
			return err
		}
	}
	f := newForm(c)
	mode := f.text("mode")
	var current *store.Unit
	if id != 0 {
		var err error
		if current, err = s.st.Unit(id); err != nil {
			return err
		}
		if mode != "change" && mode != "correct" {
			f.errs["mode"] = "error.invalid_choice"
		}
	}
	var from time.Time
	if current != nil && mode == "correct" {
		from = current.Current().From // the latest state, whatever the date field says
	} else {
		from = f.date("from", true)
	}
	st := store.UnitState{
		From:      from,
		Name:      f.text("name"),
		Kind:      store.UnitKind(f.text("kind")),
		ParentID:  f.id("parent"),
		Locations: f.ids("locations"),
		Phones:    store.ParsePhones(formValue(c, "phones")),
		Email:     f.text("email"),
		HeadID:    f.id("head"),
		Duties:    f.text("duties"),
	}
	v := unitFormView{ID: id, Version: f.version(), New: id == 0, State: st, FromISO: f.text("from"), Mode: mode}
	if id != 0 {
		f.needVersion()
	}
	f.check(&st)
	if len(f.errs) == 0 {
		u, err := s.st.SaveUnitState(s.actor(c), id, v.Version, st)
		var conflict *store.ConflictError
		switch {
		case err == nil:
			return redirect(c, withOK("/org/units/"+strconv.FormatUint(u.ID, 10), "saved"))
		case asConflict(err, &conflict):
			cur := conflict.Current.(*store.Unit)
			v.Version, v.Conflict = cur.Version, true
			return s.unitForm(c, fiber.StatusConflict, v, nil)
		case !f.merge(err):
			return err
		}
	}
	if current != nil {
		v.Since = current.Current().From
	}
	return s.unitForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

func (s *Server) unitClose(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	if f.version() <= 0 {
		return fiber.ErrBadRequest
	}
	until := f.date("until", true)
	if len(f.errs) == 0 {
		err = s.st.CloseUnit(s.actor(c), id, f.needVersion(), until)
		if err == nil {
			return redirect(c, withOK("/org/units/"+c.Params("id"), "unit_closed"))
		}
		if store.ErrorCode(err) == store.EConflict && !isConflictErr(err) {
			name, _, _ := s.unitDeletion().name(id)
			return s.refused(c, name, "/org/units/"+c.Params("id"), err)
		}
		if !f.merge(err) {
			return err
		}
	}
	// The form has one field: its problem is the page's (a day that does
	// not exist is not a day before the unit's start).
	problem := "error.until_before_from"
	for _, field := range []string{"until", "version"} {
		if msg, ok := f.errs[field]; ok {
			problem = msg
			break
		}
	}
	return s.confirm(c, fiber.StatusUnprocessableEntity, confirmView{Back: "/org/units/" + c.Params("id"), Problem: problem})
}

func (s *Server) unitReopen(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	version := newForm(c).version()
	if version <= 0 {
		return fiber.ErrBadRequest
	}
	if err := s.st.ReopenUnit(s.actor(c), id, version); err != nil {
		return err
	}
	return redirect(c, withOK("/org/units/"+c.Params("id"), "saved"))
}
