package handlers

import (
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// The published schedule of support: a project's versions, each frozen
// when a coordinator publishes it; late rows flagged; what changed since
// the newest; outputs for the centre's website and the intermediary body
// (print, CSV, an HTML table to paste) with the same columns.

type publicationsView struct {
	P       *store.Project
	List    []publicationLine
	Changes []store.PublishedChange // since the newest version
	Edit    bool
	From    string
	To      string
}

type publicationLine struct {
	store.Publication
	Late int
}

func (s *Server) publications(c *fiber.Ctx, status int, errs map[string]string, from, to string) error {
	d, p, err := s.project(c)
	if err != nil {
		return err
	}
	edit := canEditOrg(userOf(c))
	if status == fiber.StatusOK { // the versions and the changes since: kept per change of the schedule
		key := strconv.FormatUint(p.ID, 10) + "|" + strconv.FormatBool(edit)
		return s.cachedPageIn(c, &s.schedule, s.scheduleVersion(d), "publications", "published.title", key, func() (any, error) {
			return s.publicationsData(p, edit, from, to)
		})
	}
	v, err := s.publicationsData(p, edit, from, to)
	if err != nil {
		return err
	}
	return s.page(c, status, "publications", "published.title", v, errs)
}

func (s *Server) publicationsData(p *store.Project, edit bool, from, to string) (publicationsView, error) {
	list, err := s.st.Publications(p.ID)
	if err != nil {
		return publicationsView{}, err
	}
	v := publicationsView{P: p, Edit: edit, From: from, To: to}
	for _, pub := range list {
		v.List = append(v.List, publicationLine{Publication: pub, Late: pub.LateRows(p.LeadDays)})
	}
	if len(list) > 0 {
		if v.Changes, err = s.st.ChangesSince(&list[0]); err != nil {
			return v, err
		}
		if v.From == "" {
			v.From, v.To = views.ISODate(list[0].From), views.ISODate(list[0].To)
		}
	}
	return v, nil
}

func (s *Server) publicationList(c *fiber.Ctx) error {
	return s.publications(c, fiber.StatusOK, nil, "", "")
}

// publish freezes the project's schedule of a period as its next version.
func (s *Server) publish(c *fiber.Ctx) error {
	_, p, err := s.project(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	from, to := f.date("from", true), f.date("to", true)
	if len(f.errs) == 0 {
		pub, err := s.st.Publish(s.actor(c), p.ID, from, to, s.st.Now())
		switch {
		case err == nil:
			return redirect(c, withOK("/projects/"+strconv.FormatUint(p.ID, 10)+"/published/"+strconv.Itoa(pub.Number), "published"))
		case store.ErrorCode(err) == store.EConflict:
			return s.refused(c, p.Name, "/projects/"+strconv.FormatUint(p.ID, 10)+"/published", err)
		case !f.merge(err):
			return err
		}
	}
	return s.publications(c, fiber.StatusUnprocessableEntity, f.errs, f.text("from"), f.text("to"))
}

type publicationView struct {
	P    *store.Project
	Pub  store.Publication
	Rows []publishedLine
	Late int
	// Changes against the version before (none for the first).
	Changes []store.PublishedChange
	Paste   string // the table as HTML, for the centre's website
}

type publishedLine struct {
	store.PublishedRow
	N    int
	Late bool
}

// publication reads the version named in the address, and the one
// before it to say what changed.
func (s *Server) publication(c *fiber.Ctx) (publicationView, error) {
	_, p, err := s.project(c)
	if err != nil {
		return publicationView{}, err
	}
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 1 {
		return publicationView{}, fiber.ErrNotFound
	}
	pub, err := s.st.PublicationOf(p.ID, n)
	if err != nil {
		return publicationView{}, err
	}
	v := publicationView{P: p, Pub: *pub, Late: pub.LateRows(p.LeadDays)}
	for j, r := range pub.Rows {
		v.Rows = append(v.Rows, publishedLine{PublishedRow: r, N: j + 1, Late: pub.Late(r, p.LeadDays)})
	}
	if n > 1 {
		if before, err := s.st.PublicationOf(p.ID, n-1); err == nil {
			v.Changes = store.DiffPublications(before, pub)
		}
	}
	return v, nil
}

// publicationPage is kept: a version never changes, and what it is
// compared with changes with the schedule.
func (s *Server) publicationPage(c *fiber.Ctx) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	version := s.scheduleVersion(d)
	key := c.Params("id") + "|" + c.Params("n")
	return s.cachedPageIn(c, &s.schedule, version, "publication", "published.version_title", key, func() (any, error) {
		v, err := s.publication(c)
		if err != nil {
			return nil, err
		}
		paste, err := s.html("published-table", map[string]any{"L": language(c), "Rows": v.Rows, "Plain": true})
		v.Paste = string(paste)
		return v, err
	})
}

func (s *Server) publicationPrint(c *fiber.Ctx, _ bool) (document, error) {
	v, err := s.publication(c)
	if err != nil {
		return document{}, err
	}
	n := strconv.Itoa(v.Pub.Number)
	return document{name: "publication_print", title: "published.title", data: v, project: v.P.ID,
		owner: "publication:" + strconv.FormatUint(v.P.ID, 10) + ":" + n, issue: canEditOrg(userOf(c)),
		file: language(c).T("published.title") + " " + language(c).T("published.version_n", "N", n)}, nil
}

func (s *Server) publicationCSV(c *fiber.Ctx) error {
	v, err := s.publication(c)
	if err != nil {
		return err
	}
	l := language(c)
	return s.sendCSV(c, "harmonogram-wsparcia-"+strconv.Itoa(v.Pub.Number), func(w io.Writer) error {
		return store.WritePublicationCSV(w, &v.Pub, func(k store.CourseKind) string { return l.T("course_kind." + string(k)) })
	})
}
