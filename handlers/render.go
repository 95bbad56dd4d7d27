package handlers

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html/template"
	"io"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// page renders a template from views/pages as a full page, or, for htmx, as
// a fragment for #main with the title and the menu swapped out of band. The
// same URL serves both, so responses vary on HX-Request.
func (s *Server) page(c *fiber.Ctx, status int, name, title string, data any, errs map[string]string) error {
	return s.render(c, status, name, title, errs, func(p *views.Page) (template.HTML, error) {
		p.Data = data
		return s.html("pages/"+name, p)
	})
}

// cachedPage is page for content that depends only on the structure's data
// (its version), the language and key: it is rendered once per change and
// kept, so that a page listing the whole centre (the tree, the phone list)
// costs a lookup, not a render. Its template must not print anything of
// the request but the CSRF token, which is put in on the way out (no
// user, no flash: the layout has those).
func (s *Server) cachedPage(c *fiber.Ctx, name, title, key string, data func() (any, error)) error {
	return s.cachedPageOf(c, s.st.OrgVersion(), name, title, key, data)
}

// cachedPageOf is cachedPage for data read before the call: version is
// that of the snapshot the data comes from, so that content made from it
// is never kept under a newer version.
func (s *Server) cachedPageOf(c *fiber.Ctx, version uint64, name, title, key string, data func() (any, error)) error {
	return s.cachedPageIn(c, &s.content, version, name, title, key, data)
}

// cachedPageIn is cachedPageOf for content kept in its own cache, whose
// versions are counted otherwise (see projectVersion).
func (s *Server) cachedPageIn(c *fiber.Ctx, cache *kept[template.HTML], version uint64, name, title, key string, data func() (any, error)) error {
	return s.render(c, fiber.StatusOK, name, title, nil, func(p *views.Page) (template.HTML, error) {
		ck := contentKey{name: name, key: key, lang: p.L.Code, version: version}
		token := p.CSRF
		p.CSRF = s.csrfMark
		body, err := keep(cache, ck, func() (template.HTML, error) {
			var err error
			if p.Data, err = data(); err != nil {
				return "", err
			}
			return s.html("pages/"+name, p)
		})
		p.CSRF = token
		return template.HTML(strings.ReplaceAll(string(body), s.csrfMark, token)), err
	})
}

// renderBuffers are reused between renders: growing a fresh buffer to a
// page's size was most of what a page allocated.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// html renders a template into a string.
func (s *Server) html(name string, data any) (template.HTML, error) {
	buf := renderBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 1<<20 { // an odd huge page does not stay in memory
			buf.Reset()
			renderBuffers.Put(buf)
		}
	}()
	if err := s.views.Render(buf, name, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil // rendered by html/template; a copy
}

func (s *Server) render(c *fiber.Ctx, status int, name, title string, errs map[string]string, content func(p *views.Page) (template.HTML, error)) error {
	l := language(c)
	p := &views.Page{
		Name:   name,
		L:      l,
		Title:  l.T(title),
		User:   userOf(c),
		Demo:   s.st.DemoMode(),
		Centre: s.st.Centre(),
		Path:   c.OriginalURL(),
		Errors: errs,
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
	var err error
	if p.Content, err = content(p); err != nil {
		return err
	}
	p.DiskWarning = s.diskWarning(p.User)
	if p.Failure = s.failureOf(c); p.Failure != nil {
		status = p.Failure.Status // the form again, with why it was not saved
	}
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

// contentKey names one rendered content: the page, what varies within it,
// the language and the data version it was rendered from.
type contentKey struct {
	name, key, lang string
	version         uint64
}

// kept holds what was made from the data of one version (rendered pages,
// rows, documents): a new version empties it, and bounds on its entries and
// their bytes keep odd keys (every day of a decade, every page of a list)
// from growing it: the server's memory stays within what README states.
type kept[V any] struct {
	mu      sync.Mutex
	max     int // entries kept; 256 when zero
	budget  int // bytes kept (see sizeOf); 1 MiB when zero
	bytes   int // bytes kept now
	version uint64
	items   map[contentKey]V
	// making are the values being made now: the requests that want one
	// meanwhile wait for it, instead of each making its own (thirty
	// requests for a changed phone book would render it thirty times at
	// once, in thirty times the memory).
	making map[contentKey]*making[V]
}

var errNotMade = errors.New("content could not be made")

type making[V any] struct {
	done chan struct{}
	v    V
	err  error
}

// keep returns the value kept under k, or makes it and keeps it.
func keep[V any](c *kept[V], k contentKey, build func() (V, error)) (V, error) {
	c.mu.Lock()
	v, ok := c.items[k]
	if ok && k.version == c.version {
		c.mu.Unlock()
		return v, nil
	}
	if m, ok := c.making[k]; ok {
		c.mu.Unlock()
		<-m.done
		return m.v, m.err
	}
	m := &making[V]{done: make(chan struct{})}
	if c.making == nil {
		c.making = map[contentKey]*making[V]{}
	}
	c.making[k] = m
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		delete(c.making, k)
		c.mu.Unlock()
		close(m.done)
	}()
	m.err = errNotMade // until build returns: a panic in it leaves this for the waiters
	m.v, m.err = build()
	if m.err != nil {
		return m.v, m.err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if k.version < c.version { // made from data that has changed since
		return m.v, nil
	}
	if k.version != c.version || c.items == nil {
		c.version, c.items, c.bytes = k.version, map[contentKey]V{}, 0
	}
	size, budget, limit := sizeOf(m.v), cmp.Or(c.budget, 1<<20), cmp.Or(c.max, 256)
	if size > budget { // made for this request only
		return m.v, nil
	}
	// Room is made by dropping entries the map's random order picks: what
	// is asked for often is soon made and kept again.
	for old, v := range c.items {
		if len(c.items) < limit && c.bytes+size <= budget {
			break
		}
		delete(c.items, old)
		c.bytes -= sizeOf(v)
	}
	if prev, ok := c.items[k]; ok { // not made twice (see making), but counted right if it were
		c.bytes -= sizeOf(prev)
	}
	c.items[k] = m.v
	c.bytes += size
	return m.v, nil
}

// sizeOf is the bytes a kept value holds: its text, or a document's gzip
// copy. Other values (counts in tests) count as none.
func sizeOf(v any) int {
	switch x := v.(type) {
	case template.HTML:
		return len(x)
	case []byte:
		return len(x)
	case *storedDocument:
		return len(x.gzipped)
	}
	return 0
}

// nav is the main menu for the signed-in user's roles: the routes the
// guard would let them use.
func (s *Server) nav(c *fiber.Ctx) []views.NavItem {
	u := userOf(c)
	if u == nil {
		return nil
	}
	path := c.Path()
	var items []views.NavItem
	best := -1
	for _, r := range s.table {
		if r.Nav == "" || !r.Allows(u) || r.Shown != nil && !r.Shown(c) {
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
	// Label names the pager's landmark (a message ID; "pager.label" when
	// empty): a page with two lists needs two names.
	Label string
	size  int // rows a page (listPage)
}

// listPage is the pager of a list of n rows, size a page, at the page
// asked for in the query argument arg: the first for junk, the last past
// the end. Its links are the caller's (see linkPages): a kept page links
// what was understood, not what was typed.
func listPage(c *fiber.Ctx, arg string, n, size int) Pager {
	p := Pager{L: language(c), Pages: max(1, (n+size-1)/size), size: size}
	page, _ := strconv.Atoi(c.Query(arg))
	p.Page = min(max(page, 1), p.Pages)
	return p
}

// offset is where the pager's page begins in its list.
func (p *Pager) offset() int { return (p.Page - 1) * p.size }

// linkPages sets the links to the previous and the next page, link(n)
// being page n's address.
func (p *Pager) linkPages(link func(page int) string) {
	p.Prev, p.Next = "", ""
	if p.Page > 1 {
		p.Prev = link(p.Page - 1)
	}
	if p.Page < p.Pages {
		p.Next = link(p.Page + 1)
	}
}

const perPage = 25

// requestedPage is the ?page= number, at least 1.
func requestedPage(c *fiber.Ctx) int {
	n, _ := strconv.Atoi(c.Query("page"))
	return max(n, 1)
}

// paginate returns the bounds of the requested page of n items, with links
// that keep the rest of the query as typed.
func paginate(c *fiber.Ctx, n int) (from, to int, p Pager) {
	p = listPage(c, "page", n, perPage)
	p.linkPages(func(page int) string {
		q := url.Values{}
		c.Context().QueryArgs().VisitAll(func(k, v []byte) {
			if string(k) != "page" && string(k) != "ok" && string(k) != "after" {
				q.Add(string(k), string(v))
			}
		})
		q.Set("page", strconv.Itoa(page))
		return c.Path() + "?" + q.Encode()
	})
	from = p.offset()
	return from, min(from+perPage, n), p
}

// options are the <option>s of a choice among the structure's records (a
// unit, a building), rendered once per data version and key; the chosen
// one is marked on the copy. A filter over 400 units then costs a copy,
// not 400 template steps per view. version is that of the snapshot the
// list comes from.
func (s *Server) options(version uint64, name, key string, list any, selected uint64) (template.HTML, error) {
	ck := contentKey{name: "options/" + name, key: key, version: version}
	html, err := keep(&s.content, ck, func() (template.HTML, error) { return s.html("options", list) })
	if err != nil || selected == 0 {
		return html, err
	}
	id := strconv.FormatUint(selected, 10)
	return template.HTML(strings.Replace(string(html), `<option value="`+id+`">`, `<option value="`+id+`" selected>`, 1)), nil
}

// document serves a printable document that shows the whole of something
// (the phone list of every building). The whole response depends only on
// the data version, the language and key — no user, no form — so it is
// rendered once per change, kept with a gzip copy, and answered with an
// ETag: a browser that has it gets 304, one that has not gets the stored
// bytes. version is that of the snapshot data reads.
func (s *Server) document(c *fiber.Ctx, version uint64, name, title, key string, data func() (any, error)) error {
	return s.documentIn(c, &s.documents, version, name, title, key, data)
}

// documentIn is document kept in its own cache (see cachedPageIn).
func (s *Server) documentIn(c *fiber.Ctx, cache *kept[*storedDocument], version uint64, name, title, key string, data func() (any, error)) error {
	if isHTMX(c) { // a document is never swapped into a page
		c.Set("HX-Redirect", c.OriginalURL())
		return c.SendStatus(fiber.StatusNoContent)
	}
	l := language(c)
	demo := s.st.DemoMode()
	ck := contentKey{name: "document/" + name, key: key + "|" + strconv.FormatBool(demo), lang: l.Code, version: version}
	d, err := keep(cache, ck, func() (*storedDocument, error) {
		p := &views.Page{L: l, Title: l.T(title), Demo: demo, Centre: s.st.Centre()}
		var err error
		if p.Data, err = data(); err != nil {
			return nil, err
		}
		if p.Content, err = s.html("pages/"+name, p); err != nil {
			return nil, err
		}
		body, err := s.html("layouts/document", p)
		if err != nil {
			return nil, err
		}
		return newDocument([]byte(body))
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, d.etag)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Vary(fiber.HeaderAcceptEncoding)
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	if c.Get(fiber.HeaderIfNoneMatch) == d.etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	if strings.Contains(c.Get(fiber.HeaderAcceptEncoding), "gzip") {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(d.gzipped)
	}
	// Browsers take gzip; another client gets it unpacked here.
	r, err := gzip.NewReader(bytes.NewReader(d.gzipped))
	if err != nil {
		return err
	}
	body, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return c.Send(body)
}

// storedDocument is a rendered document, kept gzipped only (the phone list
// of a centre of 1,500 people is 1.2 MB, gzipped 73 kB), and its ETag.
type storedDocument struct {
	gzipped []byte
	etag    string
}

func newDocument(body []byte) (*storedDocument, error) {
	var gz bytes.Buffer
	w, err := gzip.NewWriterLevel(&gz, gzip.BestCompression) // once per change
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(body); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	return &storedDocument{gzipped: gz.Bytes(), etag: `"` + hex.EncodeToString(sum[:12]) + `"`}, nil
}

// row is one rendered row of a list whose rows depend only on the data
// version, the language and key (a person in the directory): a page of 25
// rows is then 25 lookups. The row is kept under the version of the
// snapshot it was rendered from, never a later one: a change committed
// meanwhile must not keep the old row under the new version.
func (s *Server) row(l *views.Lang, d *store.Org, template_, key string, data any) (template.HTML, error) {
	return s.cachedRow(l, d.Version, template_, key, func() (any, error) { return data, nil })
}

// cachedRow is row for data that costs something to prepare: prepare runs
// only when the row is not kept yet, and must read data at least as new as
// version (read version first).
func (s *Server) cachedRow(l *views.Lang, version uint64, template_, key string, prepare func() (any, error)) (template.HTML, error) {
	return s.cachedRowIn(&s.rows, l, version, template_, key, prepare)
}

// cachedRowIn is cachedRow kept in its own cache (see cachedPageIn).
func (s *Server) cachedRowIn(cache *kept[template.HTML], l *views.Lang, version uint64, template_, key string, prepare func() (any, error)) (template.HTML, error) {
	ck := contentKey{name: template_, key: key, lang: l.Code, version: version}
	return keep(cache, ck, func() (template.HTML, error) {
		data, err := prepare()
		if err != nil {
			return "", err
		}
		return s.html(template_, map[string]any{"L": l, "R": data})
	})
}
