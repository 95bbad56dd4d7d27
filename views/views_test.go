package views

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/BurntSushi/toml"
)

func TestMoney(t *testing.T) {
	cases := []struct {
		grosze int64
		want   string
	}{
		{35639750, "356 397,50 zł"},
		{30037181, "300 371,81 zł"},
		{5602569, "56 025,69 zł"},
		{0, "0,00 zł"},
		{5, "0,05 zł"},
		{100, "1,00 zł"},
		{99999, "999,99 zł"},
		{100000, "1 000,00 zł"},
		{-123456, "-1 234,56 zł"},
		{-9223372036854775808, "-92 233 720 368 547 758,08 zł"},
	}
	for _, c := range cases {
		if got := Money(c.grosze); got != c.want {
			t.Errorf("Money(%d) = %q, want %q", c.grosze, got, c.want)
		}
	}
}

func TestDatesInWarsaw(t *testing.T) {
	// 23:30 UTC on 31 Aug 2017 is already 1 September in Warsaw (summer time).
	at := time.Date(2017, 8, 31, 23, 30, 0, 0, time.UTC)
	if got := Date(at); got != "01.09.2017" {
		t.Errorf("Date = %q", got)
	}
	if got := DateTime(at); got != "01.09.2017 01:30" {
		t.Errorf("DateTime = %q", got)
	}
	if got := For("pl").LongDate(at); got != "1 września 2017" {
		t.Errorf("Polish long date = %q", got)
	}
	if got := For("en").LongDate(at); got != "1 September 2017" {
		t.Errorf("English long date = %q", got)
	}
	winter := time.Date(2018, 1, 15, 12, 0, 0, 0, time.UTC)
	if got := DateTime(winter); got != "15.01.2018 13:00" {
		t.Errorf("winter DateTime = %q", got)
	}
}

func TestPolishPlurals(t *testing.T) {
	pl, en := For("pl"), For("en")
	for n, want := range map[int]string{1: "1 konto", 2: "2 konta", 4: "4 konta", 5: "5 kont", 12: "12 kont", 22: "22 konta", 25: "25 kont", 112: "112 kont"} {
		if got := pl.N("users.count", n); got != want {
			t.Errorf("pl %d = %q, want %q", n, got, want)
		}
	}
	if got := en.N("users.count", 1); got != "1 account" {
		t.Errorf("en 1 = %q", got)
	}
	if got := en.N("users.count", 5); got != "5 accounts" {
		t.Errorf("en 5 = %q", got)
	}
}

func TestUnknownLanguageFallsBackToPolish(t *testing.T) {
	if got := For("xx").T("auth.submit"); got != "Zaloguj się" {
		t.Fatalf("fallback = %q", got)
	}
}

// flatKeys lists the message IDs a catalogue defines.
func flatKeys(t *testing.T, file string) map[string]bool {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("locales", file))
	if err != nil {
		t.Fatal(err)
	}
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	var walk func(prefix string, m map[string]any)
	walk = func(prefix string, m map[string]any) {
		for k, v := range m {
			if sub, ok := v.(map[string]any); ok {
				if _, plural := sub["other"]; plural {
					out[prefix+k] = true
					continue
				}
				walk(prefix+k+".", sub)
				continue
			}
			out[prefix+k] = true
		}
	}
	walk("", raw)
	return out
}

// catalogue is every message ID of a language: its main file (pl.toml) and
// the feature files beside it (accounts.pl.toml), as the bundle loads them.
func catalogue(t *testing.T, lang string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("locales", "*.toml"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range files {
		name := filepath.Base(f)
		if name != lang+".toml" && !strings.HasSuffix(name, "."+lang+".toml") {
			continue
		}
		for k := range flatKeys(t, name) {
			if out[k] {
				t.Errorf("%s defines %s again", name, k)
			}
			out[k] = true
		}
	}
	return out
}

func TestCataloguesHaveTheSameKeys(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("locales", "*.toml"))
	for _, f := range files {
		// Each Polish file has an English twin with the same keys.
		name := filepath.Base(f)
		if name != "pl.toml" && !strings.HasSuffix(name, ".pl.toml") {
			continue
		}
		twin := strings.TrimSuffix(name, "pl.toml") + "en.toml"
		pl, en := flatKeys(t, name), flatKeys(t, twin)
		for k := range pl {
			if !en[k] {
				t.Errorf("%s lacks %s", twin, k)
			}
		}
		for k := range en {
			if !pl[k] {
				t.Errorf("%s lacks %s", name, k)
			}
		}
	}
	if pl, en := catalogue(t, "pl"), catalogue(t, "en"); len(pl) != len(en) {
		t.Errorf("%d Polish messages, %d English", len(pl), len(en))
	}
}

// The bundle loads every file of the folder, each in the language its name
// ends with: a message from a feature file translates in both languages.
func TestFeatureCataloguesAreLoaded(t *testing.T) {
	if got := For("pl").T("users.reactivate_submit"); got != "Włącz konto ponownie" {
		t.Errorf("pl = %q", got)
	}
	if got := For("en").T("users.reactivate_submit"); got != "Reactivate the account" {
		t.Errorf("en = %q", got)
	}
	if got := For("pl").T("auth.account_expired", "Date", "31.12.2018"); !strings.HasPrefix(got, "Konto wygasło 31.12.2018.") {
		t.Errorf("pl with data = %q", got)
	}
	if !For("en").Has("field.reason") || !For("pl").Has("auth.submit") {
		t.Error("Has misses a message of a feature file or of the main one")
	}
}

// Every message a template names literally must exist in every language.
func TestTemplatesUseOnlyDefinedMessages(t *testing.T) {
	re := regexp.MustCompile(`\{\{-?\s*(?:t|tn)\s+\$?\.?L\s+"([^"]+)"|\(t\s+\$?\.L\s+"([^"]+)"`)
	keys := catalogue(t, "pl")
	found := 0
	for _, name := range TemplateNames() {
		for _, m := range re.FindAllStringSubmatch(TemplateSource(name), -1) {
			id := m[1] + m[2]
			found++
			if !keys[id] {
				t.Errorf("%s uses undefined message %q", name, id)
			}
		}
	}
	if found < 50 {
		t.Fatalf("only %d messages found in templates: the pattern is broken", found)
	}
}

// Message IDs passed around inside template actions (labels, help texts)
// and written in Go code (validation, flash and error messages) exist too.
func TestEveryMessageIDIsDefined(t *testing.T) {
	keys := catalogue(t, "pl")
	action := regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	id := regexp.MustCompile(`"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)
	check := func(where, text string) {
		for _, m := range id.FindAllStringSubmatch(text, -1) {
			if !keys[m[1]] && !strings.HasSuffix(m[1], ".") && !strings.HasPrefix(m[1], "lang.name") {
				t.Errorf("%s: message %q is not in the catalogue", where, m[1])
			}
		}
	}
	for _, name := range TemplateNames() {
		for _, a := range action.FindAllString(TemplateSource(name), -1) {
			check(name, a)
		}
	}
	goID := regexp.MustCompile(`"((?:error|flash|import|auth|org|staff|locations|announcements|account|admin|confirm|nav)\.[a-z0-9_.]+)"`)
	for _, dir := range []string{"../handlers", "../store"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "migrate.go") { // bucket names look alike
				continue
			}
			data, _ := os.ReadFile(f)
			for _, m := range goID.FindAllStringSubmatch(string(data), -1) {
				if !keys[m[1]] && !strings.HasSuffix(m[1], ".") {
					t.Errorf("%s: message %q is not in the catalogue", f, m[1])
				}
			}
		}
	}
}

// Templates carry no user-visible Polish or English words of their own.
func TestTemplatesHaveNoHardCodedText(t *testing.T) {
	tags := regexp.MustCompile(`(?s)<[^>]*>|\{\{.*?\}\}`)
	for _, name := range TemplateNames() {
		text := tags.ReplaceAllString(TemplateSource(name), " ")
		for _, word := range strings.Fields(text) {
			if strings.IndexFunc(word, unicode.IsLetter) >= 0 {
				t.Errorf("%s: hard-coded text %q", name, word)
			}
		}
	}
}

func TestEngineParsesEveryTemplate(t *testing.T) {
	if _, err := NewEngine(); err != nil {
		t.Fatal(err)
	}
}

func TestParseDate(t *testing.T) {
	ok := map[string]string{
		"2017-09-01":   "2017-09-01",
		"01.09.2017":   "2017-09-01",
		"1.9.2017":     "2017-09-01",
		" 28.02.2019 ": "2019-02-28",
	}
	for in, want := range ok {
		got, valid := ParseDate(in)
		if !valid || got.Format("2006-01-02") != want || got.Location() != Warsaw {
			t.Errorf("ParseDate(%q) = %v %v, want %s", in, got, valid, want)
		}
	}
	for _, bad := range []string{"", "31.02.2019", "2019-13-01", "yesterday", "01/09/2017", "0001-01-01", "12345678901"} {
		if _, valid := ParseDate(bad); valid {
			t.Errorf("ParseDate(%q) accepted", bad)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2017-09-01", "01.09.2017", "1.9.2017", "", "31.02.2019", "9999-99-99", "\x00", "ż.ó.ł"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, ok := ParseDate(s)
		if !ok {
			return
		}
		// An accepted date reads back the same in both notations.
		back, ok2 := ParseDate(ISODate(d))
		if !ok2 || !back.Equal(d) {
			t.Fatalf("%q → %v does not round-trip (%v)", s, d, back)
		}
		if d.Hour() != 0 || d.Minute() != 0 {
			t.Fatalf("%q → %v is not midnight", s, d)
		}
	})
}

func TestHas(t *testing.T) {
	pl := For("pl")
	if !pl.Has("flash.saved") || !pl.Has("users.count") {
		t.Fatal("Has misses defined messages")
	}
	if pl.Has("flash.nonexistent") {
		t.Fatal("Has finds an undefined message")
	}
}

func TestTel(t *testing.T) {
	for in, want := range map[string]string{
		"32 285-78-39":     "tel:+48322857839",
		"+48 32 285 78 39": "tel:+48322857839",
		"0048 600 100 200": "tel:+48600100200",
		"112":              "tel:112",
		"javascript:alert": "tel:",
	} {
		if got := string(Tel(in)); got != want {
			t.Errorf("Tel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPhoneIsWrittenOneWay(t *testing.T) {
	for in, want := range map[string]string{
		"32 285-78-39":     "32 285 78 39",
		"32 2857839":       "32 285 78 39",
		"(32) 384 13 74":   "32 384 13 74",
		"600100200":        "600 100 200",
		"+48 600100200":    "+48 600 100 200",
		"+48 32 285 78 39": "+48 32 285 78 39",
		"0048322857839":    "+48 32 285 78 39",
		"+49 30 1234567":   "+49 30 1234567",
		"112":              "112",
	} {
		if got := Phone(in); got != want {
			t.Errorf("Phone(%q) = %q, want %q", in, got, want)
		}
	}
}
