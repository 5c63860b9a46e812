package intake

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"
	"path"
	"time"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/form"
	"github.com/gorilla/mux"
)

// Store is what the service needs of its store (an *outbox.Store): it
// keeps each lead with its emails, and where the lead stands.
type Store interface {
	Enqueue(ctx context.Context, t lead.Tracked, key string, msgs []outbox.Message) (id string, dup bool, err error)
	Stats(ctx context.Context) (outbox.Stats, error)
	Lead(ctx context.Context, id string) (lead.Tracked, error)
	Update(ctx context.Context, id string, decide outbox.Decide) (t lead.Tracked, changed bool, err error)
	Overdue(ctx context.Context, now time.Time) (int, error)
	// Match finds the open lead a later request of the same patient joins.
	Match(ctx context.Context, l lead.Lead, since time.Time) (lead.Tracked, bool, error)
	// Attached reads the requests that joined a lead.
	Attached(ctx context.Context, id string) ([]lead.Lead, error)
}

// server holds what the handlers share. It is built once by NewServer.
type server struct {
	log     *slog.Logger
	cfg     Config
	store   Store
	metrics *Metrics
	actions action.Signer

	check      *checker
	tokens     tokens
	limit      *limiter
	tokenLimit *limiter // GET /v1/consultations/token: the same limit, its own buckets
	confirm    *confirmations
	writes     writeHealth // for /readyz: whether leads can be stored
	procedures map[string]Procedure
	heard      []string // the form's fixed answers to "How did you hear of us?": source categories (lead.SourceOf)
	surgeons   map[string]Surgeon
	origins    map[string]bool
	form       formRenderer

	router  *mux.Router
	handler http.Handler // router inside the middleware
}

// NewServer returns the intake service's handler over store: every route
// of routes.go, inside the middleware (request log, recovery, security
// headers, CORS, body limit); any other path is answered 404. metrics may
// be nil, in which case the service keeps its own.
func NewServer(logger *slog.Logger, cfg Config, store Store, metrics *Metrics) http.Handler {
	return newServer(logger, cfg.WithDefaults(), store, metrics)
}

// newServer is NewServer of a cfg whose defaults are applied.
func newServer(logger *slog.Logger, cfg Config, store Store, metrics *Metrics) *server {
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
		tokens:     tokens{secret: secret, previous: cfg.PreviousSecret, minFill: cfg.MinFill, maxAge: cfg.MaxTokenAge},
		limit:      newLimiter(cfg.RateLimit, cfg.RateBurst, cfg.TrustedProxyHeader, cfg.TrustedProxies),
		tokenLimit: newLimiter(cfg.RateLimit, cfg.RateBurst, cfg.TrustedProxyHeader, cfg.TrustedProxies),
		confirm:    newConfirmations(logger, cfg.ConfirmationsPerHour, cfg.MaxTokenAge),
		procedures: make(map[string]Procedure, len(cfg.Procedures)),
		surgeons:   make(map[string]Surgeon, len(cfg.Surgeons)),
		origins:    make(map[string]bool, len(cfg.AllowedOrigins)),
	}
	for _, p := range cfg.Procedures {
		s.procedures[p.Slug] = p
	}
	for _, c := range form.Must("source").Choices {
		s.heard = append(s.heard, c.Value)
	}
	for _, sg := range cfg.Surgeons {
		s.surgeons[sg.Slug] = sg
	}
	for _, o := range cfg.AllowedOrigins {
		s.origins[o] = true
	}
	s.actions = action.Signer{Secret: secret, Previous: cfg.PreviousSecret, Base: cfg.PublicURL, TTL: cfg.ActionTTL, Now: cfg.Now}
	metrics.registerClock(store, cfg.Now)
	s.check = newChecker(s.procedures, s.surgeons, cfg.Region, siteHosts(cfg))
	s.form = newFormRenderer(cfg)

	r := mux.NewRouter().SkipClean(true) // nothing redirects: see routes.go
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpError(w, http.StatusNotFound, "Not found.")
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		httpError(w, http.StatusMethodNotAllowed, "Method not allowed.")
	})
	for _, rt := range s.routes() {
		r.Handle(rt.path, rt.handler).Methods(rt.methods...)
	}
	r.Use(noteRoute)
	s.router = r

	var h http.Handler = r
	h = s.cors(h)
	h = s.limitBody(h)
	h = securityHeaders(h)
	h = s.recoverPanics(h)
	h = s.logRequests(h)
	s.handler = h
	return s
}

// ServeHTTP serves the routes of routes.go.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// owns reports whether r is for the service: its path, cleaned, is one of
// the routes of routes.go, whatever the method. A path that only matches
// once cleaned ("//v1/consultations") is the service's too, and answered
// 404 rather than redirected.
func (s *server) owns(r *http.Request) bool {
	clean := *r
	u := *r.URL
	u.Path = path.Clean("/" + r.URL.Path)
	clean.URL = &u
	var m mux.RouteMatch
	return s.router.Match(&clean, &m) && m.MatchErr != mux.ErrNotFound
}

// mount returns a handler that serves the service's requests (see owns)
// and hands every other request to next.
func (s *server) mount(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.owns(r) {
			s.handler.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}
