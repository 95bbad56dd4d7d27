package handlers

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// voidElements have no end tag.
var voidElements = map[atom.Atom]bool{atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true, atom.Embed: true,
	atom.Hr: true, atom.Img: true, atom.Input: true, atom.Link: true, atom.Meta: true, atom.Source: true, atom.Track: true, atom.Wbr: true}

// pageProblems reads a whole HTML page strictly: the browser would repair
// what it lists, each time in its own way. Every element the page opens is
// closed in order (the templates close the ones HTML lets one leave open,
// too), no element repeats an attribute, no id is used twice, the document
// starts with its doctype and names its language, and its head has one
// non-empty title.
func pageProblems(page string, lang string) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	z := html.NewTokenizer(strings.NewReader(page))
	var open []string
	ids := map[string]bool{}
	titles, inTitle, title := 0, false, ""
	sawDoctype, sawHTML := false, false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if err := z.Err(); !errors.Is(err, io.EOF) {
				add("the page cannot be read: %v", err)
			}
			break
		}
		raw := string(z.Raw()) // the tokenizer keeps the first of a repeated attribute only
		tok := z.Token()
		switch tt {
		case html.DoctypeToken:
			sawDoctype = strings.EqualFold(tok.Data, "html")
		case html.StartTagToken, html.SelfClosingTagToken:
			if !sawDoctype && !sawHTML {
				add("<%s> before the doctype", tok.Data)
			}
			seen := map[string]bool{}
			for _, name := range rawAttributeNames(raw) {
				if seen[name] {
					add("<%s> repeats the attribute %s", tok.Data, name)
				}
				seen[name] = true
			}
			for _, a := range tok.Attr {
				if a.Key == "id" {
					if ids[a.Val] {
						add("the id %q is used twice", a.Val)
					}
					ids[a.Val] = true
				}
			}
			if tok.DataAtom == atom.Html {
				sawHTML = true
				if got := attr(tok, "lang"); got != lang {
					add("<html lang=%q>, want %q", got, lang)
				}
			}
			if tok.DataAtom == atom.Title && slices.Contains(open, "head") {
				titles++
				inTitle = true
			}
			if tt == html.StartTagToken && !voidElements[tok.DataAtom] {
				open = append(open, tok.Data)
			}
		case html.EndTagToken:
			if voidElements[tok.DataAtom] {
				add("</%s>: a void element has no end tag", tok.Data)
				continue
			}
			if len(open) == 0 || open[len(open)-1] != tok.Data {
				add("</%s> closes %s", tok.Data, strings.Join(open, " > "))
				if i := slices.Index(open, tok.Data); i >= 0 {
					open = open[:i]
				}
				continue
			}
			open = open[:len(open)-1]
			if tok.DataAtom == atom.Title {
				inTitle = false
			}
		case html.TextToken:
			if inTitle {
				title += tok.Data
			}
		}
	}
	if !sawDoctype {
		add("no <!DOCTYPE html>")
	}
	if !sawHTML {
		add("no <html> element")
	}
	if len(open) > 0 {
		add("left open: %s", strings.Join(open, " > "))
	}
	if titles != 1 || strings.TrimSpace(title) == "" {
		add("%d titles in the head, the title %q", titles, title)
	}
	return problems
}

// attributeName finds each attribute's name in a raw start tag, after
// skipping the values, which may hold anything.
var attributeName = regexp.MustCompile(`\s([^\s"'>/=]+)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>` + "`" + `]+))?`)

func rawAttributeNames(tag string) []string {
	var names []string
	for _, m := range attributeName.FindAllStringSubmatch(tag, -1) {
		names = append(names, strings.ToLower(m[1]))
	}
	return names
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// The strict reading catches what it should.
func TestPageProblemsFindsBrokenPages(t *testing.T) {
	good := `<!DOCTYPE html><html lang="pl"><head><title>Strona</title></head><body><main id="main"><p>Tekst<br></p></main></body></html>`
	if p := pageProblems(good, "pl"); len(p) > 0 {
		t.Fatalf("a good page: %v", p)
	}
	for name, c := range map[string]struct{ page, lang, want string }{
		"unclosed":    {`<!DOCTYPE html><html lang="pl"><head><title>S</title></head><body><div><p>x</div></body></html>`, "pl", "</div> closes"},
		"stray end":   {`<!DOCTYPE html><html lang="pl"><head><title>S</title></head><body></span></body></html>`, "pl", "</span> closes"},
		"no lang":     {`<!DOCTYPE html><html><head><title>S</title></head><body></body></html>`, "pl", `lang=""`},
		"wrong lang":  {`<!DOCTYPE html><html lang="pl"><head><title>S</title></head><body></body></html>`, "en", `want "en"`},
		"no title":    {`<!DOCTYPE html><html lang="pl"><head></head><body></body></html>`, "pl", "0 titles"},
		"empty title": {`<!DOCTYPE html><html lang="pl"><head><title> </title></head><body></body></html>`, "pl", "the title"},
		"two ids":     {`<!DOCTYPE html><html lang="pl"><head><title>S</title></head><body><p id="a"></p><p id="a"></p></body></html>`, "pl", "used twice"},
		"attribute":   {`<!DOCTYPE html><html lang="pl"><head><title>S</title></head><body><p class="a" class="b"></p></body></html>`, "pl", "repeats"},
		"doctype":     {`<html lang="pl"><head><title>S</title></head><body></body></html>`, "pl", "no <!DOCTYPE html>"},
		"left open":   {`<!DOCTYPE html><html lang="pl"><head><title>S</title></head><body><section>`, "pl", "left open"},
	} {
		p := pageProblems(c.page, c.lang)
		if !strings.Contains(strings.Join(p, "\n"), c.want) {
			t.Errorf("%s: problems %v, want one saying %q", name, p, c.want)
		}
	}
}

// TestEveryPageIsWellFormed reads every page of the product, from the same
// list of routes the accessibility check visits (a new GET route fails
// there until it has an example address), in Polish and in English: each
// parses strictly and has a title and the language it is written in.
func TestEveryPageIsWellFormed(t *testing.T) {
	ta := newTestApp(t)
	public, signedIn := everyPage(t, ta)
	read := 0
	check := func(c *client, who, lang string, paths []string) {
		for _, p := range paths {
			read++
			r := c.get(p)
			if r.status != fiber.StatusOK && p != axeNotFound {
				t.Errorf("%s %s (%s): %d", who, p, lang, r.status)
			}
			for _, problem := range pageProblems(r.body, lang) {
				t.Errorf("%s %s (%s): %s", who, p, lang, problem)
			}
		}
	}
	for _, lang := range []string{"pl", "en"} {
		anonymous := ta.client(t)
		if lang != "pl" {
			anonymous.get("/login?lang=" + lang)
		}
		check(anonymous, "anonymous", lang, public)
		admin := ta.loggedIn(t, "admin")
		monitoring := ta.loggedIn(t, "monitoring")
		if lang != "pl" {
			for _, c := range []*client{admin, monitoring} {
				c.post("/lang", url.Values{"lang": {lang}})
			}
		}
		check(admin, "admin", lang, signedIn)
		check(monitoring, "monitoring", lang, slices.Sorted(maps.Keys(axeOthers)))
	}
	t.Logf("%d pages read", read)
}
