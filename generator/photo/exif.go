package photo

import (
	"bytes"
	"encoding/binary"
)

// orientation reads the EXIF Orientation tag (0x0112 in IFD0) of a JPEG
// (APP1 "Exif" segment) or a PNG (eXIf chunk). It returns 1, upright, when
// there is none or it cannot be read: a broken tag must not stop a build.
func orientation(src []byte) Orientation {
	var tiff []byte
	switch {
	case bytes.HasPrefix(src, []byte{0xff, 0xd8}):
		tiff = jpegExif(src)
	case bytes.HasPrefix(src, pngSignature):
		tiff = pngExif(src)
	}
	o := Orientation(tiffOrientation(tiff))
	if o < 1 || o > 8 {
		return 1
	}
	return o
}

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// jpegExif returns the TIFF structure inside a JPEG's APP1 Exif segment,
// walking the marker segments up to the start of the image data.
func jpegExif(src []byte) []byte {
	i := 2
	for i+4 <= len(src) {
		if src[i] != 0xff {
			return nil
		}
		marker := src[i+1]
		if marker == 0xff { // fill byte
			i++
			continue
		}
		if marker == 0xda || marker == 0xd9 { // start of scan, end of image
			return nil
		}
		n := int(binary.BigEndian.Uint16(src[i+2:]))
		if n < 2 || i+2+n > len(src) {
			return nil
		}
		seg := src[i+4 : i+2+n]
		if marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:]
		}
		i += 2 + n
	}
	return nil
}

// pngExif returns the TIFF structure of a PNG's eXIf chunk.
func pngExif(src []byte) []byte {
	i := len(pngSignature)
	for i+8 <= len(src) {
		n := int(binary.BigEndian.Uint32(src[i:]))
		typ := string(src[i+4 : i+8])
		if i+8+n > len(src) || typ == "IDAT" {
			return nil
		}
		if typ == "eXIf" {
			return src[i+8 : i+8+n]
		}
		i += 12 + n // length, type, data, CRC
	}
	return nil
}

// tiffOrientation returns the Orientation entry of IFD0, or 0.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(t[2:]) != 42 {
		return 0
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > len(t) {
		return 0
	}
	count := int(bo.Uint16(t[ifd:]))
	for k := range count {
		e := ifd + 2 + 12*k
		if e+12 > len(t) {
			return 0
		}
		const tagOrientation, typeShort = 0x0112, 3
		if bo.Uint16(t[e:]) == tagOrientation && bo.Uint16(t[e+2:]) == typeShort {
			return int(bo.Uint16(t[e+8:]))
		}
	}
	return 0
}
