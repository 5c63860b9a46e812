package mailpit_test

import (
	"context"
	"net/smtp"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/mailpit"
)

func send(t *testing.T, mp *mailpit.Server, subject string) error {
	t.Helper()
	return smtp.SendMail(mp.SMTP, nil, "a@example.com", []string{"b@example.com"},
		[]byte("From: A <a@example.com>\r\nTo: b@example.com\r\nReply-To: c@example.com\r\nSubject: "+subject+
			"\r\nMessage-ID: <"+subject+"@example.com>\r\n\r\nHello.\r\n"))
}

func TestServer(t *testing.T) {
	mp := mailpit.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := send(t, mp, "first"); err != nil {
		t.Fatal(err)
	}
	got, err := mp.Wait(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	m := got[0]
	if m.Subject != "first" || m.MessageID != "first@example.com" || m.From.Name != "A" ||
		len(m.ReplyTo) != 1 || m.ReplyTo[0].Address != "c@example.com" || m.Text != "Hello.\r\n" {
		t.Errorf("message = %+v", m)
	}
	h, err := mp.Headers(ctx, m.ID)
	if err != nil || len(h["Subject"]) != 1 || h["Subject"][0] != "first" {
		t.Errorf("headers = %v, %v", h, err)
	}

	// Chaos answers as told.
	if err := mp.SetChaos(ctx, mailpit.Chaos{Sender: mailpit.Trigger{ErrorCode: 451, Probability: 100}}); err != nil {
		t.Fatal(err)
	}
	if err := send(t, mp, "refused"); err == nil {
		t.Error("a message was accepted under 100% chaos")
	}
	mp.SetChaos(ctx, mailpit.Chaos{})

	// Stopped, it refuses connections; restarted, it keeps what it had.
	mp.Stop()
	if err := send(t, mp, "down"); err == nil {
		t.Error("a stopped Mailpit accepted a message")
	}
	mp.Restart()
	if err := send(t, mp, "second"); err != nil {
		t.Fatal(err)
	}
	if n, err := mp.Count(ctx); err != nil || n != 2 {
		t.Errorf("Count after restart = %d, %v; want 2", n, err)
	}
	if err := mp.DeleteAll(ctx); err != nil {
		t.Fatal(err)
	}
	if n, _ := mp.Count(ctx); n != 0 {
		t.Errorf("Count after DeleteAll = %d", n)
	}
}
