package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The published schedule of support (harmonogram udzielania wsparcia): a
// project's sessions of a period, frozen as a numbered version when a
// coordinator publishes them. Controllers plan unannounced visits from it,
// so a session published after it began (or later than the project's lead
// time) is a finding, and any change after publishing marks the schedule
// as changed until it is published again.
//
//	publications  project|number → Publication

// PublishedRow is one session as a version of the schedule shows it.
type PublishedRow struct {
	Session  uint64     `json:"session"`
	Sequence int        `json:"sequence"`
	Kind     CourseKind `json:"kind"`
	Course   string     `json:"course"`
	Part     string     `json:"part,omitempty"`
	Date     time.Time  `json:"date"`
	Start    int        `json:"start"`
	End      int        `json:"end"`
	Address  string     `json:"address"`
	Group    string     `json:"group,omitempty"`
	Trainers string     `json:"trainers,omitempty"`
}

// Publication is one published version of a project's schedule.
type Publication struct {
	Project uint64         `json:"project"`
	Number  int            `json:"number"`
	At      time.Time      `json:"at"`
	By      string         `json:"by"`
	From    time.Time      `json:"from"`
	To      time.Time      `json:"to"`
	Rows    []PublishedRow `json:"rows"`
}

// Bounds of the published schedule.
const (
	MaxPublishedRows = 2000
	MaxPublications  = 500 // versions of one project
)

// Late reports whether a row was published after its session began, or
// less than lead days before it: what a controller would find.
func (p *Publication) Late(r PublishedRow, lead int) bool {
	y, m, d := r.Date.Date()
	start := time.Date(y, m, d, r.Start/60, r.Start%60, 0, 0, warsaw)
	return !p.At.Before(start.AddDate(0, 0, -lead))
}

// LateRows counts the late rows of a version.
func (p *Publication) LateRows(lead int) int {
	n := 0
	for _, r := range p.Rows {
		if p.Late(r, lead) {
			n++
		}
	}
	return n
}

func publicationKey(project uint64, number int) []byte {
	return binary.BigEndian.AppendUint64(itob(project), uint64(number))
}

// projectSessions are the sessions of a project's courses from one day to
// another, cancelled ones included, in time order.
func projectSessions(tx *bolt.Tx, project uint64, from, to time.Time, limit int) ([]Session, map[uint64]*Course, error) {
	courses := map[uint64]*Course{}
	err := tx.Bucket(bucketCourses).ForEach(func(_, data []byte) error {
		var c Course
		if err := json.Unmarshal(data, &c); err != nil {
			return err
		}
		if c.ProjectID == project {
			courses[c.ID] = &c
		}
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	var out []Session
	last := binary.BigEndian.Uint32(dayNumber(to))
	for id := range courses {
		c := tx.Bucket(bucketSessionsCourse).Cursor()
		prefix := itob(id)
		for k, _ := c.Seek(append(itob(id), dayNumber(from)...)); k != nil && bytes.HasPrefix(k, prefix) && binary.BigEndian.Uint32(k[8:]) <= last; k, _ = c.Next() {
			if len(out) >= limit {
				return nil, nil, Errorf(EConflict, WithMax("error.too_many_published", limit))
			}
			ss, err := get[Session](tx, kindSession, btoi(k[14:]))
			if err != nil {
				return nil, nil, err
			}
			out = append(out, *ss)
		}
	}
	slices.SortFunc(out, func(a, b Session) int {
		if c := a.Date.Compare(b.Date); c != 0 {
			return c
		}
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return int(a.ID) - int(b.ID)
	})
	return out, courses, nil
}

// publishedRow is a session as the schedule publishes it.
func publishedRow(tx *bolt.Tx, ss *Session, c *Course) PublishedRow {
	r := PublishedRow{Session: ss.ID, Sequence: ss.Sequence, Kind: c.Kind, Course: c.Title, Part: ss.Part, Date: ss.Date,
		Start: ss.Start, End: ss.End, Address: ss.Address, Group: ss.Group}
	if l, err := get[Location](tx, kindLocation, ss.LocationID); err == nil {
		r.Address = strings.TrimSpace(l.Street + ", " + strings.TrimSpace(l.PostalCode+" "+l.City))
		if ss.Room != "" {
			r.Address += ", " + ss.Room
		}
	}
	var names []string
	for _, id := range ss.TrainerIDs {
		if t, err := get[Trainer](tx, kindTrainer, id); err == nil {
			names = append(names, t.Name)
		}
	}
	r.Trainers = strings.Join(names, ", ")
	return r
}

// Publish freezes a project's schedule of a period as its next version.
// at is when it was published (zero: now; the demo gives the seed's own
// dates).
func (s *Store) Publish(a Actor, project uint64, from, to, at time.Time) (*Publication, error) {
	from, to = Day(from), Day(to)
	var v ValidationError
	if from.IsZero() {
		v.Add("from", "error.date_required")
	}
	if to.IsZero() {
		v.Add("to", "error.date_required")
	} else if to.Before(from) {
		v.Add("to", "error.until_before_from")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if at.IsZero() {
		at = s.now()
	}
	var pub *Publication
	err := s.updateSchedule(func(tx *bolt.Tx) error {
		if _, err := openProject(tx, project, false); err != nil {
			return err
		}
		number := 1
		c := tx.Bucket(bucketPublications).Cursor()
		for k, _ := c.Seek(itob(project)); k != nil && bytes.HasPrefix(k, itob(project)); k, _ = c.Next() {
			number++
		}
		if number > MaxPublications {
			return Errorf(EConflict, WithMax("error.too_many", MaxPublications))
		}
		list, courses, err := projectSessions(tx, project, from, to, MaxPublishedRows)
		if err != nil {
			return err
		}
		pub = &Publication{Project: project, Number: number, At: at.UTC(), By: a.Login, From: from, To: to}
		for i := range list {
			if list[i].Status != SessionCancelled {
				pub.Rows = append(pub.Rows, publishedRow(tx, &list[i], courses[list[i].CourseID]))
			}
		}
		if err := putJSON(tx.Bucket(bucketPublications), publicationKey(project, number), pub); err != nil {
			return err
		}
		return s.audit(tx, a, "publication", project, ActionCreate, []Change{{Field: "number", New: strconv.Itoa(number)},
			{Field: "period", New: from.Format(time.DateOnly) + " – " + to.Format(time.DateOnly)}})
	})
	return pub, err
}

// Publications lists a project's versions, newest first.
func (s *Store) Publications(project uint64) ([]Publication, error) {
	var out []Publication
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPublications).Cursor()
		for k, v := c.Seek(itob(project)); k != nil && bytes.HasPrefix(k, itob(project)); k, v = c.Next() {
			var p Publication
			if err := json.Unmarshal(v, &p); err != nil {
				return err
			}
			out = append(out, p)
		}
		return nil
	})
	slices.Reverse(out)
	return out, err
}

// PublishedChange is how the schedule differs now from a version.
type PublishedChange struct {
	Kind string       // added, moved, cancelled, removed
	Row  PublishedRow // as published (moved, cancelled, removed) or as now (added)
	Now  PublishedRow // as now (moved)
}

// ChangesSince compares a version with the project's schedule of the same
// period as it is now.
func (s *Store) ChangesSince(p *Publication) ([]PublishedChange, error) {
	var out []PublishedChange
	err := s.db.View(func(tx *bolt.Tx) error {
		list, courses, err := projectSessions(tx, p.Project, p.From, p.To, MaxPublishedRows+1)
		if err != nil {
			return err
		}
		published := map[uint64]PublishedRow{}
		for _, r := range p.Rows {
			published[r.Session] = r
		}
		seen := map[uint64]bool{}
		for i := range list {
			ss := &list[i]
			seen[ss.ID] = true
			now := publishedRow(tx, ss, courses[ss.CourseID])
			was, ok := published[ss.ID]
			switch {
			case !ok && ss.Status != SessionCancelled:
				out = append(out, PublishedChange{Kind: "added", Row: now})
			case ok && ss.Status == SessionCancelled:
				out = append(out, PublishedChange{Kind: "cancelled", Row: was})
			case ok && (was.Sequence != now.Sequence || !was.Date.Equal(now.Date) || was.Start != now.Start || was.End != now.End || was.Address != now.Address):
				out = append(out, PublishedChange{Kind: "moved", Row: was, Now: now})
			}
		}
		for _, r := range p.Rows {
			if !seen[r.Session] {
				out = append(out, PublishedChange{Kind: "removed", Row: r})
			}
		}
		return nil
	})
	return out, err
}

// DiffPublications is what changed from one version to the next.
func DiffPublications(before, after *Publication) []PublishedChange {
	var out []PublishedChange
	was := map[uint64]PublishedRow{}
	for _, r := range before.Rows {
		was[r.Session] = r
	}
	seen := map[uint64]bool{}
	for _, r := range after.Rows {
		seen[r.Session] = true
		old, ok := was[r.Session]
		switch {
		case !ok:
			out = append(out, PublishedChange{Kind: "added", Row: r})
		case old.Sequence != r.Sequence || !old.Date.Equal(r.Date) || old.Start != r.Start || old.End != r.End || old.Address != r.Address:
			out = append(out, PublishedChange{Kind: "moved", Row: old, Now: r})
		}
	}
	for _, r := range before.Rows {
		if !seen[r.Session] {
			out = append(out, PublishedChange{Kind: "removed", Row: r})
		}
	}
	return out
}

// PublicationColumns are the columns of the published schedule, as the
// funder's rules name them.
var PublicationColumns = []string{"Lp.", "Rodzaj wsparcia", "Data", "Godzina od–do", "Adres", "Grupa", "Prowadzący"}

// WritePublicationCSV writes a version in the published columns; kind
// names a kind of support in the reader's words.
func WritePublicationCSV(w io.Writer, p *Publication, kind func(CourseKind) string) error {
	cw, err := newCSVWriter(w, PublicationColumns)
	if err != nil {
		return err
	}
	for i, r := range p.Rows {
		what := kind(r.Kind) + ": " + r.Course
		if r.Part != "" {
			what += ", " + r.Part
		}
		if err := cw.Write([]string{strconv.Itoa(i + 1), what, r.Date.Format("02.01.2006"), Clock(r.Start) + "–" + Clock(r.End), r.Address, r.Group, r.Trainers}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// PublicationOf is one version of a project's schedule.
func (s *Store) PublicationOf(project uint64, number int) (*Publication, error) {
	var p Publication
	err := s.db.View(func(tx *bolt.Tx) error {
		return getJSON(tx.Bucket(bucketPublications), publicationKey(project, number), &p)
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// PublicationCount is how many versions of its schedule a project has.
func (s *Store) PublicationCount(project uint64) int {
	n := 0
	_ = s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPublications).Cursor()
		for k, _ := c.Seek(itob(project)); k != nil && bytes.HasPrefix(k, itob(project)); k, _ = c.Next() {
			n++
		}
		return nil
	})
	return n
}
