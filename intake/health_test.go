package intake

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/outbox"
)

// fullStore is a store on a disk that is full while full is set: every
// write fails as SQLite's does.
type fullStore struct {
	*outbox.Store
	full atomic.Bool
}

func (s *fullStore) Enqueue(ctx context.Context, t lead.Tracked, key string, msgs []outbox.Message) (string, bool, error) {
	if s.full.Load() {
		return "", false, errors.New("enqueue " + t.Lead.ID + ": insert batch: database or disk is full (13)")
	}
	return s.Store.Enqueue(ctx, t, key, msgs)
}

// TestReadyWhileDiskFull: while leads cannot be stored, /readyz says so,
// with the reason, so that a load balancer stops sending patients here.
func TestReadyWhileDiskFull(t *testing.T) {
	var store *fullStore
	f := newFixture(t, func(c *Config) {})
	store = &fullStore{Store: f.store}
	f.h = NewServer(f.logger(), f.cfg, store, nil)

	store.full.Store(true)
	if w := f.post(ctJSON, asJSON(validLead()), ""); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("POST with the disk full: %d, want 503", w.Code)
	}
	w := f.get("/readyz")
	if w.Code != http.StatusServiceUnavailable || !strings.Contains(w.Body.String(), "disk full") {
		t.Errorf("/readyz with the disk full: %d %s, want 503 saying the disk is full", w.Code, w.Body)
	}
	store.full.Store(false)
	f.clock.advance(time.Second)
	if w := f.post(ctJSON, asJSON(validLead()), ""); w.Code != http.StatusAccepted {
		t.Fatalf("POST with room again: %d, want 202", w.Code)
	}
	if w := f.get("/readyz"); w.Code != http.StatusOK {
		t.Errorf("/readyz once a lead was stored again: %d %s, want 200", w.Code, w.Body)
	}
}
