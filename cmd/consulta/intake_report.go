package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/intake"
	"github.com/consultahq/consulta/intake/figures"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/outbox"
	leadreport "github.com/consultahq/consulta/intake/report"
	"github.com/consultahq/consulta/internal/form"
)

const intakeReportHelp = `Report prints how fast the practice reached the patients who wrote to it
over a period: each lead with its reference, state, due time, claim, first
call, when the patient was reached, its calls and its outcome; the median
and 90th percentile time to claim, to the first call and to reach the
patient; the share claimed and the share reached within the promise; calls
per lead; the share booked; the leads not reached; and the same figures by
coordinator, by week, by procedure and by source. Times are in the site's
time_zone, with their offset; text and CSV name states, outcomes and
procedures by their labels. No patient data is printed.

--format json prints one object: "leads" (ref, id, state, received, due,
claimed_at, claimed_by, first_attempt_at, reached_at, attempts, booked_at,
closed_at, outcome, procedure, source), "summary" (leads,
median_seconds_to_claim, p90_seconds_to_claim, within_promise_percent,
median_seconds_to_first_attempt, p90_seconds_to_first_attempt,
median_seconds_to_reach, p90_seconds_to_reach,
reached_within_promise_percent, attempts_per_lead, booked_percent,
not_reached), and by_coordinator, by_week, by_procedure and by_source, each
a list of {"key", and the summary's fields}.`

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
	loc, titles := time.UTC, map[string]string{lead.NotSure: form.Must("procedure").StaffChoice(form.NotSure)}
	if s, probs := content.Load(ctx, os.DirFS(*site)); !probs.HasErrors() {
		loc = s.Config.Location()
		for _, pg := range s.Procedures {
			titles[path.Base(strings.TrimSuffix(pg.URL, "/"))] = pg.Title
		}
	} else if cfg, probs := content.LoadConfig(os.DirFS(*site)); !probs.HasErrors() {
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
	r.Procedures = titles
	return write(e.stdout, r)
}

// intakeReport computes the report of the leads received in [from, to).
func intakeReport(ctx context.Context, store *outbox.Store, from, to time.Time, loc *time.Location) (figures.Report, error) {
	leads, err := store.List(ctx, from, to)
	if err != nil {
		return figures.Report{}, err
	}
	r := figures.Compute(leads, from, to, to, loc)
	journeys, err := store.Journeys(ctx, from, to)
	if err != nil {
		return r, err
	}
	js := make([]figures.JourneyOf, len(journeys))
	for i, jo := range journeys {
		js[i] = figures.JourneyOf{Procedure: jo.Lead.Lead.Procedure, Journey: jo.Journey}
	}
	jf := figures.ComputeJourneys(js, from, to, to)
	r.Journey = &jf
	return r, nil
}
