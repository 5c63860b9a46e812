package main

import (
	"bufio"
	"context"
	"github.com/consultahq/consulta/generator"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/syncbuf"
)

// TestServeTimesOutSlowClients: `consulta serve` has the limits of
// `consulta intake`, so that a body sent a byte a second does not hold a
// connection for minutes; the live-reload stream, which lives as long as
// its page, outlasts them.
func TestServeTimesOutSlowClients(t *testing.T) {
	t.Parallel()
	site := testSite(t)
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncbuf.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-s", site, "-addr", "127.0.0.1:0"}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	}()
	defer func() { cancel(); <-done }()
	var addr string
	addrRE := regexp.MustCompile(`at http://(127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(10 * time.Second); addr == ""; time.Sleep(10 * time.Millisecond) {
		if m := addrRE.FindStringSubmatch(out.String()); m != nil {
			addr = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s%s", out.String(), errOut.String())
		}
	}

	events, err := http.Get("http://" + addr + generator.ReloadPath)
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	reloads := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(events.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data:") {
				reloads <- sc.Text()
			}
		}
		close(reloads)
	}()

	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	io.WriteString(conn, "POST /v1/consultations HTTP/1.1\r\nHost: "+addr+"\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
	closed := make(chan time.Duration, 1)
	go func() {
		io.Copy(io.Discard, conn) // returns when the server closes the connection
		closed <- time.Since(start)
	}()
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for held := false; !held; {
		select {
		case d := <-closed:
			t.Logf("the server closed the slow connection after %s", d.Round(time.Second))
			held = true
		case <-tick.C:
			conn.Write([]byte("{"))
			if time.Since(start) > 50*time.Second {
				t.Fatal("a body sent a byte a second held the connection for 50 s")
			}
		}
	}

	// The live-reload stream is still open, past the write timeout.
	md := filepath.Join(site, "content", "procedures", "facelift.md")
	src, _ := os.ReadFile(md)
	os.WriteFile(md, append(src, "\nEdited.\n"...), 0o644)
	select {
	case _, ok := <-reloads:
		if !ok {
			t.Error("the live-reload stream was closed by the server's timeouts")
		}
	case <-time.After(10 * time.Second):
		t.Error("no reload after an edit: the live-reload stream is gone")
	}
}
