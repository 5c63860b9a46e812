package generator

import (
	"fmt"
	"image/color"
	"io/fs"
	"strconv"
	"strings"

	"github.com/consultahq/consulta/generator/favicon"
	"github.com/consultahq/consulta/generator/render"
)

// icons writes the site's favicon.ico, PNG icons and web manifest at the
// root of the output: drawn from site.yaml's favicon, or from the
// practice's initials on its accent colour, so that /favicon.ico is never
// missing. A file of the same name in static/ replaces them.
func (r *run) icons() error {
	cfg := r.site.Config
	o := favicon.Options{Name: cfg.Name, Background: hexColour(cfg.Palette.Accent), Foreground: hexColour(cfg.Palette.Paper)}
	if cfg.Favicon != "" {
		data, err := fs.ReadFile(r.cfg.Site, render.BrandFile(cfg.Favicon))
		if err != nil {
			return fmt.Errorf("read favicon: %w", err)
		}
		o.Source = data
	}
	files, err := favicon.Make(o)
	if err != nil {
		return fmt.Errorf("content/site.yaml: favicon: %w", err)
	}
	for _, f := range files {
		if err := r.writeFile(f.Name, f.Data); err != nil {
			return err
		}
	}
	return nil
}

// hexColour parses #rrggbb or #rgb; nil for anything else (the default).
func hexColour(s string) color.Color {
	h, ok := strings.CutPrefix(strings.TrimSpace(s), "#")
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if !ok || len(h) != 6 || err != nil {
		return nil
	}
	return color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 0xff}
}
