package intake

import (
	"net/http"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/internal/form"
	"github.com/gorilla/mux"
)

// route is one entry of the API: its path, methods and handler.
type route struct {
	path    string
	methods []string
	handler http.Handler
}

// routes is the whole API surface of the service, and the only list of it:
// the router, the request log and a mounted service (Service.Mount) all
// read it. /metrics is not among them: it names the practice's
// performance, and is served on an address of its own (Metrics.Handler). Paths are matched exactly: nothing redirects, so a POST never
// turns into a GET, and "//v1/consultations" is answered 404.
func (s *server) routes() []route {
	return []route{
		{form.DefaultAction, []string{http.MethodPost}, s.handleConsultation()}, // /v1/consultations
		{form.DefaultAction + "/token", []string{http.MethodGet}, s.handleToken()},
		{thanksPath, []string{http.MethodGet, http.MethodHead}, s.handleThanks()},
		{correctionPath + "{token}", []string{http.MethodPost}, s.handleCorrection()},
		{action.Path + "{token}", []string{http.MethodGet, http.MethodPost}, s.handleAction()},
		{action.CarePath + "{token}", []string{http.MethodGet, http.MethodPost}, s.handleCare()},
		{action.TaskPath + "{token}", []string{http.MethodGet, http.MethodPost}, s.handleTask()},
		{"/healthz", []string{http.MethodGet, http.MethodHead}, handleHealthz()},
		{"/readyz", []string{http.MethodGet, http.MethodHead}, s.handleReadyz()},
	}
}

// noteRoute tells the request log which route matched, so that it logs the
// route's path and never a path the client made up.
func noteRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt := mux.CurrentRoute(r); rt != nil {
			info(r).route, _ = rt.GetPathTemplate()
		}
		next.ServeHTTP(w, r)
	})
}
