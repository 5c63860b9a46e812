package intake

import (
	"bytes"
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/figures"
	"github.com/consultahq/consulta/intake/report"
	"github.com/consultahq/consulta/internal/pgtest"
)

// markedLeads returns a request, a spam request caught by the honeypot,
// and a request that says where it came from only in the patient's own
// words, each with a marker of its own in every field a patient (or a
// client of the API) can fill, and the markers to look for once they are
// purged: each as sent, and the phone numbers as the service keeps them
// (E.164) and as the emails show them. The campaign's utm_source is the
// one value a purged lead keeps, as its source category: it is a plain
// "newsletter".
func markedLeads(store string) (leads []map[string]any, markers []string) {
	for i, kind := range []string{"lead", "spam", "words"} {
		mark := func(field string) string {
			m := "qzm" + store + kind + field
			markers = append(markers, m)
			return m
		}
		digits := map[string]string{"sqlite": "37", "postgres": "73"}[store] + []string{"1", "2", "3"}[i]
		l := map[string]any{
			"first_name": mark("first"), "last_name": mark("last"), "email": mark("mail") + "@" + mark("dom") + ".example",
			"phone": "087 555 0" + digits, "procedure": "rhinoplasty", "preferred_contact": "phone",
			"preferred_time": mark("time") + " after lunch", "message": mark("msg") + " about my nose",
			"source":   "my friend " + mark("friend") + ", who had her breasts done with you",
			"language": "en", "page": "/procedures/rhinoplasty/?" + mark("page"), "consent_privacy": true,
			"sms_opt_in": true, "wording_version": mark("wording"), "idempotency_key": mark("idem"),
			"landing_page": "/" + mark("landing") + "/", "referrer": "https://" + mark("ref") + ".example/" + mark("refpath"),
			"utm_source": "newsletter", "utm_medium": mark("utmm"), "utm_campaign": mark("utmc"), "utm_term": mark("utmt"),
			"utm_content": mark("utmx"), "utm_id": mark("utmi"), "gclid": mark("gclid"), "fbclid": mark("fbclid"), "msclkid": mark("msclk"),
		}
		switch kind {
		case "spam":
			l["website"] = mark("honeypot")
		case "words": // nothing says where the visit came from but the patient's own words
			for _, k := range []string{"landing_page", "referrer", "utm_source", "utm_medium", "utm_campaign", "utm_term",
				"utm_content", "utm_id", "gclid", "fbclid", "msclkid"} {
				delete(l, k)
			}
		}
		markers = append(markers, "+35387555"+"0"+digits, "087 555 0"+digits, "5550"+digits)
		leads = append(leads, l)
	}
	return leads, markers
}

// TestPurgeLeavesNothing sends a lead and a spam lead carrying markers in
// every field a patient can fill to the service, on each store, lets the
// worker deliver the lead (as .eml files) and the purge remove both, and
// then reads the raw bytes of every file the store keeps (SQLite: the
// database, its write-ahead log and shared memory, free pages included;
// PostgreSQL: its whole data folder, tables, indexes and write-ahead log)
// and of the mail folder, and the report in every format: none holds a
// marker.
func TestPurgeLeavesNothing(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			var storeDir string
			flush := func() {} // makes the store's files on disk what it holds
			svc := openService(t, func(c *Config) {
				c.Retention, c.SpamRetention, c.PurgeEvery = time.Millisecond, time.Millisecond, 20*time.Millisecond
				c.Delivery.Poll = 20 * time.Millisecond
				c.AllowedOrigins = []string{"https://www.harbour.example"}
				c.RateBurst = 100
				c.MinFill = time.Nanosecond // the lead's form token is fresh: it gets its confirmation
				if store == "postgres" {
					pg := pgtest.Start(t)
					c.DatabaseURL, storeDir = pg.Database(t), pg.DataDir()
					// PostgreSQL writes its tables' pages at a checkpoint:
					// one before each look makes the files hold what a
					// purge left in memory, dead rows and free space included.
					flush = func() { pg.Exec(t, "CHECKPOINT") }
				}
			})
			dataDir := svc.cfg.DataDir
			if storeDir == "" {
				storeDir = dataDir
			}
			leads, markers := markedLeads(store)
			for _, l := range leads {
				tok := httptest.NewRecorder()
				svc.Handler().ServeHTTP(tok, httptest.NewRequest(http.MethodGet, "/v1/consultations/token", nil))
				var got struct{ Token string }
				json.Unmarshal(tok.Body.Bytes(), &got)
				l["form_token"] = got.Token
				w := httptest.NewRecorder()
				r := httptest.NewRequest(http.MethodPost, "/v1/consultations", strings.NewReader(asJSON(l)))
				r.Header.Set("Content-Type", ctJSON)
				svc.Handler().ServeHTTP(w, r)
				if w.Code != http.StatusAccepted || l["website"] == nil && !strings.Contains(w.Body.String(), `"confirmation":true`) {
					t.Fatalf("status %d %s; want the lead confirmed", w.Code, w.Body)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- svc.Run(ctx) }()
			stopped := false
			stop := func() {
				if !stopped {
					cancel()
					<-done
					stopped = true
				}
			}
			defer stop()

			found := func() map[string][]string {
				flush()
				return markersIn(t, markers, storeDir, filepath.Join(dataDir, "mail"))
			}
			deadline := time.Now().Add(20 * time.Second)
			for left := found(); len(left) > 0; left = found() {
				if time.Now().After(deadline) {
					t.Fatalf("after 20s, markers are still in files: %v", left)
				}
				time.Sleep(50 * time.Millisecond)
			}
			if st, err := svc.store.Stats(ctx); err != nil || st.Pending+st.Dead+st.Held != 0 {
				t.Errorf("stats %+v, %v: want the lead's emails sent and the spam gone", st, err)
			}
			stop()
			if left := found(); len(left) > 0 { // the store closed: nothing written on the way out either
				t.Errorf("after the service stopped, markers are in files: %v", left)
			}

			// The report of the period keeps the lead: its reference, times,
			// state, procedure and source category, and no marker.
			svc2 := openService(t, func(c *Config) {
				*c = svc.cfg
			})
			list, err := svc2.store.List(context.Background(), time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
			if err != nil || len(list) != 2 {
				t.Fatalf("the report's leads: %d, %v; want the two purged leads", len(list), err)
			}
			r := figures.Compute(list, time.Now().Add(-time.Hour), time.Now().Add(time.Hour), time.Now(), time.UTC)
			var out bytes.Buffer
			for _, write := range []func(*bytes.Buffer, figures.Report) error{
				func(b *bytes.Buffer, r figures.Report) error { return report.WriteText(b, r) },
				func(b *bytes.Buffer, r figures.Report) error { return report.WriteCSV(b, r) },
				func(b *bytes.Buffer, r figures.Report) error { return report.WriteJSON(b, r) },
			} {
				if err := write(&out, r); err != nil {
					t.Fatal(err)
				}
			}
			for _, m := range markers {
				if strings.Contains(out.String(), m) {
					t.Errorf("the report shows %q:\n%s", m, out.String())
				}
			}
			sources := map[string]bool{}
			for _, l := range r.Leads {
				if l.Ref == "" || l.Procedure != "rhinoplasty" {
					t.Errorf("a purged lead in the report: %+v; want its reference and procedure", l)
				}
				sources[l.Source] = true
			}
			if !sources["newsletter"] || !sources["other"] {
				t.Errorf("the purged leads' sources: %v; want the campaign's, and other for the patient's own words", sources)
			}
		})
	}
}

// markersIn returns, by file under dirs, the markers its raw bytes hold.
func markersIn(t *testing.T, markers []string, dirs ...string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, dir := range dirs {
		filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil // a file removed while walking is not kept
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return nil
			}
			for _, m := range markers {
				if bytes.Contains(b, []byte(m)) {
					out[path] = append(out[path], m)
				}
			}
			return nil
		})
	}
	return out
}
