package handlers

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"intranet/store"
	"intranet/views"
)

// Evaluation checklists, part of monitoring and seen exactly as its notes
// are (noteReader): the monitoring specialist defines and fills them in;
// coordinators and administrators read everything; the head of a unit
// reads the results for their units and the checklists those results
// use; nobody else sees that checklists exist.

const checklistsPath = "/monitoring/checklists"

func checklistHref(id uint64) string { return checklistsPath + "/" + strconv.FormatUint(id, 10) }

func resultHref(id uint64) string { return checklistsPath + "/results/" + strconv.FormatUint(id, 10) }

// answerText is the message ID of an answer in words ("4 — raczej tak").
func answerText(scale store.ScaleKind, answer int) string {
	if answer < 1 || answer > scale.Max() {
		return "checklist_answer.none"
	}
	return "checklist_answer." + string(scale) + "." + strconv.Itoa(answer)
}

// answerShort is the message ID of an answer as a grid cell shows it: the
// number on the five-point scale, the word on yes/partly/no.
func answerShort(scale store.ScaleKind, answer int) string {
	if answer < 1 || answer > scale.Max() {
		return "checklist_short.none"
	}
	return "checklist_short." + string(scale) + "." + strconv.Itoa(answer)
}

// answerClass marks an answer good, middling or poor in the colours of
// an assessment; the word or number is always printed beside it.
func answerClass(scale store.ScaleKind, answer int) string {
	return "assessment-" + string(scale.Standing(answer))
}

// visibleChecklists are the checklists the reader may see, with the
// number of results they may see of each: every checklist for those who
// read everything, those used in their units for a head.
func (s *Server) visibleChecklists(reader store.ReaderOf) (map[uint64]int, error) {
	if reader.All {
		return s.st.ChecklistResultCounts()
	}
	return s.st.ChecklistsOfUnits(reader.Units)
}

// mayOfUnit keeps the results a reader may see (nil: every one).
func mayOfUnit(reader store.ReaderOf) func(uint64) bool {
	if reader.All {
		return nil
	}
	return func(unit uint64) bool { return reader.Units[unit] }
}

// checklist reads the route's checklist, if the reader may see it.
func (s *Server) checklist(c *fiber.Ctx) (*store.Checklist, store.ReaderOf, error) {
	reader := s.noteReader(c)
	if !reader.Any() {
		return nil, reader, fiber.ErrForbidden
	}
	ch, err := byParam(c, s.st.Checklist)
	if err != nil {
		return nil, reader, err
	}
	if !reader.All {
		counts, err := s.visibleChecklists(reader)
		if err != nil {
			return nil, reader, err
		}
		if counts[ch.ID] == 0 {
			return nil, reader, fiber.ErrForbidden
		}
	}
	return ch, reader, nil
}

// The list of checklists.

type checklistsView struct {
	Rows  []checklistRow
	Write bool
	All   bool // the reader sees every checklist, not only those of their units
}

type checklistRow struct {
	store.Checklist
	Results int
}

func (s *Server) checklistList(c *fiber.Ctx) error {
	reader := s.noteReader(c)
	if !reader.Any() {
		return fiber.ErrForbidden
	}
	list, err := s.st.Checklists()
	if err != nil {
		return err
	}
	counts, err := s.visibleChecklists(reader)
	if err != nil {
		return err
	}
	v := checklistsView{Write: userOf(c).Has(store.RoleMonitoring), All: reader.All}
	for _, ch := range list {
		if reader.All || counts[ch.ID] > 0 {
			v.Rows = append(v.Rows, checklistRow{Checklist: ch, Results: counts[ch.ID]})
		}
	}
	return s.page(c, fiber.StatusOK, "checklists", "checklists.title", v, nil)
}

// One checklist with its results.

type checklistView struct {
	C       *store.Checklist
	Results []resultLine
	Total   int
	Pager   Pager
	Write   bool
}

type resultLine struct {
	store.ChecklistResult
	Unit string // as named on the result's day
	Href string
}

func (s *Server) checklistPage(c *fiber.Ctx) error {
	ch, reader, err := s.checklist(c)
	if err != nil {
		return err
	}
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	may := mayOfUnit(reader)
	page := requestedPage(c)
	write := userOf(c).Has(store.RoleMonitoring)
	// Kept per change of the structure or the checklists: the table of
	// results is most of what the page costs.
	key := strings.Join([]string{readerScope(reader), strconv.FormatUint(ch.ID, 10), strconv.Itoa(page), strconv.FormatBool(write)}, "|")
	return s.cachedPageIn(c, &s.monitoring, d.Version+s.st.NotesVersion()+s.st.ChecklistsVersion(), "checklist", "checklists.checklist_title", key, func() (any, error) {
		results, total, err := s.st.ResultsOfChecklist(ch.ID, (page-1)*perPage, perPage, may)
		if err != nil {
			return nil, err
		}
		v := checklistView{C: ch, Total: total, Write: write}
		_, _, v.Pager = paginate(c, total)
		if v.Pager.Page != page { // past the last page: the last one
			if results, _, err = s.st.ResultsOfChecklist(ch.ID, (v.Pager.Page-1)*perPage, perPage, may); err != nil {
				return nil, err
			}
		}
		pagerLinks(&v.Pager, "/monitoring/checklists/"+strconv.FormatUint(ch.ID, 10), url.Values{})
		for _, r := range results {
			v.Results = append(v.Results, resultLine{ChecklistResult: r, Unit: d.UnitName(r.UnitID, r.Date), Href: resultHref(r.ID)})
		}
		return v, nil
	})
}

// The checklist form: questions one per line, so that it works without
// JavaScript and a list is pasted in one go.

type checklistFormView struct {
	C         store.Checklist
	ID        uint64
	Version   int
	New       bool
	Conflict  bool
	Questions string // as typed, one per line
	Scales    []store.ScaleKind
	Max       int // questions at most
}

func (s *Server) checklistForm(c *fiber.Ctx, status int, v checklistFormView, errs map[string]string) error {
	v.Scales, v.Max = store.Scales, store.MaxChecklistQuestions
	title := "checklists.edit"
	if v.New {
		title = "checklists.new"
	}
	return s.page(c, status, "checklist_form", title, v, errs)
}

func (s *Server) checklistNew(c *fiber.Ctx) error {
	return s.checklistForm(c, fiber.StatusOK, checklistFormView{New: true, C: store.Checklist{Scale: store.ScaleFive}}, nil)
}

func (s *Server) checklistEdit(c *fiber.Ctx) error {
	ch, _, err := s.checklist(c)
	if err != nil {
		return err
	}
	return s.checklistForm(c, fiber.StatusOK, checklistFormView{C: *ch, ID: ch.ID, Version: ch.Version,
		Questions: strings.Join(ch.Questions, "\n")}, nil)
}

func (s *Server) checklistSave(c *fiber.Ctx) error {
	f := newForm(c)
	typed := formValue(c, "questions")
	ch := store.Checklist{Title: f.text("title"), Scale: store.ScaleKind(f.text("scale")), Questions: strings.Split(typed, "\n"),
		Description: formValue(c, "description")}
	v := checklistFormView{C: ch, Questions: typed}
	var id uint64
	version := f.version()
	if c.Params("id") != "" {
		old, _, err := s.checklist(c)
		if err != nil {
			return err
		}
		id, version = old.ID, f.needVersion()
	}
	v.ID, v.Version, v.New = id, version, id == 0
	f.check(&ch)
	if len(f.errs) == 0 {
		saved, err := s.st.SaveChecklist(s.actor(c), id, ch, version)
		if done, err := s.answerSave(c, f, err, func() string { return checklistHref(saved.ID) }, ch.Title, checklistsPath,
			func(current int) error {
				v.Version, v.Conflict = current, true
				return s.checklistForm(c, fiber.StatusConflict, v, nil)
			}); done {
			return err
		}
	}
	return s.checklistForm(c, fiber.StatusUnprocessableEntity, v, f.errs)
}

func (s *Server) checklistDeletion() deletion {
	return deletion{question: "checklists.delete_question", shown: checklistsPath + "/", list: checklistsPath,
		remove: s.st.DeleteChecklist, name: named(s.st.Checklist, func(ch *store.Checklist) string { return ch.Title })}
}

// Filling a checklist in.

type fillView struct {
	C         *store.Checklist
	Version   int // the checklist's, whose questions the form shows
	Conflict  bool
	Units     template.HTML
	Date      string
	Comment   string
	Questions []fillQuestion
	Points    []int
}

type fillQuestion struct {
	N      int // from 1: the radio group's name is "a" and N
	Text   string
	Answer int
}

func (s *Server) fillForm(c *fiber.Ctx, status int, ch *store.Checklist, unit uint64, date, comment string, answers []int, conflict bool, errs map[string]string) error {
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	today := s.st.Today()
	v := fillView{C: ch, Version: ch.Version, Conflict: conflict, Date: date, Comment: comment, Points: ch.Scale.Points()}
	if v.Units, err = s.options(d.Version, "units", views.ISODate(today), d.UnitChoices(today), unit); err != nil {
		return err
	}
	for i, q := range ch.Questions {
		fq := fillQuestion{N: i + 1, Text: q}
		if i < len(answers) {
			fq.Answer = answers[i]
		}
		v.Questions = append(v.Questions, fq)
	}
	return s.page(c, status, "checklist_fill_form", "checklists.fill", v, errs)
}

func (s *Server) checklistFill(c *fiber.Ctx) error {
	ch, _, err := s.checklist(c)
	if err != nil {
		return err
	}
	unit, _ := strconv.ParseUint(c.Query("unit"), 10, 64)
	return s.fillForm(c, fiber.StatusOK, ch, unit, views.ISODate(s.st.Today()), "", nil, false, nil)
}

func (s *Server) checklistFillSave(c *fiber.Ctx) error {
	ch, _, err := s.checklist(c)
	if err != nil {
		return err
	}
	f := newForm(c)
	version := f.needVersion()
	r := store.ChecklistResult{ChecklistID: ch.ID, UnitID: f.id("unit"), Date: f.date("date", true), Comment: formValue(c, "comment"),
		Answers: make([]int, len(ch.Questions))}
	for i := range r.Answers {
		raw := f.text("a" + strconv.Itoa(i+1))
		if raw == "" {
			continue
		}
		n, err := strconv.Atoi(raw)
		if err != nil {
			f.errs["answers"] = "error.checklist_answer_range"
			continue
		}
		r.Answers[i] = n
	}
	// The result's own rules as well, so that every problem shows at once.
	check := r
	check.Questions, check.Scale = ch.Questions, ch.Scale
	mergeFields(f.errs, check.ValidateAsOf(s.st.Today()))
	if len(f.errs) == 0 {
		saved, err := s.st.FillChecklist(s.actor(c), version, r)
		if done, err := s.answerSave(c, f, err, func() string { return resultHref(saved.ID) }, ch.Title, checklistHref(ch.ID),
			func(int) error {
				current, err := s.st.Checklist(ch.ID)
				if err != nil {
					return err
				}
				return s.fillForm(c, fiber.StatusConflict, current, r.UnitID, f.text("date"), r.Comment, r.Answers, true, nil)
			}); done {
			return err
		}
	}
	return s.fillForm(c, fiber.StatusUnprocessableEntity, ch, r.UnitID, f.text("date"), r.Comment, r.Answers, false, f.errs)
}

// One result.

type resultView struct {
	R         *store.ChecklistResult
	Title     string // the checklist's
	Checklist string // its address
	Unit      string // as named on the result's day
	Rows      []resultRow
	Grids     []checklistGrid // this checklist in this unit over time
	Write     bool
}

type resultRow struct {
	N        int
	Question string
	Text     string // message ID of the answer
	Class    string
}

// result reads the route's result, if the reader may see its unit.
func (s *Server) result(c *fiber.Ctx) (*store.ChecklistResult, error) {
	reader := s.noteReader(c)
	if !reader.Any() {
		return nil, fiber.ErrForbidden
	}
	r, err := byParam(c, s.st.ChecklistResult)
	if err != nil {
		return nil, err
	}
	if !reader.All && !reader.Units[r.UnitID] {
		return nil, fiber.ErrForbidden
	}
	return r, nil
}

// checklistTitle names a checklist; a result outlives no checklist, but
// a name is never worth an error page.
func (s *Server) checklistTitle(id uint64) string {
	if ch, err := s.st.Checklist(id); err == nil {
		return ch.Title
	}
	return "#" + strconv.FormatUint(id, 10)
}

func (s *Server) resultPage(c *fiber.Ctx) error {
	r, err := s.result(c)
	if err != nil {
		return err
	}
	d, err := s.loadOrg()
	if err != nil {
		return err
	}
	v := resultView{R: r, Title: s.checklistTitle(r.ChecklistID), Checklist: checklistHref(r.ChecklistID), Unit: d.UnitName(r.UnitID, r.Date),
		Write: userOf(c).Has(store.RoleMonitoring)}
	for i, q := range r.Questions {
		a := store.NotAnswered
		if i < len(r.Answers) {
			a = r.Answers[i]
		}
		v.Rows = append(v.Rows, resultRow{N: i + 1, Question: q, Text: answerText(r.Scale, a), Class: answerClass(r.Scale, a)})
	}
	grids, err := s.checklistGrids(r.UnitID)
	if err != nil {
		return err
	}
	for _, g := range grids {
		if g.ID == r.ChecklistID && len(g.Dates) > 1 {
			v.Grids = append(v.Grids, g)
		}
	}
	return s.page(c, fiber.StatusOK, "checklist_result", "checklists.result_title", v, nil)
}

func (s *Server) resultDeletion() deletion {
	return deletion{question: "checklists.delete_result_question", shown: checklistsPath + "/results/", list: checklistsPath,
		remove: s.st.DeleteChecklistResult, name: named(s.st.ChecklistResult, func(r *store.ChecklistResult) string {
			return s.checklistTitle(r.ChecklistID) + " — " + views.Date(r.Date)
		})}
}

// resultDelete deletes a result and goes back to its checklist.
func (s *Server) resultDelete(c *fiber.Ctx) error {
	d := s.resultDeletion()
	if r, err := byParam(c, s.st.ChecklistResult); err == nil {
		d.list = checklistHref(r.ChecklistID)
	}
	return s.doDelete(d)(c)
}

// The grids of a unit's results over time, for the unit's monitoring
// timeline.

// gridColumns bounds the columns of a grid: the newest results.
const gridColumns = 6

// checklistGrid is one checklist's results for a unit side by side: a
// column per result (oldest first), a row per question.
type checklistGrid struct {
	ID    uint64
	Title string
	Href  string // the checklist's page
	Scale store.ScaleKind
	Dates []gridDate
	Rows  []gridRow
}

// gridDate heads a column: the result's day and its address.
type gridDate struct {
	Day      time.Time
	ResultID uint64
	Href     string
}

// gridRow is a question and its answer in each column.
type gridRow struct {
	Question string
	Earlier  bool // asked only by older results, not by the newest
	Cells    []gridCell
}

// gridCell is one answer; Asked is false where that result had no such
// question.
type gridCell struct {
	Day    time.Time // the column's, for the cell's label on a phone
	Asked  bool
	Answer int
	Text   string // message ID
	Class  string
}

// checklistGrids are, per checklist used for the unit, its newest results
// there side by side, in Polish order of the checklists' titles.
func (s *Server) checklistGrids(unit uint64) ([]checklistGrid, error) {
	results, err := s.st.ResultsOfUnit(unit)
	if err != nil {
		return nil, err
	}
	byList := map[uint64][]store.ChecklistResult{}
	var order []uint64
	for _, r := range results {
		if _, ok := byList[r.ChecklistID]; !ok {
			order = append(order, r.ChecklistID)
		}
		byList[r.ChecklistID] = append(byList[r.ChecklistID], r)
	}
	grids := make([]checklistGrid, 0, len(order))
	for _, id := range order {
		g := buildGrid(byList[id])
		g.ID, g.Title, g.Href = id, s.checklistTitle(id), checklistHref(id)
		grids = append(grids, g)
	}
	store.SortPolish(grids, func(g checklistGrid) string { return g.Title })
	return grids, nil
}

// buildGrid lays out results of one checklist (oldest first), keeping the
// newest gridColumns. The rows are the newest result's questions. An older
// result's answer goes in the row of the same position when the question
// reads the same; a question reworded, moved or dropped since gets a row
// of its own below (matched by its text across the older results), so
// that an answer is never shown against a question that was not asked.
func buildGrid(results []store.ChecklistResult) checklistGrid {
	if len(results) > gridColumns {
		results = results[len(results)-gridColumns:]
	}
	var g checklistGrid
	if len(results) == 0 {
		return g
	}
	newest := results[len(results)-1]
	g.Scale = newest.Scale
	newRow := func(q string, earlier bool) gridRow {
		row := gridRow{Question: q, Earlier: earlier, Cells: make([]gridCell, len(results))}
		for i := range results {
			row.Cells[i].Day = results[i].Date
		}
		return row
	}
	for _, q := range newest.Questions {
		g.Rows = append(g.Rows, newRow(q, false))
	}
	current := len(newest.Questions)
	for col, r := range results {
		g.Dates = append(g.Dates, gridDate{Day: r.Date, ResultID: r.ID, Href: resultHref(r.ID)})
		for i, q := range r.Questions {
			at := -1
			if i < current && newest.Questions[i] == q {
				at = i
			} else {
				for j := current; j < len(g.Rows); j++ {
					if g.Rows[j].Question == q && !g.Rows[j].Cells[col].Asked {
						at = j
						break
					}
				}
			}
			if at < 0 {
				g.Rows = append(g.Rows, newRow(q, true))
				at = len(g.Rows) - 1
			}
			a := store.NotAnswered
			if i < len(r.Answers) {
				a = r.Answers[i]
			}
			cell := &g.Rows[at].Cells[col]
			cell.Asked, cell.Answer, cell.Text, cell.Class = true, a, answerShort(r.Scale, a), answerClass(r.Scale, a)
		}
	}
	return g
}
