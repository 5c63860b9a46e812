package maillogo

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"
)

const demoSVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48">
<circle cx="24" cy="24" r="24" fill="#6e4a32"/>
<g fill="none" stroke="#fbf9f6" stroke-width="3.6" stroke-linecap="round">
<path d="M16 11v18M32 11v18M16 20h16"/>
<path d="M10 36q3.5-3.2 7 0t7 0 7 0 7 0"/>
</g>
</svg>`

// chunks returns the chunk types of a PNG file, in order.
func chunks(t *testing.T, data []byte) []string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
		t.Fatalf("not a PNG: % x", data[:min(8, len(data))])
	}
	var types []string
	for p := 8; p+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		types = append(types, string(data[p+4:p+8]))
		p += 12 + n
	}
	return types
}

// withText returns a PNG of m with a tEXt chunk (an author's name) after IHDR.
func withText(t *testing.T, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	body := []byte("tEXtAuthor\x00Jane Patient")
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(body)-4))
	chunk = append(chunk, body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(body))
	ihdrEnd := 8 + 12 + 13
	return slices.Concat(data[:ihdrEnd], chunk, data[ihdrEnd:])
}

func TestMake(t *testing.T) {
	wide := image.NewNRGBA(image.Rect(0, 0, 1200, 200)) // a wordmark: 6:1
	for x := range 1200 {
		for y := range 200 {
			wide.Set(x, y, color.NRGBA{0x1f, 0x2a, 0x33, 0xff})
		}
	}
	small := image.NewNRGBA(image.Rect(0, 0, 48, 48))
	for _, tc := range []struct {
		name   string
		file   string
		src    []byte
		w, h   int // CSS pixels
		centre color.NRGBA
	}{
		{"svg mark", "brand/logo.svg", []byte(demoSVG), 40, 40, color.NRGBA{0x6e, 0x4a, 0x32, 0xff}},
		{"wide svg", "logo.SVG", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 600 50"><rect width="600" height="50" fill="#1f2a33"/></svg>`), 240, 20, color.NRGBA{0x1f, 0x2a, 0x33, 0xff}},
		{"wide png with metadata", "logo.png", withText(t, wide), 240, 40, color.NRGBA{0x1f, 0x2a, 0x33, 0xff}},
		{"small png", "logo.png", withText(t, small), 40, 40, color.NRGBA{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logo, err := Make(tc.file, tc.src)
			if err != nil {
				t.Fatal(err)
			}
			if logo.Width != tc.w || logo.Height != tc.h {
				t.Errorf("shown at %d×%d, want %d×%d", logo.Width, logo.Height, tc.w, tc.h)
			}
			if got := chunks(t, logo.PNG); !slices.Equal(slices.DeleteFunc(got, func(c string) bool { return c == "IDAT" }), []string{"IHDR", "IEND"}) {
				t.Errorf("chunks %v: want only IHDR, IDAT and IEND", got)
			}
			if bytes.Contains(logo.PNG, []byte("Jane")) {
				t.Error("the source's text survived")
			}
			m, err := png.Decode(bytes.NewReader(logo.PNG))
			if err != nil {
				t.Fatal(err)
			}
			if b := m.Bounds(); b.Dx() != 2*tc.w || b.Dy() != 2*tc.h {
				t.Errorf("PNG is %d×%d, want %d×%d", b.Dx(), b.Dy(), 2*tc.w, 2*tc.h)
			}
			if got := color.NRGBAModel.Convert(m.At(m.Bounds().Dx()/2, m.Bounds().Dy()/3)).(color.NRGBA); got != tc.centre {
				t.Errorf("pixel near the centre is %v, want %v", got, tc.centre)
			}
		})
	}
}

func TestMakeRefuses(t *testing.T) {
	for _, tc := range []struct{ name, file, src, want string }{
		{"broken svg", "logo.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><path d="M10 10 Z`, "cannot be drawn"},
		{"svg without size", "logo.svg", `<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>`, "viewBox"},
		{"not a png", "logo.png", "GIF89a", "not a PNG"},
		{"gif", "logo.gif", "GIF89a", "not an SVG or PNG"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Make(tc.file, []byte(tc.src))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one saying %q", err, tc.want)
			}
		})
	}
}

// TestMeasure: Measure gives the size of the logo Make draws, and its
// error, without drawing.
func TestMeasure(t *testing.T) {
	wide := image.NewNRGBA(image.Rect(0, 0, 1200, 200))
	var wordmark bytes.Buffer
	png.Encode(&wordmark, wide)
	for name, src := range map[string][]byte{
		"mark.svg":     []byte(demoSVG),
		"wordmark.png": wordmark.Bytes(),
		"broken.svg":   []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><path d="M1 1 Z`),
		"no-size.svg":  []byte(`<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>`),
		"logo.gif":     []byte("GIF89a"),
	} {
		logo, makeErr := Make(name, src)
		w, h, err := Measure(name, src)
		if (err == nil) != (makeErr == nil) || err != nil && err.Error() != makeErr.Error() {
			t.Errorf("%s: Measure's error %v, Make's %v", name, err, makeErr)
		}
		if w != logo.Width || h != logo.Height {
			t.Errorf("%s: Measure %d×%d, Make %d×%d", name, w, h, logo.Width, logo.Height)
		}
	}
}
