package livereload

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
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

// TestClose: Close ends the open streams, so that a server shutting down
// does not wait for the pages still open.
func TestClose(t *testing.T) {
	s := New()
	srv := httptest.NewServer(s)
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	for s.Clients() != 1 {
		time.Sleep(time.Millisecond)
	}
	s.Close()
	done := make(chan error, 1)
	go func() { _, err := io.ReadAll(resp.Body); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the stream ended with %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the stream is still open after Close")
	}
}

// TestWatch: a save is reported once, by its path in the site folder; a
// folder made later is reported and watched, and an editor's scratch
// file is not news.
func TestWatch(t *testing.T) {
	site := t.TempDir()
	if err := os.MkdirAll(filepath.Join(site, "content", "procedures"), 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := Watch(site)
	if err != nil {
		t.Fatal(err)
	}
	next := func() []string {
		t.Helper()
		select {
		case paths := <-w.Changes:
			slices.Sort(paths)
			return paths
		case err := <-w.Errors:
			t.Fatal(err)
		case <-time.After(5 * time.Second):
			t.Fatal("no change reported")
		}
		return nil
	}
	write := func(name string) {
		t.Helper()
		full := filepath.Join(site, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte("---\ntitle: A\n---\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("content/procedures/facelift.md")
	write("content/procedures/.facelift.md.swp")
	if got := next(); !slices.Equal(got, []string{"content/procedures/facelift.md"}) {
		t.Errorf("changes %q, want the saved file alone", got)
	}
	// A new folder is reported (and a build reads all of it); a file
	// saved in it later is reported by its own path.
	write("content/gallery/case-1/index.md")
	if got := next(); !slices.Contains(got, "content/gallery") {
		t.Errorf("changes %q, want the new folder content/gallery", got)
	}
	write("content/gallery/case-1/before.jpg")
	if got := next(); !slices.Equal(got, []string{"content/gallery/case-1/before.jpg"}) {
		t.Errorf("changes %q, want the file saved in the new folder", got)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for range w.Changes { // closed
	}
}
