package store

import (
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// The generator's monitoring notes: 2,000 a scale step over the last
// three years, about the teams (now and then a milestone too), with a
// mix of assessments, actions (some done, some overdue) and answers.
// They are written as records only: the audit log keeps its 5,000
// entries a step.

var (
	genNoteTopics = []string{"obsługa klientów", "terminy decyzji", "rejonizacja", "procedury", "dokumentacja spraw",
		"współpraca z zespołem", "kolejki", "superwizja", "szkolenia", "narzędzie ankietowe", "obciążenie pracą", "praca w terenie"}
	genNoteTags  = []string{"procedury", "kolejki", "terminy", "rejony", "ankieta", "kadry", "dokumentacja", "szkolenia"}
	genNoteWords = "Obserwacja pracy zespołu w wybranym tygodniu. Zespół realizuje zadania zgodnie z regulaminem, " +
		"z zastrzeżeniami opisanymi poniżej.\n\n- czas obsługi klienta: zmienny,\n- dokumentacja: kompletna w większości spraw,\n" +
		"- rekomendacja: omówić wnioski na zebraniu zespołu.\n\nDane syntetyczne."
	genAssessments = []Assessment{OnTrack, OnTrack, OnTrack, AtRisk, AtRisk, OffTrack, NotAssessed}
)

func (s *Store) genMonitoring(tx *bolt.Tx, g *gen) error {
	units, err := all[Unit](tx, kindUnit)
	if err != nil {
		return err
	}
	today := Day(s.now())
	var teams []uint64
	for _, u := range units {
		if st, ok := u.At(today); ok && (st.Kind == KindTeam || st.Kind == KindPosition) {
			teams = append(teams, u.ID)
		}
	}
	if len(teams) == 0 {
		return nil
	}
	milestones := bucketKeys(tx, bucketMilestones)
	b := tx.Bucket(bucketNotes)
	now := s.now().UTC()
	for i := range 2000 * g.n {
		day := today.AddDate(0, 0, -g.r.IntN(3*365))
		n := Note{NoteText: NoteText{Date: day, Category: NoteCategories[g.r.IntN(len(NoteCategories))],
			Assessment: genAssessments[g.r.IntN(len(genAssessments))], Body: genNoteWords},
			Author: "monitoring"}
		team := teams[g.r.IntN(len(teams))]
		n.Subjects = []Subject{{Kind: SubjectUnit, ID: team}}
		if len(milestones) > 0 && g.r.IntN(8) == 0 {
			n.Subjects = append(n.Subjects, Subject{Kind: SubjectMilestone, ID: milestones[g.r.IntN(len(milestones))]})
		}
		n.Title = fmt.Sprintf("%s: %s", genNoteTopics[g.r.IntN(len(genNoteTopics))], day.Format("01.2006"))
		n.Tags = []string{genNoteTags[g.r.IntN(len(genNoteTags))]}
		for range g.r.IntN(3) {
			n.LastAction++
			f := FollowUp{N: n.LastAction, What: "Omówić wnioski z notatki na zebraniu zespołu", UnitID: team, Due: day.AddDate(0, 0, 14+g.r.IntN(60))}
			if g.r.IntN(3) > 0 && !f.Due.After(today) {
				f.DoneOn, f.Comment = f.Due.AddDate(0, 0, -g.r.IntN(7)), "Omówiono."
			}
			n.Actions = append(n.Actions, f)
		}
		if g.r.IntN(6) == 0 {
			n.Thread = []Reply{{At: now, By: "kierownik", Kind: ReplyAcknowledged}}
		}
		if err := n.Validate(); err != nil {
			return fmt.Errorf("note %d: %w", i+1, err)
		}
		id, err := nextID(b)
		if err != nil {
			return err
		}
		n.ID, n.Version, n.Created, n.Updated = id, 1, now, now
		if err := putJSON(b, itob(id), &n); err != nil {
			return err
		}
		g.stats.Notes++
	}
	s.notesVersion.Add(1)
	return nil
}
