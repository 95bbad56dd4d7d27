package store

import (
	"strings"
	"testing"
	"time"
)

// An action is overdue from the day after its due day while it is open,
// never once done.
func TestFollowUpOverdue(t *testing.T) {
	due := pday(2018, 4, 30)
	for _, tc := range []struct {
		today   time.Time
		done    time.Time
		overdue bool
	}{
		{pday(2018, 4, 29), time.Time{}, false},
		{pday(2018, 4, 30), time.Time{}, false}, // the due day itself
		{pday(2018, 5, 1), time.Time{}, true},
		{pday(2018, 5, 1), pday(2018, 5, 1), false},
		{pday(2026, 1, 1), pday(2018, 6, 1), false},
	} {
		if got := (FollowUp{Due: due, DoneOn: tc.done}).Overdue(tc.today); got != tc.overdue {
			t.Errorf("today %s, done %s: overdue %v", tc.today.Format(time.DateOnly), tc.done.Format(time.DateOnly), got)
		}
	}
}

func TestNoteTextValidation(t *testing.T) {
	good := func() NoteText {
		return NoteText{Date: pday(2018, 3, 1), Subjects: []Subject{{Kind: SubjectUnit, ID: 3}, {Kind: SubjectUnit, ID: 3}},
			Category: CategoryChange, Assessment: AtRisk, Title: "  Tytuł ", Tags: []string{"#Kolejki", "kolejki", " ", "Rejony"}}
	}
	n := good()
	if err := n.Validate(); err != nil {
		t.Fatal(err)
	}
	if len(n.Subjects) != 1 || n.Title != "Tytuł" || len(n.Tags) != 2 || n.Tags[0] != "kolejki" || n.Tags[1] != "rejony" {
		t.Fatalf("tidied to %+v", n)
	}
	for name, change := range map[string]func(*NoteText){
		"no subject":      func(n *NoteText) { n.Subjects = nil },
		"bad kind":        func(n *NoteText) { n.Subjects = []Subject{{Kind: "person", ID: 1}} },
		"no title":        func(n *NoteText) { n.Title = " " },
		"no date":         func(n *NoteText) { n.Date = time.Time{} },
		"bad category":    func(n *NoteText) { n.Category = "x" },
		"bad assessment":  func(n *NoteText) { n.Assessment = "great" },
		"too many tags":   func(n *NoteText) { n.Tags = []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k"} },
		"a body too long": func(n *NoteText) { n.Body = strings.Repeat("a", maxNoteBodyLen+1) },
	} {
		n := good()
		change(&n)
		if err := n.Validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// Heads read the notes about the units they head and the units under
// them; nobody else but those who read all.
func TestReaderOf(t *testing.T) {
	r := ReaderOf{Units: map[uint64]bool{5: true}}
	for _, tc := range []struct {
		subjects []Subject
		may      bool
	}{
		{[]Subject{{SubjectUnit, 5}}, true},
		{[]Subject{{SubjectUnit, 6}}, false},
		{[]Subject{{SubjectProject, 5}}, false}, // a project of the same number is no unit
		{[]Subject{{SubjectMilestone, 1}, {SubjectUnit, 5}}, true},
	} {
		if got := r.May(tc.subjects); got != tc.may {
			t.Errorf("%v: %v", tc.subjects, got)
		}
	}
	if (ReaderOf{}).Any() || !(ReaderOf{All: true}).May(nil) {
		t.Fatal("no reader or the reader of all")
	}
}

// An edit keeps the text it replaces with who wrote it and when; actions
// number themselves; a head's answer joins the thread; the read model
// finds the note by a word without its Polish letters.
func TestNoteHistoryActionsAndSearch(t *testing.T) {
	s, clk, _ := openTest(t)
	clk.Add(time.Date(2018, 3, 1, 9, 0, 0, 0, time.UTC).Sub(clk.Now()))
	a := Actor{Login: "specjalistka"}
	u, err := s.SaveUnitState(System, 0, 0, UnitState{From: pday(2017, 9, 1), Name: "Zespół ds. Pracy Socjalnej", Kind: KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	text := NoteText{Date: pday(2018, 2, 12), Subjects: []Subject{{SubjectUnit, u.ID}}, Category: CategoryChange, Assessment: AtRisk,
		Title: "Kolejki w poniedziałki", Body: "Czas oczekiwania **70 minut**."}
	n, err := s.SaveNote(a, 0, text, 0)
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(24 * time.Hour)
	text.Assessment, text.Body = OnTrack, "Po zmianie: 25 minut. Źródło: obserwacja."
	edited, err := s.SaveNote(Actor{Login: "monitoring"}, n.ID, text, n.Version)
	if err != nil {
		t.Fatal(err)
	}
	if len(edited.Earlier) != 1 || edited.Earlier[0].Body != "Czas oczekiwania **70 minut**." || edited.Earlier[0].By != "specjalistka" ||
		edited.Earlier[0].Assessment != AtRisk || edited.EditedBy != "monitoring" {
		t.Fatalf("after the edit: %+v", edited)
	}
	if _, err := s.SaveNote(a, n.ID, text, n.Version); ErrorCode(err) != EConflict {
		t.Fatalf("an edit of an older version: %v", err)
	}
	for _, what := range []string{"Karta informacyjna", "Dyżur"} {
		cur, _ := s.Note(n.ID)
		if err := s.AddFollowUp(a, n.ID, cur.Version, FollowUp{What: what, UnitID: u.ID, Due: pday(2018, 3, 15)}); err != nil {
			t.Fatal(err)
		}
	}
	cur, _ := s.Note(n.ID)
	if err := s.AddFollowUp(a, n.ID, cur.Version, FollowUp{What: "Bez właściciela", Due: pday(2018, 3, 15)}); ErrorCode(err) != EInvalid {
		t.Fatalf("an action without an owner: %v", err)
	}
	if err := s.SetFollowUpDone(a, n.ID, cur.Version, 2, pday(2018, 3, 2), "Zrobione"); err != nil {
		t.Fatal(err)
	}
	cur, _ = s.Note(n.ID)
	if cur.Actions[0].N != 1 || cur.Actions[1].N != 2 || !cur.Actions[1].Done() || cur.OpenActions() != 1 || !cur.Actions[0].Overdue(pday(2018, 3, 16)) {
		t.Fatalf("actions %+v", cur.Actions)
	}
	if err := s.AddReply(Actor{Login: "kierownik"}, n.ID, cur.Version, Reply{Kind: ReplyAnswer, Text: " "}); ErrorCode(err) != EInvalid {
		t.Fatalf("an empty answer: %v", err)
	}
	if err := s.AddReply(Actor{Login: "kierownik"}, n.ID, cur.Version, Reply{Kind: ReplyAcknowledged}); err != nil {
		t.Fatal(err)
	}
	cur, _ = s.Note(n.ID)
	if err := s.AddReply(Actor{Login: "kierownik"}, n.ID, cur.Version, Reply{Kind: ReplyAcknowledged}); ErrorCode(err) != EConflict {
		t.Fatalf("a second acknowledgement: %v", err)
	}
	ix, err := s.Notes()
	if err != nil {
		t.Fatal(err)
	}
	for query, want := range map[string]int{"zrodlo": 1, "ŹRÓDŁO obserwacja": 1, "70 minut": 0, "specjalistka": 1, "nic": 0} {
		if _, total := ix.Find(NoteQuery{Text: query}, 0, 10); total != want {
			t.Errorf("search %q: %d", query, total)
		}
	}
	if _, total := ix.Find(NoteQuery{Overdue: true, Today: pday(2018, 3, 16)}, 0, 10); total != 1 {
		t.Errorf("overdue: %d", total)
	}
	if _, total := ix.Find(NoteQuery{Subject: Subject{SubjectUnit, u.ID + 1}}, 0, 10); total != 0 {
		t.Errorf("another unit: %d", total)
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
}

// A unit a note is about is evidence: it is never deleted; an unused one
// is.
func TestAssessedUnitIsNotDeleted(t *testing.T) {
	s := demoStore(t)
	mk := func(name string) *Unit {
		u, err := s.SaveUnitState(System, 0, 0, UnitState{From: pday(2017, 9, 1), Name: name, Kind: KindTeam})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	assessed, unused := mk("Zespół oceniany"), mk("Zespół pusty")
	if _, err := s.SaveNote(System, 0, NoteText{Date: pday(2018, 3, 1), Subjects: []Subject{{Kind: SubjectUnit, ID: assessed.ID}},
		Category: CategoryChange, Assessment: AtRisk, Title: "Obserwacja"}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUnit(System, assessed.ID, assessed.Version); ErrorCode(err) != EConflict {
		t.Fatalf("deleting an assessed unit: %v", err)
	}
	if err := s.DeleteUnit(System, unused.ID, unused.Version); err != nil {
		t.Fatalf("deleting an unused unit: %v", err)
	}
}
