package handlers

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

type userListView struct {
	Users []store.User
	Total int
	Query string
	Role  string
	Roles []store.Role
	Pager Pager
}

// userList filters accounts by a text (login or name) and a role.
func (s *Server) userList(c *fiber.Ctx) error {
	all, err := s.st.Users()
	if err != nil {
		return err
	}
	q := strings.TrimSpace(c.Query("q"))
	role, _ := store.ParseRole(c.Query("role"))
	needle := strings.ToLower(q)
	var users []store.User
	for _, u := range all {
		if role != "" && u.Role != role {
			continue
		}
		if needle != "" && !strings.Contains(u.Login, needle) && !strings.Contains(strings.ToLower(u.Name), needle) {
			continue
		}
		users = append(users, u)
	}
	from, to, pager := paginate(c, len(users))
	v := userListView{Users: users[from:to], Total: len(users), Query: q, Role: string(role), Roles: store.Roles, Pager: pager}
	return s.page(c, fiber.StatusOK, "users", "users.title", v, nil)
}

type userFormView struct {
	New      bool
	Form     store.User
	Roles    []store.Role
	Conflict *store.User
}

func (s *Server) userNew(c *fiber.Ctx) error {
	v := userFormView{New: true, Form: store.User{Role: store.RoleStaff}, Roles: store.Roles}
	return s.page(c, fiber.StatusOK, "user_form", "users.new", v, nil)
}

func (s *Server) userCreate(c *fiber.Ctx) error {
	role, _ := store.ParseRole(formValue(c, "role"))
	u := store.User{Login: store.NormalizeLogin(formValue(c, "login")), Name: formValue(c, "name"), Role: role, Active: true}
	pw := formValue(c, "password")
	v := userFormView{New: true, Form: u, Roles: store.Roles}
	errs := map[string]string{}
	if msg := store.ValidatePassword(pw); msg != "" {
		errs["password"] = msg
	}
	if err := u.Validate(); err != nil {
		mergeFields(errs, err)
	}
	if len(errs) == 0 {
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
		if !mergeFields(errs, err) {
			return err
		}
	}
	return s.page(c, fiber.StatusUnprocessableEntity, "user_form", "users.new", v, errs)
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

func (s *Server) userByParam(c *fiber.Ctx) (*store.User, error) { return byParam(c, s.st.User) }

func (s *Server) userEdit(c *fiber.Ctx) error {
	u, err := s.userByParam(c)
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "user_form", "users.title", userFormView{Form: *u, Roles: store.Roles}, nil)
}

// userUpdate saves the form only if the account has not changed since the
// form was read; otherwise both versions are shown side by side.
func (s *Server) userUpdate(c *fiber.Ctx) error {
	u, err := s.userByParam(c)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(formValue(c, "version"))
	role, _ := store.ParseRole(formValue(c, "role"))
	form := *u
	form.Name, form.Role, form.Active = formValue(c, "name"), role, formValue(c, "active") != ""
	form.Version = version
	errs := map[string]string{}
	if version <= 0 {
		errs["version"] = "error.stale_form"
	}
	if me := userOf(c); me.ID == u.ID && (!form.Active || form.Role != store.RoleAdmin) {
		errs["role"] = "error.self_lockout"
	}
	mergeFields(errs, form.Validate())
	if len(errs) == 0 {
		_, err = s.st.UpdateUser(s.actor(c), u.ID, version, store.ActionUpdate, func(x *store.User) error {
			x.Name, x.Role, x.Active = form.Name, form.Role, form.Active
			return nil
		})
		var conflict *store.ConflictError
		switch {
		case err == nil:
			return redirect(c, withOK("/admin/users/"+c.Params("id"), "saved"))
		case errors.As(err, &conflict):
			current := conflict.Current.(*store.User)
			form.Version = current.Version // a second save overwrites knowingly
			v := userFormView{Form: form, Roles: store.Roles, Conflict: current}
			return s.page(c, fiber.StatusConflict, "user_form", "users.title", v, nil)
		case !mergeFields(errs, err):
			return err
		}
	}
	return s.page(c, fiber.StatusUnprocessableEntity, "user_form", "users.title", userFormView{Form: form, Roles: store.Roles}, errs)
}

// userResetPassword sets a new password chosen by the administrator and
// ends the user's sessions.
func (s *Server) userResetPassword(c *fiber.Ctx) error {
	u, err := s.userByParam(c)
	if err != nil {
		return err
	}
	pw := formValue(c, "password")
	if msg := store.ValidatePassword(pw); msg != "" {
		return s.page(c, fiber.StatusUnprocessableEntity, "user_form", "users.title",
			userFormView{Form: *u, Roles: store.Roles}, map[string]string{"new_password": msg})
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
	u, err := s.userByParam(c)
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
