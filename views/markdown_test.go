package views

import (
	"strings"
	"testing"
)

// A note's Markdown keeps its formatting and loses everything that could
// run, load or mislead: raw HTML, event handlers, javascript: and data:
// links (also entity-encoded), images.
func TestMarkdownIsSanitised(t *testing.T) {
	for _, tc := range []struct {
		name, src    string
		want, absent []string
	}{
		{"formatting", "**Zespół** *na dobrej drodze*\n\n- jeden\n- dwa\n\n| a | b |\n|---|---|\n| 1 | 2 |",
			[]string{"<strong>Zespół</strong>", "<em>na dobrej drodze</em>", "<li>jeden</li>", "<td>1</td>"}, nil},
		{"link", "[regulamin](https://bip.example.pl/regulamin)",
			[]string{`href="https://bip.example.pl/regulamin"`, `rel="nofollow noreferrer"`}, nil},
		{"raw script", "<script>alert(1)</script>", nil, []string{"<script", "alert(1)</script"}},
		{"event handler", `<img src=x onerror=alert(1)>`, nil, []string{"onerror", "<img"}},
		{"inline html", `<a href="https://x" onclick="alert(1)">x</a>`, nil, []string{"onclick"}},
		{"javascript link", "[kliknij](javascript:alert(1))", nil, []string{"javascript:"}},
		{"entity javascript", "[kliknij](&#106;avascript:alert(1))", nil, []string{"javascript", "&#106;avascript"}},
		{"upper case scheme", "[kliknij](JaVaScRiPt:alert(1))", nil, []string{"alert(1)\""}},
		{"data link", "[plik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", nil, []string{"data:"}},
		{"remote image", "![logo](https://evil.example/track.png)", nil, []string{"<img", "evil.example/track.png\""}},
		{"style", `<p style="position:fixed">x</p>`, nil, []string{"style="}},
		{"iframe", `<iframe src="https://evil.example"></iframe>`, nil, []string{"<iframe"}},
		{"autolink", "zob. https://mops.example.pl/strona", []string{`href="https://mops.example.pl/strona"`}, nil},
	} {
		got := string(Markdown(tc.src))
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s: %q lacks %q", tc.name, got, w)
			}
		}
		for _, a := range tc.absent {
			if strings.Contains(strings.ToLower(got), strings.ToLower(a)) {
				t.Errorf("%s: %q contains %q", tc.name, got, a)
			}
		}
	}
}
