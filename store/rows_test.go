package store

import (
	"math"
	"slices"
	"testing"
)

func TestRowsPage(t *testing.T) {
	list := []Announcement{{Meta: Meta{ID: 7}}, {Meta: Meta{ID: 3}}, {Meta: Meta{ID: 9}}}
	r := newRows(list, func(n *Announcement) uint64 { return n.ID })
	ids := func(page []Announcement) []uint64 {
		var out []uint64
		for _, n := range page {
			out = append(out, n.ID)
		}
		return out
	}
	for _, c := range []struct {
		offset, limit int
		want          []uint64
	}{
		{0, 2, []uint64{7, 3}},
		{2, 2, []uint64{9}},
		{3, 2, nil},
		{-1, 2, nil},
		{1, 0, nil},
		{1, math.MaxInt, []uint64{3, 9}},
		{math.MaxInt, 5, nil},
	} {
		if got := ids(r.Page(c.offset, c.limit)); !slices.Equal(got, c.want) {
			t.Errorf("Page(%d, %d) = %v, want %v", c.offset, c.limit, got, c.want)
		}
	}
	if i, ok := r.Index(9); !ok || i != 2 || r.Len() != 3 {
		t.Errorf("Index(9) = %d, %v; Len %d", i, ok, r.Len())
	}
	if _, ok := r.Index(1); ok {
		t.Error("Index of a record not in the list")
	}
}

// The board of a day: current and coming in display order, expired ones
// the latest to end first.
func TestAnnouncementBoard(t *testing.T) {
	s, _, _ := openTest(t)
	for _, n := range []Announcement{
		{Title: "Dawny", Body: "x", ValidFrom: day("2019-01-01"), ValidTo: day("2019-02-01")},
		{Title: "Świeżo wygasły", Body: "x", ValidFrom: day("2020-09-01"), ValidTo: day("2020-10-31")},
		{Title: "Przypięty wygasły", Body: "x", ValidFrom: day("2020-05-01"), ValidTo: day("2020-06-01"), Pinned: true},
		{Title: "Obecny", Body: "x", ValidFrom: day("2020-10-13")},
		{Title: "Zaplanowany", Body: "x", ValidFrom: day("2020-12-01")},
	} {
		if err := s.SaveAnnouncement(System, &n, 0); err != nil {
			t.Fatal(err)
		}
	}
	o, err := s.Org()
	if err != nil {
		t.Fatal(err)
	}
	b := o.AnnouncementBoard(day("2020-11-01"))
	var expired []string
	for _, n := range b.Expired.Page(0, 10) {
		expired = append(expired, n.Title)
	}
	if len(b.Current) != 1 || b.Current[0].Title != "Obecny" || len(b.Upcoming) != 1 || b.Upcoming[0].Title != "Zaplanowany" ||
		!slices.Equal(expired, []string{"Świeżo wygasły", "Przypięty wygasły", "Dawny"}) {
		t.Fatalf("current %v, upcoming %v, expired %v", b.Current, b.Upcoming, expired)
	}
}
