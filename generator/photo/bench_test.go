package photo

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"testing"
)

// benchPhoto is a 1600×1200 JPEG (quality 85) with gradients, shapes and
// grain, like the benchmark corpus's synthetic clinical photos.
func benchPhoto(b testing.TB, seed uint64) []byte {
	b.Helper()
	r := rand.New(rand.NewPCG(seed, 1))
	m := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
	cx, cy := 600+r.IntN(400), 500+r.IntN(200)
	for y := range 1200 {
		for x := range 1600 {
			i := m.PixOffset(x, y)
			dx, dy := x-cx, y-cy
			in := dx*dx/9+dy*dy/16 < 40000
			n := uint8(r.IntN(12))
			if in {
				m.Pix[i], m.Pix[i+1], m.Pix[i+2] = 210+n/2, 160+n, 140+n
			} else {
				m.Pix[i], m.Pix[i+1], m.Pix[i+2] = uint8(60+x/40)+n, uint8(70+y/30)+n, 90+n
			}
			m.Pix[i+3] = 255
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: 85}); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkProcess makes the three default widths of a 1600×1200 photo
// with nothing cached (one photo per iteration, on one core).
func BenchmarkProcess(b *testing.B) {
	src := benchPhoto(b, 1)
	dir := b.TempDir()
	ctx := context.Background()
	i := 0
	for b.Loop() {
		i++
		p := newProcessor(b, Options{CacheDir: filepath.Join(dir, strconv.Itoa(i))})
		if _, err := p.Process(ctx, src); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProcessCached processes a photo whose outputs are cached.
func BenchmarkProcessCached(b *testing.B) {
	src := benchPhoto(b, 1)
	p := newProcessor(b, Options{})
	ctx := context.Background()
	if _, err := p.Process(ctx, src); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := p.Process(ctx, src); err != nil {
			b.Fatal(err)
		}
	}
	if p.Decoded() != 1 {
		b.Fatalf("decoded %d, want 1", p.Decoded())
	}
}

// BenchmarkStages times decoding, resizing and encoding a 1600×1200 photo
// separately.
func BenchmarkStages(b *testing.B) {
	src := benchPhoto(b, 2)
	b.Run("decode", func(b *testing.B) {
		for b.Loop() {
			if _, err := jpeg.Decode(bytes.NewReader(src)); err != nil {
				b.Fatal(err)
			}
		}
	})
	m, _ := jpeg.Decode(bytes.NewReader(src))
	planes := toYCC(m)
	for _, w := range []int{480, 960, 1440} {
		b.Run("resize-"+strconv.Itoa(w), func(b *testing.B) {
			for b.Loop() {
				planes.resized(w, w*3/4, nil)
			}
		})
		out, _ := planes.resized(w, w*3/4, nil).upright(1, nil)
		b.Run("encode-"+strconv.Itoa(w), func(b *testing.B) {
			enc := newEncoder(80)
			var buf []byte
			for b.Loop() {
				buf = enc.encode(buf[:0], out)
			}
		})
		b.Run("encode-stdlib-"+strconv.Itoa(w), func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := jpeg.Encode(&buf, out, &jpeg.Options{Quality: 80}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
