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
// of the user has ended and this one continues under a new ID.
func (s *Server) changePassword(c *fiber.Ctx) error {
	u := userOf(c)
	current, pw, confirm := formValue(c, "current"), formValue(c, "password"), formValue(c, "confirm")
	ctx, cancel := context.WithTimeout(context.Background(), hashWait)
	defer cancel()
	errs := map[string]string{}
	// Guessing the current password from a stolen session is throttled
	// like signing in.
	g := s.signInGate(s.limitKey(c), u.Login)
	if ok, _, _ := g.take(s.st.Now()); !ok {
		errs["current"] = "auth.throttled"
		return s.page(c, fiber.StatusTooManyRequests, "account", "account.title", nil, errs)
	}
	ok, _, err := s.cfg.Hasher.Verify(ctx, current, u.PasswordHash)
	if err != nil {
		g.refund() // not checked (server busy): not a failure
		return err
	}
	if ok {
		g.refund()
	} else {
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
	nu, err := s.st.UpdateUser(s.actor(c), u.ID, 0, store.ActionPassword, func(x *store.User) error {
		x.PasswordHash = hash
		return nil
	})
	if err != nil {
		return err
	}
	// Every session, this one included, ended with the change; this browser
	// continues in a new one, with a new CSRF token, so the page reloads.
	if err := s.startSession(c, nu); err != nil {
		return err
	}
	return reload(c, withOK("/account", "password_changed"))
}
