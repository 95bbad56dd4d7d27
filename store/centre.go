package store

import (
	"strings"

	bolt "go.etcd.io/bbolt"
)

// Centre is the organisation the intranet serves; its name and address come
// from data, so nothing in the product is tied to one town.
type Centre struct {
	Name    string `json:"name"`
	Short   string `json:"short"`
	Address string `json:"address"`
	Phone   string `json:"phone"`
	Email   string `json:"email"`
	// TravelMinutes is the time a trainer needs between two places on one
	// day; closer sessions are a conflict (0: not checked).
	TravelMinutes int `json:"travel_minutes,omitempty"`
	Version       int `json:"version"`
}

// Validate checks and tidies the centre's details.
func (c *Centre) Validate() error {
	var v ValidationError
	tidy(c)
	c.Name, c.Short, c.Address = strings.TrimSpace(c.Name), strings.TrimSpace(c.Short), strings.TrimSpace(c.Address)
	c.Phone, c.Email = strings.TrimSpace(c.Phone), strings.TrimSpace(c.Email)
	requireText(&v, "name", c.Name, 200)
	requireText(&v, "short", c.Short, 60)
	limitText(&v, "address", c.Address, 200)
	if c.Phone != "" {
		validPhones(&v, "phone", []string{c.Phone})
	}
	validEmail(&v, "email", c.Email)
	if c.TravelMinutes < 0 || c.TravelMinutes > MaxTravelMinutes {
		v.Add("travel_minutes", WithMax("error.value_range", MaxTravelMinutes))
	}
	return v.Err()
}

// MaxTravelMinutes bounds the travel gap between two places.
const MaxTravelMinutes = 240

// Centre returns the centre's details (empty until set).
func (s *Store) Centre() Centre {
	var c Centre
	_ = s.db.View(func(tx *bolt.Tx) error {
		_ = getJSON(tx.Bucket(bucketMeta), keyCentre, &c)
		return nil
	})
	return c
}

// SetCentre stores the centre's details if they still have version (0 for
// details never saved).
func (s *Store) SetCentre(a Actor, c Centre, version int) error {
	if err := c.Validate(); err != nil {
		return err
	}
	// The centre's name is printed on documents kept between requests.
	return s.updateOrg(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		var old Centre
		_ = getJSON(meta, keyCentre, &old)
		if old.Version != version {
			return &ConflictError{Entity: "centre", Current: &old}
		}
		c.Version = old.Version + 1
		if err := putJSON(meta, keyCentre, c); err != nil {
			return err
		}
		return s.audit(tx, a, "centre", 0, ActionUpdate, Diff(old, c))
	})
}

// City is the town in the centre's address ("…, 42-612 Tarnowskie Góry").
func (c Centre) City() string {
	addr := c.Address
	if i := strings.LastIndex(addr, ","); i >= 0 {
		addr = addr[i+1:]
	}
	fields := strings.Fields(addr)
	if len(fields) > 0 && postalPattern.MatchString(fields[0]) {
		fields = fields[1:]
	}
	return strings.Join(fields, " ")
}
