package store

import "testing"

// A cell holds the month's latest assessment (by date, then by the later
// note of one day) and counts every note of the month; notes about other
// units or outside the period are left out.
func TestBuildMatrix(t *testing.T) {
	unit := func(id uint64) []Subject { return []Subject{{Kind: SubjectUnit, ID: id}} }
	lines := []NoteLine{
		{ID: 1, Date: pday(2018, 2, 12), Assessment: AtRisk, Subjects: unit(1)},
		{ID: 2, Date: pday(2018, 2, 26), Assessment: OnTrack, Subjects: unit(1)},
		{ID: 4, Date: pday(2018, 3, 5), Assessment: OffTrack, Subjects: unit(1)},
		{ID: 3, Date: pday(2018, 3, 5), Assessment: AtRisk, Subjects: unit(1)}, // same day, written earlier
		{ID: 5, Date: pday(2018, 3, 9), Assessment: NotAssessed, Subjects: []Subject{{SubjectUnit, 2}, {SubjectMilestone, 1}}},
		{ID: 6, Date: pday(2018, 3, 9), Assessment: OnTrack, Subjects: unit(9)},                         // not a row
		{ID: 7, Date: pday(2018, 5, 1), Assessment: OnTrack, Subjects: unit(1)},                         // after the period
		{ID: 8, Date: pday(2018, 2, 1), Assessment: OffTrack, Subjects: []Subject{{SubjectProject, 1}}}, // not a unit
	}
	m := BuildMatrix(lines, []uint64{1, 2}, pday(2018, 2, 15), pday(2018, 4, 30))
	if len(m.Months) != 3 || !m.Months[0].Equal(pday(2018, 2, 1)) || !m.Months[2].Equal(pday(2018, 4, 1)) {
		t.Fatalf("months %v", m.Months)
	}
	for _, tc := range []struct {
		unit  uint64
		month int
		want  MatrixCell
	}{
		{1, 0, MatrixCell{Assessment: OnTrack, Notes: 2, Latest: 2}},
		{1, 1, MatrixCell{Assessment: OffTrack, Notes: 2, Latest: 4}},
		{1, 2, MatrixCell{}},
		{2, 1, MatrixCell{Assessment: NotAssessed, Notes: 1, Latest: 5}},
		{2, 0, MatrixCell{}},
	} {
		got := m.Cells[tc.unit][tc.month]
		if got.Assessment != tc.want.Assessment || got.Notes != tc.want.Notes || got.Latest != tc.want.Latest {
			t.Errorf("unit %d, month %d: %+v, want %+v", tc.unit, tc.month, got, tc.want)
		}
	}
	if long := BuildMatrix(nil, nil, pday(2010, 1, 1), pday(2018, 12, 31)); len(long.Months) != MaxMatrixMonths || !long.Months[0].Equal(pday(2016, 1, 1)) {
		t.Fatalf("a long period: %d months from %s", len(long.Months), long.Months[0])
	}
}
