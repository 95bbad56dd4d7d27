package main

import (
	"bufio"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"intranet/store"
)

// TestServeBinary builds the real binary, starts it with demo data on a
// free port, signs in through the form, and stops it with SIGTERM: it must
// exit cleanly and leave a database that opens again.
func TestServeBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "intranet")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "data", "demo.db")
	cmd := exec.Command(bin, "serve", "-demo", "-addr", "127.0.0.1:0", "-db", db)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// The one line with the URL tells where it listens.
	lines := bufio.NewScanner(stderr)
	urlLine := regexp.MustCompile(`url=(http://[0-9.:]+/)`)
	var base string
	for lines.Scan() {
		if m := urlLine.FindStringSubmatch(lines.Text()); m != nil {
			base = strings.TrimSuffix(m[1], "/")
			break
		}
	}
	if base == "" {
		t.Fatal("the server never logged its URL")
	}
	rest := make(chan string)
	go func() {
		b, _ := io.ReadAll(stderr)
		rest <- string(b)
	}()

	resp, err := http.Get(base + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("healthz: %v %v", resp, err)
	}
	resp.Body.Close()
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	resp, err = client.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	token := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindSubmatch(page)
	if token == nil {
		t.Fatal("no CSRF token on the sign-in page")
	}
	resp, err = client.PostForm(base+"/login", url.Values{"login": {"admin"}, "password": {"demo"}, "_csrf": {string(token[1])}})
	if err != nil {
		t.Fatal(err)
	}
	home, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(home), "Dzień dobry, Anna Administracyjna") {
		t.Fatalf("after sign-in: %d", resp.StatusCode)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v\n%s", err, <-rest)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the server did not stop after SIGTERM")
	}
	if log := <-rest; !strings.Contains(log, "shutting down") {
		t.Fatalf("no shutdown line in the log:\n%s", log)
	}
	st, err := store.Open(db, store.Options{LockTimeout: time.Second})
	if err != nil {
		t.Fatalf("database after shutdown: %v", err)
	}
	defer st.Close()
	if st.UserCount() != 7 { // one account per role, a unit's head, and one that has ended
		t.Fatalf("demo accounts after restart: %d", st.UserCount())
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatal(err)
	}
}
