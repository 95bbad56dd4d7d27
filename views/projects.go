package views

import (
	"strconv"
	"strings"
)

// Amount is an amount in grosze as typed back into a form: "356 397,50".
func Amount(grosze int64) string { return strings.TrimSuffix(Money(grosze), " zł") }

// Percent formats hundredths of a per cent the Polish way: 8428 → "84,28 %"
// (with a non-breaking space, so that the sign never starts a line).
func Percent(hundredths int64) string {
	sign := ""
	if hundredths < 0 {
		sign, hundredths = "-", -hundredths
	}
	frac := strconv.FormatInt(hundredths%100, 10)
	if len(frac) < 2 {
		frac = "0" + frac
	}
	return sign + strconv.FormatInt(hundredths/100, 10) + "," + frac + "\u00a0%"
}
