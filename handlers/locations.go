package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

type locationsView struct {
	Open, Archived []store.LocationUse
	CanEdit        bool
}

// locationList shows each address with the units there today, opening
// hours and phones; the store counts them once per change.
func (s *Server) locationList(c *fiber.Ctx) error {
	today := s.st.Today()
	canEdit := canEditOrg(userOf(c))
	return s.cachedPage(c, "locations", "locations.title", views.ISODate(today)+editorKey(canEdit), func() (any, error) {
		d, err := s.loadOrg()
		if err != nil {
			return nil, err
		}
		v := locationsView{CanEdit: canEdit}
		for _, u := range d.LocationUsage(today) {
			if u.L.Archived {
				v.Archived = append(v.Archived, u)
			} else {
				v.Open = append(v.Open, u)
			}
		}
		return v, nil
	})
}

type locationFormView struct {
	L        store.Location
	New      bool
	Phones   string
	Conflict bool
}

func (s *Server) locationNew(c *fiber.Ctx) error {
	v := locationFormView{New: true, L: store.Location{City: s.st.Centre().City()}}
	return s.page(c, fiber.StatusOK, "location_form", "locations.new", v, nil)
}

func (s *Server) locationEdit(c *fiber.Ctx) error {
	l, err := byParam(c, s.st.Location)
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "location_form", "locations.edit", locationFormView{L: *l, Phones: joinLines(l.Phones)}, nil)
}

func (s *Server) locationSave(c *fiber.Ctx) error {
	f := newForm(c)
	l := store.Location{
		Name: f.text("name"), Street: f.text("street"), PostalCode: f.text("postal_code"), City: f.text("city"),
		Notes: f.text("notes"), Accessibility: f.text("accessibility"), Phones: store.ParsePhones(formValue(c, "phones")),
		Archived: f.bool("archived"),
	}
	for i := range l.Hours {
		l.Hours[i] = f.text("hours" + strconv.Itoa(i))
	}
	if c.Params("id") != "" {
		old, err := byParam(c, s.st.Location)
		if err != nil {
			return err
		}
		l.ID = old.ID
	}
	version := f.version()
	if l.ID != 0 {
		version = f.needVersion()
	}
	v := locationFormView{L: l, New: l.ID == 0, Phones: formValue(c, "phones")}
	f.check(&l)
	if len(f.errs) == 0 {
		err := s.st.SaveLocation(s.actor(c), &l, version)
		var conflict *store.ConflictError
		switch {
		case err == nil:
			return redirect(c, withOK("/locations#location-"+strconv.FormatUint(l.ID, 10), "saved"))
		case asConflict(err, &conflict):
			v.L.Version, v.Conflict = conflict.Current.(*store.Location).Version, true
			return s.page(c, fiber.StatusConflict, "location_form", "locations.edit", v, nil)
		case !f.merge(err):
			return err
		}
	}
	v.L.Version = version
	title := "locations.edit"
	if v.New {
		title = "locations.new"
	}
	return s.page(c, fiber.StatusUnprocessableEntity, "location_form", title, v, f.errs)
}
