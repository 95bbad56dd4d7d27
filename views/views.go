// Package views holds the HTML templates, the message catalogues and the
// template functions. It knows nothing of HTTP or of the database.
package views

import (
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/template/html/v2"

	"intranet/store"
)

//go:embed layouts/*.html pages/*.html partials/*.html
var templateFiles embed.FS

// NavItem is one entry of the main navigation.
type NavItem struct {
	Href   string
	Label  string // message ID
	Active bool
}

// Page is what every template receives.
type Page struct {
	Name   string // the page's template, without "pages/"
	L      *Lang
	Title  string // message ID or already translated text
	User   *store.User
	CSRF   string
	Demo   bool
	Centre store.Centre
	Nav    []NavItem
	Path   string
	Flash  string // message ID
	// Failure says why a form comes back unsaved although nothing in it
	// was wrong (a full disk): nil otherwise.
	Failure *Failure
	// DiskWarning tells an administrator the database's disk runs short.
	DiskWarning *DiskWarning
	Errors      map[string]string
	Content     template.HTML
	// Fragment is set when the page goes to htmx without the layout.
	Fragment bool
	Data     any
	Year     int
	// A printable document either offers to be issued (Issuing) or is the
	// copy being issued (Issued): styles inline, nothing to click.
	Issuing *Issuing
	Issued  *Issued
}

// Failure is a write that failed in the storage: its status, message ID
// and the reference the log has it under.
type Failure struct {
	Status       int
	Message, Ref string
}

// DiskWarning is the free space left of the disk, written for people.
type DiskWarning struct{ Free, Total string }

// FileLimits are the bounds of uploads that forms state.
type FileLimits struct{ ScanMB, Scans, LogoMB int }

var fileLimits = FileLimits{ScanMB: store.MaxScanBytes >> 20, Scans: store.MaxScansOfSession, LogoMB: store.MaxLogoBytes >> 20}

// Issuing is the panel under a printable document: the form that issues
// it and the copies issued before.
type Issuing struct {
	Action string // where the form posts; "" when the reader may not issue
	Copies []store.File
}

// Issued says who issued a kept copy of a document, and when.
type Issued struct {
	At     time.Time
	By     string
	Styles template.CSS
}

// Err is the translated message for a form field's problem, or "".
func (p *Page) Err(field string) string {
	if id, ok := p.Errors[field]; ok {
		return p.L.T(id)
	}
	return ""
}

// NewEngine parses every template once; a parse error is returned, so the
// binary refuses to start instead of failing on the first request.
func NewEngine() (*html.Engine, error) {
	if err := LoadCatalogue(); err != nil {
		return nil, err
	}
	formFieldsOnce.Do(loadFormFields) // parsed at start, not on the first form
	e := html.NewFileSystem(http.FS(templateFiles), ".html")
	e.AddFuncMap(funcs)
	if err := e.Load(); err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	return e, nil
}

// TemplateNames lists every template file, for tests.
func TemplateNames() []string {
	var out []string
	_ = fs.WalkDir(templateFiles, ".", func(p string, d fs.DirEntry, _ error) error {
		if d != nil && !d.IsDir() {
			out = append(out, p)
		}
		return nil
	})
	return out
}

// TemplateSource returns one template file's text, for tests.
func TemplateSource(name string) string {
	data, _ := templateFiles.ReadFile(name)
	return string(data)
}

var funcs = template.FuncMap{
	"t":        func(l *Lang, id string, data ...any) string { return l.T(id, data...) },
	"tn":       func(l *Lang, id string, n int) string { return l.N(id, n) },
	"date":     Date,
	"datetime": DateTime,
	"isodate":  ISODate,
	"longdate": func(l *Lang, t time.Time) string { return l.LongDate(t) },
	"daymonth": func(l *Lang, t time.Time) string { return l.DayMonth(t) },
	"hasKind":  func(ks []store.CourseKind, k store.CourseKind) bool { return slices.Contains(ks, k) },
	"hasInt":   func(list []int, n int) bool { return slices.Contains(list, n) },
	"money":    Money,
	"percent":  Percent,
	"filesize": FileSize,
	"limits":   func() FileLimits { return fileLimits },
	"neg":      func(n int64) int64 { return -n },
	"clock":    store.Clock,
	"minus":    func(a, b int) int { return a - b },
	"numberText": func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	},
	"monthNumber": func(t time.Time) int { return int(t.Month()) },
	// whole turns hundredths of a per cent into a whole per cent for <progress>.
	"whole":     func(hundredths int64) int64 { return hundredths / 100 },
	"roleName":  func(l *Lang, r store.Role) string { return l.T("role." + string(r)) },
	"add":       func(a, b int) int { return a + b },
	"languages": func() []string { return Languages },

	// An account's set of roles and its state (accounts.go).
	"roleNames":    RoleNames,
	"accountState": AccountState,

	// dict passes several values to a nested template: dict "L" $.L "Node" .
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"join": strings.Join,
	// describedBy joins the ids of the texts that describe a control,
	// leaving out those it does not have: an aria-describedby value.
	"describedBy": func(ids ...any) string {
		var out []string
		for _, id := range ids {
			if s, ok := id.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return strings.Join(out, " ")
	},
	"hasID": func(ids []uint64, id uint64) bool {
		for _, x := range ids {
			if x == id {
				return true
			}
		}
		return false
	},
	"weekday": func(l *Lang, i int) string { return l.T("weekday." + strconv.Itoa(i)) },
	"tel":     Tel,
	"phone":   Phone,
	// hours shows a day's opening hours: closed, all day, or the ranges.
	"hours": func(l *Lang, h string) string {
		switch h {
		case "":
			return l.T("locations.closed")
		case "00:00–24:00":
			return l.T("locations.all_day")
		}
		return h
	},
}

func digitsOnly(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// Tel is the tel: link of a phone number as people write it: "32 285-78-39"
// and "+48 32 285 78 39" both become tel:+48322857839.
func Tel(phone string) template.URL {
	d := digitsOnly(phone)
	switch {
	case strings.HasPrefix(strings.TrimSpace(phone), "+"):
		return template.URL("tel:+" + d)
	case strings.HasPrefix(d, "00"):
		return template.URL("tel:+" + d[2:])
	case len(d) == 9:
		return template.URL("tel:+48" + d)
	}
	return template.URL("tel:" + d) // only digits: safe in an href
}

// mobilePrefixes start Polish mobile numbers, written 600 100 200; other
// nine-digit numbers are landlines, written 32 285 78 39.
var mobilePrefixes = map[string]bool{"45": true, "50": true, "51": true, "53": true, "57": true, "60": true, "66": true,
	"69": true, "72": true, "73": true, "78": true, "79": true, "88": true}

// Phone writes a Polish number one way across the product ("32 285-78-39"
// and "32 2857839" both show as "32 285 78 39", "+48 600100200" as
// "+48 600 100 200"); anything else is shown as typed. The number is
// stored as typed: this is only how it is shown.
func Phone(s string) string {
	d := digitsOnly(s)
	prefix := ""
	switch {
	case strings.HasPrefix(strings.TrimSpace(s), "+48") && len(d) == 11:
		prefix, d = "+48 ", d[2:]
	case strings.HasPrefix(d, "0048") && len(d) == 13:
		prefix, d = "+48 ", d[4:]
	case len(d) != 9 || strings.ContainsAny(s, "+"):
		return s
	}
	if len(d) != 9 {
		return s
	}
	if mobilePrefixes[d[:2]] {
		return prefix + d[:3] + " " + d[3:6] + " " + d[6:]
	}
	return prefix + d[:2] + " " + d[2:5] + " " + d[5:7] + " " + d[7:]
}
