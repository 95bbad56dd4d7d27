package handlers

import (
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// announcementForm is a form with typed text to send while the disk fails.
func announcementForm(title string) url.Values {
	return url.Values{"title": {title}, "body": {"Kasa czynna we wtorki 10:00–14:00. " + strings.Repeat("Treść komunikatu. ", 200)},
		"valid_from": {"2026-12-01"}}
}

// A save that fails because the disk is full, or the storage does not
// answer, gives the form back with everything typed, 507 or 503, the cause
// and an incident number — for a plain request and for htmx alike; once
// the disk works again the same form saves.
func TestFailedWriteGivesTheFormBack(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	c.get("/announcements/new")
	full := func() error { return &fs.PathError{Op: "write", Path: "intranet.db", Err: syscall.ENOSPC} }
	ta.st.SimulateWriteFault(full)
	form := announcementForm("Zmiana godzin pracy kasy")
	for _, htmx := range []bool{false, true} {
		var r response
		if htmx {
			form.Set("_csrf", c.csrf)
			r = c.do("POST", "/announcements", form, map[string]string{"HX-Request": "true"})
		} else {
			r = c.post("/announcements", form)
		}
		if r.status != fiber.StatusInsufficientStorage {
			t.Fatalf("htmx %v: %d, want 507", htmx, r.status)
		}
		mustContain(t, r, "Zmiana godzin pracy kasy", "Kasa czynna we wtorki 10:00–14:00.", "zabrakło miejsca na dysku", "Numer zgłoszenia: ")
	}
	// Another kind of request, not a form the handler shows again: the
	// error page says why, with the status.
	ta.st.SimulateWriteFault(func() error {
		return fmt.Errorf("commit: %w", &fs.PathError{Op: "fdatasync", Path: "x", Err: syscall.EIO})
	})
	if r := c.post("/announcements", form); r.status != fiber.StatusServiceUnavailable {
		t.Fatalf("a storage that does not answer: %d", r.status)
	} else {
		mustContain(t, r, "Zmiana godzin pracy kasy", "chwilowo nie przyjmuje zapisów")
	}
	ta.st.SimulateWriteFault(nil)
	if r := c.post("/announcements", form); r.status != fiber.StatusSeeOther {
		t.Fatalf("after the disk is freed: %d", r.status)
	}
	mustContain(t, c.get("/announcements"), "Zmiana godzin pracy kasy")
}

// The same on a real filesystem that fills up (needs root to mount a small
// tmpfs): saves fail with the form given back, never a 500, the server
// stays up, saves work again once space is freed, and the database checks
// clean.
func TestFullDiskForReal(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a small filesystem needs root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=48m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	ta := newTestAppIn(t, dir)
	c := ta.loggedIn(t, "admin")
	c.get("/announcements/new")
	// Fill what is left of the disk.
	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 1<<20)
	for {
		if _, err := f.Write(chunk); err != nil {
			break
		}
	}
	small := make([]byte, 4096)
	for {
		if _, err := f.Write(small); err != nil {
			break
		}
	}
	f.Close()
	refused := 0
	for i := range 200 {
		r := c.post("/announcements", announcementForm(fmt.Sprintf("Komunikat próbny %d", i)))
		switch r.status {
		case fiber.StatusSeeOther:
			continue
		case fiber.StatusInsufficientStorage:
			mustContain(t, r, fmt.Sprintf("Komunikat próbny %d", i), "zabrakło miejsca na dysku")
			refused++
		default:
			t.Fatalf("save %d on a full disk: %d", i, r.status)
		}
		if refused == 3 {
			break
		}
	}
	if refused == 0 {
		t.Fatal("the full disk never refused a save")
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if r := c.post("/announcements", announcementForm("Po zwolnieniu miejsca")); r.status != fiber.StatusSeeOther {
		t.Fatalf("after space was freed: %d", r.status)
	}
	mustContain(t, c.get("/announcements"), "Po zwolnieniu miejsca")
	if problems, err := ta.st.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("the database after a full disk: %v %v", err, problems)
	}
}
