package handlers

import (
	"html/template"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

type homeView struct {
	Today         time.Time
	Announcements []store.Announcement
	Me            *store.DirectoryEntry // the signed-in user's own directory entry
	// Attention is what coordinators and monitoring specialists should
	// look at in the projects (rendered); empty for everyone else.
	Attention template.HTML
	// Mine lists the next sessions the user runs or attends (rendered).
	Mine template.HTML
}

// attentionView is the home page's "needs attention", each list cut to
// attentionShown entries with the rest counted.
type attentionView struct {
	Late, Soon                []store.Due
	Behind                    []store.Standing
	MoreLate, MoreSoon, MoreB int
	SoonDays                  int
}

const attentionShown = 8

// homeSessions is how many of one's next sessions the home page lists.
const homeSessions = 5

func newAttention(a store.Attention) *attentionView {
	v := &attentionView{SoonDays: store.SoonDays}
	v.Late, v.MoreLate = cut(a.Late, attentionShown)
	v.Soon, v.MoreSoon = cut(a.Soon, attentionShown)
	v.Behind, v.MoreB = cut(a.Behind, attentionShown)
	return v
}

func cut[T any](list []T, n int) ([]T, int) {
	if len(list) <= n {
		return list, 0
	}
	return list[:n], len(list) - n
}

// watchesProjects: coordinators, monitoring specialists and administrators
// see what needs attention in the projects on their home page.
func watchesProjects(u *store.User) bool {
	return u.Has(store.RoleCoordinator) || u.Has(store.RoleMonitoring) || u.Has(store.RoleAdmin)
}

// home shows current announcements and the user's own place in the centre;
// both come from the shared snapshot, so the page reads only what it shows.
// Someone from outside sees none of it: a greeting and their account.
func (s *Server) home(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	mine, err := s.homeSessionsBlock(c, d)
	if err != nil {
		return err
	}
	if userOf(c).External {
		return s.page(c, fiber.StatusOK, "home", "nav.home", homeView{Today: s.st.Now(), Mine: mine}, nil)
	}
	today := s.st.Today()
	v := homeView{Today: s.st.Now(), Announcements: d.CurrentAnnouncements(today)}
	v.Mine = mine
	if watchesProjects(userOf(c)) {
		version, res := s.projectVersion(d)
		v.Attention, err = s.cachedRowIn(&s.projects, language(c), version, "attention", views.ISODate(today), func() (any, error) {
			return newAttention(d.NeedsAttention(today, res)), nil
		})
		if err != nil {
			return err
		}
	}
	if p := d.PersonOfUser[userOf(c).ID]; p != nil {
		v.Me = &store.DirectoryEntry{Person: p, Posts: d.Posts(p, today)}
		if l := d.LocationByID[p.LocationID]; l != nil {
			v.Me.Location, v.Me.Address = l.Name, l.Street
		}
	}
	return s.page(c, fiber.StatusOK, "home", "nav.home", v, nil)
}

func itoa(n int) string { return strconv.Itoa(n) }
