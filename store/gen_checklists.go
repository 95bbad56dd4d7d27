package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The generator's evaluation checklists: four tools, and 100 results a
// scale step over the last three years, each for a team or a position
// that exists on its day. Written as records with their indexes, not
// through the audited helpers: the audit log keeps its 5,000 entries a
// step.

var genChecklists = []Checklist{
	{Title: "Wdrożenie nowej struktury (syntetyczna)", Scale: ScaleFive, Questions: []string{
		"Pracownicy znają zakres zadań zespołu.", "Procedury są stosowane.", "Obieg dokumentów przebiega sprawnie.",
		"Współpraca z innymi zespołami układa się dobrze.", "Klient wie, do kogo się zwrócić.", "Obciążenie pracą jest równomierne."}},
	{Title: "Zgodność z regulaminem (syntetyczna)", Scale: ScaleYesPartlyNo, Questions: []string{
		"Zadania zgodne z regulaminem.", "Zakresy czynności aktualne.", "Sprawy przekazywane właściwym komórkom.",
		"Dokumentacja według wzorów.", "Zastępstwa wyznaczone."}},
	{Title: "Obsługa klienta (syntetyczna)", Scale: ScaleFive, Questions: []string{
		"Czas oczekiwania jest akceptowalny.", "Informacja o godzinach przyjęć jest dostępna.", "Klient otrzymuje pisemną informację o sprawie.",
		"Skargi są rozpatrywane w terminie."}},
	{Title: "Dokumentacja spraw (syntetyczna)", Scale: ScaleYesPartlyNo, Questions: []string{
		"Wywiady aktualne.", "Decyzje w aktach.", "Plany pomocy podpisane.", "Notatki z wizyt kompletne.", "Archiwizacja na bieżąco.",
		"Dane osobowe zabezpieczone.", "Korespondencja ewidencjonowana."}},
}

func (s *Store) genChecklists(tx *bolt.Tx, g *gen) error {
	units, err := all[Unit](tx, kindUnit)
	if err != nil {
		return err
	}
	var teams []*Unit
	today := Day(s.now())
	for i := range units {
		if st, ok := units[i].At(today); ok && (st.Kind == KindTeam || st.Kind == KindPosition) {
			teams = append(teams, &units[i])
		}
	}
	if len(teams) == 0 {
		return nil
	}
	now := s.now().UTC()
	lists := tx.Bucket(bucketChecklists)
	var made []Checklist
	for _, c := range genChecklists {
		c.Questions = append([]string(nil), c.Questions...)
		if err := c.Validate(); err != nil {
			return fmt.Errorf("checklist %q: %w", c.Title, err)
		}
		id, err := nextID(lists)
		if err != nil {
			return err
		}
		c.ID, c.Version, c.Created, c.Updated = id, 1, now, now
		if err := putJSON(lists, itob(id), &c); err != nil {
			return err
		}
		made = append(made, c)
		g.stats.Checklists++
	}
	b := tx.Bucket(bucketChecklistResults)
	for i := range 100 * g.n {
		c := made[g.r.IntN(len(made))]
		team := teams[g.r.IntN(len(teams))]
		day := today.AddDate(0, 0, -g.r.IntN(3*365))
		if _, ok := team.At(day); !ok {
			day = today
		}
		r := ChecklistResult{ChecklistID: c.ID, UnitID: team.ID, Date: day, Questions: c.Questions, Scale: c.Scale,
			Answers: make([]int, len(c.Questions)), By: "monitoring"}
		if g.r.IntN(4) == 0 {
			r.Comment = "Wnioski omówione z kierownikiem zespołu. Dane syntetyczne."
		}
		for q := range r.Answers {
			if g.r.IntN(12) > 0 { // now and then a question left without an answer
				r.Answers[q] = 1 + g.r.IntN(c.Scale.Max())
			}
		}
		if err := r.ValidateAsOf(today); err != nil {
			return fmt.Errorf("checklist result %d: %w", i+1, err)
		}
		id, err := nextID(b)
		if err != nil {
			return err
		}
		r.ID, r.Version, r.Created, r.Updated = id, 1, now, now
		if err := putJSON(b, itob(id), &r); err != nil {
			return err
		}
		if err := indexResult(tx, &r, false); err != nil {
			return err
		}
		g.stats.ChecklistResults++
	}
	s.checklistsVersion.Add(1)
	return nil
}
