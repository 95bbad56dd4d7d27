package handlers

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// Calendar feeds: a person's own sessions, a course's or a project's, as
// iCalendar behind a secret token that a calendar application keeps in
// the address (it sends no cookie). Only the token's hash is stored; the
// address is shown once, and can be revoked or renewed.

type feedView struct {
	Active bool
	Since  time.Time
	URL    string // the new address, shown once right after it is made
	Base   string // the same without the file name, for course and project feeds
}

func (s *Server) feedPage(c *fiber.Ctx) error {
	return s.showFeed(c, "")
}

func (s *Server) showFeed(c *fiber.Ctx, token string) error {
	since, ok := s.st.FeedTokenOf(userOf(c).ID)
	v := feedView{Active: ok, Since: since}
	if token != "" {
		v.Base = c.BaseURL() + "/feeds/" + token
		v.URL = v.Base + "/mine.ics"
	}
	return s.page(c, fiber.StatusOK, "feed", "feed.title", v, nil)
}

// feedRenew makes a new address (the old one stops working) and shows it.
func (s *Server) feedRenew(c *fiber.Ctx) error {
	token, err := s.st.NewFeedToken(s.actor(c), userOf(c).ID)
	if err != nil {
		return err
	}
	return s.showFeed(c, token)
}

func (s *Server) feedRevoke(c *fiber.Ctx) error {
	if err := s.st.RevokeFeedToken(s.actor(c), userOf(c).ID); err != nil {
		return err
	}
	return redirect(c, withOK("/account/feed", "saved"))
}

// Feed windows: what a calendar is given, around today.
const (
	feedPast   = 6  // months back
	feedAhead  = 18 // months ahead
	feedEvents = 2000
)

// feed answers a calendar application: the token names the account; an
// unknown, revoked or ended one is not found.
func (s *Server) feed(c *fiber.Ctx) error {
	u, err := s.st.FeedUser(c.Params("token"))
	if err != nil {
		return fiber.ErrNotFound
	}
	// A feed is read by calendar applications every few minutes: it is
	// kept under the schedule's version, per feed and day (and account,
	// for one's own sessions or someone from outside).
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	what, id := strings.TrimSuffix(c.Params("what"), ".ics"), strings.TrimSuffix(c.Params("id"), ".ics")
	key := what + "|" + id + "|" + views.ISODate(s.st.Today())
	if what == "mine" || u.External {
		key += "|" + strconv.FormatUint(u.ID, 10)
	}
	body, err := keep(&s.feeds, contentKey{name: "feed", key: key, version: s.scheduleVersion(d)}, func() ([]byte, error) {
		return s.feedBody(c, u)
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return c.Send(body)
}

// errNoFeed is a feed that does not exist (an unknown course or project).
var errNoFeed = fiber.ErrNotFound

// feedBody writes the calendar of one feed.
func (s *Server) feedBody(c *fiber.Ctx, u *store.User) ([]byte, error) {
	today := s.st.Today()
	from, to := today.AddDate(0, -feedPast, 0), today.AddDate(0, feedAhead, 0)
	lk, err := s.lookups()
	if err != nil {
		return nil, err
	}
	var list []store.Session
	name := ""
	what := strings.TrimSuffix(c.Params("what"), ".ics")
	id, _ := strconv.ParseUint(strings.TrimSuffix(c.Params("id"), ".ics"), 10, 64)
	switch {
	case what == "mine" && c.Params("id") == "":
		name = u.Name
		if me := lk.org.PersonOfUser[u.ID]; me != nil {
			if list, err = s.st.PersonSessions(me.ID, from, to, feedEvents); err != nil {
				return nil, err
			}
		}
		if t, err := s.st.TrainerOfUser(u.ID); err == nil && t != nil {
			own, err := s.st.TrainerSessions(t.ID, from, to, feedEvents)
			if err != nil {
				return nil, err
			}
			list = mergeSessions(list, own)
		}
	case what == "courses" && id != 0:
		course, err := s.st.Course(id)
		if err != nil {
			return nil, errNoFeed
		}
		name = course.Title
		if list, err = s.st.CourseSessionsBetween(id, from, to, feedEvents); err != nil {
			return nil, err
		}
	case what == "projects" && id != 0:
		p := lk.org.ProjectByID[id]
		if p == nil {
			return nil, errNoFeed
		}
		name = p.Name
		courses, err := s.st.Courses()
		if err != nil {
			return nil, err
		}
		for _, course := range courses {
			if course.ProjectID == id {
				more, err := s.st.CourseSessionsBetween(course.ID, from, to, feedEvents)
				if err != nil {
					return nil, err
				}
				list = mergeSessions(list, more)
			}
		}
	default:
		return nil, errNoFeed
	}
	if u.External { // someone from outside: only the sessions they run
		t, _ := s.st.TrainerOfUser(u.ID)
		kept := list[:0]
		for _, ss := range list {
			if t != nil && ss.RunBy(t.ID) {
				kept = append(kept, ss)
			}
		}
		list = kept
	}
	if len(list) > feedEvents {
		list = list[:feedEvents]
	}
	l := views.For("pl")
	events := make([]store.FeedEvent, 0, len(list))
	for _, ss := range list {
		line := lk.line(ss, today)
		summary := line.Course.Title
		if ss.Topic != "" {
			summary = ss.Topic
		}
		if ss.Part != "" {
			summary += " · " + ss.Part
		}
		var desc []string
		desc = append(desc, l.T("course_kind."+string(line.Course.Kind))+": "+line.Course.Title)
		if ss.Group != "" {
			desc = append(desc, l.T("sessions.group_short")+" "+ss.Group)
		}
		if len(line.Trainers) > 0 {
			desc = append(desc, l.T("sessions.trainer")+": "+strings.Join(line.Trainers, ", "))
		}
		desc = append(desc, strconv.Itoa(line.Units)+" "+l.T("hour_unit."+string(line.Course.Unit)))
		place := line.Place
		if ss.Room != "" {
			place += ", " + ss.Room
		}
		events = append(events, store.FeedEvent{ID: ss.ID, Sequence: ss.Sequence, Date: ss.Date, Start: ss.Start, End: ss.End,
			Summary: summary, Location: place, Description: strings.Join(desc, "\n"),
			Cancelled: ss.Status == store.SessionCancelled, Changed: ss.Updated})
	}
	var buf bytes.Buffer
	if err := store.WriteSessionsICS(&buf, s.st.Centre().Short, name, events, s.st.Now()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// mergeSessions joins two lists in time order without repeating one.
func mergeSessions(a, b []store.Session) []store.Session {
	seen := map[uint64]bool{}
	out := make([]store.Session, 0, len(a)+len(b))
	for _, list := range [][]store.Session{a, b} {
		for _, ss := range list {
			if !seen[ss.ID] {
				seen[ss.ID] = true
				out = append(out, ss)
			}
		}
	}
	sortSessions(out)
	return out
}

func sortSessions(list []store.Session) {
	slices.SortFunc(list, func(a, b store.Session) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return cmp.Compare(a.ID, b.ID)
	})
}
