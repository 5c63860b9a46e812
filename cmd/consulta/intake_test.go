package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/mailpit"
	"github.com/consultahq/consulta/internal/pgtest"
)

// TestMain runs the test binary as consulta itself when
// CONSULTA_TEST_INTAKE_ARGS is set: TestIntakeSurvivesSIGKILL starts the
// service that way, so that it can kill it.
func TestMain(m *testing.M) {
	args := os.Getenv("CONSULTA_TEST_INTAKE_ARGS")
	if args == "" {
		code := m.Run()
		pgtest.Stop()
		os.Exit(code)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, strings.Split(args, "\x1f"), os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "intake:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// intakeProc is a running `consulta intake` in a process of its own.
type intakeProc struct {
	cmd     *exec.Cmd
	url     string
	metrics string // the metrics address, with --metrics-addr
	logs    *bytes.Buffer
}

// startIntake runs `consulta intake args…` as a child process and waits
// until it answers /healthz.
func startIntake(t *testing.T, env []string, args ...string) *intakeProc {
	t.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), append(env, "CONSULTA_TEST_INTAKE_ARGS="+strings.Join(append([]string{"intake"}, args...), "\x1f"))...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &intakeProc{cmd: cmd, logs: &bytes.Buffer{}}
	cmd.Stderr = p.logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	lines := bufio.NewScanner(stdout)
	for lines.Scan() {
		if addr, ok := strings.CutPrefix(lines.Text(), "metrics on "); ok {
			p.metrics = strings.TrimSuffix(addr, "/metrics")
		}
		if addr, ok := strings.CutPrefix(lines.Text(), "intake service on "); ok {
			p.url = addr
			break
		}
	}
	go io.Copy(io.Discard, stdout)
	if p.url == "" {
		cmd.Wait()
		t.Fatalf("the intake service did not start:\n%s", p.logs)
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if resp, err := http.Get(p.url + "/healthz"); err == nil {
			resp.Body.Close()
			return p
		}
	}
	t.Fatalf("the intake service does not answer /healthz:\n%s", p.logs)
	return nil
}

// TestIntakeSurvivesSIGKILL streams requests at the real service, kills it
// with SIGKILL in the middle, starts it again on the same data folder, and
// checks that every request that was answered 2xx reached Mailpit.
func TestIntakeSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	mp := mailpit.Start(t)
	site, _ := filepath.Abs("../..")
	if _, err := os.Stat(filepath.Join(site, "content", "site.yaml")); err != nil {
		t.Fatal("no demo site:", err) // the repository is the demo site: never skip
	}
	data := filepath.Join(t.TempDir(), "data") // made 0700 by the service: it refuses a folder others may open
	env := []string{"CONSULTA_SMTP_URL=smtp://" + mp.SMTP + "?tls=none"}
	args := []string{"-s", site, "--data", data, "--addr", "127.0.0.1:0", "--rate-every", "1ms", "--rate-burst", "100000"}
	p := startIntake(t, env, args...)

	var mu sync.Mutex
	var accepted []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			client := &http.Client{Timeout: 5 * time.Second}
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf(`{"first_name":"Kill","last_name":"Test","email":"k%d.%d@mail.example",`+
					`"procedure":"rhinoplasty","consent_privacy":true}`, w, i)
				resp, err := client.Post(p.url+"/v1/consultations", "application/json", strings.NewReader(body))
				if err != nil {
					continue // the service is down: no promise was made
				}
				var got struct{ ID string }
				json.NewDecoder(resp.Body).Decode(&got)
				resp.Body.Close()
				if resp.StatusCode == http.StatusAccepted {
					mu.Lock()
					accepted = append(accepted, got.ID)
					mu.Unlock()
				}
			}
		})
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		mu.Lock()
		n := len(accepted)
		mu.Unlock()
		if n >= 60 {
			break
		}
	}
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.cmd.Wait()
	time.Sleep(50 * time.Millisecond) // requests in flight fail
	close(stop)
	wg.Wait()
	if len(accepted) == 0 {
		t.Fatalf("no request was accepted before the kill:\n%s", p.logs)
	}
	if len(accepted) > 450 {
		t.Fatalf("%d leads: more than this test can read back from Mailpit", len(accepted))
	}

	p = startIntake(t, env, args...)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// An email sent just before the kill but not yet marked sent is sent
	// again (same Message-ID), so count distinct ids, not messages.
	got := map[string]bool{}
	missing := func() int {
		n := 0
		for _, id := range accepted {
			for _, kind := range []string{"coordinator"} { // no form token: no confirmation
				if !got[id+"."+kind+"@harbour-aesthetic.example"] {
					n++
				}
			}
		}
		return n
	}
	msgs, err := mp.Wait(ctx, len(accepted))
	for ; err == nil; msgs, err = mp.Wait(ctx, len(msgs)+1) {
		for _, m := range msgs {
			got[m.MessageID] = true
		}
		if missing() == 0 {
			break
		}
	}
	for _, id := range accepted {
		for _, kind := range []string{"coordinator"} { // no form token: no confirmation
			if !got[id+"."+kind+"@harbour-aesthetic.example"] {
				t.Errorf("lead %s was answered 202 but its %s email is not in Mailpit (%v)", id, kind, err)
			}
		}
	}
	if t.Failed() {
		t.Fatalf("service log:\n%s", p.logs)
	}
	t.Logf("%d leads answered 202 before SIGKILL; all in Mailpit after the restart (%d emails)", len(accepted), len(msgs))

	// A graceful stop finishes and exits cleanly.
	p.cmd.Process.Signal(syscall.SIGTERM)
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("after SIGTERM: %v\n%s", err, p.logs)
	}
}
