package intake

import (
	"context"
	"net/http"
	"time"
)

// handleHealthz answers 200 while the process runs: GET /healthz.
func handleHealthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// handleReadyz answers 200 when the store can be read, with the state of
// the queue, else 503: GET /readyz.
func (s *server) handleReadyz() http.Handler {
	type answer struct {
		Status                   string  `json:"status"`
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
		writeJSON(w, http.StatusOK, answer{
			Status:                   "ok",
			Pending:                  st.Pending,
			Dead:                     st.Dead,
			Held:                     st.Held,
			OldestUndeliveredSeconds: st.OldestUndelivered.Seconds(),
		})
	})
}
