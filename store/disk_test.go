package store

import (
	"testing"
)

// The size history answers "on the latest day recorded by then", keeps one
// sample a day, and the warning threshold is the smaller of 10 % and 1 GiB.
func TestSizeHistoryAndLowSpace(t *testing.T) {
	s := demoStore(t)
	if _, ok := s.SizeOn(pday(2026, 11, 1)); ok {
		t.Fatal("a size before any was recorded")
	}
	for _, d := range []int{1, 8, 8, 20} {
		if err := s.NoteSize(pday(2026, 11, d)); err != nil {
			t.Fatal(err)
		}
	}
	size, _ := s.FileSize()
	for _, c := range []struct {
		day  int
		want bool
	}{{1, true}, {5, true}, {8, true}, {30, true}} {
		got, ok := s.SizeOn(pday(2026, 11, c.day))
		if ok != c.want || ok && got != size {
			t.Errorf("11.%d: %d %v", c.day, got, ok)
		}
	}
	if _, ok := s.SizeOn(pday(2026, 10, 31)); ok {
		t.Error("a size before the first day recorded")
	}
	for _, c := range []struct {
		free, total uint64
		low         bool
	}{
		{free: 5 << 30, total: 100 << 30, low: false},  // 5 GiB free of 100: over 1 GiB
		{free: 900 << 20, total: 100 << 30, low: true}, // under 1 GiB
		{free: 900 << 20, total: 8 << 30, low: false},  // 11 % of a small disk
		{free: 700 << 20, total: 8 << 30, low: true},   // under 10 %
	} {
		if LowOnSpace(c.free, c.total) != c.low {
			t.Errorf("%d of %d: low %v", c.free, c.total, !c.low)
		}
	}
}
