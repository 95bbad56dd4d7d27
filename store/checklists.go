package store

import (
	"strings"
	"time"
)

// Evaluation checklists: the monitoring specialist's reusable sets of
// questions, each answered on one scale, filled in for a team on a day.
// Results of one checklist for one team, side by side over time, show
// whether the organisational change took hold there.
//
// A result keeps a copy of the questions and the scale it was filled in
// with: an edit of the checklist later (a question reworded, added or
// dropped) never changes what was answered before.

// ScaleKind is how a checklist's questions are answered.
type ScaleKind string

const (
	// ScaleFive is 1 (strongly disagree) to 5 (strongly agree).
	ScaleFive ScaleKind = "five"
	// ScaleYesPartlyNo is 1 = no, 2 = partly, 3 = yes: the answers are
	// ordered from the worst as on the five-point scale, so that a higher
	// number is always the better answer.
	ScaleYesPartlyNo ScaleKind = "ynp"
)

// Scales lists the scales in the order forms offer them.
var Scales = []ScaleKind{ScaleFive, ScaleYesPartlyNo}

// NotAnswered is the answer to a question left without one.
const NotAnswered = 0

// Max is the scale's highest answer; 0 for no known scale.
func (k ScaleKind) Max() int {
	switch k {
	case ScaleFive:
		return 5
	case ScaleYesPartlyNo:
		return 3
	}
	return 0
}

// Points are the scale's answers from the worst to the best.
func (k ScaleKind) Points() []int {
	out := make([]int, k.Max())
	for i := range out {
		out[i] = i + 1
	}
	return out
}

// Standing reads an answer as an assessment, so that pages mark good,
// middling and poor answers the way they mark notes: 4–5 and "yes" are
// on track, 3 and "partly" at risk, 1–2 and "no" off track.
func (k ScaleKind) Standing(answer int) Assessment {
	switch {
	case answer < 1 || answer > k.Max():
		return NotAssessed
	case answer == k.Max() || k == ScaleFive && answer == 4:
		return OnTrack
	case answer == 1 || k == ScaleFive && answer == 2:
		return OffTrack
	}
	return AtRisk
}

// Checklist is a reusable set of questions on one scale.
type Checklist struct {
	Meta
	Title       string    `json:"title"`
	Scale       ScaleKind `json:"scale"`
	Questions   []string  `json:"questions"`
	Description string    `json:"description,omitempty"`
}

// ChecklistResult is a checklist filled in for a unit on a day.
type ChecklistResult struct {
	Meta
	ChecklistID uint64    `json:"checklist_id"`
	UnitID      uint64    `json:"unit_id"`
	Date        time.Time `json:"date"`
	// Questions and Scale are the checklist's when it was filled in.
	Questions []string  `json:"questions"`
	Scale     ScaleKind `json:"scale"`
	// Answers has one answer per question: NotAnswered or 1..Scale.Max().
	Answers []int  `json:"answers"`
	Comment string `json:"comment,omitempty"`
	By      string `json:"by"`
}

var (
	kindChecklist       = kind{entity: "checklist", bucket: bucketChecklists}
	kindChecklistResult = kind{entity: "checklist_result", bucket: bucketChecklistResults}
)

// Limits of checklists and their results.
const (
	MaxChecklists          = 200
	MaxChecklistResults    = 50_000
	MaxChecklistQuestions  = 30
	maxChecklistTitleLen   = 200
	maxChecklistQuestion   = 300
	maxChecklistDescLen    = 2000
	maxChecklistCommentLen = 4000
)

// earliestResult is the first day a result may have: the indexes keep
// days as unsigned numbers from 1970 on.
var earliestResult = Beginning

// tidyQuestions trims each question, puts it on one line and drops the
// empty ones (the blank lines of the form).
func tidyQuestions(qs []string) []string {
	out := make([]string, 0, len(qs))
	for _, q := range qs {
		if q = strings.Join(strings.Fields(CleanText(q)), " "); q != "" {
			out = append(out, q)
		}
	}
	return out
}

// validQuestions checks a list of questions under field.
func validQuestions(v *ValidationError, field string, qs []string) {
	if len(qs) == 0 {
		v.Add(field, "error.checklist_no_questions")
	}
	limitList(v, field, len(qs), MaxChecklistQuestions)
	for _, q := range qs {
		limitText(v, field, q, maxChecklistQuestion)
	}
}

// Validate checks and tidies a checklist.
func (c *Checklist) Validate() error {
	var v ValidationError
	c.Title = strings.TrimSpace(CleanText(c.Title))
	c.Description = strings.TrimSpace(CleanText(c.Description))
	c.Questions = tidyQuestions(c.Questions)
	requireText(&v, "title", c.Title, maxChecklistTitleLen)
	if c.Scale.Max() == 0 {
		v.Add("scale", "error.invalid_choice")
	}
	validQuestions(&v, "questions", c.Questions)
	limitText(&v, "description", c.Description, maxChecklistDescLen)
	return v.Err()
}

// Validate checks and tidies a result, whatever day it is.
func (r *ChecklistResult) Validate() error { return r.ValidateAsOf(time.Time{}) }

// ValidateAsOf checks and tidies a result filled in on today (a zero
// today skips the check that the day is not in the future).
func (r *ChecklistResult) ValidateAsOf(today time.Time) error {
	var v ValidationError
	r.Comment = strings.TrimSpace(CleanText(r.Comment))
	r.Date = Day(r.Date)
	if r.ChecklistID == 0 {
		v.Add("checklist", "error.invalid_choice")
	}
	if r.UnitID == 0 {
		v.Add("unit", "error.checklist_unit")
	}
	switch {
	case r.Date.IsZero():
		v.Add("date", "error.date_required")
	case r.Date.Before(earliestResult):
		v.Add("date", "error.checklist_date_early")
	case !today.IsZero() && r.Date.After(today):
		v.Add("date", "error.date_in_future")
	}
	if r.Scale.Max() == 0 {
		v.Add("answers", "error.invalid_choice")
	}
	validQuestions(&v, "answers", r.Questions)
	if len(r.Answers) != len(r.Questions) {
		v.Add("answers", "error.checklist_answers_count")
	}
	for _, a := range r.Answers {
		if a != NotAnswered && (a < 1 || a > r.Scale.Max()) {
			v.Add("answers", "error.checklist_answer_range")
		}
	}
	limitText(&v, "comment", r.Comment, maxChecklistCommentLen)
	return v.Err()
}

// Answered counts the questions that have an answer.
func (r *ChecklistResult) Answered() int {
	n := 0
	for _, a := range r.Answers {
		if a != NotAnswered {
			n++
		}
	}
	return n
}
