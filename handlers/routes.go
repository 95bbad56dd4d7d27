package handlers

import (
	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// Route is one address of the intranet and who may use it. This table is the
// single place to audit access: a route is public, open to every signed-in
// user (Roles nil), or open to the listed roles only.
type Route struct {
	Method string
	Path   string
	Public bool
	Roles  []store.Role
	Nav    string // message ID when the route is an entry of the main menu
	Handle fiber.Handler
}

var admins = []store.Role{store.RoleAdmin}

func (s *Server) routes() []Route {
	return []Route{
		{Method: "GET", Path: "/login", Public: true, Handle: s.loginPage},
		{Method: "POST", Path: "/login", Public: true, Handle: s.login},
		{Method: "POST", Path: "/lang", Handle: s.setLanguage},
		{Method: "POST", Path: "/logout", Handle: s.logout},

		{Method: "GET", Path: "/", Nav: "nav.home", Handle: s.home},
		{Method: "GET", Path: "/account", Handle: s.account},
		{Method: "POST", Path: "/account/password", Handle: s.changePassword},

		{Method: "GET", Path: "/admin", Roles: admins, Nav: "nav.admin", Handle: s.adminHome},
		{Method: "GET", Path: "/admin/users", Roles: admins, Handle: s.userList},
		{Method: "GET", Path: "/admin/users/new", Roles: admins, Handle: s.userNew},
		{Method: "POST", Path: "/admin/users", Roles: admins, Handle: s.userCreate},
		{Method: "GET", Path: "/admin/users/:id", Roles: admins, Handle: s.userEdit},
		{Method: "POST", Path: "/admin/users/:id", Roles: admins, Handle: s.userUpdate},
		{Method: "POST", Path: "/admin/users/:id/password", Roles: admins, Handle: s.userResetPassword},
		{Method: "POST", Path: "/admin/users/:id/sessions", Roles: admins, Handle: s.userEndSessions},
		{Method: "GET", Path: "/admin/audit", Roles: admins, Handle: s.auditList},
		{Method: "POST", Path: "/admin/backup", Roles: admins, Handle: s.backup},
	}
}

// Routes lists the route table without handlers, for tests and docs.
func Routes() []Route {
	var s Server
	rs := s.routes()
	for i := range rs {
		rs[i].Handle = nil
	}
	return rs
}

// Allows reports whether a role may use the route.
func (r Route) Allows(role store.Role) bool {
	if r.Public || r.Roles == nil {
		return true
	}
	for _, x := range r.Roles {
		if x == role {
			return true
		}
	}
	return false
}

// guard enforces the route's access rule, then CSRF on state changes.
func (s *Server) guard(r Route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !r.Public {
			u := userOf(c)
			if u == nil {
				return s.toLogin(c)
			}
			if !r.Allows(u.Role) {
				return fiber.ErrForbidden
			}
		}
		if unsafeMethod(c.Method()) {
			if err := s.checkCSRF(c); err != nil {
				return err
			}
		}
		return c.Next()
	}
}

func unsafeMethod(m string) bool {
	return m != fiber.MethodGet && m != fiber.MethodHead && m != fiber.MethodOptions
}
