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
	Me            *store.DirectoryEntry // the signed-in user's own directory entry
}

// home shows current announcements and the user's own place in the centre;
// both come from the shared snapshot, so the page reads only what it shows.
// Someone from outside sees none of it: a greeting and their account.
func (s *Server) home(c *fiber.Ctx) error {
	if userOf(c).External {
		return s.page(c, fiber.StatusOK, "home", "nav.home", homeView{Today: s.st.Now()}, nil)
	}
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	today := s.st.Today()
	v := homeView{Today: s.st.Now(), Announcements: d.CurrentAnnouncements(today)}
	if p := d.PersonOfUser[userOf(c).ID]; p != nil {
		v.Me = &store.DirectoryEntry{Person: p, Posts: d.Posts(p, today)}
		if l := d.LocationByID[p.LocationID]; l != nil {
			v.Me.Location, v.Me.Address = l.Name, l.Street
		}
	}
	return s.page(c, fiber.StatusOK, "home", "nav.home", v, nil)
}

func itoa(n int) string { return strconv.Itoa(n) }
