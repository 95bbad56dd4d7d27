package store

import (
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// A project settled before settlements were dated gets the day of its
// last change and ten years' retention after it, audited; the database
// then checks clean.
func TestSettlementDatesMigration(t *testing.T) {
	s, clk, _ := openTest(t)
	clk.Add(time.Date(2020, 5, 4, 10, 0, 0, 0, time.UTC).Sub(clk.Now()))
	p := &Project{Name: "Stary projekt", Kind: KindProgramme, From: pday(2017, 3, 1), To: pday(2019, 2, 28), Status: ProjectFinished}
	if err := s.SaveProject(Actor{Login: "koordynator"}, p, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.db.Update(func(tx *bolt.Tx) error { // as an older binary stored it
		p.Status = ProjectSettled
		if err := putJSON(tx.Bucket(bucketProjects), itob(p.ID), p); err != nil {
			return err
		}
		return migrateSettlementDates(s, tx)
	}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Project(p.ID)
	if !got.SettledOn.Equal(pday(2020, 5, 4)) || !got.RetainUntil.Equal(pday(2030, 12, 31)) {
		t.Fatalf("dated %s, kept until %s", got.SettledOn, got.RetainUntil)
	}
	if problems, err := s.Check(); err != nil || len(problems) > 0 {
		t.Fatalf("check: %v %v", problems, err)
	}
	page, err := s.Audit(AuditFilter{Entity: "project", Action: "migrate"})
	if err != nil || len(page.Entries) != 1 || page.Entries[0].EntityID != p.ID {
		t.Fatalf("audit: %+v %v", page.Entries, err)
	}
}
