package handlers

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"intranet/store"
)

// The evidence chain in a real browser: the trainer confirms a list and
// attaches the scan of the signed paper; the coordinator opens the
// course's evidence pack and prints it, and the PDF names both.
func TestBrowserEvidenceChain(t *testing.T) {
	needPdftotext(t)
	ta := newTestApp(t)
	base := ta.serve(t)
	trener, _ := ta.st.UserByLogin("trener")
	mine, err := ta.st.TrainerOfUser(trener.ID)
	if err != nil || mine == nil {
		t.Fatalf("the demo trainer account has no trainer: %v", err)
	}
	// A session of the trainer's that took place, marked, not confirmed.
	today := ta.st.Today()
	list, _ := ta.st.TrainerSessions(mine.ID, today.AddDate(-1, 0, 0), today, 200)
	var ss *store.Session
	for i := range list {
		if list[i].Status == store.SessionPlanned && list[i].Confirmed == nil && len(list[i].Participants) > 0 {
			ss = &list[i]
		}
	}
	if ss == nil {
		t.Fatal("the demo trainer has no list to confirm")
	}
	marks, _ := ta.st.Marks(ss.ID)
	for _, p := range ss.Participants {
		if _, ok := marks[p]; !ok {
			if _, err := ta.st.MarkAttendance(store.System, ss.ID, p, 0, store.Present, 0, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	scan := filepath.Join(t.TempDir(), "lista-podpisana.pdf")
	if err := os.WriteFile(scan, store.DemoScanPDF("Lista obecnosci", "podpisy uczestnikow"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, problems := browser(t)
	run := func(step string, actions ...chromedp.Action) {
		t.Helper()
		if err := chromedp.Run(ctx, actions...); err != nil {
			screenshot(t, ctx, "evidence-chain-failed")
			t.Fatalf("%s: %v (browser problems: %v)", step, err, problems())
		}
	}
	path := base + "/schedule/sessions/" + strconv.FormatUint(ss.ID, 10)
	run("sign in as the trainer", signInAs(base, "trener"))
	run("confirm the list", chromedp.Navigate(path), htmxReady(`#attendance`),
		chromedp.Click(`form[action$="/confirm"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#attendance .alert.success`, chromedp.ByQuery))
	run("attach the scan", htmxReady(`#scan-file`),
		chromedp.SetUploadFiles(`#scan-file`, []string{scan}, chromedp.ByID),
		chromedp.Click(`form[action$="/scans"] button[type="submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`#scans ul.files a[download]`, chromedp.ByQuery))
	confirmed, _ := ta.st.Session(ss.ID)
	if confirmed.Confirmed == nil || confirmed.Confirmed.By != "trener" {
		t.Fatalf("the list is not confirmed by the trainer: %+v", confirmed.Confirmed)
	}
	run("sign out", chromedp.Click(`form[action="/logout"] button`, chromedp.ByQuery), chromedp.WaitVisible(`#login`, chromedp.ByID))
	run("sign in as the coordinator", signInAs(base, "koordynator"))
	var pdf []byte
	run("print the evidence pack", chromedp.Navigate(base+"/schedule/courses/"+strconv.FormatUint(ss.CourseID, 10)+"/evidence"),
		chromedp.WaitVisible(`#ev-sessions-h`, chromedp.ByID), printPage(&pdf))
	text := pdfWords(t, pdf)
	for _, want := range []string{"Pakiet dokumentów do kontroli", "Realizacja wobec umowy", "Otwarte problemy",
		"lista-", "podpisana", "trener,"} {
		if !strings.Contains(text, want) {
			t.Errorf("the printed pack lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Wydaj dokument") {
		t.Error("the printed pack shows the button that issues it")
	}
	if p := problems(); len(p) > 0 {
		t.Fatalf("browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}
