package photo

import (
	"encoding/binary"
	"image"
	"testing"

	"github.com/consultahq/consulta/generator/internal/phototest"
)

func TestOrientation(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 8, 8))
	for o := uint16(1); o <= 8; o++ {
		if got := orientation(phototest.CameraJPEG(t, m, o)); got != Orientation(o) {
			t.Errorf("JPEG with orientation %d: read %d", o, got)
		}
	}
	tiffBE := phototest.CameraTIFF(binary.BigEndian, 6)
	if got := tiffOrientation(tiffBE); got != 6 {
		t.Errorf("big-endian TIFF: read %d, want 6", got)
	}
	valid := phototest.CameraJPEG(t, m, 8)
	tests := []struct {
		name string
		src  []byte
	}{
		{"empty", nil},
		{"not an image", []byte("hello")},
		{"no exif", valid[:2]},
		{"truncated segment", valid[:30]},
		{"bad tiff", append([]byte{0xff, 0xd8, 0xff, 0xe1, 0, 16}, "Exif\x00\x00XX*\x00\x08\x00\x00\x00"...)},
		{"out of range value", phototest.CameraJPEG(t, m, 9)},
	}
	for _, tt := range tests {
		if got := orientation(tt.src); got != 1 {
			t.Errorf("%s: orientation %d, want 1 (upright)", tt.name, got)
		}
	}
}

func TestOrientPlane(t *testing.T) {
	// Stored:  a b c
	//          d e f
	src := plane{pix: []uint8("abcdef"), stride: 3, w: 3, h: 2}
	want := map[Orientation]string{
		1: "abc|def", 2: "cba|fed", 3: "fed|cba", 4: "def|abc",
		5: "ad|be|cf", 6: "da|eb|fc", 7: "fc|eb|da", 8: "cf|be|ad",
	}
	for o := Orientation(1); o <= 8; o++ {
		p := orientPlane(src, o, nil)
		var got []byte
		for y := range p.h {
			if y > 0 {
				got = append(got, '|')
			}
			got = append(got, p.row(y)...)
		}
		if string(got) != want[o] {
			t.Errorf("orientation %d: got %s, want %s", o, got, want[o])
		}
	}
}
