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
		v.Me = &staffRow{P: *p}
		if u, err := s.st.Unit(p.UnitID); err == nil {
			if st, ok := u.At(v.Today); ok {
				v.Me.Unit = st.Name
			}
		}
		if l, err := s.st.Location(p.LocationID); err == nil {
			v.Me.Location, v.Me.Address = l.Name, l.Street
		}
	}
	return s.page(c, fiber.StatusOK, "home", "nav.home", v, nil)
}

func itoa(n int) string { return strconv.Itoa(n) }
