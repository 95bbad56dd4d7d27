package store

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// DirectoryEntry is a person as the directory shows them on a day, with
// the names of their unit and building and the text a search looks in,
// all prepared once per snapshot and day.
type DirectoryEntry struct {
	Person *Staff
	// Posts are the person's assignments shown that day (in force, or
	// the last ones for someone who has left), the primary one first.
	Posts    []Post
	Location string
	Address  string
	Employed bool // on the directory's day
	Field    bool // works in the field in one of the posts
	units    []uint64

	hay, hayDigits string // folded search text, and its digits
}

// Directory is the staff directory as of a day, in Polish order.
type Directory struct {
	Entries []DirectoryEntry
	Active  []int          // indexes of the people employed that day
	pos     map[uint64]int // person ID → index in Entries
	// The folded search texts of all entries one after another, and where
	// each entry's text starts: a search word is found in one pass over
	// it, not in one call per person. Likewise the digits of the phones.
	corpus, digitCorpus []byte
	starts, digitStarts []int
	// trigrams lists, for every three bytes that occur in the folded texts,
	// the entries holding them, in order: a search word of three or more
	// bytes is looked for only in the entries that hold its rarest
	// trigram, not in the whole corpus. Made on the first search.
	trigramsOnce sync.Once
	trigrams     map[uint32][]int32
}

func trigram(s string, i int) uint32 { return uint32(s[i])<<16 | uint32(s[i+1])<<8 | uint32(s[i+2]) }

// postings are the entries whose text holds the three bytes at w[i:].
func (d *Directory) postings(w string, i int) []int32 {
	d.trigramsOnce.Do(func() {
		d.trigrams = make(map[uint32][]int32, len(d.corpus)/16)
		for e := range d.Entries {
			hay := d.Entries[e].hay
			for i := 0; i+3 <= len(hay); i++ {
				k := trigram(hay, i)
				if list := d.trigrams[k]; len(list) == 0 || list[len(list)-1] != int32(e) {
					d.trigrams[k] = append(list, int32(e))
				}
			}
		}
	})
	return d.trigrams[trigram(w, i)]
}

// Directory is the staff directory as of day.
func (o *Org) Directory(day time.Time) *Directory {
	return asOf(o, "directory", day, func() *Directory {
		d := &Directory{Entries: make([]DirectoryEntry, len(o.People)), pos: make(map[uint64]int, len(o.People))}
		for i := range o.People {
			p := &o.People[i]
			e := DirectoryEntry{Person: p, Employed: p.EmployedOn(day)}
			if l := o.LocationByID[p.LocationID]; l != nil {
				e.Location, e.Address = l.Name, l.Street
			}
			fields := []string{p.FirstName, p.LastName, e.Location, e.Address, p.Room, p.Email}
			for _, a := range p.ShownOn(day) {
				post := o.post(a, day)
				e.Posts = append(e.Posts, post)
				e.units = append(e.units, a.UnitID)
				e.Field = e.Field || a.FieldWork
				fields = append(fields, post.Position, post.Unit, post.Category)
			}
			fields = append(fields, p.Phones...)
			e.hay = Fold(strings.Join(fields, " \x00 "))
			e.hayDigits = digits(strings.Join(p.Phones, " "))
			d.Entries[i] = e
			d.pos[p.ID] = i
			d.starts = append(d.starts, len(d.corpus))
			d.corpus = append(append(d.corpus, e.hay...), 0)
			d.digitStarts = append(d.digitStarts, len(d.digitCorpus))
			d.digitCorpus = append(append(d.digitCorpus, e.hayDigits...), 0)
			if e.Employed {
				d.Active = append(d.Active, i)
			}
		}
		return d
	})
}

// DirectoryQuery selects people from the directory; zero fields match all.
type DirectoryQuery struct {
	Text       string
	UnitID     uint64
	LocationID uint64
	Former     bool // include people no longer employed
	// After continues a list after this person (a cursor: the next page
	// stays right when people are added or removed meanwhile); otherwise
	// the list starts at Offset.
	After  uint64
	Offset int
	Limit  int
}

// Find returns the page of matching entries and how many match in all.
// Without a search text or filter the page is a slice of a list kept in
// order; a search compares the query with text folded once per snapshot.
func (d *Directory) Find(q DirectoryQuery) (page []DirectoryEntry, total int) {
	words := strings.Fields(Fold(q.Text))
	start, cursor := 0, false // the first index of Entries the page may show
	if i, ok := d.pos[q.After]; ok && q.After != 0 {
		start, cursor = i+1, true
	}
	if len(words) == 0 && q.UnitID == 0 && q.LocationID == 0 {
		if q.Former {
			if !cursor {
				start = q.Offset
			}
			return window(d.Entries, start, q.Limit), len(d.Entries)
		}
		from := q.Offset
		if cursor {
			from = sort.SearchInts(d.Active, start)
		}
		idx := window(d.Active, from, q.Limit)
		page = make([]DirectoryEntry, len(idx))
		for i, j := range idx {
			page[i] = d.Entries[j]
		}
		return page, len(d.Active)
	}
	candidates := d.candidates(words)
	for _, i := range candidates {
		e := &d.Entries[i]
		if (!q.Former && !e.Employed) || (q.UnitID != 0 && !slices.Contains(e.units, q.UnitID)) ||
			(q.LocationID != 0 && e.Person.LocationID != q.LocationID) || !e.matches(words) {
			continue
		}
		shown := total >= q.Offset
		if cursor {
			shown = i >= start
		}
		if shown && len(page) < q.Limit {
			page = append(page, *e)
		}
		total++
	}
	return page, total
}

// candidates are the entries, in order, that may hold the first search
// word (all entries without one): those with its rarest trigram, or for a
// shorter word those whose text holds it, found by scanning the corpus once.
// A word of digits is also looked for in the phones' digits.
func (d *Directory) candidates(words []string) []int {
	if len(words) == 0 {
		all := make([]int, len(d.Entries))
		for i := range all {
			all[i] = i
		}
		return all
	}
	w := words[0]
	hit := make([]bool, len(d.Entries))
	if len(w) >= 3 { // the entries with the word's rarest trigram; Find checks the word
		best := d.postings(w, 0)
		for i := 1; i+3 <= len(w) && len(best) > 0; i++ {
			if list := d.postings(w, i); len(list) < len(best) {
				best = list
			}
		}
		for _, e := range best {
			hit[e] = true
		}
	}
	scan := func(corpus []byte, starts []int, word []byte) {
		for at := 0; ; {
			i := bytes.Index(corpus[at:], word)
			if i < 0 {
				return
			}
			entry := sort.SearchInts(starts, at+i+1) - 1 // the entry whose text holds the hit
			hit[entry] = true
			if entry+1 < len(starts) {
				at = starts[entry+1] // the rest of this entry cannot add anything
			} else {
				return
			}
		}
	}
	if len(w) < 3 {
		scan(d.corpus, d.starts, []byte(w))
	}
	if dg := digits(w); len(dg) >= 3 && dg == w {
		scan(d.digitCorpus, d.digitStarts, []byte(dg))
	}
	var out []int
	for i, ok := range hit {
		if ok {
			out = append(out, i)
		}
	}
	return out
}

// Post is an assignment as pages show it: names instead of IDs.
type Post struct {
	Assignment
	Unit     string // its name on the day shown
	Category string
}

func (o *Org) post(a Assignment, day time.Time) Post {
	if !a.On(day) { // a former post: the unit as it was then
		day = a.From
		if !a.To.IsZero() {
			day = a.To
		}
	}
	return Post{Assignment: a, Unit: o.UnitName(a.UnitID, day), Category: o.CategoryName(a.CategoryID)}
}

// Posts are a person's assignments shown on day (see ShownOn) with names.
func (o *Org) Posts(p *Staff, day time.Time) []Post {
	var out []Post
	for _, a := range p.ShownOn(day) {
		out = append(out, o.post(a, day))
	}
	return out
}

// History is every assignment of a person, latest first, each with the
// name its unit had on the assignment's last day: the day it ended, or
// the person's last day of work, or for one that lasts the unit's name
// now (a renamed team is shown as it is called, not as it was when the
// person joined it).
func (o *Org) History(p *Staff) []Post {
	out := make([]Post, 0, len(p.Assignments))
	for i := len(p.Assignments) - 1; i >= 0; i-- {
		a := p.Assignments[i]
		last := a.To
		if !p.EmployedTo.IsZero() && (last.IsZero() || p.EmployedTo.Before(last)) {
			last = p.EmployedTo
		}
		// No last day: UnitName gives the unit's latest name.
		out = append(out, Post{Assignment: a, Unit: o.UnitName(a.UnitID, last), Category: o.CategoryName(a.CategoryID)})
	}
	return out
}

func (e *DirectoryEntry) matches(words []string) bool {
	for _, w := range words {
		if strings.Contains(e.hay, w) {
			continue
		}
		if d := digits(w); len(d) >= 3 && d == w && strings.Contains(e.hayDigits, d) {
			continue
		}
		return false
	}
	return true
}

func window[T any](list []T, offset, limit int) []T {
	offset = min(max(offset, 0), len(list))
	return list[offset:min(offset+max(limit, 0), len(list))]
}

// PhoneGroup is one building of the printable phone list.
type PhoneGroup struct {
	Location *Location // nil for people without a building
	Units    []PhoneUnit
}

// PhoneUnit is one unit within a building.
type PhoneUnit struct {
	Name   string
	Phones []string
	People []PhoneEntry
}

// PhoneEntry is a person in a unit of the phone list.
type PhoneEntry struct {
	*Staff
	Position string
}

// PhoneBook groups the people employed on day by building and unit, in
// Polish order, like the phone list the centre publishes.
func (o *Org) PhoneBook(day time.Time) []PhoneGroup {
	return asOf(o, "phones", day, func() []PhoneGroup {
		type key struct{ loc, unit uint64 }
		units := map[key]*PhoneUnit{}
		byLoc := map[uint64][]*PhoneUnit{}
		for i := range o.People { // already in Polish order
			p := &o.People[i]
			for _, a := range p.AssignmentsOn(day) { // in each unit the person works in
				k := key{p.LocationID, a.UnitID}
				pu := units[k]
				if pu == nil {
					pu = &PhoneUnit{Name: o.UnitName(a.UnitID, day)}
					if u := o.UnitByID[a.UnitID]; u != nil {
						if st, ok := u.At(day); ok {
							pu.Phones = st.Phones
						}
					}
					units[k] = pu
					byLoc[p.LocationID] = append(byLoc[p.LocationID], pu)
				}
				pu.People = append(pu.People, PhoneEntry{Staff: p, Position: a.Position})
			}
		}
		var out []PhoneGroup
		for lid, list := range byLoc {
			g := PhoneGroup{Location: o.LocationByID[lid]}
			for _, pu := range list {
				g.Units = append(g.Units, *pu)
			}
			SortPolish(g.Units, func(u PhoneUnit) string { return u.Name })
			out = append(out, g)
		}
		SortPolish(out, func(g PhoneGroup) string {
			if g.Location == nil {
				return "\uffff" // people without a building come last
			}
			return g.Location.Name
		})
		return out
	})
}
