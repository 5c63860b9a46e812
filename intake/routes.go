package intake

import (
	"net/http"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// addRoutes is the whole API surface of the service. Slashes are matched
// exactly: nothing redirects, so a POST never turns into a GET.
func addRoutes(r *mux.Router, s *server) {
	r.Handle("/v1/consultations", s.handleConsultation()).Methods(http.MethodPost)
	r.Handle("/v1/consultations/token", s.handleToken()).Methods(http.MethodGet)
	r.Handle("/healthz", handleHealthz()).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/readyz", s.handleReadyz()).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/metrics", promhttp.HandlerFor(s.metrics.Registry, promhttp.HandlerOpts{})).Methods(http.MethodGet)
}
