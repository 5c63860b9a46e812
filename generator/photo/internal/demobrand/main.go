// Command demobrand draws the demo practice's brand and faces: team
// portraits, the home page's hero, the logo, the favicon and membership
// badges. They are illustrations made of simple shapes, not pictures of
// anyone, and the raster ones say so in their corner. It writes them into
// the demo's content folder:
//
//	go run ./generator/photo/internal/demobrand -content content
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// shape is a filled region given by a signed distance, in pixels:
// negative inside, positive outside.
type shape interface{ dist(x, y float64) float64 }

type ellipse struct{ cx, cy, rx, ry float64 }

func (e ellipse) dist(x, y float64) float64 {
	dx, dy := (x-e.cx)/e.rx, (y-e.cy)/e.ry
	return (math.Sqrt(dx*dx+dy*dy) - 1) * math.Min(e.rx, e.ry)
}

// capsule is a segment with round ends: a stroke.
type capsule struct{ x0, y0, x1, y1, r float64 }

func (c capsule) dist(x, y float64) float64 {
	vx, vy := c.x1-c.x0, c.y1-c.y0
	t := math.Max(0, math.Min(1, ((x-c.x0)*vx+(y-c.y0)*vy)/(vx*vx+vy*vy)))
	dx, dy := x-(c.x0+t*vx), y-(c.y0+t*vy)
	return math.Sqrt(dx*dx+dy*dy) - c.r
}

// rect is a rectangle with rounded corners of radius r.
type rect struct{ x0, y0, x1, y1, r float64 }

func (b rect) dist(x, y float64) float64 {
	cx, cy := (b.x0+b.x1)/2, (b.y0+b.y1)/2
	hx, hy := (b.x1-b.x0)/2-b.r, (b.y1-b.y0)/2-b.r
	qx, qy := math.Abs(x-cx)-hx, math.Abs(y-cy)-hy
	out := math.Hypot(math.Max(qx, 0), math.Max(qy, 0))
	return out + math.Min(math.Max(qx, qy), 0) - b.r
}

// minus is a shape with another cut out of it.
type minus struct{ s, out shape }

func (m minus) dist(x, y float64) float64 { return math.Max(m.s.dist(x, y), -m.out.dist(x, y)) }

// clip keeps the part of a shape inside another.
type clip struct{ s, in shape }

func (c clip) dist(x, y float64) float64 { return math.Max(c.s.dist(x, y), c.in.dist(x, y)) }

// layer is a shape painted in a colour; soft blurs its edge by that many pixels.
type layer struct {
	s    shape
	c    color.RGBA
	soft float64
}

// canvas is an image being painted in floating point.
type canvas struct {
	w, h   int
	px     []float64 // r, g, b per pixel
	zoom   float64   // shapes are drawn this much larger…
	ox, oy float64   // …from this point of the drawing's coordinates
}

func newCanvas(w, h int, bg func(x, y float64) color.RGBA) *canvas {
	c := &canvas{w: w, h: h, px: make([]float64, w*h*3), zoom: 1}
	for y := range h {
		for x := range w {
			col := bg(float64(x)/float64(w), float64(y)/float64(h))
			i := (y*w + x) * 3
			c.px[i], c.px[i+1], c.px[i+2] = float64(col.R), float64(col.G), float64(col.B)
		}
	}
	return c
}

func (c *canvas) paint(ls ...layer) {
	for _, l := range ls {
		soft := math.Max(l.soft, 0.75)
		for y := range c.h {
			for x := range c.w {
				d := l.s.dist((float64(x)+0.5)/c.zoom+c.ox, (float64(y)+0.5)/c.zoom+c.oy) * c.zoom
				if d > soft {
					continue
				}
				a := math.Max(0, math.Min(1, 0.5-d/(2*soft)))
				a *= float64(l.c.A) / 255
				i := (y*c.w + x) * 3
				c.px[i] += (float64(l.c.R) - c.px[i]) * a
				c.px[i+1] += (float64(l.c.G) - c.px[i+1]) * a
				c.px[i+2] += (float64(l.c.B) - c.px[i+2]) * a
			}
		}
	}
}

func (c *canvas) image() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
	for i := 0; i < c.w*c.h; i++ {
		m.Pix[i*4], m.Pix[i*4+1], m.Pix[i*4+2], m.Pix[i*4+3] = uint8(c.px[i*3]+0.5), uint8(c.px[i*3+1]+0.5), uint8(c.px[i*3+2]+0.5), 255
	}
	return m
}

func rgb(hex uint32) color.RGBA {
	return color.RGBA{uint8(hex >> 16), uint8(hex >> 8), uint8(hex), 255}
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	f := func(x, y uint8) uint8 { return uint8(float64(x) + (float64(y)-float64(x))*t + 0.5) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 255}
}

func shade(c color.RGBA, t float64) color.RGBA { return mix(c, color.RGBA{0, 0, 0, 255}, t) }

// label writes the illustration's label in its bottom-left corner.
func label(m *image.RGBA, text string, size float64, c color.RGBA) error {
	f, err := opentype.Parse(gomedium.TTF)
	if err != nil {
		return err
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return err
	}
	defer face.Close()
	b := m.Bounds()
	d := font.Drawer{Dst: m, Src: image.NewUniform(c), Face: face, Dot: fixed.P(int(size), b.Dy()-int(size))}
	d.DrawString(text)
	return nil
}

func main() {
	dir := flag.String("content", "content", "the demo site's content folder")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "demobrand:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	for _, p := range people {
		if err := writeJPEG(filepath.Join(dir, "team", p.slug+".jpg"), portrait(p)); err != nil {
			return err
		}
	}
	if err := writeJPEG(filepath.Join(dir, "brand", "hero.jpg"), hero()); err != nil {
		return err
	}
	if err := writeJPEG(filepath.Join(dir, "brand", "share.jpg"), share()); err != nil {
		return err
	}
	if err := writePNG(filepath.Join(dir, "brand", "favicon.png"), mark(512)); err != nil {
		return err
	}
	files := map[string]string{"logo.svg": logoSVG}
	for _, b := range badges {
		files[b.file] = badgeSVG(b)
	}
	for name, svg := range files {
		if err := os.WriteFile(filepath.Join(dir, "brand", name), []byte(svg), 0o644); err != nil {
			return err
		}
	}
	return nil
}

func writeJPEG(path string, m *image.RGBA) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := jpeg.Encode(f, m, &jpeg.Options{Quality: 86}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func writePNG(path string, m *image.RGBA) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, m); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// text writes a line of text with its baseline at (x, y).
func text(m *image.RGBA, s string, x, y int, size float64, c color.RGBA) error {
	f, err := opentype.Parse(gomedium.TTF)
	if err != nil {
		return err
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return err
	}
	defer face.Close()
	d := font.Drawer{Dst: m, Src: image.NewUniform(c), Face: face, Dot: fixed.P(x, y)}
	d.DrawString(s)
	return nil
}
