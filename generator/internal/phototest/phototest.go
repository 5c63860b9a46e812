// Package phototest makes photos for tests: JPEGs carrying what phone
// cameras write (EXIF orientation, GPS position, camera serial, comment).
package phototest

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// ByteOrder is binary.LittleEndian or binary.BigEndian.
type ByteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// tiffEntry is one IFD entry for exifSegment; data longer than 4 bytes is
// stored after the IFD.
type tiffEntry struct {
	tag, typ uint16
	count    uint32
	data     []byte
}

const (
	typeASCII    = 2
	typeShortT   = 3
	typeLong     = 4
	typeRational = 5
)

func ascii(s string) tiffEntry {
	return tiffEntry{typ: typeASCII, count: uint32(len(s) + 1), data: append([]byte(s), 0)}
}

// exifTIFF lays out IFD0 (with pointers to an Exif and a GPS IFD) in byte
// order bo, the way cameras write them.
func exifTIFF(bo ByteOrder, ifd0, exif, gps []tiffEntry) []byte {
	size := func(es []tiffEntry) int {
		n := 2 + 12*(len(es)) + 4
		for _, e := range es {
			if len(e.data) > 4 {
				n += len(e.data) + len(e.data)%2
			}
		}
		return n
	}
	pointer := func(tag uint16, off int) tiffEntry {
		d := make([]byte, 4)
		bo.PutUint32(d, uint32(off))
		return tiffEntry{tag: tag, typ: typeLong, count: 1, data: d}
	}
	// Two pointer entries make IFD0 24 bytes longer.
	exifAt := 8 + size(ifd0) + 24
	gpsAt := exifAt + size(exif)
	ifd0 = append(ifd0, pointer(0x8769, exifAt), pointer(0x8825, gpsAt))
	order := "II"
	if bo == binary.BigEndian {
		order = "MM"
	}
	out := []byte(order)
	out = bo.AppendUint16(out, 42)
	out = bo.AppendUint32(out, 8)
	for _, es := range [][]tiffEntry{ifd0, exif, gps} {
		start := len(out)
		extra := start + 2 + 12*len(es) + 4
		var tail []byte
		out = bo.AppendUint16(out, uint16(len(es)))
		for _, e := range es {
			out = bo.AppendUint16(out, e.tag)
			out = bo.AppendUint16(out, e.typ)
			out = bo.AppendUint32(out, e.count)
			if len(e.data) <= 4 {
				out = append(out, append(e.data, make([]byte, 4-len(e.data))...)...)
				continue
			}
			out = bo.AppendUint32(out, uint32(extra+len(tail)))
			tail = append(tail, e.data...)
			if len(e.data)%2 == 1 {
				tail = append(tail, 0)
			}
		}
		out = bo.AppendUint32(out, 0)
		out = append(out, tail...)
	}
	return out
}

// Secrets CameraJPEG writes, which must never be published.
const (
	Serial  = "SN-0042-PRIVATE"
	Make    = "PrivaCam"
	Comment = "patient Jane Roe"
)

// CameraTIFF is EXIF with the orientation o, a camera make and serial and
// a GPS position.
func CameraTIFF(bo ByteOrder, o uint16) []byte {
	short := bo.AppendUint16(nil, o)
	rational := func(vals ...uint32) []byte {
		var b []byte
		for _, v := range vals {
			b = bo.AppendUint32(bo.AppendUint32(b, v), 1)
		}
		return b
	}
	mk := ascii(Make)
	mk.tag = 0x010F
	serial := ascii(Serial)
	serial.tag = 0xA431 // BodySerialNumber
	latRef := ascii("N")
	latRef.tag = 0x0001
	return exifTIFF(bo,
		[]tiffEntry{mk, {tag: 0x0112, typ: typeShortT, count: 1, data: short}},
		[]tiffEntry{serial},
		[]tiffEntry{latRef, {tag: 0x0002, typ: typeRational, count: 3, data: rational(51, 30, 26)}},
	)
}

// CameraJPEG encodes m and inserts an APP1 Exif segment (cameraTIFF) and a
// comment right after the start-of-image marker, like a phone camera.
func CameraJPEG(t testing.TB, m image.Image, o uint16) []byte {
	t.Helper()
	var enc bytes.Buffer
	if err := jpeg.Encode(&enc, m, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	segment := func(marker byte, payload []byte) []byte {
		s := []byte{0xff, marker}
		s = binary.BigEndian.AppendUint16(s, uint16(len(payload)+2))
		return append(s, payload...)
	}
	out := []byte{0xff, 0xd8}
	out = append(out, segment(0xe1, append([]byte("Exif\x00\x00"), CameraTIFF(binary.LittleEndian, o)...))...)
	out = append(out, segment(0xfe, []byte(Comment))...)
	return append(out, enc.Bytes()[2:]...)
}

// Halves is a w×h image whose left half is red and right half blue.
func Halves(w, h int) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{200, 30, 30, 255}
			if x >= w/2 {
				c = color.RGBA{30, 30, 200, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}
