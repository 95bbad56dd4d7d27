package store

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
)

func TestMilestonesCSV(t *testing.T) {
	p, ms := icalFixture()
	ms[3].Title = "=HYPERLINK(\"http://example.com\")"
	ms[3].Notes = "Uwaga; druga linia\n-2+3"
	ms[0].Deliverables = []string{"Umowa nr 12/2017", "@załącznik"}
	var buf bytes.Buffer
	if err := WriteMilestonesCSV(&buf, p, ms, civil(2017, 12, 4)); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte(csvBOM)) {
		t.Error("no byte order mark")
	}
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte(csvBOM))))
	r.Comma = ';' // as every other CSV file
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read back: %v\n%s", err, buf.Bytes())
	}
	want := [][]string{
		MilestoneColumns,
		{"1", "Podpisanie umowy", "2017-03-29", "2017-03-29", "2017-03-29", "2017-03-29", "0", "zrealizowany", "nie", "2017-03-29",
			"Umowa nr 12/2017; @załącznik", ""},
		{"2", "Realizacja zadań zespołu wdrożeniowego", "2017-04-01", "2017-11-30", "2017-03-01", "2017-10-31", "2", "w toku", "tak", "",
			"Raport z diagnozy; Lista uczestników, wersja 2", ""},
		{"3", "Wizyta studyjna", "2017-06-01", "2017-06-01", "", "", "0", "anulowany", "nie", "", "", ""},
		{"4", "'=HYPERLINK(\"http://example.com\")", "2018-01-15", "2018-01-15", "", "", "0", "planowany", "nie", "", "",
			"Uwaga; druga linia\n-2+3"},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(rows), len(want), buf.Bytes())
	}
	if strings.Join(rows[0], "|") != "Lp.|Kamień milowy|Planowany od|Planowany do|Pierwotny termin od|Pierwotny termin do|"+
		"Liczba zmian terminu|Status|Opóźniony|Data realizacji|Produkty|Uwagi" {
		t.Errorf("header %q", rows[0])
	}
	for i := range want {
		if strings.Join(rows[i], "\x00") != strings.Join(want[i], "\x00") {
			t.Errorf("row %d\n got %q\nwant %q", i, rows[i], want[i])
		}
	}
	// The guard is the one every CSV file uses, so the import reverses it.
	if got := undefuse(rows[4][1]); got != ms[3].Title {
		t.Errorf("undefuse gives %q", got)
	}

	// Late is computed for the day asked: before the planned end, on time.
	buf.Reset()
	if err := WriteMilestonesCSV(&buf, p, ms[1:2], civil(2017, 11, 30)); err != nil {
		t.Fatal(err)
	}
	r = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte(csvBOM))))
	r.Comma = ';'
	if rows, err := r.ReadAll(); err != nil || len(rows) != 2 || rows[1][8] != "nie" {
		t.Errorf("on the last planned day: %q (%v)", rows, err)
	}
}
