package store

import (
	"strings"
	"unicode"
)

// Money is kept in integer grosze everywhere (never floats): the sums a
// funder checks are exact to the grosz.

// MaxAmount bounds one amount (just under a trillion złoty): any sum of the
// amounts a record may hold, and any share computed from them, stays far
// inside an int64.
const MaxAmount int64 = 100_000_000_000_000 - 1

// ParseAmount reads an amount typed the Polish way and returns it in
// grosze: "356 397,50", "356397,5", "1 234,50 zł" (spaces, including
// non-breaking ones, group thousands), also "1.234,50" (dots grouping
// thousands) and "356397.50" (a dot before one or two digits of grosze).
// Anything it cannot read exactly is refused with the message ID saying
// why, never rounded: "1.234.5", "12,345" (three decimals — or a thousand
// separator?), "1.234" (a thousand, or one złoty and 234?), "abc".
func ParseAmount(s string) (grosze int64, problem string) {
	s = strings.TrimSpace(s)
	for _, unit := range []string{"zł", "ZŁ", "Zł", "zl", "ZL", "PLN", "pln"} {
		if strings.HasSuffix(s, unit) {
			s = strings.TrimRightFunc(strings.TrimSuffix(s, unit), unicode.IsSpace)
			break
		}
	}
	if s == "" {
		return 0, "error.amount"
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		return 0, "error.amount_negative"
	}
	whole, frac, problem := splitAmount(s)
	if problem != "" {
		return 0, problem
	}
	if len(frac) > 2 {
		return 0, "error.amount_decimals"
	}
	if len(whole) == 0 || len(whole) > 12 {
		if len(whole) > 12 {
			return 0, "error.amount_too_big"
		}
		return 0, "error.amount"
	}
	for _, d := range whole + frac {
		if d < '0' || d > '9' {
			return 0, "error.amount"
		}
	}
	for _, d := range whole {
		grosze = grosze*10 + int64(d-'0')
	}
	frac += strings.Repeat("0", 2-len(frac))
	grosze = grosze*100 + int64(frac[0]-'0')*10 + int64(frac[1]-'0')
	if grosze > MaxAmount {
		return 0, "error.amount_too_big"
	}
	return grosze, ""
}

// splitAmount separates the złoty (grouping removed) from the grosze,
// checking that every group of thousands has three digits.
func splitAmount(s string) (whole, frac, problem string) {
	comma := strings.Count(s, ",")
	dots := strings.Count(s, ".")
	switch {
	case comma > 1:
		return "", "", "error.amount"
	case comma == 1:
		whole, frac, _ = strings.Cut(s, ",")
	case dots == 1:
		w, f, _ := strings.Cut(s, ".")
		switch {
		case len(f) == 3 && !strings.ContainsAny(w, " \u00a0\u202f\u2009"):
			return "", "", "error.amount_ambiguous" // 1.234: a thousand, or 1,234?
		case len(f) <= 2:
			whole, frac = w, f // a decimal point, as spreadsheets in English write it
		default:
			return "", "", "error.amount_decimals"
		}
	default:
		whole = s
	}
	if frac != "" && strings.ContainsAny(frac, " .\u00a0\u202f\u2009") {
		return "", "", "error.amount"
	}
	groups := strings.FieldsFunc(whole, func(r rune) bool {
		return r == ' ' || r == '.' || r == '\u00a0' || r == '\u202f' || r == '\u2009'
	})
	if len(groups) > 1 || strings.ContainsAny(whole, ".") {
		// Grouped: the first group has one to three digits, every other
		// group exactly three, and the separators are single.
		if strings.Contains(whole, "  ") || len(groups) < 2 || len(groups[0]) > 3 {
			return "", "", "error.amount_grouping"
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return "", "", "error.amount_grouping"
			}
		}
	}
	return strings.Join(groups, ""), frac, ""
}

// Share is part's share of total in hundredths of a per cent, rounded half
// up: 30037181 of 35639750 is 8428 (84,28 %). A zero total has no shares.
func Share(part, total int64) int64 {
	if total <= 0 || part < 0 {
		return 0
	}
	// part ≤ MaxAmount, so part·20000 stays inside an int64.
	return (part*20000/total + 1) / 2
}

// Shares splits 100 % (10000 hundredths) between the parts in proportion
// to them, by largest remainder, so that the shares shown add up to
// exactly 100,00 %: each part gets its share rounded down, and the
// hundredths still missing go to the parts whose shares lost the most.
// Parts that sum to zero get nothing.
func Shares(parts []int64) []int64 {
	var total int64
	for _, p := range parts {
		if p > 0 {
			total += p
		}
	}
	out := make([]int64, len(parts))
	if total == 0 {
		return out
	}
	rest := make([]int64, len(parts))
	left := int64(10000)
	for i, p := range parts {
		if p <= 0 {
			continue
		}
		out[i] = p * 10000 / total
		rest[i] = p * 10000 % total
		left -= out[i]
	}
	for ; left > 0; left-- { // at most one per part
		best := -1
		for i := range parts {
			if parts[i] > 0 && rest[i] >= 0 && (best < 0 || rest[i] > rest[best]) {
				best = i
			}
		}
		out[best]++
		rest[best] = -1
	}
	return out
}
