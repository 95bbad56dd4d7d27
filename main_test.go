package main

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"intranet/store"
)

func cli(t *testing.T, stdin string, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(args, strings.NewReader(stdin), &out)
	return out.String(), err
}

func TestUserCommandsAndBackup(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "data", "intranet.db")
	out, err := cli(t, "a-long-password\n", "user", "add", "-db", db, "-login", "Dyrektor", "-name", "Ewa Dyrektorska", "-role", "admin")
	if err != nil || !strings.Contains(out, "created dyrektor (admin)") {
		t.Fatalf("user add: %q %v", out, err)
	}
	if _, err := cli(t, "a-long-password\n", "user", "add", "-db", db, "-login", "dyrektor", "-name", "X", "-role", "admin"); err == nil || !strings.Contains(err.Error(), "login") {
		t.Fatalf("duplicate login: %v", err)
	}
	if _, err := cli(t, "a-long-password\n", "user", "add", "-db", db, "-login", "x2", "-name", "X", "-role", "boss"); err == nil {
		t.Fatal("unknown role accepted")
	}
	if _, err := cli(t, "short\n", "user", "add", "-db", db, "-login", "x3", "-name", "X"); err == nil || !strings.Contains(err.Error(), "password short") {
		t.Fatalf("short password: %v", err)
	}
	if out, err := cli(t, "another-password\n", "user", "passwd", "-db", db, "-login", "dyrektor"); err != nil || !strings.Contains(out, "password changed") {
		t.Fatalf("passwd: %q %v", out, err)
	}
	out, err = cli(t, "", "user", "list", "-db", db)
	if err != nil || !strings.Contains(out, "dyrektor") || !strings.Contains(out, "Ewa Dyrektorska") || strings.Contains(out, "x2") {
		t.Fatalf("list: %q %v", out, err)
	}

	// While the database is open (as by a running server), backup refuses fast.
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, "", "backup", "-db", db, "-out", filepath.Join(dir, "b.db")); err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("backup of a database in use: %v", err)
	}
	st.Close()
	copyPath := filepath.Join(dir, "b.db")
	if out, err := cli(t, "", "backup", "-db", db, "-out", copyPath); err != nil || !strings.Contains(out, "backup written") {
		t.Fatalf("backup: %q %v", out, err)
	}
	b, err := store.Open(copyPath, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	u, err := b.UserByLogin("dyrektor")
	if err != nil {
		t.Fatal(err)
	}
	ok, _, _ := store.NewHasher(store.PasswordParams, store.DefaultHashMemory).Verify(t.Context(), "another-password", u.PasswordHash)
	if !ok {
		t.Fatal("the backup lacks the new password")
	}
}

func TestVersionAndUnknownCommand(t *testing.T) {
	if out, err := cli(t, "", "version"); err != nil || !strings.HasPrefix(out, "intranet ") {
		t.Fatalf("version: %q %v", out, err)
	}
	if _, err := cli(t, "", "frobnicate"); err == nil {
		t.Fatal("unknown command accepted")
	}
	if _, err := cli(t, "", "backup", "-db", filepath.Join(t.TempDir(), "none.db")); err == nil {
		t.Fatal("backup without -out accepted")
	}
}

func TestUserCommandTakesASetOfRolesAndReactivates(t *testing.T) {
	db := filepath.Join(t.TempDir(), "intranet.db")
	out, err := cli(t, "a-long-password\n", "user", "add", "-db", db, "-login", "kasia", "-name", "Kasia Nowak", "-role", "trainer, coordinator")
	if err != nil || !strings.Contains(out, "created kasia (coordinator,trainer)") {
		t.Fatalf("user add with two roles: %q %v", out, err)
	}
	if _, err := cli(t, "a-long-password\n", "user", "add", "-db", db, "-login", "x2", "-name", "X", "-role", "trainer,boss"); err == nil {
		t.Fatal("an unknown role in a set accepted")
	}
	if _, err := cli(t, "", "user", "reactivate", "-db", db, "-login", "kasia", "-reason", "test"); err == nil || !strings.Contains(err.Error(), "nothing to reactivate") {
		t.Fatalf("reactivate a working account: %v", err)
	}
	st, err := store.Open(db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := st.UserByLogin("kasia")
	if _, err := st.UpdateUser(store.System, u.ID, 0, store.ActionUpdate, func(x *store.User) error {
		x.Expires = st.Today().AddDate(0, 0, -1)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, err = cli(t, "", "user", "list", "-db", db)
	if err != nil || !strings.Contains(out, "coordinator,trainer") || !strings.Contains(out, "expired") {
		t.Fatalf("list: %q %v", out, err)
	}
	if _, err := cli(t, "", "user", "reactivate", "-db", db, "-login", "kasia"); err == nil || !strings.Contains(err.Error(), "reason") {
		t.Fatalf("reactivate without a reason: %v", err)
	}
	if out, err := cli(t, "", "user", "reactivate", "-db", db, "-login", "kasia", "-reason", "przedłużona umowa"); err != nil || !strings.Contains(out, "reactivated kasia") {
		t.Fatalf("reactivate: %q %v", out, err)
	}
	out, _ = cli(t, "", "user", "list", "-db", db)
	if !strings.Contains(out, "active") || strings.Contains(out, "expired") {
		t.Fatalf("list after reactivation: %q", out)
	}
}
