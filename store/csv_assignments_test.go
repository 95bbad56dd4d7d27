package store

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

// The assignments file: one row per assignment of every person, history
// included, latest first; each unit named as it was on the assignment's
// last day (today's name for one that lasts); Polish letters as typed; and
// no cell a spreadsheet would run as a formula.
func TestAssignmentsCSV(t *testing.T) {
	units := []Unit{
		{Meta: Meta{ID: 1}, States: []UnitState{{From: day("2010-01-01"), Name: "Dział Świadczeń", Kind: KindDepartment}}},
		{Meta: Meta{ID: 2}, States: []UnitState{
			{From: day("2010-01-01"), Name: "Sekcja Świadczeń Rodzinnych", Kind: KindSection, ParentID: 1},
			{From: day("2018-01-01"), Name: "Zespół ds. Świadczeń Rodzinnych", Kind: KindTeam, ParentID: 1},
		}},
		{Meta: Meta{ID: 3}, States: []UnitState{
			{From: day("2010-01-01"), Name: "Zespół Asystentów Rodziny", Kind: KindTeam, ParentID: 1},
			{From: day("2021-01-01"), Name: "Zespół Asystentów Rodzin", Kind: KindTeam, ParentID: 1},
		}},
	}
	cats := []JobCategory{{Meta: Meta{ID: 1}, Name: "pracownik socjalny", FieldWork: true}, {Meta: Meta{ID: 2}, Name: "asystent rodziny"}}
	lucja := Staff{Meta: Meta{ID: 7}, FirstName: "Łucja", LastName: "Żółwińska", EmployedFrom: day("2015-01-01"), Assignments: []Assignment{
		{ID: 1, UnitID: 2, Position: "pracownik socjalny", CategoryID: 1, FieldWork: true, Primary: true, From: day("2015-01-01"), To: day("2019-02-28")},
		{ID: 2, UnitID: 3, Position: "=HYPERLINK(\"http://x\")", CategoryID: 2, Primary: true, From: day("2019-03-01")},
		{ID: 3, UnitID: 2, Position: "-psycholog", From: day("2019-03-01"), To: day("2019-12-31")},
	}}
	odd := Staff{Meta: Meta{ID: 8}, FirstName: "+48 600", LastName: "@SUM(A1)", EmployedFrom: day("2012-01-01"), EmployedTo: day("2016-06-30"),
		Assignments: []Assignment{{ID: 1, UnitID: 2, Position: "+ kasjer", Primary: true, From: day("2012-01-01")}}}
	var buf bytes.Buffer
	if err := WriteAssignmentsCSV(&buf, testOrg(units, nil, []Staff{lucja, odd}, cats...)); err != nil {
		t.Fatal(err)
	}
	data := buf.String()
	if !strings.HasPrefix(data, "\ufeffperson_id;last_name;first_name;unit_id;unit;job_title;category;field_worker;primary;from;to\n") {
		t.Fatalf("header: %q", strings.SplitN(data, "\n", 2)[0])
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(data, "\ufeff")))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"person_id", "last_name", "first_name", "unit_id", "unit", "job_title", "category", "field_worker", "primary", "from", "to"},
		// Łucja's history, latest first: the second post ended with 2019
		// (the unit named as then), the main post lasts (the team's name
		// now), the first post ended before the section became a team.
		{"7", "Żółwińska", "Łucja", "2", "Zespół ds. Świadczeń Rodzinnych", "'-psycholog", "", "nie", "nie", "2019-03-01", "2019-12-31"},
		{"7", "Żółwińska", "Łucja", "3", "Zespół Asystentów Rodzin", "'=HYPERLINK(\"http://x\")", "asystent rodziny", "nie", "tak", "2019-03-01", ""},
		{"7", "Żółwińska", "Łucja", "2", "Zespół ds. Świadczeń Rodzinnych", "pracownik socjalny", "pracownik socjalny", "tak", "tak", "2015-01-01", "2019-02-28"},
		// Someone who left in 2016 from an open post: the unit as it was
		// called on their last day of work. Names are no formulas either.
		{"8", "'@SUM(A1)", "'+48 600", "2", "Sekcja Świadczeń Rodzinnych", "'+ kasjer", "", "nie", "tak", "2012-01-01", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(rows), len(want), data)
	}
	for i := range want {
		if strings.Join(rows[i], "|") != strings.Join(want[i], "|") {
			t.Errorf("row %d:\n got %q\nwant %q", i, rows[i], want[i])
		}
	}
}
