package generator

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// corpus returns the folder of a gencorpus site with n procedures, made
// once and kept in the temporary folder. The generator lives in
// ../../shared/bench, or in $CONSULTA_BENCH.
func corpus(b *testing.B, procedures, cases int) string {
	b.Helper()
	dir := filepath.Join(os.TempDir(), fmt.Sprintf("consulta-corpus-p%d-c%d-s1", procedures, cases))
	if _, err := os.Stat(filepath.Join(dir, "content", "site.yaml")); err == nil {
		return corpusfix(b, dir)
	}
	bench := os.Getenv("CONSULTA_BENCH")
	if bench == "" {
		bench = filepath.Join("..", "..", "shared", "bench")
	}
	if _, err := os.Stat(filepath.Join(bench, "gencorpus")); err != nil {
		b.Skipf("no corpus generator at %s (set CONSULTA_BENCH): %v", bench, err)
	}
	tmp := dir + ".tmp"
	os.RemoveAll(tmp)
	cmd := exec.Command("go", "run", "./gencorpus", "-out", tmp, "-procedures", fmt.Sprint(procedures), "-cases", fmt.Sprint(cases), "-seed", "1")
	cmd.Dir = bench
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("gencorpus: %v\n%s", err, out)
	}
	if err := os.Rename(tmp, dir); err != nil {
		b.Fatal(err)
	}
	return corpusfix(b, dir)
}

// corpusfix gives the corpus in dir what the content rules ask for since
// its generator was written (scripts/corpusfix), and returns dir.
func corpusfix(b *testing.B, dir string) string {
	cmd := exec.Command("go", "run", "./scripts/corpusfix", dir)
	cmd.Dir = ".."
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("corpusfix: %v\n%s", err, out)
	}
	return dir
}

func benchmarkBuild(b *testing.B, procedures int) {
	site := corpus(b, procedures, 0)
	out := b.TempDir()
	var pages int
	for b.Loop() {
		os.RemoveAll(filepath.Join(out, "public"))
		sum, err := Build(context.Background(), Config{Site: os.DirFS(site), OutDir: filepath.Join(out, "public"), CacheDir: filepath.Join(out, "cache")})
		if err != nil {
			b.Fatal(err)
		}
		pages = 0
		for _, n := range sum.Pages {
			pages += n
		}
	}
	b.ReportMetric(float64(pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

func BenchmarkBuild1k(b *testing.B)  { benchmarkBuild(b, 1000) }
func BenchmarkBuild10k(b *testing.B) { benchmarkBuild(b, 10000) }

// BenchmarkLiveEdit10k times what consulta serve does after a procedure
// page of the 10,000-procedure corpus is edited: read the file again,
// resolve the site, render the page's Markdown and the affected pages.
func BenchmarkLiveEdit10k(b *testing.B) {
	src := corpus(b, 10000, 0)
	site := b.TempDir()
	if err := os.CopyFS(site, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	live := NewLive(Config{Site: os.DirFS(site), CacheDir: b.TempDir()})
	if up, err := live.Build(context.Background()); err != nil || !up.OK() {
		b.Fatalf("Build: %v %v", err, up.Problems)
	}
	rel := "content/procedures/rhinoplasty.md"
	f, err := os.OpenFile(filepath.Join(site, rel), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	i := 0
	for b.Loop() {
		i++
		fmt.Fprintf(f, "\nEdited paragraph %d for the rebuild benchmark.\n", i)
		up, err := live.Change(context.Background(), []string{rel})
		if err != nil || !up.OK() || up.Pages != 1 {
			b.Fatalf("Change: %+v %v", up, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/edit")
}

// BenchmarkLiveTitleEdit10k is BenchmarkLiveEdit10k with an edit of the
// front matter: the edited page renders at once, and the pages that list
// or link it are marked to render when they are next asked for.
func BenchmarkLiveTitleEdit10k(b *testing.B) {
	src := corpus(b, 10000, 0)
	site := b.TempDir()
	if err := os.CopyFS(site, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	cfg := Config{Site: os.DirFS(site), CacheDir: b.TempDir()}
	if os.Getenv("CONSULTA_BENCH_LOG") != "" {
		cfg.Logger = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	live := NewLive(cfg)
	if up, err := live.Build(context.Background()); err != nil || !up.OK() {
		b.Fatalf("Build: %v %v", err, up.Problems)
	}
	rel := "content/procedures/rhinoplasty.md"
	path := filepath.Join(site, rel)
	orig, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	i, pages, stale := 0, 0, 0
	for b.Loop() {
		i++
		edited := bytes.Replace(orig, []byte(`title: "Rhinoplasty"`), fmt.Appendf(nil, `title: "Rhinoplasty %d"`, i), 1)
		if err := os.WriteFile(path, edited, 0o644); err != nil {
			b.Fatal(err)
		}
		up, err := live.Change(context.Background(), []string{rel})
		if err != nil || !up.OK() {
			b.Fatalf("Change: %+v %v", up, err)
		}
		pages, stale = up.Pages, up.Stale
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/edit")
	b.ReportMetric(float64(pages), "pages/edit")
	b.ReportMetric(float64(stale), "stale-pages/edit")
}
