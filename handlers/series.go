package handlers

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// A series of sessions: chosen weekdays every n weeks, until a day or n
// times, skipping public holidays and blackout periods (and saying which
// days it skipped). A preview comes first; then all sessions are stored in
// one transaction, or none.

type seriesView struct {
	Course    *store.Course
	Spec      store.SeriesSpec
	S         store.Session // what every session of the series shares
	First     string
	Until     string
	Count     string
	Every     string
	Start     string
	End       string
	Capacity  string
	Number    string // the first part's number ("cz. 1")
	Days      []int  // chosen weekdays, Monday = 0
	Weekdays  []int
	Locations []store.Location
	Trainers  []store.Trainer
	// The preview.
	Dates     []seriesDate
	Skipped   []store.SkippedDay
	Clashes   int
	Override  string
	Previewed bool
}

type seriesDate struct {
	Day       time.Time
	Part      string
	Conflicts []conflictLine
}

// seriesPart is the part of the nth session: "cz. {n}" numbers them.
func seriesPart(pattern string, n int) string {
	return strings.ReplaceAll(pattern, "{n}", strconv.Itoa(n))
}

func (s *Server) seriesForm(c *fiber.Ctx, status int, v seriesView, errs map[string]string) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	v.Locations = d.Locations
	if v.Trainers, err = s.st.Trainers(); err != nil {
		return err
	}
	v.Weekdays = []int{0, 1, 2, 3, 4, 5, 6}
	return s.page(c, status, "session_series", "series.title", v, errs)
}

func (s *Server) seriesNew(c *fiber.Ctx) error {
	course, err := byParam(c, s.st.Course)
	if err != nil {
		return err
	}
	today := s.st.Today()
	return s.seriesForm(c, fiber.StatusOK, seriesView{Course: course, First: views.ISODate(today), Every: "1", Count: "10",
		Start: "09:00", End: "12:00", Number: "1", S: store.Session{Part: "cz. {n}"}}, nil)
}

// seriesSave previews a series, or stores it once confirmed.
func (s *Server) seriesSave(c *fiber.Ctx) error {
	course, err := byParam(c, s.st.Course)
	if err != nil {
		return err
	}
	f := newForm(c)
	v := seriesView{Course: course, First: f.text("first"), Until: f.text("until"), Count: f.text("count"), Every: f.text("every"),
		Start: f.text("start"), End: f.text("end"), Capacity: f.text("capacity"), Number: f.text("number"), Override: f.text("override")}
	v.Spec = store.SeriesSpec{First: f.date("first", true), Until: f.date("until", false), EveryWeeks: int(f.number("every", 52)),
		Count: int(f.number("count", store.MaxSeries))}
	for _, w := range f.values("weekdays") {
		if n, err := strconv.Atoi(w); err == nil && n >= 0 && n < 7 {
			v.Days = append(v.Days, n)
			v.Spec.Weekdays = append(v.Spec.Weekdays, time.Weekday((n+1)%7))
		} else {
			f.errs["weekdays"] = "error.invalid_choice"
		}
	}
	v.S = store.Session{CourseID: course.ID, Part: f.text("part"), LocationID: f.id("location"), Address: f.text("address"),
		Room: f.text("room"), TrainerIDs: f.ids("trainers"), Group: f.text("group"), Capacity: int(f.number("capacity", store.MaxCapacity)),
		Status: store.SessionPlanned}
	var ok bool
	if v.S.Start, ok = store.ParseClock(v.Start); !ok {
		f.errs["start"] = "error.clock"
	}
	if v.S.End, ok = store.ParseClock(v.End); !ok {
		f.errs["end"] = "error.clock"
	}
	first := 1
	if v.Number != "" {
		first = int(f.number("number", 1000))
	}
	mergeFields(f.errs, v.Spec.Validate())
	// The session every date shares is checked in the same pass as the
	// series' own fields, on the first day asked for (or today, when that
	// day is wrong itself), so that the form reports every problem at once.
	probe := v.S
	probe.Date, probe.Part = v.Spec.First, seriesPart(v.S.Part, first)
	if probe.Date.IsZero() {
		probe.Date = s.st.Today()
	}
	mergeFields(f.errs, probe.Validate(course.Unit))
	if len(f.errs) > 0 {
		return s.seriesForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
	}
	blackouts, err := s.st.Blackouts()
	if err != nil {
		return err
	}
	dates, skipped := v.Spec.Dates(course.Kind, blackouts)
	v.Skipped, v.Previewed = skipped, true
	list := make([]store.Session, len(dates))
	for i, day := range dates {
		list[i] = v.S
		list[i].Date, list[i].Part = day, seriesPart(v.S.Part, first+i)
	}
	if len(dates) == 0 {
		f.errs["first"] = "series.no_dates"
	} else if probe := list[0]; !probe.Date.Equal(v.Spec.First) {
		mergeFields(f.errs, probe.Validate(course.Unit)) // the first date the series really has
	}
	if len(f.errs) > 0 {
		return s.seriesForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
	}
	if formValue(c, "confirm") == "1" {
		err := s.st.SaveSessions(s.actor(c), list, store.Plan{Override: v.Override})
		if _, clash := asConflicts(err); !clash {
			if err != nil {
				if f.merge(err) {
					return s.seriesForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
				}
				if store.ErrorCode(err) == store.EConflict {
					return s.refused(c, course.Title, "/schedule/courses/"+strconv.FormatUint(course.ID, 10), err)
				}
				return err
			}
			return redirect(c, withOK("/schedule/courses/"+strconv.FormatUint(course.ID, 10), "series_saved"))
		}
	}
	conflicts, others, err := s.st.CheckSessions(list)
	if err != nil {
		return err
	}
	for i := range list {
		line := seriesDate{Day: list[i].Date, Part: list[i].Part}
		if line.Conflicts, err = s.conflictLines(language(c), conflicts[i], others); err != nil {
			return err
		}
		if store.Blocking(conflicts[i]) {
			v.Clashes++
		}
		v.Dates = append(v.Dates, line)
	}
	status := fiber.StatusOK
	if formValue(c, "confirm") == "1" {
		status = fiber.StatusConflict
	}
	return s.seriesForm(c, status, v, nil)
}
