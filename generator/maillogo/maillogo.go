// Package maillogo makes the copy of a practice's logo that emails show.
// Mail clients do not show SVG, and an email cannot use an image whose
// name changes with every build, so the build publishes the logo as a PNG
// at a fixed path, [Path], drawn at twice the height emails show it at.
//
// The PNG is encoded anew from pixels: nothing of the source file but its
// picture is published.
package maillogo

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"math"
	"path"
	"strings"

	"github.com/fyne-io/oksvg"
	"github.com/srwiley/rasterx"
	xdraw "golang.org/x/image/draw"
)

// Path is where the build publishes the email logo, under the site's root.
const Path = "brand/logo-email.png"

// Height is the logo's height in emails, in CSS pixels. The PNG is twice
// as high, for sharp high-density screens.
const Height = 40

// maxWidth is the widest an email shows the logo, in CSS pixels: a wide
// wordmark is scaled down to fit a phone's mail view.
const maxWidth = 240

// maxPixels bounds the source image a PNG logo may be.
const maxPixels = 50_000_000

// Logo is the email logo: the PNG to publish and the size to show it at.
type Logo struct {
	PNG           []byte
	Width, Height int // CSS pixels; the PNG is twice as large
}

// Make draws the email logo from a logo file of site.yaml, named name
// (its extension says SVG or PNG). The error says, for staff, why the
// file cannot be used.
func Make(name string, src []byte) (Logo, error) {
	f, err := open(name, src)
	if err != nil {
		return Logo{}, err
	}
	w, h := size(f.w, f.h)
	m := f.draw(w, h)
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, m); err != nil {
		return Logo{}, fmt.Errorf("encode email logo: %w", err)
	}
	return Logo{PNG: buf.Bytes(), Width: (w + 1) / 2, Height: (h + 1) / 2}, nil
}

// Measure returns the size, in CSS pixels, at which emails show the logo
// that Make draws from the same file, or Make's error, without drawing
// it: the intake service needs the size of the logo that the build
// publishes, and only the build draws it.
func Measure(name string, src []byte) (width, height int, err error) {
	f, err := open(name, src)
	if err != nil {
		return 0, 0, err
	}
	w, h := size(f.w, f.h)
	return (w + 1) / 2, (h + 1) / 2, nil
}

// source is a logo file read: its size in its own units, and how to draw
// it at a size in pixels.
type source struct {
	w, h float64
	draw func(w, h int) image.Image
}

// open reads a logo file, SVG or PNG by name's extension.
func open(name string, src []byte) (source, error) {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".svg":
		return openSVG(src)
	case ".png":
		return openPNG(src)
	}
	return source{}, fmt.Errorf("%q is not an SVG or PNG file", name)
}

// size returns the pixel size for a source of w×h: 2×Height high, or
// narrower when that would be wider than 2×maxWidth.
func size(w, h float64) (int, int) {
	scale := 2 * Height / h
	if w*scale > 2*maxWidth {
		scale = 2 * maxWidth / w
	}
	return max(1, int(math.Round(w*scale))), max(1, int(math.Round(h*scale)))
}

// openSVG parses an SVG, which is drawn with its viewBox filling the size.
func openSVG(src []byte) (source, error) {
	icon, err := oksvg.ReadIconStream(bytes.NewReader(src), oksvg.StrictErrorMode)
	if err != nil {
		return source{}, fmt.Errorf("the SVG cannot be drawn for emails (%v) — save it as plain SVG (paths and shapes, no text or embedded images), or use a PNG logo", err)
	}
	vb := icon.ViewBox
	if vb.W <= 0 || vb.H <= 0 {
		return source{}, errors.New("the SVG has no size — give its <svg> element a viewBox, e.g. viewBox=\"0 0 200 48\"")
	}
	return source{w: vb.W, h: vb.H, draw: func(w, h int) image.Image {
		icon.SetTarget(0, 0, float64(w), float64(h))
		m := image.NewNRGBA(image.Rect(0, 0, w, h))
		scanner := rasterx.NewScannerGV(w, h, m, m.Bounds())
		icon.Draw(rasterx.NewDasher(w, h, scanner), 1)
		return m
	}}, nil
}

// openPNG decodes a PNG, which is drawn scaled to the size.
func openPNG(src []byte) (source, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(src))
	if err != nil || format != "png" {
		return source{}, errors.New("is not a PNG file that can be read — export it again as PNG")
	}
	if cfg.Width*cfg.Height > maxPixels {
		return source{}, fmt.Errorf("is %d×%d pixels, more than the %d allowed — make it smaller", cfg.Width, cfg.Height, maxPixels)
	}
	m, err := png.Decode(bytes.NewReader(src))
	if err != nil {
		return source{}, fmt.Errorf("cannot be read as PNG (%v) — export it again", err)
	}
	return source{w: float64(cfg.Width), h: float64(cfg.Height), draw: func(w, h int) image.Image {
		out := image.NewNRGBA(image.Rect(0, 0, w, h))
		if w == cfg.Width && h == cfg.Height {
			draw.Draw(out, out.Bounds(), m, m.Bounds().Min, draw.Src)
			return out
		}
		xdraw.CatmullRom.Scale(out, out.Bounds(), m, m.Bounds(), xdraw.Src, nil)
		return out
	}}, nil
}
