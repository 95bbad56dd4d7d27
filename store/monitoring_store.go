package store

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Monitoring notes in bbolt, and the read model the lists are answered
// from: rebuilt once per change of the notes, so a list, a filter or a
// search costs what it shows.
//
//	notes   id → Note

var bucketNotes = []byte("notes")

// updateNotes runs a write transaction that changes the notes and moves
// their version on after it.
func (s *Store) updateNotes(fn func(tx *bolt.Tx) error) error {
	err := s.db.Update(fn)
	s.notesVersion.Add(1)
	return err
}

// NotesVersion changes whenever a note does.
func (s *Store) NotesVersion() uint64 { return s.notesVersion.Load() }

// Note returns one note.
func (s *Store) Note(id uint64) (*Note, error) { return one[Note](s, kindNote, id) }

// subjectProject is the project a subject belongs to (0: none, a unit).
func subjectProject(tx *bolt.Tx, sub Subject) (uint64, error) {
	switch sub.Kind {
	case SubjectUnit:
		if tx.Bucket(bucketUnits).Get(itob(sub.ID)) == nil {
			return 0, ErrNotFound
		}
		return 0, nil
	case SubjectProject:
		p, err := get[Project](tx, kindProject, sub.ID)
		if err != nil {
			return 0, err
		}
		return p.ID, nil
	case SubjectMilestone:
		m, err := get[Milestone](tx, kindMilestone, sub.ID)
		if err != nil {
			return 0, err
		}
		return m.ProjectID, nil
	case SubjectCourse:
		c, err := get[Course](tx, kindCourse, sub.ID)
		if err != nil {
			return 0, err
		}
		return c.ProjectID, nil
	case SubjectSession:
		ss, err := get[Session](tx, kindSession, sub.ID)
		if err != nil {
			return 0, err
		}
		c, err := get[Course](tx, kindCourse, ss.CourseID)
		if err != nil {
			return 0, err
		}
		return c.ProjectID, nil
	}
	return 0, ErrNotFound
}

// openSubjects checks that a note's subjects exist, and refuses a change
// to the notes of a settled project.
func openSubjects(tx *bolt.Tx, subjects []Subject) error {
	for _, sub := range subjects {
		project, err := subjectProject(tx, sub)
		if err != nil {
			var v ValidationError
			v.Add("subjects", "error.invalid_choice")
			return &v
		}
		if project != 0 {
			if _, err := openProject(tx, project, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// SaveNote writes a new note (id 0) or a new text of one; the text it
// replaces is kept among the note's earlier versions.
func (s *Store) SaveNote(a Actor, id uint64, text NoteText, version int) (*Note, error) {
	if err := text.Validate(); err != nil {
		return nil, err
	}
	var out *Note
	err := s.updateNotes(func(tx *bolt.Tx) error {
		if err := openSubjects(tx, text.Subjects); err != nil {
			return err
		}
		if id == 0 {
			if tx.Bucket(bucketNotes).Stats().KeyN >= MaxNotes {
				return Errorf(EConflict, WithMax("error.too_many", MaxNotes))
			}
			out = &Note{NoteText: text, Author: a.Login}
			return insert(s, tx, a, kindNote, out)
		}
		old, err := s.changeableNote(tx, id, version)
		if err != nil {
			return err
		}
		out = old
		if sameText(old.NoteText, text) {
			return nil
		}
		if len(old.Earlier) >= MaxNoteVersions {
			return Errorf(EConflict, WithMax("error.too_many_versions", MaxNoteVersions))
		}
		if err := openSubjects(tx, old.Subjects); err != nil { // nor may a note leave a settled project
			return err
		}
		n := *old
		by := old.EditedBy
		if by == "" {
			by = old.Author
		}
		n.Earlier = append(slices.Clone(old.Earlier), NoteVersion{NoteText: old.NoteText, Version: old.Version, At: old.Updated, By: by})
		n.NoteText, n.EditedBy = text, a.Login
		out = &n
		return replace(s, tx, a, kindNote, &n, version, ActionUpdate)
	})
	return out, err
}

// NoteFrozen reports whether a note is about a settled project's part:
// then it is read-only (the same rule changeableNote enforces).
func (s *Store) NoteFrozen(n *Note) bool {
	frozen := false
	_ = s.db.View(func(tx *bolt.Tx) error {
		for _, sub := range n.Subjects {
			if project, err := subjectProject(tx, sub); err == nil && project != 0 {
				if p, err := get[Project](tx, kindProject, project); err == nil && p.Frozen() {
					frozen = true
				}
			}
		}
		return nil
	})
	return frozen
}

// changeableNote reads a note at the version a form showed, and refuses
// a change to a settled project's note.
func (s *Store) changeableNote(tx *bolt.Tx, id uint64, version int) (*Note, error) {
	n, err := get[Note](tx, kindNote, id)
	if err != nil {
		return nil, err
	}
	if version != 0 && n.Version != version {
		return nil, &ConflictError{Entity: kindNote.entity, ID: id, Current: n}
	}
	for _, sub := range n.Subjects {
		if project, err := subjectProject(tx, sub); err == nil && project != 0 {
			if _, err := openProject(tx, project, false); err != nil {
				return nil, err
			}
		}
	}
	return n, nil
}

// changeNote applies a change to a note's actions or thread, audited.
func (s *Store) changeNote(a Actor, id uint64, version int, change func(tx *bolt.Tx, n *Note) error) error {
	return s.updateNotes(func(tx *bolt.Tx) error {
		n, err := s.changeableNote(tx, id, version)
		if err != nil {
			return err
		}
		if err := change(tx, n); err != nil {
			return err
		}
		return replace(s, tx, a, kindNote, n, version, ActionUpdate)
	})
}

// AddFollowUp adds an action to a note.
func (s *Store) AddFollowUp(a Actor, note uint64, version int, f FollowUp) error {
	f.DoneOn, f.Comment = time.Time{}, ""
	if err := f.Validate(); err != nil {
		return err
	}
	return s.changeNote(a, note, version, func(tx *bolt.Tx, n *Note) error {
		if len(n.Actions) >= MaxNoteActions {
			return Errorf(EConflict, WithMax("error.too_many", MaxNoteActions))
		}
		if err := checkRefs(tx, "owner", f.UnitID, "owner", f.PersonID); err != nil {
			return err
		}
		n.LastAction++
		f.N = n.LastAction
		n.Actions = append(n.Actions, f)
		return nil
	})
}

// SetFollowUpDone marks a note's action done on a day with a comment, or
// (a zero day) open again.
func (s *Store) SetFollowUpDone(a Actor, note uint64, version, number int, doneOn time.Time, comment string) error {
	return s.changeNote(a, note, version, func(tx *bolt.Tx, n *Note) error {
		i := slices.IndexFunc(n.Actions, func(f FollowUp) bool { return f.N == number })
		if i < 0 {
			return ErrNotFound
		}
		f := n.Actions[i]
		f.DoneOn, f.Comment = doneOn, comment
		if err := s.CheckDone(f); err != nil {
			return err
		}
		n.Actions = slices.Clone(n.Actions)
		n.Actions[i] = f
		return nil
	})
}

// CheckDone reports every problem of an action marked done on f.DoneOn
// with f.Comment (a zero day: open again): the action's own rules, and no
// day after today.
func (s *Store) CheckDone(f FollowUp) error {
	err := f.Validate()
	if f.DoneOn.IsZero() || !f.DoneOn.After(s.Today()) {
		return err
	}
	v := &ValidationError{}
	if !errors.As(err, &v) && err != nil {
		return err
	}
	v.Add("done_on", "error.date_in_future")
	return v
}

// AddReply adds a head's acknowledgement or answer to a note's thread.
func (s *Store) AddReply(a Actor, note uint64, version int, r Reply) error {
	r.Text = strings.TrimSpace(CleanText(r.Text))
	var v ValidationError
	switch r.Kind {
	case ReplyAnswer:
		requireText(&v, "text", r.Text, maxReplyLen)
	case ReplyAcknowledged:
		limitText(&v, "text", r.Text, maxReplyLen)
	default:
		v.Add("kind", "error.invalid_choice")
	}
	if err := v.Err(); err != nil {
		return err
	}
	r.At, r.By = s.now().UTC(), a.Login
	return s.changeNote(a, note, version, func(tx *bolt.Tx, n *Note) error {
		if len(n.Thread) >= MaxNoteReplies {
			return Errorf(EConflict, WithMax("error.too_many", MaxNoteReplies))
		}
		if r.Kind == ReplyAcknowledged && n.Acknowledged() {
			return Errorf(EConflict, "error.already_acknowledged")
		}
		n.Thread = append(slices.Clone(n.Thread), r)
		return nil
	})
}

// NoteLine is a note as lists, matrices and reports read it.
type NoteLine struct {
	ID         uint64
	Version    int
	Date       time.Time
	Title      string
	Category   NoteCategory
	Assessment Assessment
	Author     string
	Subjects   []Subject
	Tags       []string
	OpenDue    []time.Time // due days of the actions not done yet
	Acts       []FollowUp  // every action, for reports and exports
	Actions    int
	Replies    int
	search     string // folded title, body, tags and author
}

// Overdue counts the note's open actions past their due day.
func (l *NoteLine) Overdue(today time.Time) int {
	n := 0
	for _, d := range l.OpenDue {
		if today.After(d) {
			n++
		}
	}
	return n
}

// About reports whether the line's note is about the subject.
func (l *NoteLine) About(s Subject) bool { return slices.Contains(l.Subjects, s) }

// NotesIndex is every note as a line, newest first, for one version of
// the notes.
type NotesIndex struct {
	Version uint64
	Lines   []NoteLine
}

type notesCache struct {
	mu sync.Mutex
	ix *NotesIndex
}

// Notes is the read model of the notes, rebuilt after each change.
func (s *Store) Notes() (*NotesIndex, error) {
	s.notes.mu.Lock()
	defer s.notes.mu.Unlock()
	v := s.notesVersion.Load()
	if s.notes.ix != nil && s.notes.ix.Version == v {
		return s.notes.ix, nil
	}
	ix := &NotesIndex{Version: v}
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketNotes).ForEach(func(_, data []byte) error {
			var n Note
			if err := json.Unmarshal(data, &n); err != nil {
				return err
			}
			l := NoteLine{ID: n.ID, Version: n.Version, Date: n.Date, Title: n.Title, Category: n.Category, Assessment: n.Assessment,
				Author: n.Author, Subjects: n.Subjects, Tags: n.Tags, Acts: n.Actions, Actions: len(n.Actions), Replies: len(n.Thread),
				search: Fold(n.Title + " \x00 " + n.Body + " \x00 " + strings.Join(n.Tags, " ") + " \x00 " + n.Author)}
			for _, f := range n.Actions {
				if !f.Done() {
					l.OpenDue = append(l.OpenDue, f.Due)
				}
			}
			ix.Lines = append(ix.Lines, l)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ix.Lines, func(a, b NoteLine) int {
		if c := b.Date.Compare(a.Date); c != 0 {
			return c
		}
		return int(b.ID) - int(a.ID)
	})
	s.notes.ix = ix
	return ix, nil
}

// NoteQuery filters the notes.
type NoteQuery struct {
	Text       string
	Subject    Subject // zero: any
	Category   NoteCategory
	Assessment Assessment
	Author     string
	From, To   time.Time // inclusive days; zero: open
	Open       bool      // with an action not done
	Overdue    bool      // with an action past its due day
	Today      time.Time
	// May says whether the reader may see a note (nil: every note).
	May func(*NoteLine) bool
}

// Find lists the notes the query keeps, newest first: skip of them, at
// most limit, and how many there are in all.
func (ix *NotesIndex) Find(q NoteQuery, skip, limit int) ([]NoteLine, int) {
	words := strings.Fields(Fold(q.Text))
	var out []NoteLine
	total := 0
	for i := range ix.Lines {
		l := &ix.Lines[i]
		switch {
		case q.May != nil && !q.May(l),
			q.Subject.ID != 0 && !l.About(q.Subject),
			q.Category != "" && l.Category != q.Category,
			q.Assessment != "" && l.Assessment != q.Assessment,
			q.Author != "" && l.Author != q.Author,
			!q.From.IsZero() && l.Date.Before(q.From),
			!q.To.IsZero() && l.Date.After(q.To),
			q.Open && len(l.OpenDue) == 0,
			q.Overdue && l.Overdue(q.Today) == 0,
			!containsAll(l.search, words):
			continue
		}
		if total >= skip && len(out) < limit {
			out = append(out, *l)
		}
		total++
	}
	return out, total
}

func containsAll(hay string, words []string) bool {
	for _, w := range words {
		if !strings.Contains(hay, w) {
			return false
		}
	}
	return true
}

// NotesByID reads whole notes (with their text) in one transaction, in
// the order asked; a note removed meanwhile is left out.
func (s *Store) NotesByID(ids []uint64) ([]Note, error) {
	out := make([]Note, 0, len(ids))
	err := s.db.View(func(tx *bolt.Tx) error {
		for _, id := range ids {
			n, err := get[Note](tx, kindNote, id)
			if errors.Is(err, ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			out = append(out, *n)
		}
		return nil
	})
	return out, err
}

// assessedInMonitoring reports whether a monitoring note, an action or a
// filled-in checklist names the unit: it is evidence, and a unit it names
// is never deleted. Deleting a unit is rare: the notes are read whole.
func assessedInMonitoring(tx *bolt.Tx, unit uint64) (bool, error) {
	if UnitHasChecklistResults(tx, unit) {
		return true, nil
	}
	found := errors.New("found")
	err := tx.Bucket(bucketNotes).ForEach(func(_, data []byte) error {
		var n Note
		if err := json.Unmarshal(data, &n); err != nil {
			return err
		}
		if n.About(Subject{Kind: SubjectUnit, ID: unit}) || slices.ContainsFunc(n.Actions, func(f FollowUp) bool { return f.UnitID == unit }) {
			return found
		}
		return nil
	})
	if errors.Is(err, found) {
		return true, nil
	}
	return false, err
}
