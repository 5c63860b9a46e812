package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/intake"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/outbox"
)

// openOutbox parses the flags of an intake subcommand and opens the store
// the service uses: PostgreSQL with --database or CONSULTA_DATABASE_URL,
// else the SQLite file in the data folder.
func openOutbox(ctx context.Context, e env, name, usageLine, help string, args []string) (*outbox.Store, []string, error) {
	store, _, rest, err := openOutboxOf(ctx, e, name, usageLine, help, args)
	return store, rest, err
}

// openOutboxOf is openOutbox that also returns the site folder.
func openOutboxOf(ctx context.Context, e env, name, usageLine, help string, args []string) (*outbox.Store, string, []string, error) {
	fs := newFlagSet(e, name, usageLine, help)
	site := fs.String("s", ".", "the site `folder`")
	cfg := intake.Config{DatabaseURL: e.getenv("CONSULTA_DATABASE_URL")}
	fs.StringVar(&cfg.DataDir, "data", "", "the data `folder` (default SITE_DIR/.data)")
	fs.Var(databaseURL{&cfg.DatabaseURL}, "database", "the PostgreSQL `URL` of the leads (or CONSULTA_DATABASE_URL); unset: the SQLite file in the data folder")
	if err := parseFlags(fs, args); err != nil {
		return nil, "", nil, err
	}
	if cfg.DataDir == "" {
		cfg.DataDir = filepath.Join(*site, ".data")
	}
	store, _, err := intake.OpenStore(ctx, cfg)
	if err != nil {
		return nil, "", nil, err
	}
	return store, *site, fs.Args(), nil
}

// runIntakeRequeue sends the dead-lettered emails again.
func runIntakeRequeue(ctx context.Context, e env, args []string) error {
	store, rest, err := openOutbox(ctx, e, "intake requeue", "intake requeue [-s SITE_DIR] [--data DIR]",
		"Requeue sends again every email that the mail server refused permanently.\nThe running service sends them within a minute.", args)
	if err != nil {
		return err
	}
	defer store.Close()
	if len(rest) > 0 {
		return errUsage
	}
	n, err := store.Requeue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "requeued %d emails\n", n)
	return nil
}

// runIntakeSpam lists the leads held as spam, or releases one.
func runIntakeSpam(ctx context.Context, e env, args []string) error {
	store, site, rest, err := openOutboxOf(ctx, e, "intake spam", "intake spam [-s SITE_DIR] [--data DIR] [release ID]",
		"Spam lists the leads held as suspected spam: when, why, the procedure and\nthe email's domain, no more. \"spam release ID\" delivers a real lead as normal.", args)
	if err != nil {
		return err
	}
	defer store.Close()
	switch {
	case len(rest) == 2 && rest[0] == "release":
		if err := releaseSpam(ctx, store, site, rest[1]); err != nil {
			return fmt.Errorf("release %s: %w", rest[1], err)
		}
		fmt.Fprintf(e.stdout, "released %s: the running service sends it within a minute\n", rest[1])
		return nil
	case len(rest) > 0:
		fmt.Fprintln(e.stderr, "usage: consulta intake spam [-s SITE_DIR] [--data DIR] [release ID]")
		return errUsage
	}
	leads, err := store.Spam(ctx)
	if err != nil {
		return err
	}
	if len(leads) == 0 {
		fmt.Fprintln(e.stdout, "no suspected spam")
		return nil
	}
	w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "ID\tRECEIVED\tSIGNALS\tPROCEDURE\tEMAIL DOMAIN")
	for _, l := range leads {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", l.ID, l.Received.Format("2006-01-02 15:04"),
			strings.Join(l.Signals, ","), l.Procedure, l.EmailDomain)
	}
	return w.Flush()
}

// releaseSpam delivers lead id, held as suspected spam, as the digest's
// Release action does: a new lead, due by the site's response clock from
// now, with the release recorded.
func releaseSpam(ctx context.Context, store *outbox.Store, site, id string) error {
	clock := content.Config{}.Clock()
	if cfg, probs := content.LoadConfig(os.DirFS(site)); !probs.HasErrors() {
		clock = cfg.Clock()
	}
	now := time.Now()
	_, changed, err := store.Update(ctx, id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		c, ok := lead.Release(t, lead.Person{Name: "consulta intake spam release"}, now, lead.Policy{Clock: clock})
		return c, nil, ok, nil
	})
	if err != nil {
		return err
	}
	if !changed {
		return fmt.Errorf("%w: it is not held as suspected spam", outbox.ErrNotFound)
	}
	return nil
}
