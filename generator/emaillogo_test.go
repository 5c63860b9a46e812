package generator

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/consultahq/consulta/generator/maillogo"
)

// TestEmailLogo builds a site whose logo is an SVG, then a PNG carrying
// an author's name, and finds at maillogo.Path a PNG twice the emails'
// height with nothing but its pixels. A logo that cannot be drawn is a
// warning naming site.yaml's line, and no email logo is published.
func TestEmailLogo(t *testing.T) {
	mark := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><circle cx="24" cy="24" r="24" fill="#6e4a32"/></svg>`
	var wide bytes.Buffer
	m := image.NewNRGBA(image.Rect(0, 0, 600, 100))
	for i := range m.Pix {
		m.Pix[i] = 0xff
	}
	if err := png.Encode(&wide, m); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, file string
		src        []byte
		w, h       int // pixels
		warning    string
	}{
		{"svg", "logo.svg", []byte(mark), 80, 80, ""},
		{"png", "logo.png", pngWithText(wide.Bytes(), "Author\x00Jane Patient"), 480, 80, ""},
		{"broken svg", "logo.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><path d="M1 1 Z`), 0, 0,
			"content/site.yaml:2: warning: logo: brand/logo.svg: the SVG cannot be drawn for emails"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := testdataSite(t)
			site["content/brand/"+tc.file] = &fstest.MapFile{Data: tc.src}
			edit(t, site, "content/site.yaml", "name: Harbour Aesthetic Surgery\n", "name: Harbour Aesthetic Surgery\nlogo: brand/"+tc.file+"\n")
			bc := config(t, site)
			sum, err := Build(context.Background(), bc)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			var warnings []string
			for _, p := range sum.Warnings {
				warnings = append(warnings, p.String())
			}
			data, err := os.ReadFile(filepath.Join(bc.OutDir, maillogo.Path))
			if tc.warning != "" {
				if !slices.ContainsFunc(warnings, func(w string) bool { return strings.HasPrefix(w, tc.warning) }) {
					t.Errorf("warnings %q, want one starting %q", warnings, tc.warning)
				}
				if err == nil {
					t.Errorf("%s published for a logo that cannot be drawn", maillogo.Path)
				}
				return
			}
			if len(warnings) > 0 {
				t.Errorf("warnings: %q", warnings)
			}
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := png.DecodeConfig(bytes.NewReader(data))
			if err != nil || cfg.Width != tc.w || cfg.Height != tc.h {
				t.Errorf("email logo is %d×%d (%v), want %d×%d", cfg.Width, cfg.Height, err, tc.w, tc.h)
			}
			if got := pngChunks(data); !slices.Equal(got, []string{"IHDR", "IDAT", "IEND"}) {
				t.Errorf("chunks %v, want IHDR, IDAT, IEND alone", got)
			}
			if bytes.Contains(data, []byte("Jane")) {
				t.Error("the logo's author survived")
			}
			img, _ := png.Decode(bytes.NewReader(data))
			if c := color.NRGBAModel.Convert(img.At(tc.w/2, tc.h/2)).(color.NRGBA); c.A != 0xff {
				t.Errorf("centre pixel %v is not opaque", c)
			}
		})
	}
}

// pngWithText returns a PNG with a tEXt chunk of text after its IHDR.
func pngWithText(data []byte, text string) []byte {
	body := append([]byte("tEXt"), text...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(text)))
	chunk = append(chunk, body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(body))
	const ihdrEnd = 8 + 12 + 13
	return slices.Concat(data[:ihdrEnd], chunk, data[ihdrEnd:])
}

// pngChunks returns a PNG's chunk types in order, IDATs merged into one.
func pngChunks(data []byte) []string {
	var types []string
	for p := 8; p+8 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[p:]))
		if typ := string(data[p+4 : p+8]); len(types) == 0 || typ != types[len(types)-1] {
			types = append(types, typ)
		}
		p += 12 + n
	}
	return types
}
