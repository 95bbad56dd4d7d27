package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

type locationsView struct {
	Open, Archived           []store.LocationUse
	OpenPager, ArchivedPager Pager
	CanEdit                  bool
}

// locationsPerPage is smaller than other lists' page: a location's card
// (units, a week's hours, phones) weighs as much as several table rows,
// and ten of them as much as a page of another list. With 25, the page at
// scale 10 was twice scale 1's ten cards, and its p50 1.26–1.34× theirs.
const locationsPerPage = 10

// locationList shows each address with the units there today, opening
// hours and phones, those in use and the archived ones apart, each a page
// at a time; the store sorts and counts them once per change.
func (s *Server) locationList(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	today := s.st.Today()
	canEdit := canEditOrg(userOf(c))
	lists := d.LocationLists(today)
	open := listPage(c, "page", lists.Open.Len(), locationsPerPage)
	archived := listPage(c, "archived_page", lists.Archived.Len(), locationsPerPage)
	key := views.ISODate(today) + editorKey(canEdit) + "|" + strconv.Itoa(open.Page) + "|" + strconv.Itoa(archived.Page)
	return s.cachedPageOf(c, d.Version, "locations", "locations.title", key, func() (any, error) {
		v := locationsView{OpenPager: open, ArchivedPager: archived, CanEdit: canEdit}
		v.Open = lists.Open.Page(open.offset(), locationsPerPage)
		v.Archived = lists.Archived.Page(archived.offset(), locationsPerPage)
		v.OpenPager.Label = "locations.open_pages"
		v.OpenPager.linkPages(func(page int) string { return locationsPage(page, archived.Page) })
		v.ArchivedPager.Label = "locations.archived_pages"
		v.ArchivedPager.linkPages(func(page int) string { return locationsPage(open.Page, page) + "#archived" })
		return v, nil
	})
}

// locationsPage is the address of a page of locations in use and a page
// of archived ones.
func locationsPage(open, archived int) string {
	u := "/locations?page=" + strconv.Itoa(open)
	if archived > 1 {
		u += "&archived_page=" + strconv.Itoa(archived)
	}
	return u
}

// locationAddress is where a saved location is shown on its page: on its
// page of the locations in use or of the archived ones. It asks the
// snapshot, rebuilt after the write, that the redirected request reads
// next anyway (locations change seldom, unlike announcements).
func (s *Server) locationAddress(id uint64) string {
	anchor := "#location-" + strconv.FormatUint(id, 10)
	d, err := s.loadOrg()
	if err != nil {
		return "/locations" + anchor
	}
	lists := d.LocationLists(s.st.Today())
	if i, ok := lists.Open.Index(id); ok && i >= locationsPerPage {
		return locationsPage(i/locationsPerPage+1, 1) + anchor
	}
	if i, ok := lists.Archived.Index(id); ok && i >= locationsPerPage {
		return locationsPage(1, i/locationsPerPage+1) + anchor
	}
	return "/locations" + anchor
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
			return redirect(c, withOK(s.locationAddress(l.ID), "saved"))
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
