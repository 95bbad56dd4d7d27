package store

import (
	"math"
	"testing"
)

func TestParseAmount(t *testing.T) {
	cases := []struct {
		in      string
		grosze  int64
		problem string
	}{
		{"356 397,50", 35639750, ""},
		{"356397,5", 35639750, ""},
		{"1 234,50 zł", 123450, ""},
		{"1\u00a0234,50\u00a0zł", 123450, ""}, // non-breaking spaces, as word processors put them
		{"1\u202f234,50", 123450, ""},
		{"300 371,81 PLN", 30037181, ""},
		{"1.234,50", 123450, ""},
		{"1.234.567", 123456700, ""},
		{"356397.50", 35639750, ""},
		{"0,05", 5, ""},
		{"12", 1200, ""},
		{"  7 zl ", 700, ""},
		{"999 999 999 999,99", MaxAmount, ""},
		{"1.234.5", 0, "error.amount_grouping"},
		{"12,345", 0, "error.amount_decimals"},
		{"1,234", 0, "error.amount_decimals"},
		{"1.234", 0, "error.amount_ambiguous"},
		{"10,555", 0, "error.amount_decimals"},
		{"1 23,50", 0, "error.amount_grouping"},
		{"12345 678", 0, "error.amount_grouping"},
		{"1  234", 0, "error.amount_grouping"},
		{"abc", 0, "error.amount"},
		{"", 0, "error.amount"},
		{"zł", 0, "error.amount"},
		{"1,2,3", 0, "error.amount"},
		{"12,3a", 0, "error.amount"},
		{"1e5", 0, "error.amount"},
		{"-5,00", 0, "error.amount_negative"},
		{"1 000 000 000 000,00", 0, "error.amount_too_big"},
		{"99999999999999999999", 0, "error.amount_too_big"},
	}
	for _, c := range cases {
		got, problem := ParseAmount(c.in)
		if got != c.grosze || problem != c.problem {
			t.Errorf("ParseAmount(%q) = %d %q, want %d %q", c.in, got, problem, c.grosze, c.problem)
		}
	}
}

// Whatever is typed, the parser answers an amount within bounds or a
// reason; it never panics and never rounds.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"356 397,50", "1.234,5", "12,345", "999999999999999999999999999999", "\u00a0,", "1 234.56"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, problem := ParseAmount(s)
		if problem == "" && (g < 0 || g > MaxAmount) {
			t.Fatalf("%q read as %d", s, g)
		}
	})
}

func TestShares(t *testing.T) {
	// The seed's project: EU funds are 84,28 % of the eligible total.
	if got := Share(30037181, 35639750); got != 8428 {
		t.Errorf("EU share = %d, want 8428", got)
	}
	if got := Share(1, 3); got != 3333 {
		t.Errorf("1/3 = %d", got)
	}
	if got := Share(1, 8); got != 1250 { // 12,5 % exactly
		t.Errorf("1/8 = %d", got)
	}
	if got := Share(1, 16000); got != 1 { // 0,00625 % rounds half up to 0,01 %
		t.Errorf("1/16000 = %d", got)
	}
	if got := Share(MaxAmount, MaxAmount); got != 10000 {
		t.Errorf("the largest amount of itself = %d", got)
	}
	if Share(5, 0) != 0 {
		t.Error("a share of nothing")
	}
	for _, parts := range [][]int64{
		{30037181, 5602569},
		{1, 1, 1},
		{2, 2, 2, 1},
		{MaxAmount, MaxAmount, 1},
		{0, 5, 0},
		{7},
	} {
		sum := int64(0)
		for _, s := range Shares(parts) {
			sum += s
		}
		if sum != 10000 {
			t.Errorf("Shares(%v) add up to %d", parts, sum)
		}
	}
	if got := Shares([]int64{30037181, 5602569}); got[0] != 8428 || got[1] != 1572 {
		t.Errorf("the seed's split: %v", got)
	}
	if got := Shares([]int64{1, 1, 1}); got[0]+got[1]+got[2] != 10000 || got[0] != 3334 {
		t.Errorf("thirds: %v", got)
	}
	if got := Shares([]int64{0, 0}); got[0] != 0 || got[1] != 0 {
		t.Errorf("nothing to split: %v", got)
	}
	if MaxAmount > math.MaxInt64/20000 {
		t.Error("shares of the largest amount overflow")
	}
}
