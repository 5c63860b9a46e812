package photo

import (
	"bytes"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"testing"
)

// smoothYCC is a w×h 4:2:0 image of gradients and soft noise.
func smoothYCC(w, h int) *image.YCbCr {
	m := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	for y := range h {
		for x := range w {
			m.Y[y*m.YStride+x] = uint8(40 + 150*x/max(1, w) + 40*y/max(1, h) + r.IntN(8))
		}
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = uint8(110+i%17), uint8(150-i%13)
	}
	return m
}

// psnrY is the peak signal-to-noise ratio of b's luma against a's.
func psnrY(a *image.YCbCr, b image.Image) float64 {
	m, ok := b.(*image.YCbCr)
	if !ok {
		return 0
	}
	var se float64
	w, h := a.Rect.Dx(), a.Rect.Dy()
	for y := range h {
		for x := range w {
			d := float64(a.Y[y*a.YStride+x]) - float64(m.Y[m.YOffset(x, y)])
			se += d * d
		}
	}
	return 10 * math.Log10(255*255/math.Max(se/float64(w*h), 1e-9))
}

// The encoder writes JPEGs that image/jpeg decodes to the same size and
// nearly the same pixels, at every size (edges, odd sizes, one pixel) and
// quality, about as small as image/jpeg's own.
func TestEncode(t *testing.T) {
	for _, tt := range []struct{ w, h, q int }{{1, 1, 80}, {7, 5, 80}, {17, 33, 80}, {640, 480, 80}, {641, 359, 95}, {300, 200, 100}, {300, 200, 10}} {
		src := smoothYCC(tt.w, tt.h)
		data := newEncoder(tt.q).encode(nil, src)
		m, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%dx%d q%d: %v", tt.w, tt.h, tt.q, err)
		}
		if m.Bounds() != src.Rect {
			t.Fatalf("%dx%d: decoded %v", tt.w, tt.h, m.Bounds())
		}
		var std bytes.Buffer
		if err := jpeg.Encode(&std, src, &jpeg.Options{Quality: tt.q}); err != nil {
			t.Fatal(err)
		}
		ref, _ := jpeg.Decode(bytes.NewReader(std.Bytes()))
		got, want := psnrY(src, m), psnrY(src, ref)
		t.Logf("%dx%d q%d: PSNR %.1f dB, %d bytes; image/jpeg %.1f dB, %d bytes", tt.w, tt.h, tt.q, got, len(data), want, std.Len())
		if got < want-1 || len(data) > std.Len()*11/10+64 {
			t.Errorf("%dx%d q%d: PSNR %.1f dB, %d bytes; image/jpeg %.1f dB, %d bytes", tt.w, tt.h, tt.q, got, len(data), want, std.Len())
		}
	}
}
