package intake

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"
)

// handleHealthz answers 200 while the process runs: GET /healthz.
func handleHealthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// handleReadyz answers 200 when the store can be read and the last lead
// could be stored, with the state of the queue, else 503 with the reason:
// GET /readyz.
func (s *server) handleReadyz() http.Handler {
	type answer struct {
		Status                   string  `json:"status"`
		Reason                   string  `json:"reason,omitempty"`
		Pending                  int     `json:"pending"`
		Dead                     int     `json:"dead"`
		Held                     int     `json:"held"`
		OldestUndeliveredSeconds float64 `json:"oldest_undelivered_seconds"`
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		st, err := s.store.Stats(ctx)
		if err != nil {
			s.log.Error("readiness: read store", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, answer{Status: "store unreachable"})
			return
		}
		if reason := s.writes.failing(s.cfg.Now()); reason != "" {
			writeJSON(w, http.StatusServiceUnavailable, answer{Status: "cannot store leads", Reason: reason,
				Pending: st.Pending, Dead: st.Dead, Held: st.Held, OldestUndeliveredSeconds: st.OldestUndelivered.Seconds()})
			return
		}
		writeJSON(w, http.StatusOK, answer{
			Status:                   "ok",
			Pending:                  st.Pending,
			Dead:                     st.Dead,
			Held:                     st.Held,
			OldestUndeliveredSeconds: st.OldestUndelivered.Seconds(),
		})
	})
}

// writeFailFor is how long a failure to store a lead keeps /readyz at 503
// when no request comes to show that storing works again: a service taken
// out of rotation gets no requests, so it must come back to try.
const writeFailFor = 30 * time.Second

// writeHealth remembers whether the last lead could be stored.
type writeHealth struct {
	mu     sync.Mutex
	at     time.Time // of the last failure; zero after a success
	reason string
}

// failed records a failure to store a lead at now.
func (h *writeHealth) failed(now time.Time, err error) {
	reason := "the store refused a write"
	switch msg := strings.ToLower(err.Error()); {
	case strings.Contains(msg, "full"), strings.Contains(msg, "no space"):
		reason = "disk full: leads cannot be stored"
	case strings.Contains(msg, "read-only"), strings.Contains(msg, "readonly"):
		reason = "the store is read-only: leads cannot be stored"
	}
	h.mu.Lock()
	h.at, h.reason = now, reason
	h.mu.Unlock()
}

// stored records that a lead was stored.
func (h *writeHealth) stored() {
	h.mu.Lock()
	h.at, h.reason = time.Time{}, ""
	h.mu.Unlock()
}

// failing returns why leads cannot be stored, or "" when the last one was
// (or the last failure is older than writeFailFor).
func (h *writeHealth) failing(now time.Time) string {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.at.IsZero() || now.Sub(h.at) > writeFailFor {
		return ""
	}
	return h.reason
}
