package store

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// A report of 1.03–30.06.2018 read on 15.07.2018: counts by category and
// assessment, each unit's latest assessment of the period, and the actions
// as they stood on 30.06 — one done on 20.06 is done, one done on 10.07
// was still open (and overdue) then.
func TestBuildReport(t *testing.T) {
	unit := func(ids ...uint64) []Subject {
		var out []Subject
		for _, id := range ids {
			out = append(out, Subject{Kind: SubjectUnit, ID: id})
		}
		return out
	}
	// newest first, as the index keeps them
	lines := []NoteLine{
		{ID: 9, Date: pday(2018, 7, 2), Category: CategoryChange, Assessment: OffTrack, Subjects: unit(1)}, // after the period
		{ID: 5, Date: pday(2018, 6, 20), Category: CategoryChange, Assessment: OnTrack, Subjects: unit(1, 2),
			Acts: []FollowUp{{N: 1, What: "later", UnitID: 1, Due: pday(2018, 8, 1)}}},
		{ID: 4, Date: pday(2018, 5, 10), Category: CategoryCompliance, Assessment: AtRisk, Subjects: unit(2),
			Acts: []FollowUp{{N: 1, What: "done late", UnitID: 2, Due: pday(2018, 6, 1), DoneOn: pday(2018, 7, 10)},
				{N: 2, What: "done in time", UnitID: 2, Due: pday(2018, 6, 25), DoneOn: pday(2018, 6, 20)}}},
		{ID: 3, Date: pday(2018, 4, 1), Category: CategoryChange, Assessment: OffTrack, Subjects: unit(1)},
		{ID: 7, Date: pday(2018, 3, 15), Category: CategoryTool, Assessment: NotAssessed, Subjects: unit(3)}, // hidden from the reader
		{ID: 2, Date: pday(2018, 3, 1), Category: CategoryGoal, Assessment: AtRisk, Subjects: []Subject{{Kind: SubjectProject, ID: 1}}},
		{ID: 1, Date: pday(2018, 2, 28), Category: CategoryChange, Assessment: OnTrack, Subjects: unit(1)}, // before the period
	}
	may := func(l *NoteLine) bool { return l.ID != 7 }
	r := BuildReport(lines, pday(2018, 3, 1), pday(2018, 6, 30), pday(2018, 7, 15), may)
	if !r.AsOf.Equal(pday(2018, 6, 30)) || r.Notes != 4 {
		t.Fatalf("as of %v, %d notes", r.AsOf, r.Notes)
	}
	count := func(c NoteCategory, a Assessment) int {
		for _, rc := range r.Counts {
			if rc.Category == c {
				for i, x := range Assessments {
					if x == a {
						return rc.By[i]
					}
				}
			}
		}
		return -1
	}
	if count(CategoryChange, OnTrack) != 1 || count(CategoryChange, OffTrack) != 1 || count(CategoryCompliance, AtRisk) != 1 ||
		count(CategoryGoal, AtRisk) != 1 || count(CategoryTool, NotAssessed) != 0 || r.Totals[1] != 2 {
		t.Fatalf("counts %+v totals %v", r.Counts, r.Totals)
	}
	if len(r.Units) != 2 || r.Units[0].UnitID != 1 || r.Units[0].Latest != OnTrack || r.Units[0].LatestNote != 5 ||
		len(r.Units[0].Notes) != 2 || r.Units[1].UnitID != 2 || r.Units[1].Latest != OnTrack || len(r.Units[1].Notes) != 2 {
		t.Fatalf("units %+v", r.Units)
	}
	if r.Open != 2 || r.Overdue != 1 || len(r.Actions) != 2 || r.Actions[0].What != "done late" || !r.Actions[0].Overdue ||
		r.Actions[1].What != "later" || r.Actions[1].Overdue {
		t.Fatalf("actions %d open, %d overdue: %+v", r.Open, r.Overdue, r.Actions)
	}

	// A period that has not ended is read as of today.
	if r := BuildReport(lines, pday(2018, 6, 1), pday(2018, 12, 31), pday(2018, 7, 15), nil); !r.AsOf.Equal(pday(2018, 7, 15)) || r.Open != 1 {
		t.Fatalf("an open period: as of %v, %d open", r.AsOf, r.Open)
	}

	// The actions file: every action of the period as of its end.
	var b bytes.Buffer
	acts := PeriodActions(lines, r, may)
	if err := WriteActionsCSV(&b, acts, func(FollowUp) string { return "zespół" }); err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(strings.NewReader(strings.TrimPrefix(b.String(), csvBOM)))
	cr.Comma = ';'
	rows, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"later": "otwarte", "done late": "po terminie", "done in time": "wykonane"}
	if len(rows) != 4 {
		t.Fatalf("%d rows: %q", len(rows), rows)
	}
	for _, row := range rows[1:] {
		f := row
		if want[f[4]] != f[7] {
			t.Fatalf("%q: state %q, want %q", f[4], f[7], want[f[4]])
		}
		if f[4] == "done late" && f[8] != "" {
			t.Fatalf("done after the period, shown done: %q", row)
		}
	}
}

// The report's milestones and indicators stand as they did on its day.
func TestMilestonesAndIndicatorsAsOf(t *testing.T) {
	p := Project{Meta: Meta{ID: 1}, Name: "P", From: pday(2017, 3, 1), To: pday(2019, 2, 28)}
	done := &Milestone{Meta: Meta{ID: 1}, ProjectID: 1, Title: "done later", Planned: Period{From: pday(2018, 3, 1)},
		Status: MilestoneDone, Actual: pday(2018, 8, 1)}
	early := &Milestone{Meta: Meta{ID: 2}, ProjectID: 1, Title: "done before", Planned: Period{From: pday(2017, 5, 1)},
		Status: MilestoneDone, Actual: pday(2017, 5, 1)}
	future := &Milestone{Meta: Meta{ID: 3}, ProjectID: 1, Title: "future", Planned: Period{From: pday(2018, 12, 1)}, Status: MilestonePlanned}
	ind := &Indicator{Meta: Meta{ID: 1}, ProjectID: 1, Name: "hours", Target: 156,
		Measurements: []Measurement{{Date: pday(2018, 3, 31), Value: 40}, {Date: pday(2018, 9, 30), Value: 120}}}
	o := &Org{projects: projects{Projects: []Project{p}, milestonesOf: map[uint64][]*Milestone{1: {early, done, future}},
		indicatorsOf: map[uint64][]*Indicator{1: {ind}}}}
	ms, total := o.MilestonesInPeriod(pday(2018, 1, 1), pday(2018, 6, 30), pday(2018, 6, 30))
	if total != 1 || ms[0].ID != 1 || ms[0].State != MilestonePlanned || !ms[0].Late {
		t.Fatalf("%d milestones: %+v", total, ms)
	}
	inds, n := o.IndicatorsInPeriod(pday(2018, 1, 1), pday(2018, 6, 30), pday(2018, 6, 30))
	if n != 1 || inds[0].Actual() != 40 || len(ind.Measurements) != 2 {
		t.Fatalf("indicator as of 30.06: %d readings, actual %d", len(inds[0].Measurements), inds[0].Actual())
	}
}
