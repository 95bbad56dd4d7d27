package store

import (
	"fmt"
	"time"
)

// The demo's monitoring: the project's monitoring specialist (contracted
// 15.01.2018–31.12.2018, seed 002) assesses through 2018 how the four
// teams of the reorganisation work — the first contact desk, the social
// work team, the services team and the team for benefits granted by
// decision — with actions, some done and some left open, and an answer
// of the social work team's head.

type demoNote struct {
	day        string
	team       string // the unit's name in 2018
	category   NoteCategory
	assessment Assessment
	title      string
	body       string
	tags       []string
	actions    []demoAction
	answer     string // the team head's answer, if any
}

type demoAction struct {
	what    string
	due     string
	done    string // "" while open
	comment string
}

const (
	noteFirstContact = "Stanowisko ds. Pierwszego Kontaktu"
	noteSocialWork   = "Zespół ds. Pracy Socjalnej"
	noteServices     = "Zespół ds. Usług"
	noteDecisions    = "Zespół ds. Świadczeń Przyznawanych Decyzją"
)

var demoNotes = []demoNote{
	{"2018-02-12", noteFirstContact, CategoryChange, AtRisk, "Pierwszy kontakt: kolejki w poniedziałki",
		"Obserwacja 5–9 lutego. Stanowisko przyjmuje średnio **38 osób dziennie**, w poniedziałki do 60.\n\n" +
			"- czas oczekiwania w poniedziałek: do 70 minut,\n- brak karty informacyjnej o nowej strukturze,\n- część klientów kierowana wprost do pracowników socjalnych z pominięciem stanowiska.\n\n" +
			"Zmiana wprowadzona, ale obciążenie nierównomierne.", []string{"pierwszy kontakt", "kolejki"},
		[]demoAction{{"Przygotować kartę informacyjną o strukturze i adresach zespołów", "2018-03-15", "2018-03-12", "Karta wyłożona przy wejściu i na stronie."},
			{"Przeanalizować dyżury w poniedziałki (drugie stanowisko)", "2018-04-30", "", ""}}, ""},
	{"2018-03-20", noteSocialWork, CategoryChange, AtRisk, "Zespół ds. pracy socjalnej: rozdzielenie pracy socjalnej od świadczeń",
		"Pracownicy socjalni nadal wydają część decyzji o zasiłkach celowych (ok. 20% czasu). Zgodnie z regulaminem " +
			"z 31.07.2017 r. decyzje należą do Zespołu ds. Świadczeń Przyznawanych Decyzją.\n\nProponuję przegląd spraw w toku do końca kwietnia.",
		[]string{"regulamin", "decyzje"},
		[]demoAction{{"Przekazać sprawy zasiłków celowych do zespołu decyzji", "2018-04-30", "2018-05-07", "Przekazano 46 spraw; 3 pozostają w zespole do zakończenia wywiadów."}},
		"Przekazanie spraw rozpoczęliśmy 9 kwietnia. Prosimy o ujęcie w notatce, że część spraw wymaga jeszcze wywiadu środowiskowego przed przekazaniem."},
	{"2018-04-16", noteDecisions, CategoryCompliance, OnTrack, "Zespół decyzji: terminy wydawania decyzji",
		"Próba 30 decyzji z marca: 28 wydanych w terminie ustawowym, 2 po terminie z przyczyn po stronie wnioskodawcy. " +
			"Procedura administracyjna z listopada 2017 r. jest stosowana.", []string{"procedura administracyjna", "terminy"}, nil, ""},
	{"2018-05-14", noteServices, CategoryChange, OnTrack, "Zespół ds. usług: usługi opiekuńcze po reorganizacji",
		"Zespół przejął ewidencję usług opiekuńczych. Harmonogramy opiekunek aktualne, skargi: 1 (wyjaśniona).", []string{"usługi opiekuńcze"}, nil, ""},
	{"2018-06-18", noteFirstContact, CategoryChange, OnTrack, "Pierwszy kontakt: po wprowadzeniu dyżuru w poniedziałki",
		"Od 4 czerwca w poniedziałki pracują dwa stanowiska. Czas oczekiwania spadł do 25 minut.", []string{"pierwszy kontakt", "kolejki"}, nil, ""},
	{"2018-07-09", noteSocialWork, CategoryGoal, OnTrack, "Praca socjalna: udział w superwizji",
		"Na superwizji pojawia się 26 z 30 zaplanowanych osób. Pracownicy oceniają spotkania jako przydatne (ankieta, 21 odpowiedzi).",
		[]string{"superwizja", "ankieta"}, nil, ""},
	{"2018-09-17", noteDecisions, CategoryCompliance, AtRisk, "Zespół decyzji: zaległości po urlopach",
		"W sierpniu wpłynęło 212 wniosków; 41 czeka dłużej niż 20 dni. Dwie osoby na zwolnieniu lekarskim.",
		[]string{"terminy", "kadry"},
		[]demoAction{{"Ustalić zastępstwa na czas nieobecności", "2018-10-05", "2018-10-01", "Zastępstwa z Zespołu Realizacji Świadczeń."},
			{"Raport zaległości co dwa tygodnie do końca roku", "2018-12-31", "", ""}}, ""},
	{"2018-10-22", noteServices, CategoryTool, NotAssessed, "Narzędzie: ankieta satysfakcji klientów usług",
		"Opracowano ankietę (10 pytań, skala 1–5) dla klientów usług opiekuńczych. Pilotaż w listopadzie na 20 osobach.",
		[]string{"ankieta", "narzędzie"},
		[]demoAction{{"Przeprowadzić pilotaż ankiety", "2018-11-30", "", ""}}, ""},
	{"2018-11-26", noteSocialWork, CategoryChange, OffTrack, "Praca socjalna: rejonizacja nie działa w dwóch rejonach",
		"W rejonach 4 i 7 brak stałego pracownika od października; sprawy rozdzielane doraźnie. Klienci nie znają swojego pracownika.",
		[]string{"rejonizacja"},
		[]demoAction{{"Wskazać pracowników dla rejonów 4 i 7", "2018-12-14", "", ""}}, ""},
	{"2018-12-17", noteFirstContact, CategoryGoal, OnTrack, "Pierwszy kontakt: podsumowanie roku",
		"Stanowisko działa zgodnie z założeniami projektu. Średni czas oczekiwania: 18 minut. Rekomendacja: utrzymać dwa stanowiska w poniedziałki.",
		[]string{"pierwszy kontakt", "podsumowanie"}, nil, ""},
}

// seedDemoMonitoring writes the demo's notes as the specialist wrote them.
func (s *Store) seedDemoMonitoring() error {
	if s.count(bucketNotes) > 0 {
		return nil
	}
	o, err := s.Org()
	if err != nil {
		return err
	}
	day := func(v string) time.Time {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			panic(err) // the table above
		}
		return t
	}
	author := Actor{Login: "specjalistka"}
	today := s.Today()
	for _, dn := range demoNotes {
		when := day(dn.day)
		if when.After(today) { // the demo seeds on any day: nothing written ahead of it
			continue
		}
		var unit uint64
		var head uint64
		for i := range o.Units {
			if st, ok := o.Units[i].At(when); ok && st.Name == dn.team {
				unit, head = o.Units[i].ID, st.HeadID
			}
		}
		if unit == 0 {
			return fmt.Errorf("demo note %q: no unit %q", dn.title, dn.team)
		}
		n, err := s.SaveNote(author, 0, NoteText{Date: when, Subjects: []Subject{{Kind: SubjectUnit, ID: unit}}, Category: dn.category,
			Assessment: dn.assessment, Title: dn.title, Body: dn.body, Tags: dn.tags}, 0)
		if err != nil {
			return fmt.Errorf("demo note %q: %w", dn.title, err)
		}
		for _, da := range dn.actions {
			if err := s.AddFollowUp(author, n.ID, 0, FollowUp{What: da.what, UnitID: unit, Due: day(da.due)}); err != nil {
				return fmt.Errorf("demo note %q: action: %w", dn.title, err)
			}
		}
		for i, da := range dn.actions {
			if da.done != "" && !day(da.done).After(today) {
				if err := s.SetFollowUpDone(author, n.ID, 0, i+1, day(da.done), da.comment); err != nil {
					return fmt.Errorf("demo note %q: action done: %w", dn.title, err)
				}
			}
		}
		if dn.answer != "" {
			if err := s.AddReply(Actor{Login: "kierownik"}, n.ID, 0, Reply{Kind: ReplyAnswer, Text: dn.answer, PersonID: head}); err != nil {
				return fmt.Errorf("demo note %q: answer: %w", dn.title, err)
			}
		}
	}
	return nil
}
