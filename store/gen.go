package store

import (
	"context"
	"errors"
	"fmt"
	"html"
	"math/rand/v2"
	"strconv"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A synthetic centre for load tests: at scale 1 a large real centre (about
// 150 staff, 40 units, 10 locations, 5,000 audit entries), at scale N that
// many times more. Every record goes through the store's own validation
// and the same insert and replace helpers as a form, so the result is a
// database the product accepts; the same seed gives the same centre.

// GenOptions say how big a centre to generate.
type GenOptions struct {
	Scale int
	Seed  uint64
}

// GenStats count what Generate wrote.
type GenStats struct {
	Locations, Units, Staff, Users, Announcements, AuditEntries int
	Projects, Milestones, Replans, Indicators, Measurements     int
	Courses, Trainers, Sessions, Marks                          int
	Confirmed, Scans, Logos, Issued                             int
	Notes                                                       int
	Checklists, ChecklistResults                                int
}

// ErrNotEmpty means Generate was asked to fill a database that has data.
var ErrNotEmpty = errors.New("the database is not empty: generate into a new file")

var (
	genFirst = []string{"Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Elżbieta", "Zofia", "Joanna",
		"Żaneta", "Łucja", "Dorota", "Beata", "Jolanta", "Iwona", "Grażyna", "Halina", "Urszula", "Ścibora",
		"Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Marcin", "Michał", "Łukasz", "Jakub", "Grzegorz", "Józef", "Świętosław"}
	genLast = []string{"Nowak", "Kowalska", "Wiśniewska", "Wójcik", "Kowalczyk", "Kamińska", "Lewandowska", "Zielińska", "Szymańska",
		"Woźniak", "Dąbrowska", "Kozłowska", "Jankowska", "Mazur", "Kwiatkowska", "Krawczyk", "Piotrowska", "Grabowska", "Nowakowska",
		"Pawłowska", "Michalska", "Nowicka", "Adamczyk", "Dudek", "Zając", "Wieczorek", "Jabłońska", "Król", "Majewska", "Olszewska",
		"Jaworska", "Wróbel", "Malinowska", "Pawlak", "Witkowska", "Walczak", "Stępień", "Górska", "Rutkowska", "Michalak", "Sikora",
		"Ostrowska", "Baran", "Duda", "Szewczyk", "Tomaszewska", "Pietrzak", "Marciniak", "Wróblewska", "Zalewska", "Jakubowska",
		"Jasińska", "Zawadzka", "Sadowska", "Bąk", "Chmielewska", "Włodarczyk", "Borkowska", "Czarnecka", "Sawicka", "Sokołowska",
		"Urbańska", "Kubiak", "Maciejewska", "Szczepańska", "Kucharska", "Wilk", "Kalinowska", "Lis", "Mazurek", "Wysocka", "Adamska",
		"Kaźmierczak", "Wasilewska", "Sobczak", "Czerwińska", "Andrzejewska", "Cieślak", "Głowacka", "Zakrzewska", "Kołodziej",
		"Sikorska", "Krajewska", "Gajewska", "Szymczak", "Szulc", "Baranowska", "Laskowska", "Brzezińska", "Makowska", "Ziółkowska",
		"Przybylska", "Ćwiklińska", "Źrebiec", "Żak", "Łuczak", "Śliwa", "Ślusarczyk"}
	genTitles = []string{"pracownik socjalny", "starszy pracownik socjalny", "specjalista pracy socjalnej", "asystent rodziny",
		"aspirant pracy socjalnej", "inspektor", "podinspektor", "referent", "główny księgowy", "kasjer", "opiekunka domowa",
		"psycholog", "pedagog", "prawnik", "informatyk", "kierownik działu", "koordynator zespołu", "specjalista ds. świadczeń"}
	genStreets = []string{"Janasa", "Bytomska", "Sienkiewicza", "Wyszyńskiego", "Piastowska", "Grzybowa", "Gliwicka", "Opolska",
		"Śląska", "Żeromskiego", "Kościuszki", "Mickiewicza", "Łokietka", "Krakowska", "Zamkowa", "Ogrodowa", "Słowackiego"}
	genCities = []string{"Tarnowskie Góry", "Zgorzelec", "Tomaszów Mazowiecki", "Gliwice", "Bytom", "Świętochłowice"}
	genTeams  = []string{"Zespół ds. Pracy Socjalnej", "Zespół Asystentów Rodziny", "Zespół ds. Przeciwdziałania Przemocy w Rodzinie",
		"Zespół ds. Usług Opiekuńczych", "Zespół ds. Analiz i Programów", "Zespół ds. Świadczeń Przyznawanych Decyzją",
		"Zespół Realizacji Świadczeń", "Zespół ds. Świadczeń Rodzinnych", "Zespół ds. Dodatków Mieszkaniowych", "Sekcja Kadr",
		"Sekcja Księgowości", "Stanowisko ds. Pierwszego Kontaktu", "Stanowisko ds. Zamówień Publicznych"}
	genDepartments = []string{"Dział Pomocy Środowiskowej", "Dział Pracy Socjalnej i Asysty Rodzin", "Dział Usług, Analiz i Programów",
		"Dział Świadczeń", "Dział Finansowo-Księgowy", "Dział Administracyjny"}
	genFacilities = []string{"Dzienny Dom Pomocy", "Centrum Aktywności Seniorów", "Schronisko dla Osób Bezdomnych", "Mieszkania Chronione",
		"Klub Integracji Społecznej"}
)

// gen carries the random source and what has been made so far.
type gen struct {
	r     *rand.Rand
	n     int
	stats GenStats
}

func (g *gen) pick(list []string) string { return list[g.r.IntN(len(list))] }

func (g *gen) phone() string {
	return fmt.Sprintf("32 %03d %02d %02d", 200+g.r.IntN(700), g.r.IntN(100), g.r.IntN(100))
}

// Generate fills an empty database with a synthetic centre. Accounts get
// the demo password, one per role and then one per ten people.
func (s *Store) Generate(ctx context.Context, h *Hasher, opt GenOptions) (GenStats, error) {
	if opt.Scale < 1 {
		return GenStats{}, fmt.Errorf("scale %d: must be at least 1", opt.Scale)
	}
	if s.UserCount() > 0 || s.count(bucketStaff) > 0 || s.count(bucketUnits) > 0 {
		return GenStats{}, ErrNotEmpty
	}
	g := &gen{r: rand.New(rand.NewPCG(opt.Seed, 0x4d4f5053)), n: opt.Scale}
	hash, err := h.Hash(ctx, DemoPassword) // one hash for every account: this is test data
	if err != nil {
		return GenStats{}, err
	}
	if err := s.SetCentre(System, Centre{Name: "Miejski Ośrodek Pomocy Społecznej (dane syntetyczne)", Short: "MOPS (syntetyczny)",
		Address: "ul. Janasa 9, 42-612 Tarnowskie Góry", Phone: "32 285-78-39", Email: "mops@example.org", TravelMinutes: 30}, 0); err != nil {
		return GenStats{}, err
	}
	steps := []func(tx *bolt.Tx) error{
		func(tx *bolt.Tx) error { return s.genStructure(tx, g, hash) },
		func(tx *bolt.Tx) error { return s.genAnnouncements(tx, g) },
		func(tx *bolt.Tx) error { return s.genProjects(tx, g) },
		func(tx *bolt.Tx) error { return s.genBlackouts(tx, g) },
		nil, // the schedule, in transactions of its own: genSchedule
		func(tx *bolt.Tx) error { return s.genMonitoring(tx, g) },
		func(tx *bolt.Tx) error { return s.genChecklists(tx, g) },
		func(tx *bolt.Tx) error { return s.genEdits(tx, g) },
	}
	for _, step := range steps {
		if err := ctx.Err(); err != nil {
			return g.stats, err
		}
		if step == nil {
			if err := s.genSchedule(ctx, g); err != nil {
				return g.stats, fmt.Errorf("schedule: %w", err)
			}
			if err := s.genPublications(); err != nil {
				return g.stats, err
			}
			if err := s.genDocuments(g); err != nil {
				return g.stats, err
			}
			continue
		}
		if err := s.updateOrg(step); err != nil {
			return g.stats, err
		}
	}
	if err := s.refreshDemo(); err != nil {
		return g.stats, err
	}
	g.stats.AuditEntries = s.count(bucketAudit)
	return g.stats, nil
}

func (s *Store) count(bucket []byte) int {
	n := 0
	_ = s.db.View(func(tx *bolt.Tx) error {
		if b := tx.Bucket(bucket); b != nil {
			n = b.Stats().KeyN
		}
		return nil
	})
	return n
}

// genStructure makes the locations, the unit tree (with a reorganisation
// in its history), the people and their accounts.
func (s *Store) genStructure(tx *bolt.Tx, g *gen, hash string) error {
	var locIDs []uint64
	for i := range 10 * g.n {
		street := fmt.Sprintf("ul. %s %d", g.pick(genStreets), 1+i)
		l := &Location{Name: street, Street: street, PostalCode: fmt.Sprintf("42-%03d", 600+g.r.IntN(20)), City: g.pick(genCities),
			Phones: []string{g.phone()}, Notes: "Wejście od podwórka, pokoje na parterze."}
		for d := range 5 {
			l.Hours[d] = "07:30–15:30"
		}
		if err := l.Validate(); err != nil {
			return fmt.Errorf("location: %w", err)
		}
		if err := insert(s, tx, System, kindLocation, l); err != nil {
			return err
		}
		locIDs = append(locIDs, l.ID)
		g.stats.Locations++
	}
	since := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC)
	reorg := time.Date(2017, 9, 1, 0, 0, 0, 0, time.UTC)
	addUnit := func(name string, kind UnitKind, parent uint64) (uint64, error) {
		st := UnitState{From: since, Name: name, Kind: kind, ParentID: parent, Locations: []uint64{locIDs[g.r.IntN(len(locIDs))]},
			Phones: []string{g.phone()}, Duties: "Zadania zgodne z regulaminem organizacyjnym ośrodka."}
		if err := st.Validate(); err != nil {
			return 0, fmt.Errorf("unit %s: %w", name, err)
		}
		u := &Unit{States: []UnitState{st}}
		if g.r.IntN(4) == 0 { // a quarter of the units changed in the reorganisation
			later := st
			later.From, later.Name = reorg, name+" (od 2017)"
			u.States = append(u.States, later)
		}
		if err := insert(s, tx, System, kindUnit, u); err != nil {
			return 0, err
		}
		g.stats.Units++
		return u.ID, nil
	}
	// 40 units per scale step: one management, 6 departments, 28 teams
	// and sections under them, 5 facilities.
	var units []uint64
	for c := range g.n {
		top, err := addUnit(fmt.Sprintf("Dyrekcja – filia %d", c+1), KindManagement, 0)
		if err != nil {
			return err
		}
		units = append(units, top)
		for d := range 6 {
			dept, err := addUnit(fmt.Sprintf("%s %d", genDepartments[d], c+1), KindDepartment, top)
			if err != nil {
				return err
			}
			units = append(units, dept)
			for t := range 28 / 6 {
				name := fmt.Sprintf("%s %d.%d", genTeams[(d*5+t)%len(genTeams)], c+1, d+1)
				kind := KindTeam
				if t == 0 && d%2 == 0 {
					kind = KindSection
				}
				team, err := addUnit(name, kind, dept)
				if err != nil {
					return err
				}
				units = append(units, team)
			}
		}
		for f := range 5 + 28%6 {
			fac, err := addUnit(fmt.Sprintf("%s %d.%d", genFacilities[f%len(genFacilities)], c+1, f+1), KindFacility, top)
			if err != nil {
				return err
			}
			units = append(units, fac)
		}
	}
	cats := map[string]*JobCategory{}
	for _, c := range seedCategories {
		if err := insert(s, tx, System, kindCategory, &c); err != nil {
			return err
		}
		cats[c.Name] = &c
	}
	reader := &unitReader{tx: tx}
	today := Day(s.now())
	for i := range 150 * g.n {
		p := &Staff{FirstName: g.pick(genFirst), LastName: g.pick(genLast),
			LocationID: locIDs[g.r.IntN(len(locIDs))], Room: strconv.Itoa(1 + g.r.IntN(40)),
			Phones: []string{g.phone()}, EmployedFrom: since.AddDate(0, 0, g.r.IntN(5000))}
		if i%20 == 19 { // some have left
			p.EmployedTo = p.EmployedFrom.AddDate(1+g.r.IntN(5), 0, 0)
		}
		g.history(p, units, cats, today)
		p.Email = fmt.Sprintf("pracownik%d@example.org", i+1)
		if i < len(demoUsers) || i%10 == 0 {
			u := &User{Login: fmt.Sprintf("osoba%d", i+1), Name: p.FirstName + " " + p.LastName, Roles: []Role{RoleStaff},
				Active: true, Demo: true, PasswordHash: hash}
			if i < len(demoUsers) {
				u.Login, u.Roles = demoUsers[i].Login, demoUsers[i].Roles
			}
			if err := s.createUser(tx, System, u); err != nil {
				return fmt.Errorf("account %s: %w", u.Login, err)
			}
			p.UserID = u.ID
			g.stats.Users++
		}
		if err := s.savePerson(tx, reader, System, p, 0, ActionCreate); err != nil {
			return fmt.Errorf("person %d: %w", i+1, err)
		}
		g.stats.Staff++
	}
	return nil
}

// history gives a generated person one to three assignments in a row
// (moves between units, a new job title) and, for one in ten, a second
// post part-time.
func (g *gen) history(p *Staff, units []uint64, cats map[string]*JobCategory, today time.Time) {
	end := p.EmployedTo
	if end.IsZero() {
		end = today
	}
	post := func(from time.Time) Assignment {
		a := Assignment{From: from, UnitID: units[g.r.IntN(len(units))], Position: g.pick(genTitles)}
		if c := cats[demoCategory(a.Position)]; c != nil {
			a.CategoryID, a.FieldWork = c.ID, c.FieldWork && g.r.IntN(4) != 0
		}
		return a
	}
	first := post(p.EmployedFrom)
	first.Primary = true
	p.AddAssignment(first)
	cur := p.Assignments[0].ID
	for range g.r.IntN(3) {
		span := int(end.Sub(p.EmployedFrom).Hours() / 24)
		if span < 60 {
			break
		}
		at := p.EmployedFrom.AddDate(0, 0, 30+g.r.IntN(span-30))
		if a, _ := p.Assignment(cur); !at.After(a.From) {
			continue
		}
		next := post(at)
		if p.Move(at, cur, next) == nil {
			cur = p.Assignments[len(p.Assignments)-1].ID
		}
	}
	if g.r.IntN(10) == 0 {
		second := post(p.Assignments[len(p.Assignments)-1].From)
		if second.UnitID != p.Assignments[len(p.Assignments)-1].UnitID {
			p.AddAssignment(second)
		}
	}
}

func (s *Store) genAnnouncements(tx *bolt.Tx, g *gen) error {
	for i := range 20 * g.n {
		from := time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, g.r.IntN(3300))
		n := &Announcement{Title: fmt.Sprintf("Komunikat nr %d", i+1), ValidFrom: from, ValidTo: from.AddDate(0, 0, 30),
			Body: "Informujemy, że w dniu wskazanym powyżej kasa ośrodka będzie nieczynna. Za utrudnienia przepraszamy.", Pinned: i%15 == 0}
		if err := n.Validate(); err != nil {
			return err
		}
		if err := insert(s, tx, System, kindAnnouncement, n); err != nil {
			return err
		}
		g.stats.Announcements++
	}
	return nil
}

// genEdits changes people's rooms and phones until the audit log holds
// about 5,000 entries per scale step, as years of use would leave it.
func (s *Store) genEdits(tx *bolt.Tx, g *gen) error {
	people, err := all[Staff](tx, kindStaff)
	if err != nil {
		return err
	}
	units := &unitReader{tx: tx}
	want := 5000*g.n - tx.Bucket(bucketAudit).Stats().KeyN
	for i := 0; i < want; i++ {
		p := people[g.r.IntN(len(people))]
		p.Room = strconv.Itoa(1 + g.r.IntN(40))
		p.Phones = []string{g.phone()}
		if err := s.savePerson(tx, units, System, &p, 0, ActionUpdate); err != nil {
			return err
		}
	}
	return nil
}

// genDocuments gives every open EU project its logo strip and issues
// each project course's evidence pack once (a small synthetic document:
// the real one is rendered by the web pages).
func (s *Store) genDocuments(g *gen) error {
	o, err := s.Org()
	if err != nil {
		return err
	}
	courses, err := s.Courses()
	if err != nil {
		return err
	}
	logo := DemoLogo()
	return s.db.Update(func(tx *bolt.Tx) error {
		for _, p := range o.Projects {
			if p.Kind != KindEUProject || p.Frozen() {
				continue
			}
			f := &File{Purpose: PurposeLogo, Owner: ProjectOwner(p.ID), Project: p.ID, Name: "pasek-logotypow.png", Type: TypePNG}
			if err := s.storeFile(tx, System, f, logo); err != nil {
				return err
			}
			g.stats.Logos++
		}
		for _, c := range courses {
			if c.ProjectID == 0 {
				continue
			}
			doc := "<!DOCTYPE html><html lang=\"pl\"><meta charset=\"utf-8\"><title>Pakiet dokumentów do kontroli</title>" +
				"<h1>Pakiet dokumentów do kontroli: " + html.EscapeString(c.Title) + "</h1><p>Dane syntetyczne.</p></html>"
			f := &File{Purpose: PurposeIssued, Owner: "evidence:" + strconv.FormatUint(c.ID, 10), Project: c.ProjectID,
				Name: cleanFileName("Pakiet dokumentów do kontroli "+c.Title, TypeHTML), Type: TypeHTML}
			if err := s.storeFile(tx, System, f, []byte(doc)); err != nil {
				return err
			}
			g.stats.Issued++
		}
		return nil
	})
}

// genPublications publishes the first half year of every open project's
// schedule a week before the project began, and once more a month in: the
// second version finds what was planned late.
func (s *Store) genPublications() error {
	o, err := s.Org()
	if err != nil {
		return err
	}
	for _, p := range o.Projects {
		if p.Frozen() || p.From.IsZero() {
			continue
		}
		for _, at := range []time.Time{p.From.AddDate(0, 0, -7), p.From.AddDate(0, 1, 0)} {
			_, err := s.Publish(System, p.ID, p.From, p.From.AddDate(0, 6, 0), at.Add(12*time.Hour))
			if err != nil && ErrorCode(err) != EConflict {
				return fmt.Errorf("published schedule of %s: %w", p.Name, err)
			}
		}
	}
	return nil
}
