package store

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	bolt "go.etcd.io/bbolt"
)

// Location is a building where the centre works.
type Location struct {
	Meta
	Name          string    `json:"name"`
	Street        string    `json:"street"`
	PostalCode    string    `json:"postal_code"`
	City          string    `json:"city"`
	Notes         string    `json:"notes"` // entrance and room notes: "wejście od strony kasy"
	Phones        []string  `json:"phones"`
	Hours         [7]string `json:"hours"` // Monday first; "" is closed
	Accessibility string    `json:"accessibility"`
	Archived      bool      `json:"archived"`
}

var kindLocation = kind{entity: "location", bucket: bucketLocations}

var (
	postalPattern = regexp.MustCompile(`^\d{2}-\d{3}$`)
	hoursPattern  = regexp.MustCompile(`^(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})$`)
	phonePattern  = regexp.MustCompile(`^[+(0-9][0-9 ()-]{5,23}$`) // never starts with "-"
	emailPattern  = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// Address is the postal address in one line.
func (l *Location) Address() string {
	return strings.TrimSpace(l.Street + ", " + l.PostalCode + " " + l.City)
}

// ParsePhones splits a list typed one per line or separated by commas or
// semicolons.
func ParsePhones(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == ',' || r == ';' }) {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// NormalizeHours accepts "10:00-14:00", "8.00 – 15.00" and several ranges
// separated by commas, and writes them as "10:00–14:00". ok is false when
// the text is not such a list.
func NormalizeHours(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", true
	}
	var out []string
	for _, part := range strings.Split(s, ",") {
		m := hoursPattern.FindStringSubmatch(strings.TrimSpace(part))
		if m == nil {
			return s, false
		}
		n := make([]int, 4)
		for i := range n {
			n[i], _ = strconv.Atoi(m[i+1])
		}
		if n[0] > 23 || n[2] > 24 || n[1] > 59 || n[3] > 59 || n[0]*60+n[1] >= n[2]*60+n[3] {
			return s, false
		}
		out = append(out, fmt.Sprintf("%02d:%02d–%02d:%02d", n[0], n[1], n[2], n[3]))
	}
	return strings.Join(out, ", "), true
}

// Validate checks a location and tidies its fields.
func (l *Location) Validate() error {
	var v ValidationError
	tidy(l)
	l.Name, l.Street, l.City = strings.TrimSpace(l.Name), strings.TrimSpace(l.Street), strings.TrimSpace(l.City)
	l.PostalCode = strings.TrimSpace(l.PostalCode)
	requireText(&v, "name", l.Name, 120)
	requireText(&v, "street", l.Street, 120)
	requireText(&v, "city", l.City, 80)
	if !postalPattern.MatchString(l.PostalCode) {
		v.Add("postal_code", "error.postal_code")
	}
	limitText(&v, "notes", l.Notes, 2000)
	limitText(&v, "accessibility", l.Accessibility, 2000)
	validPhones(&v, "phones", l.Phones)
	for i, h := range l.Hours {
		if utf8.RuneCountInString(h) > MaxHoursLen {
			v.Add("hours"+string(rune('0'+i)), WithMax("error.too_long", MaxHoursLen))
			continue
		}
		norm, ok := NormalizeHours(h)
		if !ok {
			v.Add("hours"+string(rune('0'+i)), "error.hours")
		}
		l.Hours[i] = norm
	}
	return v.Err()
}

// Locations lists every location, archived ones included, by name.
func (s *Store) Locations() ([]Location, error) {
	out, err := every[Location](s, kindLocation)
	SortPolish(out, func(l Location) string { return l.Name })
	return out, err
}

// Location returns one location.
func (s *Store) Location(id uint64) (*Location, error) { return one[Location](s, kindLocation, id) }

// SaveLocation creates (ID 0) or updates a location; see UpdateUser for version.
func (s *Store) SaveLocation(a Actor, l *Location, version int) error {
	if err := l.Validate(); err != nil {
		return err
	}
	return s.updateOrg(func(tx *bolt.Tx) error {
		if l.ID == 0 {
			return insert(s, tx, a, kindLocation, l)
		}
		return replace(s, tx, a, kindLocation, l, version, ActionUpdate)
	})
}

// DeleteLocation removes a location no unit or person refers to.
func (s *Store) DeleteLocation(a Actor, id uint64, version int) error {
	return s.updateOrg(func(tx *bolt.Tx) error {
		used, err := anyUnitState(tx, func(st UnitState) bool { return slices.Contains(st.Locations, id) })
		if err != nil {
			return err
		}
		if used {
			return Errorf(EConflict, "error.location_in_use")
		}
		staff, err := all[Staff](tx, kindStaff)
		if err != nil {
			return err
		}
		for _, p := range staff {
			if p.LocationID == id {
				return Errorf(EConflict, "error.location_in_use")
			}
		}
		return remove[Location](s, tx, a, kindLocation, id, version)
	})
}
