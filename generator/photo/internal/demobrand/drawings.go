package main

import (
	"fmt"
	"image"
	"image/color"
	"math"
)

// person is a team member's portrait: colours and a hair style.
type person struct {
	slug                   string
	skin, hair, cloth, bg  color.RGBA
	long, bun, coat, beard bool
}

var people = []person{
	{slug: "dr-amelia-hart", skin: rgb(0xe8c4ac), hair: rgb(0x8a4b2a), cloth: rgb(0x2f3e56), bg: rgb(0xdfe6df), long: true},
	{slug: "mr-daniel-okafor", skin: rgb(0x8c6248), hair: rgb(0x1f1b18), cloth: rgb(0xf3f1ec), bg: rgb(0xd9e0e8), coat: true, beard: true},
	{slug: "dr-sofia-marin", skin: rgb(0xcca07a), hair: rgb(0x3b2a20), cloth: rgb(0x6b2f3a), bg: rgb(0xeadfd6), bun: true},
	{slug: "niamh-byrne", skin: rgb(0xeec7b0), hair: rgb(0xc9a064), cloth: rgb(0x2f6f73), bg: rgb(0xe3e7e3), long: true},
}

// portrait draws a head and shoulders, 800×1000, labelled as an illustration.
func portrait(p person) *image.RGBA {
	const w, h = 800, 1000
	top, bottom := mix(p.bg, rgb(0xffffff), 0.35), shade(p.bg, 0.08)
	c := newCanvas(w, h, func(_, y float64) color.RGBA { return mix(top, bottom, y) })
	c.zoom, c.ox, c.oy = 1.3, 400-400/1.3, 200 // head and shoulders fill the frame
	skinShade := shade(p.skin, 0.12)
	// Hair behind the head.
	if p.long {
		c.paint(layer{s: rect{255, 330, 545, 760, 120}, c: p.hair})
	}
	if p.bun {
		c.paint(layer{s: ellipse{400, 285, 78, 66}, c: p.hair})
	}
	// Shoulders, neck, collar.
	c.paint(
		layer{s: ellipse{400, 1090, 345, 300}, c: p.cloth},
		layer{s: rect{352, 560, 448, 800, 40}, c: skinShade},
		layer{s: ellipse{400, 792, 58, 40}, c: skinShade},
	)
	if p.coat {
		lapel := shade(p.cloth, 0.1)
		c.paint(
			layer{s: ellipse{400, 860, 70, 110}, c: rgb(0x7f9fc4)}, // shirt
			layer{s: capsule{348, 790, 300, 1000, 16}, c: lapel},
			layer{s: capsule{452, 790, 500, 1000, 16}, c: lapel},
		)
	} else {
		c.paint(layer{s: capsule{350, 792, 400, 860, 10}, c: shade(p.cloth, 0.2)}, layer{s: capsule{450, 792, 400, 860, 10}, c: shade(p.cloth, 0.2)})
	}
	// Head and ears.
	c.paint(
		layer{s: ellipse{266, 488, 24, 40}, c: skinShade},
		layer{s: ellipse{534, 488, 24, 40}, c: skinShade},
		layer{s: ellipse{400, 470, 136, 172}, c: p.skin},
	)
	// Hair on top: a crescent framing the face, parted to one side.
	c.paint(layer{s: clip{minus{ellipse{400, 452, 154, 180}, ellipse{418, 540, 132, 168}}, rect{0, 0, 800, 500, 0}}, c: p.hair})
	if p.beard {
		c.paint(layer{s: clip{ellipse{400, 505, 138, 150}, rect{0, 548, 800, 700, 0}}, c: mix(p.hair, p.skin, 0.25)})
	}
	// A calm face: eyes, brows and a small smile.
	eye := shade(p.skin, 0.7)
	c.paint(
		layer{s: ellipse{350, 478, 11, 8}, c: eye},
		layer{s: ellipse{450, 478, 11, 8}, c: eye},
		layer{s: capsule{330, 450, 368, 446, 4}, c: shade(p.hair, 0.1)},
		layer{s: capsule{432, 446, 470, 450, 4}, c: shade(p.hair, 0.1)},
		layer{s: capsule{380, 572, 400, 578, 4}, c: shade(p.skin, 0.35)},
		layer{s: capsule{400, 578, 420, 572, 4}, c: shade(p.skin, 0.35)},
	)
	m := c.image()
	_ = text(m, "Illustration, not a photo", 24, 44, 24, rgb(0x3c4248))
	return m
}

// hero draws a harbour at dawn, 1600×1067, labelled as an illustration.
func hero() *image.RGBA {
	const w, h = 1600, 1067
	horizon := 0.6
	skyTop, skyLow := rgb(0xf3ebe3), rgb(0xf3d2b8)
	seaTop, seaLow := rgb(0x9fb0b4), rgb(0x51656d)
	c := newCanvas(w, h, func(_, y float64) color.RGBA {
		if y < horizon {
			return mix(skyTop, skyLow, y/horizon)
		}
		return mix(seaTop, seaLow, (y-horizon)/(1-horizon))
	})
	hy := horizon * h
	c.paint(
		layer{s: clip{ellipse{1150, hy - 40, 95, 95}, rect{0, 0, w, hy, 0}}, c: rgb(0xf0a97c), soft: 3},
		layer{s: clip{ellipse{420, hy + 70, 520, 150}, rect{0, 0, w, hy, 0}}, c: rgb(0xb8b9b2)},
		layer{s: clip{ellipse{1380, hy + 90, 480, 170}, rect{0, 0, w, hy, 0}}, c: rgb(0xa9aea9)},
	)
	// The sun's path on the water, and waves.
	for i := range 9 {
		y := hy + 18 + float64(i)*26
		half := 110 - float64(i)*8
		c.paint(layer{s: capsule{1150 - half, y, 1150 + half, y, 3}, c: color.RGBA{0xf6, 0xc8, 0xa2, 200}})
	}
	for i := range 14 {
		y := hy + 40 + float64(i)*30
		x := float64((i*373)%1300) + 60
		c.paint(layer{s: capsule{x, y, x + 120 + float64(i%3)*40, y, 2}, c: color.RGBA{0xe8, 0xee, 0xee, 110}})
	}
	// The quay and its houses, in the practice's brown.
	quay := rgb(0x6e4a32)
	c.paint(layer{s: rect{-20, hy + 150, 700, h + 20, 0}, c: quay})
	x := 0.0
	for i, hh := range []float64{210, 260, 230, 300, 250, 220} {
		wd := 100.0 + float64(i%2)*20
		col := mix(quay, rgb(0xfbf9f6), 0.12*float64(i%3))
		c.paint(layer{s: rect{x, hy + 150 - hh, x + wd - 6, hy + 160, 4}, c: col})
		for wy := hy + 150 - hh + 30; wy < hy+120; wy += 55 {
			c.paint(layer{s: rect{x + 24, wy, x + 44, wy + 28, 2}, c: rgb(0xf3d2b8)}, layer{s: rect{x + wd - 50, wy, x + wd - 30, wy + 28, 2}, c: rgb(0xf3d2b8)})
		}
		x += wd
	}
	// A sailing boat.
	c.paint(
		layer{s: clip{ellipse{960, hy + 95, 90, 30}, rect{0, hy + 95, w, h, 0}}, c: rgb(0x3a2a20)},
		layer{s: capsule{960, hy - 130, 960, hy + 95, 3}, c: rgb(0x3a2a20)},
		layer{s: clip{ellipse{960, hy + 80, 70, 200}, rect{966, 0, w, hy + 80, 0}}, c: rgb(0xfbf9f6)},
	)
	m := c.image()
	_ = label(m, "Illustration", 26, rgb(0xfbf9f6))
	return m
}

// mark draws the logo's mark on a square of the accent colour, for the favicon.
func mark(size int) *image.RGBA {
	s := float64(size) / 48
	c := newCanvas(size, size, func(_, _ float64) color.RGBA { return rgb(0x6e4a32) })
	paper := rgb(0xfbf9f6)
	r := 1.8 * s
	c.paint(
		layer{s: capsule{16 * s, 11 * s, 16 * s, 29 * s, r}, c: paper},
		layer{s: capsule{32 * s, 11 * s, 32 * s, 29 * s, r}, c: paper},
		layer{s: capsule{16 * s, 20 * s, 32 * s, 20 * s, r}, c: paper},
	)
	var prevX, prevY float64
	for i := 0; i <= 40; i++ {
		t := float64(i) / 40
		x := (10 + 28*t) * s
		y := (36 - 1.6*math.Sin(t*4*math.Pi)) * s
		if i > 0 {
			c.paint(layer{s: capsule{prevX, prevY, x, y, r}, c: paper})
		}
		prevX, prevY = x, y
	}
	return c.image()
}

// share draws the default image shown when a page is shared: 1200×630.
func share() *image.RGBA {
	c := newCanvas(1200, 630, func(x, y float64) color.RGBA { return mix(rgb(0x6e4a32), rgb(0x4f3524), y) })
	m := c.image()
	icon := mark(240)
	for y := range 240 {
		for x := range 240 {
			m.Set(120+x, 195+y, icon.At(x, y))
		}
	}
	_ = text(m, "Harbour Aesthetic Surgery", 420, 300, 52, rgb(0xfbf9f6))
	_ = text(m, "Consultant plastic surgeons in Dublin", 420, 370, 30, rgb(0xf3d2b8))
	return m
}

// logoSVG is the logo: the mark in a circle.
const logoSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48">
<circle cx="24" cy="24" r="24" fill="#6e4a32"/>
<g fill="none" stroke="#fbf9f6" stroke-width="3.6" stroke-linecap="round">
<path d="M16 11v18M32 11v18M16 20h16"/>
<path d="M10 36q3.5-3.2 7 0t7 0 7 0 7 0"/>
</g>
</svg>
`

// badge is a membership's badge: letters in a ring.
type badge struct{ file, letters string }

var badges = []badge{{"example-society.svg", "ESPS"}, {"example-college.svg", "ECS"}, {"example-accreditation.svg", "DSA"}}

func badgeSVG(b badge) string {
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48">
<circle cx="24" cy="24" r="22.5" fill="none" stroke="#1f2528" stroke-width="2"/>
<circle cx="24" cy="24" r="18" fill="#1f2528"/>
<text x="24" y="27.5" text-anchor="middle" font-family="Georgia, 'Times New Roman', serif" font-size="10" letter-spacing=".4" fill="#fbf9f6">%s</text>
</svg>
`, b.letters)
}
