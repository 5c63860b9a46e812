package photo

import (
	"context"
	"testing"
	"time"
)

func TestBudget(t *testing.T) {
	b := newBudget(100)
	ctx := context.Background()
	if err := b.acquire(ctx, 60); err != nil {
		t.Fatal(err)
	}
	got := make(chan error)
	go func() { got <- b.acquire(ctx, 60) }()
	select {
	case err := <-got:
		t.Fatalf("second acquire of 60 of 100 did not wait (err %v)", err)
	case <-time.After(50 * time.Millisecond):
	}
	b.release(60)
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	// More than the whole budget runs alone; a cancelled wait returns.
	cctx, cancel := context.WithCancel(ctx)
	go func() { got <- b.acquire(cctx, 1000) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-got; err == nil {
		t.Fatal("cancelled acquire returned nil")
	}
	b.release(60)
	if err := b.acquire(ctx, 1000); err != nil {
		t.Fatal(err)
	}
}
