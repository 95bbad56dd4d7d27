package views

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"intranet/store"
)

// node is an element of a rendered SVG, read back with encoding/xml.
type node struct {
	Name     string
	Attr     map[string]string
	Children []*node
	Text     string // the text directly inside
}

func (n *node) class(c string) bool {
	return strings.Contains(" "+n.Attr["class"]+" ", " "+c+" ")
}

// all lists the element and its descendants that match.
func (n *node) all(match func(*node) bool) []*node {
	var out []*node
	if match(n) {
		out = append(out, n)
	}
	for _, c := range n.Children {
		out = append(out, c.all(match)...)
	}
	return out
}

func (n *node) text() string {
	var b strings.Builder
	b.WriteString(n.Text)
	for _, c := range n.Children {
		if c.Name != "title" {
			b.WriteString(c.text())
		}
	}
	return b.String()
}

func (n *node) child(name string) *node {
	for _, c := range n.Children {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// parseSVG reads the output token by token as strict XML and checks what
// every drawing must be: one svg root with role="img", its <title> and
// <desc> first, named by aria-labelledby, and no inline style.
func parseSVG(t *testing.T, out string) *node {
	t.Helper()
	if strings.Contains(strings.ToLower(out), "style") {
		t.Errorf("the output has a style attribute or element:\n%s", out)
	}
	dec := xml.NewDecoder(strings.NewReader(out))
	var root *node
	var stack []*node
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			n := &node{Name: tok.Name.Local, Attr: map[string]string{}}
			for _, a := range tok.Attr {
				n.Attr[a.Name.Local] = a.Value
			}
			if len(stack) == 0 {
				if root != nil {
					t.Fatal("more than one root element")
				}
				root = n
			} else {
				p := stack[len(stack)-1]
				p.Children = append(p.Children, n)
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].Text += string(tok)
			} else if strings.TrimSpace(string(tok)) != "" {
				t.Fatalf("text outside the root: %q", tok)
			}
		}
	}
	if root == nil || root.Name != "svg" {
		t.Fatalf("the root is not an svg:\n%s", out)
	}
	if root.Attr["role"] != "img" {
		t.Errorf("role = %q", root.Attr["role"])
	}
	if len(root.Children) < 2 || root.Children[0].Name != "title" || root.Children[1].Name != "desc" {
		t.Fatalf("title and desc are not the first children:\n%s", out)
	}
	title, desc := root.Children[0], root.Children[1]
	if strings.TrimSpace(title.Text) == "" || strings.TrimSpace(desc.Text) == "" {
		t.Errorf("empty title or desc: %q, %q", title.Text, desc.Text)
	}
	if want := title.Attr["id"] + " " + desc.Attr["id"]; root.Attr["aria-labelledby"] != want || title.Attr["id"] == "" {
		t.Errorf("aria-labelledby = %q, want %q", root.Attr["aria-labelledby"], want)
	}
	return root
}

// render runs a template of the real template set.
func render(t *testing.T, name string, data any) string {
	t.Helper()
	e, err := NewEngine()
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := e.Render(&b, name, data); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func num(t *testing.T, s string) float64 {
	t.Helper()
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return f
}

const nastyTitle = `Rekrutacja <script>alert("x")</script> & szkolenia 'A'`

// A project of 2017–2018 seen on 1 June 2018: one milestone of each kind.
func timelineFixture() (*store.Project, []*store.Milestone, time.Time) {
	p := &store.Project{Meta: store.Meta{ID: 7}, Name: "Aktywna integracja & <b>PO WER</b>", From: day(2017, 3, 1), To: day(2018, 12, 31)}
	ms := []*store.Milestone{
		{Title: nastyTitle, Status: store.MilestoneDone, Actual: day(2017, 11, 28),
			Planned: store.Period{From: day(2017, 4, 1), To: day(2017, 11, 30)}, Baseline: store.Period{From: day(2017, 4, 1), To: day(2017, 11, 30)}},
		{Title: "Raport okresowy", Status: store.MilestonePlanned,
			Planned: store.Period{From: day(2018, 2, 15)}, Baseline: store.Period{From: day(2018, 1, 15)}},
		{Title: "Superwizja", Status: store.MilestoneInProgress,
			Planned: store.Period{From: day(2018, 1, 1), To: day(2018, 9, 30)}, Baseline: store.Period{From: day(2017, 11, 1), To: day(2018, 6, 30)}},
		{Title: "Wyjazd integracyjny", Status: store.MilestoneCancelled, Planned: store.Period{From: day(2018, 5, 20)}, Baseline: store.Period{From: day(2018, 5, 20)}},
		{Title: strings.Repeat("Długi tytuł kamienia milowego ", 5), Status: store.MilestonePlanned,
			Planned: store.Period{From: day(2018, 12, 31)}, Baseline: store.Period{From: day(2018, 12, 31)}},
	}
	return p, ms, day(2018, 6, 1)
}

// rows are the milestone groups of a rendered timeline, by full title.
func rows(root *node) map[string]*node {
	out := map[string]*node{}
	for _, g := range root.all(func(n *node) bool { return n.Name == "g" && n.class("tl-row") }) {
		title := g.child("title")
		if title == nil || g.Children[0] != title {
			continue
		}
		out[strings.SplitN(title.Text, " — ", 2)[0]] = g
	}
	return out
}

func label(g *node) string {
	for _, c := range g.Children {
		if c.Name == "text" && c.class("tl-label") {
			return c.Text
		}
	}
	return ""
}

func hasClass(g *node, c string) bool {
	return len(g.all(func(n *node) bool { return n.class(c) })) > 0
}

func TestTimelineRendersValidSVG(t *testing.T) {
	p, ms, today := timelineFixture()
	for _, lang := range Languages {
		l := For(lang)
		tl := NewTimeline(l, p, ms, today)
		out := render(t, "timeline", tl)
		root := parseSVG(t, out)
		if got := root.Children[0].Text; got != l.T("timeline.title", "Name", p.Name) {
			t.Errorf("%s: title = %q", lang, got)
		}
		if len(rows(root)) != len(ms) {
			t.Errorf("%s: %d rows, want %d:\n%s", lang, len(rows(root)), len(ms), out)
		}
	}
	tl := NewTimeline(For("pl"), p, ms, today)
	if want := "5 kamieni milowych; zrealizowane: 1, opóźnione: 1. Odwołane: 1."; tl.Desc != want {
		t.Errorf("desc = %q, want %q", tl.Desc, want)
	}
	if got := NewTimeline(For("en"), p, ms[:1], today).Desc; got != "1 milestone; done: 1, late: 0." {
		t.Errorf("en desc = %q", got)
	}
}

func TestTimelineMarksStatusByShapeAndText(t *testing.T) {
	p, ms, today := timelineFixture()
	for _, lang := range Languages {
		l := For(lang)
		root := parseSVG(t, render(t, "timeline", NewTimeline(l, p, ms, today)))
		rs := rows(root)
		lateText, doneMark := l.T("timeline.mark_late"), l.T("timeline.mark_done")

		late := rs["Raport okresowy"]
		if late == nil {
			t.Fatalf("%s: no row for the late milestone", lang)
		}
		if !ms[1].Late(today) {
			t.Fatal("the fixture's milestone is not late")
		}
		if !late.class("late") || !hasClass(late, "tl-late-mark") || !strings.Contains(late.text(), "!") {
			t.Errorf("%s: the late milestone has no late sign", lang)
		}
		if !strings.HasSuffix(label(late), " "+lateText) {
			t.Errorf("%s: late label = %q", lang, label(late))
		}

		done := rs[nastyTitle]
		if done == nil {
			t.Fatalf("%s: no row for the done milestone (escaping?)", lang)
		}
		if hasClass(done, "tl-late-mark") || strings.Contains(label(done), lateText) {
			t.Errorf("%s: the done milestone is marked late", lang)
		}
		if !hasClass(done, "done") || !strings.HasSuffix(label(done), " "+doneMark) {
			t.Errorf("%s: done label = %q", lang, label(done))
		}
		if len(done.all(func(n *node) bool { return n.Name == "rect" && n.class("tl-bar") })) != 1 {
			t.Errorf("%s: a phase is not drawn as one bar", lang)
		}
		if hasClass(done, "tl-baseline") {
			t.Errorf("%s: a milestone never re-planned shows a baseline", lang)
		}

		// Re-planned: the baseline's dashed outline, a diamond for a day and
		// a bar for a phase; the tooltip says where it was.
		if b := late.all(func(n *node) bool { return n.Name == "polygon" && n.class("tl-baseline") }); len(b) != 1 {
			t.Errorf("%s: the re-planned day has no baseline diamond", lang)
		}
		phase := rs["Superwizja"]
		if b := phase.all(func(n *node) bool { return n.Name == "rect" && n.class("tl-baseline") }); len(b) != 1 {
			t.Errorf("%s: the re-planned phase has no baseline outline", lang)
		}
		if !strings.Contains(phase.child("title").Text, "01.11.2017–30.06.2018") {
			t.Errorf("%s: tooltip = %q", lang, phase.child("title").Text)
		}
		if hasClass(phase, "tl-late-mark") || !phase.class("in-progress") {
			t.Errorf("%s: the running phase is drawn as %q", lang, phase.Attr["class"])
		}

		cancelled := rs["Wyjazd integracyjny"]
		if !cancelled.class("cancelled") || !hasClass(cancelled, "tl-strike") || !strings.HasSuffix(label(cancelled), l.T("timeline.mark_cancelled")) {
			t.Errorf("%s: the cancelled milestone is not crossed out and named", lang)
		}
	}
}

func TestTimelineShortensLongTitles(t *testing.T) {
	p, ms, today := timelineFixture()
	tl := NewTimeline(For("pl"), p, ms, today)
	long := tl.Rows[4]
	if n := utf8.RuneCountInString(long.Label); n > tlLabelMax || !strings.HasSuffix(long.Label, "…") {
		t.Errorf("label %q (%d runes)", long.Label, n)
	}
	if !strings.HasPrefix(long.Hint, strings.TrimSpace(ms[4].Title)) {
		t.Errorf("the tooltip lacks the full title: %q", long.Hint)
	}
	// The last milestone is at the right end: its label ends there and
	// stays inside the drawing.
	if long.Anchor != "end" || long.LabelX > tl.Right {
		t.Errorf("label at %v, anchor %s", long.LabelX, long.Anchor)
	}
}

func TestTimelineEscapesTitles(t *testing.T) {
	p, ms, today := timelineFixture()
	out := render(t, "timeline", NewTimeline(For("pl"), p, ms, today))
	if strings.Contains(out, "<script") || strings.Contains(out, "<b>") {
		t.Fatalf("markup of a title came through:\n%s", out)
	}
	if !strings.Contains(out, "&lt;script&gt;") || !strings.Contains(out, "&amp; szkolenia") {
		t.Errorf("the title is not escaped:\n%s", out)
	}
	root := parseSVG(t, out)
	if rows(root)[nastyTitle] == nil {
		t.Error("the escaped title does not read back as written")
	}
	if !strings.Contains(root.Children[0].Text, "& <b>PO WER</b>") {
		t.Errorf("project name = %q", root.Children[0].Text)
	}
}

func TestTimelineToday(t *testing.T) {
	p, ms, today := timelineFixture()
	tl := NewTimeline(For("pl"), p, ms, today)
	if tl.Today == nil || tl.Today.X <= tl.Left || tl.Today.X >= tl.Right {
		t.Fatalf("today = %+v, axis %v–%v", tl.Today, tl.Left, tl.Right)
	}
	root := parseSVG(t, render(t, "timeline", tl))
	marks := root.all(func(n *node) bool { return n.Name == "g" && n.class("chart-today") })
	if len(marks) != 1 {
		t.Fatalf("%d today marks", len(marks))
	}
	line, text := marks[0].child("line"), marks[0].child("text")
	if x := num(t, line.Attr["x1"]); x <= float64(tl.Left) || x >= float64(tl.Right) {
		t.Errorf("today at %v", x)
	}
	if text.Text != "dziś" {
		t.Errorf("today label = %q", text.Text)
	}
	// 1 June 2018 lies 15 of 22 months into March 2017–December 2018.
	frac := (float64(tl.Today.X) - float64(tl.Left)) / float64(tl.Right-tl.Left)
	if frac < 15.0/22 || frac > 15.1/22 {
		t.Errorf("today at %.3f of the axis", frac)
	}
	if NewTimeline(For("en"), p, ms, day(2020, 1, 1)).Today != nil {
		t.Error("a today after the axis is drawn")
	}
}

func TestTimelineAxis(t *testing.T) {
	l := For("pl")
	p := &store.Project{Name: "Rok", From: day(2018, 1, 1), To: day(2018, 12, 31)}
	tl := NewTimeline(l, p, nil, day(2018, 6, 1))
	labels := 0
	for _, tk := range tl.Ticks {
		if tk.Month != "" {
			labels++
		}
	}
	if labels != 12 || tl.Ticks[0].Month != "sty" || tl.Ticks[0].Year != "2018" || len(tl.Ticks) != 13 {
		t.Errorf("a year: %d month labels, ticks %+v", labels, tl.Ticks)
	}
	if tl.Empty == "" || tl.Desc != l.T("timeline.none") {
		t.Errorf("no milestones: empty %q, desc %q", tl.Empty, tl.Desc)
	}
	parseSVG(t, render(t, "timeline", tl))

	// Over 18 months: a label a quarter; a milestone before the start
	// widens the axis.
	ms := []*store.Milestone{{Title: "Wcześniej", Status: store.MilestoneDone, Planned: store.Period{From: day(2017, 10, 10)}, Baseline: store.Period{From: day(2017, 10, 10)}}}
	p.To = day(2019, 12, 31)
	tl = NewTimeline(l, p, ms, day(2018, 6, 1))
	var months, years []string
	for _, tk := range tl.Ticks {
		if tk.Month != "" {
			months = append(months, tk.Month)
		}
		if tk.Year != "" {
			years = append(years, tk.Year)
		}
	}
	if strings.Join(months, " ") != "paź sty kwi lip paź sty kwi lip paź" || strings.Join(years, " ") != "2017 2018 2019" {
		t.Errorf("months %v, years %v", months, years)
	}

	// An open-ended project runs a year at least.
	open := &store.Project{Name: "Program", From: day(2018, 3, 1)}
	tl = NewTimeline(l, open, nil, day(2018, 4, 1))
	if last := tl.Ticks[len(tl.Ticks)-1]; last.X != tl.Right || len(tl.Ticks) != 14 {
		t.Errorf("open-ended: %d ticks", len(tl.Ticks))
	}
}
