package handlers

import (
	"bytes"
	"image"
	"image/png"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

var scanLink = regexp.MustCompile(`href="(/schedule/scans/\d+)"`)

// The trainer attaches the scan of the signed list; it downloads as it
// was sent, to those who may see the session's attendance. A file that
// is not a scan is refused by its content, whatever its name.
func TestScanOfTheSignedList(t *testing.T) {
	ta := newTestApp(t)
	notOnAHoliday(ta)
	f := newScheduleFixture(t, ta) // supervision, today
	tr := ta.loggedIn(t, "trener")
	path := sessionPath(f.own)
	mustContain(t, tr.get(path), "Skany podpisanej listy", `name="file"`)
	scan := store.DemoScanPDF("Lista obecnosci", "podpisy")
	if r := upload(t, tr, path+"/scans", "file", "skan listy.pdf", scan, nil); r.status != fiber.StatusSeeOther {
		t.Fatalf("attach: %d\n%s", r.status, r.body)
	}
	page := tr.get(path)
	m := scanLink.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatalf("no scan listed:\n%s", page.body)
	}
	got := tr.get(m[1])
	if got.status != fiber.StatusOK || got.body != string(scan) || got.header.Get("Content-Type") != store.TypePDF ||
		!strings.HasPrefix(got.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %q %q", got.status, got.header.Get("Content-Type"), got.header.Get("Content-Disposition"))
	}
	// A page of HTML named like a PDF, and a file over the limit.
	r := upload(t, tr, path+"/scans", "file", "lista.pdf", []byte("<html><script>alert(1)</script>"), nil)
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("html as a scan: %d", r.status)
	}
	mustContain(t, r, "Ten rodzaj pliku nie jest przyjmowany")
	big := append(append([]byte{}, scan[:len(scan)-6]...), bytes.Repeat([]byte(" "), store.MaxScanBytes)...)
	if r := upload(t, tr, path+"/scans", "file", "duzy.pdf", big, nil); r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("too big: %d", r.status)
	} else {
		mustContain(t, r, "Plik jest za duży (najwyżej 8 MB)")
	}
	// Supervision: its attendance is not everyone's business, nor its scans.
	if r := ta.loggedIn(t, "pracownik").get(m[1]); r.status != fiber.StatusForbidden {
		t.Fatalf("a colleague read a supervision scan: %d", r.status)
	}
	if r := ta.loggedIn(t, "koordynator").get(m[1]); r.status != fiber.StatusOK {
		t.Fatalf("the coordinator: %d", r.status)
	}
	// Another trainer's session takes no scan from this trainer.
	if r := upload(t, tr, sessionPath(f.other)+"/scans", "file", "x.pdf", scan, nil); r.status != fiber.StatusForbidden {
		t.Fatalf("a scan for someone else's session: %d", r.status)
	}
	// A coordinator removes one attached by mistake, after confirming.
	c := ta.loggedIn(t, "koordynator")
	mustContain(t, c.get(m[1]+"/delete"), "Czy na pewno usunąć ten skan")
	list, _ := ta.st.Files(store.PurposeScan, store.SessionOwner(f.own.ID))
	if r := c.post(m[1]+"/delete", url.Values{"version": {strconv.Itoa(list[0].Version)}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("remove: %d", r.status)
	}
	if r := c.get(m[1]); r.status != fiber.StatusNotFound {
		t.Fatalf("a removed scan: %d", r.status)
	}
}

// Forms take at most formLimit; only routes that take a file take more.
func TestOnlyUploadsTakeLargeBodies(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "koordynator")
	c.get("/announcements/new")
	big := strings.Repeat("x", formLimit+1)
	if r := c.post("/announcements", url.Values{"title": {big}}); r.status != fiber.StatusRequestEntityTooLarge {
		t.Fatalf("a large form: %d", r.status)
	}
}

// A project's logo strip heads its attendance lists; an issued list
// carries the image itself and downloads unchanged after the data and the
// logo changed.
func TestIssuedListIsKeptAsIssued(t *testing.T) {
	ta := newTestApp(t)
	notOnAHoliday(ta)
	f := newScheduleFixture(t, ta)
	c := ta.loggedIn(t, "koordynator")
	p := &store.Project{Name: "Projekt z logo", Kind: store.KindEUProject, From: ta.st.Today().AddDate(0, -1, 0), Status: store.ProjectRunning}
	if err := ta.st.SaveProject(store.System, p, 0); err != nil {
		t.Fatal(err)
	}
	f.course.ProjectID = p.ID
	if err := ta.st.SaveCourse(store.System, f.course, f.course.Version); err != nil {
		t.Fatal(err)
	}
	logo := func(w int) []byte {
		var b bytes.Buffer
		_ = png.Encode(&b, image.NewGray(image.Rect(0, 0, w, 10)))
		return b.Bytes()
	}
	projectPath := "/projects/" + strconv.FormatUint(p.ID, 10)
	c.get(projectPath + "/logo")
	if r := upload(t, c, projectPath+"/logo", "file", "logo.gif", logo(40), nil); r.status != fiber.StatusSeeOther {
		t.Fatalf("logo: %d\n%s", r.status, r.body)
	}
	if r := upload(t, c, projectPath+"/logo", "file", "logo.png", []byte(store.DemoScanPDF("x")), nil); r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("a PDF as a logo: %d", r.status)
	}
	list := sessionPath(f.own) + "/print"
	page := c.get(list)
	mustContain(t, page, `class="logo-strip" src="/files/`, "Wydaj dokument")
	if r := c.post(list+"/issue", nil); r.status != fiber.StatusSeeOther {
		t.Fatalf("issue: %d\n%s", r.status, r.body)
	}
	copies, _ := ta.st.Files(store.PurposeIssued, "attendance:"+strconv.FormatUint(f.own.ID, 10))
	if len(copies) != 1 {
		t.Fatalf("copies %+v", copies)
	}
	doc := "/documents/" + strconv.FormatUint(copies[0].ID, 10)
	first := c.get(doc)
	if first.status != fiber.StatusOK || !strings.Contains(first.body, `src="data:image/png;base64,`) ||
		strings.Contains(first.body, `name="_csrf"`) || !strings.Contains(first.body, "Egzemplarz wydany") {
		t.Fatalf("issued copy: %d\n%s", first.status, first.body)
	}
	mustContain(t, c.get(list), doc) // listed on its document's page
	// The data change: a participant is marked, the logo replaced.
	tr := ta.loggedIn(t, "trener")
	if r := tr.post(sessionPath(f.own)+"/attendance", url.Values{"all": {"present"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("marks: %d", r.status)
	}
	if r := upload(t, c, projectPath+"/logo", "file", "nowe.png", logo(60), nil); r.status != fiber.StatusSeeOther {
		t.Fatalf("new logo: %d", r.status)
	}
	if now := c.get(list); now.body == first.body || !strings.Contains(now.body, "Obecność") {
		t.Fatal("the list did not change with the data")
	}
	if again := c.get(doc); again.body != first.body {
		t.Fatal("the issued copy changed after the data did")
	}
	// Those who may not read the list may not read its copy either.
	if r := ta.loggedIn(t, "pracownik").get(doc); r.status != fiber.StatusForbidden {
		t.Fatalf("a colleague read an issued list: %d", r.status)
	}
}

// The evidence pack names the open problems: a held session without a
// confirmed list or a scan, and the seed's supervision published late.
func TestEvidencePackListsOpenProblems(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "koordynator")
	courses, _ := ta.st.Courses()
	var supervision *store.Course
	for i := range courses {
		if courses[i].Kind == store.CourseSupervision && courses[i].ProjectID != 0 {
			supervision = &courses[i]
		}
	}
	if supervision == nil {
		t.Skip("the demo project is settled on this day: no courses")
	}
	path := "/schedule/courses/" + strconv.FormatUint(supervision.ID, 10) + "/evidence"
	r := c.get(path)
	mustContain(t, r, "Pakiet dokumentów do kontroli", "Otwarte problemy", "opublikowane po terminie", "brak skanu listy",
		"Realizacja wobec umowy", "Wskaźniki liczone z tego kursu")
	if r := ta.loggedIn(t, "pracownik").get(path); r.status != fiber.StatusForbidden {
		t.Fatalf("a colleague: %d", r.status)
	}
	if r := c.post(path+"/issue", nil); r.status != fiber.StatusSeeOther {
		t.Fatalf("issue: %d", r.status)
	}
	mustContain(t, c.get("/schedule/courses/"+strconv.FormatUint(supervision.ID, 10)), "opublikowane po terminie", "brak skanu listy")
}
