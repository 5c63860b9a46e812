package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// intakeCmd runs `consulta intake args…` and returns what it printed.
func intakeCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errs bytes.Buffer
	err := run(t.Context(), append([]string{"intake"}, args...), func(string) string { return "" }, nil, &out, &errs)
	return out.String() + errs.String(), err
}

func TestIntakeSpamCommands(t *testing.T) {
	data := t.TempDir()
	store, err := outbox.Open(context.Background(), filepath.Join(data, "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	l := lead.Lead{ID: "ld_SPAM1", Received: time.Now().UTC(), FirstName: "Autofill", Email: "hurried@mail.example",
		Procedure: "rhinoplasty", Spam: true, Signals: []string{"honeypot"}}
	msg := outbox.Message{ID: l.ID + ".coordinator", MessageID: "<x@y>", From: "a@b.example", To: []string{"c@b.example"},
		Raw: []byte("Subject: x\r\n\r\nx\r\n"), Kind: mail.Coordinator}
	if _, _, err := store.Enqueue(context.Background(), lead.Start(l), "", []outbox.Message{msg}); err != nil {
		t.Fatal(err)
	}
	store.Close()

	out, err := intakeCmd(t, "spam", "--data", data)
	if err != nil || !strings.Contains(out, "ld_SPAM1") || !strings.Contains(out, "honeypot") || !strings.Contains(out, "mail.example") {
		t.Fatalf("spam: %v\n%s", err, out)
	}
	if strings.Contains(out, "Autofill") || strings.Contains(out, "hurried") {
		t.Errorf("spam list shows personal data:\n%s", out)
	}
	if out, err := intakeCmd(t, "spam", "--data", data, "release", "ld_SPAM1"); err != nil {
		t.Fatalf("release: %v\n%s", err, out)
	}
	if out, err := intakeCmd(t, "spam", "--data", data); err != nil || !strings.Contains(out, "no suspected spam") {
		t.Errorf("spam after release: %v\n%s", err, out)
	}
	if out, err := intakeCmd(t, "spam", "--data", data, "release", "ld_NOPE"); err == nil {
		t.Errorf("release of an unknown id succeeded:\n%s", out)
	}
	if out, err := intakeCmd(t, "requeue", "--data", data); err != nil || !strings.Contains(out, "requeued 0 emails") {
		t.Errorf("requeue: %v\n%s", err, out)
	}
}

func TestIntakeHelpDocumentsEverySetting(t *testing.T) {
	out, _ := intakeCmd(t, "--help")
	for _, want := range []string{"CONSULTA_SMTP_URL", "CONSULTA_FROM", "CONSULTA_HELO", "CONSULTA_FORM_SECRET", "CONSULTA_FORM_SECRET_PREVIOUS", "-metrics-addr",
		"-addr", "-data", "-min-fill", "-trusted-proxy-header", "-trusted-proxies", "-confirmations-per-hour", "-allowed-origin", "-retention", "-spam-retention", "insecure=1",
		"intake requeue", "intake spam", "release ID"} {
		if !strings.Contains(out, want) {
			t.Errorf("help lacks %s", want)
		}
	}
}

// TestIntakeRefusesBadFlags: --purge-every 0 once started the service and
// then crashed it with a panic; a body limit or burst below one refused
// every request.
func TestIntakeRefusesBadFlags(t *testing.T) {
	site, _ := filepath.Abs("../..")
	if _, err := os.Stat(filepath.Join(site, "content", "site.yaml")); err != nil {
		t.Fatal("no demo site:", err) // the repository is the demo site: never skip
	}
	for _, flag := range [][]string{{"--purge-every", "0s"}, {"--max-body", "-1"}, {"--rate-burst", "-1"}} {
		t.Run(flag[0], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			args := append([]string{"intake", "-s", site, "--data", t.TempDir(), "--addr", "127.0.0.1:0"}, flag...)
			var out bytes.Buffer
			err := run(ctx, args, func(string) string { return "" }, nil, &out, &out)
			if err == nil || !strings.Contains(err.Error(), flag[0]) {
				t.Errorf("err = %v, want one about %s\n%s", err, flag[0], out.String())
			}
		})
	}
}
