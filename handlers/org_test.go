package handlers

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/gofiber/fiber/v2"

	"intranet/store"
)

// addPerson puts a person with Polish letters in a new unit at a new address.
func addPerson(t *testing.T, ta *testApp) *store.Staff {
	t.Helper()
	l := &store.Location{Name: "Filia – ul. Śląska 1", Street: "ul. Śląska 1", PostalCode: "42-600", City: "Tarnowskie Góry"}
	if err := ta.st.SaveLocation(store.System, l, 0); err != nil {
		t.Fatal(err)
	}
	u, err := ta.st.SaveUnitState(store.System, 0, 0, store.UnitState{From: store.Day(time.Now().AddDate(-1, 0, 0)), Name: "Zespół Testowy", Kind: store.KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	p := &store.Staff{FirstName: "Łucja", LastName: "Żółwińska", LocationID: l.ID,
		Phones: []string{"32 999-12-34"}, Room: "7", EmployedFrom: ta.st.Today().AddDate(-1, 0, 0)}
	p.AddAssignment(store.Assignment{UnitID: u.ID, Position: "asystent rodziny", From: p.EmployedFrom, Primary: true})
	if err := ta.st.SavePerson(store.System, p, 0); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDirectorySearchIgnoresCaseAndDiacritics(t *testing.T) {
	ta := newTestApp(t)
	addPerson(t, ta)
	c := ta.loggedIn(t, "pracownik")
	for _, q := range []string{"zolw", "ŻÓŁW", "lucja zolwinska", "slaska", "Śląska", "9991234", "999-12", "testowy"} {
		r := c.get("/staff?q=" + url.QueryEscape(q))
		mustContain(t, r, "Żółwińska Łucja")
		if !strings.Contains(r.body, "1 osoba") {
			t.Errorf("%q: expected exactly one person", q)
		}
	}
	r := c.get("/staff?q=nikogotakiego")
	mustContain(t, r, "Nikt nie pasuje do wyszukiwania.")
	// The active search gets the same page as a fragment.
	r = c.do("GET", "/staff?q=zolw", nil, map[string]string{"HX-Request": "true"})
	mustContain(t, r, `id="staff-results"`, "Żółwińska Łucja")
	mustNotContain(t, r, "<!DOCTYPE")
}

func TestDirectoryIsSortedThePolishWay(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	all := c.get("/staff?q=&page=1")
	// Ć sorts after C and before D; Ż after Z: Polish order, not byte order.
	i1, i2 := strings.Index(all.body, "Ćwiklińska"), strings.Index(all.body, "Dąbrowska")
	if i1 < 0 || i2 < 0 || i1 > i2 {
		t.Fatalf("Ćwiklińska (%d) should come before Dąbrowska (%d)", i1, i2)
	}
	mustContain(t, all, "Strona 1 z 3")
	last := c.get("/staff?page=3")
	iz, izz := strings.Index(last.body, ">Zając"), strings.Index(last.body, ">Żak")
	if iz < 0 || izz < 0 || iz > izz {
		t.Fatalf("Zając (%d) should come before Żak (%d)", iz, izz)
	}
}

func TestStructureAsOfDate(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "pracownik")
	before := c.get("/org?date=2017-08-31")
	mustContain(t, before, "Sekcja Pracy Socjalnej w Rejonach Opiekuńczych", "Stan na 31 sierpnia 2017")
	mustNotContain(t, before, "Zespół ds. Pracy Socjalnej<", "Dział Pracy Socjalnej i Asysty Rodzin")
	after := c.get("/org?date=01.09.2017")
	mustContain(t, after, "Zespół ds. Pracy Socjalnej", "Dział Pracy Socjalnej i Asysty Rodzin", "Stan na 1 września 2017")
	mustNotContain(t, after, "Sekcja Pracy Socjalnej w Rejonach Opiekuńczych")
	later := c.get("/org?date=2022-01-01")
	mustContain(t, later, "Zespół ds. Usług Opiekuńczych")
	bad := c.get("/org?date=31.02.2017")
	mustContain(t, bad, "Podaj datę jako dd.mm.rrrr.")
	if after.status != fiber.StatusOK || bad.status != fiber.StatusOK {
		t.Fatalf("statuses %d %d", after.status, bad.status)
	}
}

func findUnit(t *testing.T, ta *testApp, name string) *store.Unit {
	t.Helper()
	units, _ := ta.st.Units()
	for i := range units {
		for _, st := range units[i].States {
			if st.Name == name {
				return &units[i]
			}
		}
	}
	t.Fatalf("no unit %s", name)
	return nil
}

func TestRenameKeepsHistory(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "koordynator")
	u := findUnit(t, ta, "Zespół Realizacji Świadczeń")
	path := fmt.Sprintf("/org/units/%d", u.ID)
	c.get(path + "/edit")
	st := u.Current()
	form := url.Values{"version": {fmt.Sprint(u.Version)}, "mode": {"change"}, "from": {"2024-01-01"}, "name": {"Zespół Wypłat Świadczeń"},
		"kind": {"team"}, "parent": {fmt.Sprint(st.ParentID)}, "phones": {"32 111 22 33"}}
	for _, l := range st.Locations {
		form.Add("locations", fmt.Sprint(l))
	}
	r := c.post(path, form)
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("rename: %d\n%s", r.status, r.body)
	}
	page := c.get(path)
	mustContain(t, page, "Zespół Wypłat Świadczeń", "01.09.2017 – 31.12.2023", "01.01.2024 – obecnie")
	old := c.get(path + "?date=2020-05-05")
	mustContain(t, old, "<h1>Zespół Realizacji Świadczeń</h1>")
	// A date before the latest change is refused with the reason at the field.
	form.Set("from", "2019-01-01")
	form.Set("version", "2")
	r = c.post(path, form)
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("history rewrite: %d", r.status)
	}
	mustContain(t, r, "Data nie może być wcześniejsza niż ostatnia zapisana zmiana.", `value="Zespół Wypłat Świadczeń"`)
	// A stale form is a conflict, not an overwrite.
	form.Set("from", "2025-01-01")
	form.Set("version", "1")
	if r := c.post(path, form); r.status != fiber.StatusConflict {
		t.Fatalf("stale unit form: %d", r.status)
	}
	// The form offers a change from today; a correction is an explicit
	// choice and rewrites only the latest state, whatever the date says.
	mustContain(t, c.get(path+"/edit"), `value="`+ta.st.Today().Format("2006-01-02")+`"`, `id="mode-change" name="mode" value="change" checked`)
	form.Set("mode", "correct")
	form.Set("from", "2030-01-01")
	form.Set("name", "Zespół Wypłat Świadczeń Pieniężnych")
	form.Set("version", "2")
	if r := c.post(path, form); r.status != fiber.StatusSeeOther {
		t.Fatalf("correction: %d\n%s", r.status, r.body)
	}
	got, _ := ta.st.Unit(u.ID)
	if len(got.States) != 2 || got.Current().Name != "Zespół Wypłat Świadczeń Pieniężnych" || !got.Current().From.Equal(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("after the correction: %d states, %q from %v", len(got.States), got.Current().Name, got.Current().From)
	}
}

func TestDeletingAUnitWithPeopleIsRefused(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	u := findUnit(t, ta, "Zespół Asystentów Rodziny")
	path := fmt.Sprintf("/org/units/%d/delete", u.ID)
	mustContain(t, c.get(path), "Czy na pewno usunąć tę komórkę?")
	r := c.post(path, url.Values{"version": {"1"}})
	if r.status != fiber.StatusConflict {
		t.Fatalf("delete unit with people: %d", r.status)
	}
	mustContain(t, r, "Do komórki są przypisane osoby")
	if _, err := ta.st.Unit(u.ID); err != nil {
		t.Fatal("the unit is gone")
	}
	parent := findUnit(t, ta, "Dział Pracy Socjalnej i Asysty Rodzin")
	r = c.post(fmt.Sprintf("/org/units/%d/delete", parent.ID), url.Values{"version": {strconv.Itoa(parent.Version)}})
	mustContain(t, r, "Komórka ma komórki podległe")
	// An empty unit entered by mistake can go.
	empty, err := ta.st.SaveUnitState(store.System, 0, 0, store.UnitState{From: ta.st.Today(), Name: "Pomyłka", Kind: store.KindTeam})
	if err != nil {
		t.Fatal(err)
	}
	if r := c.post(fmt.Sprintf("/org/units/%d/delete", empty.ID), url.Values{"version": {"1"}}); r.status != fiber.StatusSeeOther {
		t.Fatalf("delete empty unit: %d", r.status)
	}
}

func TestPeopleEditOnlyTheirOwnPhoneAndRoom(t *testing.T) {
	ta := newTestApp(t)
	worker, _ := ta.st.UserByLogin("pracownik")
	me, _ := ta.st.PersonOfUser(worker.ID)
	c := ta.loggedIn(t, "pracownik")
	form := c.get(fmt.Sprintf("/staff/%d/edit", me.ID))
	mustContain(t, form, `name="phones"`, `name="room"`)
	mustNotContain(t, form, `name="position"`, `name="unit"`)
	r := c.post(fmt.Sprintf("/staff/%d", me.ID), url.Values{"version": {fmt.Sprint(me.Version)}, "phones": {"32 285 78 39\n600 100 200"},
		"room": {"12a"}, "position": {"Dyrektor"}, "unit": {"1"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("own edit: %d\n%s", r.status, r.body)
	}
	got, _ := ta.st.Person(me.ID)
	if got.Room != "12a" || len(got.Phones) != 2 || !slices.Equal(got.Assignments, me.Assignments) {
		t.Fatalf("after own edit: %+v", got)
	}
	r = c.post(fmt.Sprintf("/staff/%d", me.ID), url.Values{"version": {fmt.Sprint(got.Version)}, "phones": {"abc"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad phone: %d", r.status)
	}
	mustContain(t, r, "Numer telefonu może zawierać cyfry")
	people, _ := ta.st.People()
	other := people[0]
	if r := c.get(fmt.Sprintf("/staff/%d/edit", other.ID)); r.status != fiber.StatusForbidden {
		t.Fatalf("editing someone else: %d", r.status)
	}
	if r := c.post(fmt.Sprintf("/staff/%d", other.ID), url.Values{"room": {"1"}}); r.status != fiber.StatusForbidden {
		t.Fatalf("posting someone else: %d", r.status)
	}
}

func upload(t *testing.T, c *client, path, field, name string, content []byte, extra url.Values) response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for k, vs := range extra {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	_ = w.WriteField("_csrf", c.csrf)
	fw, _ := w.CreateFormFile(field, name)
	_, _ = fw.Write(content)
	w.Close()
	req := httptest.NewRequest("POST", path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for k, v := range c.cookies {
		req.Header.Add("Cookie", k+"="+v)
	}
	resp, err := c.ta.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out bytes.Buffer
	_, _ = out.ReadFrom(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: out.String()}
}

func TestStaffImportPreviewAndAllOrNothing(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "koordynator")
	c.get("/staff/import")
	before, _ := ta.st.People()
	bad := "last_name;first_name;job_title;unit;location;room;phones;email;field_worker;employed_from;employed_to\n" +
		"Nowicka;Ilona;pracownik socjalny;zespol ds. pracy socjalnej;ul. Sienkiewicza 8;3;32 100 20 30;;tak;01.02.2024;\n" +
		"Bąk;;asystent rodziny;Zespół Nieistniejący;;;;;może;2024-13-01;\n"
	r := upload(t, c, "/staff/import", "file", "ludzie.csv", []byte(bad), nil)
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad import preview: %d", r.status)
	}
	mustContain(t, r, "1 wiersz ma błędy.", "Niczego nie zapisano", "Nie ma komórki o tej nazwie.", "To pole jest wymagane.", "Wpisz tak lub nie.", "Podaj datę jako dd.mm.rrrr.")
	mustNotContain(t, r, `name="confirm"`)
	// Forcing the confirmation with the bad file changes nothing either.
	r = c.post("/staff/import", url.Values{"confirm": {"1"}, "csv": {bad}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("forced bad import: %d", r.status)
	}
	if after, _ := ta.st.People(); len(after) != len(before) {
		t.Fatalf("a failed import changed the people: %d → %d", len(before), len(after))
	}
	good := strings.SplitAfter(bad, "\n")[0] + strings.SplitAfter(bad, "\n")[1] +
		"Bąk,Ewa,asystent rodziny\n" // a short row is fine when the unit… is missing: must be reported
	r = upload(t, c, "/staff/import", "file", "ludzie.csv", []byte(good), nil)
	mustContain(t, r, "To pole jest wymagane.")
	good = strings.SplitAfter(bad, "\n")[0] + strings.SplitAfter(bad, "\n")[1]
	r = upload(t, c, "/staff/import", "file", "ludzie.csv", []byte("\ufeff"+good), nil)
	if r.status != fiber.StatusOK {
		t.Fatalf("good preview: %d\n%s", r.status, r.body)
	}
	mustContain(t, r, "Plik jest poprawny: 1 osoba do dodania.", "Zaimportuj 1 osobę", "Zespół ds. Pracy Socjalnej")
	if after, _ := ta.st.People(); len(after) != len(before) {
		t.Fatal("the preview saved something")
	}
	r = c.post("/staff/import", url.Values{"confirm": {"1"}, "csv": {good}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("import: %d\n%s", r.status, r.body)
	}
	after, _ := ta.st.People()
	if len(after) != len(before)+1 {
		t.Fatalf("import added %d people", len(after)-len(before))
	}
	mustContain(t, c.get("/staff?q=nowicka"), "Nowicka Ilona", "32 100 20 30")
}

func TestCSVExports(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "pracownik")
	for path, want := range map[string]string{
		"/staff.csv":     "last_name;first_name;job_title;unit",
		"/org/units.csv": "Zespół ds. Usług Opiekuńczych",
		"/locations.csv": "ul. Janasa 9;42-612",
	} {
		r := c.get(path)
		if r.status != fiber.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || !strings.HasPrefix(r.body, "\ufeff") {
			t.Fatalf("%s: %d %q", path, r.status, r.header.Get("Content-Type"))
		}
		mustContain(t, r, want)
	}
}

func TestLocationsAndAnnouncements(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	list := c.get("/locations")
	mustContain(t, list, "Kasa – ul. Janasa 9", "wtorek", "10:00–14:00", "Wejście od podwórka")
	c.get("/locations/new")
	r := c.post("/locations", url.Values{"name": {"Nowa"}, "street": {"ul. Nowa 1"}, "postal_code": {"42600"}, "city": {"Tarnowskie Góry"}, "hours1": {"15:00-9:00"}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("bad location: %d", r.status)
	}
	mustContain(t, r, "Kod pocztowy w formacie 42-600.", "Godziny w formacie 08:00-15:00", `value="ul. Nowa 1"`)
	r = c.post("/locations", url.Values{"name": {"Nowa"}, "street": {"ul. Nowa 1"}, "postal_code": {"42-600"}, "city": {"Tarnowskie Góry"}, "hours1": {"9.00-15.00"}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("location: %d", r.status)
	}
	c.get("/announcements/new")
	r = c.post("/announcements", url.Values{"title": {""}, "body": {""}, "valid_from": {"2026-01-02"}, "valid_to": {"2026-01-01"}})
	mustContain(t, r, "To pole jest wymagane.", "Data końcowa nie może być wcześniejsza niż początkowa.")
	r = c.post("/announcements", url.Values{"title": {"Szkolenie BHP"}, "body": {"W piątek o 9:00."}, "valid_from": {store.Day(time.Now()).Format("2006-01-02")}})
	if r.status != fiber.StatusSeeOther {
		t.Fatalf("announcement: %d", r.status)
	}
	mustContain(t, ta.loggedIn(t, "pracownik").get("/"), "Szkolenie BHP", "Kasa czynna we wtorki")
}

func TestBrowserActiveStaffSearch(t *testing.T) {
	ta := newTestApp(t)
	addPerson(t, ta)
	base := ta.serve(t)
	ctx, problems := browser(t)
	var results, loc string
	err := chromedp.Run(ctx,
		chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(`#login`, "pracownik", chromedp.ByID),
		chromedp.SendKeys(`#password`, "demo", chromedp.ByID),
		chromedp.Submit(`#password`, chromedp.ByID),
		chromedp.WaitVisible(`#home-news`, chromedp.ByID), // a full page load after signing in
		htmxReady(`#home-news`),
		chromedp.Click(`#site-nav a[href="/staff"]`, chromedp.ByQuery),
		htmxReady(`#staff-results`), // typing before htmx settles the page loses keys
		chromedp.SendKeys(`#q`, "zolw", chromedp.ByID),
		chromedp.Poll(`document.querySelector('#staff-results').innerText.includes('Żółwińska') && !document.querySelector('#staff-results').innerText.includes('Dąbrowska')`, nil, chromedp.WithPollingTimeout(10*time.Second)),
		chromedp.Text(`#staff-results`, &results, chromedp.ByID),
		chromedp.Location(&loc),
	)
	if err != nil {
		t.Fatalf("%v (browser problems: %v)", err, problems())
	}
	if !strings.Contains(results, "Żółwińska") || strings.Contains(results, "Dąbrowska") || !strings.Contains(loc, "q=zolw") {
		t.Fatalf("active search: %q at %s", results, loc)
	}
	// The bookmarked URL gives the same result without JavaScript.
	r := ta.loggedIn(t, "pracownik").get(strings.TrimPrefix(loc, base))
	mustContain(t, r, "Żółwińska Łucja")
	if p := problems(); len(p) > 0 {
		t.Fatalf("browser problems: %v", p)
	}
}

func TestReviewedStructureEdgeCases(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "admin")
	// An update without the version it was read at is refused, not applied.
	people, _ := ta.st.People()
	p := people[3]
	r := c.post(fmt.Sprintf("/staff/%d", p.ID), url.Values{"first_name": {"X"}, "last_name": {p.LastName}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("update without version: %d", r.status)
	}
	mustContain(t, r, "ormularz jest niekompletny albo nieaktualny")
	if got, _ := ta.st.Person(p.ID); got.FirstName != p.FirstName {
		t.Fatal("an update without a version was applied")
	}
	// The unit form keeps a head who joined after the unit's latest change.
	iod := findUnit(t, ta, "Inspektor Ochrony Danych")
	head, _ := ta.st.Person(iod.Current().HeadID)
	form := c.get(fmt.Sprintf("/org/units/%d/edit", iod.ID))
	mustContain(t, form, fmt.Sprintf(`<option value="%d" selected>`, head.ID))
	// The flash message survives an anchor in the address.
	if got := withOK("/locations#location-5", "saved"); got != "/locations?ok=saved#location-5" {
		t.Fatalf("withOK = %q", got)
	}
	// Re-importing the export adds nobody: every row is already there.
	export := c.get("/staff.csv")
	c.get("/staff/import")
	r = c.post("/staff/import", url.Values{"csv": {export.body}})
	if r.status != fiber.StatusUnprocessableEntity {
		t.Fatalf("re-import preview: %d", r.status)
	}
	mustContain(t, r, "Ta osoba już jest w tej komórce")
}

// The README's search examples find people in the demo centre.
func TestReadmeSearchExamplesWorkInTheDemo(t *testing.T) {
	ta := newTestApp(t)
	c := ta.loggedIn(t, "pracownik")
	for q, want := range map[string]string{"wisniewska": "Wiśniewska", "lukasik": "Łukasik", "zaneta": "Żaneta"} {
		r := c.get("/staff?q=" + q)
		if !strings.Contains(r.body, want) {
			t.Errorf("%q finds no %s", q, want)
		}
	}
}
