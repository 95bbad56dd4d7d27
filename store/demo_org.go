package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The demo centre's structure follows the Tarnowskie Góry seeds: the
// structure before the reorganisation, the one in force from 01.09.2017 and
// a later one with the addresses of the centre's newer pages. People's names
// are invented.

var (
	demoBefore = time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	demoReorg  = time.Date(2017, 9, 1, 0, 0, 0, 0, time.UTC)
	demoLater  = time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
)

type demoLocation struct {
	key string
	Location
}

var demoLocations = []demoLocation{
	{"janasa9", Location{Name: "Siedziba – ul. Janasa 9", Street: "ul. Janasa 9", PostalCode: "42-612", City: "Tarnowskie Góry",
		Notes: "Świadczenia rodzinne i wychowawcze: wejście od strony kasy, pok. nr 5. Urna na dokumenty przy wejściu.", Phones: []string{"32 476 85 00"},
		Hours: [7]string{"08:00–15:00", "08:00–15:00", "08:00–15:00", "08:00–15:00", "08:00–15:00"}, Accessibility: "Wejście od strony kasy bez schodów."}},
	{"kasa", Location{Name: "Kasa – ul. Janasa 9", Street: "ul. Janasa 9", PostalCode: "42-612", City: "Tarnowskie Góry",
		Notes: "Wejście od strony kasy. Wypłaty po okazaniu decyzji administracyjnej.", Hours: [7]string{1: "10:00–14:00"}}},
	{"janasa11", Location{Name: "Centrum Aktywności Seniorów – ul. Janasa 11", Street: "ul. Janasa 11", PostalCode: "42-612", City: "Tarnowskie Góry",
		Hours: [7]string{"09:00–16:00", "09:00–16:00", "09:00–16:00", "09:00–16:00", "09:00–14:00"}}},
	{"piastowska8", Location{Name: "ul. Piastowska 8", Street: "ul. Piastowska 8", PostalCode: "42-600", City: "Tarnowskie Góry", Archived: true,
		Phones: []string{"32 285 78 39", "32 380 01 23"}, Hours: [7]string{"07:30–15:30", "07:30–15:30", "07:30–15:30", "07:30–15:30", "07:30–15:30"}}},
	{"bytomska15", Location{Name: "ul. Bytomska 15", Street: "ul. Bytomska 15", PostalCode: "42-600", City: "Tarnowskie Góry",
		Notes: "Wejście od podwórka. Sala szkoleniowa na parterze.", Phones: []string{"32 285 59 70"},
		Hours: [7]string{"07:30–15:30", "07:30–15:30", "07:30–15:30", "07:30–15:30", "07:30–15:30"}}},
	{"sienkiewicza8", Location{Name: "ul. Sienkiewicza 8", Street: "ul. Sienkiewicza 8", PostalCode: "42-600", City: "Tarnowskie Góry",
		Notes: "Sala szkoleniowa na I piętrze.", Hours: [7]string{"07:30–15:30", "07:30–15:30", "07:30–15:30", "07:30–15:30", "07:30–15:30"}}},
	{"wyszynskiego131", Location{Name: "ul. Wyszyńskiego 131", Street: "ul. Wyszyńskiego 131", PostalCode: "42-600", City: "Tarnowskie Góry", Archived: true,
		Phones: []string{"32 384 13 74"}}},
	{"wyszynskiego135", Location{Name: "ul. Wyszyńskiego 135", Street: "ul. Wyszyńskiego 135", PostalCode: "42-600", City: "Tarnowskie Góry",
		Phones: []string{"32 384 72 56"}, Hours: [7]string{"07:30–15:30", "07:30–15:30", "07:30–15:30", "07:30–15:30", "07:30–15:30"}}},
	{"grzybowa211", Location{Name: "ul. Grzybowa 211", Street: "ul. Grzybowa 211", PostalCode: "42-600", City: "Tarnowskie Góry"}},
	{"sienkiewicza48", Location{Name: "Schronisko – ul. Sienkiewicza 48", Street: "ul. Sienkiewicza 48", PostalCode: "42-600", City: "Tarnowskie Góry",
		Notes: "Całodobowo.", Hours: [7]string{"00:00–24:00", "00:00–24:00", "00:00–24:00", "00:00–24:00", "00:00–24:00", "00:00–24:00", "00:00–24:00"}}},
}

// demoState is one dated state of a demo unit; parent and locations are keys.
type demoState struct {
	from      time.Time
	name      string
	kind      UnitKind
	parent    string
	locations []string
	phones    []string
	email     string
	duties    string
}

type demoUnit struct {
	key    string
	states []demoState
	until  time.Time
	staff  []string // job titles of the people working there, the head first
}

var demoUnits = []demoUnit{
	{key: "dyrekcja", states: []demoState{{from: demoBefore, name: "Dyrekcja", kind: KindManagement, locations: []string{"janasa9"}, phones: []string{"32 476 85 00"}, email: "org@mopstg.pl",
		duties: "Kierowanie Ośrodkiem zgodnie z zasadą jednoosobowego kierownictwa."}}, staff: []string{"Dyrektor", "Zastępca Dyrektora", "Główny Księgowy", "informatyk"}},
	{key: "iod", states: []demoState{{from: demoBefore, name: "Inspektor Ochrony Danych", kind: KindPosition, parent: "dyrekcja", locations: []string{"janasa9"}, phones: []string{"32 476 85 00"}, email: "iod@mopstg.pl"}},
		staff: []string{"Inspektor Ochrony Danych"}},
	{key: "ksiegowosc", states: []demoState{{from: demoBefore, name: "Dział Finansowo-Księgowy", kind: KindDepartment, parent: "dyrekcja", locations: []string{"janasa9"}}},
		staff: []string{"Kierownik Działu", "księgowa", "księgowa"}},
	{key: "kasa", states: []demoState{{from: demoBefore, name: "Kasa", kind: KindPosition, parent: "ksiegowosc", locations: []string{"kasa"}}}, staff: []string{"kasjer"}},
	{key: "srw", states: []demoState{{from: demoBefore, name: "Dział Świadczeń Rodzinnych i Wychowawczych", kind: KindDepartment, parent: "dyrekcja", locations: []string{"janasa9"}, phones: []string{"32 476 85 32"}}},
		staff: []string{"Kierownik Działu", "inspektor", "inspektor", "podinspektor", "referent"}},
	{key: "fa", states: []demoState{{from: demoBefore, name: "Sekcja Funduszu Alimentacyjnego", kind: KindSection, parent: "srw", locations: []string{"janasa9"}, phones: []string{"32 476 85 35"}}},
		staff: []string{"inspektor", "podinspektor"}},
	{key: "kdr", states: []demoState{{from: demoBefore, name: "Stanowisko ds. Karty Dużej Rodziny", kind: KindPosition, parent: "srw", locations: []string{"janasa9"}, phones: []string{"32 476 85 00"}}},
		staff: []string{"referent"}},
	{key: "dps", states: []demoState{
		{from: demoBefore, name: "Dział Pomocy Środowiskowej", kind: KindDepartment, parent: "dyrekcja", locations: []string{"piastowska8"}, phones: []string{"32 285 78 39", "32 380 01 23"}},
		{from: demoLater, name: "Dział Pomocy Środowiskowej", kind: KindDepartment, parent: "dyrekcja", locations: []string{"sienkiewicza8"}, phones: []string{"32 285 78 39", "32 380 01 23"}},
	}, staff: []string{"Kierownik Działu"}},
	{key: "rejony", states: []demoState{{from: demoBefore, name: "Sekcja Pracy Socjalnej w Rejonach Opiekuńczych", kind: KindSection, parent: "dps", locations: []string{"piastowska8"}}},
		until: demoReorg},
	{key: "pierwszy", states: []demoState{
		{from: demoReorg, name: "Stanowisko ds. Pierwszego Kontaktu", kind: KindPosition, parent: "dps", locations: []string{"janasa9"},
			duties: "Wstępna rozmowa, informacja o uprawnieniach, skierowanie do właściwej komórki Ośrodka."},
	}, staff: []string{"pracownik socjalny", "pracownik socjalny"}},
	{key: "decyzje", states: []demoState{
		{from: demoReorg, name: "Zespół ds. Świadczeń Przyznawanych Decyzją", kind: KindTeam, parent: "dps", locations: []string{"sienkiewicza8"},
			duties: "Postępowania administracyjne i planowanie pomocy finansowej przez pracowników socjalnych w rejonach opiekuńczych."},
	}, staff: []string{"Koordynator Zespołu", "starszy pracownik socjalny", "pracownik socjalny", "pracownik socjalny", "pracownik socjalny", "pracownik socjalny", "pracownik socjalny"}},
	{key: "realizacja", states: []demoState{{from: demoReorg, name: "Zespół Realizacji Świadczeń", kind: KindTeam, parent: "dps", locations: []string{"janasa9"}}},
		staff: []string{"Koordynator Zespołu", "referent", "referent"}},
	{key: "punkt", states: []demoState{{from: demoLater, name: "Punkt Terenowy Pomocy Społecznej", kind: KindPosition, parent: "dps", locations: []string{"grzybowa211"}}},
		staff: []string{"pracownik socjalny"}},
	{key: "dpsar", states: []demoState{
		{from: demoReorg, name: "Dział Pracy Socjalnej i Asysty Rodzin", kind: KindDepartment, parent: "dyrekcja", locations: []string{"bytomska15"}},
	}, staff: []string{"Kierownik Działu"}},
	{key: "praca", states: []demoState{
		{from: demoReorg, name: "Zespół ds. Pracy Socjalnej", kind: KindTeam, parent: "dpsar", locations: []string{"bytomska15"}, phones: []string{"32 285 59 70"},
			duties: "Wyłącznie praca socjalna i działania interwencyjne: indywidualna praca z klientem i rodziną."},
		{from: demoLater, name: "Zespół ds. Pracy Socjalnej", kind: KindTeam, parent: "dpsar", locations: []string{"sienkiewicza8"}, phones: []string{"32 285 59 70"},
			duties: "Wyłącznie praca socjalna i działania interwencyjne: indywidualna praca z klientem i rodziną."},
	}, staff: []string{"Koordynator Zespołu", "specjalista pracy socjalnej", "starszy pracownik socjalny", "pracownik socjalny", "pracownik socjalny", "pracownik socjalny", "pracownik socjalny"}},
	{key: "asystenci", states: []demoState{
		{from: demoBefore, name: "Zespół Asystentów Rodziny", kind: KindTeam, parent: "dps", locations: []string{"wyszynskiego131"}, phones: []string{"32 384 13 74"}},
		{from: demoReorg, name: "Zespół Asystentów Rodziny", kind: KindTeam, parent: "dpsar", locations: []string{"wyszynskiego131"}, phones: []string{"32 384 13 74"}},
		{from: demoLater, name: "Zespół Asystentów Rodziny", kind: KindTeam, parent: "dpsar", locations: []string{"sienkiewicza8"}, phones: []string{"32 384 13 74"}},
	}, staff: []string{"Koordynator Zespołu", "asystent rodziny", "asystent rodziny", "asystent rodziny", "asystent rodziny"}},
	{key: "przemoc", states: []demoState{
		{from: demoReorg, name: "Zespół ds. Przeciwdziałania Przemocy w Rodzinie", kind: KindTeam, parent: "dpsar", locations: []string{"bytomska15"}, phones: []string{"32 285 59 70"}},
		{from: demoLater, name: "Zespół ds. Przeciwdziałania Przemocy w Rodzinie", kind: KindTeam, parent: "dpsar", locations: []string{"sienkiewicza8"}, phones: []string{"32 285 59 70"}},
	}, staff: []string{"Koordynator Zespołu", "pracownik socjalny", "psycholog"}},
	{key: "duap", states: []demoState{{from: demoReorg, name: "Dział Usług, Analiz i Programów", kind: KindDepartment, parent: "dyrekcja", locations: []string{"bytomska15"}}},
		staff: []string{"Kierownik Działu"}},
	{key: "uslugi", states: []demoState{
		{from: demoReorg, name: "Zespół ds. Usług", kind: KindTeam, parent: "duap", locations: []string{"bytomska15"}, phones: []string{"32 768 97 11"},
			duties: "Kwalifikowanie podopiecznych do różnych form usług społecznych."},
		{from: demoLater, name: "Zespół ds. Usług Opiekuńczych", kind: KindTeam, parent: "duap", locations: []string{"sienkiewicza8"}, phones: []string{"32 768 97 11"},
			duties: "Kwalifikowanie podopiecznych do różnych form usług społecznych."},
	}, staff: []string{"Koordynator Zespołu", "pracownik socjalny", "opiekunka środowiskowa", "opiekunka środowiskowa"}},
	{key: "analizy", states: []demoState{
		{from: demoReorg, name: "Zespół ds. Analiz i Programów", kind: KindTeam, parent: "duap", locations: []string{"piastowska8"}},
		{from: demoLater, name: "Zespół ds. Analiz i Programów", kind: KindTeam, parent: "duap", locations: []string{"sienkiewicza8"}},
	}, staff: []string{"Koordynator Zespołu", "specjalista ds. programów"}},
	{key: "dodatki", states: []demoState{
		{from: demoBefore, name: "Dział Dodatków Mieszkaniowych", kind: KindDepartment, parent: "dyrekcja", locations: []string{"piastowska8"}, phones: []string{"32 384 72 56"}},
		{from: demoLater, name: "Dział Dodatków Mieszkaniowych", kind: KindDepartment, parent: "dyrekcja", locations: []string{"wyszynskiego135"}, phones: []string{"32 384 72 56"}},
	}, staff: []string{"Kierownik Działu", "inspektor", "referent"}},
	{key: "cas", states: []demoState{{from: demoBefore, name: "Centrum Aktywności Seniorów", kind: KindFacility, parent: "dyrekcja", locations: []string{"janasa11"}}},
		staff: []string{"Kierownik Centrum", "instruktor terapii zajęciowej"}},
	{key: "ddp", states: []demoState{{from: demoBefore, name: "Dzienny Dom Pomocy dla Osób Starszych i Samotnych", kind: KindFacility, parent: "dyrekcja", locations: []string{"bytomska15"}}},
		staff: []string{"Kierownik Domu", "opiekunka", "opiekunka"}},
	{key: "mieszkania", states: []demoState{{from: demoBefore, name: "Zespół Mieszkań Chronionych", kind: KindFacility, parent: "dyrekcja", locations: []string{"grzybowa211"}}},
		staff: []string{"opiekun mieszkań chronionych"}},
	{key: "schronisko", states: []demoState{{from: demoBefore, name: "Schronisko dla Bezdomnych", kind: KindFacility, parent: "dyrekcja", locations: []string{"sienkiewicza48"}}},
		staff: []string{"Kierownik Schroniska", "opiekun", "opiekun"}},
}

// Invented names; paired by index to give every person a distinct name.
var (
	demoFirstFemale = []string{"Agnieszka", "Barbara", "Beata", "Dorota", "Elżbieta", "Ewelina", "Grażyna", "Halina", "Iwona", "Joanna",
		"Justyna", "Katarzyna", "Łucja", "Magdalena", "Małgorzata", "Marta", "Natalia", "Renata", "Sylwia", "Urszula", "Wioletta", "Żaneta"}
	demoLastFemale = []string{"Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowska", "Zielińska", "Szymańska", "Woźniak", "Dąbrowska",
		"Kozłowska", "Jankowska", "Mazur", "Krawczyk", "Piotrowska", "Grabowska", "Pawłowska", "Michalska", "Żak", "Ślusarczyk", "Łukasik", "Adamczyk", "Ćwiklińska"}
	demoFirstMale = []string{"Adam", "Bartosz", "Damian", "Grzegorz", "Jacek", "Krzysztof", "Łukasz", "Marek", "Paweł", "Robert", "Sławomir", "Tomasz", "Zbigniew"}
	demoLastMale  = []string{"Zając", "Król", "Wieczorek", "Jabłoński", "Majewski", "Olszewski", "Stępień", "Malinowski", "Górski", "Sikora", "Ostrowski", "Śliwiński", "Żmuda"}
)

// seedDemoOrg writes the demo structure, people and announcements in one
// transaction, linking the demo accounts to people where they work.
func (s *Store) seedDemoOrg() error {
	return s.updateOrg(func(tx *bolt.Tx) error {
		locs := map[string]uint64{}
		for _, dl := range demoLocations {
			l := dl.Location
			if err := l.Validate(); err != nil {
				return fmt.Errorf("demo location %s: %w", dl.key, err)
			}
			if err := insert(s, tx, System, kindLocation, &l); err != nil {
				return err
			}
			locs[dl.key] = l.ID
		}
		units := map[string]*Unit{}
		for _, du := range demoUnits {
			u := &Unit{Until: du.until}
			for _, ds := range du.states {
				st := UnitState{From: ds.from, Name: ds.name, Kind: ds.kind, Phones: ds.phones, Email: ds.email, Duties: ds.duties}
				if ds.parent != "" {
					st.ParentID = units[ds.parent].ID
				}
				for _, k := range ds.locations {
					st.Locations = append(st.Locations, locs[k])
				}
				if err := st.Validate(); err != nil {
					return fmt.Errorf("demo unit %s: %w", du.key, err)
				}
				u.States = append(u.States, st)
			}
			if err := insert(s, tx, System, kindUnit, u); err != nil {
				return err
			}
			units[du.key] = u
		}
		cats := map[string]*JobCategory{}
		for _, c := range seedCategories {
			if err := c.Validate(); err != nil {
				return err
			}
			if err := insert(s, tx, System, kindCategory, &c); err != nil {
				return err
			}
			cats[c.Name] = &c
		}
		post := func(unit, job string, from, to time.Time) Assignment {
			// Each demo post is the person's primary one but the second
			// post part-time (demoHistory).
			a := Assignment{UnitID: units[unit].ID, Position: job, From: from, To: to, Primary: true}
			if c := cats[demoCategory(job)]; c != nil {
				a.CategoryID, a.FieldWork = c.ID, c.FieldWork
			}
			// Like the centre in seed 004 (21 social workers, 14 in the
			// field): the first contact desk and the decisions team's
			// senior staff work in the office.
			if unit == "pierwszy" || (unit == "decyzje" && job != "pracownik socjalny") {
				a.FieldWork = false
			}
			return a
		}
		links := map[string]string{ // job title in a unit → demo login
			"dyrekcja/informatyk":               "admin",
			"analizy/Koordynator Zespołu":       "koordynator",
			"analizy/specjalista ds. programów": "monitoring",
			"praca/pracownik socjalny":          "pracownik",
			"praca/Koordynator Zespołu":         "kierownik",
		}
		n := 0
		for _, du := range demoUnits {
			u := units[du.key]
			st := u.Current()
			for i, job := range du.staff {
				p := &Staff{EmployedFrom: u.Since()}
				if len(st.Locations) > 0 {
					p.LocationID = st.Locations[0]
				}
				// Index pairs that never repeat: lists of coprime lengths, or
				// a shift once the first names wrap around.
				if n%3 == 2 {
					m := n / 3
					p.FirstName, p.LastName = demoFirstMale[m%len(demoFirstMale)], demoLastMale[(m*5+m/len(demoFirstMale))%len(demoLastMale)]
				} else {
					f := n - n/3
					p.FirstName, p.LastName = demoFirstFemale[f%len(demoFirstFemale)], demoLastFemale[(f*7)%len(demoLastFemale)]
				}
				p.Room = fmt.Sprint(n%14 + 1)
				p.Phones = []string{fmt.Sprintf("32 476 85 %02d", 10+n)}
				p.Email = fmt.Sprintf("%s.%s@mopstg.pl", Fold(p.FirstName), Fold(p.LastName))
				if login, ok := links[du.key+"/"+job]; ok {
					if uid := tx.Bucket(bucketUsersLogin).Get([]byte(login)); uid != nil {
						p.UserID = btoi(uid)
						delete(links, du.key+"/"+job)
						if usr, err := getUser(tx, p.UserID); err == nil {
							p.FirstName, p.LastName = splitName(usr.Name)
							p.Email = login + "@mopstg.pl"
						}
					}
				}
				if du.until.IsZero() && du.states[0].from.Equal(demoBefore) && n%9 == 4 {
					p.EmployedFrom = demoReorg.AddDate(0, 2, 0) // joined after the reorganisation
				}
				for _, a := range demoHistory(du.key, i, job, n, p, post) {
					p.AddAssignment(a)
				}
				if err := p.Validate(); err != nil {
					return fmt.Errorf("demo person %s/%s: %w", du.key, job, err)
				}
				if err := insert(s, tx, System, kindStaff, p); err != nil {
					return err
				}
				if err := reindexUser(tx.Bucket(bucketStaffUser), p.ID, p.UserID); err != nil {
					return err
				}
				n++
				if i == 0 && job[0] >= 'A' && job[0] <= 'Z' {
					// The head heads every state that starts while they
					// work here; one hired later heads the unit from the
					// day they start.
					headed := false
					for j := range u.States {
						if p.EmployedOn(u.States[j].From) {
							u.States[j].HeadID, headed = p.ID, true
						}
					}
					if last := u.Current(); !headed && p.EmployedFrom.After(last.From) && (u.Until.IsZero() || p.EmployedFrom.Before(u.Until)) {
						last.From, last.HeadID = p.EmployedFrom, p.ID
						u.States = append(u.States, last)
					}
					if err := putJSON(tx.Bucket(bucketUnits), itob(u.ID), u); err != nil {
						return err
					}
				}
			}
		}
		// The monitoring specialist's contract ran from 15.01.2018 to
		// 31.12.2018 (seed 002): a person who has left, with a history.
		spec := &Staff{FirstName: "Olga", LastName: "Monitorska", EmployedFrom: time.Date(2018, 1, 15, 0, 0, 0, 0, time.UTC),
			EmployedTo: time.Date(2018, 12, 31, 0, 0, 0, 0, time.UTC), Email: "olga.monitorska@mopstg.pl", LocationID: locs["piastowska8"]}
		spec.AddAssignment(post("analizy", "specjalista ds. monitoringu", spec.EmployedFrom, time.Time{}))
		if uid := tx.Bucket(bucketUsersLogin).Get([]byte("specjalistka")); uid != nil {
			spec.UserID = btoi(uid)
		}
		if err := insert(s, tx, System, kindStaff, spec); err != nil {
			return err
		}
		if err := reindexUser(tx.Bucket(bucketStaffUser), spec.ID, spec.UserID); err != nil {
			return err
		}
		for _, a := range demoAnnouncements {
			if err := a.Validate(); err != nil {
				return err
			}
			if err := insert(s, tx, System, kindAnnouncement, &a); err != nil {
				return err
			}
		}
		return nil
	})
}

// demoCategory is the job category of a demo job title.
func demoCategory(job string) string {
	switch job {
	case "pracownik socjalny", "starszy pracownik socjalny":
		return "pracownik socjalny"
	case "specjalista pracy socjalnej", "asystent rodziny", "opiekunka środowiskowa", "psycholog", "kasjer":
		return job
	case "Dyrektor", "Zastępca Dyrektora", "Kierownik Działu", "Kierownik Centrum", "Kierownik Domu", "Kierownik Schroniska", "Kierownik Sekcji":
		return "kierownik"
	case "Koordynator Zespołu":
		return "koordynator zespołu"
	case "Główny Księgowy", "księgowa":
		return "księgowa"
	case "inspektor", "podinspektor", "referent", "informatyk":
		return "pracownik administracyjny"
	case "opiekunka", "opiekun", "opiekun mieszkań chronionych", "instruktor terapii zajęciowej":
		return "pracownik obsługi"
	}
	return "specjalista"
}

// demoHistory gives a demo person their assignments. Most of the people
// of the teams set up on 01.09.2017 worked before in the units that the
// reorganisation dissolved or split (seed 002), a few moved again later,
// one was promoted and one holds a second post part-time.
func demoHistory(unit string, i int, job string, n int, p *Staff, post func(unit, job string, from, to time.Time) Assignment) []Assignment {
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	beforeReorg := demoReorg.AddDate(0, 0, -1)
	earlier := func(unit, job string) []Assignment {
		p.EmployedFrom = demoBefore.AddDate(n%7, (n*5)%12, 0)
		return []Assignment{post(unit, job, p.EmployedFrom, beforeReorg)}
	}
	var out []Assignment
	switch {
	case unit == "punkt": // the field office opened in 2021 with a social worker from the decisions team
		out = append(earlier("rejony", "pracownik socjalny"), post("decyzje", "pracownik socjalny", demoReorg, demoLater.AddDate(0, 0, -1)))
		return append(out, post(unit, job, demoLater, time.Time{}))
	case unit == "praca" && job == "starszy pracownik socjalny": // promoted in the same team
		out = append(earlier("rejony", "pracownik socjalny"), post(unit, "pracownik socjalny", demoReorg, demoLater.AddDate(0, 0, -1)))
		return append(out, post(unit, job, demoLater, time.Time{}))
	case unit == "decyzje" && i == 4: // moved from social work to decisions in 2019
		moved := day(2019, 6, 1)
		out = append(earlier("rejony", "pracownik socjalny"), post("praca", "pracownik socjalny", demoReorg, moved.AddDate(0, 0, -1)))
		return append(out, post(unit, job, moved, time.Time{}))
	case unit == "przemoc" && job == "psycholog": // half-time in the day-care home too
		second := post("ddp", job, day(2019, 3, 1), time.Time{})
		second.Primary = false
		p.EmployedFrom = demoReorg
		return []Assignment{post(unit, job, demoReorg, time.Time{}), second}
	case (unit == "pierwszy" || unit == "decyzje" || unit == "praca" || unit == "przemoc" || unit == "uslugi") && (n%4 != 3 || p.UserID != 0):
		before := "pracownik socjalny"
		if i == 0 {
			before = "starszy pracownik socjalny"
		}
		out = earlier("rejony", before)
	case unit == "realizacja":
		out = earlier("srw", map[bool]string{true: "inspektor", false: "referent"}[i == 0])
	case unit == "dpsar":
		out = earlier("rejony", "Kierownik Sekcji")
	case unit == "duap":
		out = earlier("dodatki", "inspektor")
	case unit == "analizy" && i == 0:
		out = earlier("dps", "specjalista")
	}
	if len(out) > 0 {
		return append(out, post(unit, job, demoReorg, time.Time{}))
	}
	return []Assignment{post(unit, job, p.EmployedFrom, time.Time{})}
}

func getUser(tx *bolt.Tx, id uint64) (*User, error) {
	var u User
	if err := getJSON(tx.Bucket(bucketUsers), itob(id), &u); err != nil {
		return nil, err
	}
	return &u, nil
}

func splitName(full string) (first, last string) {
	for i := len(full) - 1; i >= 0; i-- {
		if full[i] == ' ' {
			return full[:i], full[i+1:]
		}
	}
	return full, ""
}

var demoAnnouncements = []Announcement{
	{Title: "Kasa czynna we wtorki", Pinned: true, ValidFrom: time.Date(2020, 6, 8, 0, 0, 0, 0, time.UTC), Author: "system",
		Body: "KASA czynna w każdy wtorek w godz. od 10:00 do 14:00 (ul. Janasa 9, wejście od strony kasy). Wypłaty w kasie następują po okazaniu decyzji administracyjnej."},
	{Title: "Organizacja pracy od 13.10.2020", ValidFrom: time.Date(2020, 10, 13, 0, 0, 0, 0, time.UTC), ValidTo: time.Date(2022, 3, 31, 0, 0, 0, 0, time.UTC), Author: "system",
		Body: "Ośrodek ogranicza bezpośredni dostęp dla klientów. Obsługa wniosków o świadczenia rodzinne, wychowawcze i z funduszu alimentacyjnego: ul. Janasa 9 (wejście od strony kasy), w dni robocze 8:00–15:00. Kontakt osobisty z pozostałymi pracownikami po uzgodnieniu terminu."},
	{Title: "Wznowienie bezpośredniej obsługi klientów", ValidFrom: time.Date(2020, 6, 8, 0, 0, 0, 0, time.UTC), ValidTo: time.Date(2020, 10, 12, 0, 0, 0, 0, time.UTC), Author: "system",
		Body: "Od 08.06.2020 r. Ośrodek wznawia bezpośrednią obsługę klientów przy ul. Janasa 9, ul. Piastowskiej 8 i ul. Bytomskiej 15 (wejście od podwórka), w reżimie sanitarnym."},
	{Title: "Nowy regulamin organizacyjny", ValidFrom: demoReorg, Author: "system",
		Body: "Od 01.09.2017 r. obowiązuje nowa struktura organizacyjna Ośrodka: Dział Pomocy Środowiskowej, Dział Pracy Socjalnej i Asysty Rodzin oraz Dział Usług, Analiz i Programów. Aktualny schemat jest w zakładce Struktura."},
}
