package handlers

import (
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
