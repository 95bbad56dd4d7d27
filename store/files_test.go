package store

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

// TinyPNG and the others are small valid files of each kind for tests.
func tinyImage(t testing.TB, format string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{R: 200, A: 255})
	var buf bytes.Buffer
	var err error
	if format == "png" {
		err = png.Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const tinyPDF = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

// A file is what its bytes say, whatever its name: a PDF whole to its
// trailer, an image whose header decodes; anything else is refused.
func TestContentType(t *testing.T) {
	pngData, jpegData := tinyImage(t, "png"), tinyImage(t, "jpeg")
	all := []string{TypePDF, TypeJPEG, TypePNG}
	for _, tc := range []struct {
		name    string
		data    []byte
		allowed []string
		want    string
		problem string
	}{
		{"pdf", []byte(tinyPDF), all, TypePDF, ""},
		{"png", pngData, all, TypePNG, ""},
		{"jpeg", jpegData, all, TypeJPEG, ""},
		{"pdf cut off", []byte(tinyPDF[:20]), all, "", "error.file_damaged"},
		{"png header only", pngData[:12], all, "", "error.file_damaged"},
		{"html named .pdf", []byte("<html><script>alert(1)</script></html>"), all, "", "error.file_type"},
		{"empty", nil, all, "", "error.file_type"},
		{"pdf where only images go", []byte(tinyPDF), []string{TypePNG, TypeJPEG}, "", "error.file_type"},
		{"zip", []byte("PK\x03\x04rest"), all, "", "error.file_type"},
	} {
		got, problem := ContentType(tc.data, tc.allowed...)
		if got != tc.want || problem != tc.problem {
			t.Errorf("%s: %q %q, want %q %q", tc.name, got, problem, tc.want, tc.problem)
		}
	}
}

func TestCleanFileName(t *testing.T) {
	for in, want := range map[string]string{
		"lista 12.01.2018.PDF":   "lista 12.01.2018.pdf",
		`C:\skany\lista.exe`:     "lista.pdf",
		"../../etc/passwd":       "passwd.pdf",
		"":                       "plik.pdf",
		"a\"b\x01c.pdf":          "abc.pdf",
		strings.Repeat("ż", 400): strings.Repeat("ż", maxFileNameLen) + ".pdf",
	} {
		if got := cleanFileName(in, TypePDF); got != want {
			t.Errorf("%q: %q, want %q", in, got, want)
		}
	}
}

// A scan belongs to a session that took place; the sixth is refused, a
// settled project's session takes none, and its scans stay.
func TestScansOfASession(t *testing.T) {
	s, c, trainers, loc, p := projectStore(t) // today is 10.01.2019
	a := Actor{Login: "koordynator"}
	held := &Session{CourseID: c.ID, Date: pday(2019, 1, 8), Start: 480, End: 660, LocationID: loc, TrainerIDs: trainers[:1], Status: SessionPlanned}
	later := &Session{CourseID: c.ID, Date: pday(2019, 1, 22), Start: 480, End: 660, LocationID: loc, TrainerIDs: trainers[:1], Status: SessionPlanned}
	for _, ss := range []*Session{held, later} {
		if err := s.SaveSession(a, ss, 0, Plan{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.AttachScan(a, later.ID, "lista.pdf", []byte(tinyPDF)); ErrorCode(err) != EConflict {
		t.Fatalf("scan of a session to come: %v", err)
	}
	if _, err := s.AttachScan(a, held.ID, "lista.pdf", []byte("<svg onload=alert(1)>")); ErrorCode(err) != EInvalid {
		t.Fatalf("not a scan: %v", err)
	}
	if _, err := s.AttachScan(a, held.ID, "big.pdf", make([]byte, MaxScanBytes+1)); ErrorCode(err) != EInvalid {
		t.Fatalf("too big: %v", err)
	}
	var first *File
	for i := range MaxScansOfSession {
		f, err := s.AttachScan(a, held.ID, "strona.jpg", tinyImage(t, "png"))
		if err != nil {
			t.Fatalf("scan %d: %v", i+1, err)
		}
		if f.Type != TypePNG || f.Name != "strona.png" || f.Project != p.ID {
			t.Fatalf("stored as %+v", f)
		}
		if first == nil {
			first = f
		}
	}
	if _, err := s.AttachScan(a, held.ID, "lista.pdf", []byte(tinyPDF)); ErrorCode(err) != EConflict {
		t.Fatalf("a scan over the limit: %v", err)
	}
	if n, _ := s.ScanCounts([]Session{*held, *later}); n[held.ID] != MaxScansOfSession || n[later.ID] != 0 {
		t.Fatalf("counts %v", n)
	}
	if err := s.RemoveScan(a, first.ID, first.Version); err != nil {
		t.Fatal(err)
	}
	p, _ = s.Project(p.ID)
	p.Status = ProjectSettled
	p.SettledOn, p.RetainUntil = pday(2019, 1, 9), pday(2029, 12, 31)
	if err := s.SaveProject(a, p, p.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AttachScan(a, held.ID, "lista.pdf", []byte(tinyPDF)); ErrorCode(err) != EConflict {
		t.Fatalf("scan of a settled project's session: %v", err)
	}
	list, _ := s.Files(PurposeScan, SessionOwner(held.ID))
	if err := s.RemoveScan(a, list[0].ID, list[0].Version); ErrorCode(err) != EConflict {
		t.Fatalf("removing a settled project's scan: %v", err)
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// An issued document is kept byte for byte and reads back unchanged.
func TestIssuedDocumentsAreKeptAsIssued(t *testing.T) {
	s, _, _ := openTest(t)
	doc := []byte("<!doctype html><title>Lista obecności</title><p>Zażółć gęślą jaźń\r\n\x00</p>")
	f, err := s.Issue(Actor{Login: "koordynator"}, SessionOwner(7), 0, "Lista obecności 12.01.2018", doc)
	if err != nil {
		t.Fatal(err)
	}
	got, data, err := s.FileData(f.ID)
	if err != nil || !bytes.Equal(data, doc) || got.By != "koordynator" || got.Name != "Lista obecności 12.01.2018.html" {
		t.Fatalf("read back %+v %q %v", got, data, err)
	}
	if list, _ := s.Files(PurposeIssued, SessionOwner(7)); len(list) != 1 || list[0].ID != f.ID {
		t.Fatalf("listed %+v", list)
	}
}

// The demo's files are what the store accepts: a PDF whole to its trailer
// and a PNG logo strip.
func TestDemoFilesPassTheContentCheck(t *testing.T) {
	if got, problem := ContentType(DemoScanPDF("Lista (1)", "Żółć"), TypePDF); got != TypePDF {
		t.Fatalf("demo scan: %q", problem)
	}
	if got, problem := ContentType(DemoLogo(), TypePNG); got != TypePNG {
		t.Fatalf("demo logo: %q", problem)
	}
}
