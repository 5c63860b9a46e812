package intake

import (
	"context"
	"math"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// registerClock adds the response clock's metrics: the time-to-claim
// histogram, observed as leads are claimed, and the overdue-leads gauge,
// read from leads at each scrape. It does nothing the second time.
func (m *Metrics) registerClock(leads interface {
	Overdue(context.Context, time.Time) (int, error)
}, now func() time.Time) {
	if m.toClaim != nil {
		return
	}
	m.toClaim = prometheus.NewHistogram(prometheus.HistogramOpts{
		Name: "consulta_lead_time_to_claim_seconds",
		Help: "Time from a lead being received to a coordinator claiming it.",
		// 1 minute … 3 days.
		Buckets: []float64{60, 300, 900, 1800, 3600, 7200, 4 * 3600, 8 * 3600, 24 * 3600, 72 * 3600},
	})
	overdue := prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "consulta_leads_overdue",
		Help: "Leads not claimed by their due time.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := leads.Overdue(ctx, now())
		if err != nil {
			return math.NaN()
		}
		return float64(n)
	})
	m.Registry.MustRegister(m.toClaim, overdue)
}

// claimed records a lead claimed after d.
func (m *Metrics) claimed(d time.Duration) {
	if m.toClaim != nil {
		m.toClaim.Observe(d.Seconds())
	}
}
