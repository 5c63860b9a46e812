package intake

import (
	"crypto/rand"
	"log/slog"
	"net/http"

	"github.com/consultahq/consulta/intake/outbox"
	"github.com/gorilla/mux"
)

// server holds what the handlers share. It is built once by NewServer.
type server struct {
	log     *slog.Logger
	cfg     Config
	store   outbox.Store
	metrics *Metrics

	check      *checker
	tokens     tokens
	limit      *limiter
	procedures map[string]Procedure
	origins    map[string]bool
	form       formRenderer
}

// NewServer returns the intake service's handler: every route of
// routes.go, inside the middleware (recovery, request log, security
// headers, CORS, body limit). Leads go into store; metrics may be nil, in
// which case the service keeps its own.
func NewServer(logger *slog.Logger, cfg Config, store outbox.Store, metrics *Metrics) http.Handler {
	cfg = cfg.withDefaults()
	if metrics == nil {
		metrics = NewMetrics(store)
	}
	secret := cfg.Secret
	if len(secret) == 0 {
		secret = make([]byte, 32)
		rand.Read(secret)
	}
	s := &server{
		log:        logger,
		cfg:        cfg,
		store:      store,
		metrics:    metrics,
		tokens:     tokens{secret: secret, minFill: cfg.MinFill, maxAge: cfg.MaxTokenAge},
		limit:      newLimiter(cfg.RateLimit, cfg.RateBurst, cfg.TrustedProxyHeader),
		procedures: make(map[string]Procedure, len(cfg.Procedures)),
		origins:    make(map[string]bool, len(cfg.AllowedOrigins)),
	}
	for _, p := range cfg.Procedures {
		s.procedures[p.Slug] = p
	}
	for _, o := range cfg.AllowedOrigins {
		s.origins[o] = true
	}
	s.check = newChecker(s.procedures, cfg.Region)
	s.form = newFormRenderer(cfg)

	r := mux.NewRouter()
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpError(w, http.StatusNotFound, "Not found.")
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpError(w, http.StatusMethodNotAllowed, "Method not allowed.")
	})
	addRoutes(r, s)

	var h http.Handler = r
	h = s.cors(h)
	h = s.limitBody(h)
	h = securityHeaders(h)
	h = s.logRequests(h)
	h = s.recoverPanics(h)
	return h
}
