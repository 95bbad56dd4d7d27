package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

type announcementsView struct {
	Current, Upcoming, Expired []store.Announcement
	CanEdit                    bool
}

func (s *Server) announcementList(c *fiber.Ctx) error {
	today := s.st.Today()
	canEdit := canEditOrg(userOf(c))
	return s.cachedPage(c, "announcements", "announcements.title", views.ISODate(today)+editorKey(canEdit), func() (any, error) {
		all, err := s.st.Announcements()
		if err != nil {
			return nil, err
		}
		v := announcementsView{CanEdit: canEdit}
		for _, n := range all {
			switch {
			case n.ValidOn(today):
				v.Current = append(v.Current, n)
			case n.ValidFrom.After(today):
				v.Upcoming = append(v.Upcoming, n)
			default:
				v.Expired = append(v.Expired, n)
			}
		}
		return v, nil
	})
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
			return redirect(c, withOK("/announcements#announcement-"+strconv.FormatUint(n.ID, 10), "saved"))
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
