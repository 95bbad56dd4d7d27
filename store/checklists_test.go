package store

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestChecklistValidation(t *testing.T) {
	good := func() Checklist {
		return Checklist{Title: "  Wdrożenie struktury ", Scale: ScaleFive,
			Questions: []string{"  Zakres zadań\tznany ", "", "Procedury\nstosowane", "   "}}
	}
	c := good()
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Title != "Wdrożenie struktury" || len(c.Questions) != 2 || c.Questions[0] != "Zakres zadań znany" || c.Questions[1] != "Procedury stosowane" {
		t.Fatalf("tidied to %q %q", c.Title, c.Questions)
	}
	many := make([]string, MaxChecklistQuestions+1)
	for i := range many {
		many[i] = "Pytanie"
	}
	for _, tc := range []struct {
		name, field string
		change      func(*Checklist)
	}{
		{"no title", "title", func(c *Checklist) { c.Title = " " }},
		{"a title too long", "title", func(c *Checklist) { c.Title = strings.Repeat("a", maxChecklistTitleLen+1) }},
		{"no scale", "scale", func(c *Checklist) { c.Scale = "" }},
		{"an unknown scale", "scale", func(c *Checklist) { c.Scale = "ten" }},
		{"no questions", "questions", func(c *Checklist) { c.Questions = nil }},
		{"only blank lines", "questions", func(c *Checklist) { c.Questions = []string{" ", "\n"} }},
		{"too many questions", "questions", func(c *Checklist) { c.Questions = many }},
		{"a question too long", "questions", func(c *Checklist) { c.Questions = []string{strings.Repeat("ą", maxChecklistQuestion+1)} }},
		{"a description too long", "description", func(c *Checklist) { c.Description = strings.Repeat("a", maxChecklistDescLen+1) }},
	} {
		c := good()
		tc.change(&c)
		var v *ValidationError
		if err := c.Validate(); !errors.As(err, &v) || v.Fields[tc.field] == "" {
			t.Errorf("%s: %v, want a problem with %s", tc.name, err, tc.field)
		}
	}
	c = good()
	c.Questions = many[:MaxChecklistQuestions]
	if err := c.Validate(); err != nil {
		t.Errorf("%d questions: %v", MaxChecklistQuestions, err)
	}
}

func TestChecklistResultValidation(t *testing.T) {
	today := pday(2018, 11, 30)
	good := func() ChecklistResult {
		return ChecklistResult{ChecklistID: 1, UnitID: 2, Date: pday(2018, 11, 20), Scale: ScaleYesPartlyNo,
			Questions: []string{"A", "B", "C"}, Answers: []int{3, NotAnswered, 1}, Comment: " uwagi "}
	}
	r := good()
	if err := r.ValidateAsOf(today); err != nil || r.Comment != "uwagi" || r.Answered() != 2 {
		t.Fatalf("%v, %q, %d answered", err, r.Comment, r.Answered())
	}
	for _, tc := range []struct {
		name, field string
		change      func(*ChecklistResult)
	}{
		{"no unit", "unit", func(r *ChecklistResult) { r.UnitID = 0 }},
		{"no checklist", "checklist", func(r *ChecklistResult) { r.ChecklistID = 0 }},
		{"no date", "date", func(r *ChecklistResult) { r.Date = time.Time{} }},
		{"tomorrow", "date", func(r *ChecklistResult) { r.Date = today.AddDate(0, 0, 1) }},
		{"before 1970", "date", func(r *ChecklistResult) { r.Date = pday(1960, 1, 1) }},
		{"fewer answers than questions", "answers", func(r *ChecklistResult) { r.Answers = r.Answers[:2] }},
		{"more answers than questions", "answers", func(r *ChecklistResult) { r.Answers = append(r.Answers, 1) }},
		{"an answer above the scale", "answers", func(r *ChecklistResult) { r.Answers[0] = 4 }},
		{"a negative answer", "answers", func(r *ChecklistResult) { r.Answers[1] = -1 }},
		{"5 on the five-point scale, read as yes/partly/no", "answers", func(r *ChecklistResult) { r.Answers[2] = 5 }},
		{"no scale", "answers", func(r *ChecklistResult) { r.Scale = "" }},
		{"no questions", "answers", func(r *ChecklistResult) { r.Questions, r.Answers = nil, nil }},
		{"a comment too long", "comment", func(r *ChecklistResult) { r.Comment = strings.Repeat("a", maxChecklistCommentLen+1) }},
	} {
		r := good()
		tc.change(&r)
		var v *ValidationError
		if err := r.ValidateAsOf(today); !errors.As(err, &v) || v.Fields[tc.field] == "" {
			t.Errorf("%s: %v, want a problem with %s", tc.name, err, tc.field)
		}
	}
	r = good()
	r.Date = today
	if err := r.ValidateAsOf(today); err != nil {
		t.Errorf("today itself: %v", err)
	}
	r = good()
	r.Scale, r.Answers = ScaleFive, []int{5, 4, 1}
	if err := r.ValidateAsOf(today); err != nil {
		t.Errorf("the five-point scale: %v", err)
	}
}

func TestScaleStanding(t *testing.T) {
	for _, tc := range []struct {
		scale  ScaleKind
		answer int
		want   Assessment
	}{
		{ScaleFive, 5, OnTrack}, {ScaleFive, 4, OnTrack}, {ScaleFive, 3, AtRisk}, {ScaleFive, 2, OffTrack}, {ScaleFive, 1, OffTrack},
		{ScaleFive, NotAnswered, NotAssessed}, {ScaleFive, 6, NotAssessed},
		{ScaleYesPartlyNo, 3, OnTrack}, {ScaleYesPartlyNo, 2, AtRisk}, {ScaleYesPartlyNo, 1, OffTrack}, {ScaleYesPartlyNo, 4, NotAssessed},
	} {
		if got := tc.scale.Standing(tc.answer); got != tc.want {
			t.Errorf("%s %d: %s, want %s", tc.scale, tc.answer, got, tc.want)
		}
	}
	if p := ScaleYesPartlyNo.Points(); len(p) != 3 || p[0] != 1 || p[2] != 3 {
		t.Errorf("points %v", p)
	}
}

// checklistFixture is a store on 1 December 2018 with two teams and a
// checklist of three questions.
func checklistFixture(t *testing.T) (*Store, *clock, [2]uint64, *Checklist) {
	t.Helper()
	s, clk, _ := openTest(t)
	clk.t = time.Date(2018, 12, 1, 9, 0, 0, 0, time.UTC)
	var teams [2]uint64
	for i, name := range []string{"Zespół ds. Pracy Socjalnej", "Zespół ds. Usług"} {
		u, err := s.SaveUnitState(System, 0, 0, UnitState{From: pday(2017, 9, 1), Name: name, Kind: KindTeam})
		if err != nil {
			t.Fatal(err)
		}
		teams[i] = u.ID
	}
	c, err := s.SaveChecklist(System, 0, Checklist{Title: "Wdrożenie", Scale: ScaleFive, Questions: []string{"A", "B", "C"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s, clk, teams, c
}

func TestFillingAChecklistKeepsItsQuestionsAndIsIndexedByUnit(t *testing.T) {
	s, _, teams, c := checklistFixture(t)
	fill := func(unit uint64, day time.Time, answers ...int) *ChecklistResult {
		t.Helper()
		r, err := s.FillChecklist(System, c.Version, ChecklistResult{ChecklistID: c.ID, UnitID: unit, Date: day, Answers: answers})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// Filled in out of date order: the index orders them by day.
	nov := fill(teams[0], pday(2018, 11, 20), 4, 4, 5)
	mar := fill(teams[0], pday(2018, 3, 15), 2, 3, NotAnswered)
	other := fill(teams[1], pday(2018, 6, 1), 1, 1, 1)
	list, err := s.ResultsOfUnit(teams[0])
	if err != nil || len(list) != 2 || list[0].ID != mar.ID || list[1].ID != nov.ID {
		t.Fatalf("results of the team: %v %+v", err, list)
	}
	if list, _ := s.ResultsOfUnit(teams[1]); len(list) != 1 || list[0].ID != other.ID {
		t.Fatalf("results of the other team: %+v", list)
	}
	if list, _ := s.ResultsOfUnit(999); len(list) != 0 {
		t.Fatalf("results of no unit: %+v", list)
	}
	// Newest first by checklist, paged, and for a head only their unit's.
	page, total, err := s.ResultsOfChecklist(c.ID, 1, 1, nil)
	if err != nil || total != 3 || len(page) != 1 || page[0].ID != other.ID {
		t.Fatalf("second of the checklist's results: %v %d %+v", err, total, page)
	}
	mine, total, _ := s.ResultsOfChecklist(c.ID, 0, 10, func(unit uint64) bool { return unit == teams[1] })
	if total != 1 || mine[0].ID != other.ID {
		t.Fatalf("one unit's results: %d %+v", total, mine)
	}
	if counts, _ := s.ChecklistResultCounts(); counts[c.ID] != 3 {
		t.Fatalf("counts %v", counts)
	}
	if counts, _ := s.ChecklistsOfUnits(map[uint64]bool{teams[1]: true}); counts[c.ID] != 1 || len(counts) != 1 {
		t.Fatalf("checklists of a unit: %v", counts)
	}
	// An edit of the checklist leaves the results as they were answered.
	edited, err := s.SaveChecklist(System, c.ID, Checklist{Title: "Wdrożenie", Scale: ScaleFive, Questions: []string{"A2", "D"}}, c.Version)
	if err != nil {
		t.Fatal(err)
	}
	if r, _ := s.ChecklistResult(mar.ID); len(r.Questions) != 3 || r.Questions[0] != "A" || r.By != "system" {
		t.Fatalf("the old result after the edit: %+v", r)
	}
	// A form showing the old questions is a conflict, not answers to others.
	var conflict *ConflictError
	if _, err := s.FillChecklist(System, c.Version, ChecklistResult{ChecklistID: c.ID, UnitID: teams[0], Date: pday(2018, 11, 30),
		Answers: []int{1, 1, 1}}); !errors.As(err, &conflict) {
		t.Fatalf("fill at an old version: %v", err)
	}
	if _, err := s.SaveChecklist(System, c.ID, *c, c.Version); !errors.As(err, &conflict) {
		t.Fatalf("edit at an old version: %v", err)
	}
	// A used checklist stays; its result goes, and then it may go too.
	if err := s.DeleteChecklist(System, c.ID, edited.Version); ErrorCode(err) != EConflict {
		t.Fatalf("delete a used checklist: %v", err)
	}
	for _, r := range []*ChecklistResult{nov, mar, other} {
		if err := s.DeleteChecklistResult(System, r.ID, r.Version); err != nil {
			t.Fatal(err)
		}
	}
	if list, _ := s.ResultsOfUnit(teams[0]); len(list) != 0 {
		t.Fatalf("results after deletion: %+v", list)
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %q", err, problems)
	}
	if err := s.DeleteChecklist(System, c.ID, edited.Version); err != nil {
		t.Fatalf("delete an unused checklist: %v", err)
	}
}

func TestFillingRefusesWhatCannotBe(t *testing.T) {
	s, _, teams, c := checklistFixture(t)
	for _, tc := range []struct {
		name, field string
		r           ChecklistResult
	}{
		{"a day in the future", "date", ChecklistResult{UnitID: teams[0], Date: pday(2018, 12, 2), Answers: []int{1, 2, 3}}},
		{"before the team was formed", "unit", ChecklistResult{UnitID: teams[0], Date: pday(2017, 8, 31), Answers: []int{1, 2, 3}}},
		{"no such unit", "unit", ChecklistResult{UnitID: 999, Date: pday(2018, 3, 1), Answers: []int{1, 2, 3}}},
		{"an answer out of scale", "answers", ChecklistResult{UnitID: teams[0], Date: pday(2018, 3, 1), Answers: []int{1, 6, 3}}},
		{"answers missing", "answers", ChecklistResult{UnitID: teams[0], Date: pday(2018, 3, 1), Answers: []int{1}}},
	} {
		tc.r.ChecklistID = c.ID
		var v *ValidationError
		if _, err := s.FillChecklist(System, 0, tc.r); !errors.As(err, &v) || v.Fields[tc.field] == "" {
			t.Errorf("%s: %v, want a problem with %s", tc.name, err, tc.field)
		}
	}
	if _, err := s.FillChecklist(System, 0, ChecklistResult{ChecklistID: 77, UnitID: teams[0], Date: pday(2018, 3, 1)}); ErrorCode(err) != ENotFound {
		t.Errorf("no such checklist: %v", err)
	}
	if counts, _ := s.ChecklistResultCounts(); len(counts) != 0 {
		t.Errorf("refused results were counted: %v", counts)
	}
}

// A unit's page reads at most the newest UnitResultsPerChecklist results
// of each checklist, however many there are.
func TestResultsOfUnitAreBounded(t *testing.T) {
	s, _, teams, c := checklistFixture(t)
	other, err := s.SaveChecklist(System, 0, Checklist{Title: "Zgodność", Scale: ScaleYesPartlyNo, Questions: []string{"X"}}, 0)
	if err != nil {
		t.Fatal(err)
	}
	first := pday(2018, 1, 1)
	for i := range UnitResultsPerChecklist + 5 {
		if _, err := s.FillChecklist(System, 0, ChecklistResult{ChecklistID: c.ID, UnitID: teams[0], Date: first.AddDate(0, 0, i), Answers: []int{1, 2, 3}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.FillChecklist(System, 0, ChecklistResult{ChecklistID: other.ID, UnitID: teams[0], Date: first, Answers: []int{3}}); err != nil {
		t.Fatal(err)
	}
	list, err := s.ResultsOfUnit(teams[0])
	if err != nil || len(list) != UnitResultsPerChecklist+1 {
		t.Fatalf("%v: %d results", err, len(list))
	}
	if list[0].Date != first || list[0].ChecklistID != other.ID || list[1].Date != first.AddDate(0, 0, 5) || list[len(list)-1].Date != first.AddDate(0, 0, UnitResultsPerChecklist+4) {
		t.Fatalf("first %s (%d), second %s, last %s", list[0].Date, list[0].ChecklistID, list[1].Date, list[len(list)-1].Date)
	}
}
