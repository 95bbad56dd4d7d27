package store

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

// The generated schedule is what the store's own calls would have written:
// valid records, index buckets that list exactly the sessions' keys, marks
// of enrolled people at past sessions, one audit entry per list of marks,
// and the audit log still at 5,000 entries per scale step.
func TestGeneratedScheduleIsConsistent(t *testing.T) {
	s, stats := genProjectsStore(t, 3, 1)
	if stats.Courses != 20 || stats.Trainers != 30 || stats.Sessions != 2000 || stats.Marks != 20000 || stats.AuditEntries != 5000 {
		t.Fatalf("scale 1 made %+v", stats)
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", err, problems)
	}
	today := s.Today()
	err := s.db.View(func(tx *bolt.Tx) error {
		courses, err := all[Course](tx, kindCourse)
		if err != nil {
			return err
		}
		unit := map[uint64]HourUnit{}
		kinds := map[CourseKind]int{}
		for _, c := range courses {
			if err := c.Validate(); err != nil {
				t.Errorf("course %d: %v", c.ID, err)
			}
			if c.ProjectID != 0 && tx.Bucket(bucketProjects).Get(itob(c.ProjectID)) == nil {
				t.Errorf("course %d: project %d missing", c.ID, c.ProjectID)
			}
			if c.Unit != c.Kind.DefaultUnit() {
				t.Errorf("course %d: %s in %s", c.ID, c.Kind, c.Unit)
			}
			unit[c.ID] = c.Unit
			kinds[c.Kind]++
		}
		if len(kinds) != len(CourseKinds) {
			t.Errorf("kinds of course: %v", kinds)
		}
		trainers, err := all[Trainer](tx, kindTrainer)
		if err != nil {
			return err
		}
		external := map[uint64]bool{}
		staffed := 0
		for _, tr := range trainers {
			if err := tr.Validate(); err != nil {
				t.Errorf("trainer %d: %v", tr.ID, err)
			}
			if tr.PersonID == 0 {
				external[tr.ID] = true
			} else if tx.Bucket(bucketStaff).Get(itob(tr.PersonID)) == nil {
				t.Errorf("trainer %d: person %d missing", tr.ID, tr.PersonID)
			} else {
				staffed++
			}
		}
		if staffed == 0 || len(external) == 0 {
			t.Errorf("%d staff trainers, %d from outside", staffed, len(external))
		}
		if id := tx.Bucket(bucketUsersLogin).Get([]byte("trener")); id == nil || !slices.ContainsFunc(trainers, func(tr Trainer) bool { return tr.UserID == btoi(id) }) {
			t.Error("no trainer for the trener account")
		}

		sessions, err := all[Session](tx, kindSession)
		if err != nil {
			return err
		}
		want := map[string]int{} // index bucket → keys expected
		enrolled := map[string]bool{}
		var past, future, cancelled, grouped, elsewhere int
		for _, ss := range sessions {
			u, ok := unit[ss.CourseID]
			if !ok {
				t.Fatalf("session %d: course %d missing", ss.ID, ss.CourseID)
			}
			check := ss
			if err := check.Validate(u); err != nil {
				t.Errorf("session %d: %v", ss.ID, err)
			}
			for full, k := range sessionKeys(&ss) {
				b := full[:len(full)-len(k)]
				want[b]++
				if tx.Bucket([]byte(b)).Get(k) == nil {
					t.Fatalf("session %d: not in %s", ss.ID, b)
				}
			}
			for _, p := range ss.Participants {
				enrolled[string(markKey(ss.ID, p))] = true
				if tx.Bucket(bucketStaff).Get(itob(p)) == nil {
					t.Errorf("session %d: person %d missing", ss.ID, p)
				}
			}
			if ss.Capacity > 0 && len(ss.Participants) > ss.Capacity {
				t.Errorf("session %d: %d people over %d", ss.ID, len(ss.Participants), ss.Capacity)
			}
			if ss.Date.Year() < 2016 || ss.Date.Year() > 2027 {
				t.Errorf("session %d on %s", ss.ID, ss.Date)
			}
			for _, tr := range ss.TrainerIDs {
				if !slices.ContainsFunc(trainers, func(x Trainer) bool { return x.ID == tr }) {
					t.Errorf("session %d: trainer %d missing", ss.ID, tr)
				}
			}
			if u == LessonHours {
				for _, tr := range ss.TrainerIDs {
					if !external[tr] {
						t.Errorf("supervision session %d run by staff trainer %d", ss.ID, tr)
					}
				}
			}
			switch {
			case ss.Status == SessionCancelled:
				cancelled++
			case ss.Date.Before(today):
				past++
			default:
				future++
			}
			if ss.Group != "" {
				grouped++
			}
			if ss.Address != "" {
				elsewhere++
			}
		}
		if past == 0 || future == 0 || cancelled == 0 || grouped == 0 || elsewhere == 0 {
			t.Errorf("%d past, %d ahead, %d cancelled, %d in groups, %d elsewhere", past, future, cancelled, grouped, elsewhere)
		}
		for _, b := range sessionIndexes {
			if n := tx.Bucket(b).Stats().KeyN; n != want[string(b)] {
				t.Errorf("%s: %d keys, want %d", b, n, want[string(b)])
			}
		}

		byID := map[uint64]*Session{}
		for i := range sessions {
			byID[sessions[i].ID] = &sessions[i]
		}
		marked := map[uint64]bool{}
		marks := 0
		if err := tx.Bucket(bucketAttendance).ForEach(func(k, v []byte) error {
			var m Mark
			if err := json.Unmarshal(v, &m); err != nil {
				return err
			}
			ss := byID[m.Session]
			switch {
			case ss == nil || !enrolled[string(k)] || string(markKey(m.Session, m.Person)) != string(k):
				t.Errorf("mark %x: not a participant's", k)
			case ss.Status == SessionCancelled || !ss.Date.Before(today):
				t.Errorf("mark %x: session %d of %s (%s)", k, ss.ID, ss.Date, ss.Status)
			default:
				check := m
				if err := check.Validate(ss.HourUnits(unit[ss.CourseID])); err != nil || check != m {
					t.Errorf("mark %x: %v", k, err)
				}
			}
			marked[m.Session] = true
			marks++
			return nil
		}); err != nil {
			return err
		}
		if marks != stats.Marks {
			t.Errorf("%d marks stored, %d counted", marks, stats.Marks)
		}
		entries := map[string]int{}
		if err := tx.Bucket(bucketAudit).ForEach(func(_, v []byte) error {
			var e AuditEntry
			if err := json.Unmarshal(v, &e); err != nil {
				return err
			}
			entries[e.Entity+" "+e.Action]++
			return nil
		}); err != nil {
			return err
		}
		if entries["attendance "+ActionMark] != len(marked) || entries[kindSession.entity+" "+ActionCreate] != stats.Sessions ||
			entries[kindCourse.entity+" "+ActionCreate] != stats.Courses || entries[kindTrainer.entity+" "+ActionCreate] != stats.Trainers {
			t.Errorf("audit: %v for %d marked sessions", entries, len(marked))
		}
		// The edits that fill the log up to 5,000 entries still have room.
		if entries[kindStaff.entity+" "+ActionUpdate] < 500 {
			t.Errorf("audit: %d edits of people", entries[kindStaff.entity+" "+ActionUpdate])
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The store's own reads find them through the indexes.
	list, total, err := s.SessionsBetween(Beginning, Forever, 0, 10, nil)
	if err != nil || total != stats.Sessions || len(list) != 10 {
		t.Fatalf("sessions between: %d of %d, %v", len(list), total, err)
	}
}

// scheduleDump is the part of a database the schedule writes.
func scheduleDump(t *testing.T, s *Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	for k, v := range dump(t, s) {
		for _, b := range append([][]byte{bucketCourses, bucketTrainers, bucketTrainingSessions, bucketAttendance}, sessionIndexes...) {
			if strings.HasPrefix(k, string(b)+"/") || strings.HasPrefix(k, string(b)+" ") {
				out[k] = v
			}
		}
	}
	return out
}

// The same seed gives the same schedule, and scale 2 twice as much.
func TestGeneratedScheduleRepeatsAndScales(t *testing.T) {
	a, sa := genProjectsStore(t, 11, 1)
	b, _ := genProjectsStore(t, 11, 1)
	da, db := scheduleDump(t, a), scheduleDump(t, b)
	if first := fmt.Sprintf("%s/%x", bucketTrainingSessions, itob(1)); da[first] == "" || len(da) != len(db) {
		t.Fatalf("%d keys against %d", len(da), len(db))
	}
	for k, v := range da {
		if db[k] != v {
			t.Fatalf("%s differs between two runs with one seed", k)
		}
	}
	_, s2 := genProjectsStore(t, 11, 2)
	if s2.Courses != 2*sa.Courses || s2.Trainers != 2*sa.Trainers || s2.Sessions != 2*sa.Sessions || s2.Marks != 2*sa.Marks ||
		s2.AuditEntries != 2*sa.AuditEntries || sa.Scans == 0 || sa.Scans > sa.Confirmed || s2.Logos == 0 || s2.Issued == 0 {
		t.Errorf("scale 2 made %+v against %+v", s2, sa)
	}
}
