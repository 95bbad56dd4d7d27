package handlers

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

type adminView struct {
	Users, Sessions, Schema int
	Version, Size           string
}

func (s *Server) adminHome(c *fiber.Ctx) error {
	v := adminView{
		Users:    s.st.UserCount(),
		Sessions: s.st.SessionCount(),
		Schema:   s.st.Schema(),
		Version:  s.cfg.Version,
		Size:     humanSize(s.st.BackupSize()),
	}
	return s.page(c, fiber.StatusOK, "admin", "admin.title", v, nil)
}

func humanSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%d KiB", (n+1023)/1024)
	}
}

// backup sends a consistent copy of the database, taken in one read
// transaction while the server keeps running. The copy goes to a temporary
// file first, so the read transaction does not stay open for as long as a
// slow download takes (it would hold back the growth of the database file).
func (s *Server) backup(c *fiber.Ctx) error {
	f, err := os.CreateTemp("", "intranet-backup-*.db")
	if err != nil {
		return err
	}
	os.Remove(f.Name()) // the open file lives until the response is sent
	size, err := s.st.Backup(f)
	if err == nil {
		_, err = f.Seek(0, io.SeekStart)
	}
	if err != nil {
		f.Close()
		return err
	}
	if err := s.st.Record(s.actor(c), "database", 0, store.ActionBackup); err != nil {
		f.Close()
		return err
	}
	name := "intranet-" + s.st.Now().In(warsaw).Format("2006-01-02-1504") + ".db"
	c.Set(fiber.HeaderContentType, "application/octet-stream")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.SendStream(f, int(size)) // closed by the server when sent
}

type centreView struct {
	C        store.Centre
	Conflict bool
}

func (s *Server) centreForm(c *fiber.Ctx) error {
	return s.page(c, fiber.StatusOK, "centre_form", "admin.centre", centreView{C: s.st.Centre()}, nil)
}

// centreSave changes the centre's name and address shown on every page.
func (s *Server) centreSave(c *fiber.Ctx) error {
	f := newForm(c)
	version := f.version() // 0 is right while the details were never saved
	centre := store.Centre{Name: f.text("name"), Short: f.text("short"), Address: f.text("address"), Phone: f.text("phone"), Email: f.text("email"),
		TravelMinutes: int(f.number("travel_minutes", store.MaxTravelMinutes))}
	v := centreView{C: centre}
	f.check(&centre)
	if len(f.errs) == 0 {
		err := s.st.SetCentre(s.actor(c), centre, version)
		var conflict *store.ConflictError
		switch {
		case err == nil:
			return redirect(c, withOK("/admin", "saved"))
		case asConflict(err, &conflict):
			v.C.Version, v.Conflict = conflict.Current.(*store.Centre).Version, true
			return s.page(c, fiber.StatusConflict, "centre_form", "admin.centre", v, nil)
		case !f.merge(err):
			return err
		}
	}
	v.C.Version = version
	return s.page(c, fiber.StatusUnprocessableEntity, "centre_form", "admin.centre", v, f.errs)
}

// demoOff switches the demo accounts off once the centre has its own
// administrator; whoever signed in with a demo account is signed out.
func (s *Server) demoOff(c *fiber.Ctx) error {
	if _, err := s.st.DisableDemoAccounts(s.actor(c)); err != nil {
		if errors.Is(err, store.ErrNoOtherAdmin) {
			return s.refused(c, "", "/admin", err)
		}
		return err
	}
	return reload(c, withOK("/admin", "demo_off"))
}
