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
)

// CSV files use semicolons (what spreadsheets in Polish settings expect)
// and start with a UTF-8 byte order mark; imports accept commas too.

const csvBOM = "\ufeff"

// StaffColumns are the columns of the staff CSV, export and import alike:
// a person with their main assignment (in force on the file's day) and the
// day it took effect. The whole history is in the assignments file.
var StaffColumns = []string{"last_name", "first_name", "job_title", "unit", "category", "field_worker", "assignment_from",
	"location", "room", "phones", "email", "employed_from", "employed_to"}

// AssignmentColumns are the columns of the assignments CSV: one row per
// assignment of every person, the history included.
var AssignmentColumns = []string{"person_id", "last_name", "first_name", "unit_id", "unit", "job_title", "category",
	"field_worker", "primary", "from", "to"}

// csvWriter writes rows that a spreadsheet shows as text: a cell that
// starts like a formula (=, +, -, @) gets an apostrophe in front, so that
// a room number typed as "=HYPERLINK(…)" or a name "-2-3" cannot become a
// formula when the file is opened. Only the phone columns may start with
// "+" as they are, and only when they hold phone numbers without a "-"
// (which a spreadsheet would subtract: "+48-32-1" is -1).
type csvWriter struct {
	*csv.Writer
	phoneCol map[int]bool
}

// newCSVWriter starts a file with its header row; a column named "phones"
// is a phone column.
func newCSVWriter(w io.Writer, header []string) (*csvWriter, error) {
	if _, err := io.WriteString(w, csvBOM); err != nil {
		return nil, err
	}
	cw := &csvWriter{Writer: csv.NewWriter(w), phoneCol: map[int]bool{}}
	cw.Comma = ';'
	for i, h := range header {
		cw.phoneCol[i] = h == "phones"
	}
	return cw, cw.Writer.Write(header)
}

func (w *csvWriter) Write(row []string) error {
	out := make([]string, len(row))
	for i, cell := range row {
		out[i] = defuse(cell, w.phoneCol[i])
	}
	return w.Writer.Write(out)
}

func defuse(cell string, phones bool) string {
	if cell == "" || !strings.ContainsRune("=+-@\t\r", rune(cell[0])) || (phones && phoneList.MatchString(cell) && !strings.Contains(cell, "-")) {
		return cell
	}
	return "'" + cell
}

// undefuse reverses defuse on import.
func undefuse(cell string) string {
	if len(cell) > 1 && cell[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(cell[1])) {
		return cell[1:]
	}
	return cell
}

var phoneList = regexp.MustCompile(`^\+?[0-9 ()-]+(, \+?[0-9 ()-]+)*$`)

func csvDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2006-01-02")
}

func yesNo(b bool) string {
	if b {
		return "tak"
	}
	return "nie"
}

// names maps units and locations to the names used in CSV files.
type names struct {
	units     map[uint64]string
	locations map[uint64]string
}

func namesOf(units []Unit, locations []Location, day time.Time) names {
	n := names{units: map[uint64]string{}, locations: map[uint64]string{}}
	for _, u := range units {
		st, ok := u.At(day)
		if !ok {
			st = u.Current()
		}
		n.units[u.ID] = st.Name
	}
	for _, l := range locations {
		n.locations[l.ID] = l.Name
	}
	return n
}

// WriteStaffCSV writes every person, former ones included, with the
// assignment shown for them on day.
func WriteStaffCSV(w io.Writer, o *Org, day time.Time) error {
	cw, err := newCSVWriter(w, StaffColumns)
	if err != nil {
		return err
	}
	for i := range o.People { // in Polish order already
		p := &o.People[i]
		var post Post
		if posts := o.Posts(p, day); len(posts) > 0 {
			post = posts[0]
		}
		_ = cw.Write([]string{p.LastName, p.FirstName, post.Position, post.Unit, post.Category, yesNo(post.FieldWork), csvDate(post.From),
			o.locationName(p.LocationID), p.Room, strings.Join(p.Phones, ", "), p.Email, csvDate(p.EmployedFrom), csvDate(p.EmployedTo)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteAssignmentsCSV writes every assignment of every person, each unit
// named as it was on the assignment's last day (or today's for one that
// lasts).
func WriteAssignmentsCSV(w io.Writer, o *Org) error {
	cw, err := newCSVWriter(w, AssignmentColumns)
	if err != nil {
		return err
	}
	for i := range o.People {
		p := &o.People[i]
		for _, post := range o.History(p) {
			_ = cw.Write([]string{strconv.FormatUint(p.ID, 10), p.LastName, p.FirstName, strconv.FormatUint(post.UnitID, 10), post.Unit,
				post.Position, post.Category, yesNo(post.FieldWork), yesNo(post.Primary), csvDate(post.From), csvDate(post.To)})
		}
	}
	cw.Flush()
	return cw.Error()
}

func (o *Org) locationName(id uint64) string {
	if l := o.LocationByID[id]; l != nil {
		return l.Name
	}
	return ""
}

// WriteUnitsCSV writes one row per state of every unit, so that the history
// travels with the structure.
func WriteUnitsCSV(w io.Writer, units []Unit, people []Staff, locations []Location) error {
	cw, err := newCSVWriter(w, []string{"id", "valid_from", "valid_until", "name", "kind", "parent_id", "parent", "locations", "phones", "email", "head", "duties"})
	if err != nil {
		return err
	}
	n := namesOf(units, locations, time.Time{})
	heads := map[uint64]string{}
	for _, p := range people {
		heads[p.ID] = p.FullName()
	}
	for _, u := range units {
		for i, st := range u.States {
			until := u.Until
			if i+1 < len(u.States) {
				until = u.States[i+1].From
			}
			var locs []string
			for _, id := range st.Locations {
				locs = append(locs, n.locations[id])
			}
			parent := ""
			if st.ParentID != 0 {
				parent = strconv.FormatUint(st.ParentID, 10)
			}
			_ = cw.Write([]string{strconv.FormatUint(u.ID, 10), csvDate(st.From), csvDate(until), st.Name, string(st.Kind), parent,
				n.units[st.ParentID], strings.Join(locs, " | "), strings.Join(st.Phones, ", "), st.Email, heads[st.HeadID], st.Duties})
		}
	}
	cw.Flush()
	return cw.Error()
}

// WriteLocationsCSV writes every location with its weekly hours.
func WriteLocationsCSV(w io.Writer, locations []Location) error {
	cw, err := newCSVWriter(w, []string{"id", "name", "street", "postal_code", "city", "phones", "mon", "tue", "wed", "thu", "fri", "sat", "sun",
		"notes", "accessibility", "archived"})
	if err != nil {
		return err
	}
	for _, l := range locations {
		row := []string{strconv.FormatUint(l.ID, 10), l.Name, l.Street, l.PostalCode, l.City, strings.Join(l.Phones, ", ")}
		row = append(row, l.Hours[:]...)
		row = append(row, l.Notes, l.Accessibility, yesNo(l.Archived))
		_ = cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

// ImportRow is one data row of a staff import: the person it describes or
// the problems found, per column.
type ImportRow struct {
	Line   int
	Person Staff
	Errors map[string]string // column → message ID
}

// MaxImportRows bounds one import.
const MaxImportRows = 5000

// ParseStaffCSV reads a staff CSV (the export's format) and resolves units
// and locations by name, ignoring case and diacritics. It reads the whole
// file and reports every problem; nothing is stored here. A row naming a
// person already in the unit (among existing people, or earlier in the
// file) is reported: an import adds people, it does not update them.
//
// Each person gets one assignment: the row's unit, job title, category and
// field work, from the assignment_from column (the day it took effect) or,
// without it, from the start of employment.
func ParseStaffCSV(r io.Reader, o *Org, day time.Time) ([]ImportRow, error) {
	br := bufio.NewReader(r)
	head, _ := br.Peek(4096)
	head = bytes.TrimPrefix(head, []byte(csvBOM))
	cr := csv.NewReader(br)
	firstLine, _, _ := bytes.Cut(head, []byte("\n"))
	if bytes.Count(firstLine, []byte(";")) >= bytes.Count(firstLine, []byte(",")) {
		cr.Comma = ';'
	}
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, Errorf(EInvalid, "import.error_empty")
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, csvBOM)))] = i
	}
	for _, need := range []string{"last_name", "first_name", "job_title", "unit"} {
		if _, ok := col[need]; !ok {
			return nil, Errorf(EInvalid, "import.error_header")
		}
	}
	const ambiguous = ^uint64(0)
	unitByName := map[string]uint64{}
	for _, u := range o.Units {
		if st, ok := u.At(day); ok {
			if _, twice := unitByName[Fold(st.Name)]; twice {
				unitByName[Fold(st.Name)] = ambiguous
			} else {
				unitByName[Fold(st.Name)] = u.ID
			}
		}
	}
	seen := map[string]bool{}
	personKey := func(p Staff, unitID uint64) string {
		return Fold(p.FirstName + " " + p.LastName + "\x00" + strconv.FormatUint(unitID, 10))
	}
	for i := range o.People {
		for _, a := range o.People[i].Assignments {
			seen[personKey(o.People[i], a.UnitID)] = true
		}
	}
	locByName := map[string]uint64{}
	for _, l := range o.Locations {
		locByName[Fold(l.Name)] = l.ID
	}
	catByName := map[string]*JobCategory{}
	for i := range o.Categories {
		catByName[Fold(o.Categories[i].Name)] = &o.Categories[i]
	}
	var rows []ImportRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%v: %w", err, Errorf(EInvalid, "import.error_syntax"))
		}
		line, _ := cr.FieldPos(0)
		if len(rows) == MaxImportRows {
			return nil, Errorf(EInvalid, "import.error_too_many")
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(rec) {
				return undefuse(strings.TrimSpace(rec[i]))
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		row := ImportRow{Line: line, Errors: map[string]string{}}
		p := Staff{LastName: get("last_name"), FirstName: get("first_name"),
			Room: get("room"), Email: get("email"), Phones: ParsePhones(get("phones"))}
		a := Assignment{ID: 1, Position: get("job_title"), Primary: true}
		if name := get("unit"); name != "" {
			switch a.UnitID = unitByName[Fold(name)]; a.UnitID {
			case 0:
				row.Errors["unit"] = "import.error_unit"
			case ambiguous:
				a.UnitID = 0
				row.Errors["unit"] = "import.error_unit_ambiguous"
			}
		}
		if name := get("category"); name != "" {
			switch c := catByName[Fold(name)]; {
			case c == nil:
				row.Errors["category"] = "import.error_category"
			case c.Archived:
				row.Errors["category"] = "error.category_archived"
			default:
				a.CategoryID, a.FieldWork = c.ID, c.FieldWork
			}
		}
		if name := get("location"); name != "" {
			if p.LocationID = locByName[Fold(name)]; p.LocationID == 0 {
				row.Errors["location"] = "import.error_location"
			}
		}
		switch Fold(get("field_worker")) {
		case "": // as the category says
		case "nie", "no", "0", "false", "n":
			a.FieldWork = false
		case "tak", "yes", "1", "true", "t", "y":
			a.FieldWork = true
		default:
			row.Errors["field_worker"] = "import.error_yes_no"
		}
		for _, dc := range []struct {
			name string
			dst  *time.Time
		}{{"employed_from", &p.EmployedFrom}, {"employed_to", &p.EmployedTo}, {"assignment_from", &a.From}} {
			if s := get(dc.name); s != "" {
				t, ok := parseCSVDate(s)
				if !ok {
					row.Errors[dc.name] = "error.date"
				}
				*dc.dst = t
			}
		}
		if a.From.IsZero() { // from the start of employment, or of the unit if later
			a.From = p.EmployedFrom
			if u := o.UnitByID[a.UnitID]; u != nil && a.From.Before(u.Since()) {
				a.From = u.Since()
			}
		}
		p.Assignments = []Assignment{a}
		// The same rules as the import itself will check, so that a row the
		// preview accepts is never refused on saving.
		var v ValidationError
		if err := p.Validate(); err != nil {
			v = *err.(*ValidationError)
		}
		p.checkAssignmentUnits(func(id uint64) *Unit { return o.UnitByID[id] }, &v)
		if err := v.Err(); err != nil {
			for field, msg := range err.(*ValidationError).Fields {
				switch field { // the form's names for the assignment, the file's for the row
				case "position":
					field = "job_title"
				case "from":
					field = "assignment_from"
				case "to", "primary", "assignment":
					field = "assignment_from"
				}
				if field == "unit" && row.Errors["unit"] != "" {
					continue
				}
				if _, ok := row.Errors[field]; !ok {
					row.Errors[field] = msg
				}
			}
		}
		if a.UnitID != 0 && p.LastName != "" {
			if seen[personKey(p, a.UnitID)] {
				row.Errors["last_name"] = "import.error_exists"
			}
			seen[personKey(p, a.UnitID)] = true
		}
		row.Person = p
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return nil, Errorf(EInvalid, "import.error_empty")
	}
	return rows, nil
}

func parseCSVDate(s string) (time.Time, bool) {
	for _, layout := range []string{"2006-01-02", "02.01.2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil && t.Year() >= 1900 && t.Year() <= 2200 {
			return t, true
		}
	}
	return time.Time{}, false
}

// AuditColumns are the columns of the audit log export: one row per
// changed field, with the stored (English) keys.
var AuditColumns = []string{"id", "at", "actor", "ip", "entity", "entity_id", "action", "field", "old", "new"}

// WriteAuditCSV writes audit entries as they are stored.
func WriteAuditCSV(w io.Writer, entries []AuditEntry) error {
	cw, err := newCSVWriter(w, AuditColumns)
	if err != nil {
		return err
	}
	for _, e := range entries {
		row := []string{strconv.FormatUint(e.ID, 10), e.At.UTC().Format(time.RFC3339), e.Actor, e.IP, e.Entity,
			strconv.FormatUint(e.EntityID, 10), e.Action, "", "", ""}
		if len(e.Changes) == 0 {
			_ = cw.Write(row)
		}
		for _, c := range e.Changes {
			row[7], row[8], row[9] = c.Field, c.Old, c.New
			_ = cw.Write(row)
		}
	}
	cw.Flush()
	return cw.Error()
}
