package photo

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/consultahq/consulta/generator/internal/phototest"
)

func newProcessor(t testing.TB, opts Options) *Processor {
	t.Helper()
	if opts.CacheDir == "" {
		opts.CacheDir = t.TempDir()
	}
	p, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A phone photo with GPS, a camera serial, a comment and orientation 6
// (turn 90° clockwise) comes out upright and with none of them.
func TestProcessStripsMetadataAndOrients(t *testing.T) {
	src := phototest.CameraJPEG(t, phototest.Halves(160, 80), 6)
	for _, secret := range []string{"Exif", phototest.Serial, phototest.Make, phototest.Comment} {
		if !bytes.Contains(src, []byte(secret)) {
			t.Fatalf("test source lacks %q", secret)
		}
	}
	p := newProcessor(t, Options{Widths: []int{40, 80, 200}})
	r, err := p.Process(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if r.Width != 80 || r.Height != 160 {
		t.Errorf("upright size %d×%d, want 80×160", r.Width, r.Height)
	}
	// 200 is wider than the photo: never upscaled, the photo's own width instead.
	wantSizes := [][2]int{{40, 80}, {80, 160}}
	if len(r.Variants) != len(wantSizes) {
		t.Fatalf("variants %+v, want sizes %v", r.Variants, wantSizes)
	}
	name := regexp.MustCompile(`^[0-9a-f]{24}-[0-9]+\.jpg$`)
	for i, v := range r.Variants {
		if !name.MatchString(v.File) {
			t.Errorf("output name %q is not <hash>-<width>.jpg", v.File)
		}
		data, err := os.ReadFile(p.Path(v.File))
		if err != nil {
			t.Fatal(err)
		}
		for _, secret := range []string{"Exif", "II*", phototest.Serial, phototest.Make, phototest.Comment} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s carries %q", v.File, secret)
			}
		}
		for _, marker := range []byte{0xe1, 0xe2, 0xed, 0xfe} { // APP1 (Exif, XMP), APP2, APP13 (IPTC), COM
			if segmentPresent(data, marker) {
				t.Errorf("%s has a segment with marker FF%02X", v.File, marker)
			}
		}
		m, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		b := m.Bounds()
		if [2]int{b.Dx(), b.Dy()} != wantSizes[i] || [2]int{v.Width, v.Height} != wantSizes[i] {
			t.Errorf("%s is %v (recorded %d×%d), want %v", v.File, b.Size(), v.Width, v.Height, wantSizes[i])
		}
		// Turned clockwise, the stored left (red) half is on top.
		top, bottom := m.At(b.Dx()/2, b.Dy()/8), m.At(b.Dx()/2, b.Dy()*7/8)
		if r, _, bl, _ := top.RGBA(); r < bl {
			t.Errorf("%s: top is %v, want red", v.File, top)
		}
		if r, _, bl, _ := bottom.RGBA(); r > bl {
			t.Errorf("%s: bottom is %v, want blue", v.File, bottom)
		}
	}
}

// segmentPresent reports whether the JPEG data has a marker segment
// before the image data.
func segmentPresent(data []byte, marker byte) bool {
	for i := 2; i+4 <= len(data) && data[i] == 0xff; {
		if data[i+1] == 0xda {
			return false
		}
		if data[i+1] == marker {
			return true
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
	}
	return false
}

func TestProcessCache(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	srcs := [][]byte{phototest.CameraJPEG(t, phototest.Halves(64, 48), 1), phototest.CameraJPEG(t, phototest.Halves(48, 64), 3)}
	first := newProcessor(t, Options{CacheDir: dir, Widths: []int{16, 32}})
	var results []Result
	for _, src := range srcs {
		r, err := first.Process(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		results = append(results, r)
	}
	if got := first.Decoded(); got != 2 {
		t.Fatalf("first run decoded %d photos, want 2", got)
	}

	again := newProcessor(t, Options{CacheDir: dir, Widths: []int{32, 16}})
	for i, src := range srcs {
		r, err := again.Process(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		if r.Key != results[i].Key || len(r.Variants) != len(results[i].Variants) {
			t.Errorf("second run gave %+v, first %+v", r, results[i])
		}
	}
	if got := again.Decoded(); got != 0 {
		t.Errorf("second run with unchanged photos decoded %d, want 0", got)
	}

	// Other settings are other outputs.
	other := newProcessor(t, Options{CacheDir: dir, Widths: []int{16, 32}, Quality: 60})
	r, err := other.Process(ctx, srcs[0])
	if err != nil {
		t.Fatal(err)
	}
	if r.Key == results[0].Key || other.Decoded() != 1 {
		t.Errorf("changed quality: key %s (was %s), decoded %d; want a new key and one decode", r.Key, results[0].Key, other.Decoded())
	}

	// A removed output is made again.
	if err := os.Remove(again.Path(results[1].Variants[0].File)); err != nil {
		t.Fatal(err)
	}
	if _, err := again.Process(ctx, srcs[1]); err != nil {
		t.Fatal(err)
	}
	if got := again.Decoded(); got != 1 {
		t.Errorf("after removing an output, decoded %d, want 1", got)
	}
}

// ProcessFile reads a source only when it changed since it was last processed.
func TestProcessFileIndex(t *testing.T) {
	ctx := context.Background()
	cache, site := t.TempDir(), t.TempDir()
	name := "a.jpg"
	write := func(m image.Image) {
		if err := os.WriteFile(filepath.Join(site, name), phototest.CameraJPEG(t, m, 1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(phototest.Halves(40, 30))
	first := newProcessor(t, Options{CacheDir: cache, Widths: []int{20}})
	r1, err := first.ProcessFile(ctx, os.DirFS(site), name)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.SaveIndex(); err != nil {
		t.Fatal(err)
	}
	// Unchanged: served from the index and the cache.
	again := newProcessor(t, Options{CacheDir: cache, Widths: []int{20}})
	if r, err := again.ProcessFile(ctx, os.DirFS(site), name); err != nil || r.Key != r1.Key || again.Decoded() != 0 {
		t.Errorf("unchanged file: key %s (was %s), decoded %d, err %v; want the same key and no decode", r.Key, r1.Key, again.Decoded(), err)
	}
	// Changed content and size: processed again.
	write(phototest.Halves(48, 30))
	if r, err := again.ProcessFile(ctx, os.DirFS(site), name); err != nil || r.Key == r1.Key || again.Decoded() != 1 {
		t.Errorf("changed file: key %s (was %s), decoded %d, err %v; want a new key and one decode", r.Key, r1.Key, again.Decoded(), err)
	}
}

// pngHeader is the start of a PNG claiming to be w×h pixels, with no
// pixel data: what a decompression bomb looks like to DecodeConfig.
func pngHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // 8-bit RGB
	out := append([]byte(nil), pngSignature...)
	out = binary.BigEndian.AppendUint32(out, 13)
	out = append(out, ihdr...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(ihdr))
}

func TestProcessRefuses(t *testing.T) {
	tests := []struct {
		name      string
		maxPixels int
		src       []byte
		want      string
	}{
		{"over the pixel limit", 100, phototest.CameraJPEG(t, phototest.Halves(20, 10), 1), "20×10 pixels is over the limit of 100 pixels"},
		{"decompression bomb", 0, pngHeader(100_000, 100_000), "100000×100000 pixels is over the limit of 50000000 pixels"},
		{"not an image", 0, []byte("GIF89a not really"), "not a JPEG or PNG image"},
		{"truncated JPEG", 0, truncated(phototest.CameraJPEG(t, phototest.Halves(256, 256), 1)), "cannot be read as jpeg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProcessor(t, Options{MaxPixels: tt.maxPixels})
			_, err := p.Process(context.Background(), tt.src)
			var se *SourceError
			if !errors.As(err, &se) || !strings.Contains(se.Msg, tt.want) {
				t.Fatalf("error %v, want a SourceError containing %q", err, tt.want)
			}
			if strings.Contains(tt.want, "limit") && p.Decoded() != 0 {
				t.Errorf("decoded %d photos before refusing, want 0", p.Decoded())
			}
		})
	}
}

func TestProcessPNGAndWatermark(t *testing.T) {
	logo := image.NewNRGBA(image.Rect(0, 0, 20, 10))
	for i := range logo.Pix {
		logo.Pix[i] = 255
	}
	var logoPNG bytes.Buffer
	if err := png.Encode(&logoPNG, logo); err != nil {
		t.Fatal(err)
	}
	var src bytes.Buffer
	if err := png.Encode(&src, phototest.Halves(200, 100)); err != nil {
		t.Fatal(err)
	}
	for _, wm := range []*Watermark{
		{Text: "Clinic", Position: "top-left", Opacity: 1},
		{Logo: logoPNG.Bytes(), Position: "top-left", Opacity: 1},
	} {
		p := newProcessor(t, Options{Widths: []int{200}, Watermark: wm})
		r, err := p.Process(context.Background(), src.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		m := decodeFile(t, p.Path(r.Variants[0].File))
		// The top-left corner is covered (whiter than the red photo), the bottom-right not.
		brightest := func(r image.Rectangle) uint32 {
			var best uint32
			for y := r.Min.Y; y < r.Max.Y; y++ {
				for x := r.Min.X; x < r.Max.X; x++ {
					_, g, _, _ := m.At(x, y).RGBA()
					best = max(best, g>>8)
				}
			}
			return best
		}
		if tl, br := brightest(image.Rect(0, 0, 40, 20)), brightest(image.Rect(160, 80, 200, 100)); tl < 150 || br > 100 {
			t.Errorf("watermark %+v: top-left green peaks at %d, bottom-right at %d; want a white mark at top-left only", wm.Text, tl, br)
		}
	}
}

func decodeFile(t testing.TB, path string) image.Image {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// truncated cuts off the last fifth of a file.
func truncated(b []byte) []byte { return b[:len(b)*4/5] }

// TestPlan: Plan gives what Process gives — names, widths and upright
// sizes — from the header alone, writing nothing, not even the cache
// folder; after Process it reads the result from the cache. It refuses
// from the header what Process refuses from the header.
func TestPlan(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache")
	p := newProcessor(t, Options{CacheDir: cache, Widths: []int{40, 80, 4000}})
	src := phototest.CameraJPEG(t, phototest.Halves(160, 90), 6)
	planned, err := p.Plan(src)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cache); !errors.Is(err, fs.ErrNotExist) || p.Decoded() != 0 {
		t.Fatalf("Plan made the cache folder (%v) or decoded %d photos", err, p.Decoded())
	}
	made, err := p.Process(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(planned, made) || made.Width != 90 || len(made.Variants) != 3 {
		t.Errorf("Plan = %+v,\nProcess = %+v", planned, made)
	}
	if again, err := p.Plan(src); err != nil || !reflect.DeepEqual(again, made) || p.Decoded() != 1 {
		t.Errorf("Plan after Process = %+v, %v; decoded %d", again, err, p.Decoded())
	}
	for _, tt := range []struct {
		src  []byte
		want string
	}{
		{pngHeader(100_000, 100_000), "100000×100000 pixels is over the limit"},
		{[]byte("GIF89a not really"), "not a JPEG or PNG image"},
	} {
		var se *SourceError
		if _, err := p.Plan(tt.src); !errors.As(err, &se) || !strings.Contains(se.Msg, tt.want) {
			t.Errorf("Plan: %v, want a SourceError containing %q", err, tt.want)
		}
	}
}
