package handlers

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// form reads a submitted form and collects its problems per field, so that
// the page can come back with every message next to its field at once.
type form struct {
	c    *fiber.Ctx
	errs map[string]string
}

func newForm(c *fiber.Ctx) *form { return &form{c: c, errs: map[string]string{}} }

func (f *form) text(name string) string { return strings.TrimSpace(f.c.FormValue(name)) }

func (f *form) bool(name string) bool { return f.c.FormValue(name) != "" }

// date reads a date field (2017-09-01 or 01.09.2017); an empty optional
// field is the zero time.
func (f *form) date(name string, required bool) time.Time {
	s := f.text(name)
	if s == "" {
		if required {
			f.errs[name] = "error.date_required"
		}
		return time.Time{}
	}
	t, ok := views.ParseDate(s)
	if !ok {
		f.errs[name] = "error.date"
		return time.Time{}
	}
	return store.Day(t)
}

// id reads a reference to a record; "" is 0 (none).
func (f *form) id(name string) uint64 {
	s := f.text(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		f.errs[name] = "error.invalid_choice"
	}
	return n
}

// ids reads a multi-valued field (checkboxes or a multiple select).
func (f *form) ids(name string) []uint64 {
	var out []uint64
	for _, v := range f.c.Context().PostArgs().PeekMulti(name) {
		n, err := strconv.ParseUint(string(v), 10, 64)
		if err != nil {
			f.errs[name] = "error.invalid_choice"
			continue
		}
		out = append(out, n)
	}
	return out
}

// version is the record version the form was read at. An update without a
// valid one is refused: the store would take 0 as "do not check", and a
// change must never skip the check for someone else's edit.
func (f *form) version() int {
	n, _ := strconv.Atoi(f.c.FormValue("version"))
	return n
}

// needVersion marks an update whose form carries no usable version.
func (f *form) needVersion() int {
	n := f.version()
	if n <= 0 {
		f.errs["version"] = "error.stale_form"
	}
	return n
}

// merge adds the store's validation messages; false for any other error.
func (f *form) merge(err error) bool { return mergeFields(f.errs, err) }

// paramID is the :id of the route, or a 404.
func paramID(c *fiber.Ctx) (uint64, error) {
	id, err := strconv.ParseUint(c.Params("id"), 10, 64)
	if err != nil || id == 0 {
		return 0, fiber.ErrNotFound
	}
	return id, nil
}

// byParam reads the record named by the route's :id.
func byParam[T any](c *fiber.Ctx, get func(uint64) (*T, error)) (*T, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	return get(id)
}

// confirmView asks before something is deleted; without JavaScript this
// page is the confirmation, with it the same form is posted after a prompt.
type confirmView struct {
	Question string // message ID
	Name     string
	Action   string
	Back     string
	Problem  string // message ID when the deletion is refused
}

func (s *Server) confirm(c *fiber.Ctx, status int, v confirmView) error {
	return s.page(c, status, "confirm", "confirm.title", v, nil)
}

// deletion describes how one kind of record is deleted.
type deletion struct {
	question string // message ID of the question asked first
	name     func(id uint64) (string, error)
	remove   func(a store.Actor, id uint64) error
	shown    string // where the record is shown, before its ID
	list     string // where to go once it is gone
}

// target reads the :id of a deletion's route and names the record.
func (d deletion) target(c *fiber.Ctx) (uint64, string, error) {
	id, err := paramID(c)
	if err != nil {
		return 0, "", err
	}
	name, err := d.name(id)
	return id, name, err
}

// askDelete is the confirmation page of a deletion.
func (s *Server) askDelete(d deletion) fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, name, err := d.target(c)
		if err != nil {
			return err
		}
		return s.confirm(c, fiber.StatusOK, confirmView{Question: d.question, Name: name,
			Action: d.shown + c.Params("id") + "/delete", Back: d.shown + c.Params("id")})
	}
}

// doDelete deletes, or explains why the store refused (people still in a
// unit, a location in use…) with the way back to the record.
func (s *Server) doDelete(d deletion) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, name, err := d.target(c)
		if err != nil {
			return err
		}
		if err := d.remove(s.actor(c), id); err != nil {
			if store.ErrorCode(err) == store.EConflict && !isConflictErr(err) {
				return s.refused(c, name, d.shown+c.Params("id"), err)
			}
			return err
		}
		return redirect(c, withOK(d.list, "deleted"))
	}
}

// refused explains a change the store would not make.
func (s *Server) refused(c *fiber.Ctx, name, back string, err error) error {
	return s.confirm(c, fiber.StatusConflict, confirmView{Name: name, Back: back, Problem: domainMessage(err)})
}

// named turns a record getter into the name function of a deletion.
func named[T any](get func(uint64) (*T, error), name func(*T) string) func(uint64) (string, error) {
	return func(id uint64) (string, error) {
		v, err := get(id)
		if err != nil {
			return "", err
		}
		return name(v), nil
	}
}

func (s *Server) unitDeletion() deletion {
	return deletion{question: "org.delete_question", shown: "/org/units/", list: "/org", remove: s.st.DeleteUnit,
		name: named(s.st.Unit, func(u *store.Unit) string { return u.Current().Name })}
}

func (s *Server) personDeletion() deletion {
	return deletion{question: "staff.delete_question", shown: "/staff/", list: "/staff", remove: s.st.DeletePerson,
		name: named(s.st.Person, (*store.Staff).FullName)}
}

func (s *Server) locationDeletion() deletion {
	return deletion{question: "locations.delete_question", shown: "/locations/", list: "/locations", remove: s.st.DeleteLocation,
		name: named(s.st.Location, func(l *store.Location) string { return l.Name })}
}

func (s *Server) announcementDeletion() deletion {
	return deletion{question: "announcements.delete_question", shown: "/announcements/", list: "/announcements",
		remove: s.st.DeleteAnnouncement, name: named(s.st.Announcement, func(n *store.Announcement) string { return n.Title })}
}

func asConflict(err error, target **store.ConflictError) bool { return errors.As(err, target) }

func isConflictErr(err error) bool {
	var c *store.ConflictError
	return errors.As(err, &c)
}

// domainMessage is the message ID of a domain error.
func domainMessage(err error) string {
	var e *store.Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "error.500.text"
}

// canEditOrg: administrators and coordinators edit the structure, people,
// locations and announcements.
func canEditOrg(u *store.User) bool {
	return u != nil && (u.Role == store.RoleAdmin || u.Role == store.RoleCoordinator)
}

var orgEditors = []store.Role{store.RoleAdmin, store.RoleCoordinator}

// dateParam reads ?date= for the structure as of a day; today by default.
func (s *Server) dateParam(c *fiber.Ctx) (time.Time, bool) {
	if q := c.Query("date"); q != "" {
		if t, ok := views.ParseDate(q); ok {
			return store.Day(t), true
		}
		return s.st.Today(), false
	}
	return s.st.Today(), true
}
