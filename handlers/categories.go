package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// Job categories are the controlled list head counts are kept by; the
// administrator keeps it.

type categoryRow struct {
	*store.JobCategory
	People, Field int // holding it today (primary assignments)
}

// categoryList shows the list with today's counts; it depends only on the
// data and the day, so it is rendered once per change.
func (s *Server) categoryList(c *fiber.Ctx) error {
	today := s.st.Today()
	return s.cachedPage(c, "categories", "categories.title", views.ISODate(today), func() (any, error) {
		d, err := s.loadOrg()
		if err != nil {
			return nil, err
		}
		counts := map[uint64]store.CategoryCount{}
		for _, n := range d.Tree(today).Categories {
			counts[n.CategoryID] = n
		}
		var rows []categoryRow
		for i := range d.Categories { // in Polish order already
			cat := &d.Categories[i]
			rows = append(rows, categoryRow{JobCategory: cat, People: counts[cat.ID].People, Field: counts[cat.ID].Field})
		}
		return struct {
			Rows []categoryRow
			None int // people without a category today
		}{rows, counts[0].People}, nil
	})
}

type categoryFormView struct {
	C        store.JobCategory
	New      bool
	Conflict bool
}

func (s *Server) categoryNew(c *fiber.Ctx) error {
	return s.page(c, fiber.StatusOK, "category_form", "categories.new", categoryFormView{New: true}, nil)
}

func (s *Server) categoryEdit(c *fiber.Ctx) error {
	cat, err := byParam(c, s.st.Category)
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "category_form", "categories.edit", categoryFormView{C: *cat}, nil)
}

func (s *Server) categorySave(c *fiber.Ctx) error {
	f := newForm(c)
	cat := store.JobCategory{Name: f.text("name"), FieldWork: f.bool("field_work"), Archived: f.bool("archived")}
	if c.Params("id") != "" {
		old, err := byParam(c, s.st.Category)
		if err != nil {
			return err
		}
		cat.ID = old.ID
	}
	version := f.version()
	if cat.ID != 0 {
		version = f.needVersion()
	}
	v := categoryFormView{C: cat, New: cat.ID == 0}
	title := "categories.edit"
	if v.New {
		title = "categories.new"
	}
	f.check(&cat)
	if len(f.errs) == 0 {
		err := s.st.SaveCategory(s.actor(c), &cat, version)
		if done, err := s.answerSave(c, f, err, func() string { return "/admin/categories#category-" + strconv.FormatUint(cat.ID, 10) }, cat.Name, "/admin/categories",
			func(current int) error {
				v.C.Version, v.Conflict = current, true
				return s.page(c, fiber.StatusConflict, "category_form", title, v, nil)
			}); done {
			return err
		}
	}
	v.C.Version = version
	return s.page(c, fiber.StatusUnprocessableEntity, "category_form", title, v, f.errs)
}

func (s *Server) categoryDeletion() deletion {
	return deletion{question: "categories.delete_question", shown: "/admin/categories/", list: "/admin/categories",
		remove: s.st.DeleteCategory, name: named(s.st.Category, func(c *store.JobCategory) string { return c.Name })}
}
