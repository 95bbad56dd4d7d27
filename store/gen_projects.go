package store

import (
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Synthetic projects: five per scale step, EU projects, programmes and
// events of 2016–2027, each with 8 to 25 milestones (some phases, some
// re-planned with a reason, some late on the generator's today), two to
// four indicators with up to thirty readings, and a budget of one to three
// sources that now and then does not add up, as typed-in budgets do.
// Statuses follow the dates. Each record is validated and written with the
// same helpers (and audit entries) as the store's own calls: a creation,
// then each re-planning and each reading as a change of its own.

var (
	genEUProjects = []string{"Nowy Model – Lepsza Jakość", "Szansa-Pomoc-Aktywizacja (SPA)", "Aktywna integracja w gminie",
		"Usługi społeczne dla mieszkańców", "Wsparcie rodzin w kryzysie", "Centrum Usług Społecznych", "Lepsza praca socjalna",
		"Usługi społeczne na rzecz ograniczenia skutków kryzysu wywołanego konfliktem zbrojnym na terytorium Ukrainy"}
	genProgrammes = []string{"Asystent osobisty osoby z niepełnosprawnością", "Opieka wytchnieniowa", "Posiłek w szkole i w domu",
		"Program ograniczania strat i szkód osób z problemem alkoholowym", "Punkt pośrednictwa sprzętu używanego", "Wakacje z MOPS-em",
		"Korpus Wsparcia Seniorów", "Klub Integracji Społecznej"}
	genEvents = []string{"Dzień Dziecka", "Mikołajki", "Wigilia dla osób samotnych", "Akcja opał", "Akcja żywność", "Akcja zeszyt",
		"Akcja kolonie dla dzieci", "Piknik rodzinny"}
	genEUProgrammes = []string{
		"Program Operacyjny Wiedza Edukacja Rozwój 2014–2020, oś priorytetowa II, działanie 2.5 Skuteczna pomoc społeczna",
		"Regionalny Program Operacyjny Województwa Śląskiego 2014–2020, oś priorytetowa IX Włączenie społeczne",
		"Fundusze Europejskie dla Rozwoju Społecznego 2021–2027",
		"Fundusze Europejskie dla Śląskiego 2021–2027",
	}
	genGoals = []string{"Podniesienie kompetencji zawodowych pracowników socjalnych.", "Oddzielenie pracy administracyjnej od pracy socjalnej.",
		"Wprowadzenie superwizji pracy socjalnej.", "Poprawa dostępności usług społecznych dla mieszkańców.",
		"Wsparcie rodzin w wypełnianiu funkcji opiekuńczo-wychowawczych.", "Integracja społeczności lokalnej."}
	genMilestones = []string{"Rozpoczęcie realizacji", "Rekrutacja uczestników", "Podpisanie umowy z wykonawcą", "Szkolenie dla pracowników",
		"Superwizja pracy socjalnej", "Spotkanie zespołu projektowego", "Publikacja harmonogramu wsparcia", "Sprawozdanie okresowe",
		"Wniosek o płatność", "Kontrola na miejscu", "Ewaluacja", "Konferencja podsumowująca", "Zakup wyposażenia", "Zbiórka darów",
		"Wybór organizatora", "Posiedzenie komisji"}
	genReasons = []string{"Wykonawca wyłoniony później, niż zakładano: pierwsze zapytanie ofertowe bez ofert.",
		"Instytucja Pośrednicząca przesunęła termin.", "Choroba prowadzącego; nowy termin uzgodniony z uczestnikami.",
		"Przerwa wakacyjna: bez szkoleń w lipcu i sierpniu.", "Remont sali szkoleniowej.", "Zmiana harmonogramu po aneksie do umowy."}
	genIndicators = []struct {
		name string
		unit IndicatorUnit
		max  int
	}{
		{"Liczba uczestników objętych wsparciem", UnitPersons, 300},
		{"Liczba pracowników objętych szkoleniami", UnitPersons, 80},
		{"Liczba godzin szkoleniowych", UnitClockHours, 200},
		{"Liczba godzin superwizji", UnitLessonHours, 200},
		{"Liczba wydanych paczek", UnitCount, 500},
		{"Liczba zorganizowanych spotkań", UnitCount, 60},
		{"Liczba rodzin objętych wsparciem", UnitPersons, 150},
	}
	genFirstDay = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	genLastDay  = time.Date(2027, 12, 31, 0, 0, 0, 0, time.UTC)
)

// bucketKeys lists the IDs of a bucket's records in key order.
func bucketKeys(tx *bolt.Tx, bucket []byte) []uint64 {
	var ids []uint64
	_ = tx.Bucket(bucket).ForEach(func(k, _ []byte) error {
		ids = append(ids, btoi(k))
		return nil
	})
	return ids
}

// between is a random whole number in [lo, hi].
func (g *gen) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

func (s *Store) genProjects(tx *bolt.Tx, g *gen) error {
	units, people := bucketKeys(tx, bucketUnits), bucketKeys(tx, bucketStaff)
	today := Day(s.now())
	// Each project starts in its own slot of 2016 to mid-2027, so that
	// every scale has projects long closed, running and still planned.
	n := 5 * g.n
	slot := max((int(genLastDay.Sub(genFirstDay).Hours()/24)-180)/n, 1)
	for i := range n {
		from := genFirstDay.AddDate(0, 0, i*slot+g.r.IntN(slot))
		if err := s.genProject(tx, g, i, from, units, people, today); err != nil {
			return fmt.Errorf("project %d: %w", i+1, err)
		}
	}
	return nil
}

func (s *Store) genProject(tx *bolt.Tx, g *gen, i int, from time.Time, units, people []uint64, today time.Time) error {
	p := &Project{From: from}
	switch i % 5 { // two EU projects, two programmes and an event in five
	case 0, 2:
		p.Kind = KindEUProject
		p.Name = fmt.Sprintf("%s nr %d", g.pick(genEUProjects), i+1)
		p.Programme = genEUProgrammes[g.r.IntN(2)]
		if p.From.Year() > 2020 { // the 2021–2027 perspective
			p.Programme = genEUProgrammes[2+g.r.IntN(2)]
		}
		p.To = p.From.AddDate(0, g.between(12, 36), -1)
	case 1, 3:
		p.Kind = KindProgramme
		name := g.pick(genProgrammes)
		p.Name = fmt.Sprintf("%s (%d)", name, i+1)
		if g.r.IntN(5) != 0 { // one in five is a standing programme, the others have editions
			p.Name = fmt.Sprintf("%s – edycja %d (%d)", name, p.From.Year(), i+1)
			p.To = p.From.AddDate(0, g.between(6, 24), -1)
		}
	default:
		p.Kind = KindEvent
		p.Name = fmt.Sprintf("%s %d (%d)", g.pick(genEvents), p.From.Year(), i+1)
		p.To = p.From.AddDate(0, 0, g.between(7, 90))
	}
	if p.To.After(genLastDay) {
		p.To = genLastDay
	}
	p.MainGoal = "Poprawa jakości i dostępności wsparcia udzielanego przez ośrodek mieszkańcom gminy."
	for range g.r.IntN(4) {
		p.Goals = append(p.Goals, g.pick(genGoals))
	}
	p.UnitID = units[g.r.IntN(len(units))]
	if g.r.IntN(10) != 0 {
		p.CoordinatorID = people[g.r.IntN(len(people))]
	}
	if p.Kind != KindEvent {
		p.References = append(p.References, Reference{Name: fmt.Sprintf("Uchwała Rady Miejskiej nr %d/%d", 100+g.r.IntN(900), p.From.Year()), Date: p.From.AddDate(0, 0, -g.between(10, 60))})
	}
	if p.Kind == KindEUProject {
		p.References = append(p.References, Reference{Name: fmt.Sprintf("Umowa o dofinansowanie projektu nr %d/%d", 1+g.r.IntN(999), p.From.Year()), Date: p.From.AddDate(0, 0, g.between(0, 60))})
	}
	g.budget(p)
	p.Status = genProjectStatus(g, p, today)
	genSettlement(p)
	if err := p.ValidateOn(today); err != nil {
		return err
	}
	if err := insert(s, tx, System, kindProject, p); err != nil {
		return err
	}
	g.stats.Projects++
	for j := range g.between(8, 25) {
		if err := s.genMilestone(tx, g, p, j, today); err != nil {
			return fmt.Errorf("milestone %d: %w", j+1, err)
		}
	}
	for _, k := range g.r.Perm(len(genIndicators))[:g.between(2, 4)] {
		if err := s.genIndicator(tx, g, p, k, today); err != nil {
			return fmt.Errorf("indicator %s: %w", genIndicators[k].name, err)
		}
	}
	return nil
}

// budget gives a project an eligible total and its sources (every EU
// project, most programmes, some events); one budget in six does not add up.
func (g *gen) budget(p *Project) {
	var names []string
	switch p.Kind {
	case KindEUProject:
		names = []string{"Środki europejskie (EFS)", "Dotacja celowa z budżetu państwa", "Wkład własny gminy"}
	case KindProgramme:
		if g.r.IntN(5) < 2 {
			return
		}
		names = []string{"Fundusz Solidarnościowy", "Budżet państwa", "Budżet gminy"}
	default:
		if g.r.IntN(10) < 7 {
			return
		}
		names = []string{"Budżet gminy", "Darowizny", "Sponsorzy"}
	}
	p.Total = int64(1_000_000 + g.r.IntN(499_000_000)) // 10 000 zł to 5 mln zł
	n := g.between(1, 3)
	left := p.Total
	for k := range n {
		amount := left
		if k < n-1 {
			amount = left * int64(50+g.r.IntN(40)) / 100
		}
		if amount <= 0 {
			break
		}
		p.Sources = append(p.Sources, FundingSource{Name: names[k], Amount: amount})
		left -= amount
	}
	if g.r.IntN(6) == 0 { // a typing mistake: a source a little off
		last := &p.Sources[len(p.Sources)-1]
		if off := int64(1 + g.r.IntN(int(min(last.Amount/10, 1<<30)+1))); g.r.IntN(2) == 0 && off < last.Amount {
			last.Amount -= off
		} else {
			last.Amount += off
		}
	}
}

func genProjectStatus(g *gen, p *Project, today time.Time) ProjectStatus {
	switch {
	case today.Before(p.From):
		return ProjectPlanned
	case p.To.IsZero() || !today.After(p.To):
		return ProjectRunning
	case today.After(p.To.AddDate(0, 6, 0)) && g.r.IntN(2) == 0:
		return ProjectSettled
	}
	return ProjectFinished
}

// genSettlement dates a settled project's acceptance one to five months
// after its end (never after today: it is settled only half a year after
// its end) and keeps the documents ten years after that for EU projects,
// five for the others. An EU project knows its retention date from its
// grant agreement long before it is settled. The dates are derived from
// the project's own, not drawn from the random stream, so that every other
// generated record stays as it was before projects had them.
func genSettlement(p *Project) {
	years := 5
	if p.Kind == KindEUProject {
		years = 10
	}
	switch {
	case p.Status == ProjectSettled:
		p.SettledOn = p.To.AddDate(0, 0, 30+p.From.YearDay()%120)
		p.RetainUntil = yearsAfter(p.SettledOn, years)
	case p.Kind == KindEUProject && !p.To.IsZero():
		p.RetainUntil = yearsAfter(p.To, years)
	}
}

// end is the last day milestones and indicators of a project fall on.
func genEnd(p *Project, today time.Time) time.Time {
	if !p.To.IsZero() {
		return p.To
	}
	if end := today.AddDate(1, 0, 0); end.After(p.From) {
		return end
	}
	return p.From.AddDate(1, 0, 0)
}

func (s *Store) genMilestone(tx *bolt.Tx, g *gen, p *Project, j int, today time.Time) error {
	end := genEnd(p, today)
	span := int(end.Sub(p.From).Hours() / 24)
	plan := Period{From: p.From.AddDate(0, 0, g.r.IntN(span+1))}
	title := fmt.Sprintf("%s – etap %d", g.pick(genMilestones), j+1)
	switch {
	case j == 0:
		plan, title = Period{From: p.From}, "Rozpoczęcie realizacji"
	case j == 1 && !p.To.IsZero():
		plan, title = Period{From: p.To}, "Zakończenie realizacji"
	case g.r.IntN(4) == 0: // a phase
		plan.To = plan.From.AddDate(0, 0, g.between(7, 120))
		if plan.To.After(end) {
			plan.To = end
		}
	}
	m := &Milestone{ProjectID: p.ID, Title: title, Planned: plan, UnitID: p.UnitID}
	if g.r.IntN(3) == 0 {
		m.Notes = "Szczegóły w dokumentacji projektu."
	}
	if g.r.IntN(8) == 0 {
		m.Deliverables = []string{"Raport z realizacji etapu", "Lista obecności"}[:g.between(1, 2)]
	}
	// One in five was re-planned once or twice: it was first planned a
	// few weeks away from where it is now.
	var moves []Period
	if j > 1 && g.r.IntN(5) == 0 {
		for range g.between(1, 2) {
			shift := -g.between(7, 90)
			if g.r.IntN(4) == 0 {
				shift = g.between(7, 60)
			}
			earlier := Period{From: plan.From.AddDate(0, 0, shift)}
			if plan.Phase() {
				earlier.To = plan.To.AddDate(0, 0, shift)
			}
			moves = append([]Period{plan}, moves...)
			plan = earlier
		}
		m.Planned = plan
	}
	final := g.milestoneState(p, m, moves, today)
	m.Baseline = m.Planned.normal()
	if err := m.Validate(); err != nil {
		return err
	}
	if err := insert(s, tx, System, kindMilestone, m); err != nil {
		return err
	}
	g.stats.Milestones++
	for _, to := range moves {
		at := m.Planned.From.AddDate(0, 0, -g.between(1, 20))
		if at.After(today) {
			at = today
		}
		if err := m.Replan(System, at.Add(9*time.Hour), to, g.pick(genReasons)); err != nil {
			return err
		}
		if err := replace(s, tx, System, kindMilestone, m, 0, ActionReplan); err != nil {
			return err
		}
		g.stats.Replans++
	}
	if final.Status == m.Status && final.Actual.Equal(m.Actual) {
		return nil
	}
	m.Status, m.Actual = final.Status, final.Actual
	if err := m.Validate(); err != nil {
		return err
	}
	return replace(s, tx, System, kindMilestone, m, 0, ActionUpdate)
}

// milestoneState sets the status a milestone is entered with (planned,
// when it is to be re-planned) and returns the one it ends with, following
// its final dates, the project's status and today: a closed project's
// milestones are done (a few cancelled), a running one's are done, in
// progress or planned by their dates, and one in six past its date is late.
func (g *gen) milestoneState(p *Project, m *Milestone, moves []Period, today time.Time) Milestone {
	plan := m.Planned
	if len(moves) > 0 {
		plan = moves[len(moves)-1]
	}
	var final Milestone
	switch {
	case p.Status == ProjectPlanned || plan.From.After(today):
		final.Status = MilestonePlanned
	case p.Closed() && g.r.IntN(20) == 0:
		final.Status = MilestoneCancelled
	case p.Closed() || plan.End().Before(today) && g.r.IntN(6) != 0:
		final.Status = MilestoneDone
		final.Actual = plan.End().AddDate(0, 0, g.between(-3, 10))
		if final.Actual.After(today) {
			final.Actual = today
		}
		if final.Actual.Before(plan.From) {
			final.Actual = plan.From
		}
	default: // under way, or past its date and not done: late
		final.Status = MilestoneInProgress
	}
	m.Status, m.Actual = final.Status, final.Actual
	if len(moves) > 0 {
		m.Status, m.Actual = MilestonePlanned, time.Time{}
	}
	return final
}

func (s *Store) genIndicator(tx *bolt.Tx, g *gen, p *Project, k int, today time.Time) error {
	def := genIndicators[k]
	ind := &Indicator{ProjectID: p.ID, Name: def.name, Unit: def.unit, Target: int64(10 + g.r.IntN(def.max))}
	if g.r.IntN(5) == 0 {
		ind.Baseline = int64(g.r.IntN(int(ind.Target) / 4))
	}
	from, to := p.From, genEnd(p, today)
	if g.r.IntN(2) == 0 { // a period of its own within the project's
		span := int(to.Sub(from).Hours() / 24)
		from = from.AddDate(0, 0, g.r.IntN(span/3+1))
		ind.From, ind.To = from, to
	}
	if err := ind.Validate(); err != nil {
		return err
	}
	if err := insert(s, tx, System, kindIndicator, ind); err != nil {
		return err
	}
	g.stats.Indicators++
	last := to
	if today.Before(last) {
		last = today
	}
	span := int(last.Sub(from).Hours() / 24)
	if p.Status == ProjectPlanned || span <= 0 {
		return nil
	}
	// Readings on distinct days, rising towards a share of the target that
	// depends on how things went: closed projects mostly reached it.
	var offsets []int
	for range g.r.IntN(31) {
		offsets = append(offsets, 1+g.r.IntN(span))
	}
	reach := float64(50+g.r.IntN(80)) / 100 // of the way, by the end of the period
	if p.Closed() && g.r.IntN(5) != 0 && len(offsets) > 0 {
		reach = 1 + float64(g.r.IntN(10))/100
		offsets = append(offsets, span) // the final reading, at the end
	}
	slices.Sort(offsets)
	offsets = slices.Compact(offsets)
	total := float64(to.Sub(from).Hours() / 24)
	var prev int64
	for _, off := range offsets {
		v := ind.Baseline + int64(float64(ind.Target-ind.Baseline)*reach*float64(off)/total)
		v = max(v, prev)
		prev = v
		if err := ind.Measure(Measurement{Date: from.AddDate(0, 0, off), Value: v}, today); err != nil {
			return err
		}
		if err := replace(s, tx, System, kindIndicator, ind, 0, ActionUpdate); err != nil {
			return err
		}
		g.stats.Measurements++
	}
	return nil
}
