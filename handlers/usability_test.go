package handlers

import (
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"intranet/store"
	"intranet/views"
)

// helpProblems lists the help texts of a page's forms that no control is
// tied to. The rule, as a screen reader needs it: inside a form, every
// help text that follows a control — a <p> or <div> with the class help or
// hint — has an id that some aria-describedby of the same form names (the
// control it explains, or the fieldset of the group it explains), so that
// it is read with the control and not only when someone reads the page
// line by line. A help text before the form's first visible control
// introduces the whole form and is read before any of it. A message in a
// live region (aria-live, role="status") is read when it appears. Inline
// hints (<span class="hint">) annotate a row's data or belong to a label's
// text; they are not help. Every id an aria-describedby names must exist.
func helpProblems(page string) []string {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return []string{err.Error()}
	}
	ids := map[string]bool{}
	var forms []*html.Node
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		if id := attr(html.Token{Attr: n.Attr}, "id"); id != "" {
			ids[id] = true
		}
		if n.DataAtom == atom.Form {
			forms = append(forms, n)
		}
	}
	var problems []string
	for _, form := range forms {
		described := map[string]bool{}
		for n := range form.Descendants() {
			for _, id := range strings.Fields(attr(html.Token{Attr: n.Attr}, "aria-describedby")) {
				described[id] = true
				if !ids[id] {
					problems = append(problems, "aria-describedby names "+id+", which is not on the page")
				}
			}
		}
		controls := false
		for n := range form.Descendants() {
			if n.Type != html.ElementNode {
				continue
			}
			tok := html.Token{Attr: n.Attr}
			switch n.DataAtom {
			case atom.Select, atom.Textarea:
				controls = true
			case atom.Input:
				controls = controls || attr(tok, "type") != "hidden"
			case atom.P, atom.Div:
				class := strings.Fields(attr(tok, "class"))
				if !controls || !(slices.Contains(class, "help") || slices.Contains(class, "hint")) || live(n) {
					continue
				}
				if id := attr(tok, "id"); id == "" || !described[id] {
					problems = append(problems, "help text not tied to a control (id "+id+", form "+attr(html.Token{Attr: form.Attr}, "action")+"): "+strings.TrimSpace(text(n)))
				}
			}
		}
	}
	return problems
}

// live reports whether n is in a live region: read out when it changes.
func live(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		tok := html.Token{Attr: n.Attr}
		if attr(tok, "aria-live") != "" || attr(tok, "role") == "status" {
			return true
		}
	}
	return false
}

func text(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return b.String()
}

func TestHelpProblemsFindsLooseHelp(t *testing.T) {
	tied := `<form action="/x"><input id="a" aria-describedby="a-help"><p class="help" id="a-help">Pomoc</p></form>`
	loose := `<form action="/x"><p class="help">Wstęp</p><input id="a"><p class="help">Pomoc</p><p class="hint" id="h">Też</p></form>`
	broken := `<form action="/x"><input id="a" aria-describedby="nope"></form>`
	if p := helpProblems(tied); len(p) != 0 {
		t.Errorf("tied help: %v", p)
	}
	if p := helpProblems(loose); len(p) != 2 {
		t.Errorf("loose help: %v, want two problems (the introduction is fine)", p)
	}
	if p := helpProblems(broken); len(p) != 1 {
		t.Errorf("a reference to nothing: %v", p)
	}
}

// TestEveryHelpTextIsTiedToItsControl reads every page the accessibility
// check visits (the administrator's, and the monitoring specialist's own
// forms) with the rule of helpProblems.
func TestEveryHelpTextIsTiedToItsControl(t *testing.T) {
	ta := newTestApp(t)
	_, signedIn := everyPage(t, ta)
	check := func(c *client, who string, paths []string) {
		for _, p := range paths {
			for _, problem := range helpProblems(c.get(p).body) {
				t.Errorf("%s %s: %s", who, p, problem)
			}
		}
	}
	check(ta.loggedIn(t, "admin"), "admin", signedIn)
	check(ta.loggedIn(t, "monitoring"), "monitoring", slices.Sorted(maps.Keys(axeOthers)))
}

// A person posted without the first day of work is refused, the summary
// naming the field: head counts as of a day rest on it.
func TestPersonWithoutEmploymentStartIsRefused(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	c.get("/staff/new")
	r := c.post("/staff", url.Values{"first_name": {"Jan"}, "last_name": {"Bezdaty"}, "unit": {"1"}, "position": {"referent"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("%d", r.status)
	}
	pl := views.For("pl")
	fields, lines := summary(t, r.body)
	if !slices.Equal(fields, []string{"employed_from"}) {
		t.Fatalf("summary lists %v", fields)
	}
	if want := pl.T("staff.employed_from") + ": " + strings.ToLower(pl.T("error.date_required")[:1]) + pl.T("error.date_required")[1:]; lines[0] != want {
		t.Errorf("line %q, want %q", lines[0], want)
	}
	mustContain(t, r, `id="employed_from-err"`)
	people, _ := ta.st.People()
	for _, p := range people {
		if p.LastName == "Bezdaty" {
			t.Fatal("the person was saved")
		}
	}
}

// card is the text of the element with the id, up to the end of its
// section (the page's structure around it may change; the card stays).
func card(t *testing.T, body, id string) string {
	t.Helper()
	at := strings.Index(body, `id="`+id+`"`)
	if at < 0 {
		t.Fatalf("no %s on the page", id)
	}
	end := strings.Index(body[at:], "</section>")
	if end < 0 {
		end = len(body) - at
	}
	return body[at : at+end]
}

// The locations say "nieczynne" on a day a place is closed and "całą
// dobę" for a place open all day, and show the archived ones apart,
// after those in use.
func TestLocationsShowHoursInWordsAndArchivedApart(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	d, err := ta.st.Org()
	if err != nil {
		t.Fatal(err)
	}
	var allDay, closedDay, archived, open *store.Location
	for i := range d.Locations {
		l := &d.Locations[i]
		switch {
		case l.Archived:
			archived = l
		case l.Hours[0] == "00:00–24:00":
			allDay = l
		case l.Hours[0] == "" && l.Hours[1] != "":
			closedDay = l // closed on Monday, open on Tuesday
		default:
			open = l
		}
	}
	if allDay == nil || closedDay == nil || archived == nil || open == nil {
		t.Fatal("the demo lacks a place open all day, one closed some days, one archived, one in use")
	}
	r := c.get("/locations")
	pl := views.For("pl")
	id := func(l *store.Location) string { return "location-" + strconv.FormatUint(l.ID, 10) }
	if all := card(t, r.body, id(allDay)); strings.Count(all, pl.T("locations.all_day")) != 7 || strings.Contains(all, "00:00–24:00") {
		t.Errorf("a place open all day does not say %q every day:\n%s", pl.T("locations.all_day"), all)
	}
	if closed := card(t, r.body, id(closedDay)); !strings.Contains(closed, pl.T("locations.closed")) || !strings.Contains(closed, closedDay.Hours[1]) {
		t.Errorf("a place closed on Monday does not say %q:\n%s", pl.T("locations.closed"), closed)
	}
	heading := strings.Index(r.body, pl.T("locations.archived_title"))
	if heading < 0 || strings.Index(r.body, id(archived)) < heading || strings.Index(r.body, id(open)) > heading {
		t.Errorf("the archived location is not shown apart, after %q", pl.T("locations.archived_title"))
	}
	mustContain(t, r, pl.T("locations.archived_help"))
}

// Expired announcements are shown apart, after the current ones and
// those still to come, each under its own heading.
func TestExpiredAnnouncementsAreShownApart(t *testing.T) {
	ta := newTestApp(t)
	today := ta.st.Today()
	soon := store.Announcement{Title: "Zebranie w przyszłym miesiącu", Body: "Treść.", ValidFrom: today.AddDate(0, 1, 0)}
	if err := ta.st.SaveAnnouncement(store.System, &soon, 0); err != nil {
		t.Fatal(err)
	}
	c := ta.loggedIn(t, "admin")
	r := c.get("/announcements")
	pl := views.For("pl")
	at := func(s string) int {
		i := strings.Index(r.body, s)
		if i < 0 {
			t.Fatalf("the page lacks %q", s)
		}
		return i
	}
	current, upcoming, expired := at(">"+pl.T("announcements.current")+"<"), at(">"+pl.T("announcements.upcoming")+"<"), at(pl.N("announcements.expired", 2))
	order := []int{current, at("Kasa czynna we wtorki"), at("Nowy regulamin organizacyjny"), upcoming, at(soon.Title), expired,
		at("Organizacja pracy od 13.10.2020"), at("Wznowienie bezpośredniej obsługi klientów")}
	if !slices.IsSorted(order[:3]) || !slices.IsSorted(order[3:5]) || !slices.IsSorted(order[5:]) ||
		order[2] > upcoming || order[4] > expired {
		t.Errorf("current, upcoming and expired announcements are not apart: positions %v", order)
	}
	// The home page shows the current ones only.
	home := c.get("/")
	mustContain(t, home, "Kasa czynna we wtorki")
	mustNotContain(t, home, soon.Title, "Organizacja pracy od 13.10.2020")
}

// A unit's page says how its count of people relates to the tree's: the
// tree counts the unit with its sub-units, the page lists its own people.
func TestUnitPageExplainsItsCountAgainstTheTree(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	d, _ := ta.st.Org()
	today := ta.st.Today()
	var withSubUnits, leaf *store.OrgNode
	var walk func([]*store.OrgNode)
	walk = func(nodes []*store.OrgNode) {
		for _, n := range nodes {
			if len(n.Children) > 0 && n.Total > n.Staff && withSubUnits == nil {
				withSubUnits = n
			}
			if len(n.Children) == 0 && n.Staff > 0 && leaf == nil {
				leaf = n
			}
			walk(n.Children)
		}
	}
	walk(d.Tree(today).Roots)
	if withSubUnits == nil || leaf == nil {
		t.Fatal("the demo lacks a unit with people below it, or one without sub-units")
	}
	pl := views.For("pl")
	tree := c.get("/org")
	mustContain(t, tree, withSubUnits.State.Name, "· "+pl.N("org.people", withSubUnits.Total))
	page := c.get("/org/units/" + strconv.FormatUint(withSubUnits.Unit.ID, 10))
	mustContain(t, page, pl.T("org.people_below", "Here", pl.N("org.people", withSubUnits.Staff), "Total", pl.N("org.people", withSubUnits.Total)))
	// A unit without sub-units counts the same here and in the tree: nothing to explain.
	page = c.get("/org/units/" + strconv.FormatUint(leaf.Unit.ID, 10))
	mustNotContain(t, page, "razem z komórkami podległymi")
	mustContain(t, page, pl.T("org.people_title")+" ("+strconv.Itoa(leaf.Staff)+")")
}

// On /org only a unit with sub-units has a toggle (<details>), and the
// toggle counts them.
func TestOnlyUnitsWithSubUnitsHaveAToggle(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	doc, err := html.Parse(strings.NewReader(c.get("/org").body))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := ta.st.Org()
	children := map[string]int{}
	var walk func([]*store.OrgNode)
	walk = func(nodes []*store.OrgNode) {
		for _, n := range nodes {
			children[n.State.Name] = len(n.Children)
			walk(n.Children)
		}
	}
	walk(d.Tree(ta.st.Today()).Roots)
	pl := views.For("pl")
	seen := 0
	for n := range doc.Descendants() {
		if n.DataAtom != atom.Li {
			continue
		}
		var name string
		var toggle *html.Node
		for ch := range n.ChildNodes() {
			switch {
			case ch.DataAtom == atom.Div:
				for a := range ch.Descendants() {
					if a.DataAtom == atom.A && attr(html.Token{Attr: a.Attr}, "class") == "unit-name" {
						name = text(a)
					}
				}
			case ch.DataAtom == atom.Details:
				toggle = ch
			}
		}
		want, ok := children[name]
		if name == "" || !ok {
			continue
		}
		seen++
		switch {
		case want == 0 && toggle != nil:
			t.Errorf("%s has no sub-units but a toggle", name)
		case want > 0 && toggle == nil:
			t.Errorf("%s has %d sub-units and no toggle", name, want)
		case want > 0 && !strings.Contains(text(toggle), pl.N("org.subunits", want)):
			t.Errorf("the toggle of %s does not say %q", name, pl.N("org.subunits", want))
		}
	}
	if seen != len(children) {
		t.Errorf("%d units on /org, the tree has %d", seen, len(children))
	}
}

// On a person's page and in the directory every phone number is a tel:
// link, written one way whatever way it was typed (views.Phone).
func TestPhonesAreTelLinksInOneFormat(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	people, _ := ta.st.People()
	var p store.Staff
	for _, x := range people {
		if x.EmployedTo.IsZero() && len(x.Phones) > 0 {
			p = x
			break
		}
	}
	typed := []string{"32 285-78-39", "(32) 2857840", "600100200"}
	p.Phones = typed
	if err := ta.st.SavePerson(store.System, &p, 0); err != nil {
		t.Fatal(err)
	}
	link := regexp.MustCompile(`<a href="(tel:[^"]*)"[^>]*>([^<]*)</a>`)
	hrefs := regexp.MustCompile(`href="[^"]*"`)
	for _, page := range []string{"/staff/" + strconv.FormatUint(p.ID, 10), "/staff?q=" + url.QueryEscape(p.LastName+" "+p.FirstName)} {
		r := c.get(page)
		var shown []string
		for _, m := range link.FindAllStringSubmatch(r.body, -1) {
			shown = append(shown, m[2])
			if want := string(views.Tel(m[2])); html.UnescapeString(m[1]) != want {
				t.Errorf("%s: %s links to %s, want %s", page, m[2], m[1], want)
			}
		}
		for _, ph := range typed {
			if !slices.Contains(shown, views.Phone(ph)) {
				t.Errorf("%s: %q is not a tel: link shown as %q (links: %v)", page, ph, views.Phone(ph), shown)
			}
			if views.Phone(ph) != ph && strings.Contains(hrefs.ReplaceAllString(r.body, ""), ph) {
				t.Errorf("%s: %q is shown as typed", page, ph)
			}
		}
	}
	if views.Phone("32 285-78-39") != "32 285 78 39" || views.Phone("600100200") != "600 100 200" {
		t.Fatal("views.Phone writes numbers otherwise than the test expects")
	}
}
