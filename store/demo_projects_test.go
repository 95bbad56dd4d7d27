package store

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// demoStoreOn is a store with the demo centre seeded on the given day.
func demoStoreOn(t *testing.T, today time.Time) *Store {
	t.Helper()
	clk := &clock{t: today.Add(9 * time.Hour)}
	s, err := Open(filepath.Join(t.TempDir(), "demo.db"), Options{Now: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if seeded, err := s.SeedDemo(t.Context(), NewHasher(testParams, 16<<20)); err != nil || !seeded {
		t.Fatalf("seed: %v %v", seeded, err)
	}
	return s
}

// demoProjectNamed is the demo project whose name contains words.
func demoProjectNamed(t *testing.T, o *Org, words string) *Project {
	t.Helper()
	for i := range o.Projects {
		if strings.Contains(o.Projects[i].Name, words) {
			return &o.Projects[i]
		}
	}
	t.Fatalf("no demo project %q", words)
	return nil
}

// samePeriod compares two periods by their days.
func samePeriod(a, b Period) bool { return a.From.Equal(b.From) && a.To.Equal(b.To) }

func TestDemoEUProjectFollowsTheSeed(t *testing.T) {
	s := demoStoreOn(t, day("2026-11-30"))
	o, err := s.Org()
	if err != nil {
		t.Fatal(err)
	}
	p := demoProjectNamed(t, o, "Nowy Model – Lepsza Jakość")
	if p.Kind != KindEUProject || p.Status != ProjectFinished || !p.From.Equal(day("2017-03-01")) || !p.To.Equal(day("2019-02-28")) {
		t.Fatalf("project %s %s %s–%s", p.Kind, p.Status, p.From, p.To)
	}
	if !strings.Contains(p.Programme, "działanie 2.5 Skuteczna pomoc społeczna") || p.MainGoal == "" || len(p.Goals) < 2 {
		t.Fatalf("programme or goals missing: %q %q %d", p.Programme, p.MainGoal, len(p.Goals))
	}
	want := []FundingSource{{"Środki europejskie (EFS)", 30037181}, {"Dotacja celowa z budżetu państwa", 5602569}}
	if p.Total != 35639750 || !slices.Equal(p.Sources, want) || p.BudgetGap() != 0 {
		t.Fatalf("budget %d %+v", p.Total, p.Sources)
	}
	if got := p.SourceShares(); !slices.Equal(got, []int64{8428, 1572}) {
		t.Fatalf("shares %v", got)
	}
	refs := map[string]time.Time{}
	for _, r := range p.References {
		refs[strings.Fields(r.Name)[0]] = r.Date
	}
	if !refs["Uchwała"].Equal(day("2017-03-29")) || !refs["Umowa"].Equal(day("2017-05-12")) {
		t.Fatalf("references %+v", p.References)
	}
	if u := o.UnitByID[p.UnitID]; u == nil || u.Current().Name != "Zespół ds. Analiz i Programów" {
		t.Fatalf("responsible unit %d", p.UnitID)
	}
	if c := o.PersonByID[p.CoordinatorID]; c == nil || c.FullName() != "Katarzyna Koordynacka" {
		t.Fatalf("coordinator %d", p.CoordinatorID)
	}

	// Every dated step of the seed, as planned (phases with their ends).
	type step struct{ from, to, words string }
	steps := []step{
		{"2017-03-01", "", "Rozpoczęcie realizacji"},
		{"2017-03-20", "", "Powołanie Zespołu"},
		{"2017-04-01", "2017-11-30", "Praca Zespołu"},
		{"2017-03-29", "", "uchwałą Rady Miejskiej"},
		{"2017-05-12", "", "umowy o dofinansowanie"},
		{"2017-07-31", "", "Regulaminu Organizacyjnego"},
		{"2017-09-01", "", "nowej struktury"},
		{"2017-11-30", "", "Przekazanie dokumentów"},
		{"2017-11-29", "", "26 szkoleń"},
		{"2017-11-30", "", "156 godzin lekcyjnych superwizji"},
		{"2018-01-01", "2019-02-28", "Superwizja"},
		{"2018-01-15", "", "specjalistą ds. monitoringu"},
		{"2018-01-15", "2018-12-31", "Monitoring"},
		{"2019-02-28", "", "Zakończenie realizacji"},
	}
	ms := o.MilestonesOf(p.ID)
	for _, st := range steps {
		found := false
		for _, m := range ms {
			if strings.Contains(m.Title, st.words) && m.Planned.From.Equal(day(st.from)) && (st.to == "" && m.Planned.To.IsZero() || st.to != "" && m.Planned.To.Equal(day(st.to))) {
				found = true
			}
		}
		if !found {
			t.Errorf("no milestone %q on %s–%s", st.words, st.from, st.to)
		}
	}
	replanned := 0
	for _, m := range ms {
		if err := m.Validate(); err != nil {
			t.Errorf("milestone %q: %v", m.Title, err)
		}
		if m.Status != MilestoneDone || m.Actual.IsZero() || m.Actual.Before(p.From) || m.Actual.After(p.To) {
			t.Errorf("milestone %q: %s on %s", m.Title, m.Status, m.Actual)
		}
		if m.Replanned() {
			replanned++
			if len(m.Replans) != 1 || m.Replans[0].Reason == "" || !samePeriod(m.Replans[0].Old, m.Baseline) || !samePeriod(m.Replans[0].New, m.Planned) || m.Baseline.From.Equal(m.Planned.From) {
				t.Errorf("milestone %q: replans %+v, baseline %v", m.Title, m.Replans, m.Baseline)
			}
		}
		if strings.HasPrefix(m.Title, "Przekazanie dokumentów") {
			if !slices.Equal(m.Deliverables, []string{"Nowy Regulamin Organizacyjny MOPS w Tarnowskich Górach", "Lokalna Polityka Świadczeń",
				"Procedura Administracyjna Udzielania Pomocy"}) || !m.Baseline.From.Equal(day("2017-10-31")) {
				t.Errorf("documents milestone: %q, baseline %s", m.Deliverables, m.Baseline.From)
			}
		}
	}
	if replanned == 0 {
		t.Error("no milestone was re-planned")
	}

	type target struct {
		unit   IndicatorUnit
		target int64
		from   string
	}
	targets := map[string]target{
		"Liczba pracowników objętych szkoleniami":                                {UnitPersons, 60, "2017-12-01"},
		"Liczba godzin szkoleniowych":                                            {UnitClockHours, 156, "2017-12-01"},
		"Liczba pracowników socjalnych i asystentów rodziny objętych superwizją": {UnitPersons, 30, "2018-01-01"},
		"Liczba godzin superwizji pracy socjalnej":                               {UnitLessonHours, 156, "2018-01-01"},
	}
	inds := o.IndicatorsOf(p.ID)
	if len(inds) != len(targets) {
		t.Fatalf("%d indicators", len(inds))
	}
	for _, ind := range inds {
		want, ok := targets[ind.Name]
		if !ok || ind.Unit != want.unit || ind.Target != want.target || !ind.From.Equal(day(want.from)) || !ind.To.Equal(day("2019-02-28")) {
			t.Errorf("indicator %q: %s %d %s–%s", ind.Name, ind.Unit, ind.Target, ind.From, ind.To)
		}
		if ind.Actual() != ind.Target || len(ind.Measurements) < 3 {
			t.Errorf("indicator %q ends at %d of %d after %d readings", ind.Name, ind.Actual(), ind.Target, len(ind.Measurements))
		}
		for i, m := range ind.Measurements {
			if m.Date.Before(ind.From) || m.Date.After(ind.To) || i > 0 && m.Value < ind.Measurements[i-1].Value {
				t.Errorf("indicator %q: reading %+v", ind.Name, m)
			}
		}
	}
}

func TestDemoProjectsLiveAroundToday(t *testing.T) {
	today := day("2026-11-30")
	s := demoStoreOn(t, today)
	o, err := s.Org()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range slices.Backward(o.Projects) {
		names = append(names, p.Name)
	}
	statuses := map[string]ProjectStatus{
		"Nowy Model – Lepsza Jakość": ProjectFinished,
		"terytorium Ukrainy":         ProjectFinished,
		"Asystent osobisty osoby z niepełnosprawnością” dla Jednostek Samorządu Terytorialnego – edycja 2023": ProjectSettled,
		"– edycja 2024":                        ProjectFinished,
		"Punkt pośrednictwa sprzętu używanego": ProjectRunning,
		"Wakacje z MOPS-em 2027":               ProjectPlanned,
		"Mikołajki 2026":                       ProjectRunning,
	}
	for words, want := range statuses {
		if p := demoProjectNamed(t, o, words); p.Status != want {
			t.Errorf("%s: %s, want %s", p.Name, p.Status, want)
		}
	}
	// The settled edition carries the funder's acceptance and the retention
	// its agreement sets; the others have no settlement day.
	settled := demoProjectNamed(t, o, "edycja 2023")
	if !settled.SettledOn.Equal(day("2024-03-29")) || !settled.RetainUntil.Equal(day("2029-12-31")) {
		t.Errorf("%s: settled on %s, kept until %s", settled.Name, settled.SettledOn, settled.RetainUntil)
	}
	for i := range o.Projects {
		p := &o.Projects[i]
		if err := p.ValidateOn(today); err != nil {
			t.Errorf("%s: %v", p.Name, err)
		}
		if !p.Frozen() && !p.SettledOn.IsZero() {
			t.Errorf("%s: %s, settled on %s", p.Name, p.Status, p.SettledOn)
		}
		if p.Closed() {
			for _, m := range o.MilestonesOf(p.ID) {
				if m.Open() {
					t.Errorf("%s: milestone %q open in a closed project", p.Name, m.Title)
				}
			}
		}
	}
	if len(o.Projects) != 7 {
		t.Fatalf("projects %q", names)
	}

	a := o.NeedsAttention(today)
	has := func(list []Due, words string, due time.Time) bool {
		for _, d := range list {
			if strings.Contains(d.Title, words) && d.Planned.End().Equal(due) {
				return true
			}
		}
		return false
	}
	if !has(a.Late, "Przegląd magazynu", today.AddDate(0, 0, -5)) {
		t.Errorf("late: %+v", a.Late)
	}
	if !has(a.Soon, "zbiórka mebli", today.AddDate(0, 0, 10)) {
		t.Errorf("due soon: %+v", a.Soon)
	}
	if len(a.Behind) == 0 || a.Behind[0].Indicator.Name != "Liczba sprzętów przekazanych rodzinom" {
		t.Errorf("behind: %+v", a.Behind)
	}
	for _, d := range a.Late {
		if d.Title == "Przegląd magazynu i wycofanie zużytego sprzętu" && (len(d.Replans) != 1 || !d.Baseline.From.Equal(today.AddDate(0, 0, -20))) {
			t.Errorf("the late milestone's history: %+v", d.Replans)
		}
	}

	// Writes were audited as the rest of the demo, by the system.
	page, err := s.Audit(AuditFilter{Entity: kindMilestone.entity, Action: ActionReplan, Actor: System.Login})
	if err != nil || len(page.Entries) != 3 {
		t.Fatalf("audit of re-plannings: %d %v", len(page.Entries), err)
	}

	// A second seeding changes nothing.
	n := s.count(bucketProjects)
	if seeded, err := s.SeedDemo(t.Context(), NewHasher(testParams, 16<<20)); seeded || err != nil {
		t.Fatalf("second seed: %v %v", seeded, err)
	}
	if err := s.seedDemoProjects(); err != nil || s.count(bucketProjects) != n {
		t.Fatalf("projects seeded again: %v, %d then %d", err, n, s.count(bucketProjects))
	}
}

// The demo seeds on any day: the programmes and events follow the clock,
// and readings or re-plannings after it are left out.
func TestDemoProjectsSeedOnAnyDay(t *testing.T) {
	for _, d := range []string{"2018-03-01", "2024-02-29", "2026-01-01", "2026-06-14", "2026-06-15", "2026-12-06", "2026-12-07", "2030-12-31"} {
		t.Run(d, func(t *testing.T) {
			today := day(d)
			s := demoStoreOn(t, today)
			o, err := s.Org()
			if err != nil {
				t.Fatal(err)
			}
			if len(o.Projects) != 7 {
				t.Fatalf("%d projects", len(o.Projects))
			}
			for _, ind := range o.indicators {
				for _, m := range ind.Measurements {
					if m.Date.After(today) {
						t.Errorf("%q: reading of %s", ind.Name, m.Date)
					}
				}
			}
			for _, m := range o.milestones {
				if m.Status == MilestoneDone && m.Actual.After(today) {
					t.Errorf("%q done on %s", m.Title, m.Actual)
				}
			}
			a := o.NeedsAttention(today)
			if len(a.Late) == 0 || len(a.Soon) == 0 || len(a.Behind) == 0 {
				t.Errorf("nothing to look at: %d late, %d soon, %d behind", len(a.Late), len(a.Soon), len(a.Behind))
			}
		})
	}
}
