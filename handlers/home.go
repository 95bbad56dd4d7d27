package handlers

import (
	"intranet/store"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

type homeView struct {
	Today         time.Time
	Announcements []store.Announcement
	Me            *staffRow // the signed-in user's own directory entry
}

// home shows current announcements and the user's own place in the centre.
func (s *Server) home(c *fiber.Ctx) error {
	v := homeView{Today: s.st.Now()}
	var err error
	if v.Announcements, err = s.st.CurrentAnnouncements(v.Today); err != nil {
		return err
	}
	if p, err := s.st.PersonOfUser(userOf(c).ID); err == nil {
		d, err := s.loadOrg()
		if err != nil {
			return err
		}
		rows := d.rows([]store.Staff{*p}, store.Day(v.Today))
		v.Me = &rows[0]
	}
	return s.page(c, fiber.StatusOK, "home", "nav.home", v, nil)
}

func itoa(n int) string { return strconv.Itoa(n) }
