package store

import (
	"context"
	"errors"
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

// Hasher bounds how many argon2id computations run at once: each takes
// Params.Memory, so a login flood must queue instead of exhausting memory.
type Hasher struct {
	Params *argon2id.Params
	slots  chan struct{}
	once   sync.Once
	dummy  string
}

// NewHasher allows at most concurrent hashes at a time.
func NewHasher(params *argon2id.Params, concurrent int) *Hasher {
	if concurrent < 1 {
		concurrent = 1
	}
	return &Hasher{Params: params, slots: make(chan struct{}, concurrent)}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ErrHasherBusy
	}
}

func (h *Hasher) release() { <-h.slots }

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
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	defer h.release()
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
	h.once.Do(func() {
		h.dummy, _ = argon2id.CreateHash("dummy password for unknown logins", h.Params)
	})
	target := hash
	if target == "" {
		target = h.dummy
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	defer h.release()
	match, params, err := argon2id.CheckHash(pw, target)
	if err != nil {
		if errors.Is(err, argon2id.ErrInvalidHash) || errors.Is(err, argon2id.ErrIncompatibleVersion) || errors.Is(err, argon2id.ErrIncompatibleVariant) {
			return false, false, nil
		}
		return false, false, err
	}
	if hash == "" {
		return false, false, nil
	}
	rehash = match && (params.Memory != h.Params.Memory || params.Iterations != h.Params.Iterations ||
		params.Parallelism != h.Params.Parallelism || params.KeyLength != h.Params.KeyLength)
	return match, rehash, nil
}
