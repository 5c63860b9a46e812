package generator

import (
	"bytes"
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
)

// scratch: render every procedure page of the 1k corpus, one worker.
func BenchmarkScratchRender(b *testing.B) {
	dir := os.Getenv("SCRATCH_SITE")
	if dir == "" {
		dir = corpus(b, 1000, 0)
	}
	cfg, _ := Config{Site: os.DirFS(dir), Workers: 1}.withDefaults()
	r := newBuilder(cfg, nil).newRun(nil)
	if err := r.through(context.Background(), "check"); err != nil {
		b.Fatal(err)
	}
	o := r.options()
	var buf bytes.Buffer
	pages := r.site.Procedures
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := r.theme.Page(&buf, r.site, pages[i%len(pages)], o); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes")
}

func TestScratchHeap(t *testing.T) {
	dir := os.Getenv("SCRATCH_SITE")
	if dir == "" {
		t.Skip()
	}
	cfg, _ := Config{Site: os.DirFS(dir)}.withDefaults()
	r := newBuilder(cfg, nil).newRun(nil)
	if err := r.through(context.Background(), "check"); err != nil {
		t.Log(err)
	}
	runtime.GC()
	f, _ := os.Create(os.Getenv("SCRATCH_HEAP"))
	pprof.WriteHeapProfile(f)
	f.Close()
	runtime.KeepAlive(r)
}
