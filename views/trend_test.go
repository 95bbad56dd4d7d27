package views

import (
	"strings"
	"testing"

	"intranet/store"
)

// The trend puts each note on its assessment's row, left to right by
// date with its title, joins only the assessed ones, and names
// the rows in words; a title with markup stays text.
func TestTrend(t *testing.T) {
	notes := []TrendNote{
		{Date: day(2018, 11, 26), Assessment: store.OffTrack, Title: "rejony <b>4</b>"},
		{Date: day(2018, 3, 20), Assessment: store.AtRisk, Title: "rozdzielenie"},
		{Date: day(2018, 7, 9), Assessment: store.OnTrack, Title: "superwizja"},
		{Date: day(2018, 10, 1), Assessment: store.NotAssessed, Title: "narzędzie"},
	}
	tr := NewTrend(For("pl"), "unit15", "Oceny w czasie", notes)
	root := parseSVG(t, render(t, "trend", tr))
	marks := root.all(func(n *node) bool { return n.Name == "circle" && n.class("tr-mark") })
	if len(marks) != 4 {
		t.Fatalf("%d marks", len(marks))
	}
	var xs []float64
	y := map[string]float64{}
	for _, m := range marks {
		xs = append(xs, num(t, m.Attr["cx"]))
		for _, a := range store.Assessments {
			if m.class(string(a)) {
				y[string(a)] = num(t, m.Attr["cy"])
			}
		}
	}
	for i := 1; i < len(xs); i++ {
		if xs[i] <= xs[i-1] {
			t.Fatalf("marks not in date order: %v", xs)
		}
	}
	if !(y["on_track"] < y["at_risk"] && y["at_risk"] < y["off_track"] && y["off_track"] < y["not_assessed"]) {
		t.Fatalf("rows: %v", y)
	}
	if links := root.all(func(n *node) bool { return n.Name == "a" }); len(links) != 0 {
		t.Fatalf("%d links in an image", len(links))
	}
	line := root.all(func(n *node) bool { return n.Name == "polyline" })
	if len(line) != 1 || len(strings.Fields(line[0].Attr["points"])) != 3 {
		t.Fatalf("the line joins %v", line)
	}
	labels := root.all(func(n *node) bool { return n.Name == "text" && n.class("tr-label") })
	if len(labels) != 4 || !strings.Contains(labels[0].text(), "zgodnie z planem") {
		t.Fatalf("row labels: %d", len(labels))
	}
	if title := marks[3].child("title"); title == nil || !strings.Contains(title.text(), "rejony <b>4</b>") {
		t.Fatalf("the last mark's title: %+v", title)
	}
	if NewTrend(For("en"), "x", "t", nil).Desc != "No notes." {
		t.Fatal("an empty trend says nothing")
	}
}
