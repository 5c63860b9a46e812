// Package livereload tells open pages to reload themselves, for consulta
// serve. A page subscribes with the browser's own EventSource to a stream
// of Server-Sent Events and reloads on any message:
//
//	<script>new EventSource("/_consulta/livereload").onmessage = function () { location.reload(); };</script>
//
// No JavaScript framework is involved, and pages work without it.
//
// A [Watcher] tells when files of the site's folders change, in batches.
package livereload

import (
	"fmt"
	"html/template"
	"net/http"
	"sync"
	"time"
)

// Server is the event stream. The zero value is not ready; use New.
type Server struct {
	mu      sync.Mutex
	clients map[chan struct{}]struct{}
	ping    time.Duration
	closed  chan struct{} // closed by Close
	once    sync.Once
}

// New returns a Server with no client.
func New() *Server {
	return &Server{clients: map[chan struct{}]struct{}{}, ping: 15 * time.Second, closed: make(chan struct{})}
}

// Close ends every stream, and those opened after: open pages then do
// not hold up a server's shutdown.
func (s *Server) Close() {
	s.once.Do(func() { close(s.closed) })
}

// Script returns the script element that subscribes a page to the stream
// at url: the one reload script of every page serve shows.
func Script(url string) template.HTML {
	return template.HTML(`<script>new EventSource("` + template.JSEscapeString(url) + `").onmessage = function () { location.reload(); };</script>`)
}

// Reload tells every open page to reload.
func (s *Server) Reload() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.clients {
		select {
		case c <- struct{}{}:
		default: // a reload is pending for this client already
		}
	}
}

// Clients reports how many pages are listening.
func (s *Server) Clients() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}

// ServeHTTP streams events to one page until it goes away, or the
// Server is closed. A stream lives as long as its page is open: it lifts
// the server's write deadline.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	c := make(chan struct{}, 1)
	s.mu.Lock()
	s.clients[c] = struct{}{}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		delete(s.clients, c)
		s.mu.Unlock()
	}()
	// A comment opens the stream without a message; retry makes the
	// browser reconnect quickly after the server restarts.
	if _, err := fmt.Fprint(w, "retry: 500\n: connected\n\n"); err != nil {
		return
	}
	if err := rc.Flush(); err != nil {
		return
	}
	ping := time.NewTicker(s.ping)
	defer ping.Stop()
	for {
		var msg string
		select {
		case <-r.Context().Done():
			return
		case <-s.closed:
			return
		case <-c:
			msg = "data: reload\n\n"
		case <-ping.C:
			msg = ": ping\n\n"
		}
		if _, err := fmt.Fprint(w, msg); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}
