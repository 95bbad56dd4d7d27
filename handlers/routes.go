package handlers

import (
	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// Route is one address of the intranet and who may use it. This table is the
// single place to audit access: a route is public, open to every signed-in
// user (Roles nil), or open to accounts holding any of the listed roles.
// External accounts (trainers from outside) may use only routes marked
// External, whatever their roles.
type Route struct {
	Method string
	Path   string
	Public bool
	Roles  []store.Role
	// Self: besides Roles, a user may use the route on their own record
	// (the handler checks whose record it is).
	Self bool
	// External: accounts of people from outside may use the route too; it
	// shows them nothing of the centre's internal data.
	External bool
	// Own: the handler decides per record and answers 403 otherwise: a
	// trainer (or someone from outside) uses the route only on the sessions
	// they run, a head of a unit only on the notes about their units.
	Own bool
	// Upload: the route takes a file (a scan, a logo) up to the server's
	// body limit; every other route takes forms up to formLimit.
	Upload bool
	Nav    string // message ID when the route is an entry of the main menu
	// Shown: the menu entry shows only when it says so (the route's own
	// rule may be wider: heads of units read monitoring notes whatever
	// their roles, others see no entry).
	Shown  func(*fiber.Ctx) bool
	Handle fiber.Handler
}

var admins = []store.Role{store.RoleAdmin}

// attendanceTakers may reach a session's attendance; a trainer only for
// the sessions they run (checked by the handler).
var attendanceTakers = []store.Role{store.RoleAdmin, store.RoleCoordinator, store.RoleTrainer}

func (s *Server) routes() []Route {
	return []Route{
		{Method: "GET", Path: "/login", Public: true, Handle: s.loginPage},
		{Method: "POST", Path: "/login", Public: true, Handle: s.login},
		{Method: "POST", Path: "/lang", External: true, Handle: s.setLanguage},
		{Method: "POST", Path: "/logout", External: true, Handle: s.logout},

		{Method: "GET", Path: "/", Nav: "nav.home", External: true, Handle: s.home},
		{Method: "GET", Path: "/account", External: true, Handle: s.account},
		{Method: "POST", Path: "/account/password", External: true, Handle: s.changePassword},
		{Method: "GET", Path: "/account/feed", External: true, Handle: s.feedPage},
		{Method: "POST", Path: "/account/feed", External: true, Handle: s.feedRenew},
		{Method: "POST", Path: "/account/feed/revoke", External: true, Handle: s.feedRevoke},
		// Calendar applications: the secret in the address stands for the account.
		{Method: "GET", Path: "/feeds/:token/:what", Public: true, Handle: s.feed},
		{Method: "GET", Path: "/feeds/:token/:what/:id", Public: true, Handle: s.feed},

		{Method: "GET", Path: "/org", Nav: "nav.org", Handle: s.orgTree},
		{Method: "GET", Path: "/org/units.csv", Handle: s.unitsCSV},
		{Method: "GET", Path: "/org/units/new", Roles: orgEditors, Handle: s.unitNew},
		{Method: "POST", Path: "/org/units", Roles: orgEditors, Handle: s.unitSave},
		{Method: "GET", Path: "/org/units/:id", Handle: s.unitPage},
		{Method: "GET", Path: "/org/units/:id/edit", Roles: orgEditors, Handle: s.unitEdit},
		{Method: "POST", Path: "/org/units/:id", Roles: orgEditors, Handle: s.unitSave},
		{Method: "POST", Path: "/org/units/:id/close", Roles: orgEditors, Handle: s.unitClose},
		{Method: "POST", Path: "/org/units/:id/reopen", Roles: orgEditors, Handle: s.unitReopen},
		{Method: "GET", Path: "/org/units/:id/delete", Roles: orgEditors, Handle: s.askDelete(s.unitDeletion())},
		{Method: "POST", Path: "/org/units/:id/delete", Roles: orgEditors, Handle: s.doDelete(s.unitDeletion())},

		// Everyone reads the directory; editors change everything, people
		// their own phone and room.
		{Method: "GET", Path: "/staff", Nav: "nav.staff", Handle: s.directory},
		{Method: "GET", Path: "/staff/phones", Handle: s.phoneList},
		{Method: "GET", Path: "/staff/assignments.csv", Handle: s.assignmentsCSV},
		{Method: "GET", Path: "/staff.csv", Handle: s.staffCSV},
		{Method: "GET", Path: "/staff/import", Roles: orgEditors, Handle: s.importPage},
		{Method: "POST", Path: "/staff/import", Roles: orgEditors, Handle: s.importStaff},
		{Method: "GET", Path: "/staff/new", Roles: orgEditors, Handle: s.personNew},
		{Method: "POST", Path: "/staff", Roles: orgEditors, Handle: s.personSave},
		{Method: "GET", Path: "/staff/:id", Handle: s.person},
		{Method: "GET", Path: "/staff/:id/edit", Roles: orgEditors, Self: true, Handle: s.personEdit},
		{Method: "POST", Path: "/staff/:id", Roles: orgEditors, Self: true, Handle: s.personSave},
		{Method: "GET", Path: "/staff/:id/delete", Roles: orgEditors, Handle: s.askDelete(s.personDeletion())},
		{Method: "POST", Path: "/staff/:id/delete", Roles: orgEditors, Handle: s.doDelete(s.personDeletion())},
		// A move starts a new assignment from a day; a correction puts a
		// wrongly entered one right.
		{Method: "GET", Path: "/staff/:id/move", Roles: orgEditors, Handle: s.moveNew},
		{Method: "POST", Path: "/staff/:id/move", Roles: orgEditors, Handle: s.moveSave},
		{Method: "GET", Path: "/staff/:id/assignments/:n", Roles: orgEditors, Handle: s.correctEdit},
		{Method: "POST", Path: "/staff/:id/assignments/:n", Roles: orgEditors, Handle: s.correctSave},
		{Method: "GET", Path: "/staff/:id/assignments/:n/delete", Roles: orgEditors, Handle: s.askDropAssignment},
		{Method: "POST", Path: "/staff/:id/assignments/:n/delete", Roles: orgEditors, Handle: s.dropAssignment},

		// Everyone reads the projects; coordinators and administrators change
		// them, and only an administrator reopens a settled one.
		{Method: "GET", Path: "/projects", Nav: "nav.projects", Handle: s.projectList},
		{Method: "GET", Path: "/projects/new", Roles: projectEditors, Handle: s.projectNew},
		{Method: "POST", Path: "/projects", Roles: projectEditors, Handle: s.projectSave},
		{Method: "GET", Path: "/projects/:id", Handle: s.projectPage},
		{Method: "GET", Path: "/projects/:id/print", Handle: s.projectPrint},
		{Method: "GET", Path: "/projects/:id/published", Handle: s.publicationList},
		{Method: "POST", Path: "/projects/:id/published", Roles: projectEditors, Handle: s.publish},
		{Method: "GET", Path: "/projects/:id/published/:n", Handle: s.publicationPage},
		{Method: "GET", Path: "/projects/:id/published/:n/print", Handle: s.showDocument(s.publicationPrint)},
		{Method: "POST", Path: "/projects/:id/published/:n/print/issue", Roles: projectEditors, Handle: s.issueDocument(s.publicationPrint)},
		{Method: "GET", Path: "/projects/:id/published/:n/csv", Handle: s.publicationCSV},
		{Method: "GET", Path: "/projects/:id/milestones.csv", Handle: s.milestonesCSV},
		// The logo strip printed on the project's attendance lists.
		{Method: "GET", Path: "/projects/:id/logo", Roles: projectEditors, Handle: s.logoPage},
		{Method: "POST", Path: "/projects/:id/logo", Roles: projectEditors, Upload: true, Handle: s.logoSave},
		{Method: "GET", Path: "/projects/:id/logo/delete", Roles: projectEditors, Handle: s.askRemoveLogo},
		{Method: "POST", Path: "/projects/:id/logo/delete", Roles: projectEditors, Handle: s.removeLogo},
		{Method: "GET", Path: "/files/:id", External: true, Handle: s.logoFile},
		// Issued documents, exactly as they were kept.
		{Method: "GET", Path: "/documents/:id", External: true, Handle: s.issuedCopy},
		{Method: "GET", Path: "/projects/:id/milestones.ics", Handle: s.milestonesICS},
		{Method: "GET", Path: "/projects/:id/edit", Roles: projectEditors, Handle: s.projectEdit},
		{Method: "POST", Path: "/projects/:id", Roles: projectEditors, Handle: s.projectSave},
		{Method: "GET", Path: "/projects/:id/reopen", Roles: admins, Handle: s.reopenForm},
		{Method: "POST", Path: "/projects/:id/reopen", Roles: admins, Handle: s.reopen},
		{Method: "GET", Path: "/projects/:id/delete", Roles: projectEditors, Handle: s.askDelete(s.projectDeletion())},
		{Method: "POST", Path: "/projects/:id/delete", Roles: projectEditors, Handle: s.doDelete(s.projectDeletion())},
		{Method: "GET", Path: "/projects/:id/milestones/new", Roles: projectEditors, Handle: s.milestoneNew},
		{Method: "POST", Path: "/projects/:id/milestones", Roles: projectEditors, Handle: s.milestoneSave},
		{Method: "GET", Path: "/projects/milestones/:id", Handle: s.milestoneShow},
		{Method: "GET", Path: "/projects/milestones/:id/edit", Roles: projectEditors, Handle: s.milestoneEdit},
		{Method: "POST", Path: "/projects/milestones/:id", Roles: projectEditors, Handle: s.milestoneSave},
		{Method: "GET", Path: "/projects/milestones/:id/replan", Roles: projectEditors, Handle: s.replanForm},
		{Method: "POST", Path: "/projects/milestones/:id/replan", Roles: projectEditors, Handle: s.replan},
		{Method: "GET", Path: "/projects/milestones/:id/delete", Roles: projectEditors, Handle: s.askDelete(s.milestoneDeletion())},
		{Method: "POST", Path: "/projects/milestones/:id/delete", Roles: projectEditors, Handle: s.doDelete(s.milestoneDeletion())},
		{Method: "GET", Path: "/projects/:id/indicators/new", Roles: projectEditors, Handle: s.indicatorNew},
		{Method: "POST", Path: "/projects/:id/indicators", Roles: projectEditors, Handle: s.indicatorSave},
		{Method: "GET", Path: "/projects/indicators/:id", Handle: s.indicatorPage},
		{Method: "GET", Path: "/projects/indicators/:id/edit", Roles: projectEditors, Handle: s.indicatorEdit},
		{Method: "POST", Path: "/projects/indicators/:id", Roles: projectEditors, Handle: s.indicatorSave},
		{Method: "POST", Path: "/projects/indicators/:id/readings", Roles: measurers, Handle: s.addReading},
		{Method: "GET", Path: "/projects/indicators/:id/readings/:day/delete", Roles: measurers, Handle: s.askDropReading},
		{Method: "POST", Path: "/projects/indicators/:id/readings/:day/delete", Roles: measurers, Handle: s.dropReading},
		{Method: "GET", Path: "/projects/indicators/:id/delete", Roles: projectEditors, Handle: s.askDelete(s.indicatorDeletion())},
		{Method: "POST", Path: "/projects/indicators/:id/delete", Roles: projectEditors, Handle: s.doDelete(s.indicatorDeletion())},

		// The schedule: everyone reads it; coordinators and administrators
		// plan it; a trainer takes attendance of their own sessions (the
		// handler checks the session is theirs).
		{Method: "GET", Path: "/schedule", Nav: "nav.schedule", Handle: s.scheduleList},
		{Method: "GET", Path: "/schedule/mine", External: true, Handle: s.scheduleMine},
		{Method: "GET", Path: "/schedule/courses", Handle: s.courseList},
		{Method: "GET", Path: "/schedule/courses/new", Roles: scheduleEditors, Handle: s.courseNew},
		{Method: "POST", Path: "/schedule/courses", Roles: scheduleEditors, Handle: s.courseSave},
		{Method: "GET", Path: "/schedule/courses/:id", Handle: s.coursePage},
		{Method: "GET", Path: "/schedule/courses/:id/edit", Roles: scheduleEditors, Handle: s.courseEdit},
		{Method: "POST", Path: "/schedule/courses/:id", Roles: scheduleEditors, Handle: s.courseSave},
		{Method: "GET", Path: "/schedule/courses/:id/delete", Roles: scheduleEditors, Handle: s.askDelete(s.courseDeletion())},
		{Method: "POST", Path: "/schedule/courses/:id/delete", Roles: scheduleEditors, Handle: s.doDelete(s.courseDeletion())},
		{Method: "GET", Path: "/schedule/courses/:id/print", Roles: scheduleEditors, Handle: s.showDocument(s.courseSummary)},
		{Method: "POST", Path: "/schedule/courses/:id/print/issue", Roles: scheduleEditors, Handle: s.issueDocument(s.courseSummary)},
		{Method: "GET", Path: "/schedule/courses/:id/evidence", Roles: scheduleEditors, Handle: s.showDocument(s.evidencePack)},
		{Method: "POST", Path: "/schedule/courses/:id/evidence/issue", Roles: scheduleEditors, Handle: s.issueDocument(s.evidencePack)},
		{Method: "GET", Path: "/schedule/courses/:id/sessions/new", Roles: scheduleEditors, Handle: s.sessionNew},
		{Method: "GET", Path: "/schedule/courses/:id/series", Roles: scheduleEditors, Handle: s.seriesNew},
		{Method: "POST", Path: "/schedule/courses/:id/series", Roles: scheduleEditors, Handle: s.seriesSave},
		{Method: "POST", Path: "/schedule/courses/:id/sessions", Roles: scheduleEditors, Handle: s.sessionSave},
		{Method: "GET", Path: "/schedule/sessions/:id", External: true, Own: true, Handle: s.sessionPage},
		{Method: "GET", Path: "/schedule/sessions/:id/edit", Roles: scheduleEditors, Handle: s.sessionEdit},
		{Method: "POST", Path: "/schedule/sessions/:id", Roles: scheduleEditors, Handle: s.sessionSave},
		{Method: "GET", Path: "/schedule/sessions/:id/delete", Roles: scheduleEditors, Handle: s.askDelete(s.sessionDeletion())},
		{Method: "POST", Path: "/schedule/sessions/:id/delete", Roles: scheduleEditors, Handle: s.doDelete(s.sessionDeletion())},
		{Method: "POST", Path: "/schedule/sessions/:id/enrol", Roles: scheduleEditors, Handle: s.enrol},
		{Method: "POST", Path: "/schedule/sessions/:id/unenrol", Roles: scheduleEditors, Handle: s.unenrol},
		{Method: "POST", Path: "/schedule/sessions/:id/attendance", Roles: attendanceTakers, External: true, Own: true, Handle: s.takeAttendance},
		{Method: "GET", Path: "/schedule/sessions/:id/print", Roles: attendanceTakers, External: true, Own: true, Handle: s.showDocument(s.attendanceList)},
		{Method: "POST", Path: "/schedule/sessions/:id/print/issue", Roles: attendanceTakers, External: true, Own: true, Handle: s.issueDocument(s.attendanceList)},
		// Scans of signed lists: attached by the session's trainer or a
		// coordinator, read by those who see the session's attendance.
		{Method: "POST", Path: "/schedule/sessions/:id/scans", Roles: attendanceTakers, External: true, Own: true, Upload: true, Handle: s.attachScan},
		{Method: "GET", Path: "/schedule/scans/:id", External: true, Own: true, Handle: s.scanFile},
		{Method: "GET", Path: "/schedule/scans/:id/delete", Roles: scheduleEditors, Handle: s.askRemoveScan},
		{Method: "POST", Path: "/schedule/scans/:id/delete", Roles: scheduleEditors, Handle: s.removeScan},
		{Method: "POST", Path: "/schedule/sessions/:id/confirm", Roles: attendanceTakers, External: true, Own: true, Handle: s.confirmList},
		{Method: "GET", Path: "/schedule/sessions/:id/copy", Roles: scheduleEditors, Handle: s.sessionCopy},
		{Method: "GET", Path: "/schedule/sessions/:id/cancel", Roles: scheduleEditors, Handle: s.sessionCancelForm},
		{Method: "POST", Path: "/schedule/sessions/:id/cancel", Roles: scheduleEditors, Handle: s.sessionCancel},
		{Method: "GET", Path: "/schedule/week", Handle: s.scheduleWeek},
		{Method: "GET", Path: "/schedule/import", Roles: scheduleEditors, Handle: s.scheduleImportPage},
		{Method: "POST", Path: "/schedule/import", Roles: scheduleEditors, Handle: s.scheduleImport},
		{Method: "GET", Path: "/schedule/export.csv", Roles: scheduleEditors, Handle: s.scheduleCSV},
		{Method: "GET", Path: "/schedule/attendance.csv", Roles: scheduleEditors, Handle: s.attendanceCSV},
		{Method: "GET", Path: "/schedule/blackouts", Handle: s.blackoutList},
		{Method: "GET", Path: "/schedule/blackouts/new", Roles: scheduleEditors, Handle: s.blackoutNew},
		{Method: "POST", Path: "/schedule/blackouts", Roles: scheduleEditors, Handle: s.blackoutSave},
		{Method: "GET", Path: "/schedule/blackouts/:id", Roles: scheduleEditors, Handle: s.blackoutEdit},
		{Method: "POST", Path: "/schedule/blackouts/:id", Roles: scheduleEditors, Handle: s.blackoutSave},
		{Method: "GET", Path: "/schedule/blackouts/:id/delete", Roles: scheduleEditors, Handle: s.askDelete(s.blackoutDeletion())},
		{Method: "POST", Path: "/schedule/blackouts/:id/delete", Roles: scheduleEditors, Handle: s.doDelete(s.blackoutDeletion())},
		{Method: "GET", Path: "/schedule/trainers", Roles: scheduleEditors, Handle: s.trainerList},
		{Method: "GET", Path: "/schedule/trainers/new", Roles: scheduleEditors, Handle: s.trainerNew},
		{Method: "POST", Path: "/schedule/trainers", Roles: scheduleEditors, Handle: s.trainerSave},
		{Method: "GET", Path: "/schedule/trainers/:id", Roles: scheduleEditors, Handle: s.trainerEdit},
		{Method: "POST", Path: "/schedule/trainers/:id", Roles: scheduleEditors, Handle: s.trainerSave},

		// Monitoring notes: the monitoring specialist writes; coordinators
		// and administrators read all; heads of units read and answer the
		// notes about their units (the handlers check); others see none.
		{Method: "GET", Path: "/monitoring", Nav: "nav.monitoring", Shown: s.readsNotes, Own: true, Handle: s.monitoringList},
		{Method: "GET", Path: "/monitoring/matrix", Own: true, Handle: s.monitoringMatrix},
		{Method: "GET", Path: "/monitoring/report", Own: true, Handle: s.monitoringReport},
		{Method: "GET", Path: "/monitoring/report/notes.csv", Own: true, Handle: s.reportNotesCSV},
		{Method: "GET", Path: "/monitoring/report/actions.csv", Own: true, Handle: s.reportActionsCSV},
		{Method: "GET", Path: "/monitoring/units/:id", Own: true, Handle: s.unitTimeline},
		{Method: "GET", Path: "/monitoring/milestones/:id", Own: true, Handle: s.milestoneTimeline},
		{Method: "GET", Path: "/monitoring/notes/new", Roles: noteWriters, Handle: s.noteNew},
		{Method: "POST", Path: "/monitoring/notes", Roles: noteWriters, Handle: s.noteSave},
		{Method: "GET", Path: "/monitoring/notes/:id", Own: true, Handle: s.notePage},
		{Method: "GET", Path: "/monitoring/notes/:id/edit", Roles: noteWriters, Handle: s.noteEdit},
		{Method: "POST", Path: "/monitoring/notes/:id", Roles: noteWriters, Handle: s.noteSave},
		{Method: "POST", Path: "/monitoring/notes/:id/actions", Roles: noteWriters, Handle: s.actionAdd},
		{Method: "POST", Path: "/monitoring/notes/:id/actions/:n", Roles: noteWriters, Handle: s.actionDone},
		{Method: "POST", Path: "/monitoring/notes/:id/replies", Own: true, Handle: s.replyAdd},
		// Evaluation checklists, seen as the notes are (see checklists.go).
		{Method: "GET", Path: "/monitoring/checklists", Own: true, Handle: s.checklistList},
		{Method: "GET", Path: "/monitoring/checklists/new", Roles: noteWriters, Handle: s.checklistNew},
		{Method: "POST", Path: "/monitoring/checklists", Roles: noteWriters, Handle: s.checklistSave},
		{Method: "GET", Path: "/monitoring/checklists/results/:id", Own: true, Handle: s.resultPage},
		{Method: "GET", Path: "/monitoring/checklists/results/:id/delete", Roles: noteWriters, Handle: s.askDelete(s.resultDeletion())},
		{Method: "POST", Path: "/monitoring/checklists/results/:id/delete", Roles: noteWriters, Handle: s.resultDelete},
		{Method: "GET", Path: "/monitoring/checklists/:id", Own: true, Handle: s.checklistPage},
		{Method: "GET", Path: "/monitoring/checklists/:id/edit", Roles: noteWriters, Handle: s.checklistEdit},
		{Method: "POST", Path: "/monitoring/checklists/:id", Roles: noteWriters, Handle: s.checklistSave},
		{Method: "GET", Path: "/monitoring/checklists/:id/delete", Roles: noteWriters, Handle: s.askDelete(s.checklistDeletion())},
		{Method: "POST", Path: "/monitoring/checklists/:id/delete", Roles: noteWriters, Handle: s.doDelete(s.checklistDeletion())},
		{Method: "GET", Path: "/monitoring/checklists/:id/fill", Roles: noteWriters, Handle: s.checklistFill},
		{Method: "POST", Path: "/monitoring/checklists/:id/fill", Roles: noteWriters, Handle: s.checklistFillSave},

		{Method: "GET", Path: "/locations", Nav: "nav.locations", Handle: s.locationList},
		{Method: "GET", Path: "/locations.csv", Handle: s.locationsCSV},
		{Method: "GET", Path: "/locations/new", Roles: orgEditors, Handle: s.locationNew},
		{Method: "POST", Path: "/locations", Roles: orgEditors, Handle: s.locationSave},
		{Method: "GET", Path: "/locations/:id/edit", Roles: orgEditors, Handle: s.locationEdit},
		{Method: "POST", Path: "/locations/:id", Roles: orgEditors, Handle: s.locationSave},
		{Method: "GET", Path: "/locations/:id/delete", Roles: orgEditors, Handle: s.askDelete(s.locationDeletion())},
		{Method: "POST", Path: "/locations/:id/delete", Roles: orgEditors, Handle: s.doDelete(s.locationDeletion())},

		{Method: "GET", Path: "/announcements", Nav: "nav.announcements", Handle: s.announcementList},
		{Method: "GET", Path: "/announcements/new", Roles: orgEditors, Handle: s.announcementNew},
		{Method: "POST", Path: "/announcements", Roles: orgEditors, Handle: s.announcementSave},
		{Method: "GET", Path: "/announcements/:id/edit", Roles: orgEditors, Handle: s.announcementEdit},
		{Method: "POST", Path: "/announcements/:id", Roles: orgEditors, Handle: s.announcementSave},
		{Method: "GET", Path: "/announcements/:id/delete", Roles: orgEditors, Handle: s.askDelete(s.announcementDeletion())},
		{Method: "POST", Path: "/announcements/:id/delete", Roles: orgEditors, Handle: s.doDelete(s.announcementDeletion())},

		{Method: "GET", Path: "/admin", Roles: admins, Nav: "nav.admin", Handle: s.adminHome},
		{Method: "GET", Path: "/admin/status", Roles: admins, Handle: s.statusPage},
		{Method: "GET", Path: "/admin/users", Roles: admins, Handle: s.userList},
		{Method: "GET", Path: "/admin/users/new", Roles: admins, Handle: s.userNew},
		{Method: "POST", Path: "/admin/users", Roles: admins, Handle: s.userCreate},
		{Method: "GET", Path: "/admin/users/:id", Roles: admins, Handle: s.userEdit},
		{Method: "POST", Path: "/admin/users/:id", Roles: admins, Handle: s.userUpdate},
		{Method: "POST", Path: "/admin/users/:id/password", Roles: admins, Handle: s.userResetPassword},
		{Method: "POST", Path: "/admin/users/:id/sessions", Roles: admins, Handle: s.userEndSessions},
		{Method: "POST", Path: "/admin/users/:id/reactivate", Roles: admins, Handle: s.userReactivate},
		{Method: "GET", Path: "/admin/audit", Roles: admins, Handle: s.auditList},
		{Method: "GET", Path: "/admin/audit.csv", Roles: admins, Handle: s.auditCSV},
		{Method: "POST", Path: "/admin/backup", Roles: admins, Handle: s.backup},
		{Method: "POST", Path: "/admin/demo/off", Roles: admins, Handle: s.demoOff},
		{Method: "GET", Path: "/admin/centre", Roles: admins, Handle: s.centreForm},
		{Method: "POST", Path: "/admin/centre", Roles: admins, Handle: s.centreSave},
		{Method: "GET", Path: "/admin/categories", Roles: admins, Handle: s.categoryList},
		{Method: "GET", Path: "/admin/categories/new", Roles: admins, Handle: s.categoryNew},
		{Method: "POST", Path: "/admin/categories", Roles: admins, Handle: s.categorySave},
		{Method: "GET", Path: "/admin/categories/:id", Roles: admins, Handle: s.categoryEdit},
		{Method: "POST", Path: "/admin/categories/:id", Roles: admins, Handle: s.categorySave},
		{Method: "GET", Path: "/admin/categories/:id/delete", Roles: admins, Handle: s.askDelete(s.categoryDeletion())},
		{Method: "POST", Path: "/admin/categories/:id/delete", Roles: admins, Handle: s.doDelete(s.categoryDeletion())},
	}
}

// Routes lists the route table without handlers, for tests and docs.
func Routes() []Route {
	var s Server
	rs := s.routes()
	for i := range rs {
		rs[i].Handle, rs[i].Shown = nil, nil
	}
	return rs
}

// Allows reports whether the account may use the route: any role it holds
// is enough, and an external account needs a route marked External.
func (r Route) Allows(u *store.User) bool {
	switch {
	case r.Public:
		return true
	case u == nil, u.External && !r.External:
		return false
	case r.Roles == nil:
		return true
	}
	for _, x := range r.Roles {
		if u.Has(x) {
			return true
		}
	}
	return false
}

// AllowsSelf reports whether the account may use a Self route on its own
// record, which the handler then checks; external people have none.
func (r Route) AllowsSelf(u *store.User) bool { return r.Self && u != nil && !u.External }

// guard enforces the route's access rule, then CSRF on state changes.
func (s *Server) guard(r Route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if !r.Public {
			u := userOf(c)
			if u == nil {
				return s.toLogin(c)
			}
			if !r.Allows(u) && !r.AllowsSelf(u) {
				return fiber.ErrForbidden
			}
		}
		// A form's body and its number of fields are bounded before any
		// handler reads it: a chunked body carries no length to check, and
		// each field a handler reads is looked up among all of them.
		if !r.Upload && (c.Request().Header.ContentLength() > formLimit || len(c.Request().Body()) > formLimit ||
			c.Context().PostArgs().Len() > maxFormFields) {
			return fiber.ErrRequestEntityTooLarge
		}
		if unsafeMethod(c.Method()) {
			if err := s.checkCSRF(c); err != nil {
				if r.Public && r.Path == "/login" {
					return s.loginFormExpired(c)
				}
				return err
			}
		}
		return c.Next()
	}
}

func unsafeMethod(m string) bool {
	return m != fiber.MethodGet && m != fiber.MethodHead && m != fiber.MethodOptions
}
