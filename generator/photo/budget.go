package photo

import (
	"context"
	"sync"
)

// budget bounds the bytes of decoded pixels held at once by all workers,
// so that large photos do not multiply memory by the number of cores.
// A request larger than the whole budget waits until it can run alone.
type budget struct {
	mu    sync.Mutex
	cond  *sync.Cond
	limit int64
	used  int64
}

func newBudget(limit int64) *budget {
	b := &budget{limit: limit}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// acquire waits until n bytes fit in the budget, or ctx is done.
func (b *budget) acquire(ctx context.Context, n int64) error {
	n = min(n, b.limit)
	stop := context.AfterFunc(ctx, func() {
		b.mu.Lock()
		b.cond.Broadcast()
		b.mu.Unlock()
	})
	defer stop()
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.used+n > b.limit {
		if err := ctx.Err(); err != nil {
			return err
		}
		b.cond.Wait()
	}
	b.used += n
	return nil
}

// release returns n bytes taken by acquire.
func (b *budget) release(n int64) {
	n = min(n, b.limit)
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
	b.cond.Broadcast()
}
