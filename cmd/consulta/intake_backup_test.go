package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/mailpit"
)

// TestIntakeBackupWhileServing takes a backup while leads stream into a
// running service, starts a service on the copy, and finds there every
// lead answered 202 before the backup began: the copy's service sends
// each lead's two emails to Mailpit.
func TestIntakeBackupWhileServing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	mp := mailpit.Start(t)
	site, _ := filepath.Abs("../..")
	data := filepath.Join(t.TempDir(), "data") // made 0700 by the service: it refuses a folder others may open
	// The first service's mail server never answers, so every email stays
	// in its store, claimed or pending, to be sent by the copy's service.
	mute := muteSMTP(t)
	args := []string{"-s", site, "--addr", "127.0.0.1:0", "--rate-every", "1ms", "--rate-burst", "100000"}
	p := startIntake(t, []string{"CONSULTA_SMTP_URL=smtp://" + mute + "?tls=none"}, append(args, "--data", data)...)

	s := streamLeads(p.url, 4, 400)
	s.waitFor(t, 100)
	before := s.accepted() // answered before the backup began
	copyDir := t.TempDir()
	os.Chmod(copyDir, 0o700) // the service refuses a data folder others may open
	if out, err := intakeCmd(t, "backup", "--data", data, filepath.Join(copyDir, "outbox.db")); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	s.waitFor(t, len(before)+20) // the stream went on during the backup
	s.stop()
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()

	c := startIntake(t, []string{"CONSULTA_SMTP_URL=smtp://" + mp.SMTP + "?tls=none"}, append(args, "--data", copyDir)...)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	if missing := waitDelivered(ctx, mp, before); len(missing) > 0 {
		t.Fatalf("%d of the %d leads answered 202 before the backup are not in the copy: %v\n%s",
			len(missing), len(before), missing, c.logs)
	}
	t.Logf("%d leads answered 202 before the backup, %d in all; the copy's service sent every one of the first",
		len(before), len(s.accepted()))
}

// muteSMTP listens on loopback and never says a word: a mail server that
// hangs every session until the test ends.
func muteSMTP(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().String()
}

// leadStream posts leads from several goroutines and keeps the ids of
// those answered 202.
type leadStream struct {
	mu    sync.Mutex
	ids   []string
	quit  chan struct{}
	wg    sync.WaitGroup
	limit int
}

// streamLeads posts leads to url from workers goroutines until stop, or
// until limit have been accepted.
// streams numbers the streams of leads of a test run.
var streams atomic.Int64

func streamLeads(url string, workers, limit int) *leadStream {
	s := &leadStream{quit: make(chan struct{}), limit: limit}
	stream := streams.Add(1) // each request a patient of its own: the same patient's would join their open lead
	for w := range workers {
		s.wg.Go(func() {
			client := &http.Client{Timeout: 5 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-s.quit:
					return
				default:
				}
				if len(s.accepted()) >= s.limit {
					return
				}
				body := fmt.Sprintf(`{"first_name":"Stream","last_name":"Test","email":"s%d.%d.%d@mail.example",`+
					`"procedure":"rhinoplasty","consent_privacy":true}`, stream, w, i)
				resp, err := client.Post(url+"/v1/consultations", "application/json", strings.NewReader(body))
				if err != nil {
					continue // the service is down: no promise was made
				}
				var got struct{ ID string }
				json.NewDecoder(resp.Body).Decode(&got)
				resp.Body.Close()
				if resp.StatusCode == http.StatusAccepted {
					s.mu.Lock()
					s.ids = append(s.ids, got.ID)
					s.mu.Unlock()
				}
			}
		})
	}
	return s
}

// accepted returns the ids answered 202 so far.
func (s *leadStream) accepted() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.ids...)
}

// waitFor waits until n leads have been accepted.
func (s *leadStream) waitFor(t *testing.T, n int) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); len(s.accepted()) < n; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d leads accepted in 20s, want %d", len(s.accepted()), n)
		}
	}
}

// stop ends the stream and waits for the requests in flight.
func (s *leadStream) stop() {
	close(s.quit)
	s.wg.Wait()
}

// waitDelivered waits until Mailpit holds the coordinator's email of every
// lead in ids (sent without a form token, they get no confirmation), and
// returns the emails still missing when ctx ends.
func waitDelivered(ctx context.Context, mp *mailpit.Server, ids []string) []string {
	var missing []string
	for {
		got, _ := mp.MessageIDs(ctx)
		missing = missing[:0]
		for _, id := range ids {
			for _, kind := range []string{"coordinator"} {
				if mid := id + "." + kind + "@harbour-aesthetic.example"; got[mid] == 0 {
					missing = append(missing, mid)
				}
			}
		}
		if len(missing) == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return missing
		case <-time.After(100 * time.Millisecond):
		}
	}
}
