// Package mailpit runs a real Mailpit SMTP server for tests, on free
// loopback ports with a throw-away database, and reads what it received
// through Mailpit's HTTP API.
package mailpit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// Server is a running Mailpit.
type Server struct {
	t      testing.TB
	bin    string
	args   []string
	SMTP   string // host:port of the SMTP server
	API    string // base URL of the HTTP API, e.g. "http://127.0.0.1:40123"
	client *http.Client

	mu  sync.Mutex
	cmd *exec.Cmd
}

// Options are extra Mailpit settings.
type Options struct {
	TLSCert, TLSKey string // PEM files: the SMTP server offers STARTTLS
	AcceptAnyAuth   bool   // accept any SMTP credentials
}

// Start starts Mailpit for the test and stops it when the test ends. It
// skips the test when Mailpit is missing, unless CI=true.
func Start(t testing.TB, opts ...Options) *Server {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("mailpit not found: run make test (it installs bin/mailpit) or set CONSULTA_MAILPIT")
		}
		t.Skip("mailpit not found (set CONSULTA_MAILPIT or run make test)")
	}
	s := &Server{t: t, bin: bin, client: &http.Client{Timeout: 10 * time.Second}}
	smtpPort, apiPort := freePort(t), freePort(t)
	s.SMTP = "127.0.0.1:" + smtpPort
	s.API = "http://127.0.0.1:" + apiPort
	s.args = []string{
		"--smtp", s.SMTP, "--listen", "127.0.0.1:" + apiPort,
		"--database", filepath.Join(t.TempDir(), "mailpit.db"),
		"--enable-chaos", "--disable-version-check", "--smtp-disable-rdns", "--quiet",
		"--max", "0", "--pop3", "127.0.0.1:" + freePort(t),
	}
	for _, o := range opts {
		if o.TLSCert != "" {
			s.args = append(s.args, "--smtp-tls-cert", o.TLSCert, "--smtp-tls-key", o.TLSKey)
		}
		if o.AcceptAnyAuth {
			s.args = append(s.args, "--smtp-auth-accept-any")
		}
	}
	s.start()
	t.Cleanup(s.Stop)
	return s
}

// Binary returns the path of the mailpit binary: $CONSULTA_MAILPIT, else
// bin/mailpit at the module root, else mailpit on PATH; "" if none.
func Binary() string {
	if p := os.Getenv("CONSULTA_MAILPIT"); p != "" {
		return p
	}
	if dir, err := os.Getwd(); err == nil {
		for ; ; dir = filepath.Dir(dir) {
			if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
				if p := filepath.Join(dir, "bin", "mailpit"); isFile(p) {
					return p
				}
				break
			}
			if dir == filepath.Dir(dir) {
				break
			}
		}
	}
	p, _ := exec.LookPath("mailpit")
	return p
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

func freePort(t testing.TB) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

func (s *Server) start() {
	s.t.Helper()
	cmd := exec.Command(s.bin, s.args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		s.t.Fatalf("start mailpit: %v", err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(15 * time.Second)
	for {
		resp, err := s.client.Get(s.API + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && s.smtpUp() {
				break
			}
		}
		select {
		case <-exited:
			s.t.Fatalf("mailpit exited: %s", out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			s.t.Fatalf("mailpit not ready after 15s: %s", out.String())
		}
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
}

func (s *Server) smtpUp() bool {
	c, err := net.DialTimeout("tcp", s.SMTP, time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// Stop stops Mailpit; its messages are kept for Restart.
func (s *Server) Stop() {
	s.mu.Lock()
	cmd := s.cmd
	s.cmd = nil
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { cmd.Process.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-done
	}
}

// Restart starts Mailpit again on the same ports, with the same database.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.start()
}

// Message is a received message as Mailpit's API describes it.
type Message struct {
	ID        string // Mailpit's own id
	MessageID string // the Message-ID header, without angle brackets
	From      *Address
	To        []Address
	ReplyTo   []Address
	Subject   string
	Text      string
	HTML      string
}

// Address is a parsed email address.
type Address struct{ Name, Address string }

// Messages returns every message received, newest first, in full.
func (s *Server) Messages(ctx context.Context) ([]Message, error) {
	var list struct {
		Messages []struct{ ID string }
	}
	if err := s.get(ctx, "/api/v1/messages?limit=1000", &list); err != nil {
		return nil, err
	}
	out := make([]Message, 0, len(list.Messages))
	for _, m := range list.Messages {
		full, err := s.Message(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, full)
	}
	return out, nil
}

// MessageIDs counts the messages received by their Message-ID header
// (without angle brackets), from Mailpit's list alone: cheaper than
// Messages when only the ids matter, as in counting duplicates.
func (s *Server) MessageIDs(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for start := 0; ; start += 500 {
		var page struct {
			Total    int `json:"messages_count"`
			Messages []struct{ MessageID string }
		}
		if err := s.get(ctx, fmt.Sprintf("/api/v1/messages?start=%d&limit=500", start), &page); err != nil {
			return nil, err
		}
		for _, m := range page.Messages {
			out[m.MessageID]++
		}
		if len(page.Messages) == 0 || start+len(page.Messages) >= page.Total {
			return out, nil
		}
	}
}

// Message returns one message by Mailpit id.
func (s *Server) Message(ctx context.Context, id string) (Message, error) {
	var m Message
	err := s.get(ctx, "/api/v1/message/"+url.PathEscape(id), &m)
	return m, err
}

// Raw returns a message by Mailpit id as it was received (RFC 5322).
func (s *Server) Raw(ctx context.Context, id string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.API+"/api/v1/message/"+url.PathEscape(id)+"/raw", nil)
	if err != nil {
		return nil, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("mailpit raw %s: %w", id, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("mailpit raw %s: %s", id, resp.Status)
	}
	return b, err
}

// Headers returns the headers of a message by Mailpit id.
func (s *Server) Headers(ctx context.Context, id string) (map[string][]string, error) {
	var h map[string][]string
	err := s.get(ctx, "/api/v1/message/"+url.PathEscape(id)+"/headers", &h)
	return h, err
}

// Count returns how many messages Mailpit holds.
func (s *Server) Count(ctx context.Context) (int, error) {
	var list struct {
		Total int `json:"messages_count"`
	}
	err := s.get(ctx, "/api/v1/messages?limit=1", &list)
	return list.Total, err
}

// Wait waits until Mailpit holds at least n messages, and returns them all.
func (s *Server) Wait(ctx context.Context, n int) ([]Message, error) {
	for {
		got, err := s.Count(ctx)
		if err == nil && got >= n {
			return s.Messages(ctx)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for %d messages: %d arrived: %w", n, got, ctx.Err())
		case <-time.After(25 * time.Millisecond):
		}
	}
}

// DeleteAll deletes every message.
func (s *Server) DeleteAll(ctx context.Context) error {
	return s.do(ctx, http.MethodDelete, "/api/v1/messages", nil, nil)
}

// Chaos makes Mailpit answer the given SMTP step with code, with the given
// probability in percent; probability 0 turns it off. Step is "Sender"
// (MAIL FROM), "Recipient" (RCPT TO) or "Authentication".
type Chaos struct {
	Sender, Recipient, Authentication Trigger
}

// Trigger is one chaos rule.
type Trigger struct{ ErrorCode, Probability int }

// SetChaos replaces the chaos triggers.
func (s *Server) SetChaos(ctx context.Context, c Chaos) error {
	return s.do(ctx, http.MethodPut, "/api/v1/chaos", c, nil)
}

func (s *Server) get(ctx context.Context, path string, out any) error {
	return s.do(ctx, http.MethodGet, path, nil, out)
}

func (s *Server) do(ctx context.Context, method, path string, in, out any) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, s.API+path, body)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("mailpit %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit %s %s: %s: %s", method, path, resp.Status, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			return fmt.Errorf("mailpit %s %s: %w", method, path, err)
		}
	}
	return nil
}
