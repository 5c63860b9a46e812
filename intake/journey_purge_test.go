package intake

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
	"github.com/consultahq/consulta/internal/pgtest"
)

// TestJourneyPurgeLeavesNothing books a lead's consultation by video and
// a surgery inside the cooling-off period, each with a marker in what
// staff and the patient write (the video link, the place, the reason of
// the override, a request to change the date), on each store, lets the
// journey end and the purge run, and then reads the raw bytes of every
// file the store keeps and of the mail folder: none holds a marker, and
// the journey keeps what the report counts.
func TestJourneyPurgeLeavesNothing(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			var storeDir string
			flush := func() {}
			svc := openService(t, func(c *Config) {
				c.Retention, c.SpamRetention, c.PurgeEvery = time.Millisecond, time.Millisecond, 20*time.Millisecond
				c.Delivery.Poll = 20 * time.Millisecond
				c.MinFill = time.Nanosecond
				c.Care.CoolingOffDays = 14
				c.Clock.RespondWithin = time.Second                              // the change's task, due a second on, is the journey's last step
				c.Practice.Care = mail.Care{Plans: map[string][]mail.CareText{}} // no steps: the journey ends with its surgery
				if store == "postgres" {
					pg := pgtest.Start(t)
					c.DatabaseURL, storeDir = pg.Database(t), pg.DataDir()
					flush = func() { pg.Exec(t, "CHECKPOINT") }
				}
			})
			if storeDir == "" {
				storeDir = svc.cfg.DataDir
			}
			mark := func(what string) string { return "qzj" + store + what }
			markers := []string{mark("first"), mark("video"), mark("place"), mark("reason"), mark("change")}
			l := validLead()
			l["first_name"] = markers[0]
			l["form_token"] = func() string {
				w := httptest.NewRecorder()
				svc.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/v1/consultations/token", nil))
				var got struct{ Token string }
				json.Unmarshal(w.Body.Bytes(), &got)
				return got.Token
			}()
			w := httptest.NewRecorder()
			r := httptest.NewRequest(http.MethodPost, "/v1/consultations", strings.NewReader(asJSON(l)))
			r.Header.Set("Content-Type", ctJSON)
			svc.Handler().ServeHTTP(w, r)
			var a answer
			if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || a.ID == "" {
				t.Fatalf("%d %s", w.Code, w.Body)
			}
			ctx := context.Background()
			now := time.Now()
			staff := lead.Person{Email: "coordinator@harbour.example"}
			for _, s := range []Scheduling{
				{Appointment: lead.Appointment{Kind: lead.Consultation, At: now.Add(time.Second), Mode: lead.Video, Place: "https://meet.example/" + markers[1]}, By: staff},
				{Appointment: lead.Appointment{Kind: lead.Surgery, At: now.Add(2 * time.Second), Procedure: "rhinoplasty", Place: markers[2], Override: markers[3]}, By: staff},
			} {
				if _, err := Schedule(ctx, svc.store, svc.cfg, a.ID, s, now); err != nil {
					t.Fatal(err)
				}
			}
			if _, _, err := svc.store.UpdateJourney(ctx, a.ID, func(tr lead.Tracked, j lead.Journey) (lead.JourneyChange, []outbox.Message, bool, error) {
				c, ok := lead.RequestChange(j, tr.Lead, lead.Surgery, markers[4], now, carePolicyOf(svc.cfg.WithDefaults()))
				msgs, err := remind.PlanMails(c, svc.cfg.Practice)
				return c, msgs, ok, err
			}); err != nil {
				t.Fatal(err)
			}
			// The change's task is escalated at its due time, its last step.
			runCtx, cancel := context.WithCancel(ctx)
			done := make(chan error, 1)
			go func() { done <- svc.Run(runCtx) }()
			defer func() { cancel(); <-done }()
			deadline := time.Now().Add(30 * time.Second)
			for {
				flush()
				left := markersIn(t, markers, storeDir, svc.cfg.DataDir+"/mail")
				if len(left) == 0 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after 30s, markers are still in files: %v", left)
				}
				time.Sleep(50 * time.Millisecond)
			}
			_, j, err := svc.store.Journey(ctx, a.ID)
			if err != nil || len(j.Appointments) != 2 || len(j.Overrides) != 1 || len(j.Tasks) != 1 {
				t.Errorf("the purged journey keeps %+v, %v; want its appointments, override and task, counted", j, err)
			}
		})
	}
}
