package main

import (
	"context"
	"fmt"

	"github.com/consultahq/consulta/generator"
)

func runCheck(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "check", "check [-s SITE_DIR]",
		`Check loads the whole site in SITE_DIR and checks it like build: its
front matter, Markdown, links, photos and advertising rules. It writes
nothing, not even the photo cache, and prints every problem as
file:line: field: message. Like go vet, it exits with status 1 if there
is any problem, a warning included: warnings do not stop a build, but
they name something to fix, such as a case whose consent has expired.`)
	site := fs.String("s", ".", "the site's `folder`, holding content/")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	cfg, err := generatorConfig(*site)
	if err != nil {
		return err
	}
	tuneGC(e)
	sum, err := generator.Check(ctx, cfg)
	if err != nil {
		return reportProblems(e.stderr, err)
	}
	printAllowed(e.stdout, sum)
	if len(sum.Warnings) > 0 {
		printWarnings(e.stderr, sum.Warnings)
		fmt.Fprintf(e.stderr, "%s%s; the site builds, but each names something to fix\n", plural(len(sum.Warnings), "warning"), complianceCounts(" (", sum, ")"))
		return errReported
	}
	fmt.Fprintf(e.stdout, "%s: no problems in %s%s\n", *site, pageCounts(sum), complianceCounts("; ", sum, ""))
	return nil
}
