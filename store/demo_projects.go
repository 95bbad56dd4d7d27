package store

import (
	"fmt"
	"time"
)

// The demo centre's projects: the EU-funded "Nowy Model – Lepsza Jakość"
// as seed 002 tells it, the later projects its header names, and three
// programmes and events of the centre in seed 004 placed around the store's
// today, so that the home page always has something due soon, something
// late and an indicator behind pace. Everything is written through the
// same calls as the forms (validated and audited, by System as the rest of
// the demo), and what the seeds do not say (most dates of the later
// projects, the re-planned dates and their reasons) is invented but
// plausible. No amount is invented: only the EU project has a budget.

// demoMilestone is a milestone of a demo project.
type demoMilestone struct {
	title   string
	planned Period // as first planned: the baseline
	// replanned is where the plan moved to (zero: never), decided on
	// replannedOn for reason; a re-planning after today is left out.
	replanned   Period
	replannedOn time.Time
	reason      string
	// done is when it happened: the milestone is done from that day on,
	// in progress between its planned start and then, planned before.
	// late marks one left open past its date on purpose.
	done         time.Time
	late         bool
	unit         string // a unit's name, as the demo structure has it
	deliverables []string
	notes        string
}

// demoReading is a reading of a demo indicator; one dated after today is
// left out (the store refuses readings from the future).
type demoReading struct {
	date    time.Time
	value   int64
	comment string
}

type demoIndicator struct {
	name     string
	unit     IndicatorUnit
	target   int64
	from, to time.Time // zero: the project's period
	notes    string
	readings []demoReading
}

type demoProject struct {
	Project
	unit        string // the responsible unit's name
	coordinator string // a demo login; empty: the unit's head
	// settled is when the funder accepted the accounts (zero: not yet);
	// the documents are then kept to the end of the retainYears-th year
	// after it.
	settled     time.Time
	retainYears int
	milestones  []demoMilestone
	indicators  []demoIndicator
}

func demoDate(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// demoProjectStatus is where a project with these dates is on today.
func demoProjectStatus(from, to, settled, today time.Time) ProjectStatus {
	switch {
	case today.Before(from):
		return ProjectPlanned
	case to.IsZero() || !today.After(to):
		return ProjectRunning
	case !settled.IsZero() && !today.Before(settled):
		return ProjectSettled
	}
	return ProjectFinished
}

// seedDemoProjects writes the demo projects; it does nothing when the
// database has projects already.
func (s *Store) seedDemoProjects() error {
	if s.count(bucketProjects) > 0 {
		return nil
	}
	units, err := s.Units()
	if err != nil {
		return err
	}
	// A unit is found by any of its names (the services team was renamed
	// in 2021); the latest unit of that name wins.
	unitID := func(name string) (uint64, *Unit) {
		for i := len(units) - 1; i >= 0; i-- {
			for _, st := range units[i].States {
				if st.Name == name {
					return units[i].ID, &units[i]
				}
			}
		}
		return 0, nil
	}
	today := s.Today()
	for _, dp := range demoProjects(today) {
		p := dp.Project
		var u *Unit
		p.UnitID, u = unitID(dp.unit)
		switch {
		case dp.coordinator != "":
			if usr, err := s.UserByLogin(dp.coordinator); err == nil {
				if person, err := s.PersonOfUser(usr.ID); err == nil && person != nil {
					p.CoordinatorID = person.ID
				}
			}
		case u != nil:
			p.CoordinatorID = u.Current().HeadID
		}
		p.Status = demoProjectStatus(p.From, p.To, time.Time{}, today)
		if err := s.SaveProject(System, &p, 0); err != nil {
			return fmt.Errorf("demo project %s: %w", p.Name, err)
		}
		for _, dm := range dp.milestones {
			if err := s.seedDemoMilestone(p.ID, dm, today, unitID); err != nil {
				return fmt.Errorf("demo milestone %s: %w", dm.title, err)
			}
		}
		for _, di := range dp.indicators {
			if err := s.seedDemoIndicator(p.ID, di, today); err != nil {
				return fmt.Errorf("demo indicator %s: %w", di.name, err)
			}
		}
		// Settled last: a settled project takes no more changes.
		if st := demoProjectStatus(p.From, p.To, dp.settled, today); st != p.Status {
			p.Status = st
			if st == ProjectSettled {
				p.SettledOn, p.RetainUntil = dp.settled, yearsAfter(dp.settled, dp.retainYears)
			}
			if err := s.SaveProject(System, &p, p.Version); err != nil {
				return fmt.Errorf("demo project %s: %w", p.Name, err)
			}
		}
	}
	return nil
}

// yearsAfter is the last day of the n-th year after day's: how grant
// agreements usually word a retention period ("do 31 grudnia 2029").
func yearsAfter(day time.Time, n int) time.Time {
	return time.Date(day.Year()+n, 12, 31, 0, 0, 0, 0, time.UTC)
}

// seedDemoMilestone writes a milestone as it would have been entered: as
// first planned, re-planned with its reason, then marked done.
func (s *Store) seedDemoMilestone(project uint64, dm demoMilestone, today time.Time, unitID func(string) (uint64, *Unit)) error {
	replan := !dm.replanned.From.IsZero() && !dm.replannedOn.After(today)
	plan := dm.planned
	if replan {
		plan = dm.replanned
	}
	// Its status on a day with a plan: done from the day it happened, in
	// progress from its planned start, planned before.
	status := func(p Period, day time.Time) MilestoneStatus {
		switch {
		case dm.late:
			return MilestoneInProgress
		case !dm.done.IsZero() && !dm.done.After(day):
			return MilestoneDone
		case !p.From.After(day):
			return MilestoneInProgress
		}
		return MilestonePlanned
	}
	m := &Milestone{ProjectID: project, Title: dm.title, Planned: dm.planned, Deliverables: dm.deliverables, Notes: dm.notes}
	m.UnitID, _ = unitID(dm.unit)
	if replan { // entered as it stood when it was re-planned
		m.Status = status(dm.planned, dm.replannedOn)
	} else {
		m.Status = status(dm.planned, today)
	}
	if m.Status == MilestoneDone {
		m.Actual = dm.done
	}
	if err := s.SaveMilestone(System, m, 0); err != nil {
		return err
	}
	if !replan {
		return nil
	}
	if err := s.ReplanMilestone(System, m.ID, m.Version, dm.replanned, dm.reason); err != nil {
		return err
	}
	if m.Status = status(plan, today); m.Status == MilestoneDone {
		m.Actual = dm.done
	}
	return s.SaveMilestone(System, m, m.Version+1) // the re-planning was version 2
}

// seedDemoIndicator writes an indicator and the readings taken by today.
func (s *Store) seedDemoIndicator(project uint64, di demoIndicator, today time.Time) error {
	ind := &Indicator{ProjectID: project, Name: di.name, Unit: di.unit, Target: di.target, From: di.from, To: di.to, Notes: di.notes}
	if err := s.SaveIndicator(System, ind, 0); err != nil {
		return err
	}
	version := ind.Version
	for _, r := range di.readings {
		if r.date.After(today) {
			continue
		}
		if err := s.AddMeasurement(System, ind.ID, version, Measurement{Date: r.date, Value: r.value, Comment: r.comment}); err != nil {
			return err
		}
		version++
	}
	return nil
}

// Names of the demo structure's units the projects refer to.
const (
	demoUnitManagement = "Dyrekcja"
	demoUnitAnalyses   = "Zespół ds. Analiz i Programów"
	demoUnitServices   = "Zespół ds. Usług Opiekuńczych"
	demoUnitSocialWork = "Zespół ds. Pracy Socjalnej"
	demoUnitAssistants = "Zespół Asystentów Rodziny"
	demoUnitFieldHelp  = "Dział Pomocy Środowiskowej"
)

// The documents the implementation team delivered in November 2017, named
// as seed 002 names them.
var demoTeamDocuments = []string{
	"Nowy Regulamin Organizacyjny MOPS w Tarnowskich Górach",
	"Lokalna Polityka Świadczeń",
	"Procedura Administracyjna Udzielania Pomocy",
}

// demoProjects are the demo projects in the order they are created; the
// dates of the programmes and events of seed 004 follow today.
func demoProjects(today time.Time) []demoProject {
	return []demoProject{demoNowyModel(), demoUkraine(), demoAssistant(2023, demoDate(2024, 3, 29)), demoAssistant(2024, time.Time{}),
		demoSecondHand(today), demoHolidays(today), demoStNicholas(today)}
}

// demoNowyModel is the EU-funded project of seed 002.
func demoNowyModel() demoProject {
	d := demoDate
	return demoProject{
		Project: Project{
			Name: "Nowy Model – Lepsza Jakość",
			Kind: KindEUProject,
			Programme: "Program Operacyjny Wiedza Edukacja Rozwój 2014–2020 (PO WER), oś priorytetowa II – Efektywne polityki publiczne " +
				"dla rynku pracy, gospodarki i edukacji, działanie 2.5 Skuteczna pomoc społeczna",
			From: d(2017, 3, 1),
			To:   d(2019, 2, 28),
			MainGoal: "Poprawa obsługi osób zgłaszających się do Miejskiego Ośrodka Pomocy Społecznej w Tarnowskich Górach poprzez zmianę " +
				"organizacji pracy ośrodka pomocy społecznej, obejmującą wprowadzenie rozwiązań optymalizujących wykorzystanie kompetencji " +
				"zatrudnionych w nim pracowników do 28 lutego 2019 roku.",
			Goals: []string{
				"Wzmocnienie potencjału instytucji działających na rzecz włączenia społecznego poprzez poprawę jakości, efektywności pracy socjalnej, " +
					"usług socjalnych i realizacji procedury administracyjnej (cel szczegółowy PO WER).",
				"Oddzielenie pracy administracyjnej od pracy socjalnej i usług socjalnych poprzez wyodrębnienie Stanowiska ds. pierwszego kontaktu, " +
					"Zespołu Pracy Socjalnej, Zespołu Usług Socjalnych i Zespołu ds. świadczeń przyznawanych decyzją.",
				"Wprowadzenie nowych metod pracy socjalnej i podniesienie jakości pracy socjalnej dzięki superwizji; skierowanie pracy socjalnej " +
					"do osób i rodzin otwartych na współpracę.",
				"Podniesienie kompetencji zawodowych i umiejętności interpersonalnych pracowników socjalnych oraz możliwość wybrania stanowiska pracy " +
					"zgodnego z ich predyspozycjami, preferencjami zawodowymi i potencjałem merytorycznym.",
			},
			References: []Reference{
				{Name: "Zarządzenie Dyrektora MOPS w sprawie powołania Zespołu ds. Wdrażania Zmian Organizacyjnych", Date: d(2017, 3, 20)},
				{Name: "Uchwała Rady Miejskiej w Tarnowskich Górach przyjmująca projekt „Nowy Model – Lepsza Jakość”", Date: d(2017, 3, 29)},
				{Name: "Umowa o dofinansowanie projektu w ramach PO WER 2014–2020 współfinansowanego ze środków Europejskiego Funduszu Społecznego", Date: d(2017, 5, 12)},
				{Name: "Regulamin Organizacyjny MOPS w Tarnowskich Górach (zarządzenie Dyrektora)", Date: d(2017, 7, 31)},
			},
			Total: 35639750,
			Sources: []FundingSource{
				{Name: "Środki europejskie (EFS)", Amount: 30037181},
				{Name: "Dotacja celowa z budżetu państwa", Amount: 5602569},
			},
		},
		unit:        demoUnitAnalyses,
		coordinator: "koordynator",
		milestones: []demoMilestone{
			{title: "Rozpoczęcie realizacji projektu", planned: Period{From: d(2017, 3, 1)}, done: d(2017, 3, 1), unit: demoUnitManagement},
			{title: "Powołanie Zespołu ds. Wdrażania Zmian Organizacyjnych (zarządzenie Dyrektora)", planned: Period{From: d(2017, 3, 20)}, done: d(2017, 3, 20),
				unit: demoUnitManagement, notes: "Zespół pod przewodnictwem eksperta ds. wdrażania, powołany na okres 01.04.2017 r. – 30.11.2017 r."},
			{title: "Przyjęcie projektu uchwałą Rady Miejskiej w Tarnowskich Górach", planned: Period{From: d(2017, 3, 29)}, done: d(2017, 3, 29), unit: demoUnitManagement},
			{title: "Praca Zespołu ds. Wdrażania Zmian Organizacyjnych", planned: Period{From: d(2017, 4, 1), To: d(2017, 11, 30)}, done: d(2017, 11, 30),
				notes: "Wypracowanie zmian organizacyjnych i opracowanie dokumentów pod okiem eksperta."},
			{title: "Podpisanie umowy o dofinansowanie projektu", planned: Period{From: d(2017, 4, 28)}, replanned: Period{From: d(2017, 5, 12)},
				replannedOn: d(2017, 4, 20), reason: "Decyzja z 20.04.2017 r.: Instytucja Pośrednicząca wyznaczyła termin podpisania umowy na 12.05.2017 r. " +
					"po uzupełnieniu załączników do wniosku o dofinansowanie.", done: d(2017, 5, 12), unit: demoUnitManagement},
			{title: "Przyjęcie nowego Regulaminu Organizacyjnego Ośrodka", planned: Period{From: d(2017, 7, 31)}, done: d(2017, 7, 31), unit: demoUnitManagement,
				notes: "Regulamin Organizacyjny z dnia 31.07.2017 r., wprowadzony zarządzeniem Dyrektora."},
			{title: "Organizacja i wyposażenie stanowisk pracy dla nowozatrudnionych pracowników socjalnych", planned: Period{From: d(2017, 8, 31)},
				done: d(2017, 8, 31), unit: demoUnitFieldHelp, notes: "Strona projektu nie podaje daty; przyjęto dzień przed wejściem w życie nowej struktury."},
			{title: "Wejście w życie nowej struktury organizacyjnej", planned: Period{From: d(2017, 9, 1)}, done: d(2017, 9, 1), unit: demoUnitManagement,
				notes: "Dział Pomocy Środowiskowej, Dział Pracy Socjalnej i Asysty Rodzin oraz Dział Usług, Analiz i Programów: rozdzielenie postępowań " +
					"administracyjnych od pracy socjalnej i usług."},
			{title: "Przekazanie dokumentów wypracowanych przez Zespół ds. Wdrażania Zmian Organizacyjnych", planned: Period{From: d(2017, 10, 31)},
				replanned: Period{From: d(2017, 11, 30)}, replannedOn: d(2017, 10, 20),
				reason: "Decyzja z 20.10.2017 r.: Lokalna Polityka Świadczeń i Procedura Administracyjna Udzielania Pomocy wymagają jeszcze konsultacji " +
					"z koordynatorami nowych zespołów; termin przesunięty na koniec okresu, na który powołano Zespół (30.11.2017 r.).",
				done: d(2017, 11, 30), deliverables: demoTeamDocuments},
			{title: "Zawarcie umowy na realizację 26 szkoleń/warsztatów (156 godzin szkoleniowych)", planned: Period{From: d(2017, 11, 29)}, done: d(2017, 11, 29),
				notes: "Szkolenia do 28.02.2019 r.: diagnoza w pracy socjalnej i w zespole ds. świadczeń przyznawanych decyzją, umiejętności interpersonalne, " +
					"interwencja w pracy socjalnej, narzędzia pracownika socjalnego, praca z osobami z zaburzeniami psychicznymi, praca z trudnym klientem."},
			{title: "Zawarcie umowy na realizację 156 godzin lekcyjnych superwizji pracy socjalnej", planned: Period{From: d(2017, 11, 30)}, done: d(2017, 11, 30)},
			{title: "Szkolenia i warsztaty dla pracowników Ośrodka", planned: Period{From: d(2017, 12, 1), To: d(2019, 2, 28)}, done: d(2019, 2, 25),
				unit: demoUnitAnalyses, notes: "Bez szkoleń w czerwcu, lipcu i sierpniu 2018 r. Ostatnie szkolenie: 25.02.2019 r. (RODO)."},
			{title: "Superwizja pracy socjalnej", planned: Period{From: d(2018, 1, 1), To: d(2019, 2, 28)}, done: d(2019, 2, 25), unit: demoUnitSocialWork,
				notes: "Dla pracowników socjalnych i asystentów rodziny; bez spotkań superwizyjnych w lipcu i sierpniu 2018 r."},
			{title: "Zawarcie umowy ze specjalistą ds. monitoringu wdrożonych zmian organizacyjnych", planned: Period{From: d(2018, 1, 15)}, done: d(2018, 1, 15),
				unit: demoUnitAnalyses},
			{title: "Publikacja szczegółowego harmonogramu działań w projekcie", planned: Period{From: d(2018, 1, 16)}, done: d(2018, 1, 16), unit: demoUnitAnalyses},
			{title: "Monitoring wdrożonych zmian organizacyjnych", planned: Period{From: d(2018, 1, 15), To: d(2018, 12, 31)}, done: d(2018, 12, 31), unit: demoUnitAnalyses,
				notes: "Ocena zgodności zmian z założeniami projektu i stopnia osiągnięcia celu głównego; monitoring zespołów: Pierwszego Kontaktu, Pracy " +
					"Socjalnej, Usług Socjalnych, Świadczeń Przyznawanych Decyzją; narzędzia monitoringu i ewaluacji."},
			{title: "Aktualizacja harmonogramu: przerwa wakacyjna w szkoleniach i superwizji", planned: Period{From: d(2018, 5, 7)}, done: d(2018, 5, 7), unit: demoUnitAnalyses,
				notes: "Bez szkoleń w czerwcu, lipcu i sierpniu; bez spotkań superwizyjnych w lipcu i sierpniu."},
			{title: "Zakończenie realizacji projektu", planned: Period{From: d(2019, 2, 28)}, done: d(2019, 2, 28), unit: demoUnitManagement},
		},
		indicators: []demoIndicator{
			{name: "Liczba pracowników objętych szkoleniami", unit: UnitPersons, target: 60, from: d(2017, 12, 1), to: d(2019, 2, 28),
				notes: "26 szkoleń/warsztatów dla 60 pracowników Ośrodka (umowa z 29.11.2017 r.).",
				readings: []demoReading{
					{d(2018, 1, 31), 24, "Szkolenia 1–2 (KPA cz.1, diagnoza w zespole świadczeń cz.1)."},
					{d(2018, 2, 28), 38, "Szkolenia 3–5."},
					{d(2018, 5, 31), 52, "Szkolenia 6–11; przerwa wakacyjna do września."},
					{d(2018, 10, 31), 57, "Szkolenia 12–17."},
					{d(2018, 11, 30), 58, "Szkolenia 18–19."},
					{d(2019, 2, 28), 60, "Wszystkie 26 szkoleń zrealizowane."},
				}},
			{name: "Liczba godzin szkoleniowych", unit: UnitClockHours, target: 156, from: d(2017, 12, 1), to: d(2019, 2, 28),
				notes: "26 szkoleń/warsztatów po 6 godzin zegarowych.",
				readings: []demoReading{
					{d(2018, 1, 31), 12, ""}, {d(2018, 2, 28), 30, ""}, {d(2018, 3, 31), 36, ""}, {d(2018, 4, 30), 54, ""},
					{d(2018, 5, 31), 66, ""}, {d(2018, 9, 30), 78, ""}, {d(2018, 10, 31), 102, ""}, {d(2018, 11, 30), 114, ""},
					{d(2019, 1, 31), 120, ""}, {d(2019, 2, 28), 156, "Z list obecności; umowa wykonana."},
				}},
			{name: "Liczba pracowników socjalnych i asystentów rodziny objętych superwizją", unit: UnitPersons, target: 30, from: d(2018, 1, 1), to: d(2019, 2, 28),
				readings: []demoReading{
					{d(2018, 1, 31), 18, ""}, {d(2018, 2, 28), 24, ""}, {d(2018, 3, 31), 28, ""}, {d(2018, 6, 30), 30, "Wszyscy uczestnicy objęci superwizją."},
					{d(2019, 2, 28), 30, ""},
				}},
			{name: "Liczba godzin superwizji pracy socjalnej", unit: UnitLessonHours, target: 156, from: d(2018, 1, 1), to: d(2019, 2, 28),
				notes: "Godziny lekcyjne po 45 minut (umowa z 30.11.2017 r.).",
				readings: []demoReading{
					{d(2018, 1, 31), 16, ""}, {d(2018, 2, 28), 32, ""}, {d(2018, 3, 31), 48, ""}, {d(2018, 4, 30), 64, ""},
					{d(2018, 5, 31), 80, ""}, {d(2018, 6, 30), 96, "Przerwa wakacyjna w lipcu i sierpniu."}, {d(2018, 9, 30), 109, ""},
					{d(2018, 10, 31), 122, ""}, {d(2018, 11, 30), 138, ""}, {d(2019, 1, 31), 144, ""}, {d(2019, 2, 28), 156, "Umowa wykonana."},
				}},
		},
	}
}

// demoUkraine is the project of social services for people affected by
// the war in Ukraine that seed 002's header names (in Ukrainian). Its
// funding and dates are not in the seed: the title is that of the Silesian
// regional programme's call (RPO WSL 2014–2020, 9.2.10), the dates plausible.
func demoUkraine() demoProject {
	d := demoDate
	const invented = "Data przyjęta w danych demonstracyjnych."
	return demoProject{
		Project: Project{
			Name:      "Usługi społeczne na rzecz ograniczenia skutków kryzysu wywołanego konfliktem zbrojnym na terytorium Ukrainy – Gmina Tarnowskie Góry",
			Kind:      KindEUProject,
			Programme: "Regionalny Program Operacyjny Województwa Śląskiego na lata 2014–2020 (EFS), oś priorytetowa IX Włączenie społeczne, poddziałanie 9.2.10",
			From:      d(2022, 7, 1),
			To:        d(2023, 6, 30),
			MainGoal: "Wsparcie osób, które przybyły z Ukrainy w związku z konfliktem zbrojnym na jej terytorium i mieszkają w gminie Tarnowskie Góry: " +
				"poradnictwo, pomoc w sprawach urzędowych, wsparcie psychologiczne i integracja ze społecznością lokalną.",
		},
		unit: demoUnitSocialWork,
		milestones: []demoMilestone{
			{title: "Rozpoczęcie realizacji projektu", planned: Period{From: d(2022, 7, 1)}, done: d(2022, 7, 1), notes: invented},
			{title: "Publikacja informacji o projekcie w języku ukraińskim", planned: Period{From: d(2022, 9, 1)}, done: d(2022, 9, 5),
				notes: "„Соціальні послуги для зменшення наслідків кризи, спричиненої збройним конфліктом на території України – ґміна Тарновські Гури”."},
			{title: "Poradnictwo, pomoc tłumacza i wsparcie psychologiczne", planned: Period{From: d(2022, 9, 1), To: d(2023, 6, 30)}, done: d(2023, 6, 30), notes: invented},
			{title: "Zakończenie realizacji projektu", planned: Period{From: d(2023, 6, 30)}, done: d(2023, 6, 30)},
		},
	}
}

// demoAssistant is an edition of the "personal assistant" programme of
// seed 002's header, funded by the Solidarity Fund; its dates are plausible.
func demoAssistant(year int, settled time.Time) demoProject {
	d := demoDate
	edition := fmt.Sprintf("edycja %d", year)
	return demoProject{
		Project: Project{
			Name: "„Asystent osobisty osoby z niepełnosprawnością” dla Jednostek Samorządu Terytorialnego – " + edition,
			Kind: KindProgramme,
			Programme: "Program Ministra Rodziny i Polityki Społecznej „Asystent osobisty osoby z niepełnosprawnością” dla Jednostek Samorządu " +
				"Terytorialnego – " + edition + ", finansowany z Funduszu Solidarnościowego",
			From: d(year, 1, 1),
			To:   d(year, 12, 31),
			MainGoal: "Usługi asystencji osobistej dla osób z niepełnosprawnościami: wsparcie w codziennych czynnościach i w życiu społecznym, " +
				"ograniczenie skutków niepełnosprawności.",
		},
		unit:    demoUnitServices,
		settled: settled,
		// Plausible, not from a seed: the programme's agreements keep the
		// documents five years.
		retainYears: 5,
		milestones: []demoMilestone{
			{title: "Nabór uczestników Programu i asystentów osobistych", planned: Period{From: d(year, 1, 2), To: d(year, 2, 28)}, done: d(year, 2, 28)},
			{title: "Zawarcie umów z asystentami osobistymi", planned: Period{From: d(year, 3, 1)}, done: d(year, 3, 1)},
			{title: "Usługi asystencji osobistej", planned: Period{From: d(year, 3, 1), To: d(year, 12, 31)}, done: d(year, 12, 31)},
			{title: "Sprawozdanie z realizacji Programu i rozliczenie środków Funduszu Solidarnościowego", planned: Period{From: d(year+1, 1, 31)}, done: d(year+1, 1, 31)},
		},
	}
}

// demoSecondHand is the standing programme of seed 004's "Punkt
// pośrednictwa sprzętu używanego": running, with a milestone due ten days
// after today, one five days late and an indicator behind its pace.
func demoSecondHand(today time.Time) demoProject {
	rel := func(days int) time.Time { return today.AddDate(0, 0, days) }
	from := time.Date(today.Year()-2, today.Month(), 1, 0, 0, 0, 0, time.UTC)
	report := time.Date(from.Year()+1, 1, 31, 0, 0, 0, 0, time.UTC)
	return demoProject{
		Project: Project{
			Name: "Punkt pośrednictwa sprzętu używanego",
			Kind: KindProgramme,
			From: from,
			MainGoal: "Przekazywanie rodzinom w potrzebie używanych mebli, sprzętu AGD i wyposażenia mieszkań, które darczyńcy oddają do punktu, " +
				"zamiast ich wyrzucania.",
		},
		unit:        demoUnitServices,
		coordinator: "koordynator",
		milestones: []demoMilestone{
			{title: "Uruchomienie punktu i ogłoszenie zasad przyjmowania sprzętu", planned: Period{From: from}, done: from},
			{title: "Porozumienie ze spółdzielnią socjalną w sprawie transportu sprzętu", planned: Period{From: from.AddDate(0, 1, 14)}, done: from.AddDate(0, 1, 20)},
			{title: fmt.Sprintf("Sprawozdanie z działalności punktu za %d r.", report.Year()-1), planned: Period{From: report}, done: report},
			{title: "Przegląd magazynu i wycofanie zużytego sprzętu", planned: Period{From: rel(-20)}, replanned: Period{From: rel(-5)}, replannedOn: rel(-25),
				reason: "Magazyn przy ul. Grzybowej 211 niedostępny w czasie remontu; przegląd po jego zakończeniu.", late: true},
			{title: "Akcja informacyjna: zbiórka mebli i sprzętu przed zimą", planned: Period{From: rel(10)}},
			{title: "Sprawozdanie roczne z działalności punktu", planned: Period{From: rel(60)}},
		},
		indicators: []demoIndicator{
			{name: "Liczba sprzętów przekazanych rodzinom", unit: UnitCount, target: 150, from: rel(-240), to: rel(120),
				notes: "Meble, sprzęt AGD i wyposażenie mieszkań, według protokołów przekazania.",
				readings: []demoReading{
					{rel(-210), 10, ""}, {rel(-150), 31, ""}, {rel(-90), 48, ""}, {rel(-30), 61, "Mniej darów w okresie letnim."}, {rel(-3), 66, ""},
				}},
			{name: "Liczba rodzin, które otrzymały sprzęt", unit: UnitPersons, target: 60, from: rel(-240), to: rel(120),
				readings: []demoReading{{rel(-150), 20, ""}, {rel(-60), 38, ""}, {rel(-3), 42, ""}}},
		},
	}
}

// demoHolidays is the next edition of seed 004's "Wakacje z MOPS-em":
// planned, with its first milestone due within the month.
func demoHolidays(today time.Time) demoProject {
	year := today.AddDate(0, 0, 200).Year()
	from, to := demoDate(year, 7, 1), demoDate(year, 8, 31)
	first := today.AddDate(0, 0, 20)
	if last := from.AddDate(0, 0, -7); first.After(last) {
		first = last
	}
	return demoProject{
		Project: Project{
			Name:     fmt.Sprintf("Wakacje z MOPS-em %d", year),
			Kind:     KindProgramme,
			From:     from,
			To:       to,
			MainGoal: "Letni wypoczynek i zajęcia dla dzieci z rodzin objętych wsparciem Ośrodka.",
		},
		unit: demoUnitAssistants,
		milestones: []demoMilestone{
			{title: "Rozeznanie potrzeb: lista dzieci chętnych do wypoczynku", planned: Period{From: first}},
			{title: "Wybór organizatora wypoczynku (zapytanie ofertowe)", planned: Period{From: from.AddDate(0, 0, -45)}},
			{title: "Wyjazd pierwszej grupy dzieci", planned: Period{From: from}},
			{title: "Zajęcia wakacyjne w Centrum Aktywności Seniorów", planned: Period{From: from.AddDate(0, 0, 7), To: to.AddDate(0, 0, -7)}},
			{title: "Podsumowanie akcji", planned: Period{From: to.AddDate(0, 0, 14)}},
		},
		indicators: []demoIndicator{
			{name: "Liczba dzieci objętych wypoczynkiem letnim", unit: UnitPersons, target: 40},
		},
	}
}

// demoStNicholas is seed 004's St Nicholas' Day event of the coming
// 6 December, prepared from forty days before.
func demoStNicholas(today time.Time) demoProject {
	day := demoDate(today.Year(), 12, 6)
	if day.Before(today) {
		day = demoDate(today.Year()+1, 12, 6)
	}
	rel := func(days int) time.Time { return day.AddDate(0, 0, days) }
	return demoProject{
		Project: Project{
			Name:     fmt.Sprintf("Mikołajki %d", day.Year()),
			Kind:     KindEvent,
			From:     rel(-40),
			To:       day,
			MainGoal: "Spotkanie mikołajkowe z upominkami dla dzieci z rodzin objętych wsparciem Ośrodka.",
		},
		unit: demoUnitSocialWork,
		milestones: []demoMilestone{
			{title: "Zbiórka słodyczy i upominków", planned: Period{From: rel(-35), To: rel(-3)}, done: rel(-3)},
			{title: "Lista dzieci zaproszonych na spotkanie", planned: Period{From: rel(-14)}, done: rel(-14)},
			{title: "Spotkanie mikołajkowe", planned: Period{From: day}, done: day},
		},
	}
}
