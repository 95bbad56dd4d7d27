package views

import (
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// FormField is a field of a form as its page shows it: the input's name and
// the message ID of its label.
type FormField struct {
	Name, Label string
	// Row is set for a field repeated in rows, each named by Name followed
	// by its number ("ref_date_0", "done-3"): Name is that prefix. Numbered
	// rows show the row's number after the label, counted from 1.
	Row, Numbered bool
}

// Field patterns in the form templates: the text-field partial's arguments,
// a <label> for a select or checkbox, and a <legend> named by data-field;
// a row's text field (print "ref_date_" $i) and a row's own <label> (for
// "done-{{.N}}"), whose names end in the row's number.
var (
	partialField = regexp.MustCompile(`"Name" "([a-z0-9_]+)" "Label" "([a-z0-9_.]+)"`)
	labelField   = regexp.MustCompile(`<label for="([a-z0-9_]+)"[^>]*>\{\{t \$?(?:\.P)?\.L "([a-z0-9_.]+)"\}\}`)
	legendField  = regexp.MustCompile(`<legend data-field="([a-z0-9_]+)">\{\{t \$?(?:\.P)?\.L "([a-z0-9_.]+)"\}\}`)
	rowField     = regexp.MustCompile(`"Name" \(print "([a-z0-9_]+_)" \$i\) "Label" "([a-z0-9_.]+)"( "Suffix" \(add \$i 1\))?`)
	rowLabel     = regexp.MustCompile(`<label for="([a-z0-9_]+[-_])\{\{[^}]+\}\}"[^>]*>\{\{t \$?(?:\.P)?\.L "([a-z0-9_.]+)"\}\}`)
	// A group of fields shared by several forms, defined in a partial.
	defineBlock = regexp.MustCompile(`\{\{define "([a-z0-9-]+)"\}\}`)
	useBlock    = regexp.MustCompile(`\{\{template "([a-z0-9-]+)"`)
)

// withPartials is a page's source with the partials it uses written in
// where it uses them (one level: partials of fields do not nest), so that
// fields shared between forms are found in each.
func withPartials(src string, blocks map[string]string) string {
	return useBlock.ReplaceAllStringFunc(src, func(use string) string {
		return use + blocks[useBlock.FindStringSubmatch(use)[1]]
	})
}

// partialBlocks maps each {{define}}d block of the partials to its text.
func partialBlocks() map[string]string {
	blocks := map[string]string{}
	for _, name := range TemplateNames() {
		if !strings.HasPrefix(name, "partials/") {
			continue
		}
		src := TemplateSource(name)
		at := defineBlock.FindAllStringSubmatchIndex(src, -1)
		for i, m := range at {
			end := len(src)
			if i+1 < len(at) {
				end = at[i+1][0]
			}
			blocks[src[m[2]:m[3]]] = src[m[1]:end]
		}
	}
	return blocks
}

// formFields maps a page to its fields in the order the form shows them,
// read from the templates once, when first asked for (the engine, the
// error summary or a test, whichever comes first): the error summary lists
// problems in that order and names each field with its own label.
var (
	formFields     map[string][]FormField
	formFieldsOnce sync.Once
)

// fieldsOf is the page's fields, read from the templates on first use.
func fieldsOf(page string) []FormField {
	formFieldsOnce.Do(loadFormFields)
	return formFields[page]
}

// extraLabels name fields whose labels the templates compute (a weekday).
var extraLabels = map[string]string{
	"hours0": "weekday.0", "hours1": "weekday.1", "hours2": "weekday.2", "hours3": "weekday.3",
	"hours4": "weekday.4", "hours5": "weekday.5", "hours6": "weekday.6",
	"version": "form.version",
}

func loadFormFields() {
	formFields = map[string][]FormField{}
	blocks := partialBlocks()
	for _, name := range TemplateNames() {
		if !strings.HasPrefix(name, "pages/") {
			continue
		}
		src := withPartials(TemplateSource(name), blocks)
		type hit struct {
			at int
			f  FormField
		}
		var hits []hit
		for _, re := range []*regexp.Regexp{partialField, labelField, legendField, rowField, rowLabel} {
			row := re == rowField || re == rowLabel
			for _, m := range re.FindAllStringSubmatchIndex(src, -1) {
				f := FormField{Name: src[m[2]:m[3]], Label: src[m[4]:m[5]], Row: row}
				f.Numbered = len(m) > 6 && m[6] >= 0
				hits = append(hits, hit{m[0], f})
			}
		}
		sort.Slice(hits, func(i, j int) bool { return hits[i].at < hits[j].at })
		page := strings.TrimSuffix(strings.TrimPrefix(name, "pages/"), ".html")
		for _, h := range hits {
			formFields[page] = append(formFields[page], h.f)
		}
	}
}

// FieldsOf lists a page's form fields in order (for tests and the summary).
func FieldsOf(page string) []FormField { return fieldsOf(page) }

// FieldLabel is the message ID of a field's label on a page, or "".
func FieldLabel(page, field string) string {
	for _, f := range fieldsOf(page) {
		if _, ok := f.names(field); ok {
			return f.Label
		}
	}
	return extraLabels[field]
}

// FieldName is a field's label as the error summary names it, translated:
// a row's field with its row's number ("Data dokumentu 2"); "" without one.
func FieldName(l *Lang, page, field string) string {
	for _, f := range fieldsOf(page) {
		if n, ok := f.names(field); ok {
			if f.Numbered {
				return l.T(f.Label) + " " + strconv.Itoa(n+1)
			}
			return l.T(f.Label)
		}
	}
	if id := extraLabels[field]; id != "" {
		return l.T(id)
	}
	return ""
}

// names reports whether field is this field (or one of its rows, and
// which).
func (f FormField) names(field string) (int, bool) {
	if !f.Row {
		return 0, field == f.Name
	}
	rest, ok := strings.CutPrefix(field, f.Name)
	if !ok || rest == "" {
		return 0, false
	}
	n, err := strconv.Atoi(rest)
	return n, err == nil && n >= 0 && strconv.Itoa(n) == rest
}

// FieldError is one line of a form's error summary.
type FieldError struct {
	Field   string // the input's id, for the link
	Label   string // the field's label, translated ("" when it has none)
	Message string // translated
}

// ErrorList is the page's form problems in the order of the form, each
// named by its field's label.
func (p *Page) ErrorList() []FieldError {
	if len(p.Errors) == 0 {
		return nil
	}
	var out []FieldError
	done := map[string]bool{}
	add := func(field string) {
		msg, ok := p.Errors[field]
		if !ok || done[field] {
			return
		}
		done[field] = true
		e := FieldError{Field: field, Message: p.L.T(msg)}
		if e.Label = FieldName(p.L, p.Name, field); e.Label != "" {
			e.Message = lowerFirst(e.Message)
		}
		out = append(out, e)
	}
	fields := fieldsOf(p.Name)
	for i := 0; i < len(fields); i++ {
		if !fields[i].Row {
			add(fields[i].Name)
			continue
		}
		// The fields of one row, row after row.
		j := i
		for j < len(fields) && fields[j].Row {
			j++
		}
		var rows []int
		for field := range p.Errors {
			for _, f := range fields[i:j] {
				if n, ok := f.names(field); ok && !slices.Contains(rows, n) {
					rows = append(rows, n)
				}
			}
		}
		sort.Ints(rows)
		for _, n := range rows {
			for _, f := range fields[i:j] {
				add(f.Name + strconv.Itoa(n))
			}
		}
		i = j - 1
	}
	var rest []string
	for field := range p.Errors {
		if !done[field] {
			rest = append(rest, field)
		}
	}
	sort.Strings(rest)
	for _, field := range rest {
		add(field)
	}
	return out
}

// lowerFirst writes a message after a field's name: "Nazwisko: tekst jest
// za długi". An acronym ("PESEL …") keeps its capitals.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}
