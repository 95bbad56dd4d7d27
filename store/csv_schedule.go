package store

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The schedule travels as CSV both ways: an export that a spreadsheet opens
// and a file typed by hand from a contract's timetable. The parser here reads
// only the syntax; which course, trainer or location a name means is decided
// by the caller, who knows the records.

// ScheduleColumns are the schedule CSV's columns, in order: the export
// writes them, the import reads them (by name, in any order,
// case-insensitive; the Polish names Data, Od, Do, Rodzaj, Kurs, Część,
// Prowadzący, Miejsce, Grupa, Jednostki are accepted too, also without
// Polish letters).
var ScheduleColumns = []string{"date", "start", "end", "kind", "course", "part", "trainer", "location", "group", "units"}

// scheduleHeaders maps a folded header cell to its column: people who type
// the file by hand write the Polish names, often without Polish letters.
var scheduleHeaders = func() map[string]string {
	m := map[string]string{"data": "date", "od": "start", "do": "end", "rodzaj": "kind", "kurs": "course",
		"czesc": "part", "prowadzacy": "trainer", "miejsce": "location", "grupa": "group", "jednostki": "units"}
	for _, c := range ScheduleColumns {
		m[c] = c
	}
	return m
}()

// scheduleTextLimits bound the free-text columns as the records they become
// are bounded, so that a row the preview accepts also saves.
var scheduleTextLimits = []struct {
	column string
	max    int
}{{"course", 200}, {"part", 60}, {"trainer", 200}, {"location", 200}, {"group", 60}}

// maxScheduleUnits is as many lesson hours as a day holds, the most
// Session.Validate accepts.
const maxScheduleUnits = 24 * 60 / 45

// ScheduleRow is one data row of a schedule CSV.
type ScheduleRow struct {
	Line       int       // the line in the file (the header is line 1)
	Date       time.Time // midnight UTC
	Start, End int       // minutes since midnight (wall clock, Europe/Warsaw)
	Kind       CourseKind

	// As written: trimmed, CleanText'ed, undefused.
	Course, Part, Trainer, Location, Group string

	Units int // 0: the default for the slot
	// Column (the English name) → message ID; empty when the row is good.
	Errors map[string]string
}

// ParseScheduleCSV reads a whole schedule CSV. File-level problems (empty
// file, missing required column date/start/end/course, a column named
// twice, not CSV, more than MaxImportRows rows) are an *Error with code
// EInvalid; row problems go into each row's Errors and never stop the parse,
// so that the preview lists every mistake at once.
func ParseScheduleCSV(r io.Reader) ([]ScheduleRow, error) {
	br := bufio.NewReader(r)
	// Dropped before the CSV reader sees it: a BOM in front of a quoted
	// first header would make the quote a bare one.
	if bom, _ := br.Peek(len(csvBOM)); string(bom) == csvBOM {
		_, _ = br.Discard(len(csvBOM))
	}
	head, _ := br.Peek(4096)
	firstLine, _, _ := bytes.Cut(head, []byte("\n"))
	cr := csv.NewReader(br)
	if bytes.Count(firstLine, []byte(";")) >= bytes.Count(firstLine, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	// Hand-typed files put a space after the separator, also before a
	// quoted cell, which strict quoting would otherwise refuse.
	cr.TrimLeadingSpace = true
	header, err := cr.Read()
	if err == io.EOF {
		return nil, Errorf(EInvalid, "import.error_empty")
	}
	if err != nil {
		return nil, fmt.Errorf("%v: %w", err, Errorf(EInvalid, "import.error_syntax"))
	}
	col := map[string]int{}
	for i, h := range header {
		name, ok := scheduleHeaders[Fold(strings.TrimSpace(CleanText(h)))]
		if !ok {
			continue // a column of the user's own ("Lp.", notes) is no mistake
		}
		if _, twice := col[name]; twice {
			// Either copy could be the one meant; guessing would import the other.
			return nil, Errorf(EInvalid, "import.error_column_twice")
		}
		col[name] = i
	}
	for _, need := range []string{"date", "start", "end", "course"} {
		if _, ok := col[need]; !ok {
			return nil, Errorf(EInvalid, "import.error_schedule_header")
		}
	}
	var rows []ScheduleRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%v: %w", err, Errorf(EInvalid, "import.error_syntax"))
		}
		if blankRecord(rec) {
			continue
		}
		if len(rows) == MaxImportRows {
			return nil, Errorf(EInvalid, "import.error_too_many")
		}
		line, _ := cr.FieldPos(0)
		rows = append(rows, parseScheduleRecord(rec, col, line))
	}
	if len(rows) == 0 {
		return nil, Errorf(EInvalid, "import.error_empty")
	}
	return rows, nil
}

// blankRecord is a row a spreadsheet leaves behind: only separators.
func blankRecord(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(CleanText(c)) != "" {
			return false
		}
	}
	return true
}

// scheduleCell reads one cell as the row keeps it. The apostrophe an export
// puts before a formula-like cell is dropped, but not when that would leave
// the text starting with a blank: an export never writes that (its cells are
// trimmed), so the apostrophe was the user's.
func scheduleCell(rec []string, col map[string]int, name string) string {
	i, ok := col[name]
	if !ok || i >= len(rec) {
		return ""
	}
	v := strings.TrimSpace(CleanText(rec[i]))
	if u := undefuse(v); strings.TrimLeftFunc(u, unicode.IsSpace) == u {
		v = u
	}
	return v
}

func parseScheduleRecord(rec []string, col map[string]int, line int) ScheduleRow {
	get := func(name string) string { return scheduleCell(rec, col, name) }
	row := ScheduleRow{Line: line, Errors: map[string]string{},
		Course: get("course"), Part: get("part"), Trainer: get("trainer"), Location: get("location"), Group: get("group")}
	fail := func(column, id string) {
		if _, ok := row.Errors[column]; !ok {
			row.Errors[column] = id
		}
	}

	if s := get("date"); s == "" {
		fail("date", "error.date_required")
	} else {
		switch t, st := parsePolishDate(s); st {
		case dateOK:
			row.Date = t
		case dateNonexistent:
			fail("date", "error.date_nonexistent")
		default:
			fail("date", "error.date")
		}
	}

	start, startOK := clockCell(get("start"), "start", fail)
	end, endOK := clockCell(get("end"), "end", fail)
	if startOK && start == 24*60 {
		fail("start", "error.clock") // 24:00 only ends a day
		startOK = false
	}
	if startOK && endOK {
		row.Start, row.End = start, end
		// Each end is checked alone, so that the message points at the
		// column with the time that is skipped or repeated.
		switch {
		case end <= start: // across midnight too: a session lies within one day
			fail("end", "error.end_before_start")
		case row.Date.IsZero(): // reported already
		case !wallClockExists(row.Date, start, start):
			fail("start", "error.clock_dst")
		case !wallClockExists(row.Date, end, end):
			fail("end", "error.clock_dst")
		}
	}

	if s := get("kind"); s != "" {
		if k, ok := courseKindWords[Fold(s)]; ok {
			row.Kind = k
		} else {
			fail("kind", "import.error_course_kind")
		}
	}

	if row.Course == "" {
		fail("course", "error.required")
	}
	texts := map[string]string{"course": row.Course, "part": row.Part, "trainer": row.Trainer, "location": row.Location, "group": row.Group}
	for _, l := range scheduleTextLimits {
		if utf8.RuneCountInString(texts[l.column]) > l.max {
			fail(l.column, WithMax("error.too_long", l.max))
		}
	}

	if s := get("units"); s != "" {
		n, err := strconv.Atoi(s)
		if !asciiDigits(s) || err != nil || n < 1 || n > maxScheduleUnits {
			fail("units", WithMax("import.error_units", maxScheduleUnits))
		} else {
			row.Units = n
		}
	}
	return row
}

// clockCell reads a required time of day, reporting a problem under column.
func clockCell(s, column string, fail func(column, id string)) (int, bool) {
	if s == "" {
		fail(column, "error.required")
		return 0, false
	}
	m, ok := ParsePolishClock(s)
	if !ok {
		fail(column, "error.clock")
	}
	return m, ok
}

// asciiDigits refuses what strconv.Atoi would take but a count is not
// written with: a sign.
func asciiDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// courseKindWords are the kinds as files name them: the stored keys, and the
// Polish words of timetables (folded, so any case and without Polish letters).
var courseKindWords = map[string]CourseKind{
	"training": CourseTraining, "workshop": CourseWorkshop, "supervision": CourseSupervision,
	"szkolenie": CourseTraining, "warsztat": CourseWorkshop, "warsztaty": CourseWorkshop, "superwizja": CourseSupervision,
}

type dateStatus int

const (
	dateBad dateStatus = iota // not a date at all
	dateOK
	dateNonexistent // well written, but the month has no such day
)

// ParsePolishDate reads a date as Polish people write it: 25.02.2019,
// 5.2.2019, 2019-02-25, "25 lutego 2019", "25 luty 2019", "25 II 2019"
// (Roman month), month names with or without Polish letters, any case,
// surrounding spaces, "r." after the year; years 1900..2200; a date that
// does not exist (31.02.2019) is refused. The day is midnight UTC.
func ParsePolishDate(s string) (time.Time, bool) {
	t, st := parsePolishDate(s)
	return t, st == dateOK
}

var (
	dottedDate = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})$`)
	isoDate    = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	// "25 lutego 2019", "25.II.2019", "25 lut. 2019": a word between the
	// numbers, after a space or a dot.
	wordDate = regexp.MustCompile(`^(\d{1,2})(?:\. ?| )([a-z]+)(?:\. ?| )(\d{4})$`)
	// "r." (roku) after the year, as in letters and contracts.
	yearSuffix = regexp.MustCompile(`(\d) ?(?:r\.?|roku)$`)
)

// monthWords are the folded names of the months: genitive (the usual form
// in a date), nominative (also common), three-letter abbreviations, and
// Roman numerals.
var monthWords = func() map[string]time.Month {
	m := map[string]time.Month{}
	for i, names := range [12][]string{
		{"stycznia", "styczen", "sty", "i"},
		{"lutego", "luty", "lut", "ii"},
		{"marca", "marzec", "mar", "iii"},
		{"kwietnia", "kwiecien", "kwi", "iv"},
		{"maja", "maj", "v"},
		{"czerwca", "czerwiec", "cze", "vi"},
		{"lipca", "lipiec", "lip", "vii"},
		{"sierpnia", "sierpien", "sie", "viii"},
		{"wrzesnia", "wrzesien", "wrz", "ix"},
		{"pazdziernika", "pazdziernik", "paz", "x"},
		{"listopada", "listopad", "lis", "xi"},
		{"grudnia", "grudzien", "gru", "xii"},
	} {
		for _, n := range names {
			m[n] = time.Month(i + 1)
		}
	}
	return m
}()

func parsePolishDate(s string) (time.Time, dateStatus) {
	if len(s) > 64 { // no date is written this long; keeps Fold cheap
		return time.Time{}, dateBad
	}
	// Spaces of any kind (a no-break space from a word processor) count as one.
	s = strings.Join(strings.Fields(Fold(s)), " ")
	s = yearSuffix.ReplaceAllString(s, "$1")
	var d, m, y string
	var month time.Month
	if p := dottedDate.FindStringSubmatch(s); p != nil {
		d, m, y = p[1], p[2], p[3]
	} else if p := isoDate.FindStringSubmatch(s); p != nil {
		y, m, d = p[1], p[2], p[3]
	} else if p := wordDate.FindStringSubmatch(s); p != nil {
		var ok bool
		if month, ok = monthWords[p[2]]; !ok {
			return time.Time{}, dateBad
		}
		d, y = p[1], p[3]
	} else {
		return time.Time{}, dateBad
	}
	day, _ := strconv.Atoi(d)
	year, _ := strconv.Atoi(y)
	if m != "" {
		n, _ := strconv.Atoi(m)
		month = time.Month(n)
	}
	if year < 1900 || year > 2200 || month < 1 || month > 12 || day < 1 || day > 31 {
		return time.Time{}, dateBad
	}
	t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day { // normalised into the next month
		return time.Time{}, dateNonexistent
	}
	return t, dateOK
}

// clockPattern: 8, 8.00, 08:00, 0800, 08:00:00 (a spreadsheet's time cell),
// with "godz." before or "h" after.
var clockPattern = regexp.MustCompile(`^(?:godz\.? ?)?(?:(\d{1,2})(?:[.:](\d{2})(?::00)?)?|(\d{2})(\d{2}))(?: ?h| ?godz\.?)?$`)

// ParsePolishClock reads a time of day: 8.00, 08:00, 8:00, 8, "8.00 h",
// 24:00 (end of day) allowed; minutes 00-59; returns minutes since midnight.
func ParsePolishClock(s string) (int, bool) {
	if len(s) > 32 {
		return 0, false
	}
	p := clockPattern.FindStringSubmatch(strings.Join(strings.Fields(Fold(s)), " "))
	if p == nil {
		return 0, false
	}
	hs, ms := p[1], p[2]
	if hs == "" {
		hs, ms = p[3], p[4]
	}
	h, _ := strconv.Atoi(hs)
	m := 0
	if ms != "" {
		m, _ = strconv.Atoi(ms)
	}
	if h > 24 || m > 59 || (h == 24 && m != 0) {
		return 0, false
	}
	return h*60 + m, true
}

// scheduleDate is how the schedule's files write a day: the Polish way,
// which the import reads back.
func scheduleDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("02.01.2006")
}

// WriteScheduleCSV writes rows in the import's format (BOM, semicolons,
// formula-safe cells), dates as 25.02.2019, times as 09:00, kind as its
// English key, units empty when 0, so that an export re-imports.
func WriteScheduleCSV(w io.Writer, rows []ScheduleRow) error {
	cw, err := newCSVWriter(w, ScheduleColumns)
	if err != nil {
		return err
	}
	for _, r := range rows {
		units := ""
		if r.Units != 0 {
			units = strconv.Itoa(r.Units)
		}
		_ = cw.Write([]string{scheduleDate(r.Date), Clock(r.Start), Clock(r.End), string(r.Kind),
			r.Course, r.Part, r.Trainer, r.Location, r.Group, units})
	}
	cw.Flush()
	return cw.Error()
}

// AttendanceColumns are the columns of the attendance CSV: one row per
// participant of a session.
var AttendanceColumns = []string{"date", "start", "end", "course", "part", "group", "last_name", "first_name", "unit", "presence", "units"}

// AttendanceRow is one participant of one session.
type AttendanceRow struct {
	Date       time.Time
	Start, End int

	Course, Part, Group, LastName, FirstName, Unit, Presence string

	Units int // units attended (0 written as 0)
}

// WriteAttendanceCSV writes attendance rows with the schedule's dates and
// times, so that both files sort and filter alike in a spreadsheet.
func WriteAttendanceCSV(w io.Writer, rows []AttendanceRow) error {
	cw, err := newCSVWriter(w, AttendanceColumns)
	if err != nil {
		return err
	}
	for _, r := range rows {
		_ = cw.Write([]string{scheduleDate(r.Date), Clock(r.Start), Clock(r.End), r.Course, r.Part, r.Group,
			r.LastName, r.FirstName, r.Unit, r.Presence, strconv.Itoa(r.Units)})
	}
	cw.Flush()
	return cw.Error()
}
