package store

import (
	"slices"
	"strings"
	"time"
)

// ProjectKind says what sort of undertaking a project is.
type ProjectKind string

const (
	KindEUProject ProjectKind = "eu"        // co-financed by EU funds (PO WER …)
	KindProgramme ProjectKind = "programme" // a government or municipal programme
	KindEvent     ProjectKind = "event"     // a community event or drive
)

// ProjectKinds lists the kinds in the order forms offer them.
var ProjectKinds = []ProjectKind{KindEUProject, KindProgramme, KindEvent}

// ProjectStatus is where a project is in its life.
type ProjectStatus string

const (
	ProjectPlanned  ProjectStatus = "planned"
	ProjectRunning  ProjectStatus = "running"
	ProjectFinished ProjectStatus = "finished"
	// ProjectSettled (rozliczony): the funder accepted the accounts; the
	// project is frozen and only an administrator reopens it, with a reason.
	ProjectSettled ProjectStatus = "settled"
)

// ProjectStatuses lists the statuses in their order of life.
var ProjectStatuses = []ProjectStatus{ProjectPlanned, ProjectRunning, ProjectFinished, ProjectSettled}

// Reference is a document a project rests on: a council resolution, a
// grant agreement, a director's order.
type Reference struct {
	Name string    `json:"name"`
	Date time.Time `json:"date,omitzero"`
}

// FundingSource is one source of a project's eligible budget.
type FundingSource struct {
	Name   string `json:"name"`
	Amount int64  `json:"amount"` // grosze
}

// Reopening records that an administrator took a settled project back.
type Reopening struct {
	At     time.Time `json:"at"`
	UserID uint64    `json:"user_id"`
	Login  string    `json:"login"`
	Reason string    `json:"reason"`
}

// Project is an EU-funded project, a programme or an event the centre runs.
type Project struct {
	Meta
	Name      string        `json:"name"`
	Kind      ProjectKind   `json:"kind"`
	Programme string        `json:"programme,omitempty"` // programme, axis and measure
	From      time.Time     `json:"from"`
	To        time.Time     `json:"to,omitzero"` // zero: open-ended (a standing programme)
	Status    ProjectStatus `json:"status"`
	MainGoal  string        `json:"main_goal,omitempty"`
	Goals     []string      `json:"goals,omitempty"` // specific goals
	// UnitID is the responsible unit, CoordinatorID the coordinator (a
	// person of the directory); both optional.
	UnitID        uint64          `json:"unit_id,omitempty"`
	CoordinatorID uint64          `json:"coordinator_id,omitempty"`
	References    []Reference     `json:"references,omitempty"`
	Total         int64           `json:"total,omitempty"` // eligible budget in grosze; 0: none
	Sources       []FundingSource `json:"sources,omitempty"`
	Reopenings    []Reopening     `json:"reopenings,omitempty"`
	// SettledOn is the day the funder accepted the accounts; a reopening
	// clears it (the reopening and the audit log keep the history).
	SettledOn time.Time `json:"settled_on,omitzero"`
	// RetainUntil is how long the project's documents are kept, as the
	// funder's agreement says ("dokumenty przechowywane do"): typed in, not
	// computed, because each funder counts it differently. It outlives a
	// reopening.
	RetainUntil time.Time `json:"retain_until,omitzero"`
	// LeadDays is how many days before a session its schedule must be
	// published (the funder's rule; 0: before it begins).
	LeadDays int `json:"lead_days,omitempty"`
}

// MaxLeadDays bounds a project's publication lead time.
const MaxLeadDays = 90

// Limits of a project and its parts.
const (
	MaxProjectGoals    = 20
	MaxReferences      = 20
	MaxFundingSources  = 12
	MaxReopenings      = 50
	MaxMilestones      = 200 // per project
	MaxDeliverables    = 20
	MaxReplans         = 100
	MaxIndicators      = 30 // per project
	MaxMeasurements    = 500
	MaxIndicatorValue  = 1_000_000_000
	MaxProjects        = 5000
	maxProjectNameLen  = 200
	maxGoalLen         = 2000
	maxReferenceLen    = 300
	maxSourceNameLen   = 120
	maxReasonLen       = 1000
	maxLoginLen        = 40 // as loginPattern allows: who replanned or reopened
	maxDeliverableLen  = 300
	maxMilestoneNotes  = 4000
	maxMeasurementNote = 500
)

var kindProject = kind{entity: "project", bucket: bucketProjects}

// Frozen reports whether nothing of the project may change: it is settled.
func (p *Project) Frozen() bool { return p.Status == ProjectSettled }

// Closed reports whether the project has ended; nothing of a closed
// project is ever deleted (its documents are kept for years).
func (p *Project) Closed() bool {
	return p.Status == ProjectFinished || p.Status == ProjectSettled
}

// Funded is the sum of the funding sources.
func (p *Project) Funded() int64 {
	var sum int64
	for _, s := range p.Sources {
		sum += s.Amount // each ≤ MaxAmount, at most MaxFundingSources: no overflow
	}
	return sum
}

// BudgetGap is what the funding sources lack (positive) or exceed
// (negative) against the eligible total; 0 when they add up.
func (p *Project) BudgetGap() int64 {
	if p.Total == 0 && len(p.Sources) == 0 {
		return 0
	}
	return p.Total - p.Funded()
}

// SourceShares are the sources' shares of the total in hundredths of a
// per cent. When the sources add up to the total they are the split of
// 100 % by largest remainder (they then add up to exactly 100,00 %);
// otherwise each is its own share of the total, rounded half up.
func (p *Project) SourceShares() []int64 {
	amounts := make([]int64, len(p.Sources))
	for i, s := range p.Sources {
		amounts[i] = s.Amount
	}
	if p.Total > 0 && p.BudgetGap() == 0 {
		return Shares(amounts)
	}
	out := make([]int64, len(amounts))
	for i, a := range amounts {
		out[i] = Share(a, p.Total)
	}
	return out
}

// Covers reports whether the project runs during some day of year.
func (p *Project) Covers(year int) bool {
	first := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	last := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	return !p.From.After(last) && (p.To.IsZero() || !p.To.Before(first))
}

// Validate checks and tidies a project.
func (p *Project) Validate() error {
	var v ValidationError
	tidy(p)
	p.Name, p.Programme, p.MainGoal = strings.TrimSpace(p.Name), strings.TrimSpace(p.Programme), strings.TrimSpace(p.MainGoal)
	p.From, p.To = Day(p.From), Day(p.To)
	p.SettledOn, p.RetainUntil = Day(p.SettledOn), Day(p.RetainUntil)
	requireText(&v, "name", p.Name, maxProjectNameLen)
	if !slices.Contains(ProjectKinds, p.Kind) {
		v.Add("kind", "error.invalid_choice")
	}
	if !slices.Contains(ProjectStatuses, p.Status) {
		v.Add("status", "error.invalid_choice")
	}
	limitText(&v, "programme", p.Programme, maxReferenceLen)
	if p.LeadDays < 0 || p.LeadDays > MaxLeadDays {
		v.Add("lead_days", WithMax("error.value_range", MaxLeadDays))
	}
	limitText(&v, "main_goal", p.MainGoal, maxGoalLen)
	if p.From.IsZero() {
		v.Add("from", "error.date_required")
	} else if !p.To.IsZero() && p.To.Before(p.From) {
		v.Add("to", "error.until_before_from")
	}
	p.Goals = nonEmpty(p.Goals)
	if limitList(&v, "goals", len(p.Goals), MaxProjectGoals) {
		for _, g := range p.Goals {
			limitText(&v, "goals", g, maxGoalLen)
		}
	}
	p.References = slices.DeleteFunc(p.References, func(r Reference) bool {
		r.Name = strings.TrimSpace(r.Name)
		return r.Name == "" && r.Date.IsZero()
	})
	if limitList(&v, "references", len(p.References), MaxReferences) {
		for i := range p.References {
			r := &p.References[i]
			r.Name, r.Date = strings.TrimSpace(r.Name), Day(r.Date)
			requireText(&v, "ref_name_"+itoa(i), r.Name, maxReferenceLen)
		}
	}
	p.validateSettlement(&v)
	p.validateBudget(&v)
	// Filled in by the server (ReopenProject), bounded here all the same.
	if limitList(&v, "reopenings", len(p.Reopenings), MaxReopenings) {
		for _, r := range p.Reopenings {
			limitText(&v, "reopenings", r.Login, maxLoginLen)
			limitText(&v, "reopenings", r.Reason, maxReasonLen)
		}
	}
	return v.Err()
}

// ValidateOn checks a project as Validate does, and that the funder did
// not accept its accounts on a day still to come.
func (p *Project) ValidateOn(today time.Time) error {
	err := p.Validate()
	if p.SettledOn.After(today) {
		v, _ := err.(*ValidationError)
		if v == nil {
			v = &ValidationError{}
		}
		v.Add("settled_on", "error.settled_in_future")
		return v
	}
	return err
}

// validateSettlement checks the dates of the funder's acceptance and of
// the documents' retention. A project is settled only with both: the
// retention date is what keeps its records from deletion, so a settled
// project without one would be kept by nothing. A retention date may be
// known (from the grant agreement) long before the settlement.
func (p *Project) validateSettlement(v *ValidationError) {
	settled := p.Status == ProjectSettled
	switch {
	case settled && p.SettledOn.IsZero():
		v.Add("settled_on", "error.date_required")
	case !settled && !p.SettledOn.IsZero():
		v.Add("settled_on", "error.settled_on_not_settled")
	case !p.SettledOn.IsZero() && p.SettledOn.Before(p.From):
		v.Add("settled_on", "error.settled_before_start")
	}
	switch {
	case p.RetainUntil.IsZero():
		if settled {
			v.Add("retain_until", "error.date_required")
		}
	case !p.SettledOn.IsZero() && p.RetainUntil.Before(p.SettledOn):
		v.Add("retain_until", "error.retain_before_settled")
	case p.RetainUntil.Before(p.To), p.RetainUntil.Before(p.From):
		v.Add("retain_until", "error.retain_before_end")
	}
}

func (p *Project) validateBudget(v *ValidationError) {
	if p.Total < 0 || p.Total > MaxAmount {
		v.Add("total", "error.amount_too_big")
	}
	p.Sources = slices.DeleteFunc(p.Sources, func(s FundingSource) bool {
		return strings.TrimSpace(s.Name) == "" && s.Amount == 0
	})
	if !limitList(v, "sources", len(p.Sources), MaxFundingSources) {
		return
	}
	for i := range p.Sources {
		s := &p.Sources[i]
		s.Name = strings.TrimSpace(s.Name)
		requireText(v, "source_name_"+itoa(i), s.Name, maxSourceNameLen)
		switch {
		case s.Amount <= 0:
			v.Add("source_amount_"+itoa(i), "error.amount_positive")
		case s.Amount > MaxAmount:
			v.Add("source_amount_"+itoa(i), "error.amount_too_big")
		}
	}
	if len(p.Sources) > 0 && p.Total == 0 {
		v.Add("total", "error.budget_total_missing")
	}
}

// nonEmpty trims each line and drops the empty ones.
func nonEmpty(list []string) []string {
	out := list[:0]
	for _, s := range list {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}
