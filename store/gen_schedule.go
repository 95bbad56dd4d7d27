package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The synthetic schedule: per scale step 20 courses (trainings, workshops
// and supervision, most of them in a generated project and within its
// period, the others the centre's own, somewhere in 2016–2027), 30
// trainers (a third of them staff, supervisors always from outside),
// 2,000 sessions on working days outside the summer break with 8 to 25
// people each (supervision groups up to 15), and 20,000 attendance marks
// on sessions that have taken place. Each record passes its Validate and
// keeps the index buckets as SaveSession does; they are written a few
// hundred sessions to a transaction, each session's marks with one audit
// entry for the list rather than one per mark.

var (
	genCourseTitles = map[CourseKind][]string{
		CourseTraining: {"Szkolenia dla pracowników", "Szkolenia okresowe", "Szkolenia specjalistyczne dla pracowników socjalnych",
			"Szkolenia dla kadry kierowniczej", "Szkolenia z procedur administracyjnych"},
		CourseWorkshop: {"Warsztaty umiejętności interpersonalnych", "Warsztaty pracy z rodziną", "Warsztaty dla asystentów rodziny",
			"Warsztaty antystresowe"},
		CourseSupervision: {"Superwizja pracy socjalnej", "Superwizja asystentów rodziny", "Superwizja zespołu interdyscyplinarnego"},
	}
	genTopics = []string{"Kodeks postępowania administracyjnego w pomocy społecznej", "Diagnoza w pracy socjalnej",
		"Diagnoza w zespole świadczeń przyznanych decyzją", "Instrukcja kancelaryjna i archiwizacja dokumentów", "Interwencja w pracy socjalnej",
		"Praca z trudnym klientem", "Praca z osobami z zaburzeniami psychicznymi", "Kontrola zarządcza", "Efektywne zarządzanie",
		"Procedura Niebieskiej Karty", "Standardy usług społecznych", "Ochrona danych osobowych (RODO)", "Udostępnianie informacji publicznej",
		"Szkolenie okresowe BHP", "Pierwsza pomoc", "Komunikacja interpersonalna i asertywność", "Wypalenie zawodowe – profilaktyka",
		"Kontrakt socjalny w praktyce", "Praca z rodziną wieloproblemową", "Świadczenia rodzinne – zmiany w przepisach"}
	genTrainerOrgs = []string{"Centrum Szkoleń Kadr Pomocy Społecznej", "Pracownia Superwizji i Rozwoju Zawodowego", "Instytut Rozwoju Usług Społecznych",
		"Kancelaria Szkoleniowa „Bezpieczny Urząd”", "Ośrodek Interwencji Kryzysowej i Szkoleń", "Fundacja Rozwoju Pracy Socjalnej",
		"Centrum Szkoleń Samorządowych", "Stowarzyszenie Superwizorów Pracy Socjalnej"}
	genVenues = []string{"Hotel „Pod Lipami”, sala konferencyjna", "Centrum Kultury, sala kameralna", "Urząd Miejski, sala sesyjna",
		"Powiatowe Centrum Pomocy Rodzinie, sala szkoleniowa"}
	genSlots = map[CourseKind][]genSlot{
		CourseTraining: {{540, 900, 0, ""}, {540, 900, 0, ""}, {480, 840, 0, ""}, {570, 930, 0, ""}, {540, 780, 0, ""},
			{540, 900, 5, "Przerwa obiadowa: 5 godzin zajęć."}},
		CourseWorkshop: {{540, 720, 0, ""}, {750, 930, 0, ""}, {540, 900, 0, ""}, {600, 780, 0, ""}},
		CourseSupervision: {{480, 660, 0, ""}, {720, 900, 0, ""}, {720, 870, 0, ""}, {450, 630, 0, ""}, {480, 630, 0, ""}, {660, 810, 0, ""},
			{480, 840, 0, ""}, {720, 900, 3, "3 x 45 min; pozostały czas to przerwa."}},
	}
)

// genSlot is a session's time of day (minutes) and, when it is not what
// fits, its count of units with the reason.
type genSlot struct {
	start, end int
	units      int
	reason     string
}

// genCourse is a course with what its sessions are drawn from.
type genCourse struct {
	Course
	from, to time.Time // when its sessions fall
	trainers []uint64
	groups   [][]int // indexes of staff; one list when it has no groups
	roman    bool    // its groups are "I", "II" rather than "1", "2"
	sessions int
}

// genMarkCount is the audit entry of a session's marks.
type genMarkCount struct {
	Marked    int `json:"marked"`
	Present   int `json:"present"`
	Late      int `json:"late"`
	LeftEarly int `json:"left_early"`
	Excused   int `json:"excused"`
	Scans     int `json:"scans,omitempty"` // of the signed list, attached
	Absent    int `json:"absent"`
}

// genScheduleBatch is how many sessions (with their marks) go into one
// transaction.
const genScheduleBatch = 250

func (s *Store) genSchedule(ctx context.Context, g *gen) error {
	today := Day(s.now())
	var staff []Staff
	var locs []uint64
	var courses []*genCourse
	if err := s.db.Update(func(tx *bolt.Tx) error {
		var err error
		if staff, err = all[Staff](tx, kindStaff); err != nil {
			return err
		}
		locs = bucketKeys(tx, bucketLocations)
		projects, err := all[Project](tx, kindProject)
		if err != nil {
			return err
		}
		cats, err := all[JobCategory](tx, kindCategory)
		if err != nil {
			return err
		}
		social := map[uint64]bool{}
		for _, c := range cats {
			switch c.Name {
			case "pracownik socjalny", "specjalista pracy socjalnej", "asystent rodziny":
				social[c.ID] = true
			}
		}
		external, everyone, err := s.genTrainers(tx, g, staff)
		if err != nil {
			return err
		}
		var supervised []int // people who ever worked in social work
		for i, p := range staff {
			if slices.ContainsFunc(p.Assignments, func(a Assignment) bool { return social[a.CategoryID] }) {
				supervised = append(supervised, i)
			}
		}
		var linkable []*Project // projects with a period that courses can run in
		for i := range projects {
			if projects[i].Kind != KindEvent {
				linkable = append(linkable, &projects[i])
			}
		}
		for i := range 20 * g.n {
			c, err := s.genCourse(tx, g, i, linkable, external, everyone, supervised, len(staff), today)
			if err != nil {
				return fmt.Errorf("course %d: %w", i+1, err)
			}
			courses = append(courses, c)
		}
		return nil
	}); err != nil {
		return err
	}
	g.shareSessions(courses, 2000*g.n)
	var planned []Session
	var of []*genCourse // each planned session's course
	for _, c := range courses {
		list := g.planSessions(c, staff, locs)
		slices.SortStableFunc(list, func(a, b Session) int {
			if d := a.Date.Compare(b.Date); d != 0 {
				return d
			}
			return a.Start - b.Start
		})
		planned = append(planned, list...)
		for range list {
			of = append(of, c)
		}
	}
	marks := g.chooseMarked(planned, today, 20_000*g.n)
	for from := 0; from < len(planned); from += genScheduleBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		to := min(from+genScheduleBatch, len(planned))
		if err := s.db.Update(func(tx *bolt.Tx) error {
			for i := from; i < to; i++ {
				if err := s.genWriteSession(tx, g, &planned[i], of[i].Unit, marks[i]); err != nil {
					return fmt.Errorf("session %d: %w", i+1, err)
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	return nil
}

// genTrainers makes 30 trainers per scale step: a third are staff (the
// first of them the people of the demo accounts "trener" and
// "koordynator", who take attendance), the others from outside.
func (s *Store) genTrainers(tx *bolt.Tx, g *gen, staff []Staff) (external, everyone []uint64, err error) {
	byUser := map[uint64]int{}
	for i, p := range staff {
		if p.UserID != 0 {
			byUser[p.UserID] = i
		}
	}
	var linked []int
	for _, login := range []string{"trener", "koordynator"} {
		if id := tx.Bucket(bucketUsersLogin).Get([]byte(login)); id != nil {
			if i, ok := byUser[btoi(id)]; ok {
				linked = append(linked, i)
			}
		}
	}
	used := map[int]bool{}
	for i := range 30 * g.n {
		t := &Trainer{}
		if i%3 == 0 || len(linked) > 0 {
			var k int
			if len(linked) > 0 {
				k, linked = linked[0], linked[1:]
			} else {
				k = g.r.IntN(len(staff))
				for used[k] && len(used) < len(staff) {
					k = g.r.IntN(len(staff))
				}
			}
			used[k] = true
			p := &staff[k]
			t.Name, t.PersonID, t.UserID, t.Email = p.FullName(), p.ID, p.UserID, p.Email
			if len(p.Phones) > 0 {
				t.Phone = p.Phones[0]
			}
		} else {
			t.Name = g.pick(genFirst) + " " + g.pick(genLast)
			t.Organisation = g.pick(genTrainerOrgs)
			t.Email = fmt.Sprintf("trener%d@example.org", i+1)
			t.Phone = g.phone()
		}
		if err := t.Validate(); err != nil {
			return nil, nil, fmt.Errorf("trainer %d: %w", i+1, err)
		}
		if err := insert(s, tx, System, kindTrainer, t); err != nil {
			return nil, nil, err
		}
		g.stats.Trainers++
		everyone = append(everyone, t.ID)
		if t.PersonID == 0 {
			external = append(external, t.ID)
		}
	}
	return external, everyone, nil
}

// genCourse makes a course: seven in ten belong to a project and run in
// its period, the others are the centre's own.
func (s *Store) genCourse(tx *bolt.Tx, g *gen, i int, projects []*Project, external, everyone []uint64, supervised []int, people int, today time.Time) (*genCourse, error) {
	c := &genCourse{}
	switch r := g.r.IntN(20); {
	case r < 9:
		c.Kind = CourseTraining
	case r < 13:
		c.Kind = CourseWorkshop
	default:
		c.Kind = CourseSupervision
	}
	c.Unit = c.Kind.DefaultUnit()
	c.Title = fmt.Sprintf("%s (%d)", g.pick(genCourseTitles[c.Kind]), i+1)
	if len(projects) > 0 && g.r.IntN(10) < 7 {
		p := projects[g.r.IntN(len(projects))]
		c.ProjectID = p.ID
		c.from, c.to = p.From, genEnd(p, today)
		c.ContractedHours, c.ContractedPeople = g.between(24, 200), g.between(10, 80)
		if title := []rune(fmt.Sprintf("%s – %s", c.Title, p.Name)); len(title) <= maxTitleLen {
			c.Title = string(title)
		}
	} else {
		c.from = genFirstDay.AddDate(0, 0, g.r.IntN(int(genLastDay.Sub(genFirstDay).Hours()/24)-365))
		c.to = c.from.AddDate(0, 0, g.between(180, 900))
	}
	if c.to.After(genLastDay) {
		c.to = genLastDay
	}
	if g.r.IntN(4) == 0 {
		c.Notes = "Umowa z wykonawcą i program zajęć w dokumentacji."
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := insert(s, tx, System, kindCourse, &c.Course); err != nil {
		return nil, err
	}
	g.stats.Courses++
	// Supervisors come from outside the centre; trainers from anywhere.
	from := everyone
	if c.Kind == CourseSupervision {
		from = external
	}
	for range g.between(1, 3) {
		if t := from[g.r.IntN(len(from))]; !slices.Contains(c.trainers, t) {
			c.trainers = append(c.trainers, t)
		}
	}
	// Its people, in groups that keep them.
	var pool []int
	if c.Kind == CourseSupervision && len(supervised) > 0 {
		for _, k := range g.r.Perm(len(supervised))[:min(len(supervised), 45)] {
			pool = append(pool, supervised[k])
		}
	} else {
		pool = g.r.Perm(people)[:min(people, g.between(30, 70))]
	}
	n := 1
	if g.r.IntN(3) == 0 || c.Kind == CourseSupervision {
		n = g.between(2, 4)
	}
	c.groups = make([][]int, n)
	for k, p := range pool {
		c.groups[k%n] = append(c.groups[k%n], p)
	}
	c.roman = g.r.IntN(2) == 0
	return c, nil
}

// shareSessions gives the courses total sessions between them, some more
// than others.
func (g *gen) shareSessions(courses []*genCourse, total int) {
	if len(courses) == 0 {
		return
	}
	weights, sum := make([]int, len(courses)), 0
	for i := range courses {
		weights[i] = g.between(50, 150)
		sum += weights[i]
	}
	given := 0
	for i, c := range courses {
		c.sessions = weights[i] * total / sum
		given += c.sessions
	}
	for i := 0; given < total; i, given = i+1, given+1 {
		courses[i%len(courses)].sessions++
	}
}

var romanGroups = []string{"I", "II", "III", "IV"}

// planSessions draws a course's sessions.
func (g *gen) planSessions(c *genCourse, staff []Staff, locs []uint64) []Session {
	out := make([]Session, 0, c.sessions)
	capacity := 30
	if c.Kind == CourseSupervision {
		capacity = 15
	}
	for k := range c.sessions {
		slot := genSlots[c.Kind][g.r.IntN(len(genSlots[c.Kind]))]
		ss := Session{CourseID: c.ID, Date: g.sessionDay(c.Kind, c.from, c.to), Start: slot.start, End: slot.end,
			Units: slot.units, UnitsReason: slot.reason, Capacity: capacity, Status: SessionPlanned}
		switch c.Kind {
		case CourseSupervision:
			ss.Part = fmt.Sprintf("spotkanie %d", k+1)
		case CourseWorkshop:
			ss.Topic, ss.Part = g.pick(genTopics), fmt.Sprintf("cz. %d", 1+g.r.IntN(3))
		default:
			ss.Topic, ss.Part = g.pick(genTopics), fmt.Sprintf("szkolenie nr %d", k+1)
		}
		if g.r.IntN(25) == 0 {
			ss.Status = SessionCancelled
			ss.Notes = "Odwołane z powodu choroby prowadzącego; nowy termin zostanie podany."
		}
		switch r := g.r.IntN(20); {
		case r < 17:
			ss.LocationID = locs[g.r.IntN(len(locs))]
			if g.r.IntN(3) == 0 {
				ss.Room = fmt.Sprintf("sala %d", 1+g.r.IntN(4))
			}
		case r < 19:
			ss.Address = fmt.Sprintf("%s, ul. %s %d, %s", g.pick(genVenues), g.pick(genStreets), 1+g.r.IntN(120), g.pick(genCities))
		}
		ss.TrainerIDs = []uint64{c.trainers[g.r.IntN(len(c.trainers))]}
		if len(c.trainers) > 1 && g.r.IntN(7) == 0 {
			ss.TrainerIDs = append(ss.TrainerIDs, c.trainers[g.r.IntN(len(c.trainers))])
		}
		group := 0
		if len(c.groups) > 1 {
			group = g.r.IntN(len(c.groups))
			ss.Group = fmt.Sprint(group + 1)
			if c.roman {
				ss.Group = romanGroups[group]
			}
		}
		want := g.between(8, 25)
		if c.Kind == CourseSupervision {
			want = g.between(8, capacity)
		}
		ss.Participants = g.participants(ss.Date, c.groups[group], c.groups, staff, want, c.Kind == CourseSupervision)
		out = append(out, ss)
	}
	return out
}

// participants draws want people employed on day: the group's first, then
// the rest of the course's people and, but for supervision, anyone.
func (g *gen) participants(day time.Time, group []int, groups [][]int, staff []Staff, want int, closed bool) []uint64 {
	out := make([]uint64, 0, want)
	add := func(k int) {
		if p := &staff[k]; len(out) < want && p.EmployedOn(day) && !slices.Contains(out, p.ID) {
			out = append(out, p.ID)
		}
	}
	for _, k := range g.r.Perm(len(group)) {
		add(group[k])
	}
	for _, other := range groups {
		for _, k := range other {
			add(k)
		}
	}
	for try := 0; !closed && len(out) < want && try < 4*want; try++ {
		add(g.r.IntN(len(staff)))
	}
	return out
}

// sessionDay is a working day between from and to, outside the summer
// break of the kind (no trainings in June to August, no supervision in
// July and August) when the period allows.
func (g *gen) sessionDay(kind CourseKind, from, to time.Time) time.Time {
	span := max(int(to.Sub(from).Hours()/24)+1, 1)
	var day time.Time
	for range 40 {
		day = from.AddDate(0, 0, g.r.IntN(span))
		m := day.Month()
		summer := m == time.July || m == time.August || (m == time.June && kind != CourseSupervision)
		if WorkingDay(day) && !summer {
			return day
		}
	}
	return day // a short period within the break: a session all the same
}

// chooseMarked picks the past sessions whose attendance was taken, whole
// lists in a random order, until budget marks (the last list may be taken
// in part, as a trainer leaves it half done); it returns how many of each
// session's people get a mark.
func (g *gen) chooseMarked(planned []Session, today time.Time, budget int) []int {
	marks := make([]int, len(planned))
	partly := -1 // a past list too long for what is left
	for _, i := range g.r.Perm(len(planned)) {
		ss := &planned[i]
		n := len(ss.Participants)
		if budget == 0 {
			break
		}
		if ss.Status == SessionCancelled || !ss.Date.Before(today) || n == 0 {
			continue
		}
		if n > budget {
			partly = i
			continue
		}
		marks[i] = n
		budget -= n
	}
	if budget > 0 && partly >= 0 && marks[partly] == 0 {
		marks[partly] = budget
	}
	return marks
}

// genWriteSession stores a session with its index keys and, when marked,
// its first marked people's attendance with one audit entry for the list.
func (s *Store) genWriteSession(tx *bolt.Tx, g *gen, ss *Session, unit HourUnit, marked int) error {
	if err := ss.Validate(unit); err != nil {
		return err
	}
	// A full list of a session more than a fortnight ago was confirmed by
	// its trainer, and three in four of those have the signed paper's scan.
	confirmed := marked > 0 && marked == len(ss.Participants) && ss.Date.Before(Day(s.now()).AddDate(0, 0, -14))
	if confirmed {
		ss.Confirmed = &Confirmation{At: s.now().UTC(), By: System.Login}
	}
	if g.r.IntN(20) == 0 { // one in twenty was moved once, a week later than first planned
		ss.History = []SessionChange{{At: s.now().UTC(), By: System.Login, Kind: ChangeMoved, Reason: "Zmiana terminu (dane syntetyczne)",
			Date: ss.Date.AddDate(0, 0, -7), Start: ss.Start, End: ss.End, LocationID: ss.LocationID, Address: ss.Address}}
		ss.Sequence = 1
	}
	if err := insert(s, tx, System, kindSession, ss); err != nil {
		return err
	}
	if err := reindexSession(tx, nil, ss); err != nil {
		return err
	}
	g.stats.Sessions++
	if marked == 0 {
		return nil
	}
	total := ss.HourUnits(unit)
	b := tx.Bucket(bucketAttendance)
	var count genMarkCount
	now := s.now().UTC()
	for _, p := range ss.Participants[:marked] {
		m := Mark{Session: ss.ID, Person: p, Presence: Present, Version: 1, At: now, By: System.Login}
		switch r := g.r.IntN(100); {
		case r < 5 && total > 1:
			m.Presence, m.Units = Late, g.between(1, total-1)
		case r < 10 && total > 1:
			m.Presence, m.Units = LeftEarly, g.between(1, total-1)
		case r < 15:
			m.Presence = Excused
		case r < 19:
			m.Presence = Absent
		}
		if err := m.Validate(total); err != nil {
			return err
		}
		if err := putJSON(b, markKey(ss.ID, p), m); err != nil {
			return err
		}
		count.Marked++
		switch m.Presence {
		case Present:
			count.Present++
		case Late:
			count.Late++
		case LeftEarly:
			count.LeftEarly++
		case Excused:
			count.Excused++
		case Absent:
			count.Absent++
		}
		g.stats.Marks++
	}
	if confirmed {
		g.stats.Confirmed++
		if g.r.IntN(4) > 0 {
			scan := DemoScanPDF("Lista obecnosci - skan (dane syntetyczne)", ss.Date.Format("02.01.2006")+" "+Clock(ss.Start)+"-"+Clock(ss.End))
			f := &File{Purpose: PurposeScan, Owner: SessionOwner(ss.ID), Name: "lista-" + ss.Date.Format("2006-01-02") + ".pdf", Type: TypePDF}
			if err := s.storeFile(tx, System, f, scan); err != nil {
				return err
			}
			count.Scans++
			g.stats.Scans++
		}
	}
	return s.audit(tx, System, "attendance", ss.ID, ActionMark, Diff(nil, count))
}

// genBlackouts are the summer breaks of the seed's schedule, every year,
// and a day or two a year when the centre is closed.
func (s *Store) genBlackouts(tx *bolt.Tx, g *gen) error {
	list := []Blackout{
		{Name: "Przerwa wakacyjna w szkoleniach", Kinds: []CourseKind{CourseTraining, CourseWorkshop}, Yearly: true,
			From: time.Date(2000, 6, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2000, 8, 31, 0, 0, 0, 0, time.UTC)},
		{Name: "Przerwa wakacyjna w superwizji", Kinds: []CourseKind{CourseSupervision}, Yearly: true,
			From: time.Date(2000, 7, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2000, 8, 31, 0, 0, 0, 0, time.UTC)},
	}
	for year := genFirstDay.Year(); year <= genLastDay.Year() && len(list) < MaxBlackouts; year++ {
		for range g.n {
			day := time.Date(year, time.Month(1+g.r.IntN(12)), 1+g.r.IntN(28), 0, 0, 0, 0, time.UTC)
			list = append(list, Blackout{Name: "Ośrodek zamknięty", From: day, To: day})
		}
	}
	for i := range list {
		if err := list[i].Validate(); err != nil {
			return err
		}
		if err := insert(s, tx, System, kindBlackout, &list[i]); err != nil {
			return err
		}
	}
	return nil
}
