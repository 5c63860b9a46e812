package intake

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the service's Prometheus metrics, in a registry of their own
// served at GET /metrics by Handler, on an address apart from the public
// one. The request handlers count requests, leads and
// spam; the delivery worker reports through Delivered, Retried and Dead.
type Metrics struct {
	Registry *prometheus.Registry

	requests    *prometheus.CounterVec
	leads       prometheus.Counter
	spam        prometheus.Counter
	confirmed   prometheus.Counter
	unconfirmed *prometheus.CounterVec
	deliveries  *prometheus.CounterVec
	retries     *prometheus.CounterVec
	dead        *prometheus.CounterVec
	latency     prometheus.Histogram
	toClaim     prometheus.Histogram // registered by registerClock
}

// Request outcomes, the label of consulta_intake_requests_total.
const (
	outcomeAccepted    = "accepted"     // a lead stored and queued for mail
	outcomeDuplicate   = "duplicate"    // an idempotency key seen before
	outcomeAgain       = "again"        // stored, attached to an open lead of the same patient
	outcomeSpam        = "spam"         // stored as suspected spam
	outcomeInvalid     = "invalid"      // 422: fields to correct
	outcomeBadRequest  = "bad_request"  // 400, 413, 415: unreadable
	outcomeForbidden   = "forbidden"    // 403: an origin not allowed
	outcomeRateLimited = "rate_limited" // 429
	outcomeError       = "error"        // 5xx
)

// NewMetrics returns the metrics in a new registry, with Go and process
// collectors and, when store is not nil, gauges of its queue.
func NewMetrics(store Store) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consulta_intake_requests_total",
			Help: "Consultation requests received, by outcome.",
		}, []string{"outcome"}),
		leads: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "consulta_intake_leads_total",
			Help: "Leads stored and queued for delivery (not counting spam or duplicates).",
		}),
		spam: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "consulta_intake_spam_total",
			Help: "Leads stored as suspected spam.",
		}),
		confirmed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "consulta_intake_confirmations_total",
			Help: "Leads stored with a confirmation to the patient.",
		}),
		unconfirmed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consulta_intake_confirmations_skipped_total",
			Help: "Leads stored without a confirmation to the patient, by reason (spam, no_token, token_used, recent, cap).",
		}, []string{"reason"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consulta_delivery_sent_total",
			Help: "Emails accepted by the mail server, by kind (coordinator, patient).",
		}, []string{"kind"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consulta_delivery_retries_total",
			Help: "Temporary delivery failures, to be retried, by kind.",
		}, []string{"kind"}),
		dead: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "consulta_delivery_dead_total",
			Help: "Emails refused permanently and dead-lettered, by kind.",
		}, []string{"kind"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "consulta_delivery_latency_seconds",
			Help:    "Time from a lead being stored to its email being accepted by the mail server.",
			Buckets: prometheus.ExponentialBuckets(0.05, 4, 10), // 50 ms … ~3.6 h
		}),
	}
	for _, o := range []string{outcomeAccepted, outcomeDuplicate, outcomeSpam, outcomeInvalid,
		outcomeBadRequest, outcomeForbidden, outcomeRateLimited, outcomeError} {
		m.requests.WithLabelValues(o)
	}
	for _, r := range []string{skipSpam, skipNoToken, skipTokenUsed, skipRecent, skipCap} {
		m.unconfirmed.WithLabelValues(r)
	}
	m.Registry.MustRegister(m.requests, m.leads, m.spam, m.confirmed, m.unconfirmed, m.deliveries, m.retries, m.dead, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if store != nil {
		m.Registry.MustRegister(newQueueCollector(store))
	}
	return m
}

// Delivered records an email of kind accepted by the mail server, latency
// after its lead was stored.
func (m *Metrics) Delivered(kind string, latency time.Duration) {
	m.deliveries.WithLabelValues(kind).Inc()
	m.latency.Observe(latency.Seconds())
}

// Retried records a temporary delivery failure of an email of kind.
func (m *Metrics) Retried(kind string) { m.retries.WithLabelValues(kind).Inc() }

// Dead records an email of kind refused permanently.
func (m *Metrics) Dead(kind string) { m.dead.WithLabelValues(kind).Inc() }

// queueCollector reports the outbox's queue at each scrape.
type queueCollector struct {
	store   Store
	pending *prometheus.Desc
	dead    *prometheus.Desc
	held    *prometheus.Desc
	oldest  *prometheus.Desc
}

func newQueueCollector(store Store) *queueCollector {
	return &queueCollector{
		store:   store,
		pending: prometheus.NewDesc("consulta_outbox_pending", "Emails waiting to be sent.", nil, nil),
		dead:    prometheus.NewDesc("consulta_outbox_dead", "Dead-lettered emails waiting for `consulta intake requeue`.", nil, nil),
		held:    prometheus.NewDesc("consulta_outbox_held", "Emails of suspected spam, held.", nil, nil),
		oldest: prometheus.NewDesc("consulta_outbox_oldest_undelivered_seconds",
			"Age of the oldest email not yet delivered; 0 when none.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.pending
	ch <- c.dead
	ch <- c.held
	ch <- c.oldest
}

// Collect implements prometheus.Collector.
func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	st, err := c.store.Stats(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.pending, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(c.pending, prometheus.GaugeValue, float64(st.Pending))
	ch <- prometheus.MustNewConstMetric(c.dead, prometheus.GaugeValue, float64(st.Dead))
	ch <- prometheus.MustNewConstMetric(c.held, prometheus.GaugeValue, float64(st.Held))
	ch <- prometheus.MustNewConstMetric(c.oldest, prometheus.GaugeValue, st.OldestUndelivered.Seconds())
}

// Handler serves the metrics at GET /metrics, and answers 404 to anything
// else: the handler of the metrics address (consulta intake
// --metrics-addr), which only the practice's monitoring should reach.
func (m *Metrics) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	return mux
}
