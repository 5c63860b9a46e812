package mail_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cmail "github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/mailpit"
)

func TestSMTPDelivers(t *testing.T) {
	mp := mailpit.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	tr, err := cmail.NewSMTP("smtp://"+mp.SMTP+"?tls=none", cmail.SMTPOptions{})
	if err != nil {
		t.Fatal(err)
	}
	msgs, err := compose(zoe(), practice())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		if err := tr.Send(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	got, err := mp.Wait(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]mailpit.Message{}
	for _, m := range got {
		byID["<"+m.MessageID+">"] = m
	}
	coord, ok := byID[msgs[0].MessageID]
	if !ok {
		t.Fatalf("coordinator message %s not in Mailpit", msgs[0].MessageID)
	}
	if coord.From.Address != "desk@harley.example" || len(coord.ReplyTo) != 1 ||
		coord.ReplyTo[0].Name != "Zoë Müller-Łukasiewicz" || coord.ReplyTo[0].Address != "zoe@example.de" ||
		coord.Subject != "New consultation request: Not sure yet — Zoë" {
		t.Errorf("coordinator message: from %+v, reply-to %+v, subject %q", coord.From, coord.ReplyTo, coord.Subject)
	}
	if !strings.Contains(coord.Text, "Müller-Łukasiewicz") || !strings.Contains(coord.HTML, "&lt;script&gt;") {
		t.Errorf("coordinator bodies lack the name or the escaped message:\n%s\n%s", coord.Text, coord.HTML)
	}
	conf := byID[msgs[1].MessageID]
	if len(conf.To) != 1 || conf.To[0].Address != "zoe@example.de" || !strings.Contains(conf.Text, "do not send medical details") {
		t.Errorf("confirmation: to %+v, text %q", conf.To, conf.Text)
	}
}

func TestSMTPErrors(t *testing.T) {
	mp := mailpit.Start(t)
	ctx := context.Background()
	msgs, _ := compose(anna(), practice())
	plain, _ := cmail.NewSMTP("smtp://"+mp.SMTP+"?tls=none", cmail.SMTPOptions{})
	strict, _ := cmail.NewSMTP("smtp://"+mp.SMTP, cmail.SMTPOptions{})

	// A listener that accepts and never greets.
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer silent.Close()
	go func() {
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	slow, _ := cmail.NewSMTP("smtp://"+silent.Addr().String()+"?tls=none", cmail.SMTPOptions{Timeout: 200 * time.Millisecond})
	closedPort := silent.Addr().(*net.TCPAddr).Port + 1 // most likely closed; only "temporary" is checked
	refused, _ := cmail.NewSMTP("smtp://127.0.0.1:"+itoa(closedPort)+"?tls=none", cmail.SMTPOptions{})

	tests := []struct {
		name      string
		tr        *cmail.SMTP
		chaos     mailpit.Chaos
		permanent bool
		reason    string
	}{
		{"451 on RCPT", plain, mailpit.Chaos{Recipient: mailpit.Trigger{ErrorCode: 451, Probability: 100}}, false, "RCPT 451"},
		{"550 on RCPT", plain, mailpit.Chaos{Recipient: mailpit.Trigger{ErrorCode: 550, Probability: 100}}, true, "RCPT 550"},
		{"421 on MAIL", plain, mailpit.Chaos{Sender: mailpit.Trigger{ErrorCode: 421, Probability: 100}}, false, "MAIL 421"},
		{"no STARTTLS offered", strict, mailpit.Chaos{}, false, "STARTTLS: refused"},
		{"silent server", slow, mailpit.Chaos{}, false, "greeting: timeout"},
		{"connection refused", refused, mailpit.Chaos{}, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := mp.SetChaos(ctx, tt.chaos); err != nil {
				t.Fatal(err)
			}
			err := tt.tr.Send(ctx, msgs[0])
			if err == nil {
				t.Fatal("Send succeeded")
			}
			if got := cmail.Permanent(err); got != tt.permanent {
				t.Errorf("Permanent(%v) = %v, want %v", err, got, tt.permanent)
			}
			if got := cmail.Reason(err); tt.reason != "" && got != tt.reason {
				t.Errorf("Reason(%v) = %q, want %q", err, got, tt.reason)
			}
		})
	}
	if n, _ := mp.Count(ctx); n != 0 {
		t.Errorf("%d messages arrived despite the errors", n)
	}
}

func TestSMTPSTARTTLSWithAuth(t *testing.T) {
	certFile, keyFile, pool := selfSigned(t)
	mp := mailpit.Start(t, mailpit.Options{TLSCert: certFile, TLSKey: keyFile, AcceptAnyAuth: true})
	ctx := context.Background()
	tr, err := cmail.NewSMTP("smtp://desk%40harley.example:s3cret@"+mp.SMTP,
		cmail.SMTPOptions{TLSConfig: &tls.Config{RootCAs: pool}, Helo: "mx.harley.example"})
	if err != nil {
		t.Fatal(err)
	}
	msgs, _ := compose(anna(), practice())
	if err := tr.Send(ctx, msgs[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := mp.Wait(ctx, 1); err != nil {
		t.Fatal(err)
	}
	// Without the CA, the certificate is refused: a temporary TLS failure.
	untrusting, _ := cmail.NewSMTP("smtp://"+mp.SMTP, cmail.SMTPOptions{})
	if err := untrusting.Send(ctx, msgs[0]); err == nil || cmail.Permanent(err) || cmail.Reason(err) != "STARTTLS: TLS" {
		t.Errorf("Send with an untrusted certificate: %v (%s)", err, cmail.Reason(err))
	}
}

func TestNewSMTP(t *testing.T) {
	tests := []struct{ url, want string }{
		{"smtp://user:pass@mail.example:587", "smtp://user@mail.example:587"},
		{"smtp://mail.example", "smtp://mail.example:587"},
		{"smtps://mail.example", "smtps://mail.example:465"},
		{"smtp://127.0.0.1:1025?tls=none", "smtp://127.0.0.1:1025?tls=none"},
		{"smtp://localhost:1025?tls=none", "smtp://localhost:1025?tls=none"},
		{"smtp://[::1]:1025?tls=none", "smtp://[::1]:1025?tls=none"},
		{"smtp://mail.example:25?tls=none", ""}, // in the clear over a network: say so
		{"smtp://192.0.2.25:25?tls=none", ""},
		{"smtp://mail.example:25?tls=none&insecure=1", "smtp://mail.example:25?insecure=1&tls=none"},
		{"smtp://127.0.0.1:1025?insecure=1", ""}, // insecure=1 means nothing without tls=none
		{"http://mail.example", ""},
		{"smtp://", ""},
		{"smtp://u:p@127.0.0.1:1025?tls=none", ""}, // password in the clear
		{"smtps://mail.example?tls=none", ""},
		{"smtp://mail.example?tsl=none", ""},
	}
	for _, tt := range tests {
		tr, err := cmail.NewSMTP(tt.url, cmail.SMTPOptions{})
		switch {
		case tt.want == "" && err == nil:
			t.Errorf("NewSMTP(%q) accepted it", tt.url)
		case tt.want != "" && err != nil:
			t.Errorf("NewSMTP(%q): %v", tt.url, err)
		case tt.want != "" && tr.String() != tt.want:
			t.Errorf("NewSMTP(%q).String() = %q, want %q", tt.url, tr.String(), tt.want)
		}
	}
}

func TestDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	msgs, _ := compose(anna(), practice())
	for _, m := range append(msgs, msgs[0]) { // a resend replaces the file
		if err := (cmail.Dir{Path: dir}).Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("%d files, want 2", len(entries))
	}
	got, err := os.ReadFile(filepath.Join(dir, msgs[0].ID+".eml"))
	if err != nil || string(got) != string(msgs[0].Raw) {
		t.Errorf("file content differs from the message (%v)", err)
	}
	if err := (cmail.Dir{Path: dir}).Send(context.Background(), cmail.Message{ID: "../x"}); err == nil {
		t.Error("Dir accepted an id with a path in it")
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// their files and a pool that trusts it.
func selfSigned(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	keyDER, _ := x509.MarshalECPrivateKey(key)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600)
	os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600)
	return certFile, keyFile, pool
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestDirPurge: the .eml files of a local mail folder hold the leads'
// personal data, so they are purged by the same retention as the store.
func TestDirPurge(t *testing.T) {
	dir := cmail.Dir{Path: filepath.Join(t.TempDir(), "mail")}
	msgs, _ := compose(anna(), practice())
	for _, m := range msgs {
		if err := dir.Send(context.Background(), m); err != nil {
			t.Fatal(err)
		}
	}
	old := time.Now().Add(-31 * 24 * time.Hour)
	os.Chtimes(filepath.Join(dir.Path, msgs[0].ID+".eml"), old, old)
	os.WriteFile(filepath.Join(dir.Path, "notes.txt"), []byte("not ours"), 0o600)
	os.Chtimes(filepath.Join(dir.Path, "notes.txt"), old, old)

	n, err := dir.Purge(context.Background(), time.Now().Add(-30*24*time.Hour))
	if err != nil || n != 1 {
		t.Errorf("Purge = %d, %v; want 1", n, err)
	}
	var left []string
	entries, _ := os.ReadDir(dir.Path)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if strings.Join(left, " ") != "ld_01JDEMO.patient.eml notes.txt" {
		t.Errorf("left %v, want the newer message and the file that is not a message", left)
	}
	if n, err := (cmail.Dir{Path: filepath.Join(t.TempDir(), "none")}).Purge(context.Background(), time.Now()); err != nil || n != 0 {
		t.Errorf("Purge of a folder not made yet = %d, %v; want 0, nil", n, err)
	}
	// A message being written is left to its writer, however short the
	// retention; one a crash left behind goes.
	writing, crashed := filepath.Join(dir.Path, ".tmp-1.eml"), filepath.Join(dir.Path, ".tmp-2.eml")
	os.WriteFile(writing, []byte("Subject: x"), 0o600)
	os.WriteFile(crashed, []byte("Subject: x"), 0o600)
	os.Chtimes(crashed, old, old)
	if n, err := dir.Purge(context.Background(), time.Now().Add(time.Second)); err != nil || n != 2 {
		t.Errorf("Purge with a message being written = %d, %v; want 2 (the patient's and the one left by a crash)", n, err)
	}
	if _, err := os.Stat(writing); err != nil {
		t.Errorf("the message being written was removed: %v", err)
	}
	if _, err := os.Stat(crashed); err == nil {
		t.Error("the message a crash left behind was kept")
	}
}
