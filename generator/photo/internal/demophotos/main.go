// Command demophotos draws the demo site's illustrative before/after
// "photos": simple shaded silhouettes, not pictures of anyone, each
// labelled as an illustration. It writes them into the demo's case folders:
//
//	go run ./generator/photo/internal/demophotos -content content
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"os"
	"path/filepath"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// ellipse is one part of a silhouette, in units of the image's height.
type ellipse struct{ cx, cy, rx, ry float64 }

// figure is a silhouette: a union of ellipses.
type figure []ellipse

// The figures. Each case draws a before and an after figure of one kind;
// the after differs where the procedure changes things.
func profileFace(nose, hump, chin, lid float64) figure {
	return figure{
		{0.50, 0.40, 0.20, 0.26},          // head
		{0.50, 0.78, 0.11, 0.25},          // neck
		{0.69, 0.45, 0.035 + nose, 0.045}, // nose
		{0.66, 0.40, hump, hump * 1.4},    // dorsal hump
		{0.62, 0.60, 0.06 + chin, 0.05},   // chin
		{0.67, 0.36, lid, lid * 0.7},      // upper lid
	}
}

func frontFace(ears, jowl float64) figure {
	return figure{
		{0.50, 0.42, 0.19, 0.27},
		{0.50, 0.80, 0.10, 0.25},
		{0.31 - ears, 0.44, 0.035, 0.07}, {0.69 + ears, 0.44, 0.035, 0.07}, // ears
		{0.40, 0.60, 0.07 + jowl, 0.06}, {0.60, 0.60, 0.07 + jowl, 0.06}, // jowls
	}
}

func frontTorso(breast, flank float64) figure {
	return figure{
		{0.50, 0.22, 0.30, 0.10}, // shoulders
		{0.50, 0.55, 0.20, 0.42}, // torso
		{0.41, 0.38, breast, breast}, {0.59, 0.38, breast, breast},
		{0.31, 0.66, flank, 0.12}, {0.69, 0.66, flank, 0.12}, // flanks
	}
}

func profileTorso(belly float64) figure {
	return figure{
		{0.48, 0.50, 0.14, 0.45},
		{0.57, 0.36, 0.06, 0.06},
		{0.58, 0.66, belly, belly * 1.3},
	}
}

// field is positive inside the figure, growing towards the middle of a part.
func (f figure) field(x, y float64) float64 {
	best := -1.0
	for _, e := range f {
		if e.rx <= 0 || e.ry <= 0 {
			continue
		}
		dx, dy := (x-e.cx)/e.rx, (y-e.cy)/e.ry
		best = max(best, 1-math.Sqrt(dx*dx+dy*dy))
	}
	return best
}

func draw(f figure, w, h int, skin color.RGBA, label font.Face) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for py := range h {
		for px := range w {
			x, y := float64(px)/float64(h), float64(py)/float64(h)
			x += 0.5 - 0.5*float64(w)/float64(h) // centre the figure horizontally
			bg := 214 - 30*float64(py)/float64(h)
			r, g, b := bg-8, bg, bg+10
			v := f.field(x, y)
			a := math.Min(1, math.Max(0, v*float64(h)/12))
			shade := 0.78 + 0.22*math.Min(1, v*4)
			r = r*(1-a) + float64(skin.R)*shade*a
			g = g*(1-a) + float64(skin.G)*shade*a
			b = b*(1-a) + float64(skin.B)*shade*a
			m.SetRGBA(px, py, color.RGBA{uint8(r), uint8(g), uint8(b), 255})
		}
	}
	d := font.Drawer{Dst: m, Src: image.NewUniform(color.RGBA{60, 66, 72, 255}), Face: label,
		Dot: fixed.P(w/24, h-h/24)}
	d.DrawString("Illustration — not a patient")
	return m
}

// demoCase is one case folder and what its before and after show.
type demoCase struct {
	folder, angle string
	before, after figure
	skin          color.RGBA
}

func main() {
	dir := flag.String("content", "content", "the demo site's content folder")
	flag.Parse()
	if err := run(*dir); err != nil {
		fmt.Fprintln(os.Stderr, "demophotos:", err)
		os.Exit(1)
	}
}

func run(dir string) error {
	fnt, err := opentype.Parse(gomedium.TTF)
	if err != nil {
		return err
	}
	const w, h = 720, 960
	face, err := opentype.NewFace(fnt, &opentype.FaceOptions{Size: 26, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return err
	}
	light, olive, deep := color.RGBA{232, 196, 172, 255}, color.RGBA{204, 160, 122, 255}, color.RGBA{140, 98, 72, 255}
	cases := []demoCase{
		{"rhinoplasty-dorsal-hump", "profile", profileFace(0.03, 0.035, 0, 0), profileFace(0.01, 0, 0, 0), light},
		{"rhinoplasty-tip-refinement", "profile", profileFace(0.045, 0, 0, 0), profileFace(0.02, 0, 0, 0), deep},
		{"facelift-jawline", "front", frontFace(0, 0.05), frontFace(0, 0.01), light},
		{"blepharoplasty-upper-lids", "profile", profileFace(0.02, 0, 0, 0.045), profileFace(0.02, 0, 0, 0.02), olive},
		{"otoplasty-prominent-ears", "front", frontFace(0.045, 0), frontFace(0.005, 0), olive},
		{"breast-augmentation-natural", "front", frontTorso(0.07, 0), frontTorso(0.095, 0), light},
		{"abdominoplasty-after-pregnancy", "profile", profileTorso(0.12), profileTorso(0.05), olive},
		{"liposuction-flanks", "front", frontTorso(0.08, 0.07), frontTorso(0.08, 0.02), deep},
	}
	for _, c := range cases {
		for side, f := range map[string]figure{"before": c.before, "after": c.after} {
			path := filepath.Join(dir, "gallery", c.folder, side+"-"+c.angle+".jpg")
			if err := write(path, draw(f, w, h, c.skin, face)); err != nil {
				return err
			}
		}
	}
	return nil
}

func write(path string, m image.Image) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := jpeg.Encode(f, m, &jpeg.Options{Quality: 82}); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
