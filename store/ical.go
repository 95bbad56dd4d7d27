package store

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"
)

// Milestones leave the intranet as an iCalendar file (RFC 5545): one
// all-day event per milestone that is not cancelled. Dates are civil dates
// and all-day DATE values are floating by definition, so no VTIMEZONE is
// needed and none is written.

// icalUIDHost is the right-hand side of every event UID. It is a constant
// on purpose: a UID must stay the same for as long as the milestone exists,
// so that a calendar importing the file again (or subscribed to it)
// updates the event instead of adding a second one. Milestone IDs come
// from one bucket's sequence and are never reused, so "milestone-<ID>" is
// unique within the intranet; nothing that can change (the centre's name,
// the server's host name, the project, the title or the dates) goes into
// the UID. The .invalid top-level domain (RFC 2606) can never name a real
// host, so the token claims nobody else's domain.
const icalUIDHost = "intranet.mops.invalid"

// icalLineMax is the longest a content line may be, in octets without the
// CRLF (RFC 5545 §3.1).
const icalLineMax = 75

// ErrEmptyCalendar is returned when there is no milestone to put in a
// calendar (none, or all cancelled): RFC 5545 requires at least one
// component, and go-ical refuses to write an empty VCALENDAR.
var ErrEmptyCalendar = Errorf(ENotFound, "error.not_found")

// MilestoneUID is the iCalendar UID of a milestone's event, the same in
// every export (see icalUIDHost).
func MilestoneUID(id uint64) string {
	return "milestone-" + strconv.FormatUint(id, 10) + "@" + icalUIDHost
}

// WriteMilestonesICS writes the milestones of project p as an iCalendar
// file of all-day events, with lines folded as RFC 5545 requires. now is
// the moment of the export (DTSTAMP) and decides which milestones are late.
// centre names the product in PRODID ("MOPS" when empty).
func WriteMilestonesICS(w io.Writer, centre string, p *Project, ms []*Milestone, now time.Time) error {
	cal, err := milestonesCalendar(centre, p, ms, now)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return err
	}
	_, err = w.Write(foldLines(buf.Bytes()))
	return err
}

// milestonesCalendar builds the calendar WriteMilestonesICS encodes.
func milestonesCalendar(centre string, p *Project, ms []*Milestone, now time.Time) (*ical.Calendar, error) {
	project := ""
	if p != nil {
		project = p.Name
	}
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, icalProductID(centre))
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	setExtText(cal.Props, "X-WR-CALNAME", project)
	stamp := now.UTC()
	for _, m := range ms {
		if m == nil || m.Status == MilestoneCancelled || m.Planned.From.IsZero() {
			continue
		}
		ev := ical.NewEvent()
		ev.Props.SetText(ical.PropUID, MilestoneUID(m.ID))
		ev.Props.SetDateTime(ical.PropDateTimeStamp, stamp)
		if !m.Updated.IsZero() {
			ev.Props.SetDateTime(ical.PropLastModified, m.Updated.UTC())
		}
		// Planned dates are stored as UTC midnight, so formatting them
		// gives the civil date; DTEND is exclusive: the day after the end.
		ev.Props.SetDate(ical.PropDateTimeStart, m.Planned.From)
		ev.Props.SetDate(ical.PropDateTimeEnd, m.Planned.End().AddDate(0, 0, 1))
		ev.Props.SetText(ical.PropSummary, CleanText(m.Title))
		ev.Props.SetText(ical.PropDescription, milestoneDescription(project, m, now))
		if m.Status == MilestoneDone {
			ev.SetStatus(ical.EventConfirmed)
		} else {
			ev.SetStatus(ical.EventTentative)
		}
		// Each re-plan moves the event: a higher SEQUENCE tells a calendar
		// that this version supersedes the one it has.
		seq := ical.NewProp(ical.PropSequence)
		seq.Value = strconv.Itoa(len(m.Replans))
		ev.Props.Set(seq)
		// A milestone is a deadline, not time spent: it does not make
		// anyone busy.
		ev.Props.SetText(ical.PropTransparency, "TRANSPARENT")
		cal.Children = append(cal.Children, ev.Component)
	}
	if len(cal.Children) == 0 {
		return nil, ErrEmptyCalendar
	}
	return cal, nil
}

// icalProductID is the formal public identifier of the product that made
// the file: the centre's intranet, and nothing else.
func icalProductID(centre string) string {
	centre = strings.Join(strings.Fields(CleanText(centre)), " ")
	for strings.Contains(centre, "//") { // "//" separates the identifier's fields
		centre = strings.ReplaceAll(centre, "//", "/")
	}
	if centre == "" {
		centre = "MOPS"
	}
	return "-//" + centre + "//Intranet//PL"
}

// setExtText sets a text property that go-ical does not know (an X- one).
// Its SetText would add VALUE=TEXT for such a property, which is the
// default anyway and which some clients do not expect on X-WR-CALNAME.
func setExtText(props ical.Props, name, text string) {
	prop := ical.NewProp(name)
	prop.SetText(CleanText(text))
	prop.Params.Del(ical.ParamValue)
	props.Set(prop)
}

// milestoneDescription is the event's description: the project, the
// status (and whether the milestone is late on now's day) and the
// deliverables, one per line.
func milestoneDescription(project string, m *Milestone, now time.Time) string {
	var b strings.Builder
	b.WriteString("Projekt: " + project + "\nStatus: " + milestoneStatusWord(m.Status))
	if m.Late(now) {
		b.WriteString(", opóźniony")
	}
	if len(m.Deliverables) > 0 {
		b.WriteString("\nProdukty:")
		for _, d := range m.Deliverables {
			b.WriteString("\n- " + d)
		}
	}
	return CleanText(b.String())
}

// foldLines folds the content lines of an iCalendar stream (CRLF line
// ends, as go-ical writes them, which does not fold) so that no line is
// longer than 75 octets: a longer line is split by CRLF followed by one
// space (RFC 5545 §3.1), the space counting towards the next line's 75.
// Splits fall between UTF-8 characters, never inside one, so that every
// physical line is valid UTF-8. Unfolding (removing each CRLF followed by
// a space) gives back the input.
func foldLines(in []byte) []byte {
	out := make([]byte, 0, len(in)+len(in)/32)
	for len(in) > 0 {
		line, rest, ended := bytes.Cut(in, []byte("\r\n"))
		in = rest
		for limit := icalLineMax; len(line) > limit; limit = icalLineMax - 1 {
			cut := limit
			// Back up over at most three continuation bytes to the start
			// of the character that would be split.
			for i := 1; i < utf8.UTFMax && !utf8.RuneStart(line[cut]); i++ {
				cut--
			}
			out = append(out, line[:cut]...)
			out = append(out, "\r\n "...)
			line = line[cut:]
		}
		out = append(out, line...)
		if ended {
			out = append(out, "\r\n"...)
		}
	}
	return out
}
