package views

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var localeFiles embed.FS

// Languages the interface speaks, the default first. Adding one means adding
// locales/<code>.toml; nothing else in the code names a language.
var Languages = []string{"pl", "en"}

// DefaultLanguage is used when the user has not chosen one.
const DefaultLanguage = "pl"

var (
	bundle     *i18n.Bundle
	bundleErr  error
	bundleOnce sync.Once
	langs      sync.Map // code → *Lang
)

func loadBundle() (*i18n.Bundle, error) {
	bundleOnce.Do(func() {
		b := i18n.NewBundle(language.Polish)
		b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
		entries, err := fs.ReadDir(localeFiles, "locales")
		if err != nil {
			bundleErr = err
			return
		}
		for _, e := range entries {
			data, err := localeFiles.ReadFile(path.Join("locales", e.Name()))
			if err != nil {
				bundleErr = err
				return
			}
			if _, err := b.ParseMessageFileBytes(data, e.Name()); err != nil {
				bundleErr = fmt.Errorf("locale %s: %w", e.Name(), err)
				return
			}
		}
		bundle = b
	})
	return bundle, bundleErr
}

// Lang translates messages into one language.
type Lang struct {
	Code string
	loc  *i18n.Localizer
	// plain keeps messages without placeholders once translated: a page
	// prints the same labels on every row, and the catalogue never changes
	// while the binary runs.
	plain sync.Map // message ID → string
}

// SupportedLanguage returns code when the interface speaks it, else the default.
func SupportedLanguage(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	for _, l := range Languages {
		if l == code {
			return l
		}
	}
	return DefaultLanguage
}

// For returns the translator for a language code (the default for unknown codes).
func For(code string) *Lang {
	code = SupportedLanguage(code)
	if l, ok := langs.Load(code); ok {
		return l.(*Lang)
	}
	b, err := loadBundle()
	if err != nil {
		panic(err) // LoadCatalogue at start-up reports this before any request
	}
	l := &Lang{Code: code, loc: i18n.NewLocalizer(b, code)}
	langs.Store(code, l)
	return l
}

// LoadCatalogue parses the message catalogues; call it at start-up.
func LoadCatalogue() error {
	_, err := loadBundle()
	return err
}

// T translates a message; data are key/value pairs for its placeholders.
// A missing message shows its ID, which the catalogue test catches. An ID
// with a limit ("error.too_long:100", from store.WithMax) is a plural
// message counted by the limit.
func (l *Lang) T(id string, data ...any) string {
	if i := strings.LastIndexByte(id, ':'); i > 0 {
		if n, err := strconv.Atoi(id[i+1:]); err == nil {
			return l.N(id[:i], n)
		}
	}
	if len(data) < 2 {
		if s, ok := l.plain.Load(id); ok {
			return s.(string)
		}
	}
	cfg := &i18n.LocalizeConfig{MessageID: id}
	if len(data) > 1 {
		m := make(map[string]any, len(data)/2)
		for i := 0; i+1 < len(data); i += 2 {
			m[fmt.Sprint(data[i])] = data[i+1]
		}
		cfg.TemplateData = m
	}
	s, err := l.loc.Localize(cfg)
	if err != nil {
		return id
	}
	if cfg.TemplateData == nil {
		l.plain.Store(id, s)
	}
	return s
}

// N translates a message with plural forms for count (1 sesja, 2 sesje, 5 sesji).
func (l *Lang) N(id string, count int) string {
	s, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: count,
		TemplateData: map[string]any{"Count": count}})
	if err != nil {
		return id
	}
	return s
}

// Has reports whether the catalogue of this language defines id.
func (l *Lang) Has(id string) bool {
	_, tag, err := l.loc.LocalizeWithTag(&i18n.LocalizeConfig{MessageID: id})
	return err == nil && tag.String() == l.Code
}
