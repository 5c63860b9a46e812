package photo

import (
	"bytes"
	"context"
	"image"
	"image/draw"
	"image/jpeg"
	"math"
	"os"
	"testing"

	xdraw "golang.org/x/image/draw"
)

// psnr is the peak signal-to-noise ratio of b against a, over the red,
// green and blue of every pixel, in decibels.
func psnr(a, b image.Image) float64 {
	r := a.Bounds()
	var sum float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			r1, g1, b1, _ := a.At(x, y).RGBA()
			r2, g2, b2, _ := b.At(x, y).RGBA()
			for _, d := range []float64{float64(r1>>8) - float64(r2>>8), float64(g1>>8) - float64(g2>>8), float64(b1>>8) - float64(b2>>8)} {
				sum += d * d
			}
		}
	}
	mse := sum / float64(3*r.Dx()*r.Dy())
	return 10 * math.Log10(255*255/mse)
}

// Every output is close to the source resized in floating point by
// x/image/draw's Catmull-Rom (the filter this package implements), after
// JPEG's own loss at quality 90. PHOTO_QUALITY_SOURCE=file.jpg measures
// another photo; go test -v prints the figures.
func TestProcessQuality(t *testing.T) {
	src := benchPhoto(t, 3)
	if path := os.Getenv("PHOTO_QUALITY_SOURCE"); path != "" {
		var err error
		if src, err = os.ReadFile(path); err != nil {
			t.Fatal(err)
		}
	}
	m, err := jpeg.Decode(bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(m.Bounds())
	draw.Draw(rgba, rgba.Rect, m, image.Point{}, draw.Src)
	p := newProcessor(t, Options{Quality: 90})
	r, err := p.Process(context.Background(), src)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range r.Variants {
		data, err := os.ReadFile(p.Path(v.File))
		if err != nil {
			t.Fatal(err)
		}
		got, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		want := image.NewRGBA(image.Rect(0, 0, v.Width, v.Height))
		xdraw.CatmullRom.Scale(want, want.Rect, rgba, rgba.Rect, xdraw.Src, nil)
		db := psnr(want, got)
		t.Logf("%d×%d: PSNR %.2f dB", v.Width, v.Height, db)
		if db < 40 {
			t.Errorf("%d×%d: PSNR %.2f dB against a float Catmull-Rom resize, want at least 40", v.Width, v.Height, db)
		}
	}
}
