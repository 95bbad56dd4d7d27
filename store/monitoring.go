package store

import (
	"slices"
	"strings"
	"time"
)

// Monitoring notes: the monitoring specialist's assessments of how each
// team implements the organisational change, of milestones and of the
// project, with follow-up actions and the answers of the heads of the
// units concerned. A note's earlier texts are kept: an edit never loses
// what was written before.

// NoteCategory is what a note assesses.
type NoteCategory string

const (
	CategoryCompliance NoteCategory = "compliance" // with the regulations and the project's assumptions
	CategoryGoal       NoteCategory = "goal"       // how far the main goal is reached
	CategoryChange     NoteCategory = "change"     // the organisational change in a team
	CategoryTool       NoteCategory = "tool"       // a monitoring or evaluation tool
	CategoryOther      NoteCategory = "misc"
)

// NoteCategories lists the categories in the order forms offer them.
var NoteCategories = []NoteCategory{CategoryCompliance, CategoryGoal, CategoryChange, CategoryTool, CategoryOther}

// Assessment is where the subject stands.
type Assessment string

const (
	OnTrack     Assessment = "on_track"
	AtRisk      Assessment = "at_risk"
	OffTrack    Assessment = "off_track"
	NotAssessed Assessment = "not_assessed"
)

// Assessments lists the assessments from the best to none.
var Assessments = []Assessment{OnTrack, AtRisk, OffTrack, NotAssessed}

// SubjectKind is what a note can be about.
type SubjectKind string

const (
	SubjectUnit      SubjectKind = "unit"
	SubjectMilestone SubjectKind = "milestone"
	SubjectProject   SubjectKind = "project"
	SubjectCourse    SubjectKind = "course"
	SubjectSession   SubjectKind = "session"
)

// SubjectKinds lists the kinds of subject.
var SubjectKinds = []SubjectKind{SubjectUnit, SubjectMilestone, SubjectProject, SubjectCourse, SubjectSession}

// Subject is one record a note is about.
type Subject struct {
	Kind SubjectKind `json:"kind"`
	ID   uint64      `json:"id"`
}

// FollowUp is an action a note asks for: what, who (a person or a unit),
// by when, and whether and when it was done.
type FollowUp struct {
	N        int       `json:"n"` // numbers the note's actions, never reused
	What     string    `json:"what"`
	PersonID uint64    `json:"person_id,omitempty"`
	UnitID   uint64    `json:"unit_id,omitempty"`
	Due      time.Time `json:"due"`
	DoneOn   time.Time `json:"done_on,omitzero"`
	Comment  string    `json:"comment,omitempty"`
}

// Overdue reports whether the action is still open after its due day
// (days in Europe/Warsaw: today is Day(now)).
func (f FollowUp) Overdue(today time.Time) bool { return f.DoneOn.IsZero() && today.After(f.Due) }

// Done reports whether the action was done.
func (f FollowUp) Done() bool { return !f.DoneOn.IsZero() }

// ReplyKind is what a head of a unit adds to a note's thread.
type ReplyKind string

const (
	ReplyAcknowledged ReplyKind = "ack"    // read and acknowledged
	ReplyAnswer       ReplyKind = "answer" // an answer in words
)

// Reply is one entry of a note's thread.
type Reply struct {
	At       time.Time `json:"at"`
	By       string    `json:"by"`
	PersonID uint64    `json:"person_id,omitempty"`
	Kind     ReplyKind `json:"kind"`
	Text     string    `json:"text,omitempty"`
}

// NoteText is what an edit may change; a note keeps each earlier one.
type NoteText struct {
	Date       time.Time    `json:"date"`
	Subjects   []Subject    `json:"subjects"`
	Category   NoteCategory `json:"category"`
	Assessment Assessment   `json:"assessment"`
	Title      string       `json:"title"`
	Body       string       `json:"body,omitempty"` // Markdown source
	Tags       []string     `json:"tags,omitempty"`
}

// NoteVersion is an earlier text of a note, with who wrote it and when.
type NoteVersion struct {
	NoteText
	Version int       `json:"version"`
	At      time.Time `json:"at"`
	By      string    `json:"by"`
}

// Note is one monitoring note.
type Note struct {
	Meta
	NoteText
	Author   string        `json:"author"`
	EditedBy string        `json:"edited_by,omitempty"` // who wrote the current text, when not the author
	Actions  []FollowUp    `json:"actions,omitempty"`
	Thread   []Reply       `json:"thread,omitempty"`
	Earlier  []NoteVersion `json:"earlier,omitempty"` // oldest first
	// LastAction numbers the actions; a removed number is never reused.
	LastAction int `json:"last_action,omitempty"`
}

var kindNote = kind{entity: "note", bucket: bucketNotes}

// Limits of monitoring notes.
const (
	MaxNotes         = 100_000
	MaxNoteSubjects  = 10
	MaxNoteTags      = 10
	MaxNoteActions   = 30
	MaxNoteReplies   = 100
	MaxNoteVersions  = 100
	maxNoteTitleLen  = 200
	maxNoteBodyLen   = 20_000
	maxNoteTagLen    = 40
	maxActionLen     = 500
	maxActionComment = 1000
	maxReplyLen      = 4000
)

// Validate checks and tidies a note's text.
func (n *NoteText) Validate() error {
	var v ValidationError
	n.Title = strings.TrimSpace(CleanText(n.Title))
	n.Body = strings.TrimSpace(CleanText(n.Body))
	n.Date = Day(n.Date)
	requireText(&v, "title", n.Title, maxNoteTitleLen)
	limitText(&v, "body", n.Body, maxNoteBodyLen)
	if n.Date.IsZero() {
		v.Add("date", "error.date_required")
	}
	if !slices.Contains(NoteCategories, n.Category) {
		v.Add("category", "error.invalid_choice")
	}
	if !slices.Contains(Assessments, n.Assessment) {
		v.Add("assessment", "error.invalid_choice")
	}
	// Repeats are dropped through a set, and the reading stops at the
	// first entry over the limit: a form posting thousands of subjects or
	// tags costs one pass over them, then the refusal below.
	var subjects []Subject
	seenSubject := make(map[Subject]bool, min(len(n.Subjects), MaxNoteSubjects+1))
	for _, s := range n.Subjects {
		if s.ID == 0 || !slices.Contains(SubjectKinds, s.Kind) {
			v.Add("subjects", "error.invalid_choice")
			continue
		}
		if !seenSubject[s] {
			seenSubject[s] = true
			if subjects = append(subjects, s); len(subjects) > MaxNoteSubjects {
				break
			}
		}
	}
	n.Subjects = subjects
	if len(n.Subjects) == 0 {
		v.Add("subjects", "error.subject_required")
	}
	limitList(&v, "subjects", len(n.Subjects), MaxNoteSubjects)
	var tags []string
	seenTag := make(map[string]bool, min(len(n.Tags), MaxNoteTags+1))
	for _, t := range n.Tags {
		t = strings.ToLower(strings.TrimSpace(CleanText(strings.TrimPrefix(strings.TrimSpace(t), "#"))))
		if t == "" || seenTag[t] {
			continue
		}
		seenTag[t] = true
		limitText(&v, "tags", t, maxNoteTagLen)
		if tags = append(tags, t); len(tags) > MaxNoteTags {
			break
		}
	}
	n.Tags = tags
	limitList(&v, "tags", len(n.Tags), MaxNoteTags)
	return v.Err()
}

// Validate checks and tidies an action.
func (f *FollowUp) Validate() error {
	var v ValidationError
	f.What, f.Comment = strings.TrimSpace(CleanText(f.What)), strings.TrimSpace(CleanText(f.Comment))
	f.Due, f.DoneOn = Day(f.Due), Day(f.DoneOn)
	requireText(&v, "what", f.What, maxActionLen)
	limitText(&v, "comment", f.Comment, maxActionComment)
	if f.Due.IsZero() {
		v.Add("due", "error.date_required")
	}
	if f.PersonID == 0 && f.UnitID == 0 {
		v.Add("owner", "error.owner_required")
	}
	if f.PersonID != 0 && f.UnitID != 0 {
		v.Add("owner", "error.owner_one")
	}
	return v.Err()
}

// Units are the units a note is about.
func (n *Note) Units() []uint64 {
	var out []uint64
	for _, s := range n.Subjects {
		if s.Kind == SubjectUnit {
			out = append(out, s.ID)
		}
	}
	return out
}

// About reports whether the note is about the subject.
func (n *Note) About(s Subject) bool { return slices.Contains(n.Subjects, s) }

// OpenActions counts the note's actions not done yet.
func (n *Note) OpenActions() int {
	c := 0
	for _, a := range n.Actions {
		if !a.Done() {
			c++
		}
	}
	return c
}

// Acknowledged reports whether a head acknowledged the note.
func (n *Note) Acknowledged() bool {
	return slices.ContainsFunc(n.Thread, func(r Reply) bool { return r.Kind == ReplyAcknowledged })
}

// sameText reports whether two texts say the same.
func sameText(a, b NoteText) bool {
	return a.Date.Equal(b.Date) && slices.Equal(a.Subjects, b.Subjects) && a.Category == b.Category &&
		a.Assessment == b.Assessment && a.Title == b.Title && a.Body == b.Body && slices.Equal(a.Tags, b.Tags)
}

// HeadedUnits are the units a person heads on day, with every unit under
// them then: the notes a head of a unit reads and answers.
func (o *Org) HeadedUnits(person uint64, day time.Time) map[uint64]bool {
	out := map[uint64]bool{}
	if person == 0 {
		return out
	}
	children := map[uint64][]uint64{}
	for i := range o.Units {
		if st, ok := o.Units[i].At(day); ok {
			children[st.ParentID] = append(children[st.ParentID], o.Units[i].ID)
			if st.HeadID == person {
				out[o.Units[i].ID] = true
			}
		}
	}
	queue := make([]uint64, 0, len(out))
	for id := range out {
		queue = append(queue, id)
	}
	for len(queue) > 0 {
		id := queue[0]
		queue = queue[1:]
		for _, c := range children[id] {
			if !out[c] {
				out[c] = true
				queue = append(queue, c)
			}
		}
	}
	return out
}

// ReaderOf says which notes a reader may see: every note (all), or the
// notes about the units they head (with their sub-units); none at all
// for anyone else.
type ReaderOf struct {
	All   bool
	Units map[uint64]bool
}

// May reports whether the reader may see a note with these subjects.
func (r ReaderOf) May(subjects []Subject) bool {
	if r.All {
		return true
	}
	for _, s := range subjects {
		if s.Kind == SubjectUnit && r.Units[s.ID] {
			return true
		}
	}
	return false
}

// Any reports whether the reader may see any note at all.
func (r ReaderOf) Any() bool { return r.All || len(r.Units) > 0 }
