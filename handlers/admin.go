package handlers

import (
	"bufio"
	"fmt"

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

// backup streams a consistent copy of the database taken in one read
// transaction, so the server keeps running and writing meanwhile.
func (s *Server) backup(c *fiber.Ctx) error {
	if err := s.st.Record(actorOf(c), "database", 0, store.ActionBackup); err != nil {
		return err
	}
	name := "intranet-" + s.st.Now().In(warsaw).Format("2006-01-02-1504") + ".db"
	c.Set(fiber.HeaderContentType, "application/octet-stream")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Set(fiber.HeaderCacheControl, "no-store")
	log := s.log
	st := s.st
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if _, err := st.Backup(w); err != nil {
			log.Error("backup download failed", "err", err)
			return
		}
		if err := w.Flush(); err != nil {
			log.Error("backup download failed", "err", err)
		}
	})
	return nil
}
