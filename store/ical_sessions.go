package store

import (
	"bytes"
	"io"
	"strconv"
	"time"

	"github.com/emersion/go-ical"
)

// Training sessions leave the intranet as a calendar feed (RFC 5545) that
// staff subscribe to. Unlike milestones, a session has a time of day, and
// that time is Warsaw wall-clock time: a session at 09:00 stays at 09:00
// across the change to and from summer time. So DTSTART and DTEND are local
// times with TZID=Europe/Warsaw rather than UTC instants, and the feed
// carries the VTIMEZONE that TZID refers to, as RFC 5545 §3.2.19 requires.

// sessionTZID names the zone of every session time, both in TZID
// parameters and in the VTIMEZONE. It is the IANA name on purpose: clients
// that have their own tz data (most do) recognise it and use their rules,
// and the rest fall back to the VTIMEZONE below.
const sessionTZID = "Europe/Warsaw"

// icalLocalFormat is a DATE-TIME in local ("floating" until a TZID is
// attached) form: no trailing Z.
const icalLocalFormat = "20060102T150405"

// FeedEvent is one training session as a calendar shows it.
type FeedEvent struct {
	ID          uint64    // the session's ID: the UID is SessionUID(ID)
	Sequence    int       // SEQUENCE: goes up on every change of time, place or status
	Date        time.Time // the civil date, as midnight UTC (the form Day returns)
	Start, End  int       // minutes since midnight, Europe/Warsaw wall clock; End may be 24*60 (midnight at the end of the day)
	Summary     string
	Location    string
	Description string
	Cancelled   bool      // STATUS:CANCELLED (stays in the feed so calendar apps remove it), else STATUS:CONFIRMED
	Changed     time.Time // LAST-MODIFIED (an instant); zero: omitted
}

// SessionUID is the iCalendar UID of a session's event. Like MilestoneUID
// it holds only what never changes (see icalUIDHost): a calendar that
// refreshes the feed must find the same UID after the session is moved or
// cancelled, or it would keep the old event and add a new one.
func SessionUID(id uint64) string {
	return "session-" + strconv.FormatUint(id, 10) + "@" + icalUIDHost
}

// WriteSessionsICS writes a calendar named name (X-WR-CALNAME) with one
// VEVENT per event, for the centre named centre (PRODID via
// icalProductID), with now as DTSTAMP of every event. Lines are folded as
// RFC 5545 requires. An event without a date is left out.
func WriteSessionsICS(w io.Writer, centre, name string, events []FeedEvent, now time.Time) error {
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(sessionsCalendar(centre, name, events, now)); err != nil {
		return err
	}
	_, err := w.Write(foldLines(buf.Bytes()))
	return err
}

// sessionsCalendar builds the calendar WriteSessionsICS encodes.
func sessionsCalendar(centre, name string, events []FeedEvent, now time.Time) *ical.Calendar {
	cal := ical.NewCalendar()
	cal.Props.SetText(ical.PropVersion, "2.0")
	cal.Props.SetText(ical.PropProductID, icalProductID(centre))
	cal.Props.SetText(ical.PropCalendarScale, "GREGORIAN")
	// PUBLISH: the feed is for reading; nobody is invited or expected to
	// reply (RFC 5546).
	cal.Props.SetText(ical.PropMethod, "PUBLISH")
	setExtText(cal.Props, "X-WR-CALNAME", name)
	// Apple and Google calendars read this to show the feed in the
	// centre's zone even where they ignore VTIMEZONE.
	setExtText(cal.Props, "X-WR-TIMEZONE", sessionTZID)
	// The VTIMEZONE goes first so that it is defined before any TZID
	// refers to it, which simple one-pass readers need. Being always
	// there, it also keeps a feed with no session a valid calendar.
	cal.Children = append(cal.Children, warsawTimezone())

	stamp := now.UTC()
	for _, e := range events {
		if e.Date.IsZero() {
			continue
		}
		ev := ical.NewEvent()
		ev.Props.SetText(ical.PropUID, SessionUID(e.ID))
		ev.Props.SetDateTime(ical.PropDateTimeStamp, stamp)
		if !e.Changed.IsZero() {
			ev.Props.SetDateTime(ical.PropLastModified, e.Changed.UTC())
		}
		setWarsawTime(ev.Props, ical.PropDateTimeStart, e.Date, e.Start)
		setWarsawTime(ev.Props, ical.PropDateTimeEnd, e.Date, e.End)
		ev.Props.SetText(ical.PropSummary, CleanText(e.Summary))
		if loc := CleanText(e.Location); loc != "" {
			ev.Props.SetText(ical.PropLocation, loc)
		}
		if desc := CleanText(e.Description); desc != "" {
			ev.Props.SetText(ical.PropDescription, desc)
		}
		// A cancelled session stays in the feed: a subscribed calendar
		// removes (or strikes out) an event it is told is cancelled,
		// while some clients keep an event that just stops appearing.
		if e.Cancelled {
			ev.SetStatus(ical.EventCancelled)
		} else {
			ev.SetStatus(ical.EventConfirmed)
		}
		// SEQUENCE is a non-negative integer (RFC 5545 §3.8.7.4); a
		// negative one would make strict readers drop the whole event.
		seq := ical.NewProp(ical.PropSequence)
		seq.Value = strconv.Itoa(max(e.Sequence, 0))
		ev.Props.Set(seq)
		// A session is time spent: the people in it are busy.
		ev.Props.SetText(ical.PropTransparency, "OPAQUE")
		cal.Children = append(cal.Children, ev.Component)
	}
	return cal
}

// setWarsawTime sets a DATE-TIME property to minutes after midnight of the
// civil date day, on the Warsaw wall clock. The value is built from the
// date and the minutes alone, never through a time.Location: Go would
// normalise a wall-clock time that does not exist on the day clocks go
// forward, whereas the feed must say what the session says and leave the
// zone rules to the reader. time.Date carries 24*60 over to 00:00 of the
// next day.
func setWarsawTime(props ical.Props, name string, day time.Time, minutes int) {
	y, m, d := day.Date()
	prop := ical.NewProp(name)
	prop.Params.Set(ical.ParamTimezoneID, sessionTZID)
	prop.Value = time.Date(y, m, d, 0, minutes, 0, 0, time.UTC).Format(icalLocalFormat)
	props.Set(prop)
}

// warsawTimezone is the VTIMEZONE for Europe/Warsaw: CET in winter, CEST
// from the last Sunday of March to the last Sunday of October, the EU rule
// in force since 1996. Each onset is given in the local time in force just
// before it (RFC 5545 §3.6.5): 02:00 CET in spring and 03:00 CEST in
// autumn, both 01:00 UTC. The 1970 DTSTART makes the rules cover every
// date a session can have; earlier Polish rules do not matter to a feed of
// sessions.
func warsawTimezone() *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.SetText(ical.PropTimezoneID, sessionTZID)
	tz.Children = append(tz.Children,
		timezoneRule(ical.CompTimezoneDaylight, "+0100", "+0200", "CEST", "19700329T020000", "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
		timezoneRule(ical.CompTimezoneStandard, "+0200", "+0100", "CET", "19701025T030000", "FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"),
	)
	return tz
}

// timezoneRule is one STANDARD or DAYLIGHT sub-component. Offsets, DTSTART
// and RRULE are set as raw values: they are not TEXT (SetText would escape
// the RRULE's semicolons) and their default value types need no VALUE
// parameter.
func timezoneRule(comp, from, to, name, start, rrule string) *ical.Component {
	c := ical.NewComponent(comp)
	for _, p := range [][2]string{
		{ical.PropTimezoneOffsetFrom, from},
		{ical.PropTimezoneOffsetTo, to},
		{ical.PropDateTimeStart, start},
		{ical.PropRecurrenceRule, rrule},
	} {
		prop := ical.NewProp(p[0])
		prop.Value = p[1]
		c.Props.Set(prop)
	}
	c.Props.SetText(ical.PropTimezoneName, name)
	return c
}
