package store

import (
	"io"
	"strconv"
	"strings"
)

// The monitoring exports: a period's notes, and their actions as of the
// period's end. Like the other files that leave the intranet they speak
// Polish; subjects and owners are named by the caller (as of the period's
// end), which knows the structure.

// NoteColumns are the columns of the notes CSV.
var NoteColumns = []string{"Nr", "Data", "Tytuł", "Kategoria", "Ocena", "Dotyczy", "Tagi", "Autor",
	"Działania otwarte", "Działania po terminie", "Odpowiedzi", "Treść"}

// ActionColumns are the columns of the actions CSV.
var ActionColumns = []string{"Notatka nr", "Data notatki", "Notatka", "Działanie nr", "Działanie", "Odpowiada",
	"Termin", "Stan", "Wykonano", "Komentarz"}

var noteCategoryWords = map[NoteCategory]string{
	CategoryCompliance: "zgodność z przepisami i założeniami projektu",
	CategoryGoal:       "osiąganie celu",
	CategoryChange:     "zmiana organizacyjna",
	CategoryTool:       "narzędzie monitoringu i ewaluacji",
	CategoryOther:      "inne",
}

var assessmentWords = map[Assessment]string{
	OnTrack:     "zgodnie z planem",
	AtRisk:      "zagrożone",
	OffTrack:    "niezgodnie z planem",
	NotAssessed: "bez oceny",
}

// WriteNotesCSV writes notes (with their lines, for the counts of actions
// as of day) in the order given; name names a subject.
func WriteNotesCSV(w io.Writer, notes []Note, report PeriodReport, name func(Subject) string) error {
	cw, err := newCSVWriter(w, NoteColumns)
	if err != nil {
		return err
	}
	for i := range notes {
		n := &notes[i]
		subjects := make([]string, 0, len(n.Subjects))
		for _, s := range n.Subjects {
			subjects = append(subjects, name(s))
		}
		line := NoteLine{ID: n.ID, Title: n.Title, Date: n.Date}
		open, overdue := 0, 0
		for _, f := range n.Actions {
			a := ActionAsOf(f, &line, report.AsOf)
			if a.Open {
				open++
			}
			if a.Overdue {
				overdue++
			}
		}
		_ = cw.Write([]string{strconv.FormatUint(n.ID, 10), csvDate(n.Date), n.Title, noteCategoryWords[n.Category],
			assessmentWords[n.Assessment], strings.Join(subjects, "; "), strings.Join(n.Tags, ", "), n.Author,
			strconv.Itoa(open), strconv.Itoa(overdue), strconv.Itoa(len(n.Thread)), n.Body})
	}
	cw.Flush()
	return cw.Error()
}

// WriteActionsCSV writes actions as of a report's day; owner names an
// action's owner.
func WriteActionsCSV(w io.Writer, actions []ActionLine, owner func(FollowUp) string) error {
	cw, err := newCSVWriter(w, ActionColumns)
	if err != nil {
		return err
	}
	for _, a := range actions {
		state := "wykonane"
		switch {
		case a.Overdue:
			state = "po terminie"
		case a.Open:
			state = "otwarte"
		}
		done, comment := "", ""
		if !a.Open { // what was done later is not part of the period
			done, comment = csvDate(a.DoneOn), a.Comment
		}
		_ = cw.Write([]string{strconv.FormatUint(a.Note, 10), csvDate(a.NoteDate), a.NoteTitle, strconv.Itoa(a.N), a.What,
			owner(a.FollowUp), csvDate(a.Due), state, done, comment})
	}
	cw.Flush()
	return cw.Error()
}

// PeriodActions are every action of the notes dated in the report's
// period that may keeps, as of the report's day, in the order of the
// notes (newest first) and of their numbers.
func PeriodActions(lines []NoteLine, r PeriodReport, may func(*NoteLine) bool) []ActionLine {
	var out []ActionLine
	for i := range lines {
		l := &lines[i]
		if l.Date.Before(r.From) || l.Date.After(r.To) || may != nil && !may(l) {
			continue
		}
		for _, f := range l.Acts {
			out = append(out, ActionAsOf(f, l, r.AsOf))
		}
	}
	return out
}
