package store

import (
	"bytes"
	"encoding/json"

	bolt "go.etcd.io/bbolt"
)

// What a funder's controller checks of each session: it was announced in
// time, it was held, its list was confirmed by the trainer and the signed
// paper is attached, and any later change of a mark says why.

// FirstPublished says, for each session of a project that any version of
// its published schedule lists, whether the first version listing it came
// late (after the session began, or later than the project's lead time).
// A later version cannot put right a session first announced late.
func (s *Store) FirstPublished(project uint64, leadDays int) (map[uint64]bool, error) {
	out := map[uint64]bool{}
	err := s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketPublications).Cursor()
		prefix := itob(project)
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var p Publication
			if err := json.Unmarshal(v, &p); err != nil {
				return err
			}
			for _, r := range p.Rows {
				if _, seen := out[r.Session]; !seen {
					out[r.Session] = p.Late(r, leadDays)
				}
			}
		}
		return nil
	})
	return out, err
}

// Evidence is what a session has to show a controller.
type Evidence struct {
	Held        bool // attendance recorded
	Confirmed   bool // the trainer confirmed the list
	Scans       int  // signed lists attached
	Published   bool // a version of the published schedule lists it
	Late        bool // first published late
	Corrections int  // marks changed after the list was confirmed
	// Publishes: the session's project publishes its schedule, so a
	// session missing from it is a finding.
	Publishes bool
}

// EvidenceOf puts together what a session has to show.
func EvidenceOf(ss *Session, marks map[uint64]Mark, scans int, first map[uint64]bool, publishes bool) Evidence {
	e := Evidence{Held: ss.Status != SessionCancelled && Held(marks), Confirmed: ss.Confirmed != nil, Scans: scans, Publishes: publishes}
	e.Late, e.Published = first[ss.ID]
	for _, m := range marks {
		if m.Correction != "" {
			e.Corrections++
		}
	}
	return e
}

// Problems are the findings of a session, as message IDs in the order a
// controller reads them; none for a session still to come or cancelled
// (a cancelled one that was published late is still late).
func (e Evidence) Problems() []string {
	var out []string
	if e.Late {
		out = append(out, "evidence.problem_late")
	}
	if e.Held && e.Publishes && !e.Published {
		out = append(out, "evidence.problem_unpublished")
	}
	if e.Held && !e.Confirmed {
		out = append(out, "evidence.problem_unconfirmed")
	}
	if e.Held && e.Scans == 0 {
		out = append(out, "evidence.problem_no_scan")
	}
	if e.Corrections > 0 {
		out = append(out, "evidence.problem_corrected")
	}
	return out
}
