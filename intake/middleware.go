package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"
)

// The middleware wraps the whole router, so that requests matching no
// route get it too.

// recoverPanics answers 500 instead of dropping the connection when a
// handler panics. It logs the panic's type and the stack, never the
// value, which could hold what the patient wrote. It runs inside
// logRequests, so that the request is logged and counted too.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic in handler", "type", fmt.Sprintf("%T", v), "stack", string(debug.Stack()))
			info(r).outcome = outcomeError
			httpError(w, http.StatusInternalServerError, "Something went wrong on our side. Please try again, or call us.")
		}()
		next.ServeHTTP(w, r)
	})
}

// reqInfo is what a handler tells the request log: no personal data.
type reqInfo struct {
	route   string // the path of the route that matched (routes.go), or ""
	outcome string // one of the outcome constants of metrics.go, or ""
	lead    string
	signals []string
}

type infoKey struct{}

// info returns the request's reqInfo, for a handler to fill in.
func info(r *http.Request) *reqInfo {
	if i, ok := r.Context().Value(infoKey{}).(*reqInfo); ok {
		return i
	}
	return &reqInfo{}
}

// statusWriter records the status code and size of an answer.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request: method, route, status, size,
// duration, and the outcome and lead id the handler gave, and counts the
// outcome in consulta_intake_requests_total: the one place either is done.
// Never the query, the body, the client's address or any header; a path
// that matched no route is logged as "other".
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ri := &reqInfo{}
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), infoKey{}, ri)))
		if ri.outcome != "" {
			s.metrics.requests.WithLabelValues(ri.outcome).Inc()
		}
		path := ri.route
		if path == "" {
			path = "other"
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", path),
			slog.Int("status", sw.status),
			slog.Int("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)),
		}
		if ri.outcome != "" {
			attrs = append(attrs, slog.String("outcome", ri.outcome))
		}
		if ri.lead != "" {
			attrs = append(attrs, slog.String("lead", ri.lead))
		}
		if len(ri.signals) > 0 {
			attrs = append(attrs, slog.Any("signals", ri.signals))
		}
		level := slog.LevelInfo
		switch {
		case sw.status >= 500:
			level = slog.LevelError
		case ri.outcome == outcomeRateLimited: // a flood must not flood the log too: metrics count them
			level = slog.LevelDebug
		}
		s.log.LogAttrs(r.Context(), level, "request", attrs...)
	})
}

// securityHeaders sets the headers every answer carries: nothing is
// cached, sniffed, framed or sent on as a referrer.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'")
		next.ServeHTTP(w, r)
	})
}

// limitBody refuses a body over the limit before reading it when its
// length is declared, and stops reading at the limit when it is not.
func (s *server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > s.cfg.MaxBody {
			info(r).outcome = outcomeBadRequest
			httpError(w, http.StatusRequestEntityTooLarge, "The request is too large.")
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.cfg.MaxBody)
		next.ServeHTTP(w, r)
	})
}

// cors lets the allowed origins call the API from a browser, and answers
// their preflight requests.
func (s *server) cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Origin")
		origin := r.Header.Get("Origin")
		preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
		if origin == "" {
			next.ServeHTTP(w, r)
			return
		}
		if !s.originAllowed(origin, r) {
			if preflight {
				httpError(w, http.StatusForbidden, "This origin may not send requests here.")
				return
			}
			next.ServeHTTP(w, r) // a POST checks the origin itself; a GET is harmless
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", "Retry-After")
		if preflight {
			h.Set("Access-Control-Allow-Methods", "GET, POST")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Idempotency-Key")
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// originAllowed reports whether origin is one of the allowed origins or
// the service's own (the same host as the request).
func (s *server) originAllowed(origin string, r *http.Request) bool {
	if s.origins[origin] {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	return strings.EqualFold(u.Host, r.Host)
}

// httpError answers with a short plain-text message.
func httpError(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(code)
	fmt.Fprintln(w, msg)
}

// isTooLarge reports whether err comes from reading past the body limit.
func isTooLarge(err error) bool {
	var e *http.MaxBytesError
	return errors.As(err, &e)
}
