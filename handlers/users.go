package handlers

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

type userListView struct {
	Users  []store.UserState
	Total  int
	Query  string
	Role   string
	Roles  []store.Role
	Status string // active, ended or all
	// Counts of all accounts per status, beside the status filter; they do
	// not follow the text typed, which htmx swaps the results for alone.
	Active, Ended int
	Pager         Pager
}

// Account list statuses: ended accounts (deactivated, expired, employment
// over) keep their history and are listed apart from those that work.
const (
	listActive = "active"
	listEnded  = "ended"
	listAll    = "all"
)

// userList filters accounts by a text (login or name), a role (accounts
// holding it among others too) and whether they work today. The store keeps
// the list, its orders and counts per change of the data and per day: a
// request takes a page of it.
func (s *Server) userList(c *fiber.Ctx) error {
	list, err := s.st.Accounts(s.st.Today())
	if err != nil {
		return err
	}
	q := strings.TrimSpace(c.Query("q"))
	role, _ := store.ParseRole(c.Query("role"))
	status := c.Query("status")
	shown := store.ShowActive
	switch status {
	case listEnded:
		shown = store.ShowEnded
	case listAll:
		shown = store.ShowAll
	default:
		status = listActive
	}
	// A page of the list is the same until the accounts, the structure or
	// the day change: rendered once for each address asked.
	key := views.ISODate(list.Day) + "|" + string(c.Context().QueryArgs().QueryString())
	return s.cachedPageOf(c, list.Version, "users", "users.title", key, func() (any, error) {
		v := userListView{Query: q, Role: string(role), Roles: store.Roles, Status: status, Active: list.Active, Ended: list.Ended}
		found := list.Find(store.AccountQuery{Text: q, Role: role, Shown: shown})
		from, to, pager := paginate(c, len(found))
		v.Users, v.Total, v.Pager = list.Page(found, from, to-from), len(found), pager
		return v, nil
	})
}

type userFormView struct {
	New  bool
	Form store.User
	// Expires is the expiry as typed: a date that could not be read
	// comes back as it was.
	Expires string
	Roles   []store.Role
	// State is the stored account's state today; an ended account changes
	// its expiry and comes back on only through Reactivate, with a reason.
	State      store.AccountState
	Reactivate reactivateView
	Conflict   *store.User
}

// reactivateView is the reactivation form as typed.
type reactivateView struct {
	Reason, Expires string
}

// userForm shows the account editor.
func (s *Server) userForm(c *fiber.Ctx, status int, v userFormView, errs map[string]string) error {
	v.Roles = store.Roles
	if v.Expires == "" {
		v.Expires = views.ISODate(v.Form.Expires)
	}
	title := "users.title"
	if v.New {
		title = "users.new"
	}
	return s.page(c, status, "user_form", title, v, errs)
}

// readUser reads the editor's fields into u (a new account's login is
// read by the caller): the roles ticked, whether the person is from
// outside and from where, and the account's last day.
func readUser(f *form, u *store.User, v *userFormView) {
	u.Name = f.text("name")
	u.Roles = nil
	for _, x := range f.c.Context().PostArgs().PeekMulti("roles") {
		r, ok := store.ParseRole(string(x))
		if !ok {
			f.errs["roles"] = "error.role"
			continue
		}
		u.Roles = append(u.Roles, r)
	}
	u.External, u.Organisation = f.bool("external"), f.text("organisation")
	v.Expires = f.text("expires")
	u.Expires = f.date("expires", false)
}

func (s *Server) userNew(c *fiber.Ctx) error {
	return s.userForm(c, fiber.StatusOK, userFormView{New: true, Form: store.User{Roles: []store.Role{store.RoleStaff}}}, nil)
}

func (s *Server) userCreate(c *fiber.Ctx) error {
	f := newForm(c)
	u := store.User{Login: store.NormalizeLogin(formValue(c, "login")), Active: true}
	v := userFormView{New: true}
	readUser(f, &u, &v)
	pw := formValue(c, "password")
	if msg := store.ValidatePassword(pw); msg != "" {
		f.errs["password"] = msg
	}
	f.check(&u)
	v.Form = u
	if len(f.errs) == 0 {
		ctx, cancel := context.WithTimeout(context.Background(), hashWait)
		defer cancel()
		hash, err := s.cfg.Hasher.Hash(ctx, pw)
		if err != nil {
			return err
		}
		u.PasswordHash = hash
		err = s.st.CreateUser(s.actor(c), &u)
		if err == nil {
			return redirect(c, withOK("/admin/users/"+strconv.FormatUint(u.ID, 10), "user_created"))
		}
		if !f.merge(err) {
			return err
		}
	}
	return s.userForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

// mergeFields copies a validation error's fields; false for other errors.
func mergeFields(errs map[string]string, err error) bool {
	var ve *store.ValidationError
	if !errors.As(err, &ve) {
		return false
	}
	for k, v := range ve.Fields {
		if _, ok := errs[k]; !ok {
			errs[k] = v
		}
	}
	return true
}

// userByParam reads the account named by :id with its state today.
func (s *Server) userByParam(c *fiber.Ctx) (*store.User, store.AccountState, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, store.AccountState{}, err
	}
	return s.st.SignInState(id, s.st.Today())
}

func (s *Server) userEdit(c *fiber.Ctx) error {
	u, state, err := s.userByParam(c)
	if err != nil {
		return err
	}
	return s.userForm(c, fiber.StatusOK, userFormView{Form: *u, State: state}, nil)
}

// userUpdate saves the form only if the account has not changed since the
// form was read; otherwise both versions are shown side by side.
func (s *Server) userUpdate(c *fiber.Ctx) error {
	u, state, err := s.userByParam(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	version := f.needVersion()
	form := *u
	v := userFormView{State: state}
	readUser(f, &form, &v)
	form.Active = f.bool("active")
	if !state.Active() {
		// An ended account is switched on again only with a reason (the
		// reactivation form); its editor shows neither field.
		form.Active, form.Expires, v.Expires = u.Active, u.Expires, ""
		delete(f.errs, "expires")
	}
	form.Version = version
	if me := userOf(c); me.ID == u.ID {
		if !form.Active || !form.Has(store.RoleAdmin) || form.External {
			f.errs["roles"] = "error.self_lockout"
		}
		if !form.Expires.IsZero() && form.Expires.Before(s.st.Today()) {
			f.errs["expires"] = "error.self_lockout"
		}
	}
	f.check(&form)
	if len(f.errs) == 0 {
		_, err = s.st.UpdateUser(s.actor(c), u.ID, version, store.ActionUpdate, func(x *store.User) error {
			x.Name, x.Roles, x.Active, x.Expires = form.Name, form.Roles, form.Active, form.Expires
			x.External, x.Organisation = form.External, form.Organisation
			return nil
		})
		var conflict *store.ConflictError
		switch {
		case err == nil:
			return redirect(c, withOK("/admin/users/"+c.Params("id"), "saved"))
		case errors.As(err, &conflict):
			current := conflict.Current.(*store.User)
			form.Version = current.Version // a second save overwrites knowingly
			v.Form, v.Conflict = form, current
			return s.userForm(c, fiber.StatusConflict, v, nil)
		case !f.merge(err):
			return err
		}
	}
	v.Form = form
	return s.userForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

// userReactivate switches an ended account on again: the reason goes into
// the audit log, and the account may get a new last day.
func (s *Server) userReactivate(c *fiber.Ctx) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	version := f.needVersion()
	typed := reactivateView{Reason: formValue(c, "reason"), Expires: f.text("new_expires")}
	expires := f.date("new_expires", false)
	status := fiber.StatusUnprocessableEntity
	if len(f.errs) == 0 {
		_, err := s.st.ReactivateUser(s.actor(c), id, version, typed.Reason, expires)
		var ve *store.ValidationError
		var conflict *store.ConflictError
		switch {
		case err == nil:
			return redirect(c, withOK("/admin/users/"+strconv.FormatUint(id, 10), "reactivated"))
		case errors.As(err, &conflict):
			f.errs["version"], status = "error.stale_form", fiber.StatusConflict
		case errors.Is(err, store.ErrAccountNotEnded):
			f.errs["reason"], status = "error.account_not_ended", fiber.StatusConflict
		case errors.As(err, &ve):
			// The account's own "expires" is this form's new last day.
			for k, msg := range ve.Fields {
				if k == "expires" {
					k = "new_expires"
				}
				if _, ok := f.errs[k]; !ok {
					f.errs[k] = msg
				}
			}
		default:
			return err
		}
	}
	u, state, err := s.st.SignInState(id, s.st.Today())
	if err != nil {
		return err
	}
	return s.userForm(c, status, userFormView{Form: *u, State: state, Reactivate: typed}, f.errs)
}

// userResetPassword sets a new password chosen by the administrator and
// ends the user's sessions.
func (s *Server) userResetPassword(c *fiber.Ctx) error {
	u, state, err := s.userByParam(c)
	if err != nil {
		return err
	}
	pw := formValue(c, "password")
	if msg := store.ValidatePassword(pw); msg != "" {
		return s.userForm(c, fiber.StatusUnprocessableEntity, userFormView{Form: *u, State: state}, map[string]string{"new_password": msg})
	}
	ctx, cancel := context.WithTimeout(context.Background(), hashWait)
	defer cancel()
	hash, err := s.cfg.Hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	// The new password ends the user's sessions in the same transaction.
	if _, err := s.st.UpdateUser(s.actor(c), u.ID, 0, store.ActionPassword, func(x *store.User) error {
		x.PasswordHash = hash
		return nil
	}); err != nil {
		return err
	}
	return s.afterEndingSessions(c, u.ID, "password_reset")
}

func (s *Server) userEndSessions(c *fiber.Ctx) error {
	u, _, err := s.userByParam(c)
	if err != nil {
		return err
	}
	if err := s.st.EndUserSessions(s.actor(c), u.ID); err != nil {
		return err
	}
	return s.afterEndingSessions(c, u.ID, "sessions_ended")
}

// afterEndingSessions continues after a user's sessions ended: an
// administrator who ended their own is signed out here too.
func (s *Server) afterEndingSessions(c *fiber.Ctx, id uint64, ok string) error {
	if me := userOf(c); me != nil && me.ID == id {
		s.endSession(stateOf(c))
		return reload(c, "/login")
	}
	return redirect(c, withOK("/admin/users/"+strconv.FormatUint(id, 10), ok))
}
