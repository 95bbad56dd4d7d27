package store

import (
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// JobCategory is an entry of the controlled list of jobs the centre counts
// by (pracownik socjalny, asystent rodziny, …): a job title is free text,
// a category is what "21 social workers, 14 of them in the field" counts.
type JobCategory struct {
	Meta
	Name string `json:"name"`
	// FieldWork: people in this category usually work in the field; a
	// new assignment in it starts with field work ticked.
	FieldWork bool `json:"field_work,omitempty"`
	// Archived categories are no longer offered for new assignments; the
	// assignments that name them keep them.
	Archived bool `json:"archived,omitempty"`
}

var kindCategory = kind{entity: "category", bucket: bucketCategories}

// MaxCategories bounds the list: a controlled list, not a second job title.
const MaxCategories = 200

// Validate checks and tidies a category.
func (c *JobCategory) Validate() error {
	var v ValidationError
	tidy(c)
	c.Name = strings.TrimSpace(c.Name)
	requireText(&v, "name", c.Name, 80)
	return v.Err()
}

// Category returns one job category.
func (s *Store) Category(id uint64) (*JobCategory, error) {
	return one[JobCategory](s, kindCategory, id)
}

// SaveCategory creates (ID 0) or updates a job category. Names are unique,
// ignoring case and Polish letters, so that counts never split one job.
func (s *Store) SaveCategory(a Actor, c *JobCategory, version int) error {
	if err := c.Validate(); err != nil {
		return err
	}
	return s.updateOrg(func(tx *bolt.Tx) error {
		list, err := all[JobCategory](tx, kindCategory)
		if err != nil {
			return err
		}
		for _, other := range list {
			if other.ID != c.ID && Fold(other.Name) == Fold(c.Name) {
				var v ValidationError
				v.Add("name", "error.category_taken")
				return &v
			}
		}
		if c.ID == 0 {
			if len(list) >= MaxCategories {
				return Errorf(EConflict, "error.too_many_categories")
			}
			return insert(s, tx, a, kindCategory, c)
		}
		return replace(s, tx, a, kindCategory, c, version, ActionUpdate)
	})
}

// DeleteCategory removes a category no assignment names; one in use is
// refused (archive it instead), so that past counts stay true.
func (s *Store) DeleteCategory(a Actor, id uint64, version int) error {
	return s.updateOrg(func(tx *bolt.Tx) error {
		staff, err := all[Staff](tx, kindStaff)
		if err != nil {
			return err
		}
		for _, p := range staff {
			for _, as := range p.Assignments {
				if as.CategoryID == id {
					return Errorf(EConflict, "error.category_in_use")
				}
			}
		}
		return remove[JobCategory](s, tx, a, kindCategory, id, version)
	})
}

// CategoryName is a category's name, or "" for none.
func (o *Org) CategoryName(id uint64) string {
	if c := o.CategoryByID[id]; c != nil {
		return c.Name
	}
	return ""
}

// OpenCategories are the categories offered for new assignments, in Polish
// order.
func (o *Org) OpenCategories() []*JobCategory {
	return asOf(o, "open-categories", time.Time{}, func() []*JobCategory {
		return notArchived(o.Categories, func(c *JobCategory) bool { return c.Archived })
	})
}

// seedCategories are the demo centre's job categories.
var seedCategories = []JobCategory{
	{Name: "pracownik socjalny", FieldWork: true},
	{Name: "asystent rodziny", FieldWork: true},
	{Name: "specjalista pracy socjalnej", FieldWork: true},
	{Name: "opiekunka środowiskowa", FieldWork: true},
	{Name: "kierownik"},
	{Name: "koordynator zespołu"},
	{Name: "pracownik administracyjny"},
	{Name: "księgowa"},
	{Name: "kasjer"},
	{Name: "specjalista"},
	{Name: "psycholog"},
	{Name: "prawnik"},
	{Name: "pracownik obsługi"},
}
