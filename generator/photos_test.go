package generator

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/consultahq/consulta/generator/internal/phototest"
)

// decodeCounter is a slog handler that keeps the "decoded" figure of the
// photo step's log line.
type decodeCounter struct {
	mu      sync.Mutex
	decoded []int64
}

func (h *decodeCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h *decodeCounter) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *decodeCounter) WithGroup(string) slog.Handler            { return h }
func (h *decodeCounter) Handle(_ context.Context, r slog.Record) error {
	if r.Message != "processed photos" {
		return nil
	}
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "decoded" {
			h.mu.Lock()
			h.decoded = append(h.decoded, a.Value.Int64())
			h.mu.Unlock()
		}
		return true
	})
	return nil
}

// addCase writes a case whose photos are phone JPEGs named after the
// patient, with GPS, a camera serial and orientation 6.
func addCase(t *testing.T, site fstest.MapFS) {
	t.Helper()
	md := `---
title: Rhinoplasty, case 2
procedure: rhinoplasty
surgeon: dr-amelia-hart
patient:
  age: 40-49
  sex: male
months_after: 9
consent: 2024-05-01
photos:
  - before: jane-roe-before.jpg
    after: jane-roe-after.jpg
    angle: front
    alt: Front view, before and nine months after rhinoplasty
id: m4x9
---

Notes.
`
	files := map[string][]byte{
		"index.md":            []byte(md),
		"jane-roe-before.jpg": phototest.CameraJPEG(t, phototest.Halves(300, 200), 6),
		"jane-roe-after.jpg":  phototest.CameraJPEG(t, phototest.Halves(300, 180), 6),
	}
	for name, data := range files {
		site["content/gallery/case-2/"+name] = &fstest.MapFile{Data: data}
	}
}

func TestBuildPublishesPhotosPrivately(t *testing.T) {
	site := testdataSite(t)
	addCase(t, site)
	counter := &decodeCounter{}
	cfg := config(t, site)
	cfg.Logger = slog.New(counter)
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatalf("Build: %v", err)
	}
	out := cfg.OutDir
	photos, err := os.ReadDir(filepath.Join(out, photoDir))
	if err != nil {
		t.Fatal(err)
	}
	if len(photos) == 0 {
		t.Fatal("no photos published")
	}
	for _, e := range photos {
		if strings.Contains(e.Name(), "jane") || strings.Contains(e.Name(), "roe") || strings.Contains(e.Name(), "before") {
			t.Errorf("published name %s carries the source's name", e.Name())
		}
		data, err := os.ReadFile(filepath.Join(out, photoDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"Exif", phototest.Serial, phototest.Make, phototest.Comment} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s carries %q", e.Name(), secret)
			}
		}
	}
	// No original reaches public/, under any name.
	err = filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.Contains(p, "jane-roe") || strings.HasSuffix(p, ".png") && strings.Contains(p, "gallery") {
			t.Errorf("original photo published: %s", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(out, "gallery", "rhinoplasty-m4x9", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	// Upright (orientation 6 turns 300×200 into 200×300): the middle width is the photo's own.
	if !bytes.Contains(page, []byte(`width="200" height="300"`)) || bytes.Contains(page, []byte("jane")) {
		t.Errorf("case page does not show the upright photos under hashed names:\n%s", page)
	}

	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatalf("second Build: %v", err)
	}
	// The first build decodes at least case-2's two photos (identical
	// files may share one decode), the second none.
	if len(counter.decoded) != 2 || counter.decoded[0] < 2 || counter.decoded[1] != 0 {
		t.Errorf("photos decoded by the two builds: %v, want [≥2 0]", counter.decoded)
	}
}

func TestBuildReportsBadPhotos(t *testing.T) {
	site := testdataSite(t)
	addCase(t, site)
	site["content/gallery/case-2/jane-roe-after.jpg"].Data = []byte("not a photo")
	site["content/site.yaml"].Data = append(site["content/site.yaml"].Data, "\nphotos:\n  max_pixels: 50000\n"...)
	_, err := Build(context.Background(), config(t, site))
	got := map[string]bool{}
	for _, p := range Problems(err) {
		got[p.String()] = true
	}
	for _, want := range []string{
		"content/gallery/case-2/index.md:11: the first photo's before: jane-roe-before.jpg: 300×200 pixels is over the limit of 50000 pixels — export it smaller, e.g. 3000 pixels wide",
		"content/gallery/case-2/index.md:12: the first photo's after: jane-roe-after.jpg: not a JPEG or PNG image that can be read — export it again as JPEG",
	} {
		if !got[want] {
			t.Errorf("missing problem %q; got %v", want, err)
		}
	}
}
