package handlers

import (
	"path/filepath"
	"testing"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// The status page tells the administrator the database's size, the disk's
// free space and the backups; a disk running short puts a warning on every
// administrator's page, and on nobody else's.
func TestStatusPageAndLowDiskWarning(t *testing.T) {
	var free uint64 = 50 << 30
	ta := newTestAppIn(t, t.TempDir(), func(c *Config) {
		c.DiskSpace = func() (uint64, uint64, error) { return free, 100 << 30, nil }
	})
	admin := ta.loggedIn(t, "admin")
	r := admin.get("/admin/status")
	if r.status != fiber.StatusOK {
		t.Fatalf("status page: %d", r.status)
	}
	mustContain(t, r, "Stan serwera", "Rozmiar pliku bazy", "50.0 GiB z 100.0 GiB", "Serwer nie wykonuje kopii samodzielnie.", "Aktywne zalogowania")
	mustNotContain(t, r, "mało miejsca")
	if r := ta.loggedIn(t, "koordynator").get("/admin/status"); r.status != fiber.StatusForbidden {
		t.Fatalf("a coordinator at the status page: %d", r.status)
	}

	// 900 MiB of 100 GiB: under 1 GiB. The reading is kept for a while:
	// a fresh server reads it anew.
	free = 900 << 20
	ta = newTestAppIn(t, t.TempDir(), func(c *Config) {
		c.DiskSpace = func() (uint64, uint64, error) { return free, 100 << 30, nil }
	})
	admin = ta.loggedIn(t, "admin")
	for _, path := range []string{"/", "/admin", "/staff"} {
		mustContain(t, admin.get(path), "Na dysku bazy danych zostało mało miejsca: 900.0 MiB z 100.0 GiB")
	}
	mustContain(t, admin.get("/admin/status"), "mało miejsca")
	mustNotContain(t, ta.loggedIn(t, "koordynator").get("/"), "Na dysku bazy danych zostało mało miejsca")
}

// With backups on a schedule the page shows it, the last good copy (when,
// how big, verified) and the next one.
func TestStatusPageShowsBackups(t *testing.T) {
	dir := t.TempDir()
	ta := newTestAppIn(t, dir)
	// The schedule needs the open store: a second application on it.
	backups, err := store.NewBackups(ta.st, store.BackupPlan{Dir: filepath.Join(dir, "kopie"), Keep: 3, At: "02:30"})
	if err != nil {
		t.Fatal(err)
	}
	app, err := New(ta.st, Config{Version: "test", Hasher: store.NewHasher(testParams, 4*8<<20), Backups: backups, AnonymousPerMinute: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	ta.app = app
	admin := ta.loggedIn(t, "admin")
	mustContain(t, admin.get("/admin/status"), "02:30", "przechowywanych kopii: 3", "jeszcze nie wykonano")
	if _, err := backups.TakeNow(store.System); err != nil {
		t.Fatal(err)
	}
	r := admin.get("/admin/status")
	mustContain(t, r, "sprawdzona (schemat ", "Poprawnych kopii w katalogu")
	mustNotContain(t, r, "jeszcze nie wykonano")
}
