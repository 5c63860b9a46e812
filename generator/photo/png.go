package photo

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
)

// CleanPNG re-encodes a PNG from its pixels alone, at its own size and
// with its transparency: no text, EXIF, time, colour profile or other
// chunk of the original survives. It is for graphics (logos, diagrams)
// that [Processor.Process] would flatten into a JPEG. A file that is not a
// PNG, or too large, is a *SourceError.
func CleanPNG(src []byte, maxPixels int) ([]byte, image.Config, error) {
	cfg, err := CheckPNG(src, maxPixels)
	if err != nil {
		return nil, image.Config{}, err
	}
	m, err := png.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, image.Config{}, &SourceError{Msg: fmt.Sprintf("cannot be read as PNG (%v) — export it again", err)}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, m); err != nil {
		return nil, image.Config{}, fmt.Errorf("encode PNG: %w", err)
	}
	return buf.Bytes(), cfg, nil
}

// CheckPNG returns the size of the PNG src from its header, or the
// *SourceError CleanPNG would return for what the header shows: not a
// PNG, or too large. It decodes no pixels.
func CheckPNG(src []byte, maxPixels int) (image.Config, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(src))
	if err != nil || format != "png" {
		return image.Config{}, &SourceError{Msg: "is not a PNG file that can be read — export it again as PNG"}
	}
	if maxPixels <= 0 {
		maxPixels = 50_000_000
	}
	if cfg.Width*cfg.Height > maxPixels {
		return image.Config{}, &SourceError{Msg: fmt.Sprintf("is %d×%d pixels, more than the %d allowed — make it smaller", cfg.Width, cfg.Height, maxPixels)}
	}
	return cfg, nil
}
