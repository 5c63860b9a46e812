package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/consultahq/consulta/intake"
)

// newHTTPServer returns the HTTP server of `consulta serve` and `consulta
// intake` alike, with limits that a slow or idle client cannot outlast. A
// handler that streams (live reload) lifts its own deadlines. A reverse
// proxy in front should use the same limits (deploy/Caddyfile does; a test
// checks).
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
	}
}

// serveService serves h on ln, with svc's delivery worker running beside
// it, until ctx ends or serving fails. Then it stops accepting, finishes
// the requests in flight, and stops the worker, which finishes the send in
// progress and closes the store. The worker outlives ctx so that a request
// answered during shutdown still has its mail sent.
func serveService(ctx context.Context, logger *slog.Logger, ln net.Listener, h http.Handler, svc *intake.Service) error {
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	worked := make(chan error, 1)
	go func() { worked <- svc.Run(work) }()
	defer func() { stopWork(); <-worked }()

	srv := newHTTPServer(h)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down: finishing requests in flight")
	stop, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
