package store

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The demo schedule: every training and supervision session of the
// 2018–2019 schedule that seed 002 publishes (its two tables of
// 16.01.2018 and 07.05.2018 and its notices of 31.08.2018 to 30.01.2019),
// in the courses of the EU project "Nowy Model – Lepsza Jakość", with the
// attendance of the people of the demo directory; and a course of periodic
// trainings placed around the store's today, so that a trainer's list and
// the home page have something to show.
//
// The seed names its trainers and supervisors; the demo gives each of them
// an invented name instead (one invented person per real one, the same in
// every session), and the code keeps no real name. The tables of 2018 name
// no trainer: their sessions have none, as the schedule published them.
// Everything is written through the same calls as the forms, by System as
// the rest of the demo.

// demoTrainer is an invented trainer; key names them in the sessions.
type demoTrainer struct {
	key, name, organisation string
	login                   string // a demo account that takes attendance
	unit                    string // a unit whose first person trains (staff)
}

// demoTrainers stand in for the people seed 002 names as "Prowadzący" and
// as supervisors, one each, all from outside the centre (a supervisor may
// not be its employee), plus the centre's data protection officer, who
// teaches the periodic training of today's course. The one who taught data
// protection in 2019 is the trainer of the demo account "trener".
var demoTrainers = []demoTrainer{
	{key: "rodo", name: "Tomasz Trenerski", organisation: "Kancelaria Szkoleniowa „Bezpieczny Urząd” s.c.", login: "trener"},
	{key: "superwizor1", name: "Ryszard Kotlarski", organisation: "Pracownia Superwizji i Rozwoju Zawodowego „Most”"},
	{key: "superwizor2", name: "Jarosław Pełczyński", organisation: "Pracownia Superwizji i Rozwoju Zawodowego „Most”"},
	{key: "strategia", name: "Lidia Sobieraj", organisation: "Instytut Rozwoju Usług Społecznych"},
	{key: "informacja", name: "Anita Rembowska", organisation: "Centrum Szkoleń Samorządowych „Prawo i Praktyka”"},
	{key: "pomost", name: "Konrad Wierzchoń", organisation: "Infosocjal – wdrożenia systemów dziedzinowych"},
	{key: "przemoc", name: "Bożena Trzcińska-Malec", organisation: "Ośrodek Interwencji Kryzysowej i Szkoleń „Azymut”"},
	{key: "kontrola", name: "Teresa Cichoń", organisation: "Centrum Szkoleń Samorządowych „Prawo i Praktyka”"},
	{key: "psychiatria", name: "Irena Lipińska-Bajor", organisation: "Poradnia Zdrowia Psychicznego „Równowaga”"},
	{key: "iod", unit: "Inspektor Ochrony Danych"},
}

// demoSlot is one session as the seed gives it. Places are the seed's
// street addresses: a location of the demo structure at that street, or
// free text.
type demoSlot struct {
	day        string // 2018-01-19
	start, end string // 09.00
	place      string
	trainer    string // a demoTrainers key; empty: the seed names none
	part       string
	topic      string
	group      string
	units      int // the seed's own count of units, when it says one
	reason     string
	notes      string
	// audience are the units (by name) and job categories whose people
	// take part first; pair names sessions that share their people out.
	audience []string
	pair     string
	// pending leaves a past session's attendance for its trainer to take.
	pending bool
}

const (
	demoSienkiewicza = "ul. Sienkiewicza 8"
	demoBytomska     = "ul. Bytomska 15"
	demoJanasa       = "ul. Janasa 9"
)

// Audiences of the trainings, by unit and job category.
var (
	demoAdministration = []string{"Zespół ds. Świadczeń Przyznawanych Decyzją", "Zespół Realizacji Świadczeń", "Stanowisko ds. Pierwszego Kontaktu",
		"Dział Świadczeń Rodzinnych i Wychowawczych", "Sekcja Funduszu Alimentacyjnego", "Dział Dodatków Mieszkaniowych"}
	demoDecisions  = []string{"Zespół ds. Świadczeń Przyznawanych Decyzją", "Stanowisko ds. Pierwszego Kontaktu"}
	demoSocialWork = []string{"Zespół ds. Pracy Socjalnej", "Zespół Asystentów Rodziny", "Zespół ds. Przeciwdziałania Przemocy w Rodzinie",
		"Stanowisko ds. Pierwszego Kontaktu"}
	demoViolence  = []string{"Zespół ds. Przeciwdziałania Przemocy w Rodzinie", "Zespół ds. Pracy Socjalnej", "Zespół Asystentów Rodziny"}
	demoFrontDesk = []string{"Stanowisko ds. Pierwszego Kontaktu", "Zespół Realizacji Świadczeń", "Dział Świadczeń Rodzinnych i Wychowawczych",
		"Sekcja Funduszu Alimentacyjnego", "Kasa", "Zespół ds. Świadczeń Przyznawanych Decyzją"}
	demoManagers = []string{"kierownik", "koordynator zespołu", "Dyrekcja"}
	demoServices = []string{"Zespół ds. Usług", "Dział Usług, Analiz i Programów", "Zespół ds. Analiz i Programów"}
)

// demoTrainings are the 26 trainings and workshops of the contract of
// 29.11.2017 (156 clock hours): the table of 16.01.2018 (its trainings
// 1–11, no trainer named) and the notices after it. The notices of
// 31.08.2018 to 05.11.2018 name no place for their trainings: neither do
// these sessions.
var demoTrainings = []demoSlot{
	{day: "2018-01-19", start: "09.00", end: "15.00", place: demoSienkiewicza, part: "cz.1", topic: "Kodeks postępowania administracyjnego w pomocy społecznej", audience: demoAdministration},
	{day: "2018-01-25", start: "09.00", end: "15.00", place: demoSienkiewicza, part: "cz.1", topic: "Diagnoza w zespole świadczeń przyznanych decyzją", audience: demoDecisions},
	{day: "2018-02-21", start: "09.00", end: "15.00", place: demoSienkiewicza, part: "cz.1", topic: "Instrukcja kancelaryjna i archiwizacja dokumentów"},
	{day: "2018-02-23", start: "09.00", end: "15.00", place: demoSienkiewicza, part: "cz.2", topic: "Kodeks postępowania administracyjnego w pomocy społecznej", audience: demoAdministration},
	{day: "2018-02-28", start: "09.00", end: "15.00", place: demoSienkiewicza, part: "cz.2", topic: "Diagnoza w zespole świadczeń przyznanych decyzją", audience: demoDecisions},
	{day: "2018-03-14", start: "09.00", end: "15.00", place: demoSienkiewicza, part: "cz.2", topic: "Instrukcja kancelaryjna i archiwizacja dokumentów"},
	// The table dates both parts on the same day at the same hours: two
	// groups side by side, each person in one of them.
	{day: "2018-04-17", start: "09.00", end: "15.00", place: demoSienkiewicza, part: "cz.1", topic: "Warsztaty umiejętności interpersonalnych", pair: "warsztaty",
		notes: "Harmonogram z 16.01.2018 r. podaje dla cz.1 i cz.2 ten sam dzień i te same godziny: warsztaty w dwóch grupach równolegle."},
	{day: "2018-04-17", start: "09.00", end: "15.00", place: demoSienkiewicza, part: "cz.2", topic: "Warsztaty umiejętności interpersonalnych", pair: "warsztaty",
		notes: "Harmonogram z 16.01.2018 r. podaje dla cz.1 i cz.2 ten sam dzień i te same godziny: warsztaty w dwóch grupach równolegle."},
	{day: "2018-04-23", start: "09.00", end: "15.00", place: demoSienkiewicza, part: "cz.1", topic: "Diagnoza w pracy socjalnej", audience: demoSocialWork},
	{day: "2018-05-10", start: "09.00", end: "15.00", place: demoSienkiewicza, part: "cz.2", topic: "Diagnoza w pracy socjalnej", audience: demoSocialWork},
	{day: "2018-05-23", start: "09.00", end: "15.00", place: demoBytomska, topic: "Praca socjalna – wprowadzenie", audience: demoSocialWork},
	// Notice of 31.08.2018.
	{day: "2018-09-17", start: "08.00", end: "14.00", trainer: "psychiatria", part: "szkolenie nr 11",
		topic: "Praca z osobami z zaburzeniami psychicznymi. Zapobieganie nawrotom choroby psychicznej – farmakoterapia", audience: demoSocialWork},
	{day: "2018-09-27", start: "08.00", end: "14.00", trainer: "superwizor1", part: "szkolenie nr 7", topic: "Interwencja w pracy socjalnej", audience: demoViolence},
	{day: "2018-10-02", start: "09.00", end: "15.00", trainer: "kontrola", part: "szkolenie nr 18", topic: "Kontrola zarządcza", audience: demoManagers},
	// Notice of 21.09.2018: one training in two groups a week apart.
	{day: "2018-10-10", start: "09.00", end: "15.00", group: "1", audience: demoFrontDesk, pair: "trudny klient",
		topic: "Praca z trudnym klientem. Obsługa klienta: komunikacja interpersonalna, asertywność, podejście do trudnego klienta, zasady bezpieczeństwa, standardy profesjonalnej obsługi klienta"},
	{day: "2018-10-17", start: "09.00", end: "15.00", group: "2", audience: demoFrontDesk, pair: "trudny klient",
		topic: "Praca z trudnym klientem. Obsługa klienta: komunikacja interpersonalna, asertywność, podejście do trudnego klienta, zasady bezpieczeństwa, standardy profesjonalnej obsługi klienta"},
	{day: "2018-10-24", start: "09.00", end: "15.00", audience: demoViolence,
		topic: "Skuteczne działanie zespołów interdyscyplinarnych ds. przeciwdziałania przemocy w rodzinie, w tym w rodzinie wieloproblemowej"},
	// Notice of 05.11.2018.
	{day: "2018-11-23", start: "09.30", end: "15.30", trainer: "przemoc", audience: demoViolence,
		topic: "Tworzenie skutecznych planów pomocy przez członków grup roboczych w ramach procedury Niebieskich Kart"},
	{day: "2018-11-27", start: "09.00", end: "15.00", trainer: "strategia", topic: "Standardy usług społecznych – wdrożenie", audience: demoServices},
	// Notices of 14.01.2019 and 30.01.2019.
	{day: "2019-01-17", start: "09.00", end: "15.00", place: demoSienkiewicza, trainer: "strategia", audience: append(slices.Clone(demoManagers), demoServices...),
		topic: "Elementy i narzędzia tworzenia strategii rozwiązywania problemów społecznych"},
	{day: "2019-02-11", start: "09.00", end: "15.00", place: demoJanasa, trainer: "pomost", topic: "POMOST – system informatyczny", audience: demoAdministration},
	{day: "2019-02-12", start: "09.00", end: "15.00", place: demoSienkiewicza, trainer: "informacja", topic: "Udostępnianie informacji publicznej", audience: demoManagers},
	{day: "2019-02-13", start: "09.00", end: "15.00", place: demoSienkiewicza, trainer: "superwizor1", topic: "Efektywne zarządzanie", audience: demoManagers},
	{day: "2019-02-21", start: "09.00", end: "15.00", place: demoSienkiewicza, trainer: "strategia", audience: append(slices.Clone(demoManagers), demoServices...),
		topic: "Elementy i narzędzia tworzenia strategii rozwiązywania problemów społecznych"},
	{day: "2019-02-22", start: "09.00", end: "15.00", place: demoSienkiewicza, trainer: "superwizor1", topic: "Efektywne zarządzanie", audience: demoManagers},
	{day: "2019-02-25", start: "09.00", end: "15.00", place: demoSienkiewicza, trainer: "rodo",
		topic: "Ochrona danych osobowych – wejście w życie ogólnego rozporządzenia UE o ochronie danych osobowych (RODO)"},
}

// demoSupervision is the supervision of the contract of 30.11.2017 (156
// lesson hours, January 2018 – February 2019) as the seed schedules it:
// 150 lesson hours in 37 sessions. Where a line gives two slots, or two
// groups, they are two sessions; groups are named as the line names them.
var demoSupervision = []demoSlot{
	// Table of 16.01.2018 (no supervisor named).
	{day: "2018-01-11", start: "08.00", end: "11.00", place: demoSienkiewicza},
	{day: "2018-01-11", start: "11.30", end: "14.30", place: demoSienkiewicza},
	{day: "2018-01-12", start: "11.00", end: "14.00", place: demoSienkiewicza},
	{day: "2018-01-19", start: "08.00", end: "11.00", place: demoBytomska},
	{day: "2018-02-15", start: "08.00", end: "11.00", place: demoSienkiewicza},
	{day: "2018-02-15", start: "11.30", end: "14.30", place: demoSienkiewicza},
	{day: "2018-02-20", start: "11.00", end: "14.00", place: demoSienkiewicza},
	{day: "2018-02-23", start: "10.30", end: "13.30", place: demoBytomska},
	{day: "2018-03-20", start: "08.00", end: "14.00", place: demoSienkiewicza},
	{day: "2018-03-21", start: "12.00", end: "15.00", place: demoSienkiewicza},
	{day: "2018-03-23", start: "10.30", end: "13.30", place: demoBytomska},
	{day: "2018-04-05", start: "08.00", end: "14.00", place: demoSienkiewicza},
	// One row, two slots at two addresses.
	{day: "2018-04-20", start: "08.30", end: "11.30", place: demoBytomska},
	{day: "2018-04-20", start: "12.00", end: "15.00", place: demoSienkiewicza},
	// Table of 07.05.2018; it has no row 5.
	{day: "2018-05-22", start: "08.00", end: "11.00", place: demoSienkiewicza},
	{day: "2018-05-22", start: "11.00", end: "14.00", place: demoSienkiewicza},
	{day: "2018-05-23", start: "11.30", end: "14.30", place: demoSienkiewicza},
	{day: "2018-05-25", start: "08.30", end: "11.30", place: demoBytomska},
	{day: "2018-06-12", start: "08.00", end: "11.00", place: demoSienkiewicza},
	{day: "2018-06-12", start: "08.00", end: "11.00", place: demoBytomska,
		notes: "Harmonogram z 07.05.2018 r. podaje na ten dzień i te godziny dwa spotkania pod dwoma adresami."},
	{day: "2018-06-28", start: "08.00", end: "11.00", place: demoSienkiewicza},
	{day: "2018-06-28", start: "11.30", end: "14.30", place: demoSienkiewicza},
	// Notice of 31.08.2018 (place: Sienkiewicza 8).
	{day: "2018-09-04", start: "12.00", end: "15.00", place: demoSienkiewicza, trainer: "superwizor2", units: 3,
		reason: "Harmonogram z 31.08.2018 r.: 3 x 45 min; pozostały czas to przerwa."},
	{day: "2018-09-14", start: "07.00", end: "10.00", place: demoSienkiewicza, trainer: "superwizor1"},
	// "8.00 – 14.00 (2gr x 3 x 45 min)": two groups of three units each,
	// one after the other. The slot is split into 8.00–10.30 and
	// 11.00–13.30, as the notice of 01.10.2018 schedules the same two
	// groups ("8.00 – 10.30 (1 gr …)", "11.00 – 13.30 (2 gr …)").
	{day: "2018-09-18", start: "08.00", end: "10.30", place: demoSienkiewicza, trainer: "superwizor2", group: "1",
		notes: "Harmonogram z 31.08.2018 r.: 8.00 – 14.00 (2 gr x 3 x 45 min), podzielone na dwa spotkania grup."},
	{day: "2018-09-18", start: "11.00", end: "13.30", place: demoSienkiewicza, trainer: "superwizor2", group: "2",
		notes: "Harmonogram z 31.08.2018 r.: 8.00 – 14.00 (2 gr x 3 x 45 min), podzielone na dwa spotkania grup."},
	// Notice of 01.10.2018 (place: Bytomska 15).
	{day: "2018-10-09", start: "07.30", end: "10.30", place: demoBytomska, trainer: "superwizor1"},
	{day: "2018-10-24", start: "12.00", end: "14.30", place: demoBytomska, trainer: "superwizor2", group: "3"},
	{day: "2018-10-25", start: "08.00", end: "10.30", place: demoBytomska, trainer: "superwizor2", group: "1"},
	{day: "2018-10-25", start: "11.00", end: "13.30", place: demoBytomska, trainer: "superwizor2", group: "2"},
	// Notice of 05.11.2018 (place: Sienkiewicza 8).
	{day: "2018-11-20", start: "08.00", end: "11.00", place: demoSienkiewicza, trainer: "superwizor2"},
	{day: "2018-11-20", start: "12.00", end: "15.00", place: demoSienkiewicza, trainer: "superwizor2"},
	{day: "2018-11-21", start: "08.00", end: "11.00", place: demoSienkiewicza, trainer: "superwizor2"},
	{day: "2018-11-30", start: "07.30", end: "10.30", place: demoSienkiewicza, trainer: "superwizor1"},
	// Notice of 30.01.2019.
	{day: "2019-02-12", start: "08.00", end: "11.00", place: demoBytomska, trainer: "superwizor2", group: "I"},
	{day: "2019-02-12", start: "12.00", end: "15.00", place: demoBytomska, trainer: "superwizor2", group: "II"},
	{day: "2019-02-25", start: "08.00", end: "11.00", place: demoBytomska, trainer: "superwizor1", group: "I"},
}

// Titles of the demo courses.
const (
	demoCourseTrainings   = "Szkolenia i warsztaty dla pracowników"
	demoCourseSupervision = "Superwizja pracy socjalnej"
	demoEUProject         = "Nowy Model – Lepsza Jakość"
)

// Capacities of the demo sessions.
const (
	demoTrainingCapacity    = 30
	demoSupervisionCapacity = 15
)

// demoPresence is how a person took part in a demo session, fixed by
// their IDs: most were there, some came late or left early, a few were
// excused or absent.
func demoPresence(session, person uint64, total int) (Presence, int) {
	switch (session*7 + person*13) % 23 {
	case 0:
		return Absent, 0
	case 1, 2:
		return Excused, 0
	case 3:
		if total > 1 {
			return Late, total - 1
		}
	case 4:
		if total > 1 {
			return LeftEarly, max(total/2, 1)
		}
	}
	return Present, 0
}

// demoSchedule holds what the demo schedule is written from.
type demoSchedule struct {
	s        *Store
	org      *Org
	today    time.Time
	people   []*Staff // by ID
	trainers map[string]uint64
	busy     []Session // the sessions written so far, to keep people out of two at once
}

// seedDemoSchedule writes the demo courses, trainers and sessions; it does
// nothing when the database has courses already.
func (s *Store) seedDemoSchedule() error {
	if s.count(bucketCourses) > 0 {
		return nil
	}
	o, err := s.Org()
	if err != nil {
		return err
	}
	// About 1,100 small transactions into a new file, as the forms would
	// write them: a bulk load that flushes the file once, at its end,
	// rather than after each. The demo seeds before anything else runs.
	s.db.NoSync = true
	defer func() { s.db.NoSync = false }()
	// The project's schedule kept no trainings in June–August and no
	// supervision in July–August 2018 (seed 002).
	for _, b := range []Blackout{
		{Name: "Przerwa wakacyjna w szkoleniach projektu", Kinds: []CourseKind{CourseTraining, CourseWorkshop},
			From: time.Date(2018, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2018, 8, 31, 0, 0, 0, 0, time.UTC)},
		{Name: "Przerwa wakacyjna w superwizji", Kinds: []CourseKind{CourseSupervision},
			From: time.Date(2018, 7, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2018, 8, 31, 0, 0, 0, 0, time.UTC)},
	} {
		if err := s.SaveBlackout(System, &b, 0); err != nil {
			return err
		}
	}
	ds := &demoSchedule{s: s, org: o, today: s.Today(), trainers: map[string]uint64{}}
	for i := range o.People {
		ds.people = append(ds.people, &o.People[i])
	}
	slices.SortFunc(ds.people, func(a, b *Staff) int { return cmp.Compare(a.ID, b.ID) })
	for _, dt := range demoTrainers {
		t := &Trainer{Name: dt.name, Organisation: dt.organisation}
		if dt.login != "" {
			if usr, err := s.UserByLogin(dt.login); err == nil {
				t.UserID = usr.ID
			}
		}
		if dt.unit != "" { // a person of the centre: the first one of the unit
			p := ds.firstOf(dt.unit)
			if p == nil {
				continue
			}
			t.Name, t.PersonID, t.UserID = p.FullName(), p.ID, p.UserID
			t.Email, t.Phone = p.Email, firstString(p.Phones)
		}
		if err := s.SaveTrainer(System, t, 0); err != nil {
			return fmt.Errorf("trainer %s: %w", dt.key, err)
		}
		ds.trainers[dt.key] = t.ID
	}
	if err := ds.projectCourses(); err != nil {
		return err
	}
	if err := ds.periodicCourse(); err != nil {
		return err
	}
	if err := s.computeDemoIndicators(); err != nil {
		return err
	}
	return s.db.Sync()
}

// computeDemoIndicators makes the EU project's indicators count its
// courses: hours from the held sessions of the course in their unit,
// people from those present. The readings entered before stay stored.
func (s *Store) computeDemoIndicators() error {
	courses, err := s.Courses()
	if err != nil {
		return err
	}
	o, err := s.Org()
	if err != nil {
		return err
	}
	for _, c := range courses {
		if c.ProjectID == 0 {
			continue
		}
		for _, ind := range o.IndicatorsOf(c.ProjectID) {
			cp := *ind
			supervision := strings.Contains(strings.ToLower(ind.Name), "superwizj")
			if supervision != (c.Kind == CourseSupervision) {
				continue
			}
			switch {
			case ind.Unit == UnitPersons:
				cp.Source = SourcePeople
			case (ind.Unit == UnitClockHours && c.Unit == ClockHours) || (ind.Unit == UnitLessonHours && c.Unit == LessonHours):
				cp.Source = SourceHours
			default:
				continue
			}
			cp.CourseIDs = []uint64{c.ID}
			if err := s.SaveIndicator(System, &cp, ind.Version); err != nil {
				return fmt.Errorf("indicator %s: %w", ind.Name, err)
			}
		}
	}
	return nil
}

func firstString(list []string) string {
	if len(list) == 0 {
		return ""
	}
	return list[0]
}

// projectCourses writes the EU project's two courses with the seed's
// sessions. A settled project takes no changes: then the demo has none.
func (ds *demoSchedule) projectCourses() error {
	var project *Project
	for i := range ds.org.Projects {
		if ds.org.Projects[i].Name == demoEUProject {
			project = &ds.org.Projects[i]
		}
	}
	if project == nil || project.Frozen() {
		return nil
	}
	if _, err := ds.s.SetLogo(System, project.ID, "pasek-logotypow.png", DemoLogo()); err != nil {
		return fmt.Errorf("logo strip: %w", err)
	}
	trainings := &Course{Title: demoCourseTrainings, Kind: CourseTraining, ProjectID: project.ID, Unit: ClockHours,
		ContractedHours: 156, ContractedPeople: 60,
		Notes: "Umowa z 29.11.2017 r.: 26 szkoleń/warsztatów (156 godzin szkoleniowych) do 28.02.2019 r.; wskaźnik liczy szkolenia i warsztaty razem. " +
			"Bez szkoleń w czerwcu, lipcu i sierpniu 2018 r."}
	supervision := &Course{Title: demoCourseSupervision, Kind: CourseSupervision, ProjectID: project.ID, Unit: LessonHours,
		ContractedHours: 156, ContractedPeople: 30,
		Notes: "Umowa z 30.11.2017 r.: 156 godzin lekcyjnych (po 45 minut) superwizji pracy socjalnej dla pracowników socjalnych " +
			"i asystentów rodziny, od stycznia 2018 r. do lutego 2019 r.; bez spotkań w lipcu i sierpniu 2018 r. " +
			"Superwizor nie jest pracownikiem Ośrodka."}
	for _, c := range []*Course{trainings, supervision} {
		if err := ds.s.SaveCourse(System, c, 0); err != nil {
			return fmt.Errorf("course %s: %w", c.Title, err)
		}
	}
	taken := map[string][]uint64{} // people of the sessions that share them out, by pair
	for i, slot := range demoTrainings {
		day := demoDay(slot.day)
		size := 18 + (i*7)%13
		if len(slot.audience) > 0 {
			size = min(max(len(ds.audience(day, slot.audience))+6, 15), demoTrainingCapacity)
		}
		people := ds.pick(day, slot.audience, size, taken[slot.pair])
		if slot.pair != "" {
			taken[slot.pair] = append(taken[slot.pair], people...)
		}
		if err := ds.session(trainings, slot, demoTrainingCapacity, people); err != nil {
			return err
		}
	}
	// The supervised: social workers and family assistants with their
	// teams' coordinators, in three groups that keep their people; a
	// line that names no group takes the groups in turn.
	groups := ds.supervisionGroups(demoDay(demoSupervision[0].day), 3)
	turn := 0
	for _, slot := range demoSupervision {
		day := demoDay(slot.day)
		g := map[string]int{"1": 0, "I": 0, "2": 1, "II": 1, "3": 2, "III": 2}[slot.group]
		if slot.group == "" {
			g, turn = turn%len(groups), turn+1
		}
		var people []uint64
		for _, p := range groups[g] {
			if p.EmployedOn(day) {
				people = append(people, p.ID)
			}
		}
		if err := ds.session(supervision, slot, demoSupervisionCapacity, people); err != nil {
			return err
		}
	}
	// The seed's tables and notices, published on their own dates: the
	// table of 16.01.2018 lists supervision of 11 and 12 January, which a
	// controller would find published late.
	for _, n := range []struct{ at, from, to time.Time }{
		{demoInstant(2018, 1, 16), demoDate(2018, 1, 1), demoDate(2018, 5, 6)},
		{demoInstant(2018, 5, 7), demoDate(2018, 5, 7), demoDate(2018, 8, 31)},
		{demoInstant(2018, 8, 31), demoDate(2018, 9, 1), demoDate(2018, 9, 30)},
		{demoInstant(2018, 10, 1), demoDate(2018, 10, 1), demoDate(2018, 11, 4)},
		{demoInstant(2018, 11, 5), demoDate(2018, 11, 5), demoDate(2019, 1, 13)},
		{demoInstant(2019, 1, 14), demoDate(2019, 1, 14), demoDate(2019, 2, 28)},
	} {
		if n.at.After(ds.s.now()) {
			break
		}
		if _, err := ds.s.Publish(System, project.ID, n.from, n.to, n.at); err != nil {
			return fmt.Errorf("published schedule of %s: %w", n.at.Format(time.DateOnly), err)
		}
	}
	return nil
}

// demoInstant is 12:00 in Warsaw on a day: when a notice went up.
func demoInstant(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 12, 0, 0, 0, warsaw)
}

// periodicCourse is a course of the centre's own (no project) around
// today: the last working day's session waits for its attendance list, one
// is held today and two are next week, one of them with the demo staff
// account's person enrolled.
func (ds *demoSchedule) periodicCourse() error {
	year := ds.today.Year()
	c := &Course{Title: fmt.Sprintf("Szkolenie BHP i ochrona danych %d/%d", year, year+1), Kind: CourseTraining, Unit: ClockHours,
		Notes: "Szkolenia okresowe BHP i z ochrony danych osobowych dla wszystkich pracowników Ośrodka, w grupach według miejsca pracy."}
	if err := ds.s.SaveCourse(System, c, 0); err != nil {
		return fmt.Errorf("course %s: %w", c.Title, err)
	}
	lastWorking := ds.today.AddDate(0, 0, -1)
	for !WorkingDay(lastWorking) {
		lastWorking = lastWorking.AddDate(0, 0, -1)
	}
	toMonday := (8 - int(ds.today.Weekday())) % 7
	if toMonday == 0 {
		toMonday = 7
	}
	nextWeek := ds.today.AddDate(0, 0, toMonday) // next week's Monday
	working := func(day time.Time) time.Time {
		for !WorkingDay(day) {
			day = day.AddDate(0, 0, 1)
		}
		return day
	}
	tuesday, thursday := working(nextWeek.AddDate(0, 0, 1)), working(nextWeek.AddDate(0, 0, 3))
	if !thursday.After(tuesday) {
		thursday = working(tuesday.AddDate(0, 0, 1))
	}
	iso := func(t time.Time) string { return t.Format(time.DateOnly) }
	slots := []struct {
		demoSlot
		trainers []string
		capacity int
		size     int
		staff    bool // the demo staff account's person takes part
	}{
		{demoSlot: demoSlot{day: iso(lastWorking), start: "09.00", end: "13.00", place: demoJanasa, topic: "Szkolenie okresowe BHP – pracownicy administracyjno-biurowi",
			audience: demoAdministration, pending: true}, trainers: []string{"rodo"}, capacity: 20, size: 14},
		{demoSlot: demoSlot{day: iso(ds.today), start: "10.00", end: "13.00", place: demoSienkiewicza, topic: "Ochrona danych osobowych w pracy socjalnej",
			audience: demoSocialWork}, trainers: []string{"rodo", "iod"}, capacity: 20, size: 16},
		{demoSlot: demoSlot{day: iso(tuesday), start: "09.00", end: "13.00", place: demoSienkiewicza, topic: "Szkolenie okresowe BHP – praca w terenie",
			audience: demoSocialWork}, trainers: []string{"rodo"}, capacity: 20, size: 12, staff: true},
		{demoSlot: demoSlot{day: iso(thursday), start: "09.00", end: "12.00", place: demoBytomska, topic: "Pierwsza pomoc – zajęcia praktyczne",
			audience: []string{"Dzienny Dom Pomocy dla Osób Starszych i Samotnych", "Centrum Aktywności Seniorów", "Zespół ds. Usług"}}, trainers: []string{"rodo"}, capacity: 12, size: 8},
	}
	for _, sl := range slots {
		day := demoDay(sl.day)
		for _, holiday := HolidayOn(day); holiday; _, holiday = HolidayOn(day) { // nobody plans a session on a public holiday
			day = day.AddDate(0, 0, 1)
		}
		sl.day = iso(day)
		var extra []uint64
		if sl.staff {
			if usr, err := ds.s.UserByLogin("pracownik"); err == nil {
				if p, err := ds.s.PersonOfUser(usr.ID); err == nil && p.EmployedOn(day) {
					extra = append(extra, p.ID)
				}
			}
		}
		people := append(extra, ds.pick(day, sl.audience, sl.size-len(extra), extra)...)
		slot := sl.demoSlot
		slot.trainer = ""
		if err := ds.session(c, slot, sl.capacity, people, sl.trainers...); err != nil {
			return err
		}
	}
	return nil
}

func demoDay(iso string) time.Time {
	d, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		panic(err) // the demo's own data
	}
	return d
}

// session writes one session, enrols its people and, once its day has
// passed, takes their attendance.
func (ds *demoSchedule) session(c *Course, slot demoSlot, capacity int, people []uint64, trainers ...string) error {
	start, ok1 := ParseClock(slot.start)
	end, ok2 := ParseClock(slot.end)
	if !ok1 || !ok2 {
		return fmt.Errorf("demo session %s: clock %s–%s", slot.day, slot.start, slot.end)
	}
	ss := &Session{CourseID: c.ID, Part: slot.part, Topic: slot.topic, Date: demoDay(slot.day), Start: start, End: end,
		Group: slot.group, Capacity: capacity, Status: SessionPlanned, Units: slot.units, UnitsReason: slot.reason, Notes: slot.notes}
	if slot.trainer != "" {
		trainers = append([]string{slot.trainer}, trainers...)
	}
	for _, k := range trainers {
		if id := ds.trainers[k]; id != 0 {
			ss.TrainerIDs = append(ss.TrainerIDs, id)
		}
	}
	if slot.place != "" {
		ss.LocationID = ds.locationAt(slot.place)
		if ss.LocationID == 0 {
			ss.Address = slot.place
		}
	}
	// Someone in another session at the time stays at that one: the
	// demo plans no clash that a coordinator would have to override.
	people = slices.DeleteFunc(slices.Clone(people), func(p uint64) bool {
		for _, b := range ds.busy {
			if b.Date.Equal(ss.Date) && b.Start < ss.End && ss.Start < b.End && b.Enrolled(p) {
				return true
			}
		}
		return false
	})
	if err := ds.s.SaveSession(System, ss, 0, Plan{}); err != nil {
		return fmt.Errorf("demo session %s %s: %w", slot.day, slot.start, err)
	}
	if len(people) > 0 {
		if _, err := ds.s.Enrol(System, ss.ID, ss.Version, people, Plan{}); err != nil {
			return fmt.Errorf("demo session %s %s: enrol: %w", slot.day, slot.start, err)
		}
	}
	ds.busy = append(ds.busy, Session{Date: ss.Date, Start: ss.Start, End: ss.End, Participants: people})
	if slot.pending || !ss.Date.Before(ds.today) {
		return nil
	}
	total := ss.HourUnits(c.Unit)
	for _, p := range people {
		presence, units := demoPresence(ss.ID, p, total)
		if _, err := ds.s.MarkAttendance(System, ss.ID, p, 0, presence, units, ""); err != nil {
			return fmt.Errorf("demo session %s %s: attendance: %w", slot.day, slot.start, err)
		}
	}
	// The trainers confirmed their lists, but for the last fortnight's:
	// those still wait, as they would in a real centre.
	if len(people) > 0 && ss.Date.Before(ds.today.AddDate(0, 0, -14)) {
		fresh, err := ds.s.Session(ss.ID)
		if err != nil {
			return err
		}
		if err := ds.s.ConfirmList(System, ss.ID, fresh.Version); err != nil {
			return fmt.Errorf("demo session %s %s: confirm: %w", slot.day, slot.start, err)
		}
		// The signed paper is scanned and attached, but for a few lists
		// still in someone's drawer: what the evidence pack finds missing.
		if ss.ID%7 != 3 {
			scan := DemoScanPDF("Lista obecnosci - skan podpisanej listy", c.Title, ss.Date.Format("02.01.2006")+" "+Clock(ss.Start)+"-"+Clock(ss.End))
			if _, err := ds.s.AttachScan(System, ss.ID, "lista-"+ss.Date.Format("2006-01-02")+".pdf", scan); err != nil {
				return fmt.Errorf("demo session %s %s: scan: %w", slot.day, slot.start, err)
			}
		}
	}
	return nil
}

// locationAt is the demo location at a street address (the first made, so
// the main building rather than its cash desk), or 0.
func (ds *demoSchedule) locationAt(street string) uint64 {
	var id uint64
	for _, l := range ds.org.Locations {
		if l.Street == street && (id == 0 || l.ID < id) {
			id = l.ID
		}
	}
	return id
}

// firstOf is the first person (by ID) working in a unit today.
func (ds *demoSchedule) firstOf(unit string) *Staff {
	for _, p := range ds.people {
		if ds.in(p, ds.today, []string{unit}) {
			return p
		}
	}
	return nil
}

// in reports whether a person works on day in one of the units (by any of
// their names) or job categories.
func (ds *demoSchedule) in(p *Staff, day time.Time, names []string) bool {
	for _, a := range p.AssignmentsOn(day) {
		if u := ds.org.UnitByID[a.UnitID]; u != nil {
			for _, st := range u.States {
				if slices.Contains(names, st.Name) {
					return true
				}
			}
		}
		if c := ds.org.CategoryByID[a.CategoryID]; c != nil && slices.Contains(names, c.Name) {
			return true
		}
	}
	return false
}

// audience are the people of the units and categories on day, by ID.
func (ds *demoSchedule) audience(day time.Time, names []string) []uint64 {
	var out []uint64
	for _, p := range ds.people {
		if ds.in(p, day, names) {
			out = append(out, p.ID)
		}
	}
	return out
}

// pick chooses size people employed on day, not in except: the audience
// first, then the others in a turn that starts elsewhere for each day, so
// that the trainings reach most of the centre.
func (ds *demoSchedule) pick(day time.Time, audience []string, size int, except []uint64) []uint64 {
	var out []uint64
	add := func(id uint64) {
		if len(out) < size && !slices.Contains(out, id) && !slices.Contains(except, id) {
			out = append(out, id)
		}
	}
	if len(audience) > 0 {
		for _, id := range ds.audience(day, audience) {
			add(id)
		}
	}
	var employed []uint64
	for _, p := range ds.people {
		if p.EmployedOn(day) {
			employed = append(employed, p.ID)
		}
	}
	if len(employed) == 0 {
		return out
	}
	from := int(day.Unix()/86400) * 7 % len(employed)
	for i := range employed {
		add(employed[(from+i)%len(employed)])
	}
	return out
}

// supervisionGroups deals the people supervised (social workers, family
// assistants and the coordinators of their teams, as employed on day) into
// n groups in turn.
func (ds *demoSchedule) supervisionGroups(day time.Time, n int) [][]*Staff {
	teams := []string{"Zespół ds. Pracy Socjalnej", "Zespół Asystentów Rodziny", "Zespół ds. Przeciwdziałania Przemocy w Rodzinie",
		"Zespół ds. Świadczeń Przyznawanych Decyzją"}
	groups := make([][]*Staff, n)
	k := 0
	for _, p := range ds.people {
		supervised := false
		for _, a := range p.AssignmentsOn(day) {
			c := ds.org.CategoryByID[a.CategoryID]
			switch {
			case c == nil:
			case c.Name == "pracownik socjalny" || c.Name == "specjalista pracy socjalnej" || c.Name == "asystent rodziny":
				supervised = true
			case c.Name == "koordynator zespołu":
				supervised = supervised || ds.in(p, day, teams)
			}
		}
		if supervised && len(groups[k%n]) < demoSupervisionCapacity {
			groups[k%n] = append(groups[k%n], p)
			k++
		}
	}
	return groups
}
