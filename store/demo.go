package store

import (
	"context"
	"fmt"
)

// DemoPassword is the password of every demo account.
const DemoPassword = "demo"

// demoUsers are one account per role; the names are invented. The
// coordinator also trains, as coordinators of small projects do, so that
// the demo shows an account holding more than one role.
var demoUsers = []User{
	{Login: "admin", Name: "Anna Administracyjna", Roles: []Role{RoleAdmin}},
	{Login: "koordynator", Name: "Katarzyna Koordynacka", Roles: []Role{RoleCoordinator, RoleTrainer}},
	{Login: "trener", Name: "Tomasz Trenerski", Roles: []Role{RoleTrainer}},
	{Login: "monitoring", Name: "Monika Monitorowska", Roles: []Role{RoleMonitoring}},
	{Login: "pracownik", Name: "Piotr Pracowity", Roles: []Role{RoleStaff}},
	// The head of the social work team, who answers monitoring notes
	// about it: a relation in the structure, not a role.
	{Login: "kierownik", Name: "Karolina Kierownicka", Roles: []Role{RoleStaff}},
	// The project's monitoring specialist, whose contract ended on
	// 31.12.2018 (seed 002): an account that has ended with the employment.
	{Login: "specjalistka", Name: "Olga Monitorska", Roles: []Role{RoleMonitoring}},
}

// SeedDemo fills an empty database with the demo centre. It does nothing
// (and reports false) when the database already has accounts.
func (s *Store) SeedDemo(ctx context.Context, h *Hasher) (bool, error) {
	if s.UserCount() > 0 {
		return false, nil
	}
	if err := s.SetCentre(System, Centre{
		Name:    "Miejski Ośrodek Pomocy Społecznej w Tarnowskich Górach",
		Short:   "MOPS Tarnowskie Góry",
		Address: "ul. Janasa 9, 42-612 Tarnowskie Góry",
		Phone:   "32 285-78-39",
		Email:   "org@mopstg.pl",
		// A trainer needs half an hour between two of the centre's buildings.
		TravelMinutes: 30,
	}, 0); err != nil {
		return false, err
	}
	for _, u := range demoUsers {
		hash, err := h.Hash(ctx, DemoPassword)
		if err != nil {
			return false, err
		}
		u.PasswordHash, u.Active, u.Demo = hash, true, true
		if err := s.CreateUser(System, &u); err != nil {
			return false, fmt.Errorf("demo user %s: %w", u.Login, err)
		}
	}
	if err := s.seedDemoOrg(); err != nil {
		return false, fmt.Errorf("demo structure: %w", err)
	}
	if err := s.seedDemoProjects(); err != nil {
		return false, fmt.Errorf("demo projects: %w", err)
	}
	if err := s.seedDemoSchedule(); err != nil {
		return false, fmt.Errorf("demo schedule: %w", err)
	}
	if err := s.seedDemoMonitoring(); err != nil {
		return false, fmt.Errorf("demo monitoring: %w", err)
	}
	if err := s.seedDemoChecklists(); err != nil {
		return false, fmt.Errorf("demo checklists: %w", err)
	}
	return true, nil
}
