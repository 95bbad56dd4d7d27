package store

import (
	"testing"
	"time"
)

// A session published after it began is late; with a lead time, one
// published fewer days ahead than that is late too. The seed's table of
// 16.01.2018 lists supervision of 11 and 12 January 2018.
func TestPublishedLate(t *testing.T) {
	at := time.Date(2018, 1, 16, 12, 0, 0, 0, warsaw)
	p := Publication{At: at}
	for _, tc := range []struct {
		day         time.Time
		start, lead int
		late        bool
	}{
		{pday(2018, 1, 11), 8 * 60, 0, true},
		{pday(2018, 1, 12), 11 * 60, 0, true},
		{pday(2018, 1, 16), 11*60 + 59, 0, true}, // began a minute before
		{pday(2018, 1, 16), 12 * 60, 0, true},    // at the very minute: not before it
		{pday(2018, 1, 16), 12*60 + 1, 0, false},
		{pday(2018, 1, 19), 9 * 60, 0, false},
		{pday(2018, 1, 19), 9 * 60, 2, false}, // 2 days and 21 hours ahead
		{pday(2018, 1, 19), 9 * 60, 3, true},
	} {
		if got := p.Late(PublishedRow{Date: tc.day, Start: tc.start}, tc.lead); got != tc.late {
			t.Errorf("%s %s, lead %d: late %v, want %v", tc.day.Format("02.01"), Clock(tc.start), tc.lead, got, tc.late)
		}
	}
}

// Versions differ by sessions added, moved and removed.
func TestDiffPublications(t *testing.T) {
	row := func(id uint64, day, seq int) PublishedRow {
		return PublishedRow{Session: id, Sequence: seq, Date: pday(2018, 2, day), Start: 480, End: 660, Address: "ul. Bytomska 15"}
	}
	before := &Publication{Rows: []PublishedRow{row(1, 5, 0), row(2, 6, 0), row(3, 7, 0)}}
	after := &Publication{Rows: []PublishedRow{row(1, 5, 0), row(2, 8, 1), row(4, 9, 0)}}
	got := map[string]uint64{}
	for _, c := range DiffPublications(before, after) {
		got[c.Kind] = c.Row.Session
	}
	if len(got) != 3 || got["moved"] != 2 || got["added"] != 4 || got["removed"] != 3 {
		t.Fatalf("changes: %v", got)
	}
}

// Publishing freezes the project's sessions of the period in order and
// numbers the versions; a later move shows as a change since the newest.
func TestPublishAndChangesSince(t *testing.T) {
	s, c, trainers, loc, p := projectStore(t)
	a := Actor{Login: "koordynator"}
	var ids []uint64
	for _, day := range []int{12, 5} {
		ss := &Session{CourseID: c.ID, Date: pday(2019, 2, day), Start: 480, End: 660, LocationID: loc, TrainerIDs: trainers[:1], Status: SessionPlanned}
		if err := s.SaveSession(a, ss, 0, Plan{}); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, ss.ID)
	}
	pub, err := s.Publish(a, p.ID, pday(2019, 2, 1), pday(2019, 2, 28), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if pub.Number != 1 || len(pub.Rows) != 2 || pub.Rows[0].Session != ids[1] || pub.Rows[0].Address != "ul. Bytomska 15, 42-600 Tarnowskie Góry" {
		t.Fatalf("version 1: %+v", pub)
	}
	if changes, _ := s.ChangesSince(pub); len(changes) != 0 {
		t.Fatalf("changes right after publishing: %+v", changes)
	}
	ss, _ := s.Session(ids[0])
	ss.Start, ss.End = 600, 780
	if err := s.SaveSession(a, ss, ss.Version, Plan{Reason: "Sala zajęta"}); err != nil {
		t.Fatal(err)
	}
	changes, _ := s.ChangesSince(pub)
	if len(changes) != 1 || changes[0].Kind != "moved" || changes[0].Now.Start != 600 {
		t.Fatalf("after a move: %+v", changes)
	}
	again, err := s.Publish(a, p.ID, pday(2019, 2, 1), pday(2019, 2, 28), time.Time{})
	if err != nil || again.Number != 2 {
		t.Fatalf("version 2: %v %v", again, err)
	}
	if list, _ := s.Publications(p.ID); len(list) != 2 || list[0].Number != 2 {
		t.Fatalf("versions: %d", len(list))
	}
	if _, err := s.Publish(a, p.ID, pday(2019, 3, 1), pday(2019, 2, 1), time.Time{}); !hasField(err, "to") {
		t.Fatalf("a period that ends before it begins: %v", err)
	}
}

// projectStore is planningStore with its course in a running EU project.
func projectStore(t *testing.T) (*Store, *Course, []uint64, uint64, *Project) {
	t.Helper()
	s, c, trainers, loc := planningStore(t)
	a := Actor{Login: "koordynator"}
	p := &Project{Name: "Nowy Model", Kind: KindEUProject, From: pday(2017, 3, 1), To: pday(2019, 2, 28), Status: ProjectRunning}
	if err := s.SaveProject(a, p, 0); err != nil {
		t.Fatal(err)
	}
	c.ProjectID = p.ID
	if err := s.SaveCourse(a, c, c.Version); err != nil {
		t.Fatal(err)
	}
	return s, c, trainers, loc, p
}
