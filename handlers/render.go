package handlers

import (
	"bytes"
	"encoding/json"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"intranet/views"
)

// page renders a template from views/pages as a full page, or, for htmx, as
// a fragment for #main with the title and the menu swapped out of band. The
// same URL serves both, so responses vary on HX-Request.
func (s *Server) page(c *fiber.Ctx, status int, name, title string, data any, errs map[string]string) error {
	l := language(c)
	p := &views.Page{
		L:      l,
		Title:  l.T(title),
		User:   userOf(c),
		Demo:   s.st.DemoMode(),
		Centre: s.st.Centre(),
		Path:   c.OriginalURL(),
		Errors: errs,
		Data:   data,
	}
	// Only pages with forms need a token: every signed-in page (the menu
	// has the sign-out form) and the sign-in form.
	if p.User != nil || name == "login" {
		p.CSRF = s.csrfToken(c)
	}
	p.Nav = s.nav(c)
	if ok := c.Query("ok"); ok != "" && l.Has("flash."+ok) {
		p.Flash = "flash." + ok
	}
	var buf bytes.Buffer
	if err := s.views.Render(&buf, "pages/"+name, p); err != nil {
		return err
	}
	p.Content = template.HTML(buf.String()) // rendered by html/template above
	layout := "layouts/base"
	if isHTMX(c) {
		layout, p.Fragment = "layouts/fragment", true
		if c.Method() != fiber.MethodGet {
			// A form answered in place (422, 409) keeps the page's own URL
			// in the history, not the address it was posted to.
			c.Set("HX-Push-Url", "false")
		}
	}
	c.Vary("HX-Request")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Status(status)
	return s.views.Render(c.Response().BodyWriter(), layout, p)
}

// nav is the main menu for the signed-in user's role.
func (s *Server) nav(c *fiber.Ctx) []views.NavItem {
	u := userOf(c)
	if u == nil {
		return nil
	}
	path := c.Path()
	var items []views.NavItem
	best := -1
	for _, r := range s.table {
		if r.Nav == "" || !r.Allows(u.Role) {
			continue
		}
		items = append(items, views.NavItem{Href: r.Path, Label: r.Nav})
		if r.Path == path || (r.Path != "/" && strings.HasPrefix(path, r.Path+"/")) {
			if best < 0 || len(r.Path) > len(items[best].Href) {
				best = len(items) - 1
			}
		}
	}
	if best >= 0 {
		items[best].Active = true
	}
	return items
}

// redirect sends the browser to target after a successful change. An htmx
// request gets HX-Location, which loads target into #main and pushes the URL.
func redirect(c *fiber.Ctx, target string) error {
	if isHTMX(c) {
		loc, _ := json.Marshal(map[string]string{"path": target, "target": "#main"})
		c.Set("HX-Location", string(loc))
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// reload sends the browser to target with a full page load: after the
// session or its CSRF token changed, the page's head must be fresh too.
func reload(c *fiber.Ctx, target string) error {
	if isHTMX(c) {
		c.Set("HX-Redirect", target)
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.Redirect(target, fiber.StatusSeeOther)
}

// withOK adds a flash message key to a URL.
func withOK(target, ok string) string {
	target, fragment, hasFragment := strings.Cut(target, "#")
	sep := "?"
	if strings.Contains(target, "?") {
		sep = "&"
	}
	target += sep + "ok=" + url.QueryEscape(ok)
	if hasFragment {
		target += "#" + fragment
	}
	return target
}

// Pager links the pages of a list, keeping the other query parameters.
type Pager struct {
	L           *views.Lang
	Page, Pages int
	Prev, Next  string
}

const perPage = 25

// paginate returns the bounds of the requested page of n items.
func paginate(c *fiber.Ctx, n int) (from, to int, p Pager) {
	p.L = language(c)
	p.Pages = (n + perPage - 1) / perPage
	if p.Pages == 0 {
		p.Pages = 1
	}
	p.Page, _ = strconv.Atoi(c.Query("page"))
	if p.Page < 1 {
		p.Page = 1
	}
	if p.Page > p.Pages {
		p.Page = p.Pages
	}
	link := func(page int) string {
		q := url.Values{}
		c.Context().QueryArgs().VisitAll(func(k, v []byte) {
			if string(k) != "page" && string(k) != "ok" {
				q.Add(string(k), string(v))
			}
		})
		q.Set("page", strconv.Itoa(page))
		return c.Path() + "?" + q.Encode()
	}
	if p.Page > 1 {
		p.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = link(p.Page + 1)
	}
	from = (p.Page - 1) * perPage
	to = min(from+perPage, n)
	return from, to, p
}
