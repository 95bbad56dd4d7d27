package handlers

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

type errorView struct {
	Heading, Message, Ref string
}

// handleError is the one place errors become responses. The user sees a
// translated explanation for the status and, for server faults, a reference
// to quote; the details go only to the log.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	s.setSecurityHeaders(c)
	status := fiber.StatusInternalServerError
	var fe *fiber.Error
	switch {
	case errors.As(err, &fe):
		status = fe.Code
	default:
		switch store.ErrorCode(err) {
		case store.ENotFound:
			status = fiber.StatusNotFound
		case store.EConflict:
			status = fiber.StatusConflict
		case store.EInvalid:
			status = fiber.StatusUnprocessableEntity
		case store.EBusy:
			status = fiber.StatusServiceUnavailable
		case store.EForbidden:
			status = fiber.StatusForbidden
		}
	}
	why := store.StorageFailure(err)
	if why != "" {
		status = newWriteFailure(why, err).Status
	}
	key := strconv.Itoa(status)
	if !language(c).Has("error." + key + ".title") {
		key = "400"
		if status >= 500 {
			key = "500"
		}
	}
	v := errorView{Heading: "error." + key + ".title", Message: "error." + key + ".text"}
	if errors.Is(err, errCSRF) {
		v.Message = "error.csrf"
	}
	if why != "" {
		v.Message = "error.storage." + why
	}
	if status >= 500 {
		v.Ref = randomToken()[:10]
		s.log.Error("request failed", "ref", v.Ref, "method", c.Method(), "path", c.Path(), "err", err)
	}
	c.Response().ResetBody()
	if rerr := s.page(c, status, "error", v.Heading, v, nil); rerr != nil {
		s.log.Error("error page failed", "err", rerr)
		c.Set(fiber.HeaderContentType, fiber.MIMETextPlainCharsetUTF8)
		return c.Status(status).SendString(strconv.Itoa(status))
	}
	return s.saveSession(stateOf(c))
}

// failureKey holds a request's writeFailure in its locals.
const failureKey = "write-failure"

// writeFailure is a write that failed for a reason that is not the
// person's: 507 when the disk is full, 503 when the storage does not
// answer. The page that shows the form again says so, with a reference to
// quote, and keeps the status.
type writeFailure struct {
	Status int
	Why    string
	Ref    string
	err    error
}

func newWriteFailure(why string, err error) *writeFailure {
	status := fiber.StatusServiceUnavailable
	if why == store.FailureNoSpace {
		status = fiber.StatusInsufficientStorage
	}
	return &writeFailure{Status: status, Why: why, Ref: randomToken()[:10], err: err}
}

// failureOf is the request's failed write, logged once when its page is
// rendered; nil when none.
func (s *Server) failureOf(c *fiber.Ctx) *views.Failure {
	wf, ok := c.Locals(failureKey).(*writeFailure)
	if !ok {
		return nil
	}
	s.log.Error("write failed", "ref", wf.Ref, "why", wf.Why, "method", c.Method(), "path", c.Path(), "err", wf.err)
	return &views.Failure{Status: wf.Status, Message: "failure." + wf.Why, Ref: wf.Ref}
}
