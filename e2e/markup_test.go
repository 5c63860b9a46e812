package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consultahq/consulta/internal/browser"
)

// htmlValidate is where npm ci puts the html-validate pinned in
// package-lock.json, relative to the repository's root.
const htmlValidate = "node_modules/html-validate/bin/html-validate.js"

// TestMarkupValid builds the demo site and runs html-validate, with its
// recommended rules (.htmlvalidate.json), on every page it publishes:
// no structural error, a scope on every table header (WCAG H63), titles
// that search results do not cut (at most 70 characters), and phone
// numbers that do not break across lines.
func TestMarkupValid(t *testing.T) {
	root := repoRoot(t)
	script := filepath.Join(root, htmlValidate)
	if _, err := os.Stat(script); err != nil {
		browser.Missing(t, fmt.Errorf("no %s — run npm ci at the repository's root (make tools)", htmlValidate))
	}
	node, err := exec.LookPath("node")
	if err != nil {
		browser.Missing(t, errors.New("no node on $PATH — install Node.js to run html-validate"))
	}
	out := filepath.Join(t.TempDir(), "public")
	if msg, err := exec.Command(buildConsulta(t), "build", "-s", copySite(t), "-d", out).CombinedOutput(); err != nil {
		t.Fatalf("consulta build: %v\n%s", err, msg)
	}
	var pages []string
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".html") {
			pages = append(pages, p)
		}
		return err
	})
	if len(pages) < 40 {
		t.Fatalf("the demo site built %d pages, want every kind of page (at least 40)", len(pages))
	}
	// The report goes to a file: node cuts short a large report written
	// to a pipe when it exits.
	report := filepath.Join(t.TempDir(), "report.json")
	cmd := exec.Command(node, append([]string{script, "--config", filepath.Join(root, ".htmlvalidate.json"), "--formatter", "json=" + report}, pages...)...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	runErr := cmd.Run()
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("html-validate wrote no report: %v; %v\n%s", err, runErr, stderr.String())
	}
	var results []struct {
		FilePath string `json:"filePath"`
		Messages []struct {
			RuleID  string `json:"ruleId"`
			Message string `json:"message"`
			Line    int    `json:"line"`
			Column  int    `json:"column"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(data, &results); err != nil {
		t.Fatalf("read html-validate's report: %v", err)
	}
	problems := 0
	for _, r := range results {
		rel, _ := filepath.Rel(out, r.FilePath)
		for _, m := range r.Messages {
			problems++
			if problems <= 50 {
				t.Errorf("%s:%d:%d: %s (%s)", rel, m.Line, m.Column, m.Message, m.RuleID)
			}
		}
	}
	if problems == 0 && runErr != nil {
		t.Fatalf("html-validate: %v\n%s", runErr, stderr.String())
	}
	t.Logf("html-validate (recommended rules) on %d built pages: %d problems", len(pages), problems)
}
