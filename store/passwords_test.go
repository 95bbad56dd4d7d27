package store

import (
	"context"
	"errors"
	"math"
	"testing"
)

func TestHasherConcurrencyFollowsTheMemoryBudget(t *testing.T) {
	for _, tc := range []struct {
		budget     int64
		concurrent int
	}{
		{DefaultHashMemory, 2}, // two 64 MiB sign-ins
		{DefaultHashMemory - 1, 1},
		{1 << 30, 16},
		{1, 1}, // below one hash: still one at a time
		{0, 1},
		{-1, 1},
	} {
		mem, n := NewHasher(PasswordParams, tc.budget).Budget()
		if n != tc.concurrent || mem != int64(tc.concurrent)*64<<20 {
			t.Errorf("budget %d: %d hashes, %d bytes; want %d hashes", tc.budget, n, mem, tc.concurrent)
		}
	}
}

func TestHasherRunsAtMostTheBudgetAtOnce(t *testing.T) {
	h := NewHasher(testParams, 2*8<<20) // room for two 8 MiB test hashes
	ctx := context.Background()
	first, err := h.acquire(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	second, err := h.acquire(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	// Both slots are taken: a third hash waits until the request gives up.
	gone, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := h.Hash(gone, "password1"); !errors.Is(err, ErrHasherBusy) {
		t.Fatalf("third hash: err = %v", err)
	}
	if _, _, err := h.Verify(gone, "password1", ""); !errors.Is(err, ErrHasherBusy) {
		t.Fatalf("third verify: err = %v", err)
	}
	first()
	if _, err := h.Hash(ctx, "password1"); err != nil {
		t.Fatalf("hash with a free slot: %v", err)
	}
	second()
	if len(h.slots) != 0 {
		t.Fatalf("%d slots still taken", len(h.slots))
	}
}

func TestHasherCountsTheMemoryOfOlderHashes(t *testing.T) {
	bigger := *testParams
	bigger.Memory *= 2 // as if the parameters were lowered since this hash was made
	hash, err := NewHasher(&bigger, 0).Hash(context.Background(), "correct horse")
	if err != nil {
		t.Fatal(err)
	}
	h := NewHasher(testParams, 2*8<<20)
	release, err := h.acquire(context.Background(), 1)
	if err != nil {
		t.Fatal(err)
	}
	// The old hash needs both slots; one is taken.
	gone, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := h.Verify(gone, "correct horse", hash); !errors.Is(err, ErrHasherBusy) {
		t.Fatalf("verify a two-slot hash with one slot free: err = %v", err)
	}
	if len(h.slots) != 1 {
		t.Fatalf("a refused hash kept slots: %d taken", len(h.slots))
	}
	release()
	if ok, rehash, err := h.Verify(context.Background(), "correct horse", hash); !ok || !rehash || err != nil {
		t.Fatalf("verify the old hash: ok=%v rehash=%v err=%v", ok, rehash, err)
	}
	// A hash larger than the whole budget still runs, alone.
	small := NewHasher(testParams, 0)
	if ok, _, err := small.Verify(context.Background(), "correct horse", hash); !ok || err != nil {
		t.Fatalf("verify a hash larger than the budget: ok=%v err=%v", ok, err)
	}
}

func TestMemoryLimitLeavesHeadroom(t *testing.T) {
	if got := MemoryLimitFor(DefaultHashMemory); got != 192<<20 {
		t.Fatalf("limit for the default budget = %d MiB", got>>20)
	}
	if got := MemoryLimitFor(math.MaxInt64 - 1); got != math.MaxInt64 {
		t.Fatalf("limit overflowed: %d", got)
	}
}
