package store

import (
	"errors"
	"slices"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func pday(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestMilestoneLateAroundMidnightInWarsaw(t *testing.T) {
	cases := []struct {
		name string
		due  time.Time
		now  time.Time
		late bool
	}{
		// Winter (CET, UTC+1): 30.11 ends at 23:00 UTC.
		{"last minute of the due day", pday(2017, 11, 30), time.Date(2017, 11, 30, 22, 59, 59, 0, time.UTC), false},
		{"first minute after", pday(2017, 11, 30), time.Date(2017, 11, 30, 23, 0, 0, 0, time.UTC), true},
		// Summer (CEST, UTC+2): 31.07 ends at 22:00 UTC.
		{"summer: the due day's evening in UTC is already the next day", pday(2017, 7, 31), time.Date(2017, 7, 31, 22, 0, 0, 0, time.UTC), true},
		{"summer: last second", pday(2017, 7, 31), time.Date(2017, 7, 31, 21, 59, 59, 0, time.UTC), false},
		// The night of 25.03.2018 loses an hour: the day ends at 22:00 UTC.
		{"spring-forward day, last second", pday(2018, 3, 25), time.Date(2018, 3, 25, 21, 59, 59, 0, time.UTC), false},
		{"spring-forward day, over", pday(2018, 3, 25), time.Date(2018, 3, 25, 22, 0, 0, 0, time.UTC), true},
		// The night of 28.10.2018 gains one: the day ends at 23:00 UTC.
		{"fall-back day, last second", pday(2018, 10, 28), time.Date(2018, 10, 28, 22, 59, 59, 0, time.UTC), false},
		{"fall-back day, over", pday(2018, 10, 28), time.Date(2018, 10, 28, 23, 0, 0, 0, time.UTC), true},
		{"before the due day", pday(2018, 10, 28), time.Date(2018, 10, 1, 12, 0, 0, 0, time.UTC), false},
	}
	for _, c := range cases {
		m := Milestone{Planned: Period{From: c.due}, Status: MilestonePlanned}
		if got := m.Late(c.now); got != c.late {
			t.Errorf("%s: Late(%s) = %v, want %v", c.name, c.now, got, c.late)
		}
	}
	phase := Milestone{Planned: Period{From: pday(2017, 4, 1), To: pday(2017, 11, 30)}, Status: MilestoneInProgress}
	if phase.Late(pday(2017, 11, 30)) || !phase.Late(pday(2017, 12, 1)) {
		t.Error("a phase is late only after its last day")
	}
	for _, st := range []MilestoneStatus{MilestoneDone, MilestoneCancelled} {
		m := Milestone{Planned: Period{From: pday(2017, 1, 1)}, Status: st}
		if m.Late(pday(2020, 1, 1)) {
			t.Errorf("a %s milestone is never late", st)
		}
	}
}

func TestReplanKeepsTheBaselineAndEveryChange(t *testing.T) {
	m := Milestone{Title: "Dokumenty zespołu", Planned: Period{From: pday(2017, 10, 31)}, Status: MilestonePlanned}
	m.Baseline = m.Planned
	a := Actor{UserID: 7, Login: "koordynator"}
	if err := m.Replan(a, time.Now(), Period{From: pday(2017, 10, 31)}, "bez zmian"); err == nil {
		t.Error("a re-plan to the same date was accepted")
	}
	if err := m.Replan(a, time.Now(), Period{From: pday(2017, 11, 30)}, "  "); err == nil {
		t.Error("a re-plan without a reason was accepted")
	}
	at := time.Date(2017, 10, 20, 9, 0, 0, 0, time.UTC)
	if err := m.Replan(a, at, Period{From: pday(2017, 11, 30)}, "Konsultacje z zespołami trwają dłużej"); err != nil {
		t.Fatal(err)
	}
	if err := m.Replan(a, at.Add(24*time.Hour), Period{From: pday(2017, 11, 1), To: pday(2017, 11, 30)}, "Praca w dwóch etapach"); err != nil {
		t.Fatal(err)
	}
	if !m.Baseline.From.Equal(pday(2017, 10, 31)) || !m.Replanned() || len(m.Replans) != 2 {
		t.Fatalf("baseline %v, replans %d", m.Baseline, len(m.Replans))
	}
	r := m.Replans[1]
	if !r.Old.From.Equal(pday(2017, 11, 30)) || !r.New.To.Equal(pday(2017, 11, 30)) || r.Login != "koordynator" || r.Reason != "Praca w dwóch etapach" {
		t.Errorf("second re-plan recorded as %+v", r)
	}
}

func TestBudgetSharesAndGap(t *testing.T) {
	p := Project{Total: 35639750, Sources: []FundingSource{{"EFS", 30037181}, {"Dotacja celowa", 5602569}}}
	if p.BudgetGap() != 0 || !slices.Equal(p.SourceShares(), []int64{8428, 1572}) {
		t.Errorf("seed budget: gap %d shares %v", p.BudgetGap(), p.SourceShares())
	}
	// Three equal parts: rounded each would show 99,99 %; the split shows 100,00 %.
	thirds := Project{Total: 300, Sources: []FundingSource{{"a", 100}, {"b", 100}, {"c", 100}}}
	var sum int64
	for _, s := range thirds.SourceShares() {
		sum += s
	}
	if sum != 10000 {
		t.Errorf("thirds add up to %d hundredths", sum)
	}
	short := Project{Total: 100000, Sources: []FundingSource{{"a", 60000}}}
	if short.BudgetGap() != 40000 || short.SourceShares()[0] != 6000 {
		t.Errorf("short budget: gap %d, share %v", short.BudgetGap(), short.SourceShares())
	}
	// The largest possible budget does not overflow the sum.
	big := Project{Name: "x", Kind: KindEUProject, Status: ProjectRunning, From: pday(2020, 1, 1), Total: MaxAmount}
	for range MaxFundingSources {
		big.Sources = append(big.Sources, FundingSource{"źródło", MaxAmount})
	}
	if big.Funded() != MaxAmount*MaxFundingSources || big.BudgetGap() >= 0 {
		t.Errorf("funded %d gap %d", big.Funded(), big.BudgetGap())
	}
	if err := big.Validate(); err != nil {
		t.Errorf("a budget at the limits is refused: %v", err)
	}
	big.Sources = append(big.Sources, FundingSource{"one more", 1})
	if err := big.Validate(); !hasField(err, "sources") {
		t.Errorf("%d sources accepted: %v", len(big.Sources), err)
	}
}

func hasField(err error, field string) bool {
	var v *ValidationError
	return errors.As(err, &v) && v.Fields[field] != ""
}

func TestProjectValidationReportsEveryProblem(t *testing.T) {
	p := Project{Kind: "grant", Status: "open", To: pday(2017, 1, 1),
		Sources:    []FundingSource{{"", 100}, {"EFS", -5}},
		References: []Reference{{Date: pday(2017, 3, 29)}}}
	err := p.Validate()
	for _, f := range []string{"name", "kind", "status", "from", "source_name_0", "source_amount_1", "total", "ref_name_0"} {
		if !hasField(err, f) {
			t.Errorf("no message for %s: %v", f, err)
		}
	}
	ok := Project{Name: "Wakacje z MOPS-em", Kind: KindEvent, Status: ProjectPlanned, From: pday(2026, 7, 1), To: pday(2026, 6, 1)}
	if !hasField(ok.Validate(), "to") {
		t.Error("an end before the start was accepted")
	}
}

// A settled project carries the day the funder accepted its accounts and
// the day its documents are kept until; the retention may be known
// earlier, from the grant agreement.
func TestSettlementDates(t *testing.T) {
	from, to := pday(2017, 3, 1), pday(2019, 2, 28)
	today := pday(2026, 11, 30)
	cases := []struct {
		name           string
		status         ProjectStatus
		to             time.Time
		settled, until time.Time
		fields         []string // refused fields; none: accepted
	}{
		{"settled without dates", ProjectSettled, to, time.Time{}, time.Time{}, []string{"settled_on", "retain_until"}},
		{"settled without a retention date", ProjectSettled, to, pday(2019, 9, 30), time.Time{}, []string{"retain_until"}},
		{"settled without a settlement day", ProjectSettled, to, time.Time{}, pday(2029, 12, 31), []string{"settled_on"}},
		{"settled before the start", ProjectSettled, to, pday(2017, 2, 28), pday(2029, 12, 31), []string{"settled_on"}},
		{"retention before the settlement", ProjectSettled, time.Time{}, pday(2019, 9, 30), pday(2019, 9, 29), []string{"retain_until"}},
		{"retention before the end", ProjectFinished, to, time.Time{}, pday(2019, 2, 27), []string{"retain_until"}},
		{"retention before the start of an open-ended one", ProjectRunning, time.Time{}, time.Time{}, pday(2017, 2, 1), []string{"retain_until"}},
		{"a settlement day of a project not settled", ProjectFinished, to, pday(2019, 9, 30), pday(2029, 12, 31), []string{"settled_on"}},
		{"settled in the future", ProjectSettled, to, pday(2026, 12, 1), pday(2036, 12, 31), []string{"settled_on"}},
		{"settled", ProjectSettled, to, pday(2019, 9, 30), pday(2029, 12, 31), nil},
		{"settled on its last day, kept to the settlement day", ProjectSettled, to, to, to, nil},
		{"settled on its first day", ProjectSettled, time.Time{}, from, from, nil},
		{"settled today", ProjectSettled, to, today, pday(2031, 12, 31), nil},
		{"retention from the agreement, before the settlement", ProjectRunning, to, time.Time{}, pday(2029, 12, 31), nil},
		{"no dates while running", ProjectRunning, to, time.Time{}, time.Time{}, nil},
	}
	for _, c := range cases {
		p := Project{Name: "Nowy Model – Lepsza Jakość", Kind: KindEUProject, Status: c.status, From: from, To: c.to,
			SettledOn: c.settled, RetainUntil: c.until}
		err := p.ValidateOn(today)
		if c.fields == nil && err != nil {
			t.Errorf("%s: refused: %v", c.name, err)
		}
		for _, f := range c.fields {
			if !hasField(err, f) {
				t.Errorf("%s: no message for %s: %v", c.name, f, err)
			}
		}
		if v := (*ValidationError)(nil); errors.As(err, &v) && len(v.Fields) != len(c.fields) {
			t.Errorf("%s: refused %v, want only %v", c.name, v.Fields, c.fields)
		}
	}
}

func TestIndicatorForecast(t *testing.T) {
	from, to := pday(2018, 1, 1), pday(2019, 2, 28)
	ind := Indicator{Name: "Superwizja", Unit: UnitLessonHours, Target: 156}
	// No readings: behind once the plan expects something.
	f := ind.Forecast(from, to, pday(2018, 7, 1))
	if !f.Behind || !f.Date.IsZero() || f.Stalled {
		t.Errorf("no readings: %+v", f)
	}
	// 60 hours in the first 181 days: 156 would take 471 days, past the end.
	ind.Measurements = []Measurement{{Date: pday(2018, 3, 31), Value: 24}, {Date: pday(2018, 7, 1), Value: 60}}
	f = ind.Forecast(from, to, pday(2018, 7, 1))
	want := pday(2018, 7, 1).AddDate(0, 0, 290) // ceil(96·181/60) = 290
	if !f.Date.Equal(want) || !f.Misses || f.Actual != 60 {
		t.Errorf("slow pace: %+v, want date %s", f, want.Format("2006-01-02"))
	}
	if exp := int64(156 * 181 / 423); f.Expected != exp || !f.Behind {
		t.Errorf("expected %d by 1.07.2018, got %+v", exp, f)
	}
	// A faster pace reaches the target in time.
	ind.Measurements = append(ind.Measurements, Measurement{Date: pday(2018, 10, 1), Value: 120})
	f = ind.Forecast(from, to, pday(2018, 10, 1))
	if f.Misses || f.Date.After(to) || f.Date.IsZero() {
		t.Errorf("fast pace: %+v", f)
	}
	// Reached: no forecast needed.
	ind.Measurements = append(ind.Measurements, Measurement{Date: pday(2019, 2, 20), Value: 156})
	if f = ind.Forecast(from, to, pday(2019, 2, 21)); !f.Reached || f.Behind || f.Misses {
		t.Errorf("reached: %+v", f)
	}
	// Readings that show no progress: stalled, will miss.
	flat := Indicator{Target: 30, Baseline: 5, Measurements: []Measurement{{Date: pday(2018, 5, 1), Value: 5}}}
	if f = flat.Forecast(from, to, pday(2018, 5, 2)); !f.Stalled || !f.Misses {
		t.Errorf("flat: %+v", f)
	}
	if flat.Progress() != 0 || ind.Progress() != 10000 {
		t.Errorf("progress %d %d", flat.Progress(), ind.Progress())
	}
}

func TestMeasurementsAreBoundedAndOnePerDay(t *testing.T) {
	ind := Indicator{Name: "x", Unit: UnitPersons, Target: 60}
	today := pday(2018, 6, 1)
	if err := ind.Measure(Measurement{Date: pday(2018, 6, 2), Value: 1}, today); !hasField(err, "date") {
		t.Errorf("a reading in the future was accepted: %v", err)
	}
	if err := ind.Measure(Measurement{Date: pday(2018, 5, 1), Value: 10}, today); err != nil {
		t.Fatal(err)
	}
	if err := ind.Measure(Measurement{Date: pday(2018, 5, 1), Value: 11}, today); !hasField(err, "date") {
		t.Errorf("a second reading of a day was accepted: %v", err)
	}
	if err := ind.Measure(Measurement{Date: pday(2018, 4, 1), Value: 4}, today); err != nil || ind.Measurements[0].Value != 4 {
		t.Errorf("readings are not kept in date order: %v %+v", err, ind.Measurements)
	}
	for i := len(ind.Measurements); i < MaxMeasurements; i++ {
		ind.Measurements = append(ind.Measurements, Measurement{Date: pday(2000, 1, 1).AddDate(0, 0, i), Value: 1})
	}
	if err := ind.Measure(Measurement{Date: pday(2018, 5, 30), Value: 1}, today); !hasField(err, "value") {
		t.Errorf("reading %d accepted: %v", MaxMeasurements+1, err)
	}
}

func TestSettledProjectIsFrozenUntilReopened(t *testing.T) {
	s, clk, _ := openTest(t)
	a := Actor{UserID: 1, Login: "admin"}
	p := Project{Name: "Nowy Model – Lepsza Jakość", Kind: KindEUProject, Status: ProjectRunning, From: pday(2017, 3, 1), To: pday(2019, 2, 28)}
	if err := s.SaveProject(a, &p, 0); err != nil {
		t.Fatal(err)
	}
	m := Milestone{ProjectID: p.ID, Title: "Umowa o dofinansowanie", Planned: Period{From: pday(2017, 5, 12)}, Status: MilestonePlanned}
	if err := s.SaveMilestone(a, &m, 0); err != nil {
		t.Fatal(err)
	}
	if !m.Baseline.From.Equal(pday(2017, 5, 12)) {
		t.Fatalf("baseline not set on creation: %+v", m.Baseline)
	}
	// An edit cannot move the planned date: only a re-plan does.
	m.Planned = Period{From: pday(2017, 6, 1)}
	if err := s.SaveMilestone(a, &m, m.Version); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Milestone(m.ID); !got.Planned.From.Equal(pday(2017, 5, 12)) {
		t.Errorf("an edit moved the planned date to %s", got.Planned.From)
	}
	if err := s.ReplanMilestone(a, m.ID, m.Version, Period{From: pday(2017, 5, 19)}, "Podpis przesunięty przez instytucję"); err != nil {
		t.Fatal(err)
	}
	clk.Add(time.Date(2019, 10, 1, 9, 0, 0, 0, time.UTC).Sub(clk.Now())) // the funder accepted the accounts yesterday
	p.Status = ProjectSettled
	p.SettledOn, p.RetainUntil = pday(2019, 9, 30), pday(2029, 12, 31)
	if err := s.SaveProject(a, &p, p.Version); err != nil {
		t.Fatal(err)
	}
	p.Name = "zmiana"
	if err := s.SaveProject(a, &p, p.Version); ErrorCode(err) != EConflict {
		t.Errorf("a settled project was changed: %v", err)
	}
	got, _ := s.Milestone(m.ID)
	if err := s.ReplanMilestone(a, m.ID, got.Version, Period{From: pday(2017, 6, 1)}, "x"); ErrorCode(err) != EConflict {
		t.Errorf("a settled project's milestone was re-planned: %v", err)
	}
	if err := s.DeleteMilestone(a, m.ID, got.Version); ErrorCode(err) != EConflict {
		t.Errorf("a settled project's milestone was deleted: %v", err)
	}
	if err := s.DeleteProject(a, p.ID, p.Version); ErrorCode(err) != EConflict {
		t.Errorf("a settled project was deleted: %v", err)
	}
	if err := s.ReopenProject(a, p.ID, p.Version, " "); err == nil {
		t.Error("reopened without a reason")
	}
	if err := s.ReopenProject(a, p.ID, p.Version, "Korekta wniosku o płatność końcową"); err != nil {
		t.Fatal(err)
	}
	back, _ := s.Project(p.ID)
	if back.Status != ProjectFinished || len(back.Reopenings) != 1 || back.Reopenings[0].Login != "admin" {
		t.Errorf("after reopening: %s %+v", back.Status, back.Reopenings)
	}
	// The acceptance is undone, the retention stays: the reopening and the
	// audit log keep when it was settled.
	if !back.SettledOn.IsZero() || !back.RetainUntil.Equal(pday(2029, 12, 31)) {
		t.Errorf("after reopening: settled on %s, kept until %s", back.SettledOn, back.RetainUntil)
	}
	if page, _ := s.Audit(AuditFilter{Entity: "project", Action: ActionReopen}); len(page.Entries) != 1 ||
		!slices.ContainsFunc(page.Entries[0].Changes, func(c Change) bool { return c.Field == "settled_on" && c.New == "" }) {
		t.Errorf("reopening audited as %+v", page.Entries)
	}
	// The snapshot sees it all.
	o, err := s.Org()
	if err != nil {
		t.Fatal(err)
	}
	ms := o.MilestonesOf(p.ID)
	if len(ms) != 1 || len(ms[0].Replans) != 1 || ms[0].Replans[0].Reason != "Podpis przesunięty przez instytucję" {
		t.Errorf("snapshot milestones: %+v", ms)
	}
}

func TestOnlyAPlannedProjectIsDeletedWithItsParts(t *testing.T) {
	s, _, _ := openTest(t)
	a := Actor{Login: "koordynator"}
	p := Project{Name: "Dzień Dziecka", Kind: KindEvent, Status: ProjectPlanned, From: pday(2027, 6, 1)}
	if err := s.SaveProject(a, &p, 0); err != nil {
		t.Fatal(err)
	}
	m := Milestone{ProjectID: p.ID, Title: "Zamówienie nagród", Planned: Period{From: pday(2027, 5, 1)}, Status: MilestonePlanned}
	ind := Indicator{ProjectID: p.ID, Name: "Uczestnicy", Unit: UnitPersons, Target: 200}
	if err := s.SaveMilestone(a, &m, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveIndicator(a, &ind, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteProject(a, p.ID, p.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Milestone(m.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("milestone left behind: %v", err)
	}
	if _, err := s.Indicator(ind.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("indicator left behind: %v", err)
	}
	// A milestone must belong to a project that exists.
	orphan := Milestone{ProjectID: 999, Title: "x", Planned: Period{From: pday(2027, 5, 1)}, Status: MilestonePlanned}
	if err := s.SaveMilestone(a, &orphan, 0); !hasField(err, "project") {
		t.Errorf("an orphan milestone: %v", err)
	}
}

func TestNeedsAttention(t *testing.T) {
	s, clk, _ := openTest(t)
	a := Actor{Login: "koordynator"}
	today := Day(clk.Now())
	p := Project{Name: "Program", Kind: KindProgramme, Status: ProjectRunning, From: today.AddDate(0, -6, 0), To: today.AddDate(0, 6, 0)}
	if err := s.SaveProject(a, &p, 0); err != nil {
		t.Fatal(err)
	}
	for _, m := range []Milestone{
		{Title: "spóźniony", Planned: Period{From: today.AddDate(0, 0, -5)}},
		{Title: "wkrótce", Planned: Period{From: today.AddDate(0, 0, 10)}},
		{Title: "później", Planned: Period{From: today.AddDate(0, 0, 40)}},
		{Title: "zrobiony", Planned: Period{From: today.AddDate(0, 0, -20)}, Status: MilestoneDone, Actual: today.AddDate(0, 0, -21)},
	} {
		m.ProjectID = p.ID
		if m.Status == "" {
			m.Status = MilestonePlanned
		}
		if err := s.SaveMilestone(a, &m, 0); err != nil {
			t.Fatal(err)
		}
	}
	ind := Indicator{ProjectID: p.ID, Name: "Uczestnicy", Unit: UnitPersons, Target: 100}
	if err := s.SaveIndicator(a, &ind, 0); err != nil {
		t.Fatal(err)
	}
	o, _ := s.Org()
	att := o.NeedsAttention(today)
	if len(att.Late) != 1 || att.Late[0].Title != "spóźniony" || len(att.Soon) != 1 || att.Soon[0].Title != "wkrótce" || len(att.Behind) != 1 {
		t.Errorf("attention: late %v soon %v behind %d", att.Late, att.Soon, len(att.Behind))
	}
	sum := o.FindProjects(ProjectFilter{Kind: KindProgramme, Year: today.Year()}, today)
	if len(sum) != 1 || sum[0].Milestones != 4 || sum[0].Done != 1 || sum[0].Late != 1 || sum[0].Next.Title != "spóźniony" {
		t.Errorf("summary: %+v", sum)
	}
	if len(o.FindProjects(ProjectFilter{Kind: KindEvent}, today)) != 0 {
		t.Error("the kind filter kept a programme")
	}
}

func TestForecastEdges(t *testing.T) {
	from, to := pday(2018, 1, 1), pday(2018, 12, 31)
	// Progress read before the period starts still gives a pace.
	early := Indicator{Target: 100, Measurements: []Measurement{{Date: pday(2017, 12, 1), Value: 20}, {Date: pday(2017, 12, 31), Value: 50}}}
	if f := early.Forecast(from, to, pday(2018, 1, 2)); f.Stalled || f.Date.IsZero() {
		t.Errorf("readings before the start: %+v", f)
	}
	// A pace that would take centuries gives no date, only the warning.
	slow := Indicator{Target: MaxIndicatorValue, Measurements: []Measurement{{Date: pday(2018, 6, 30), Value: 1}}}
	if f := slow.Forecast(from, to, pday(2018, 7, 1)); !f.Date.IsZero() || !f.Misses {
		t.Errorf("centuries ahead: %+v", f)
	}
	// One reading on the first day: no pace yet, and not stalled.
	first := Indicator{Target: 10, Measurements: []Measurement{{Date: from, Value: 3}}}
	if f := first.Forecast(from, to, from); f.Stalled || !f.Date.IsZero() {
		t.Errorf("first-day reading: %+v", f)
	}
}

func TestProjectStatusDoesNotStepBack(t *testing.T) {
	s, _, _ := openTest(t)
	a := Actor{Login: "koordynator"}
	p := Project{Name: "Program", Kind: KindProgramme, Status: ProjectRunning, From: pday(2018, 1, 1)}
	if err := s.SaveProject(a, &p, 0); err != nil {
		t.Fatal(err)
	}
	ind := Indicator{ProjectID: p.ID, Name: "Uczestnicy", Unit: UnitPersons, Target: 10}
	if err := s.SaveIndicator(a, &ind, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMeasurement(a, ind.ID, ind.Version, Measurement{Date: pday(2018, 2, 1), Value: 4}); err != nil {
		t.Fatal(err)
	}
	p.Status = ProjectPlanned
	if err := s.SaveProject(a, &p, p.Version); !hasField(err, "status") {
		t.Fatalf("running → planned: %v", err)
	}
	p.Status = ProjectFinished
	if err := s.SaveProject(a, &p, p.Version); err != nil {
		t.Fatal(err)
	}
	p.Status = ProjectRunning
	if err := s.SaveProject(a, &p, p.Version); !hasField(err, "status") {
		t.Fatalf("finished → running without reopening: %v", err)
	}
	// Nothing of a finished project is deleted, readings included.
	if err := s.RemoveMeasurement(a, ind.ID, 2, pday(2018, 2, 1)); ErrorCode(err) != EConflict {
		t.Errorf("a reading of a finished project was deleted: %v", err)
	}
	if err := s.ReopenProject(a, p.ID, p.Version, "Dodatkowy nabór"); err != nil {
		t.Fatal(err)
	}
	if back, _ := s.Project(p.ID); back.Status != ProjectRunning {
		t.Errorf("reopened a finished project to %s", back.Status)
	}
	// A unit a project names is not deleted.
	u, err := s.SaveUnitState(a, 0, 0, UnitState{From: pday(2017, 1, 1), Name: "Zespół ds. Analiz i Programów", Kind: KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	back, _ := s.Project(p.ID)
	back.UnitID = u.ID
	if err := s.SaveProject(a, back, back.Version); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUnit(a, u.ID, u.Version); ErrorCode(err) != EConflict {
		t.Errorf("a unit named by a project was deleted: %v", err)
	}
}

// A database written before the index by project (schema 9) gets it when
// it is opened, and checks clean.
func TestProjectIndexMigration(t *testing.T) {
	s, _, path := openTest(t)
	a := Actor{Login: "koordynator"}
	p := Project{Name: "Program", Kind: KindProgramme, Status: ProjectRunning, From: pday(2018, 1, 1)}
	if err := s.SaveProject(a, &p, 0); err != nil {
		t.Fatal(err)
	}
	m := Milestone{ProjectID: p.ID, Title: "Start", Planned: Period{From: pday(2018, 1, 1)}, Status: MilestonePlanned}
	if err := s.SaveMilestone(a, &m, 0); err != nil {
		t.Fatal(err)
	}
	err := s.db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketMilestonesProject, bucketIndicatorsProject} {
			if err := tx.DeleteBucket(b); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, itob(9))
	})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if problems, err := s2.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("after migrating: %v %v", problems, err)
	}
	var ids []uint64
	_ = s2.db.View(func(tx *bolt.Tx) error { ids, _ = idsOf(tx, kindMilestone, p.ID); return nil })
	if len(ids) != 1 || ids[0] != m.ID {
		t.Fatalf("index lists %v, want [%d]", ids, m.ID)
	}
}
