package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/intake"
	"github.com/consultahq/consulta/intake/figures"
	"github.com/consultahq/consulta/intake/outbox"
	leadreport "github.com/consultahq/consulta/intake/report"
)

const intakeReportHelp = `Report prints how fast the practice answered its leads over a period: each
lead with its reference, state, due time and claim; the median and 90th
percentile time to claim; the share claimed within the promise; and the
same figures by coordinator, by week, by procedure and by source. Times
are in the site's time_zone. No patient data is printed.

--format json prints one object: "leads" (ref, id, state, received, due,
claimed_at, claimed_by, procedure, source), "summary" (leads,
median_seconds_to_claim, p90_seconds_to_claim, within_promise_percent),
and by_coordinator, by_week, by_procedure and by_source, each a list of
{"key", and the summary's fields}.`

// runIntakeReport prints the report of the leads received in the period.
func runIntakeReport(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "intake report", "intake report [-s SITE_DIR] [--data DIR | --database URL] [--since 30d] [--format text|csv|json]", intakeReportHelp)
	site := fs.String("s", ".", "the site `folder`")
	data := fs.String("data", "", "the data `folder` (default SITE_DIR/.data)")
	dbURL := e.getenv("CONSULTA_DATABASE_URL")
	fs.Var(databaseURL{&dbURL}, "database", "the PostgreSQL `URL` of the leads (or CONSULTA_DATABASE_URL); unset: the SQLite file in the data folder")
	since := 30 * 24 * time.Hour
	fs.Var(days{&since}, "since", "the `period` before now: days like 30d, or a duration like 12h")
	format := fs.String("format", "text", "the output `format`: text, csv or json")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	write := map[string]func(io.Writer, figures.Report) error{
		"text": leadreport.WriteText, "csv": leadreport.WriteCSV, "json": leadreport.WriteJSON,
	}[*format]
	if write == nil || fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "intake report: --format %s: want text, csv or json\n", *format)
		return errUsage
	}
	if *data == "" {
		*data = filepath.Join(*site, ".data")
	}
	loc := time.UTC
	if cfg, probs := content.LoadConfig(os.DirFS(*site)); !probs.HasErrors() {
		loc = cfg.Location()
	}
	var store *outbox.Store
	if dbURL != "" {
		s, _, err := intake.OpenStore(ctx, intake.Config{DatabaseURL: dbURL})
		if err != nil {
			return err
		}
		store = s
	} else {
		db := filepath.Join(*data, "outbox.db")
		if _, err := os.Stat(db); err != nil {
			return fmt.Errorf("intake report: no store at %s: %w", db, err)
		}
		s, err := outbox.Open(ctx, db)
		if err != nil {
			return err
		}
		store = s
	}
	defer store.Close()
	now := time.Now()
	r, err := intakeReport(ctx, store, now.Add(-since), now, loc)
	if err != nil {
		return err
	}
	return write(e.stdout, r)
}

// intakeReport computes the report of the leads received in [from, to).
func intakeReport(ctx context.Context, store *outbox.Store, from, to time.Time, loc *time.Location) (figures.Report, error) {
	leads, err := store.List(ctx, from, to)
	if err != nil {
		return figures.Report{}, err
	}
	return figures.Compute(leads, from, to, to, loc), nil
}
