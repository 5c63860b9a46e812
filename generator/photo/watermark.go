package photo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"sync"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Watermark is text or a logo drawn on every output.
type Watermark struct {
	Text     string  // drawn when Logo is empty
	Logo     []byte  // a PNG file's bytes; its alpha is kept
	Position string  // bottom-right (default), bottom-left, top-right, top-left, center
	Opacity  float64 // 0..1; default 0.35
}

// marker draws a watermark. It renders the overlay once per output width.
type marker struct {
	wm      Watermark
	face    *opentype.Font
	logo    image.Image
	mu      sync.Mutex
	overlay map[int]*image.NRGBA // by output width
}

func newMarker(wm *Watermark) (*marker, error) {
	if wm == nil || (wm.Text == "" && len(wm.Logo) == 0) {
		return nil, nil
	}
	m := &marker{wm: *wm, overlay: map[int]*image.NRGBA{}}
	if m.wm.Opacity <= 0 || m.wm.Opacity > 1 {
		m.wm.Opacity = 0.35
	}
	var err error
	if len(wm.Logo) > 0 {
		if m.logo, err = png.Decode(bytes.NewReader(wm.Logo)); err != nil {
			return nil, fmt.Errorf("watermark logo: %w", err)
		}
		return m, nil
	}
	if m.face, err = opentype.Parse(gomedium.TTF); err != nil {
		return nil, fmt.Errorf("watermark font: %w", err)
	}
	return m, nil
}

// draw blends the watermark onto out. A nil marker draws nothing.
func (m *marker) draw(out *image.YCbCr) {
	if m == nil {
		return
	}
	ov := m.overlayFor(out.Rect.Dx())
	b := out.Rect
	margin := max(4, b.Dx()/32)
	x0, y0 := b.Dx()-ov.Rect.Dx()-margin, b.Dy()-ov.Rect.Dy()-margin // bottom-right
	switch m.wm.Position {
	case "bottom-left":
		x0 = margin
	case "top-right":
		y0 = margin
	case "top-left":
		x0, y0 = margin, margin
	case "center":
		x0, y0 = (b.Dx()-ov.Rect.Dx())/2, (b.Dy()-ov.Rect.Dy())/2
	}
	blend(out, ov, image.Pt(x0, y0), m.wm.Opacity)
}

// overlayFor returns the watermark as an image sized for an output w wide.
func (m *marker) overlayFor(w int) *image.NRGBA {
	m.mu.Lock()
	defer m.mu.Unlock()
	if ov, ok := m.overlay[w]; ok {
		return ov
	}
	var ov *image.NRGBA
	if m.logo != nil {
		lb := m.logo.Bounds()
		lw := max(1, w/5)
		lh := max(1, lb.Dy()*lw/max(1, lb.Dx()))
		ov = image.NewNRGBA(image.Rect(0, 0, lw, lh))
		xdraw.CatmullRom.Scale(ov, ov.Rect, m.logo, lb, xdraw.Src, nil)
	} else {
		ov = m.text(w)
	}
	m.overlay[w] = ov
	return ov
}

// text renders the watermark text, white with a soft dark shadow so that
// it reads on light and dark backgrounds alike.
func (m *marker) text(w int) *image.NRGBA {
	face, err := opentype.NewFace(m.face, &opentype.FaceOptions{Size: float64(max(10, w/36)), DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return image.NewNRGBA(image.Rect(0, 0, 1, 1))
	}
	defer face.Close()
	met := face.Metrics()
	adv := font.MeasureString(face, m.wm.Text)
	shadow := max(1, w/480)
	ov := image.NewNRGBA(image.Rect(0, 0, adv.Ceil()+shadow, (met.Ascent+met.Descent).Ceil()+shadow))
	for _, pass := range []struct {
		c   color.Color
		off int
	}{{color.NRGBA{0, 0, 0, 160}, shadow}, {color.White, 0}} {
		d := font.Drawer{Dst: ov, Src: image.NewUniform(pass.c), Face: face,
			Dot: fixed.Point26_6{X: fixed.I(pass.off), Y: met.Ascent + fixed.I(pass.off)}}
		d.DrawString(m.wm.Text)
	}
	return ov
}

// blend draws ov onto out at at, scaled by opacity. Chroma is blended at
// the top-left pixel of each 2×2 block (out is 4:2:0).
func blend(out *image.YCbCr, ov *image.NRGBA, at image.Point, opacity float64) {
	r := ov.Rect.Add(at).Intersect(out.Rect)
	op := int(opacity * 256)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			i := ov.PixOffset(x-at.X, y-at.Y)
			a := int(ov.Pix[i+3]) * op >> 8
			if a == 0 {
				continue
			}
			yy, cb, cr := color.RGBToYCbCr(ov.Pix[i], ov.Pix[i+1], ov.Pix[i+2])
			yi := out.YOffset(x, y)
			out.Y[yi] = mix(out.Y[yi], yy, a)
			if x%2 == 0 && y%2 == 0 {
				ci := out.COffset(x, y)
				out.Cb[ci] = mix(out.Cb[ci], cb, a)
				out.Cr[ci] = mix(out.Cr[ci], cr, a)
			}
		}
	}
}

// mix returns dst·(1−a) + src·a with a in 0..255.
func mix(dst, src uint8, a int) uint8 {
	return uint8((int(dst)*(255-a) + int(src)*a + 127) / 255)
}
