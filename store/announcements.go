package store

import (
	"sort"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Announcement is a notice to all staff (a KOMUNIKAT), shown on the home
// page while it is valid.
type Announcement struct {
	Meta
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	ValidFrom time.Time `json:"valid_from"`
	ValidTo   time.Time `json:"valid_to,omitzero"` // last day shown; zero: until withdrawn
	Pinned    bool      `json:"pinned,omitempty"`
	Author    string    `json:"author,omitempty"`
}

var kindAnnouncement = kind{entity: "announcement", bucket: bucketAnnouncements}

// ValidOn reports whether the announcement is shown on day.
func (n *Announcement) ValidOn(day time.Time) bool {
	return within(Day(day), n.ValidFrom, n.ValidTo)
}

// Validate checks and tidies an announcement.
func (n *Announcement) Validate() error {
	var v ValidationError
	tidy(n)
	n.Title, n.Body = strings.TrimSpace(n.Title), strings.TrimSpace(n.Body)
	n.ValidFrom, n.ValidTo = Day(n.ValidFrom), Day(n.ValidTo)
	requireText(&v, "title", n.Title, 200)
	requireText(&v, "body", n.Body, 20000)
	if n.ValidFrom.IsZero() {
		v.Add("valid_from", "error.date")
	}
	if !n.ValidTo.IsZero() && n.ValidTo.Before(n.ValidFrom) {
		v.Add("valid_to", "error.until_before_from")
	}
	return v.Err()
}

// sortAnnouncements puts them in display order: pinned first, then newest.
func sortAnnouncements(list []Announcement) {
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Pinned != list[j].Pinned {
			return list[i].Pinned
		}
		if !list[i].ValidFrom.Equal(list[j].ValidFrom) {
			return list[i].ValidFrom.After(list[j].ValidFrom)
		}
		return list[i].ID > list[j].ID
	})
}

// sortExpired puts expired announcements in the order their list shows
// them: the latest to end first.
func sortExpired(list []Announcement) {
	sort.SliceStable(list, func(i, j int) bool {
		if !list[i].ValidTo.Equal(list[j].ValidTo) {
			return list[i].ValidTo.After(list[j].ValidTo)
		}
		if !list[i].ValidFrom.Equal(list[j].ValidFrom) {
			return list[i].ValidFrom.After(list[j].ValidFrom)
		}
		return list[i].ID > list[j].ID
	})
}

// AnnouncementBoard is the announcements as their page shows them on a
// day: those valid that day and those still to come, in display order,
// and the expired ones, the latest to end first, read a page at a time
// (they only grow).
type AnnouncementBoard struct {
	Current, Upcoming []Announcement
	Expired           Rows[Announcement]
}

// AnnouncementBoard sorts the announcements of day once per snapshot.
func (o *Org) AnnouncementBoard(day time.Time) *AnnouncementBoard {
	day = Day(day)
	return asOf(o, "announcement-board", day, func() *AnnouncementBoard {
		b := &AnnouncementBoard{}
		var expired []Announcement
		for _, n := range o.Announcements { // in display order
			switch {
			case n.ValidOn(day):
				b.Current = append(b.Current, n)
			case n.ValidFrom.After(day):
				b.Upcoming = append(b.Upcoming, n)
			default:
				expired = append(expired, n)
			}
		}
		sortExpired(expired)
		b.Expired = newRows(expired, func(n *Announcement) uint64 { return n.ID })
		return b
	})
}

// Announcements lists all announcements in display order (shared: read-only).
func (s *Store) Announcements() ([]Announcement, error) {
	o, err := s.Org()
	if err != nil {
		return nil, err
	}
	return o.Announcements, nil
}

// CurrentAnnouncements are those valid on day, in display order (shared:
// read-only).
func (s *Store) CurrentAnnouncements(day time.Time) ([]Announcement, error) {
	o, err := s.Org()
	if err != nil {
		return nil, err
	}
	return o.CurrentAnnouncements(day), nil
}

// Announcement returns one announcement.
func (s *Store) Announcement(id uint64) (*Announcement, error) {
	return one[Announcement](s, kindAnnouncement, id)
}

// SaveAnnouncement creates (ID 0) or updates an announcement.
func (s *Store) SaveAnnouncement(a Actor, n *Announcement, version int) error {
	if err := n.Validate(); err != nil {
		return err
	}
	return s.updateOrg(func(tx *bolt.Tx) error {
		if n.ID == 0 {
			return insert(s, tx, a, kindAnnouncement, n)
		}
		return replace(s, tx, a, kindAnnouncement, n, version, ActionUpdate)
	})
}

// DeleteAnnouncement removes an announcement.
func (s *Store) DeleteAnnouncement(a Actor, id uint64, version int) error {
	return s.updateOrg(func(tx *bolt.Tx) error { return remove[Announcement](s, tx, a, kindAnnouncement, id, version) })
}
