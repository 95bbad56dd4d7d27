package store

import (
	"context"
	"errors"
	"math"
	"runtime/debug"
	"sync"

	"github.com/alexedwards/argon2id"
)

// PasswordParams are the argon2id parameters for new hashes. Memory 64 MiB,
// 3 passes, 1 lane is above OWASP's minimum (19 MiB, 2 passes, 1 lane).
var PasswordParams = &argon2id.Params{
	Memory:      64 * 1024,
	Iterations:  3,
	Parallelism: 1,
	SaltLength:  16,
	KeyLength:   32,
}

// Password length limits, in bytes: argon2 accepts any length, so a cap stops
// a megabyte "password" from costing server time.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 256
)

// ErrHasherBusy means too many password hashes are running at once.
var ErrHasherBusy = Errorf(EBusy, "error.busy")

// DefaultHashMemory is the default memory budget for password hashing, in
// bytes: two sign-ins hashed at once with PasswordParams (64 MiB each).
const DefaultHashMemory int64 = 128 << 20

// memoryHeadroom is what the rest of the server (pages, sessions, bbolt's
// Go-side buffers) is given above the hashing budget; the database file
// itself is mapped, not on the Go heap.
const memoryHeadroom int64 = 64 << 20

// MemoryLimitFor is the soft memory limit for the Go runtime
// (runtime/debug.SetMemoryLimit) of a server whose hashing uses at most
// budget bytes. Bounding how many hashes run is not enough on its own: each
// hash leaves its memory as garbage, and the collector lets the heap grow to
// about twice the live heap before it runs, so a flood of sign-ins would
// reach several times the budget.
func MemoryLimitFor(budget int64) int64 {
	if budget > math.MaxInt64-memoryHeadroom {
		return math.MaxInt64
	}
	return budget + memoryHeadroom
}

// Hasher bounds the memory of argon2id computations: each takes
// Params.Memory, so a sign-in flood queues for a slot (and then gets
// ErrHasherBusy) instead of exhausting memory.
type Hasher struct {
	Params *argon2id.Params
	// slots holds one token per Params.Memory of the budget.
	slots chan struct{}
	// wide is held while a hash that needs several tokens collects them:
	// two such hashes each holding part of what they need would otherwise
	// wait for each other until both give up.
	wide  chan struct{}
	once  sync.Once
	dummy string
}

// NewHasher bounds password hashing by budget, in bytes: at most
// budget / params.Memory hashes run at once, and always at least one, so a
// budget below one hash still lets people sign in, one at a time.
func NewHasher(params *argon2id.Params, budget int64) *Hasher {
	n := budget / hashBytes(params.Memory)
	switch {
	case n < 1:
		n = 1
	case n > math.MaxInt32: // a budget this large means "no bound"; keep the count an int everywhere
		n = math.MaxInt32
	}
	return &Hasher{Params: params, slots: make(chan struct{}, int(n)), wide: make(chan struct{}, 1)}
}

// hashBytes is the memory of one hash; argon2id counts it in KiB.
func hashBytes(kib uint32) int64 { return max(int64(kib)*1024, 1) }

// Budget reports the most memory hashing uses at once, in bytes, and how
// many hashes with the current parameters run at once. The memory is at
// most the budget given to NewHasher, or one hash when that is larger.
func (h *Hasher) Budget() (bytes int64, concurrent int) {
	return int64(cap(h.slots)) * hashBytes(h.Params.Memory), cap(h.slots)
}

// tokens is how many slots a hash using kib of memory needs: a stored hash
// made with more memory than the current parameters (before they were
// lowered) must not overrun the budget. One hash may always run alone.
func (h *Hasher) tokens(kib uint32) int {
	per := hashBytes(h.Params.Memory)
	n := (hashBytes(kib) + per - 1) / per
	return int(min(max(n, 1), int64(cap(h.slots))))
}

// acquire waits until n slots are free, or until ctx ends (ErrHasherBusy).
func (h *Hasher) acquire(ctx context.Context, n int) (release func(), err error) {
	if n > 1 {
		select {
		case h.wide <- struct{}{}:
			defer func() { <-h.wide }()
		case <-ctx.Done():
			return nil, ErrHasherBusy
		}
	}
	release = func() {
		for range n {
			<-h.slots
		}
		// A hash's 64 MiB are garbage now. Sign-ins are rare, so handing
		// the memory back to the system at once costs little, and the
		// server's footprint between sign-ins stays what serving needs.
		// (Small test parameters are not worth a collection each.)
		if hashBytes(h.Params.Memory) >= 32<<20 {
			debug.FreeOSMemory()
		}
	}
	for i := range n {
		select {
		case h.slots <- struct{}{}:
		case <-ctx.Done():
			for range i {
				<-h.slots
			}
			return nil, ErrHasherBusy
		}
	}
	return release, nil
}

// ValidatePassword returns a message ID when the password is unacceptable.
func ValidatePassword(pw string) string {
	switch {
	case len(pw) < MinPasswordLen:
		return "error.password_short"
	case len(pw) > MaxPasswordLen:
		return "error.password_long"
	}
	return ""
}

// Hash hashes a password with the current parameters.
func (h *Hasher) Hash(ctx context.Context, pw string) (string, error) {
	if len(pw) > MaxPasswordLen {
		return "", Errorf(EInvalid, "error.password_long")
	}
	release, err := h.acquire(ctx, 1)
	if err != nil {
		return "", err
	}
	defer release()
	return argon2id.CreateHash(pw, h.Params)
}

// Verify checks pw against hash. An empty hash (unknown login) is compared
// against a dummy hash so that unknown and known logins cost the same.
// rehash reports that the hash uses other parameters than the current ones.
func (h *Hasher) Verify(ctx context.Context, pw, hash string) (ok, rehash bool, err error) {
	if len(pw) > MaxPasswordLen {
		pw = pw[:MaxPasswordLen] // same work as any other wrong password
		hash = ""
	}
	need := h.Params.Memory
	if hash != "" {
		params, _, _, err := argon2id.DecodeHash(hash)
		if err != nil {
			return false, false, brokenHash(err)
		}
		need = params.Memory
	}
	release, err := h.acquire(ctx, h.tokens(need))
	if err != nil {
		return false, false, err
	}
	defer release()
	target := hash
	if target == "" {
		// Made inside a slot: the dummy costs a hash's memory like any other.
		h.once.Do(func() {
			h.dummy, _ = argon2id.CreateHash("dummy password for unknown logins", h.Params)
		})
		target = h.dummy
	}
	match, params, err := argon2id.CheckHash(pw, target)
	if err != nil {
		return false, false, brokenHash(err)
	}
	if hash == "" {
		return false, false, nil
	}
	rehash = match && (params.Memory != h.Params.Memory || params.Iterations != h.Params.Iterations ||
		params.Parallelism != h.Params.Parallelism || params.KeyLength != h.Params.KeyLength)
	return match, rehash, nil
}

// brokenHash: a stored value that is no argon2id hash matches no password;
// anything else (a damaged hash) is an error worth seeing.
func brokenHash(err error) error {
	if errors.Is(err, argon2id.ErrInvalidHash) || errors.Is(err, argon2id.ErrIncompatibleVersion) || errors.Is(err, argon2id.ErrIncompatibleVariant) {
		return nil
	}
	return err
}
