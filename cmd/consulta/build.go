package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/consultahq/consulta/generator"
	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/problem"
)

func runBuild(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "build", "build [-s SITE_DIR] [-d OUT_DIR]",
		`Build renders the site in SITE_DIR (the folder holding content/) into
OUT_DIR. Pages are rendered in parallel on every core into a new folder
beside OUT_DIR, which replaces OUT_DIR only when the whole build succeeded:
on any problem, every problem is printed as file:line: field: message, the
previous OUT_DIR is left untouched and build exits with status 1.`)
	site := fs.String("s", ".", "the site's `folder`, holding content/")
	out := fs.String("d", "", "output `folder` (default SITE_DIR/public)")
	verbose := fs.Bool("v", false, "print the time each step takes")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if *out == "" {
		*out = filepath.Join(*site, "public")
	}
	cfg, err := generatorConfig(*site)
	if err != nil {
		return err
	}
	cfg.OutDir = *out
	if *verbose {
		cfg.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	tuneGC(e)
	sum, err := generator.Build(ctx, cfg)
	if err != nil {
		return reportProblems(e.stderr, err)
	}
	printWarnings(e.stderr, sum.Warnings)
	for _, d := range sum.Drafts {
		fmt.Fprintf(e.stdout, "%s: a draft, not published — set draft: false in it when it is ready\n", d)
	}
	printAllowed(e.stdout, sum)
	fmt.Fprintf(e.stdout, "built %s in %s: %s; %d files, %s%s\n",
		*out, sum.Duration.Round(time.Millisecond), pageCounts(sum), sum.Files, humanBytes(sum.Bytes), complianceCounts("; ", sum, ""))
	return nil
}

// generatorConfig is the generator's Config for the site folder dir,
// whose processed photos are kept in dir/.consulta-cache.
func generatorConfig(dir string) (generator.Config, error) {
	if info, err := os.Stat(filepath.Join(dir, "content")); err != nil || !info.IsDir() {
		return generator.Config{}, fmt.Errorf("%s has no content/ folder — run consulta in the site's folder, or name it with -s", dir)
	}
	return generator.Config{Site: os.DirFS(dir), CacheDir: filepath.Join(dir, ".consulta-cache")}, nil
}

// printAllowed lists the lines that allow an advertising rule, so that
// no allowance is silent.
func printAllowed(w io.Writer, sum generator.Summary) {
	for _, a := range sum.Allowed {
		fmt.Fprintln(w, a)
	}
}

// complianceCounts formats what the advertising rules found, e.g.
// "advertising rules ie, uk: 2 warnings, 1 line allowed", with before
// and after around it, or "" when the site names none.
func complianceCounts(before string, sum generator.Summary, after string) string {
	if len(sum.Rules) == 0 {
		return ""
	}
	return fmt.Sprintf("%sadvertising rules %s: %s, %s allowed%s", before, strings.Join(sum.Rules, ", "), plural(sum.Compliance, "warning"), plural(len(sum.Allowed), "line"), after)
}

// reportProblems prints the problems of a failed build or check, one a
// line, and returns errReported; any other error is returned as it is.
func reportProblems(w io.Writer, err error) error {
	probs := generator.Problems(err)
	if probs == nil {
		return err
	}
	errs := 0
	for _, p := range probs {
		if p.Severity == problem.Error {
			errs++
		}
	}
	printWarnings(w, probs)
	fmt.Fprintf(w, "%s; nothing was written\n", plural(errs, "problem"))
	return errReported
}

// printWarnings prints problems one a line, in one write: a large site
// may have thousands.
func printWarnings(w io.Writer, ps []problem.Problem) {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.String())
		b.WriteByte('\n')
	}
	_, _ = io.WriteString(w, b.String())
}

// pageCounts formats the pages by kind, e.g. "1 home, 3 sections, 45 procedures".
func pageCounts(sum generator.Summary) string {
	kinds := []content.Kind{content.KindHome, content.KindSection, content.KindProcedure, content.KindMember, content.KindCase, content.KindPage}
	var parts []string
	total := 0
	for _, k := range kinds {
		if n := sum.Pages[k]; n > 0 {
			name := string(k)
			if k == content.KindMember {
				name = "team member"
			}
			parts = append(parts, plural(n, name))
			total += n
		}
	}
	if sum.Aliases > 0 {
		parts = append(parts, plural(sum.Aliases, "redirect"))
	}
	return plural(total, "page") + " (" + strings.Join(slices.Clip(parts), ", ") + ")"
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// tuneGC trades memory the build has for fewer garbage collections: the
// collector runs at 3× the live heap, or when the heap nears 256 MiB. A
// GOGC or GOMEMLIMIT set in the environment is left as it is.
func tuneGC(e env) {
	if e.getenv("GOGC") == "" {
		debug.SetGCPercent(200)
	}
	if e.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(256 << 20)
	}
}
