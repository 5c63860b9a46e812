// Command corpusfix gives a corpus written by the shared bench generator
// what the content rules ask for since it was written: a case's id and an
// age band, a procedure's medical review and Risks section. It changes
// nothing that already complies, so it may run on a corpus again.
//
//	go run ./scripts/corpusfix DIR
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: corpusfix DIR (a site folder, holding content/)")
		os.Exit(2)
	}
	if err := fix(os.Args[1], time.Now()); err != nil {
		fmt.Fprintln(os.Stderr, "corpusfix:", err)
		os.Exit(1)
	}
}

var (
	surgeonRE = regexp.MustCompile(`(?m)^surgeons:\s*(?:\[\s*"?([a-z0-9-]+)|\n\s*- "?([a-z0-9-]+))`)
	risksRE   = regexp.MustCompile(`(?im)^#{2,3}[ \t]+risks\b`)
)

// fix rewrites the corpus in dir; now dates the medical reviews.
func fix(dir string, now time.Time) error {
	procs, err := filepath.Glob(filepath.Join(dir, "content", "procedures", "*.md"))
	if err != nil {
		return err
	}
	reviewed := now.AddDate(0, -1, 0).Format(time.DateOnly)
	for _, p := range procs {
		if filepath.Base(p) == "_index.md" {
			continue
		}
		err := edit(p, func(fm, body string) (string, string) {
			if !strings.Contains(fm, "\nreviewed_by:") {
				if m := surgeonRE.FindStringSubmatch(fm); m != nil {
					fm += "reviewed_by: " + m[1] + m[2] + "\nreviewed_on: " + reviewed + "\n"
				}
			}
			if !risksRE.MatchString(body) {
				body = strings.TrimRight(body, "\n") + "\n\n## Risks\n\nBruising and swelling for one to two weeks; rarely, infection, bleeding or a result that needs more treatment.\n"
			}
			return fm, body
		})
		if err != nil {
			return err
		}
	}
	cases, err := filepath.Glob(filepath.Join(dir, "content", "gallery", "*", "index.md"))
	if err != nil {
		return err
	}
	for i, p := range cases {
		err := edit(p, func(fm, body string) (string, string) {
			fm = strings.Replace(fm, "age: '20-29'", "age: '18-29'", 1)
			if !strings.Contains(fm, "\nid:") {
				fm += fmt.Sprintf("id: c%04d\n", i+1)
			}
			return fm, body
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// edit rewrites the front matter and body of the Markdown file at p.
func edit(p string, change func(fm, body string) (string, string)) error {
	src, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	s := string(src)
	end := strings.Index(s[3:], "\n---\n")
	if !strings.HasPrefix(s, "---\n") || end < 0 {
		return fmt.Errorf("%s: no front matter", p)
	}
	fm, body := change(s[:end+4], s[end+8:])
	out := fm + "---\n" + body
	if out == s {
		return nil
	}
	return os.WriteFile(p, []byte(out), 0o644)
}
