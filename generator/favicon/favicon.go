// Package favicon makes a site's icons: favicon.ico, PNG icons at 32, 180
// (Apple's touch icon), 192 and 512 pixels, and a web manifest naming
// them. The icons are drawn from a square source image, or, without one,
// from the practice's initials on its accent colour, so that a site always
// has a favicon.
//
// Every icon is encoded anew from pixels: nothing of the source file but
// its picture is published.
package favicon

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	_ "image/jpeg" // sources may be JPEG
	"image/png"
	"strings"
	"unicode"
	"unicode/utf8"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Options says what to draw the icons from.
type Options struct {
	Name       string      // the practice's name: the manifest's name, and the initials without a source
	Source     []byte      // a square PNG or JPEG, at least 180 px; nil to draw initials
	Background color.Color // behind the initials, and the manifest's background colour; default #6e4a32
	Foreground color.Color // the initials; default #fbf9f6
}

// File is one file to publish at the site's root.
type File struct {
	Name string // e.g. "favicon.ico"
	Data []byte
}

// The icons' sizes and names.
var pngs = []struct {
	size int
	name string
}{{32, "favicon-32.png"}, {180, "apple-touch-icon.png"}, {192, "icon-192.png"}, {512, "icon-512.png"}}

// Make draws the icons and writes the manifest.
func Make(o Options) ([]File, error) {
	if o.Background == nil {
		o.Background = color.RGBA{0x6e, 0x4a, 0x32, 0xff}
	}
	if o.Foreground == nil {
		o.Foreground = color.RGBA{0xfb, 0xf9, 0xf6, 0xff}
	}
	// draw makes the icon at a size: the source scaled, or the initials
	// drawn at that size, which is much faster than scaling them.
	var draw func(size int) (image.Image, error)
	if o.Source != nil {
		if err := Check(o.Source); err != nil {
			return nil, err
		}
		m, _, err := image.Decode(bytes.NewReader(o.Source))
		if err != nil {
			return nil, fmt.Errorf("decode favicon: %w — use a PNG or JPEG file", err)
		}
		draw = func(size int) (image.Image, error) { return square(m, size), nil }
	} else {
		initials := Initials(o.Name)
		draw = func(size int) (image.Image, error) { return initialsImage(initials, size, o.Background, o.Foreground) }
	}
	encoded := map[int][]byte{}
	for _, sz := range []int{16, 32, 48, 180, 192, 512} {
		m, err := draw(sz)
		if err != nil {
			return nil, err
		}
		if encoded[sz], err = encodePNG(m); err != nil {
			return nil, err
		}
	}
	files := []File{{"favicon.ico", ico([]int{16, 32, 48}, encoded)}}
	for _, p := range pngs {
		files = append(files, File{p.name, encoded[p.size]})
	}
	man, err := manifest(o)
	if err != nil {
		return nil, err
	}
	return append(files, File{"site.webmanifest", man}), nil
}

// Initials returns the first letters of the first two words of a name
// that are not small words: "Harbour Aesthetic Surgery" → "HA".
func Initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		switch strings.ToLower(w) {
		case "the", "and", "&", "of", "for":
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			out = append(out, unicode.ToUpper(r))
		}
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}

// square scales the middle square of src to size×size.
func square(src image.Image, size int) *image.NRGBA {
	b := src.Bounds()
	side := min(b.Dx(), b.Dy())
	crop := image.Rect(b.Min.X+(b.Dx()-side)/2, b.Min.Y+(b.Dy()-side)/2, 0, 0)
	crop.Max = crop.Min.Add(image.Pt(side, side))
	dst := image.NewNRGBA(image.Rect(0, 0, size, size))
	xdraw.CatmullRom.Scale(dst, dst.Bounds(), src, crop, xdraw.Src, nil)
	return dst
}

// initialsImage draws initials centred on a square of background.
func initialsImage(initials string, size int, bg, fg color.Color) (*image.NRGBA, error) {
	m := image.NewNRGBA(image.Rect(0, 0, size, size))
	xdraw.Draw(m, m.Bounds(), image.NewUniform(bg), image.Point{}, xdraw.Src)
	if initials == "" {
		return m, nil
	}
	f, err := opentype.Parse(gomedium.TTF)
	if err != nil {
		return nil, fmt.Errorf("draw favicon: %w", err)
	}
	pt := float64(size) * 0.5
	if utf8.RuneCountInString(initials) == 1 {
		pt = float64(size) * 0.62
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: pt, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("draw favicon: %w", err)
	}
	defer face.Close()
	d := font.Drawer{Dst: m, Src: image.NewUniform(fg), Face: face}
	bounds, _ := d.BoundString(initials)
	w := bounds.Max.X - bounds.Min.X
	h := bounds.Max.Y - bounds.Min.Y
	d.Dot = fixed.Point26_6{
		X: (fixed.I(size)-w)/2 - bounds.Min.X,
		Y: (fixed.I(size)-h)/2 - bounds.Min.Y,
	}
	d.DrawString(initials)
	return m, nil
}

func encodePNG(m image.Image) ([]byte, error) {
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, m); err != nil {
		return nil, fmt.Errorf("encode icon: %w", err)
	}
	return buf.Bytes(), nil
}

// ico packs PNG images into an ICO file, which every browser reads.
func ico(sizes []int, data map[int][]byte) []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	b.Write(le.AppendUint16(nil, 0))
	b.Write(le.AppendUint16(nil, 1)) // an icon
	b.Write(le.AppendUint16(nil, uint16(len(sizes))))
	offset := 6 + 16*len(sizes)
	for _, sz := range sizes {
		b.WriteByte(byte(sz)) // 0 would mean 256
		b.WriteByte(byte(sz))
		b.WriteByte(0) // no palette
		b.WriteByte(0)
		b.Write(le.AppendUint16(nil, 1))  // colour planes
		b.Write(le.AppendUint16(nil, 32)) // bits per pixel
		b.Write(le.AppendUint32(nil, uint32(len(data[sz]))))
		b.Write(le.AppendUint32(nil, uint32(offset)))
		offset += len(data[sz])
	}
	for _, sz := range sizes {
		b.Write(data[sz])
	}
	return b.Bytes()
}

func manifest(o Options) ([]byte, error) {
	type icon struct {
		Src   string `json:"src"`
		Sizes string `json:"sizes"`
		Type  string `json:"type"`
	}
	m := struct {
		Name       string `json:"name"`
		ShortName  string `json:"short_name"`
		Icons      []icon `json:"icons"`
		Background string `json:"background_color"`
		Theme      string `json:"theme_color"`
		Display    string `json:"display"`
		StartURL   string `json:"start_url"`
	}{Name: o.Name, ShortName: o.Name, Background: hex(o.Foreground), Theme: hex(o.Background), Display: "browser", StartURL: "/"}
	if words := strings.Fields(o.Name); len([]rune(o.Name)) > 12 && len(words) > 0 {
		m.ShortName = words[0] // what fits under an icon
	}
	for _, p := range pngs[1:] {
		m.Icons = append(m.Icons, icon{Src: "/" + p.name, Sizes: fmt.Sprintf("%dx%d", p.size, p.size), Type: "image/png"})
	}
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("write manifest: %w", err)
	}
	return append(data, '\n'), nil
}

func hex(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// Check reports, in words for staff, why src cannot be a favicon: it is
// not an image, or it is smaller than 180×180 pixels. It reads only the
// image's header.
func Check(src []byte) error {
	c, _, err := image.DecodeConfig(bytes.NewReader(src))
	if err != nil {
		return fmt.Errorf("decode favicon: %w — use a PNG or JPEG file", err)
	}
	if c.Width < 180 || c.Height < 180 {
		return fmt.Errorf("favicon is %d×%d pixels — use a square image of at least 180×180", c.Width, c.Height)
	}
	return nil
}
