package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/maphash"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// Org is the whole structure as stored: every unit, person, location and
// announcement, with the orders and indexes the pages need. A snapshot is
// built once per change of that data and shared between requests, so a
// page costs what it shows: anything that grows with the centre (sorting
// with the Polish collator, grouping, counting) is done here, once, not per
// request. It must be treated as read-only.
type Org struct {
	// Version is the OrgVersion the snapshot was built for: its data is at
	// least that new, so what is kept under it is never stale.
	Version       uint64
	Units         []Unit
	People        []Staff    // in Polish order of last and first name
	Locations     []Location // sorted by name
	Announcements []Announcement
	Categories    []JobCategory // in Polish order
	projects                    // projects, milestones and indicators
	UnitByID      map[uint64]*Unit
	PersonByID    map[uint64]*Staff
	LocationByID  map[uint64]*Location
	CategoryByID  map[uint64]*JobCategory
	PersonOfUser  map[uint64]*Staff // by linked account
	// assignedTo lists, per unit, every assignment ever made to it, in
	// Polish order of the people's names.
	assignedTo   map[uint64][]Member
	categoryRank map[uint64]int // position in Categories

	mu    sync.Mutex
	byDay map[dayKey]any // views of the structure as of a day, built on demand
}

type dayKey struct {
	what string
	day  time.Time
}

// maxDayViews bounds the views kept per snapshot: people look at a few
// days, but a crawler could ask for every day of a decade.
const maxDayViews = 64

// asOf returns the view what of day, building it once per snapshot.
func asOf[T any](o *Org, what string, day time.Time, build func() T) T {
	k := dayKey{what, Day(day)}
	o.mu.Lock()
	v, ok := o.byDay[k]
	o.mu.Unlock()
	if ok {
		return v.(T)
	}
	// Built without the lock: a view may use another (choices use the
	// tree), and two requests building the same view at once both get a
	// correct one.
	built := build()
	o.mu.Lock()
	if len(o.byDay) >= maxDayViews {
		clear(o.byDay)
	}
	o.byDay[k] = built
	o.mu.Unlock()
	return built
}

// orgCache keeps the snapshot until the next change to units, people,
// locations or announcements, and the records it was built from.
type orgCache struct {
	gen   atomic.Uint64 // bumped after every committed change
	build sync.Mutex    // held while a snapshot is built
	mu    sync.Mutex
	have  uint64 // generation of snap, plus one (0: nothing cached)
	snap  *Org
	seen  *decodedOrg // what the latest snapshot was built from
}

// decoded is a record as the snapshot uses it, with a hash of the bytes it
// was decoded from: the next snapshot decodes again only the records whose
// bytes changed, so rebuilding after a change costs a scan of the stored
// bytes, not the decoding (and the collation) of everything. A 64-bit hash
// keeps the cost of remembering them small; two different versions of one
// record colliding is a chance of one in 2^64 per change.
type decoded[T any] struct {
	sum uint64
	val T
	key [2][]byte // Polish collation keys (people: last and first name)
}

// recordSeed hashes stored records for the snapshot; any seed will do, as
// long as it stays the same while the process runs.
var recordSeed = maphash.MakeSeed()

type decodedOrg struct {
	units         map[uint64]*decoded[Unit]
	people        map[uint64]*decoded[Staff]
	locations     map[uint64]*decoded[Location]
	announcements map[uint64]*decoded[Announcement]
	categories    map[uint64]*decoded[JobCategory]
	projects      map[uint64]*decoded[Project]
	milestones    map[uint64]*decoded[Milestone]
	indicators    map[uint64]*decoded[Indicator]
}

// load reads every record of a kind, reusing those whose bytes are as
// before, in key order. prepare (if any) completes a newly decoded record;
// a reused one is shared with earlier snapshots and never written again.
func load[T any](tx *bolt.Tx, k kind, before map[uint64]*decoded[T], prepare func(*decoded[T])) ([]*decoded[T], map[uint64]*decoded[T], error) {
	b := tx.Bucket(k.bucket)
	now := make(map[uint64]*decoded[T], len(before))
	list := make([]*decoded[T], 0, len(before))
	err := b.ForEach(func(key, data []byte) error {
		id, sum := btoi(key), maphash.Bytes(recordSeed, data)
		d := before[id]
		if d == nil || d.sum != sum {
			d = &decoded[T]{sum: sum}
			if err := json.Unmarshal(data, &d.val); err != nil {
				return fmt.Errorf("%s %d: %w", k.entity, id, err)
			}
			if prepare != nil {
				prepare(d)
			}
		}
		now[id] = d
		list = append(list, d)
		return nil
	})
	return list, now, err
}

func values[T any](list []*decoded[T]) []T {
	out := make([]T, len(list))
	for i, d := range list {
		out[i] = d.val
	}
	return out
}

// updateOrg runs a write transaction that changes the structure and then
// invalidates the snapshot. The bump comes after the commit: a reader that
// loaded old data before it caches that data under the old generation,
// which the bump has already made stale.
func (s *Store) updateOrg(fn func(tx *bolt.Tx) error) error {
	err := s.db.Update(fn)
	s.org.gen.Add(1)
	return err
}

// OrgVersion changes whenever the data behind Org changes (and when
// accounts or the centre's details do, which kept pages also show); pages
// derived only from it may be cached under it.
func (s *Store) OrgVersion() uint64 { return s.org.gen.Load() }

// Org returns the structure, from the snapshot when nothing changed since.
func (s *Store) Org() (*Org, error) {
	gen := s.org.gen.Load()
	s.org.mu.Lock()
	if s.org.have == gen+1 {
		snap := s.org.snap
		s.org.mu.Unlock()
		return snap, nil
	}
	s.org.mu.Unlock()
	// One rebuild at a time: the requests that arrive meanwhile wait for
	// it and share it instead of each decoding the same changes.
	s.org.build.Lock()
	defer s.org.build.Unlock()
	gen = s.org.gen.Load()
	s.org.mu.Lock()
	if s.org.have == gen+1 {
		snap := s.org.snap
		s.org.mu.Unlock()
		return snap, nil
	}
	before := s.org.seen
	s.org.mu.Unlock()
	if before == nil {
		before = &decodedOrg{}
	}
	snap := &Org{Version: gen, byDay: map[dayKey]any{}}
	var now decodedOrg
	err := s.db.View(func(tx *bolt.Tx) error {
		units, m, err := load(tx, kindUnit, before.units, nil)
		if err != nil {
			return err
		}
		snap.Units, now.units = values(units), m
		people, mp, err := load(tx, kindStaff, before.people, polishKeys())
		if err != nil {
			return err
		}
		snap.People, now.people = sortPeople(people), mp
		anns, ma, err := load(tx, kindAnnouncement, before.announcements, nil)
		if err != nil {
			return err
		}
		snap.Announcements, now.announcements = values(anns), ma
		cats, mc, err := load(tx, kindCategory, before.categories, nil)
		if err != nil {
			return err
		}
		snap.Categories, now.categories = values(cats), mc
		locs, ml, err := load(tx, kindLocation, before.locations, nil)
		if err != nil {
			return err
		}
		snap.Locations, now.locations = values(locs), ml
		return snap.loadProjects(tx, before, &now)
	})
	if err != nil {
		return nil, err
	}
	snap.index()
	s.org.mu.Lock()
	if s.org.gen.Load() == gen { // nothing committed meanwhile
		s.org.have, s.org.snap, s.org.seen = gen+1, snap, &now
	}
	s.org.mu.Unlock()
	return snap, nil
}

// polishKeys makes a decoded person's collation keys, once per record.
func polishKeys() func(*decoded[Staff]) {
	var c *collate.Collator // made when first needed: not safe for concurrent use
	var buf collate.Buffer
	return func(d *decoded[Staff]) {
		if c == nil {
			c = collate.New(language.Polish)
		}
		d.key[0] = bytes.Clone(c.KeyFromString(&buf, d.val.LastName))
		d.key[1] = bytes.Clone(c.KeyFromString(&buf, d.val.FirstName))
		buf.Reset()
	}
}

// sortPeople puts people in Polish order of last and first name, comparing
// the collation keys made when each record was decoded.
func sortPeople(list []*decoded[Staff]) []Staff {
	sort.SliceStable(list, func(i, j int) bool {
		if r := bytes.Compare(list[i].key[0], list[j].key[0]); r != 0 {
			return r < 0
		}
		return bytes.Compare(list[i].key[1], list[j].key[1]) < 0
	})
	return values(list)
}

// index sorts the snapshot and builds its maps.
func (o *Org) index() {
	SortPolish(o.Locations, func(l Location) string { return l.Name })
	sortAnnouncements(o.Announcements)
	o.UnitByID = make(map[uint64]*Unit, len(o.Units))
	for i := range o.Units {
		o.UnitByID[o.Units[i].ID] = &o.Units[i]
	}
	o.LocationByID = make(map[uint64]*Location, len(o.Locations))
	for i := range o.Locations {
		o.LocationByID[o.Locations[i].ID] = &o.Locations[i]
	}
	SortPolish(o.Categories, func(c JobCategory) string { return c.Name })
	o.CategoryByID = make(map[uint64]*JobCategory, len(o.Categories))
	o.categoryRank = make(map[uint64]int, len(o.Categories))
	for i := range o.Categories {
		o.CategoryByID[o.Categories[i].ID] = &o.Categories[i]
		o.categoryRank[o.Categories[i].ID] = i
	}
	o.PersonByID = make(map[uint64]*Staff, len(o.People))
	o.PersonOfUser = map[uint64]*Staff{}
	o.assignedTo = map[uint64][]Member{}
	for i := range o.People {
		p := &o.People[i]
		o.PersonByID[p.ID] = p
		if p.UserID != 0 {
			o.PersonOfUser[p.UserID] = p
		}
		for _, a := range p.Assignments {
			o.assignedTo[a.UnitID] = append(o.assignedTo[a.UnitID], Member{Person: p, Assignment: a})
		}
	}
	o.indexProjects()
}

// Member is a person's assignment to a unit.
type Member struct {
	Person *Staff
	Assignment
}

// MembersOf are the people assigned to a unit on day, in Polish order.
func (o *Org) MembersOf(unitID uint64, day time.Time) []Member {
	var out []Member
	for _, m := range o.assignedTo[unitID] {
		if m.On(day) && m.Person.EmployedOn(day) {
			out = append(out, m)
		}
	}
	return out
}

// FormerMembersOf are the assignments to a unit that had ended by day,
// latest end first.
func (o *Org) FormerMembersOf(unitID uint64, day time.Time) []Member {
	var out []Member
	for _, m := range o.assignedTo[unitID] {
		end := m.To
		if !m.Person.EmployedTo.IsZero() && (end.IsZero() || m.Person.EmployedTo.Before(end)) {
			end = m.Person.EmployedTo
		}
		if !end.IsZero() && end.Before(Day(day)) && !end.Before(m.From) {
			m.To = end
			out = append(out, m)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].To.After(out[j].To) })
	return out
}

// UnitName is a unit's name on day, or its latest name.
func (o *Org) UnitName(id uint64, day time.Time) string {
	u := o.UnitByID[id]
	if u == nil {
		return ""
	}
	if st, ok := u.At(day); ok {
		return st.Name
	}
	return u.Current().Name
}

// TreeOf is the structure as of a day and each unit's node in it.
type TreeOf struct {
	Roots []*OrgNode
	Node  map[uint64]*OrgNode
	Total int // people assigned that day to any unit, each once
	// Categories count the centre's people by the job category of their
	// primary assignment that day.
	Categories []CategoryCount
}

// Tree is the structure as of day.
func (o *Org) Tree(day time.Time) *TreeOf {
	return asOf(o, "tree", day, func() *TreeOf {
		t := &TreeOf{Roots: BuildTree(o.Units, o.People, day), Node: map[uint64]*OrgNode{}}
		var walk func([]*OrgNode)
		walk = func(list []*OrgNode) {
			for _, n := range list {
				t.Node[n.Unit.ID] = n
				o.nameCategories(n.Categories)
				walk(n.Children)
			}
		}
		walk(t.Roots)
		centre := categoryCounts{}
		for i := range o.People {
			for _, a := range o.People[i].AssignmentsOn(day) {
				if t.Node[a.UnitID] == nil {
					continue // a unit that did not exist that day counts nowhere
				}
				t.Total++
				centre.add(a)
				break // the primary one
			}
		}
		t.Categories = centre.list()
		o.nameCategories(t.Categories)
		return t
	})
}

// nameCategories names the counts and puts them in Polish order of name,
// those without a category last.
func (o *Org) nameCategories(list []CategoryCount) {
	for i := range list {
		list[i].Name = o.CategoryName(list[i].CategoryID)
	}
	rank := func(c CategoryCount) int { // the list is in Polish order already
		if r, ok := o.categoryRank[c.CategoryID]; ok {
			return r
		}
		return len(o.categoryRank) // none last
	}
	sort.Slice(list, func(i, j int) bool { return rank(list[i]) < rank(list[j]) })
}

// Changes are the days the structure changed, in order.
func (o *Org) Changes() []time.Time {
	return asOf(o, "changes", time.Time{}, func() []time.Time {
		seen := map[time.Time]bool{}
		var out []time.Time
		for _, u := range o.Units {
			for _, st := range u.States {
				if !seen[st.From] {
					seen[st.From] = true
					out = append(out, st.From)
				}
			}
			if !u.Until.IsZero() && !seen[u.Until] {
				seen[u.Until] = true
				out = append(out, u.Until)
			}
		}
		sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
		return out
	})
}

// CurrentAnnouncements are those valid on day, in display order.
func (o *Org) CurrentAnnouncements(day time.Time) []Announcement {
	return o.AnnouncementBoard(day).Current
}

// UnitChoice is a unit as a form or filter offers it.
type UnitChoice struct {
	ID   uint64
	Name string
	Kind UnitKind
}

// UnitChoices are the units that exist on day, in Polish order of name.
func (o *Org) UnitChoices(day time.Time) []UnitChoice {
	return asOf(o, "unit-choices", day, func() []UnitChoice {
		t := o.Tree(day)
		out := make([]UnitChoice, 0, len(t.Node))
		for id, n := range t.Node {
			out = append(out, UnitChoice{ID: id, Name: n.State.Name, Kind: n.State.Kind})
		}
		SortPolish(out, func(ch UnitChoice) string { return ch.Name })
		return out
	})
}

// LocationUse is a location with the units there and how many people work
// there on a day.
type LocationUse struct {
	L     *Location
	Units []UnitChoice
	Staff int
}

// HasHours reports whether any day has opening hours.
func (u LocationUse) HasHours() bool {
	for _, h := range u.L.Hours {
		if h != "" {
			return true
		}
	}
	return false
}

// LocationUsage lists every location (in name order) as used on day.
func (o *Org) LocationUsage(day time.Time) []LocationUse {
	return asOf(o, "location-usage", day, func() []LocationUse {
		out := make([]LocationUse, len(o.Locations))
		at := make(map[uint64]*LocationUse, len(o.Locations))
		for i := range o.Locations {
			out[i] = LocationUse{L: &o.Locations[i]}
			at[o.Locations[i].ID] = &out[i]
		}
		for _, u := range o.UnitChoices(day) { // in name order
			st, _ := o.UnitByID[u.ID].At(day)
			for _, lid := range st.Locations {
				if use := at[lid]; use != nil {
					use.Units = append(use.Units, u)
				}
			}
		}
		for i := range o.People {
			if use := at[o.People[i].LocationID]; use != nil && len(o.People[i].AssignmentsOn(day)) > 0 {
				use.Staff++
			}
		}
		return out
	})
}

// LocationLists are the locations as their page shows them on a day: those
// in use and the archived ones apart, each in name order with the units
// there and their head counts, read a page at a time.
type LocationLists struct {
	Open, Archived Rows[LocationUse]
}

// LocationLists splits the locations of day once per snapshot.
func (o *Org) LocationLists(day time.Time) *LocationLists {
	return asOf(o, "location-lists", day, func() *LocationLists {
		var open, archived []LocationUse
		for _, u := range o.LocationUsage(day) {
			if u.L.Archived {
				archived = append(archived, u)
			} else {
				open = append(open, u)
			}
		}
		id := func(u *LocationUse) uint64 { return u.L.ID }
		return &LocationLists{Open: newRows(open, id), Archived: newRows(archived, id)}
	})
}

// OpenLocations are the locations not archived, in name order.
func (o *Org) OpenLocations() []*Location {
	return asOf(o, "open-locations", time.Time{}, func() []*Location {
		return notArchived(o.Locations, func(l *Location) bool { return l.Archived })
	})
}

// notArchived lists the records of a list (in its order) that are not
// archived: what a form still offers.
func notArchived[T any](list []T, archived func(*T) bool) []*T {
	var out []*T
	for i := range list {
		if !archived(&list[i]) {
			out = append(out, &list[i])
		}
	}
	return out
}
