package intake

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/delivery"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/mailpit"
)

// TestLeadReachesMailpit posts a lead over HTTP to the handler on a real
// SQLite file, runs the delivery worker against a real Mailpit, and reads
// both emails back.
func TestLeadReachesMailpit(t *testing.T) {
	mp := mailpit.Start(t)
	f := newFixture(t, func(c *Config) { c.Now = time.Now; c.MinFill = time.Nanosecond })
	smtp, err := mail.NewSMTP("smtp://"+mp.SMTP+"?tls=none", mail.SMTPOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		delivery.Run(ctx, f.store, smtp, delivery.Options{Logger: slog.New(slog.NewTextHandler(f.logs, nil)), Compose: f.compose})
	}()
	defer cancel()

	srv := httptest.NewServer(f.h)
	defer srv.Close()
	l := validLead()
	l["procedure"] = "chemical-peel"
	l["form_token"] = f.token(t)
	resp, err := http.Post(srv.URL+"/v1/consultations", ctJSON, strings.NewReader(asJSON(l)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var got struct{ ID string }
	if resp.StatusCode != http.StatusAccepted || json.Unmarshal(body, &got) != nil {
		t.Fatalf("status %d %s, want 202 with an id", resp.StatusCode, body)
	}

	wctx, wcancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer wcancel()
	msgs, err := mp.Wait(wctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	var coordinator, patient *mailpit.Message
	for i, m := range msgs {
		switch m.MessageID {
		case got.ID + ".coordinator@harbour.example":
			coordinator = &msgs[i]
		case got.ID + ".patient@harbour.example":
			patient = &msgs[i]
		}
	}
	if coordinator == nil || patient == nil {
		t.Fatalf("messages %+v: want the coordinator's and the patient's for %s", msgs, got.ID)
	}
	if len(coordinator.To) != 1 || coordinator.To[0].Address != "skin@harbour.example" {
		t.Errorf("coordinator's email to %+v, want the skin coordinator (routed by category)", coordinator.To)
	}
	if len(coordinator.ReplyTo) != 1 || coordinator.ReplyTo[0].Address != l["email"] {
		t.Errorf("coordinator's email Reply-To %+v, want the patient", coordinator.ReplyTo)
	}
	if coordinator.From == nil || coordinator.From.Address != "hello@harbour.example" {
		t.Errorf("coordinator's email from %+v, want the practice", coordinator.From)
	}
	if !strings.Contains(coordinator.Subject, "Chemical peel") || !strings.Contains(coordinator.Text, "+353871234567") {
		t.Errorf("coordinator's email: subject %q, text lacks the procedure or the E.164 phone:\n%s", coordinator.Subject, coordinator.Text)
	}
	if len(patient.To) != 1 || patient.To[0].Address != l["email"] {
		t.Errorf("confirmation to %+v, want the patient", patient.To)
	}
	// The whole service's log, delivery included, holds no personal data.
	cancel()
	<-done
	logs := f.logs.String()
	if !strings.Contains(logs, got.ID) {
		t.Errorf("the log does not name the lead:\n%s", logs)
	}
	for _, k := range []string{"first_name", "last_name", "email", "message"} {
		if strings.Contains(logs, l[k].(string)) {
			t.Errorf("the log holds the %s:\n%s", k, logs)
		}
	}
	if strings.Contains(logs, "4567") {
		t.Errorf("the log holds the phone number:\n%s", logs)
	}
}
