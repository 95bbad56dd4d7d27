package handlers

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/gofiber/fiber/v2"

	"intranet/public"
	"intranet/store"
	"intranet/views"
)

// Printable documents (attendance lists, a course's summary and evidence
// pack, a published schedule) are rendered afresh on every request. Any of
// them can be issued: the exact bytes as printed are kept with their date
// and author and download unchanged later, whatever changed since.

// document is one printable document as its handler builds it.
type document struct {
	name, title string // template (pages/NAME) and title message ID
	data        any
	// owner names the document among issued copies: "attendance:5",
	// "evidence:3", "publication:1:2"; project is its project (0: none).
	owner   string
	project uint64
	file    string // an issued copy's file name, without extension
	issue   bool   // the reader may issue it
	// content is the page already rendered (kept by its builder); empty:
	// pages/NAME is rendered with data.
	content template.HTML
}

// docBuilder builds a document for the request; issued says it is for the
// copy to keep, which must stand alone (images inline, no links back).
type docBuilder func(c *fiber.Ctx, issued bool) (document, error)

// renderDocument renders a document inside the document layout.
func (s *Server) renderDocument(c *fiber.Ctx, d document, issuing *views.Issuing, issued *views.Issued) ([]byte, error) {
	l := language(c)
	p := &views.Page{Name: d.name, L: l, Title: l.T(d.title), Demo: s.st.DemoMode() && issued == nil, Centre: s.st.Centre(),
		Path: c.OriginalURL(), Data: d.data, Issuing: issuing, Issued: issued}
	if issuing != nil {
		p.CSRF = s.csrfToken(c)
	}
	var err error
	if p.Content = d.content; p.Content == "" {
		if p.Content, err = s.html("pages/"+d.name, p); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	err = s.views.Render(&buf, "layouts/document", p)
	return buf.Bytes(), err
}

// sendDocument answers a document built for the reader. The response
// names people, so no cache holds it.
func (s *Server) sendDocument(c *fiber.Ctx, d document, issuing *views.Issuing) error {
	if isHTMX(c) { // a document is never swapped into a page
		c.Set("HX-Redirect", c.OriginalURL())
		return c.SendStatus(fiber.StatusNoContent)
	}
	out, err := s.renderDocument(c, d, issuing, nil)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.Send(out)
}

// printable renders a document that is not issued (a project's overview).
func (s *Server) printable(c *fiber.Ctx, name, title string, data any) error {
	return s.sendDocument(c, document{name: name, title: title, data: data}, nil)
}

// showDocument answers a document with the panel that issues it and lists
// the copies issued before.
func (s *Server) showDocument(build docBuilder) fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := build(c, false)
		if err != nil {
			return err
		}
		copies, err := s.st.Files(store.PurposeIssued, d.owner)
		if err != nil {
			return err
		}
		issuing := &views.Issuing{Copies: copies}
		if d.issue {
			issuing.Action = c.Path() + "/issue"
		}
		return s.sendDocument(c, d, issuing)
	}
}

// issueDocument keeps the document as it prints now and goes back to it.
func (s *Server) issueDocument(build docBuilder) fiber.Handler {
	return func(c *fiber.Ctx) error {
		d, err := build(c, true)
		if err != nil {
			return err
		}
		if !d.issue {
			return fiber.ErrForbidden
		}
		a := s.actor(c)
		out, err := s.renderDocument(c, d, nil, &views.Issued{At: s.st.Now(), By: a.Login, Styles: documentStyles()})
		if err != nil {
			return err
		}
		back := strings.TrimSuffix(c.Path(), "/issue")
		if _, err := s.st.Issue(a, d.owner, d.project, d.file, out); err != nil {
			if store.ErrorCode(err) == "" {
				return err
			}
			return s.refused(c, d.file, back, err)
		}
		return redirect(c, withOK(back, "issued"))
	}
}

// documentStyles are the intranet's styles for an issued copy: the screen
// ones, and the print ones for print.
var documentStyles = sync.OnceValue(func() template.CSS {
	var b strings.Builder
	for _, name := range []string{"css/app.css", "css/print.css"} {
		data, err := fs.ReadFile(public.FS, name)
		if err != nil {
			panic(err) // embedded at build time: cannot be missing
		}
		if name == "css/print.css" {
			b.WriteString("@media print {\n")
		}
		b.Write(data)
		if name == "css/print.css" {
			b.WriteString("}\n")
		}
	}
	return template.CSS(b.String())
})

// issuedCopy downloads an issued document exactly as it was kept, to those
// who may read the document it is a copy of.
func (s *Server) issuedCopy(c *fiber.Ctx) error {
	f, data, err := s.storedFile(c, store.PurposeIssued)
	if err != nil {
		return err
	}
	if ok, err := s.mayReadDocument(c, f.Owner); err != nil || !ok {
		if err == nil {
			err = fiber.ErrForbidden
		}
		return err
	}
	return sendFile(c, f, data, true)
}

// mayReadDocument says whether the reader may read the document an issued
// copy was made of: the same rule as the document's own page.
func (s *Server) mayReadDocument(c *fiber.Ctx, owner string) (bool, error) {
	kind, rest, _ := strings.Cut(owner, ":")
	u := userOf(c)
	switch kind {
	case "attendance":
		id, _ := strconv.ParseUint(rest, 10, 64)
		ss, err := s.st.Session(id)
		if err != nil {
			return false, err
		}
		return canEditOrg(u) || s.runs(c, ss), nil
	case "summary", "evidence":
		return canEditOrg(u), nil
	case "publication":
		return !u.External, nil
	}
	return false, nil
}

// sendFile answers a stored file: as a download, or (a logo) to be shown.
// Its type is the one found from its content when it was stored.
func sendFile(c *fiber.Ctx, f *store.File, data []byte, download bool) error {
	c.Set(fiber.HeaderContentType, f.Type)
	if download {
		c.Set(fiber.HeaderContentDisposition, "attachment; filename*=UTF-8''"+url.PathEscape(f.Name))
		c.Set(fiber.HeaderCacheControl, "private, no-store")
		// Opened from the intranet, a kept page may run nothing.
		c.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox")
	} else {
		// A stored file never changes: a new upload is a new file.
		c.Set(fiber.HeaderCacheControl, "private, max-age=31536000, immutable")
	}
	return c.Send(data)
}

// logoSrc is where a document finds its project's logo strip: the stored
// image, or for an issued copy the image itself, so that the copy shows
// it even when the logo is replaced.
func (s *Server) logoSrc(project uint64, issued bool) (template.URL, error) {
	if project == 0 {
		return "", nil
	}
	if !issued {
		f, err := s.st.LogoFile(project)
		if err != nil || f == nil {
			return "", err
		}
		return template.URL("/files/" + strconv.FormatUint(f.ID, 10)), nil
	}
	f, data, err := s.st.Logo(project)
	if err != nil || f == nil {
		return "", err
	}
	return template.URL("data:" + f.Type + ";base64," + base64.StdEncoding.EncodeToString(data)), nil
}

// logoFile shows a project's logo strip; other files have their own
// routes, which check who may read them.
func (s *Server) logoFile(c *fiber.Ctx) error {
	f, data, err := s.storedFile(c, store.PurposeLogo)
	if err != nil {
		return err
	}
	return sendFile(c, f, data, false)
}

// storedFile reads the file of the route's :id, if it is one for the
// purpose the route serves (each purpose has its own rule of who reads).
func (s *Server) storedFile(c *fiber.Ctx, purpose store.FilePurpose) (*store.File, []byte, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, nil, err
	}
	f, data, err := s.st.FileData(id)
	if err != nil {
		return nil, nil, err
	}
	if f.Purpose != purpose {
		return nil, nil, fiber.ErrNotFound
	}
	return f, data, nil
}
