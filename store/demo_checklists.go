package store

import (
	"fmt"
	"time"
)

// The demo's evaluation checklists: the monitoring specialist built two
// tools in 2018 — how a team works after the new structure (1–5) and
// whether it keeps to the organisational regulations (yes/partly/no) —
// and filled one in for each of the four teams in March and again in
// November. Most teams improved; the social work team got worse, as its
// notes about the districts without a worker say.

type demoChecklist struct {
	title, description string
	scale              ScaleKind
	questions          []string
}

var demoChecklists = []demoChecklist{
	{"Wdrożenie nowej struktury w zespole",
		"Jak zespół pracuje po zmianie struktury z 01.09.2017 r. Wypełnia specjalista ds. monitoringu po obserwacji pracy zespołu i rozmowie z kierownikiem.",
		ScaleFive, []string{
			"Pracownicy znają zakres zadań zespołu określony w regulaminie organizacyjnym.",
			"Podział zadań między pracowników zespołu jest jasny i zapisany.",
			"Procedury przyjęte w listopadzie 2017 r. są stosowane w codziennej pracy.",
			"Obieg dokumentów z innymi zespołami przebiega bez opóźnień.",
			"Współpraca z innymi zespołami ośrodka układa się dobrze.",
			"Klient wie, do kogo zwrócić się w swojej sprawie.",
			"Obciążenie pracą jest rozłożone równomiernie między pracowników.",
			"Kierownik ma informacje potrzebne do planowania pracy zespołu.",
		}},
	{"Zgodność z regulaminem organizacyjnym",
		"Czy zespół działa zgodnie z regulaminem organizacyjnym z 31.07.2017 r. Odpowiedź „częściowo” wymaga komentarza.",
		ScaleYesPartlyNo, []string{
			"Zespół realizuje zadania przypisane mu w regulaminie, bez zadań innych komórek.",
			"Zakresy czynności pracowników są zgodne z regulaminem.",
			"Sprawy są przekazywane właściwym komórkom zgodnie z regulaminem.",
			"Dokumentacja spraw jest prowadzona według obowiązujących wzorów.",
			"Godziny przyjęć klientów są zgodne z regulaminem i podane do wiadomości.",
			"Zastępstwa na czas nieobecności pracowników są wyznaczone.",
		}},
}

type demoFill struct {
	day       string
	team      string // the unit's name in 2018
	checklist int    // in demoChecklists
	answers   []int
	comment   string
}

// In date order, so that the results' IDs follow the dates.
var demoFills = []demoFill{
	{"2018-03-14", noteFirstContact, 0, []int{3, 3, 2, 3, 3, 2, 2, 3},
		"Kolejki w poniedziałki; klienci nie znają nowych adresów zespołów."},
	{"2018-03-15", noteSocialWork, 0, []int{3, 4, 3, 2, 3, 3, 2, 3},
		"Część decyzji o zasiłkach celowych nadal wydają pracownicy socjalni."},
	{"2018-03-21", noteServices, 1, []int{2, 2, 3, 2, 3, 1},
		"Ewidencja usług opiekuńczych przejmowana od Działu Pomocy Środowiskowej; brak zastępstw."},
	{"2018-03-22", noteDecisions, 1, []int{3, 2, 2, 3, 2, 2},
		"Zakresy czynności w trakcie aktualizacji."},
	{"2018-11-19", noteFirstContact, 0, []int{4, 4, 4, 3, 4, 5, 3, 4},
		"Dwa stanowiska w poniedziałki; karta informacyjna przy wejściu."},
	{"2018-11-20", noteSocialWork, 0, []int{3, 2, 3, 2, 3, 2, 2, NotAnswered},
		"Rejony 4 i 7 bez stałego pracownika od października; kierownik na urlopie w dniu oceny."},
	{"2018-11-26", noteServices, 1, []int{3, 3, 3, 3, 3, 2},
		"Zastępstwa wyznaczone; godziny przyjęć do uzupełnienia na stronie."},
	{"2018-11-27", noteDecisions, 1, []int{3, 3, 3, 3, 3, 3}, ""},
}

// seedDemoChecklists writes the demo's checklists and results as the
// specialist made them.
func (s *Store) seedDemoChecklists() error {
	if s.count(bucketChecklists) > 0 {
		return nil
	}
	o, err := s.Org()
	if err != nil {
		return err
	}
	author := Actor{Login: "specjalistka"}
	var ids []uint64
	for _, dc := range demoChecklists {
		c, err := s.SaveChecklist(author, 0, Checklist{Title: dc.title, Description: dc.description, Scale: dc.scale, Questions: dc.questions}, 0)
		if err != nil {
			return fmt.Errorf("demo checklist %q: %w", dc.title, err)
		}
		ids = append(ids, c.ID)
	}
	today := s.Today()
	for _, f := range demoFills {
		when, err := time.Parse(time.DateOnly, f.day)
		if err != nil {
			return err
		}
		if when.After(today) { // the demo seeds on any day: nothing filled in ahead of it
			continue
		}
		var unit uint64
		for i := range o.Units {
			if st, ok := o.Units[i].At(when); ok && st.Name == f.team {
				unit = o.Units[i].ID
			}
		}
		if unit == 0 {
			return fmt.Errorf("demo checklist of %s: no unit %q", f.day, f.team)
		}
		if _, err := s.FillChecklist(author, 0, ChecklistResult{ChecklistID: ids[f.checklist], UnitID: unit, Date: when,
			Answers: f.answers, Comment: f.comment}); err != nil {
			return fmt.Errorf("demo checklist of %s for %s: %w", f.day, f.team, err)
		}
	}
	return nil
}
