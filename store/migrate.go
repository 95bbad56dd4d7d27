package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Bucket names. Index buckets are named Entity.Field and map value → id.
var (
	bucketMeta          = []byte("meta")
	bucketUsers         = []byte("users")
	bucketUsersLogin    = []byte("users.login")
	bucketAudit         = []byte("audit")
	bucketSessions      = []byte("sessions")
	bucketUserSessions  = []byte("sessions.user")
	bucketLocations     = []byte("locations")
	bucketUnits         = []byte("units")
	bucketStaff         = []byte("staff")
	bucketAnnouncements = []byte("announcements")
	bucketSessionsEnded = []byte("sessions.ended")
	bucketStaffUser     = []byte("staff.user")
	bucketCategories    = []byte("categories")
	bucketProjects      = []byte("projects")
	bucketMilestones    = []byte("milestones")
	bucketIndicators    = []byte("indicators")
	// The parts of each project, by project: project ID | part ID → nil.
	bucketMilestonesProject = []byte("milestones.project")
	bucketIndicatorsProject = []byte("indicators.project")
	// The training and supervision schedule (see schedule_store.go).
	bucketCourses          = []byte("courses")
	bucketTrainers         = []byte("trainers")
	bucketTrainingSessions = []byte("training_sessions")
	bucketSessionsDate     = []byte("training_sessions.date")
	bucketSessionsCourse   = []byte("training_sessions.course")
	bucketSessionsTrainer  = []byte("training_sessions.trainer")
	bucketSessionsPerson   = []byte("training_sessions.person")
	bucketAttendance       = []byte("attendance")
	bucketSessionsLocation = []byte("training_sessions.location")
	bucketBlackouts        = []byte("blackouts")
	// Calendar feed tokens: "h" + SHA-256 of a token → account; "u" +
	// account → its token's hash and when it was made.
	bucketFeedTokens = []byte("feed_tokens")
	// Published versions of a project's schedule (see publications.go).
	bucketPublications = []byte("publications")
	keySchema          = []byte("schema")
	keyCentre          = []byte("centre")
)

// migrations run in order, each in its own transaction; the schema version is
// the number that have run. Append only: never edit or reorder a migration.
var migrations = []func(s *Store, tx *bolt.Tx) error{
	func(s *Store, tx *bolt.Tx) error { // 1: accounts, audit log, sessions
		for _, name := range [][]byte{bucketUsers, bucketUsersLogin, bucketAudit, bucketSessions, bucketUserSessions} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	func(s *Store, tx *bolt.Tx) error { // 2: organisational structure, staff directory, announcements
		for _, name := range [][]byte{bucketLocations, bucketUnits, bucketStaff, bucketAnnouncements} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	func(s *Store, tx *bolt.Tx) error { // 3: ended sessions, so that a late save cannot revive one
		_, err := tx.CreateBucketIfNotExists(bucketSessionsEnded)
		return err
	},
	func(s *Store, tx *bolt.Tx) error { // 4: index of staff members by linked account
		idx, err := tx.CreateBucketIfNotExists(bucketStaffUser)
		if err != nil {
			return err
		}
		people, err := all[Staff](tx, kindStaff)
		if err != nil {
			return err
		}
		for _, p := range people { // in ID order: the oldest link wins, as before
			switch {
			case p.UserID == 0:
			case idx.Get(itob(p.UserID)) == nil:
				if err := idx.Put(itob(p.UserID), itob(p.ID)); err != nil {
					return err
				}
			default: // one account linked to two people: keep the first, say so in the log
				old := p
				p.UserID = 0
				if err := putJSON(tx.Bucket(bucketStaff), itob(p.ID), &p); err != nil {
					return err
				}
				if err := s.audit(tx, System, kindStaff.entity, p.ID, ActionUpdate, Diff(&old, &p)); err != nil {
					return err
				}
			}
		}
		return nil
	},
	func(s *Store, tx *bolt.Tx) error { // 5: sessions keyed by the hash of their ID; everyone signs in again once
		return emptyBuckets(tx, bucketSessions, bucketUserSessions, bucketSessionsEnded)
	},
	func(s *Store, tx *bolt.Tx) error { // 6: text stored before bidi and control characters were removed on input
		for _, k := range []kind{kindStaff, kindUnit, kindLocation, kindAnnouncement, {entity: "user", bucket: bucketUsers}} {
			if err := s.retidy(tx, k); err != nil {
				return err
			}
		}
		var c Centre // the centre's name is on every page
		if err := getJSON(tx.Bucket(bucketMeta), keyCentre, &c); err != nil {
			return nil // never set
		}
		old := c
		tidy(&c)
		if changes := Diff(old, c); len(changes) > 0 {
			if err := putJSON(tx.Bucket(bucketMeta), keyCentre, c); err != nil {
				return err
			}
			return s.audit(tx, System, "centre", 0, ActionUpdate, changes)
		}
		return nil
	},
	migrateAssignments, // 7: dated assignments and job categories
	migrateRoles,       // 8: a set of roles per account instead of one
	func(s *Store, tx *bolt.Tx) error { // 9: projects, their milestones and indicators
		for _, name := range [][]byte{bucketProjects, bucketMilestones, bucketIndicators} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	migrateProjectIndex, // 10: milestones and indicators indexed by project
	func(s *Store, tx *bolt.Tx) error { // 11: courses, trainers, sessions with their indexes, attendance
		for _, name := range [][]byte{bucketCourses, bucketTrainers, bucketTrainingSessions, bucketSessionsDate,
			bucketSessionsCourse, bucketSessionsTrainer, bucketSessionsPerson, bucketAttendance} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	migrateLocationIndex, // 12: sessions by location, blackout periods, calendar feed tokens
	func(s *Store, tx *bolt.Tx) error { // 13: published versions of projects' schedules
		_, err := tx.CreateBucketIfNotExists(bucketPublications)
		return err
	},
	func(s *Store, tx *bolt.Tx) error { // 14: files: scans, logo strips, issued documents
		for _, name := range [][]byte{bucketFiles, bucketFileData, bucketFilesOwner} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	migrateSettlementDates, // 15: settled projects get their settlement and retention dates
	func(s *Store, tx *bolt.Tx) error { // 16: monitoring notes
		_, err := tx.CreateBucketIfNotExists(bucketNotes)
		return err
	},
	func(s *Store, tx *bolt.Tx) error { // 17: evaluation checklists, their results and indexes
		for _, name := range checklistBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	},
	migratePrimaries, // 18: a primary assignment on every day of work, where the pages showed one
}

// migrateSettlementDates dates the projects settled before a settlement
// carried its day and a retention date. A settled project took no change
// after it was settled, so its last change is the day it was settled;
// its documents are kept to the end of the tenth year after (the longest
// the funds' rules ask), which the coordinator corrects after reopening.
// Each dated project is audited with what the migration set.
func migrateSettlementDates(s *Store, tx *bolt.Tx) error {
	projects, err := all[Project](tx, kindProject)
	if err != nil {
		return err
	}
	for i := range projects {
		p := &projects[i]
		if p.Status != ProjectSettled || (!p.SettledOn.IsZero() && !p.RetainUntil.IsZero()) {
			continue
		}
		old := *p
		if p.SettledOn.IsZero() {
			p.SettledOn = Day(p.Updated)
			if p.SettledOn.Before(p.From) {
				p.SettledOn = p.From
			}
		}
		if p.RetainUntil.IsZero() {
			p.RetainUntil = time.Date(p.SettledOn.Year()+10, 12, 31, 0, 0, 0, 0, time.UTC)
			if !p.To.IsZero() && p.RetainUntil.Before(p.To) {
				p.RetainUntil = time.Date(p.To.Year()+10, 12, 31, 0, 0, 0, 0, time.UTC)
			}
		}
		if err := putJSON(tx.Bucket(bucketProjects), itob(p.ID), p); err != nil {
			return err
		}
		if err := s.audit(tx, System, kindProject.entity, p.ID, "migrate", Diff(&old, p)); err != nil {
			return err
		}
	}
	return nil
}

// migrateProjectIndex lists each project's milestones and indicators in
// index buckets, so that a project's parts are found without reading all.
func migrateProjectIndex(s *Store, tx *bolt.Tx) error {
	for _, k := range []kind{kindMilestone, kindIndicator} {
		idx, err := tx.CreateBucketIfNotExists(k.byProject)
		if err != nil {
			return err
		}
		if err := tx.Bucket(k.bucket).ForEach(func(key, data []byte) error {
			project, err := projectOf(data)
			if err != nil {
				return err
			}
			return idx.Put(partKey(project, btoi(key)), nil)
		}); err != nil {
			return err
		}
	}
	return nil
}

// SchemaVersion is the schema this binary writes.
func SchemaVersion() int { return len(migrations) }

// ErrTooNew means the database was written by a newer binary.
var ErrTooNew = errors.New("the database was written by a newer version of intranet; upgrade the binary")

func schemaOf(tx *bolt.Tx) uint64 {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		return 0
	}
	v := meta.Get(keySchema)
	if len(v) != 8 {
		return 0
	}
	return btoi(v)
}

func (s *Store) checkVersion() error {
	return s.db.View(func(tx *bolt.Tx) error {
		if v := schemaOf(tx); v > uint64(len(migrations)) {
			return fmt.Errorf("schema %d > %d: %w", v, len(migrations), ErrTooNew)
		}
		return nil
	})
}

func (s *Store) migrate() error {
	if err := s.db.Update(func(tx *bolt.Tx) error {
		_, err := tx.CreateBucketIfNotExists(bucketMeta)
		return err
	}); err != nil {
		return fmt.Errorf("create meta bucket: %w", err)
	}
	if err := s.checkVersion(); err != nil {
		return err
	}
	for {
		done := false
		err := s.db.Update(func(tx *bolt.Tx) error {
			v := schemaOf(tx)
			if v >= uint64(len(migrations)) {
				done = true
				return nil
			}
			if err := migrations[v](s, tx); err != nil {
				return fmt.Errorf("migration %d: %w", v+1, err)
			}
			return tx.Bucket(bucketMeta).Put(keySchema, itob(v+1))
		})
		if err != nil {
			return err
		}
		if done {
			return nil
		}
	}
}

// Schema reports the schema version stored in the database.
func (s *Store) Schema() int {
	var v uint64
	_ = s.db.View(func(tx *bolt.Tx) error { v = schemaOf(tx); return nil })
	return int(v)
}

// retidy cleans the strings of every stored record of a kind, recording
// each record it changed in the audit log.
func (s *Store) retidy(tx *bolt.Tx, k kind) error {
	return s.rewrite(tx, k, func(old map[string]any) map[string]any {
		cur, _ := tidyJSON(old).(map[string]any)
		return cur
	})
}

// rewrite changes every stored record of a kind as a migration must: as
// the generic JSON it was stored as (so that fields this binary no longer
// knows survive), each changed record in the audit log. change returns the
// new record, or the old one (or nil) to leave it.
func (s *Store) rewrite(tx *bolt.Tx, k kind, change func(old map[string]any) map[string]any) error {
	type fix struct {
		id       uint64
		old, new map[string]any
	}
	var fixes []fix
	b := tx.Bucket(k.bucket)
	err := b.ForEach(func(key, data []byte) error {
		var old map[string]any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber() // IDs and amounts come back exactly as stored
		if err := dec.Decode(&old); err != nil {
			return err
		}
		if cur := change(old); cur != nil && len(Diff(old, cur)) > 0 {
			fixes = append(fixes, fix{btoi(key), old, cur})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, f := range fixes {
		if err := putJSON(b, itob(f.id), f.new); err != nil {
			return err
		}
		if err := s.audit(tx, System, k.entity, f.id, ActionUpdate, Diff(f.old, f.new)); err != nil {
			return err
		}
	}
	return nil
}

// tidyJSON is tidy for a decoded JSON value: a cleaned copy.
func tidyJSON(v any) any {
	switch x := v.(type) {
	case string:
		return CleanText(x)
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = tidyJSON(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = tidyJSON(e)
		}
		return out
	}
	return v
}
