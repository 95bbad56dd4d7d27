package main

import (
	"bufio"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// What a power cut, a kill -9 or a full disk must not cost: a write the
// server acknowledged, or the file itself. These tests run the real binary
// and speak HTTP to it, as the people of the centre do.

// process is one `intranet serve` of the real binary.
type process struct {
	cmd  *exec.Cmd
	base string        // http://127.0.0.1:port; "" when it never listened
	done chan struct{} // closed once it has exited
	err  error         // how it exited, once done is closed
	mu   sync.Mutex
	log  strings.Builder
}

var listenURL = regexp.MustCompile(`url=(http://[0-9.:]+/)`)

// launch starts the server and returns once it listens or has exited;
// cred, when not nil, runs it as another user.
func launch(t *testing.T, bin string, cred *syscall.Credential, args ...string) *process {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...)...)
	if cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	}
	pipe, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &process{cmd: cmd, done: make(chan struct{})}
	listening := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(pipe)
		for lines.Scan() {
			p.mu.Lock()
			p.log.WriteString(lines.Text() + "\n")
			p.mu.Unlock()
			if m := listenURL.FindStringSubmatch(lines.Text()); m != nil && len(listening) == 0 {
				listening <- strings.TrimSuffix(m[1], "/")
			}
		}
		_, _ = io.Copy(io.Discard, pipe) // Wait must not close the pipe under a reader
		p.err = cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.done
	})
	select {
	case p.base = <-listening:
	case <-p.done:
		select {
		case p.base = <-listening:
		default:
		}
	}
	return p
}

// stderr is what the server has logged so far.
func (p *process) stderr() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// mustListen fails the test when the server did not start.
func (p *process) mustListen(t *testing.T) {
	t.Helper()
	if p.base == "" {
		<-p.done
		t.Fatalf("the server did not start: %v\n%s", p.err, p.stderr())
	}
}

// kill ends the server as a power cut would: no shutdown, no flush.
func (p *process) kill(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(p.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-p.done
}

// stop ends the server as the service manager does, and says how it exited.
func (p *process) stop() error {
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	<-p.done
	return p.err
}

// crashed reports a Go panic or fatal error in the log: what an operator
// must never get instead of a message.
func crashed(log string) bool {
	return strings.Contains(log, "panic:") || strings.Contains(log, "goroutine ") || strings.Contains(log, "fatal error:")
}

// checkFile runs `intranet check` on the file of a stopped server: bbolt's
// consistency check and a read of every record.
func checkFile(t *testing.T, bin, db string) {
	t.Helper()
	out, err := exec.Command(bin, "check", "-db", db).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "consistent (schema") {
		t.Fatalf("intranet check -db %s: %v\n%s", db, err, out)
	}
}

// browser is a signed-in person: cookies, the session's CSRF token, and
// redirects left to the caller, who reads them as acknowledgements.
type browser struct {
	base string
	http *http.Client
	csrf string
}

var (
	formToken = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	metaToken = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)
)

// trySignIn signs in through the form; on a refusal it gives the answer.
func trySignIn(base, login string) (b *browser, status int, page string, err error) {
	jar, _ := cookiejar.New(nil)
	b = &browser{base: base, http: &http.Client{Jar: jar, Timeout: time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	status, _, page, err = b.do("GET", "/login", nil)
	if err != nil {
		return nil, status, page, err
	}
	m := formToken.FindStringSubmatch(page)
	if m == nil {
		return nil, status, page, errors.New("no CSRF token on the sign-in page")
	}
	status, loc, page, err := b.do("POST", "/login", url.Values{"login": {login}, "password": {"demo"}, "_csrf": {m[1]}})
	if err != nil || status != http.StatusSeeOther || loc != "/" {
		return nil, status, page, err
	}
	status, _, page, err = b.do("GET", "/", nil)
	if err != nil {
		return nil, status, page, err
	}
	if m = metaToken.FindStringSubmatch(page); m == nil {
		return nil, status, page, errors.New("no CSRF token on the home page")
	}
	b.csrf = m[1]
	return b, status, page, nil
}

func signIn(t *testing.T, base, login string) *browser {
	t.Helper()
	b, status, page, err := trySignIn(base, login)
	if b == nil {
		t.Fatalf("sign in as %s: %d %v\n%s", login, status, err, page)
	}
	return b
}

// do sends a request; an answer cut short counts as no answer.
func (b *browser) do(method, path string, form url.Values) (status int, location, body string, err error) {
	var rd io.Reader
	if form != nil {
		rd = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.base+path, rd)
	if err != nil {
		return 0, "", "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.http.Do(req)
	if err != nil {
		return 0, "", "", err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, "", "", err
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(data), nil
}

func (b *browser) get(path string) (int, string, error) {
	status, _, body, err := b.do("GET", path, nil)
	return status, body, err
}

func (b *browser) post(path string, form url.Values) (status int, location, body string, err error) {
	form.Set("_csrf", b.csrf)
	return b.do("POST", path, form)
}

// What the clients sent and the server acknowledged, over every round.

type sentAnnouncement struct {
	title, body, from, to string
	pinned                bool
}

// shows is what the announcement's edit form holds when it was kept whole.
func (a sentAnnouncement) shows() []string {
	pinned := `name="pinned" type="checkbox" value="1">`
	if a.pinned {
		pinned = `name="pinned" type="checkbox" value="1" checked>`
	}
	return []string{`name="title" type="text" value="` + a.title + `"`, `>` + a.body + `</textarea>`,
		`name="valid_from" type="date" value="` + a.from + `"`, `name="valid_to" type="date" value="` + a.to + `"`, pinned}
}

type sentNote struct {
	title, body, date, category, assessment string
}

func (n sentNote) shows() []string {
	return []string{`name="title" type="text" value="` + n.title + `"`, `>` + n.body + `</textarea>`,
		`name="date" type="date" value="` + n.date + `"`, `<option value="` + n.category + `" selected>`,
		`name="assessment" value="` + n.assessment + `" checked`}
}

type markKey struct{ session, person uint64 }

// markState is one participant's mark as the trainer's client knows it.
type markState struct {
	presence string // the last acknowledged; "" before any
	version  int
	inFlight string // sent after that and not answered: it may or may not be kept
}

type ledger struct {
	mu            sync.Mutex
	announcements map[uint64]sentAnnouncement
	notes         map[uint64]sentNote
	// marks are each written by one client goroutine in a round, read
	// between rounds: the goroutines' WaitGroup orders them.
	marks map[markKey]*markState
	pairs []markKey
}

// acknowledge records an acknowledged creation; an ID given out twice
// would mean the counter went back and a record was overwritten.
func acknowledge[T any](t *testing.T, l *ledger, m map[uint64]T, kind string, id uint64, v T) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, dup := m[id]; dup {
		t.Errorf("%s %d acknowledged twice: an ID was reused", kind, id)
	}
	m[id] = v
}

// round is one stretch of writing between a start and a kill.
type round struct {
	t      *testing.T
	n      int
	l      *ledger
	killed atomic.Bool
	acks   [3]atomic.Int64 // announcements, marks, notes
	admin  *browser
	coach  *browser
	writer *browser
	unit   string
}

// fail reports a failed write, unless it failed because the server was
// killed: that is what the round is for.
func (r *round) fail(format string, args ...any) {
	if !r.killed.Load() {
		r.t.Errorf(format, args...)
	}
}

var (
	announcementAt = regexp.MustCompile(`^/announcements\?ok=saved#announcement-(\d+)$`)
	noteAt         = regexp.MustCompile(`^/monitoring/notes/(\d+)\?ok=saved$`)
)

func (r *round) announce(g int) {
	for i := 0; !r.killed.Load(); i++ {
		a := sentAnnouncement{title: fmt.Sprintf("Komunikat próbny %d-%d-%d", r.n, g, i),
			body: fmt.Sprintf("Treść komunikatu %d-%d-%d. %s", r.n, g, i, strings.TrimSpace(strings.Repeat("Zebranie zespołu w sali numer 12, proszę zabrać dokumenty. ", 1+i%25))),
			from: fmt.Sprintf("2026-01-%02d", 1+i%28), pinned: i%4 == 0}
		if i%3 == 0 {
			a.to = "2027-12-31"
		}
		form := url.Values{"title": {a.title}, "body": {a.body}, "valid_from": {a.from}, "valid_to": {a.to}}
		if a.pinned {
			form.Set("pinned", "1")
		}
		status, loc, body, err := r.admin.post("/announcements", form)
		m := announcementAt.FindStringSubmatch(loc)
		if err != nil || status != http.StatusSeeOther || m == nil {
			r.fail("announcement %q: %d %q %v\n%s", a.title, status, loc, err, body)
			return
		}
		id, _ := strconv.ParseUint(m[1], 10, 64)
		acknowledge(r.t, r.l, r.l.announcements, "announcement", id, a)
		r.acks[0].Add(1)
	}
}

// mark flips its participants between present and absent, one at a time,
// as a trainer does with a click on each row.
func (r *round) mark(pairs []markKey) {
	for i := 0; !r.killed.Load(); i++ {
		k := pairs[i%len(pairs)]
		st := r.l.marks[k]
		next := "present"
		if st.presence == "present" {
			next = "absent"
		}
		id := strconv.FormatUint(k.person, 10)
		form := url.Values{"person": {id}, "p_" + id: {next}, "u_" + id: {""}, "v_" + id: {strconv.Itoa(st.version)}}
		st.inFlight = next
		status, _, body, err := r.coach.post(fmt.Sprintf("/schedule/sessions/%d/attendance", k.session), form)
		if err != nil || status != http.StatusOK {
			r.fail("mark %s for person %d in session %d: %d %v\n%s", next, k.person, k.session, status, err, body)
			return
		}
		got, ok := rowMark(body, k.person)
		if !ok || got.presence != next || got.version != st.version+1 {
			r.fail("mark %s v%d for person %d in session %d answered %+v", next, st.version+1, k.person, k.session, got)
			return
		}
		st.presence, st.version, st.inFlight = next, got.version, ""
		r.acks[1].Add(1)
	}
}

var (
	noteCategories = []string{"compliance", "goal", "change", "tool", "misc"}
	assessments    = []string{"on_track", "at_risk", "off_track", "not_assessed"}
)

func (r *round) note(g int) {
	for i := 0; !r.killed.Load(); i++ {
		n := sentNote{title: fmt.Sprintf("Notatka z wizyty monitorującej %d-%d-%d", r.n, g, i),
			body: fmt.Sprintf("Ustalenia %d-%d-%d. %s", r.n, g, i, strings.TrimSpace(strings.Repeat("Zespół prowadzi dokumentację zgodnie z procedurą, brak uwag. ", 1+i%30))),
			date: fmt.Sprintf("2026-10-%02d", 1+i%28), category: noteCategories[i%len(noteCategories)], assessment: assessments[i%len(assessments)]}
		form := url.Values{"title": {n.title}, "date": {n.date}, "units": {r.unit}, "category": {n.category},
			"assessment": {n.assessment}, "body": {n.body}}
		status, loc, body, err := r.writer.post("/monitoring/notes", form)
		m := noteAt.FindStringSubmatch(loc)
		if err != nil || status != http.StatusSeeOther || m == nil {
			r.fail("note %q: %d %q %v\n%s", n.title, status, loc, err, body)
			return
		}
		id, _ := strconv.ParseUint(m[1], 10, 64)
		acknowledge(r.t, r.l, r.l.notes, "note", id, n)
		r.acks[2].Add(1)
	}
}

// Reading attendance back from the pages.

type rowState struct {
	presence string
	version  int
	instant  bool // the row saves each change at once: the trainer takes it now
}

var rowStart = regexp.MustCompile(`<tr id="att-(\d+)"`)

// attendanceRows are the participant rows of a session page, by person.
func attendanceRows(page string) map[uint64]rowState {
	out := map[uint64]rowState{}
	for _, m := range rowStart.FindAllStringSubmatchIndex(page, -1) {
		row, _, _ := strings.Cut(page[m[0]:], "</tr>")
		person, _ := strconv.ParseUint(page[m[2]:m[3]], 10, 64)
		st, _ := rowMark(row, person)
		out[person] = st
	}
	return out
}

// rowMark reads the mark a row shows (a session page's, or the row that
// answers a mark).
func rowMark(row string, person uint64) (rowState, bool) {
	id := strconv.FormatUint(person, 10)
	v := regexp.MustCompile(`name="v_` + id + `" value="(\d+)"`).FindStringSubmatch(row)
	if v == nil {
		return rowState{}, false
	}
	st := rowState{instant: strings.Contains(row, `hx-post="`)}
	st.version, _ = strconv.Atoi(v[1])
	if p := regexp.MustCompile(`name="p_` + id + `" value="([a-z_]+)" data-key="[^"]*" checked`).FindStringSubmatch(row); p != nil {
		st.presence = p[1]
	}
	return st, true
}

var sessionLink = regexp.MustCompile(`href="/schedule/sessions/(\d+)"`)

// takeablePairs finds participants of the trainer's sessions whose
// attendance they take now (held, list not confirmed): up to three from
// each session, six in all.
func takeablePairs(t *testing.T, coach *browser, l *ledger) {
	t.Helper()
	status, mine, err := coach.get("/schedule/mine")
	if err != nil || status != http.StatusOK {
		t.Fatalf("the trainer's sessions: %d %v", status, err)
	}
	var sessions []uint64
	for _, m := range sessionLink.FindAllStringSubmatch(mine, -1) {
		id, _ := strconv.ParseUint(m[1], 10, 64)
		if !slices.Contains(sessions, id) {
			sessions = append(sessions, id)
		}
	}
	for _, s := range sessions {
		status, page, err := coach.get(fmt.Sprintf("/schedule/sessions/%d", s))
		if err != nil || status != http.StatusOK {
			t.Fatalf("session %d: %d %v", s, status, err)
		}
		rows := attendanceRows(page)
		people := make([]uint64, 0, len(rows))
		for p, st := range rows {
			if st.instant {
				people = append(people, p)
			}
		}
		slices.Sort(people)
		for _, p := range people[:min(3, len(people))] {
			k := markKey{s, p}
			l.pairs = append(l.pairs, k)
			l.marks[k] = &markState{presence: rows[p].presence, version: rows[p].version}
			if len(l.pairs) == 6 {
				return
			}
		}
	}
	if len(l.pairs) < 2 {
		t.Fatalf("the demo trainer has no held session with an open list among %v", sessions)
	}
}

var unitOption = regexp.MustCompile(`(?s)<select id="units"[^>]*>.*?<option value="(\d+)"`)

// noteUnit is a unit a monitoring note may be about.
func noteUnit(t *testing.T, writer *browser) string {
	t.Helper()
	status, page, err := writer.get("/monitoring/notes/new")
	m := unitOption.FindStringSubmatch(page)
	if err != nil || status != http.StatusOK || m == nil {
		t.Fatalf("the note form: %d %v", status, err)
	}
	return m[1]
}

// verify reads every acknowledged write back from a fresh server: each
// announcement and note whole, and each participant's last acknowledged
// mark, or the one that was in flight at the kill. What it finds becomes
// the state the next round writes on.
func verify(t *testing.T, base string, l *ledger) {
	t.Helper()
	admin, coach, writer := signIn(t, base, "admin"), signIn(t, base, "trener"), signIn(t, base, "monitoring")
	status, list, err := admin.get("/announcements")
	if err != nil || status != http.StatusOK {
		t.Fatalf("announcements: %d %v", status, err)
	}
	for id, a := range l.announcements {
		if !strings.Contains(list, fmt.Sprintf(`id="announcement-%d"`, id)) {
			t.Errorf("announcement %d %q, acknowledged, is not on the list", id, a.title)
		}
		status, page, err := admin.get(fmt.Sprintf("/announcements/%d/edit", id))
		if err != nil || status != http.StatusOK {
			t.Errorf("announcement %d %q, acknowledged: %d %v", id, a.title, status, err)
			continue
		}
		for _, want := range a.shows() {
			if !strings.Contains(page, want) {
				t.Errorf("announcement %d %q, acknowledged, lacks %.80q", id, a.title, want)
			}
		}
	}
	for id, n := range l.notes {
		status, page, err := writer.get(fmt.Sprintf("/monitoring/notes/%d", id))
		if err != nil || status != http.StatusOK {
			t.Errorf("note %d %q, acknowledged: %d %v", id, n.title, status, err)
			continue
		}
		if !strings.Contains(page, n.title) {
			t.Errorf("note %d %q, acknowledged, is not on its page under that title", id, n.title)
		}
		status, page, err = writer.get(fmt.Sprintf("/monitoring/notes/%d/edit", id))
		if err != nil || status != http.StatusOK {
			t.Errorf("note %d %q, acknowledged, its form: %d %v", id, n.title, status, err)
			continue
		}
		for _, want := range n.shows() {
			if !strings.Contains(page, want) {
				t.Errorf("note %d %q, acknowledged, lacks %.80q", id, n.title, want)
			}
		}
	}
	pages := map[uint64]map[uint64]rowState{}
	inFlight, kept := 0, 0
	for _, k := range l.pairs {
		if pages[k.session] == nil {
			status, page, err := coach.get(fmt.Sprintf("/schedule/sessions/%d", k.session))
			if err != nil || status != http.StatusOK {
				t.Fatalf("session %d: %d %v", k.session, status, err)
			}
			pages[k.session] = attendanceRows(page)
		}
		got, ok := pages[k.session][k.person]
		want := l.marks[k]
		switch {
		case !ok:
			t.Errorf("person %d is no longer on session %d", k.person, k.session)
		case got.presence == want.presence && got.version == want.version:
			if want.inFlight != "" {
				inFlight++
			}
		case want.inFlight != "" && got.presence == want.inFlight && got.version == want.version+1:
			inFlight++
			kept++
		default:
			t.Errorf("person %d in session %d: %q v%d kept; acknowledged %q v%d (in flight at the kill: %q)",
				k.person, k.session, got.presence, got.version, want.presence, want.version, want.inFlight)
		}
		*want = markState{presence: got.presence, version: got.version}
	}
	t.Logf("%d announcements, %d notes and %d marks read back; %d marks were in flight at the kill, %d of them kept",
		len(l.announcements), len(l.notes), len(l.pairs), inFlight, kept)
}

// TestSIGKILLLosesNothingAcknowledged writes announcements, attendance
// marks and monitoring notes from six clients at once and kills the server
// in the middle, twice on the same file: every acknowledged write must be
// there after the restart, whole, and the file must pass the check.
func TestSIGKILLLosesNothingAcknowledged(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "intranet.db")
	l := &ledger{announcements: map[uint64]sentAnnouncement{}, notes: map[uint64]sentNote{}, marks: map[markKey]*markState{}}
	srv := launch(t, bin, nil, "-db", db, "-demo")
	srv.mustListen(t)
	for n := 1; n <= 2; n++ {
		r := &round{t: t, n: n, l: l}
		r.admin, r.coach, r.writer = signIn(t, srv.base, "admin"), signIn(t, srv.base, "trener"), signIn(t, srv.base, "monitoring")
		if l.pairs == nil {
			takeablePairs(t, r.coach, l)
		}
		r.unit = noteUnit(t, r.writer)
		var halves [2][]markKey
		for i, k := range l.pairs {
			halves[i%2] = append(halves[i%2], k)
		}
		var wg sync.WaitGroup
		for g := range 2 {
			wg.Go(func() { r.announce(g) })
			wg.Go(func() { r.mark(halves[g]) })
			wg.Go(func() { r.note(g) })
		}
		writing := make(chan struct{})
		go func() { wg.Wait(); close(writing) }()
		// The kill lands at a different point of the writing each round;
		// the deadline only bounds a server that stopped answering.
		enough := 30 + rand.IntN(30)
		deadline := time.Now().Add(20 * time.Second)
	wait:
		for time.Now().Before(deadline) {
			a, m, w := r.acks[0].Load(), r.acks[1].Load(), r.acks[2].Load()
			if a+m+w >= int64(enough) && min(a, m, w) >= 3 {
				break
			}
			select {
			case <-writing: // every client stopped on an error
				break wait
			case <-time.After(2 * time.Millisecond):
			}
		}
		r.killed.Store(true)
		srv.kill(t)
		<-writing
		a, m, w := r.acks[0].Load(), r.acks[1].Load(), r.acks[2].Load()
		t.Logf("round %d: killed after %d announcements, %d marks and %d notes were acknowledged", n, a, m, w)
		if t.Failed() {
			t.FailNow()
		}
		if min(a, m, w) == 0 {
			t.Fatalf("round %d: a kind of write was never acknowledged before the kill\n%s", n, srv.stderr())
		}
		if crashed(srv.stderr()) {
			t.Fatalf("the server crashed before the kill:\n%s", srv.stderr())
		}
		checkFile(t, bin, db)
		srv = launch(t, bin, nil, "-db", db)
		srv.mustListen(t)
		verify(t, srv.base, l)
		if t.Failed() {
			t.FailNow()
		}
	}
	if err := srv.stop(); err != nil {
		t.Fatalf("stop after the last restart: %v\n%s", err, srv.stderr())
	}
	checkFile(t, bin, db)
}

// newDatabase makes a small database with one administrator.
func newDatabase(t *testing.T, db string) {
	t.Helper()
	if _, err := cli(t, "a-long-password\n", "user", "add", "-db", db, "-login", "dyrektor", "-name", "Ewa Dyrektorska", "-role", "admin"); err != nil {
		t.Fatal(err)
	}
}

func fileSum(t *testing.T, path string) [32]byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(data)
}

// refusesToStart starts the server on a database it may not write: it
// must exit non-zero with one line naming the file and the cause, and
// leave the file as it was.
func refusesToStart(t *testing.T, bin string, cred *syscall.Credential, db, cause string) {
	t.Helper()
	before := fileSum(t, db)
	p := launch(t, bin, cred, "-db", db)
	if p.base != "" {
		t.Fatalf("the server started on a database it cannot write:\n%s", p.stderr())
	}
	log := p.stderr()
	if p.err == nil {
		t.Fatalf("the server exited with success on a database it cannot write:\n%s", log)
	}
	if crashed(log) {
		t.Fatalf("a crash instead of a message:\n%s", log)
	}
	if !strings.Contains(log, db) || !strings.Contains(log, cause) {
		t.Fatalf("the message does not name the file %s and %q:\n%s", db, cause, log)
	}
	t.Logf("%v: %s", p.err, strings.TrimSpace(log[strings.LastIndex(strings.TrimSpace(log), "\n")+1:]))
	if fileSum(t, db) != before {
		t.Fatal("the file changed")
	}
	if out, err := cli(t, "", "check", "-db", db); err != nil || !strings.Contains(out, "consistent") {
		t.Fatalf("check afterwards: %q %v", out, err)
	}
}

// reachable lets any user walk to path, as a service account must to its
// files: the test's temporary directories are private to their owner.
func reachable(t *testing.T, path string) {
	t.Helper()
	top := filepath.Clean(os.TempDir())
	for dir := filepath.Dir(path); strings.HasPrefix(dir, top+string(filepath.Separator)); dir = filepath.Dir(dir) {
		fi, err := os.Stat(dir)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, fi.Mode().Perm()|0o055); err != nil {
			t.Fatal(err)
		}
	}
}

// nobody is the unprivileged account of Debian and most distributions.
const nobody = 65534

func TestReadOnlyDatabaseFileIsAClearError(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	bin := buildBinary(t)
	t.Run("file mode 0400", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "intranet.db")
		newDatabase(t, db)
		if err := os.Chmod(db, 0o400); err != nil {
			t.Fatal(err)
		}
		var cred *syscall.Credential
		if os.Geteuid() == 0 {
			// Root writes whatever the mode says: the server runs as the
			// service account the file belongs to, as in production.
			if err := os.Chown(db, nobody, nobody); err != nil {
				t.Fatal(err)
			}
			reachable(t, db)
			reachable(t, bin)
			cred = &syscall.Credential{Uid: nobody, Gid: nobody}
		}
		refusesToStart(t, bin, cred, db, "permission denied")
	})
	t.Run("read-only filesystem", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("a read-only bind mount needs root")
		}
		dir := filepath.Join(t.TempDir(), "ro")
		db := filepath.Join(dir, "intranet.db")
		newDatabase(t, db)
		if out, err := exec.Command("mount", "--bind", dir, dir).CombinedOutput(); err != nil {
			t.Skipf("cannot bind-mount here: %v %s", err, out)
		}
		t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
		if out, err := exec.Command("mount", "-o", "remount,ro,bind", dir).CombinedOutput(); err != nil {
			t.Skipf("cannot make the mount read-only here: %v %s", err, out)
		}
		refusesToStart(t, bin, nil, db, "read-only file system")
	})
}

// fill takes every free byte of the filesystem dir is on.
func fill(t *testing.T, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, size := range []int{1 << 20, 4096} {
		chunk := make([]byte, size)
		for {
			if _, err := f.Write(chunk); err != nil {
				break
			}
		}
	}
}

const noSpace = "zabrakło miejsca na dysku"

// TestFullDiskAtStartAndOnSave starts the server on a filesystem with no
// free byte: it either refuses to start with a message, or starts and
// answers a save with the form and 507; never a crash. Once space is
// freed the file checks clean, and the server starts and saves.
func TestFullDiskAtStartAndOnSave(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	if os.Geteuid() != 0 {
		t.Skip("mounting a small filesystem needs root")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=32m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs here: %v %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	db := filepath.Join(dir, "intranet.db")
	demo := launch(t, bin, nil, "-db", db, "-demo")
	demo.mustListen(t)
	if err := demo.stop(); err != nil {
		t.Fatalf("the demo server: %v\n%s", err, demo.stderr())
	}
	filler := filepath.Join(dir, "filler")
	fill(t, filler)

	saved := map[string]bool{} // titles acknowledged on the full disk
	srv := launch(t, bin, nil, "-db", db)
	if srv.base == "" {
		log := srv.stderr()
		if crashed(log) || !strings.Contains(log, "no space left on device") {
			t.Fatalf("on a full disk the server exited without a clear message (%v):\n%s", srv.err, log)
		}
		t.Logf("on a full disk the server refuses to start: %v\n%s", srv.err, log)
	} else {
		admin, status, page, err := trySignIn(srv.base, "admin")
		switch {
		case admin != nil:
			refused := 0
			for i := 0; i < 300 && refused < 3; i++ {
				title := fmt.Sprintf("Komunikat na pełnym dysku %d", i)
				body := fmt.Sprintf("Treść %d. %s", i, strings.TrimSpace(strings.Repeat("Kasa czynna we wtorki od 10 do 14, w czwartki od 12 do 16. ", 250)))
				status, _, page, err := admin.post("/announcements", url.Values{"title": {title}, "body": {body}, "valid_from": {"2026-12-01"}})
				switch {
				case err != nil:
					t.Fatalf("save %d on a full disk: %v\n%s", i, err, srv.stderr())
				case status == http.StatusSeeOther:
					saved[title] = true
				case status == http.StatusInsufficientStorage:
					if !strings.Contains(page, title) || !strings.Contains(page, "Treść "+strconv.Itoa(i)+". Kasa czynna") || !strings.Contains(page, noSpace) {
						t.Fatalf("save %d refused without the form and the reason:\n%s", i, page)
					}
					refused++
				default:
					t.Fatalf("save %d on a full disk: %d\n%s", i, status, page)
				}
			}
			if refused == 0 {
				t.Fatalf("the full disk never refused a save (%d saved)", len(saved))
			}
			t.Logf("on a full disk the server started; %d saves acknowledged, then %d refused with 507", len(saved), refused)
			if status, _, err := admin.get("/healthz"); err != nil || status != http.StatusOK {
				t.Fatalf("the server after refused saves: %d %v", status, err)
			}
		case err == nil && status == http.StatusInsufficientStorage && strings.Contains(page, noSpace):
			t.Logf("on a full disk the server started; sign-in refused with 507")
		default:
			t.Fatalf("sign-in on a full disk: %d %v\n%s", status, err, page)
		}
		if err := srv.stop(); err != nil {
			t.Fatalf("stop on a full disk: %v\n%s", err, srv.stderr())
		}
		if crashed(srv.stderr()) {
			t.Fatalf("the server crashed on a full disk:\n%s", srv.stderr())
		}
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	checkFile(t, bin, db)
	srv = launch(t, bin, nil, "-db", db)
	srv.mustListen(t)
	admin := signIn(t, srv.base, "admin")
	after := sentAnnouncement{title: "Po zwolnieniu miejsca", body: "Serwer znów zapisuje.", from: "2026-12-01"}
	if status, loc, page, err := admin.post("/announcements", url.Values{"title": {after.title}, "body": {after.body}, "valid_from": {after.from}}); err != nil || status != http.StatusSeeOther {
		t.Fatalf("a save once space was freed: %d %q %v\n%s", status, loc, err, page)
	}
	_, list, err := admin.get("/announcements")
	if err != nil {
		t.Fatal(err)
	}
	for title := range saved {
		if !strings.Contains(list, title+"</h3>") {
			t.Errorf("%q, acknowledged on the full disk, is gone", title)
		}
	}
	if !strings.Contains(list, after.title+"</h3>") {
		t.Errorf("%q is not on the list", after.title)
	}
	if err := srv.stop(); err != nil {
		t.Fatalf("stop: %v\n%s", err, srv.stderr())
	}
	checkFile(t, bin, db)
}
