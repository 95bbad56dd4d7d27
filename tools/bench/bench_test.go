package main

import (
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestSmoke runs the benchmark briefly (scale 1, one second per page): every
// page answers under load, the report names each of them, and writes are
// acknowledged. The figures themselves are not asserted: timing belongs in
// `make bench`, not in tests.
func TestSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about a minute")
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("wrk is needed in CI (apt-get install wrk)")
		}
		t.Skip("wrk is not installed")
	}
	if err := os.Chdir("../.."); err != nil { // the benchmark builds from the module root
		t.Fatal(err)
	}
	report, err := run(options{scales: []int{1}, duration: time.Second, connections: 8}, io.Discard)
	if err != nil {
		t.Fatalf("%v\n%s", err, report)
	}
	for _, p := range pages {
		if !strings.Contains(report, "| `"+p+"` |") {
			t.Errorf("the report lacks %s", p)
		}
	}
	for _, want := range []string{"Baseline", "static file", "start-up", "peak memory while serving", "acknowledged audited writes"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}
