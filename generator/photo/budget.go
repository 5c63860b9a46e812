package photo

import (
	"context"

	"golang.org/x/sync/semaphore"
)

// budget bounds the bytes of decoded pixels held at once by all workers,
// so that large photos do not multiply memory by the number of cores.
// A request larger than the whole budget waits until it can run alone.
type budget struct {
	sem   *semaphore.Weighted
	limit int64
}

func newBudget(limit int64) *budget {
	return &budget{sem: semaphore.NewWeighted(limit), limit: limit}
}

// acquire waits until n bytes fit in the budget, or ctx is done.
func (b *budget) acquire(ctx context.Context, n int64) error {
	return b.sem.Acquire(ctx, min(n, b.limit))
}

// release returns n bytes taken by acquire.
func (b *budget) release(n int64) {
	b.sem.Release(min(n, b.limit))
}
