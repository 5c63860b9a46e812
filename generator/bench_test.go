package generator

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
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

// BenchmarkLiveSaveToReload10k times what an editor waits for under
// consulta serve on the 10,000-procedure corpus: from the write of a
// procedure's file to the reload event on the live-reload stream, which
// comes once the edited page is rendered. It reports the median of b.N
// saves (run it with -benchtime 7x), for an edit of the body and for an
// edit of the title, which changes the lists that show the page.
func BenchmarkLiveSaveToReload10k(b *testing.B) {
	src := corpus(b, 10000, 0)
	site := b.TempDir()
	if err := os.CopyFS(site, os.DirFS(src)); err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	live := NewLive(Config{Site: os.DirFS(site), CacheDir: b.TempDir()})
	defer live.Close()
	if up, err := live.Build(ctx); err != nil || !up.OK() {
		b.Fatalf("Build: %v %v", err, up.Problems)
	}
	failed := make(chan error, 1)
	if _, err := live.Watch(ctx, site, func(up Update, err error) {
		if err != nil || !up.OK() {
			select {
			case failed <- fmt.Errorf("rebuild: %v %v", err, up.Problems):
			default:
			}
		}
	}); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(live)
	defer srv.Close()
	resp, err := http.Get(srv.URL + ReloadPath)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	events := make(chan time.Time, 16)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if strings.HasPrefix(sc.Text(), "data:") {
				events <- time.Now()
			}
		}
	}()
	file := filepath.Join(site, "content", "procedures", "rhinoplasty.md")
	orig, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	for _, edit := range []struct {
		name string
		text func(i int) []byte
	}{
		{"body", func(i int) []byte { return fmt.Appendf(slices.Clip(orig), "\nEdited paragraph %d.\n", i) }},
		{"title", func(i int) []byte {
			return bytes.Replace(orig, []byte(`title: "Rhinoplasty"`), fmt.Appendf(nil, `title: "Rhinoplasty %d"`, i), 1)
		}},
	} {
		b.Run(edit.name, func(b *testing.B) {
			var waits []time.Duration
			for i := 0; b.Loop(); i++ {
				time.Sleep(200 * time.Millisecond) // the last save's work is done
				start := time.Now()
				if err := os.WriteFile(file, edit.text(i), 0o644); err != nil {
					b.Fatal(err)
				}
				select {
				case at := <-events:
					waits = append(waits, at.Sub(start))
				case err := <-failed:
					b.Fatal(err)
				case <-time.After(10 * time.Second):
					b.Fatal("no reload event within 10 s of the save")
				}
			}
			slices.Sort(waits)
			b.ReportMetric(float64(waits[len(waits)/2].Microseconds())/1000, "ms-median/save")
		})
	}
}
