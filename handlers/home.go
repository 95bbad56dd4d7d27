package handlers

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
)

type homeView struct {
	Today time.Time
}

func (s *Server) home(c *fiber.Ctx) error {
	return s.page(c, fiber.StatusOK, "home", "nav.home", homeView{Today: s.st.Now()}, nil)
}

func itoa(n int) string { return strconv.Itoa(n) }
