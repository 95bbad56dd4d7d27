package store

import (
	"context"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"
)

// genProjectsStore generates a centre of scale with seed on the gen
// command's clock and returns it with its figures.
func genProjectsStore(t *testing.T, seed uint64, scale int) (*Store, GenStats) {
	t.Helper()
	var tick atomic.Int64
	base := time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC)
	s, err := Open(filepath.Join(t.TempDir(), "gen.db"), Options{Now: func() time.Time {
		return base.Add(time.Duration(tick.Add(1)) * time.Millisecond)
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	stats, err := s.Generate(context.Background(), NewHasher(testParams, DefaultHashMemory), GenOptions{Scale: scale, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return s, stats
}

// genProjectNames are the generated projects' names in the order made.
func genProjectNames(t *testing.T, s *Store) []string {
	t.Helper()
	list, err := every[Project](s, kindProject)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range list {
		names = append(names, p.Name)
	}
	return names
}

func TestGeneratedProjectsAreRepeatable(t *testing.T) {
	a, sa := genProjectsStore(t, 7, 1)
	b, sb := genProjectsStore(t, 7, 1)
	if sa != sb {
		t.Fatalf("one seed, two outcomes: %+v against %+v", sa, sb)
	}
	na, nb := genProjectNames(t, a), genProjectNames(t, b)
	if !slices.Equal(na, nb) || len(na) != 5 {
		t.Fatalf("names %q against %q", na, nb)
	}
	c, _ := genProjectsStore(t, 8, 1)
	if slices.Equal(genProjectNames(t, c), na) {
		t.Fatal("another seed gave the same projects")
	}
}

func TestGeneratedProjectsScaleAndPassTheRules(t *testing.T) {
	const scale = 2
	s, stats := genProjectsStore(t, 3, scale)
	n := 5 * scale
	if stats.Projects != n || stats.Milestones < 8*n || stats.Milestones > 25*n || stats.Indicators < 2*n || stats.Indicators > 4*n ||
		stats.Replans == 0 || stats.Measurements == 0 || stats.AuditEntries < 5000*scale {
		t.Fatalf("scale %d made %+v", scale, stats)
	}
	o, err := s.Org()
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Projects) != stats.Projects || len(o.milestones) != stats.Milestones || len(o.indicators) != stats.Indicators {
		t.Fatalf("stored %d projects, %d milestones, %d indicators; counted %+v", len(o.Projects), len(o.milestones), len(o.indicators), stats)
	}
	today := s.Today()
	kinds, statuses := map[ProjectKind]int{}, map[ProjectStatus]int{}
	var gaps, late, phases, replanned, measured int
	for i := range o.Projects {
		p := o.Projects[i] // a copy: Validate tidies
		kinds[p.Kind]++
		statuses[p.Status]++
		if err := p.ValidateOn(today); err != nil {
			t.Errorf("project %d: %v", p.ID, err)
		}
		if p.Frozen() && (!p.SettledOn.After(p.To) || p.RetainUntil.Year() < p.SettledOn.Year()+5) {
			t.Errorf("project %d: ended %s, settled on %s, kept until %s", p.ID, p.To, p.SettledOn, p.RetainUntil)
		}
		if p.From.Year() < 2016 || p.To.Year() > 2027 || p.Total > 0 && (len(p.Sources) < 1 || len(p.Sources) > 3) {
			t.Errorf("project %d: %s–%s, %d sources", p.ID, p.From, p.To, len(p.Sources))
		}
		if o.UnitByID[p.UnitID] == nil || p.CoordinatorID != 0 && o.PersonByID[p.CoordinatorID] == nil {
			t.Errorf("project %d: unit %d, coordinator %d", p.ID, p.UnitID, p.CoordinatorID)
		}
		if p.BudgetGap() != 0 {
			gaps++
		}
		ms := o.MilestonesOf(p.ID)
		if len(ms) < 8 || len(ms) > 25 {
			t.Errorf("project %d: %d milestones", p.ID, len(ms))
		}
		for _, mp := range ms {
			m := *mp
			if err := m.Validate(); err != nil {
				t.Errorf("milestone %d: %v", m.ID, err)
			}
			switch {
			case p.Status == ProjectPlanned && m.Status != MilestonePlanned,
				p.Closed() && m.Open(),
				m.Status == MilestoneDone && m.Actual.After(today),
				m.Status == MilestonePlanned && !m.Planned.From.After(today):
				t.Errorf("project %d (%s): milestone %d %s, planned %s, done %s", p.ID, p.Status, m.ID, m.Status, m.Planned.From, m.Actual)
			}
			if m.Late(today) {
				late++
			}
			if m.Planned.Phase() {
				phases++
			}
			if m.Replanned() {
				replanned++
				if len(m.Replans) == 0 || !samePeriod(m.Replans[0].Old, m.Baseline) || !samePeriod(m.Replans[len(m.Replans)-1].New, m.Planned) || m.Replans[0].Reason == "" {
					t.Errorf("milestone %d: baseline %v, planned %v, replans %+v", m.ID, m.Baseline, m.Planned, m.Replans)
				}
			}
		}
		inds := o.IndicatorsOf(p.ID)
		if len(inds) < 2 || len(inds) > 4 {
			t.Errorf("project %d: %d indicators", p.ID, len(inds))
		}
		for _, ip := range inds {
			ind := *ip
			if err := ind.Validate(); err != nil {
				t.Errorf("indicator %d: %v", ind.ID, err)
			}
			if len(ind.Measurements) > 30 {
				t.Errorf("indicator %d: %d readings", ind.ID, len(ind.Measurements))
			}
			for k, r := range ind.Measurements {
				if r.Date.After(today) || k > 0 && (!r.Date.After(ind.Measurements[k-1].Date) || r.Value < ind.Measurements[k-1].Value) {
					t.Errorf("indicator %d: reading %d %+v", ind.ID, k, r)
				}
			}
			measured += len(ind.Measurements)
		}
	}
	if len(kinds) != len(ProjectKinds) || statuses[ProjectPlanned] == 0 || statuses[ProjectRunning] == 0 || statuses[ProjectFinished]+statuses[ProjectSettled] == 0 {
		t.Errorf("kinds %v, statuses %v", kinds, statuses)
	}
	if gaps == 0 || late == 0 || phases == 0 || replanned == 0 || measured != stats.Measurements {
		t.Errorf("%d budgets off, %d late, %d phases, %d re-planned, %d readings (%d counted)", gaps, late, phases, replanned, measured, stats.Measurements)
	}
}
