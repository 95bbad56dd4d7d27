package store

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/collate"
	"golang.org/x/text/language"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold makes text comparable the way people search: lower case, without
// diacritics ("Żółw" → "zolw", "Śląska" → "slaska"). Polish letters take a
// fast path; anything else goes through Unicode decomposition. Ł has no
// decomposition in Unicode, so it is mapped by hand.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			b.WriteRune(unicode.ToLower(r))
		case polish[r] != 0:
			b.WriteRune(polish[r])
		default:
			return foldSlow(s)
		}
	}
	return b.String()
}

var polish = map[rune]rune{
	'ą': 'a', 'ć': 'c', 'ę': 'e', 'ł': 'l', 'ń': 'n', 'ó': 'o', 'ś': 's', 'ź': 'z', 'ż': 'z',
	'Ą': 'a', 'Ć': 'c', 'Ę': 'e', 'Ł': 'l', 'Ń': 'n', 'Ó': 'o', 'Ś': 's', 'Ź': 'z', 'Ż': 'z',
}

func foldSlow(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, s)
	if err != nil {
		out = s
	}
	return strings.Map(func(r rune) rune {
		if r == 'ł' || r == 'Ł' {
			return 'l'
		}
		return unicode.ToLower(r)
	}, out)
}

// digits keeps only the digits: phone numbers match whatever their spacing.
func digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// Matches reports whether every word of the query occurs in one of the
// fields, ignoring case and diacritics; words of digits also match phone
// numbers written with spaces or hyphens.
func Matches(query string, fields ...string) bool {
	words := strings.Fields(Fold(query))
	if len(words) == 0 {
		return true
	}
	hay := Fold(strings.Join(fields, " \x00 "))
	hayDigits := digits(strings.Join(fields, " "))
	for _, w := range words {
		if strings.Contains(hay, w) {
			continue
		}
		if d := digits(w); len(d) >= 3 && d == w && strings.Contains(hayDigits, d) {
			continue
		}
		return false
	}
	return true
}

// SortPolish sorts items by keys in Polish alphabetical order (a, ą, b, c,
// ć …, ł after l, ż last). The collator is not safe for concurrent use, so
// each call makes its own.
func SortPolish[T any](items []T, keys ...func(T) string) {
	sortPolishWith(collate.New(language.Polish), items, keys...)
}

// sortPolishWith is SortPolish with a collator the caller made, for many
// small sorts in a row (each level of the structure).
func sortPolishWith[T any](c *collate.Collator, items []T, keys ...func(T) string) {
	sort.SliceStable(items, func(i, j int) bool {
		for _, key := range keys {
			if r := c.CompareString(key(items[i]), key(items[j])); r != 0 {
				return r < 0
			}
		}
		return false
	})
}
