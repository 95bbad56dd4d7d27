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
}

// Centre returns the centre's details (empty until set).
func (s *Store) Centre() Centre {
	var c Centre
	_ = s.db.View(func(tx *bolt.Tx) error {
		_ = getJSON(tx.Bucket(bucketMeta), keyCentre, &c)
		return nil
	})
	return c
}

// SetCentre stores the centre's details.
func (s *Store) SetCentre(a Actor, c Centre) error {
	return s.db.Update(func(tx *bolt.Tx) error {
		meta := tx.Bucket(bucketMeta)
		var old Centre
		_ = getJSON(meta, keyCentre, &old)
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
