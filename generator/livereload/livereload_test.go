package livereload

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestReload(t *testing.T) {
	s := New()
	srv := httptest.NewServer(s)
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type = %q", ct)
	}
	r := bufio.NewReader(resp.Body)
	readEvent := func() string {
		var b strings.Builder
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				t.Fatal(err)
			}
			if line == "\n" {
				return b.String()
			}
			b.WriteString(line)
		}
	}
	if got := readEvent(); strings.Contains(got, "data:") {
		t.Fatalf("first event carries a message, so pages would reload at once: %q", got)
	}
	for s.Clients() != 1 {
		time.Sleep(time.Millisecond)
	}
	s.Reload()
	if got := readEvent(); got != "data: reload\n" {
		t.Fatalf("event after Reload = %q, want a message", got)
	}
	cancel()
	for s.Clients() != 0 {
		time.Sleep(time.Millisecond)
	}
}

func TestScript(t *testing.T) {
	got := Script("/_consulta/livereload")
	want := `<script>new EventSource("/_consulta/livereload").onmessage = function () { location.reload(); };</script>`
	if string(got) != want {
		t.Errorf("Script = %s", got)
	}
}
