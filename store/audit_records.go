package store

import (
	"errors"

	bolt "go.etcd.io/bbolt"
)

// AuditRefs are the IDs a page of the audit log names outside the
// structure's snapshot (which holds units, people, locations, categories,
// announcements, projects, milestones and indicators): the records the
// entries are about and those their values point to.
type AuditRefs struct {
	Courses, Trainers, Sessions, Blackouts     []uint64
	Notes, Checklists, ChecklistResults, Files []uint64
}

// AuditRecords are the records of AuditRefs that still exist, by ID, with
// the courses of the sessions and the checklists of the results among
// them (a session is named by its course, a result by its checklist).
type AuditRecords struct {
	Courses          map[uint64]*Course
	Trainers         map[uint64]*Trainer
	Sessions         map[uint64]*Session
	Blackouts        map[uint64]*Blackout
	Notes            map[uint64]*Note
	Checklists       map[uint64]*Checklist
	ChecklistResults map[uint64]*ChecklistResult
	Files            map[uint64]*File
}

// AuditRecords reads the records a page of the audit log names, in one
// read transaction: a page costs the records it shows, never a scan of
// the schedule or the notes. A record deleted since is simply absent.
func (s *Store) AuditRecords(refs AuditRefs) (AuditRecords, error) {
	var r AuditRecords
	err := s.db.View(func(tx *bolt.Tx) error {
		var err error
		if r.Sessions, err = readSome[Session](tx, kindSession, refs.Sessions); err != nil {
			return err
		}
		courses := refs.Courses
		for _, ss := range r.Sessions {
			courses = append(courses, ss.CourseID)
		}
		if r.Courses, err = readSome[Course](tx, kindCourse, courses); err != nil {
			return err
		}
		if r.ChecklistResults, err = readSome[ChecklistResult](tx, kindChecklistResult, refs.ChecklistResults); err != nil {
			return err
		}
		checklists := refs.Checklists
		for _, res := range r.ChecklistResults {
			checklists = append(checklists, res.ChecklistID)
		}
		if r.Checklists, err = readSome[Checklist](tx, kindChecklist, checklists); err != nil {
			return err
		}
		if r.Trainers, err = readSome[Trainer](tx, kindTrainer, refs.Trainers); err != nil {
			return err
		}
		if r.Blackouts, err = readSome[Blackout](tx, kindBlackout, refs.Blackouts); err != nil {
			return err
		}
		if r.Notes, err = readSome[Note](tx, kindNote, refs.Notes); err != nil {
			return err
		}
		r.Files, err = readSome[File](tx, kindFile, refs.Files)
		return err
	})
	return r, err
}

// readSome reads the records of ids that exist, each once.
func readSome[T any, P record[T]](tx *bolt.Tx, k kind, ids []uint64) (map[uint64]*T, error) {
	out := make(map[uint64]*T, len(ids))
	for _, id := range ids {
		if _, done := out[id]; done || id == 0 {
			continue
		}
		v, err := get[T, P](tx, k, id)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = v
	}
	return out, nil
}
