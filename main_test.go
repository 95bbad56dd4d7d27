package main

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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

// buildBinary builds the intranet binary into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "intranet")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startServer runs the binary's server until the test ends; stop ends it
// with SIGTERM and returns how it exited.
func startServer(t *testing.T, bin string, args ...string) (stop func() error) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	lines := bufio.NewScanner(stderr)
	for lines.Scan() { // listening once it says where
		if strings.Contains(lines.Text(), "intranet listening") {
			break
		}
	}
	go io.Copy(io.Discard, stderr)
	return func() error {
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			return err
		}
		return cmd.Wait()
	}
}

func TestBackupRestoreAndCheckAgainstARunningServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	db := filepath.Join(dir, "data", "intranet.db")
	if _, err := cli(t, "a-long-password\n", "user", "add", "-db", db, "-login", "dyrektor", "-name", "Ewa Dyrektorska", "-role", "admin"); err != nil {
		t.Fatal(err)
	}
	stop := startServer(t, bin, "-db", db, "-backup-dir", filepath.Join(dir, "kopie"), "-backup-keep", "3")
	// The channel may open a moment after the server listens.
	copyPath := filepath.Join(dir, "copy.db")
	var out string
	var err error
	for {
		out, err = cli(t, "", "backup", "-db", db, "-out", copyPath)
		if err == nil || !strings.Contains(err.Error(), "channel is unavailable") {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil || !strings.Contains(out, "backup written to "+copyPath+" by the running server") || !strings.Contains(out, "1  users") {
		t.Fatalf("backup of a running server: %q %v", out, err)
	}
	info, err := store.VerifyCopy(copyPath)
	if err != nil || info.Schema != store.SchemaVersion() {
		t.Fatalf("the copy: %+v %v", info, err)
	}
	if _, err := cli(t, "", "backup", "-db", db, "-out", copyPath); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("a backup over an existing file: %v", err)
	}
	if _, err := cli(t, "", "restore", "-db", db, "-from", copyPath); err == nil || !strings.Contains(err.Error(), "stop the service first") {
		t.Fatalf("restore under a running server: %v", err)
	}
	if fi, err := os.Stat(filepath.Join(dir, "kopie")); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("backup directory: %v", err)
	}
	if err := stop(); err != nil {
		t.Fatalf("server exit: %v", err)
	}
	if _, err := os.Lstat(store.SocketPath(db)); !os.IsNotExist(err) {
		t.Fatalf("the socket stays after shutdown: %v", err)
	}
	// Stopped: the restore goes ahead and keeps the old file aside.
	out, err = cli(t, "", "restore", "-db", db, "-from", copyPath)
	if err != nil || !strings.Contains(out, "kept as "+db+".before-restore-") || !strings.Contains(out, "restored "+copyPath) {
		t.Fatalf("restore: %q %v", out, err)
	}
	out, err = cli(t, "", "check", "-db", db)
	if err != nil || !strings.Contains(out, "consistent (schema") {
		t.Fatalf("check after restore: %q %v", out, err)
	}
}

func TestCheckRefusesADamagedFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "intranet.db")
	if _, err := cli(t, "a-long-password\n", "user", "add", "-db", db, "-login", "dyrektor", "-name", "Ewa Dyrektorska", "-role", "admin"); err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(dir, "copy.db")
	if out, err := cli(t, "", "backup", "-db", db, "-out", copyPath); err != nil || !strings.Contains(out, "verified: consistent") {
		t.Fatalf("backup: %q %v", out, err)
	}
	if out, err := cli(t, "", "check", "-db", copyPath); err != nil || !strings.Contains(out, "consistent") {
		t.Fatalf("check of a good copy: %q %v", out, err)
	}
	fi, err := os.Stat(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(copyPath, fi.Size()/2); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, "", "check", "-db", copyPath); err == nil || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("check of a truncated copy: %v", err)
	}
	if _, err := cli(t, "", "restore", "-db", db, "-from", copyPath); err == nil || !strings.Contains(err.Error(), "refused") {
		t.Fatalf("restore of a truncated copy: %v", err)
	}
	if _, err := cli(t, "", "restore", "-db", db); err == nil {
		t.Fatal("restore without -from accepted")
	}
}
