package handlers

import (
	"errors"
	"maps"
	"slices"
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

// formValue reads a field from the request body only. Fiber's FormValue
// looks at the query string first, so a link could put values (or a CSRF
// token) into a form that the person never sent.
func formValue(c *fiber.Ctx, name string) string {
	if v := c.Context().PostArgs().Peek(name); v != nil {
		return string(v)
	}
	if !strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEMultipartForm) {
		return ""
	}
	if mf, err := c.MultipartForm(); err == nil && len(mf.Value[name]) > 0 {
		return mf.Value[name][0]
	}
	return ""
}

func (f *form) text(name string) string { return strings.TrimSpace(formValue(f.c, name)) }

func (f *form) bool(name string) bool { return formValue(f.c, name) != "" }

// date reads a date field (2017-09-01 or 01.09.2017); an empty optional
// field is the zero time.
func (f *form) date(name string, required bool) time.Time {
	return f.dateValue(name, f.text(name), required)
}

// dateValue reads a date typed into the field called name (a row of a
// list reads its own fields, and reports under the row it is kept as).
func (f *form) dateValue(name, s string, required bool) time.Time {
	if s == "" {
		if required {
			f.errs[name] = "error.date_required"
		}
		return time.Time{}
	}
	t, ok := views.ParseDate(s)
	switch {
	case !ok && views.LooksLikeDate(s):
		f.errs[name] = "error.date_nonexistent"
		return time.Time{}
	case !ok:
		f.errs[name] = "error.date"
		return time.Time{}
	}
	return store.Day(t)
}

// amount reads an amount of money in grosze, typed the Polish way.
func (f *form) amount(name string) int64 { return f.amountValue(name, f.text(name)) }

func (f *form) amountValue(name, s string) int64 {
	if s == "" {
		return 0
	}
	n, problem := store.ParseAmount(s)
	if problem != "" {
		f.errs[name] = problem
	}
	return n
}

// number reads a whole number between 0 and max; "" is 0.
func (f *form) number(name string, max int64) int64 {
	s := f.text(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(s, " ", ""), "\u00a0", ""), 10, 64)
	if err != nil || n < 0 || n > max {
		f.errs[name] = store.WithMax("error.value_range", int(max))
	}
	return n
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

// values reads a multi-valued text field (checkboxes).
func (f *form) values(name string) []string {
	var out []string
	for _, v := range f.c.Context().PostArgs().PeekMulti(name) {
		out = append(out, string(v))
	}
	return out
}

// version is the record version the form was read at. An update without a
// valid one is refused: the store would take 0 as "do not check", and a
// change must never skip the check for someone else's edit.
func (f *form) version() int {
	n, _ := strconv.Atoi(formValue(f.c, "version"))
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

// check adds the record's own rules to the form's problems, so that one
// field the form could not read (a date) does not hide the others: every
// problem is reported at once, the form's own first.
func (f *form) check(r interface{ Validate() error }) { mergeFields(f.errs, r.Validate()) }

// merge adds the store's validation messages; false for any other error.
// A write that failed in the storage (a full disk) is kept too: the form
// comes back with what was typed, its status and message say why (see
// writeFailure), so that nothing the person typed is lost.
func (f *form) merge(err error) bool {
	if why := store.StorageFailure(err); why != "" {
		f.c.Locals(failureKey, newWriteFailure(why, err))
		return true
	}
	return mergeFields(f.errs, err)
}

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
	Version  int    // the version shown; the deletion applies only to it
	File     uint64 // the file shown, where the address names its owner (a logo)
	Action   string
	Back     string
	Problem  string // message ID when the deletion is refused
	Changed  bool   // the record changed since the question was asked
}

func (s *Server) confirm(c *fiber.Ctx, status int, v confirmView) error {
	return s.page(c, status, "confirm", "confirm.title", v, nil)
}

// deletion describes how one kind of record is deleted.
type deletion struct {
	question string // message ID of the question asked first
	name     func(id uint64) (string, int, error)
	remove   func(a store.Actor, id uint64, version int) error
	shown    string // where the record is shown, before its ID
	list     string // where to go once it is gone
}

// target reads the :id of a deletion's route, names the record and gives
// its current version.
func (d deletion) target(c *fiber.Ctx) (id uint64, name string, version int, err error) {
	if id, err = paramID(c); err != nil {
		return 0, "", 0, err
	}
	name, version, err = d.name(id)
	return id, name, version, err
}

func (d deletion) ask(c *fiber.Ctx, name string, version int) confirmView {
	return confirmView{Question: d.question, Name: name, Version: version,
		Action: d.shown + c.Params("id") + "/delete", Back: d.shown + c.Params("id")}
}

// askDelete is the confirmation page of a deletion.
func (s *Server) askDelete(d deletion) fiber.Handler {
	return func(c *fiber.Ctx) error {
		_, name, version, err := d.target(c)
		if err != nil {
			return err
		}
		return s.confirm(c, fiber.StatusOK, d.ask(c, name, version))
	}
}

// doDelete deletes the version the person confirmed, or explains why the
// store refused (people still in a unit, a location in use…) with the way
// back to the record. When the record changed since the question was
// asked, the question is asked again about the record as it is now.
func (s *Server) doDelete(d deletion) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, name, current, err := d.target(c)
		if err != nil {
			return err
		}
		f := newForm(c)
		version := f.needVersion()
		if version > 0 {
			err = d.remove(s.actor(c), id, version)
		}
		switch {
		case version <= 0 || isConflictErr(err):
			v := d.ask(c, name, current)
			v.Changed = true
			return s.confirm(c, fiber.StatusConflict, v)
		case store.ErrorCode(err) == store.EConflict:
			return s.refused(c, name, d.shown+c.Params("id"), err)
		case err != nil:
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
func named[T any, P interface {
	*T
	Versioned() int
}](get func(uint64) (*T, error), name func(*T) string) func(uint64) (string, int, error) {
	return func(id uint64) (string, int, error) {
		v, err := get(id)
		if err != nil {
			return "", 0, err
		}
		return name(v), P(v).Versioned(), nil
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
	var v *store.ValidationError
	if errors.As(err, &v) && len(v.Fields) > 0 { // a page without the fields: the first reason
		fields := slices.Sorted(maps.Keys(v.Fields))
		return v.Fields[fields[0]]
	}
	return "error.500.text"
}

// canEditOrg: administrators and coordinators edit the structure, people,
// locations and announcements.
func canEditOrg(u *store.User) bool {
	return u != nil && !u.External && (u.Has(store.RoleAdmin) || u.Has(store.RoleCoordinator))
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

// answerSave answers the save of a form as every form does: on success the
// page that shows the record (shown is asked only then: a new record has
// its ID by then); on someone else's change meanwhile the form again at the
// stored version (conflict); when the store refuses the change, the reason
// with the way back; done is false when the store's messages were merged
// into the form's, which the caller shows again.
func (s *Server) answerSave(c *fiber.Ctx, f *form, err error, shown func() string, name, back string, conflict func(current int) error) (done bool, answer error) {
	var changed *store.ConflictError
	switch {
	case err == nil:
		return true, redirect(c, withOK(shown(), "saved"))
	case asConflict(err, &changed):
		current := 0
		if v, ok := changed.Current.(interface{ Versioned() int }); ok {
			current = v.Versioned()
		}
		return true, conflict(current)
	case store.ErrorCode(err) == store.EConflict:
		return true, s.refused(c, name, back, err)
	case !f.merge(err):
		return true, err
	}
	return false, nil
}
