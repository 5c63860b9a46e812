package main

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// runIntakeBackup writes a consistent copy of the SQLite store while the
// service runs: `consulta intake backup --data DIR OUT.db`.
func runIntakeBackup(ctx context.Context, e env, args []string) error {
	store, rest, err := openOutbox(ctx, e, "intake backup", "intake backup [-s SITE_DIR] [--data DIR] OUT.db",
		"Backup writes a consistent copy of the intake's store to OUT.db while the\n"+
			"service goes on taking leads (SQLite's VACUUM INTO). OUT.db must not exist;\n"+
			"it holds patients' data and is made readable by its owner only. To restore,\n"+
			"stop the service and put the copy in place of DATA/outbox.db.", args)
	if err != nil {
		return err
	}
	defer store.Close()
	if len(rest) != 1 {
		fmt.Fprintln(e.stderr, "usage: consulta intake backup [-s SITE_DIR] [--data DIR] OUT.db")
		return errUsage
	}
	if err := store.Backup(ctx, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up the store to %s\n", rest[0])
	return nil
}

// runIntakeHealthcheck asks a running service whether it is alive, and
// fails unless it answers 200: the container's health check, which has no
// shell or curl to run.
func runIntakeHealthcheck(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "intake healthcheck", "intake healthcheck [--addr 127.0.0.1:8081]",
		"Healthcheck asks the intake service at ADDR for GET /healthz and exits 0 if\n"+
			"it answers 200 within the timeout, 1 otherwise.")
	addr := fs.String("addr", "127.0.0.1:8081", "the service's `address`")
	timeout := fs.Duration("timeout", 3*time.Second, "how `long` to wait for the answer")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+*addr+"/healthz", nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: %s answered %s", *addr, resp.Status)
	}
	fmt.Fprintln(e.stdout, "ok")
	return nil
}
