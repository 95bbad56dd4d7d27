package handlers

import (
	"context"
	"errors"
	"math"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// hashWait bounds how long a request queues for a free password hasher.
const hashWait = 5 * time.Second

type loginView struct {
	Login, Next string
	Error       string // message ID
	Notice      string // message ID: why the visitor is here
	Refusal     *refusal
}

// refusal says why an account cannot sign in: the message ID and the day
// it ended (formatted), shown only to someone who knew its password or
// was signed in to it.
type refusal struct {
	Message, Date string
}

func refusalOf(st store.AccountState) *refusal {
	return &refusal{Message: st.Message(), Date: views.Date(st.On)}
}

// endedNotice is the refusal a session's end sent here with (?ended=&on=).
// It comes from the address, so it is only ever one of the fixed messages.
func endedNotice(c *fiber.Ctx) *refusal {
	status, ok := store.ParseAccountStatus(c.Query("ended"))
	if !ok || status == store.AccountActive {
		return nil
	}
	st := store.AccountState{Status: status}
	if on, ok := views.ParseDate(c.Query("on")); ok {
		st.On = store.Day(on)
	}
	if st.On.IsZero() && status != store.AccountDeactivated {
		return nil
	}
	return refusalOf(st)
}

func (s *Server) loginPage(c *fiber.Ctx) error {
	if userOf(c) != nil {
		return c.Redirect(safeNext(c.Query("next")), fiber.StatusSeeOther)
	}
	// Before signing in, the language is picked with ?lang= (anonymous
	// visitors may not post anything but the sign-in form).
	if code := c.Query("lang"); code != "" {
		s.rememberLanguage(c, views.SupportedLanguage(code))
	}
	v := loginView{Next: safeNext(c.Query("next")), Refusal: endedNotice(c)}
	if r := stateOf(c); r.ended != nil { // a session that ended on this very request
		v.Refusal = refusalOf(*r.ended)
	}
	if c.Query("next") != "" && c.Query("ok") == "" && v.Refusal == nil { // sent here from a page (an expired session says so itself)
		v.Notice = "auth.signin_needed"
	}
	return s.page(c, fiber.StatusOK, "login", "auth.title", v, nil)
}

func (s *Server) actor(c *fiber.Ctx) store.Actor {
	a := store.Actor{IP: s.clientIP(c)}
	if u := userOf(c); u != nil {
		a.UserID, a.Login = u.ID, u.Login
	}
	return a
}

// login checks the password with the same work for unknown and known logins,
// slows guessing down per address and per login (see signInGate), and
// starts a new session.
func (s *Server) login(c *fiber.Ctx) error {
	login := store.NormalizeLogin(formValue(c, "login"))
	if len(login) > 64 {
		login = login[:64]
	}
	password := formValue(c, "password")
	view := loginView{Login: login, Next: safeNext(formValue(c, "next"))}
	ip, key := s.clientIP(c), s.limitKey(c)
	g := s.signInGate(key, login)
	now := s.st.Now()
	if s.knownDevice(c, login) || s.byIPLogin.clean(key+"|"+login, now) {
		// This browser signed in as login before, or this address has
		// not failed for login lately: guesses from elsewhere must not
		// keep its owner out. The address's own limits still apply, and
		// after one wrong password here the shared wait applies too.
		g = g.except(s.byLogin)
	}
	if ok, wait, first := g.take(now); !ok {
		if first {
			_ = s.st.Record(store.Actor{Login: login, IP: ip}, "session", 0, store.ActionLoginThrottled)
		}
		c.Set(fiber.HeaderRetryAfter, itoa(int(math.Ceil(wait.Seconds()))))
		view.Error = "auth.throttled"
		return s.page(c, fiber.StatusTooManyRequests, "login", "auth.title", view, nil)
	}
	u, err := s.st.UserByLogin(login)
	hash := ""
	if err == nil && u.Active {
		hash = u.PasswordHash
	}
	ctx, cancel := context.WithTimeout(context.Background(), hashWait)
	defer cancel()
	ok, rehash, err := s.cfg.Hasher.Verify(ctx, password, hash)
	if err != nil {
		g.refund() // the password was not checked (server busy): no failure
		return err
	}
	if !ok {
		_ = s.st.Record(store.Actor{Login: login, IP: ip}, "session", 0, store.ActionLoginFailed)
		view.Error = "auth.invalid"
		return s.page(c, fiber.StatusUnauthorized, "login", "auth.title", view, nil)
	}
	g.refund() // only wrong passwords count
	// Only now, to someone who knows the password, does the sign-in say
	// that the account has ended and since when.
	if _, state, err := s.st.SignInState(u.ID, s.st.Today()); err != nil {
		return err
	} else if !state.Active() {
		_ = s.st.Record(store.Actor{UserID: u.ID, Login: u.Login, IP: ip}, "session", 0, store.ActionLoginRefused)
		view.Refusal = refusalOf(state)
		return s.page(c, fiber.StatusForbidden, "login", "auth.title", view, nil)
	}
	if rehash {
		u = s.rehash(ctx, u, password, ip)
	}
	if err := s.startSession(c, u); err != nil {
		if errors.Is(err, store.ErrSignInOutdated) {
			// The password was reset or the account deactivated while
			// this sign-in was being checked: it counts for nothing.
			view.Error = "auth.invalid"
			return s.page(c, fiber.StatusUnauthorized, "login", "auth.title", view, nil)
		}
		return err
	}
	s.rememberDevice(c, u.Login)
	_ = s.st.Record(store.Actor{UserID: u.ID, Login: u.Login, IP: ip}, "session", 0, store.ActionLogin)
	return c.Redirect(view.Next, fiber.StatusSeeOther)
}

// rehash stores the password under the current parameters, unless the hash
// changed since it was checked (an administrator reset it meanwhile: that
// reset wins). It returns the account as the session will be linked to it.
func (s *Server) rehash(ctx context.Context, u *store.User, password, ip string) *store.User {
	h, err := s.cfg.Hasher.Hash(ctx, password)
	if err != nil {
		return u
	}
	checked := u.PasswordHash
	nu, err := s.st.UpdateUser(store.Actor{UserID: u.ID, Login: u.Login, IP: ip}, u.ID, 0, store.ActionUpdate,
		func(x *store.User) error {
			if x.PasswordHash != checked {
				return errPasswordChanged
			}
			x.PasswordHash = h
			return nil
		})
	if err != nil {
		return u // the session link will see the change and refuse
	}
	return nu
}

var errPasswordChanged = errors.New("the password changed while signing in")

// signInGate slows password guessing down without locking anyone out (the
// free failures and waits are set where New builds the throttles): per
// address and login (a guesser at one address), per address (one address
// trying many logins), and per login from anywhere (a distributed guesser;
// its waits are short, so it can slow the real user down but not lock
// them out, and login skips it for a browser with a device cookie).
func (s *Server) signInGate(ip, login string) gate {
	return gate{limits: []*throttle{s.byIP, s.byIPLogin, s.byLogin}, keys: []string{ip, ip + "|" + login, login}}
}

// startSession gives the user a new session ID (no fixation) and a new
// CSRF token, and links the session to the user.
func (s *Server) startSession(c *fiber.Ctx, u *store.User) error {
	r := stateOf(c)
	if err := r.sess.Reset(); err != nil {
		return err
	}
	now := s.st.Now().Unix()
	r.sess.Set(keyUser, u.ID)
	r.sess.Set(keyCreated, now)
	r.sess.Set(keySeen, now)
	r.sess.Set(keyCSRF, randomToken())
	r.sess.SetExpiry(s.cfg.SessionIdle)
	id := r.sess.ID()
	r.user, r.dirty = u, true
	if err := s.saveSession(r); err != nil {
		return err
	}
	if err := s.st.LinkSession(u.ID, id, u.PasswordHash); err != nil {
		// An unlinked session would outlive the next reset: end it (the
		// store has already ended an outdated one).
		if !errors.Is(err, store.ErrSignInOutdated) {
			_ = s.st.Sessions().Delete(id)
		}
		r.user = nil
		return err
	}
	return nil
}

func (s *Server) logout(c *fiber.Ctx) error {
	a := s.actor(c)
	s.endSession(stateOf(c))
	_ = s.st.Record(a, "session", 0, store.ActionLogout)
	return c.Redirect("/login?ok=logged_out", fiber.StatusSeeOther)
}

// setLanguage remembers the choice in a cookie and, for a signed-in user,
// in the account so that it follows them to other computers.
func (s *Server) setLanguage(c *fiber.Ctx) error {
	code := views.SupportedLanguage(formValue(c, "lang"))
	s.rememberLanguage(c, code)
	if u := userOf(c); u != nil && u.Lang != code {
		nu, err := s.st.UpdateUser(s.actor(c), u.ID, 0, store.ActionUpdate, func(x *store.User) error { x.Lang = code; return nil })
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		stateOf(c).user = nu
	}
	return c.Redirect(backTo(c), fiber.StatusSeeOther)
}

// backTo is the page the browser was on: the document's URL, which htmx
// keeps current, arrives as the Referer of our own forms.
func backTo(c *fiber.Ctx) string {
	ref, err := url.Parse(c.Get(fiber.HeaderReferer))
	if err != nil || ref.Host != c.Hostname() {
		return "/"
	}
	return safeNext(ref.RequestURI())
}

func (s *Server) rememberLanguage(c *fiber.Ctx, code string) {
	c.Cookie(&fiber.Cookie{Name: langCookie, Value: code, Path: "/", MaxAge: 365 * 24 * 3600,
		HTTPOnly: true, SameSite: "Lax", Secure: s.cfg.SecureCookies})
	c.Locals("lang", code)
}
