package store

// Rows is a list kept in a snapshot in the order its page shows it, read
// a page at a time: the order and the position of each record are made
// once, when the snapshot's view is built, so a page costs the rows it
// shows, whatever the list's length.
type Rows[T any] struct {
	list []T
	at   map[uint64]int // position by record ID
}

// newRows keeps list (already in its order) and where each record is.
func newRows[T any](list []T, id func(*T) uint64) Rows[T] {
	r := Rows[T]{list: list, at: make(map[uint64]int, len(list))}
	for i := range list {
		r.at[id(&list[i])] = i
	}
	return r
}

// Len is how many rows there are.
func (r Rows[T]) Len() int { return len(r.list) }

// Page is at most limit rows from offset (shared: read-only); past the end
// it is empty.
func (r Rows[T]) Page(offset, limit int) []T {
	if offset < 0 || limit <= 0 || offset >= len(r.list) {
		return nil
	}
	return r.list[offset : offset+min(limit, len(r.list)-offset)]
}

// Index is a record's position in the list, and whether it is there.
func (r Rows[T]) Index(id uint64) (int, bool) {
	i, ok := r.at[id]
	return i, ok
}
