package favicon

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"testing"
)

func TestInitials(t *testing.T) {
	for in, want := range map[string]string{
		"Harbour Aesthetic Surgery": "HA",
		"The Clinic":                "C",
		"smith & jones":             "SJ",
		"":                          "",
	} {
		if got := Initials(in); got != want {
			t.Errorf("Initials(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestInitialsIcons checks the icons drawn without a source: every file
// the pages link to, each PNG at its size, the initials drawn in the
// foreground colour on the background, and an ICO that holds them.
func TestInitialsIcons(t *testing.T) {
	bg, fg := color.RGBA{0x6e, 0x4a, 0x32, 0xff}, color.RGBA{0xfb, 0xf9, 0xf6, 0xff}
	files, err := Make(Options{Name: "Harbour Aesthetic Surgery", Background: bg, Foreground: fg})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string][]byte{}
	for _, f := range files {
		byName[f.Name] = f.Data
	}
	for name, size := range map[string]int{"favicon-32.png": 32, "apple-touch-icon.png": 180, "icon-192.png": 192, "icon-512.png": 512} {
		m, err := png.Decode(bytes.NewReader(byName[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if b := m.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Errorf("%s is %v, want %d×%d", name, b, size, size)
		}
		if c := color.RGBAModel.Convert(m.At(1, 1)).(color.RGBA); c != bg {
			t.Errorf("%s: corner %v, want the background %v", name, c, bg)
		}
		if size == 512 && countColour(m, fg) < 512*512/50 {
			t.Errorf("%s: too few pixels of the initials' colour", name)
		}
	}
	icoData := byName["favicon.ico"]
	le := binary.LittleEndian
	if len(icoData) < 6 || le.Uint16(icoData[2:]) != 1 || le.Uint16(icoData[4:]) != 3 {
		t.Fatalf("favicon.ico header % x", icoData[:min(6, len(icoData))])
	}
	for i := range 3 {
		entry := icoData[6+16*i:]
		size, n, off := int(entry[0]), le.Uint32(entry[8:]), le.Uint32(entry[12:])
		m, err := png.Decode(bytes.NewReader(icoData[off : off+n]))
		if err != nil || m.Bounds().Dx() != size {
			t.Errorf("favicon.ico image %d: %v, %v", i, err, m.Bounds())
		}
	}
	var man struct {
		Name  string `json:"name"`
		Icons []struct{ Src, Sizes string }
	}
	if err := json.Unmarshal(byName["site.webmanifest"], &man); err != nil || man.Name != "Harbour Aesthetic Surgery" || len(man.Icons) != 3 {
		t.Errorf("manifest %s: %v", byName["site.webmanifest"], err)
	}
}

// TestSourceIcons checks that icons drawn from a source keep its picture
// and nothing else of the file: a text chunk in the source is not in any
// icon.
func TestSourceIcons(t *testing.T) {
	m := image.NewNRGBA(image.Rect(0, 0, 300, 200))
	for y := range 200 {
		for x := range 300 {
			m.Set(x, y, color.NRGBA{0, 0x80, 0xff, 0xff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	src := withTextChunk(buf.Bytes(), "Comment", "secret-serial-42")
	files, err := Make(Options{Name: "X", Source: src})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if bytes.Contains(f.Data, []byte("secret-serial-42")) {
			t.Errorf("%s carries the source's text chunk", f.Name)
		}
	}
	if _, err := Make(Options{Name: "X", Source: []byte("not an image")}); err == nil {
		t.Error("a source that is not an image gave no error")
	}
}

func countColour(m image.Image, c color.RGBA) int {
	n := 0
	b := m.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.RGBAModel.Convert(m.At(x, y)).(color.RGBA) == c {
				n++
			}
		}
	}
	return n
}

// withTextChunk inserts a tEXt chunk after a PNG's IHDR.
func withTextChunk(p []byte, key, value string) []byte {
	body := append([]byte(key+"\x00"), value...)
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(body)))
	chunk = append(chunk, "tEXt"...)
	chunk = append(chunk, body...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(append([]byte("tEXt"), body...)))
	at := 8 + 25 // signature, IHDR
	return append(append(append([]byte{}, p[:at]...), chunk...), p[at:]...)
}
