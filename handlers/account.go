package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

func (s *Server) account(c *fiber.Ctx) error {
	return s.page(c, fiber.StatusOK, "account", "account.title", nil, nil)
}

// changePassword needs the current password; afterwards every other session
// of the user ends and this one continues under a new ID.
func (s *Server) changePassword(c *fiber.Ctx) error {
	u := userOf(c)
	current, pw, confirm := c.FormValue("current"), c.FormValue("password"), c.FormValue("confirm")
	ctx, cancel := context.WithTimeout(context.Background(), hashWait)
	defer cancel()
	errs := map[string]string{}
	ok, _, err := s.cfg.Hasher.Verify(ctx, current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		errs["current"] = "error.current_password"
	}
	if msg := store.ValidatePassword(pw); msg != "" {
		errs["password"] = msg
	} else if pw != confirm {
		errs["confirm"] = "error.password_mismatch"
	}
	if len(errs) > 0 {
		return s.page(c, fiber.StatusUnprocessableEntity, "account", "account.title", nil, errs)
	}
	hash, err := s.cfg.Hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	nu, err := s.st.UpdateUser(actorOf(c), u.ID, 0, store.ActionPassword, func(x *store.User) error {
		x.PasswordHash = hash
		return nil
	})
	if err != nil {
		return err
	}
	if err := s.st.EndUserSessions(u.ID); err != nil {
		return err
	}
	if err := s.startSession(c, nu); err != nil {
		return err
	}
	return redirect(c, withOK("/account", "password_changed"))
}
