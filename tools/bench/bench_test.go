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
		if !strings.Contains(report, "| `"+p.path+"` |") {
			t.Errorf("the report lacks %s", p.path)
		}
	}
	for _, want := range []string{"Baseline", "static file", "start-up", "peak memory while serving", "password hash",
		"acknowledged audited writes", "### Targets"} {
		if !strings.Contains(report, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

// The targets name every miss, and only misses: a list page's p50 is held
// to scale 1's, other pages' are not.
func TestTargets(t *testing.T) {
	base := result{rps: 1000}
	good := result{rps: 2000, p50: time.Millisecond, p99: 5 * time.Millisecond}
	run := func() scaleRun {
		r := scaleRun{scale: 10, pages: map[string]result{}, startup: 80 * time.Millisecond, peakServing: 60 << 20,
			peakSignIn: 90 << 20, writes: 1000, marks: 1000}
		for _, p := range pages {
			r.pages[p.path] = good
		}
		return r
	}
	first := run().pages
	if m := targets(base, run(), first, true); len(m) != 0 {
		t.Fatalf("misses of a good run: %v", m)
	}
	r := run()
	slow := good
	slow.p50 = 2 * time.Millisecond
	r.pages["/org"] = slow                                                          // not a list page: no miss
	r.pages["/locations"] = slow                                                    // a list page: p50 × 2
	r.pages["/staff/7"] = result{rps: 900, p50: time.Millisecond, p99: time.Second} // cost and p99
	r.pages["/admin/audit"] = result{failed: 3}                                     // no figures: every run failed
	r.peakSignIn, r.startup, r.marks = 100<<20, time.Second, 499
	m := strings.Join(targets(base, r, first, true), "\n")
	for _, want := range []string{"`/locations` (list page): p50 × 2.00", "`/staff/7`: cost 1.11", "`/staff/7`: p99 1s",
		"start-up: 1s", "attendance marks (audited writes): 499/s",
		"`/admin/audit`: 3 failed responses or runs"} {
		if !strings.Contains(m, want) {
			t.Errorf("the misses lack %q:\n%s", want, m)
		}
	}
	// The memory with a sign-in's hash is the serving memory plus the
	// hashing budget: reported, not held to the target.
	if strings.Contains(m, "/org") || strings.Contains(m, "serving") || strings.Contains(m, "sign-in") || strings.Contains(m, "audited writes: ") {
		t.Errorf("a miss named that is none:\n%s", m)
	}
	if m := targets(base, r, first, false); strings.Contains(strings.Join(m, "\n"), "list page") {
		t.Errorf("a scale compared with itself misses flatness: %v", m)
	}
}
