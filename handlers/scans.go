package handlers

import (
	"io"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// Scans of signed attendance lists and projects' logo strips: files the
// store checks by their content; a stored file never changes.

// readFile reads the uploaded file of a form, at most max bytes, or says
// why there is none to read (a message ID).
func readFile(c *fiber.Ctx, max int) (name string, data []byte, problem string, err error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, "error.file_missing", nil
	}
	if fh.Size > int64(max) {
		return "", nil, store.WithMax("error.file_too_big", max>>20), nil
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, "", err
	}
	defer f.Close()
	if data, err = io.ReadAll(io.LimitReader(f, int64(max)+1)); err != nil {
		return "", nil, "", err
	}
	if len(data) == 0 {
		return "", nil, "error.file_missing", nil
	}
	return fh.Filename, data, "", nil
}

// attachScan keeps the scan of a session's signed list, uploaded by the
// session's trainer or a coordinator.
func (s *Server) attachScan(c *fiber.Ctx) error {
	ss, err := byParam(c, s.st.Session)
	if err != nil {
		return err
	}
	if !s.runs(c, ss) && !canEditOrg(userOf(c)) {
		return fiber.ErrForbidden
	}
	name, data, problem, err := readFile(c, store.MaxScanBytes)
	if err != nil {
		return err
	}
	if problem == "" {
		_, err = s.st.AttachScan(s.actor(c), ss.ID, name, data)
		switch code := store.ErrorCode(err); {
		case err == nil:
			return redirect(c, withOK("/schedule/sessions/"+strconv.FormatUint(ss.ID, 10)+"#scans", "scan_attached"))
		case code == store.EInvalid || code == store.EConflict:
			problem = domainMessage(err)
		default:
			return err
		}
	}
	return s.showSession(c, fiber.StatusUnprocessableEntity, sessionExtras{problem: problem})
}

// scanOf reads the scan named in the address and its session, if the
// reader may see the session's attendance (see sessionAccess).
func (s *Server) scanOf(c *fiber.Ctx) (*store.File, []byte, *store.Session, error) {
	f, data, err := s.storedFile(c, store.PurposeScan)
	if err != nil {
		return nil, nil, nil, err
	}
	session, _ := strconv.ParseUint(strings.TrimPrefix(f.Owner, "session:"), 10, 64)
	ss, err := s.st.Session(session)
	if err != nil {
		return nil, nil, nil, err
	}
	if userOf(c).External && !s.runs(c, ss) {
		return nil, nil, nil, fiber.ErrForbidden
	}
	v, _, _, err := s.sessionAccess(c, ss)
	if err != nil {
		return nil, nil, nil, err
	}
	if !v.SeeScans {
		return nil, nil, nil, fiber.ErrForbidden
	}
	return f, data, ss, nil
}

func (s *Server) scanFile(c *fiber.Ctx) error {
	f, data, _, err := s.scanOf(c)
	if err != nil {
		return err
	}
	return sendFile(c, f, data, true)
}

func (s *Server) scanRemoval(c *fiber.Ctx, changed bool) error {
	f, _, ss, err := s.scanOf(c)
	if err != nil {
		return err
	}
	back := "/schedule/sessions/" + strconv.FormatUint(ss.ID, 10) + "#scans"
	return s.confirm(c, map[bool]int{false: fiber.StatusOK, true: fiber.StatusConflict}[changed], confirmView{Question: "scans.remove_question",
		Name: f.Name, Version: f.Version, Action: "/schedule/scans/" + strconv.FormatUint(f.ID, 10) + "/delete", Back: back, Changed: changed})
}

func (s *Server) askRemoveScan(c *fiber.Ctx) error { return s.scanRemoval(c, false) }

// removeScan takes away a scan attached by mistake (a closed project's
// scans stay: the store refuses).
func (s *Server) removeScan(c *fiber.Ctx) error {
	f, _, ss, err := s.scanOf(c)
	if err != nil {
		return err
	}
	back := "/schedule/sessions/" + strconv.FormatUint(ss.ID, 10) + "#scans"
	version := newForm(c).needVersion()
	if version > 0 {
		err = s.st.RemoveScan(s.actor(c), f.ID, version)
	}
	switch {
	case version <= 0 || isConflictErr(err):
		return s.scanRemoval(c, true)
	case store.ErrorCode(err) == store.EConflict:
		return s.refused(c, f.Name, back, err)
	case err != nil:
		return err
	}
	return redirect(c, withOK(back, "scan_removed"))
}

// The logo strip: one image per project, printed at the top of its
// attendance lists.

type logoView struct {
	P       *store.Project
	Logo    *store.File
	Problem string
}

func (s *Server) logoView(c *fiber.Ctx) (logoView, error) {
	p, err := byParam(c, s.st.Project)
	if err != nil {
		return logoView{}, err
	}
	f, err := s.st.LogoFile(p.ID)
	return logoView{P: p, Logo: f}, err
}

func (s *Server) logoPage(c *fiber.Ctx) error {
	v, err := s.logoView(c)
	if err != nil {
		return err
	}
	return s.page(c, fiber.StatusOK, "project_logo", "logo.title", v, nil)
}

func (s *Server) logoSave(c *fiber.Ctx) error {
	v, err := s.logoView(c)
	if err != nil {
		return err
	}
	name, data, problem, err := readFile(c, store.MaxLogoBytes)
	if err != nil {
		return err
	}
	if problem == "" {
		_, err = s.st.SetLogo(s.actor(c), v.P.ID, name, data)
		switch code := store.ErrorCode(err); {
		case err == nil:
			return redirect(c, withOK("/projects/"+strconv.FormatUint(v.P.ID, 10)+"/logo", "logo_saved"))
		case code == store.EConflict:
			return s.refused(c, v.P.Name, "/projects/"+strconv.FormatUint(v.P.ID, 10), err)
		case code == store.EInvalid:
			problem = domainMessage(err)
		default:
			return err
		}
	}
	v.Problem = problem
	return s.page(c, fiber.StatusUnprocessableEntity, "project_logo", "logo.title", v, nil)
}

func (s *Server) askRemoveLogo(c *fiber.Ctx) error { return s.logoRemoval(c, fiber.StatusOK, false) }

// logoRemoval asks about the logo as it is now: the form names the file
// and its version, and the removal applies only to them.
func (s *Server) logoRemoval(c *fiber.Ctx, status int, changed bool) error {
	v, err := s.logoView(c)
	if err != nil {
		return err
	}
	if v.Logo == nil {
		return fiber.ErrNotFound
	}
	back := "/projects/" + strconv.FormatUint(v.P.ID, 10) + "/logo"
	return s.confirm(c, status, confirmView{Question: "logo.remove_question", Name: v.P.Name, Version: v.Logo.Version, File: v.Logo.ID,
		Action: back + "/delete", Back: back, Changed: changed})
}

// removeLogo removes the logo the person confirmed; one replaced since is
// kept, and the question is asked again about the logo as it is.
func (s *Server) removeLogo(c *fiber.Ctx) error {
	p, err := byParam(c, s.st.Project)
	if err != nil {
		return err
	}
	back := "/projects/" + strconv.FormatUint(p.ID, 10) + "/logo"
	f := newForm(c)
	version, file := f.needVersion(), f.id("file")
	if len(f.errs) == 0 && file != 0 {
		err = s.st.RemoveLogo(s.actor(c), p.ID, file, version)
	}
	switch {
	case len(f.errs) > 0 || file == 0 || isConflictErr(err):
		return s.logoRemoval(c, fiber.StatusConflict, true)
	case store.ErrorCode(err) == store.EConflict:
		return s.refused(c, p.Name, back, err)
	case err != nil:
		return err
	}
	return redirect(c, withOK(back, "logo_removed"))
}
