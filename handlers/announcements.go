package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

type announcementsView struct {
	Current, Upcoming, Expired []store.Announcement
	ExpiredTotal               int
	// ExpiredOpen unfolds the expired ones: a page of them was asked for.
	ExpiredOpen bool
	Pager       Pager // of the expired ones
	CanEdit     bool
}

// announcementList shows the current and coming announcements, and the
// expired ones a page at a time (they only grow): the store sorts them
// once per change, a request reads the page it shows.
func (s *Server) announcementList(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	today := s.st.Today()
	canEdit := canEditOrg(userOf(c))
	board := d.AnnouncementBoard(today)
	pager := listPage(c, "page", board.Expired.Len(), perPage)
	open := c.Query("page") != ""
	key := views.ISODate(today) + editorKey(canEdit) + "|" + strconv.Itoa(pager.Page) + "|" + strconv.FormatBool(open)
	return s.cachedPageOf(c, d.Version, "announcements", "announcements.title", key, func() (any, error) {
		v := announcementsView{Current: board.Current, Upcoming: board.Upcoming, ExpiredTotal: board.Expired.Len(),
			ExpiredOpen: open, Pager: pager, CanEdit: canEdit}
		v.Expired = board.Expired.Page(pager.offset(), perPage)
		v.Pager.Label = "announcements.expired_pages"
		v.Pager.linkPages(func(page int) string { return expiredPage(page) + "#expired" })
		return v, nil
	})
}

// expiredPage is the address of a page of expired announcements.
func expiredPage(page int) string { return "/announcements?page=" + strconv.Itoa(page) }

// announcementAddress is where a saved announcement is shown on its page:
// an expired one on its page of the expired ones, unfolded. Only then is
// the snapshot (rebuilt after the write) asked where it stands: a new
// announcement, the usual write, costs no rebuild before its answer.
func (s *Server) announcementAddress(n *store.Announcement) string {
	anchor := "#announcement-" + strconv.FormatUint(n.ID, 10)
	today := s.st.Today()
	if n.ValidTo.IsZero() || !n.ValidTo.Before(today) {
		return "/announcements" + anchor
	}
	d, err := s.loadOrg()
	if err != nil {
		return "/announcements" + anchor
	}
	if i, ok := d.AnnouncementBoard(today).Expired.Index(n.ID); ok {
		return expiredPage(i/perPage+1) + anchor
	}
	return "/announcements" + anchor
}

type announcementFormView struct {
	N        store.Announcement
	New      bool
	From, To string
	Conflict bool
}

func (s *Server) announcementNew(c *fiber.Ctx) error {
	n := store.Announcement{ValidFrom: s.st.Today()}
	return s.page(c, fiber.StatusOK, "announcement_form", "announcements.new",
		announcementFormView{N: n, New: true, From: views.ISODate(n.ValidFrom)}, nil)
}

func (s *Server) announcementEdit(c *fiber.Ctx) error {
	n, err := byParam(c, s.st.Announcement)
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "announcement_form", "announcements.edit",
		announcementFormView{N: *n, From: views.ISODate(n.ValidFrom), To: views.ISODate(n.ValidTo)}, nil)
}

func (s *Server) announcementSave(c *fiber.Ctx) error {
	f := newForm(c)
	n := store.Announcement{Title: f.text("title"), Body: f.text("body"), Pinned: f.bool("pinned"),
		ValidFrom: f.date("valid_from", true), ValidTo: f.date("valid_to", false), Author: userOf(c).Name}
	if c.Params("id") != "" {
		old, err := byParam(c, s.st.Announcement)
		if err != nil {
			return err
		}
		n.ID, n.Author = old.ID, old.Author
	}
	version := f.version()
	if n.ID != 0 {
		version = f.needVersion()
	}
	v := announcementFormView{N: n, New: n.ID == 0, From: f.text("valid_from"), To: f.text("valid_to")}
	title := "announcements.edit"
	if v.New {
		title = "announcements.new"
	}
	f.check(&n)
	if len(f.errs) == 0 {
		err := s.st.SaveAnnouncement(s.actor(c), &n, version)
		var conflict *store.ConflictError
		switch {
		case err == nil:
			return redirect(c, withOK(s.announcementAddress(&n), "saved"))
		case asConflict(err, &conflict):
			v.N.Version, v.Conflict = conflict.Current.(*store.Announcement).Version, true
			return s.page(c, fiber.StatusConflict, "announcement_form", title, v, nil)
		case !f.merge(err):
			return err
		}
	}
	v.N.Version = version
	return s.page(c, fiber.StatusUnprocessableEntity, "announcement_form", title, v, f.errs)
}
