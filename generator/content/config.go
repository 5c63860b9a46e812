package content

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/internal/form"
	"github.com/consultahq/consulta/themes"
)

const configPath = "content/site.yaml"

// DefaultCategories are the procedure categories of a site.yaml without any.
var DefaultCategories = []Category{
	{Slug: "face", Title: "Face", Order: 1},
	{Slug: "breast", Title: "Breast", Order: 2},
	{Slug: "body", Title: "Body", Order: 3},
	{Slug: "skin", Title: "Skin", Order: 4},
	{Slug: "non-surgical", Title: "Non-surgical", Order: 5},
}

type configFile struct {
	cfg   Config
	lines map[string]int
	probs problem.List
	read  bool // the file could be read and parsed: checks that depend on it may run
}

func (c *configFile) line(field string) int {
	if n, ok := c.lines[field]; ok {
		return n
	}
	return 1
}

// LoadConfig reads the site's settings, content/site.yaml, alone.
func LoadConfig(fsys fs.FS) (Config, *problem.List) {
	c := NewLoader(fsys).loadConfig()
	return c.cfg, &c.probs
}

// loadConfig reads content/site.yaml, fills in the defaults and checks it.
// A file that cannot be read gets the defaults too: they are the site's
// settings until it can, and nothing else fills them in.
func (l *Loader) loadConfig() *configFile {
	c := l.readConfig()
	c.defaults()
	if c.read {
		c.check()
		c.checkBrand(l.fsys)
	}
	return c
}

// readConfig reads and decodes content/site.yaml.
func (l *Loader) readConfig() *configFile {
	c := &configFile{lines: map[string]int{}}
	src, err := fs.ReadFile(l.fsys, configPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		c.probs.Errorf(configPath, 0, "", "missing — create it with at least the practice's name (name: …) and the site's address (base_url: https://…/)")
		return c
	case err != nil:
		c.probs.Errorf(configPath, 0, "", "cannot read: %v", err)
		return c
	}
	if line, msg := checkText(src, 0); msg != "" {
		c.probs.Errorf(configPath, line, "", "%s", msg)
		return c
	}
	doc, yerr := parseYAML(src, 0)
	if yerr != nil {
		c.probs.Errorf(configPath, yerr.line, yerr.field, "%s", yerr.msg)
		return c
	}
	c.read = true
	d := decoder{file: configPath, probs: &c.probs, lines: c.lines, fields: l.fields}
	d.document(doc, &c.cfg)
	return c
}

func (c *configFile) defaults() {
	cfg := &c.cfg
	cfg.Language = cmp.Or(cfg.Language, "en")
	cfg.Theme = cmp.Or(cfg.Theme, themes.Default)
	if cfg.BaseURL != "" && !strings.HasSuffix(cfg.BaseURL, "/") {
		cfg.BaseURL += "/"
	}
	if len(cfg.Categories) == 0 {
		cfg.Categories = slices.Clone(DefaultCategories)
	}
	for i := range cfg.Categories {
		ct := &cfg.Categories[i]
		ct.Title = cmp.Or(ct.Title, titleFromSlug(ct.Slug))
		if ct.Order == 0 {
			ct.Order = i + 1
		}
	}
	slices.SortStableFunc(cfg.Categories, func(a, b Category) int { return a.Order - b.Order })
	f := &cfg.Form
	f.Endpoint = cmp.Or(f.Endpoint, form.DefaultAction)
	f.Page = cmp.Or(f.Page, form.DefaultPage)
	f.ThankYou = cmp.Or(f.ThankYou, form.DefaultThankYou)
	if w := cfg.Photos.Watermark; w != nil {
		if w.Logo == "" {
			w.Text = cmp.Or(w.Text, cfg.Name)
		}
		w.Position = cmp.Or(w.Position, "bottom-right")
		if _, set := c.lines["photos.watermark.opacity"]; !set {
			w.Opacity = 0.35
		}
	}
	if cfg.Gallery.PerPage == 0 {
		cfg.Gallery.PerPage = 12
	}
	cfg.Gallery.Disclaimer = cmp.Or(cfg.Gallery.Disclaimer, "Individual results vary.")
}

func (c *configFile) check() {
	cfg := &c.cfg
	errf := func(field, format string, args ...any) {
		c.probs.Errorf(configPath, c.line(field), field, format, args...)
	}
	if strings.TrimSpace(cfg.Name) == "" {
		errf("name", "missing — add the practice's name, e.g. \"name: Harbour Aesthetic Surgery\"")
	}
	if cfg.BaseURL == "" {
		errf("base_url", "missing — add the site's address, e.g. \"base_url: https://www.example.org/\"")
	} else if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		errf("base_url", "%q is not an address — write the full address, e.g. https://www.example.org/", cfg.BaseURL)
	}
	seen := map[string]bool{}
	for i, ct := range cfg.Categories {
		field := fmt.Sprintf("categories[%d]", i)
		switch {
		case ct.Slug == "":
			errf(field, "a category needs a slug, e.g. \"slug: face\"")
		case seen[ct.Slug]:
			errf(field, "category %q is listed twice — remove one", ct.Slug)
		}
		seen[ct.Slug] = true
	}
	for slug := range cfg.Intake.Coordinators {
		if !seen[slug] {
			errf("intake.coordinators."+slug, "no category %q — use one of %s", slug, categoryList(cfg.Categories))
		}
	}
	if q := cfg.Photos.Quality; q < 0 || q > 100 {
		errf("photos.quality", "%d is out of range — write a JPEG quality from 1 to 100, e.g. 80", q)
	}
	for i, w := range cfg.Photos.Widths {
		if w < 16 || w > 8000 {
			field := fmt.Sprintf("photos.widths[%d]", i)
			errf(field, "%d is not a sensible width — write widths in pixels, e.g. 480, 960, 1440", w)
		}
	}
	if w := cfg.Photos.Watermark; w != nil {
		if !slices.Contains([]string{"bottom-right", "bottom-left", "top-right", "top-left", "center"}, w.Position) {
			errf("photos.watermark.position", "%q is not a position — write bottom-right, bottom-left, top-right, top-left or center", w.Position)
		}
		if w.Opacity < 0 || w.Opacity > 1 {
			errf("photos.watermark.opacity", "%v is out of range — write a number from 0 (invisible) to 1 (opaque), e.g. 0.35", w.Opacity)
		}
	}
	c.checkPalette()
	c.checkConsultation()
	c.checkClock()
	c.checkCare()
	c.checkAddresses()
	c.checkStaff()
	c.checkPhone()
}

// checkBrand checks that the brand's files exist and are of a kind the
// build can publish.
func (c *configFile) checkBrand(fsys fs.FS) {
	cfg := &c.cfg
	file := func(field, name string, exts ...string) {
		if name == "" {
			return
		}
		ext := strings.ToLower(path.Ext(name))
		switch {
		case !slices.Contains(exts, ext):
			c.probs.Errorf(configPath, c.line(field), field, "%q is not a %s file — use one of those formats", name, strings.Join(exts, " or "))
		case !fileExists(fsys, path.Join("content", strings.TrimPrefix(name, "/"))):
			rel := path.Join("content", strings.TrimPrefix(name, "/"))
			c.probs.Errorf(configPath, c.line(field), field, "no file %s (paths here are under content/)%s", rel, FileHint(fsys, rel))
		}
	}
	file("logo", cfg.Logo, ".svg", ".png")
	file("favicon", cfg.Favicon, ".png", ".jpg", ".jpeg")
	file("hero", cfg.Hero, ".jpg", ".jpeg", ".png")
	file("share_image", cfg.ShareImage, ".jpg", ".jpeg", ".png")
	for i, m := range cfg.Memberships {
		field := fmt.Sprintf("memberships[%d]", i)
		if strings.TrimSpace(m.Name) == "" {
			c.probs.Errorf(configPath, c.line(field), field+".name", "missing — name the body, e.g. \"name: British Association of Aesthetic Plastic Surgeons\"")
		}
		file(field+".logo", m.Logo, ".svg", ".png")
		if m.URL != "" && !webAddress(m.URL) {
			c.probs.Errorf(configPath, c.line(field+".url"), field+".url", "%q is not a web address — write the body's site in full, starting with https://", m.URL)
		}
	}
}

// checkPalette checks that each colour parses and that text colours have a
// contrast of at least 4.5:1 on the background (WCAG 2.2 AA).
func (c *configFile) checkPalette() {
	pal := c.cfg.Palette
	colours := map[string]string{"ink": pal.Ink, "paper": pal.Paper, "accent": pal.Accent, "muted": pal.Muted}
	lum := map[string]float64{}
	for _, name := range []string{"ink", "paper", "accent", "muted"} {
		v := colours[name]
		if v == "" {
			continue
		}
		l, ok := luminance(v)
		if !ok {
			c.probs.Errorf(configPath, c.line("palette."+name), "palette."+name, "%q is not a colour — write it as #rrggbb, e.g. #1f2a33", v)
			continue
		}
		lum[name] = l
	}
	paper, ok := lum["paper"]
	if !ok {
		return
	}
	for _, name := range []string{"ink", "accent", "muted"} {
		l, ok := lum[name]
		if !ok {
			continue
		}
		hi, lo := max(l, paper), min(l, paper)
		if ratio := (hi + 0.05) / (lo + 0.05); ratio < 4.5 {
			c.probs.Errorf(configPath, c.line("palette."+name), "palette."+name,
				"%s on %s has a contrast of %.1f:1, below the 4.5:1 patients need to read it — choose a darker or lighter colour", colours[name], pal.Paper, math.Floor(ratio*10)/10)
		}
	}
}

// luminance returns the relative luminance of a #rgb or #rrggbb colour.
func luminance(s string) (float64, bool) {
	h, ok := strings.CutPrefix(strings.TrimSpace(s), "#")
	if !ok || (len(h) != 3 && len(h) != 6) {
		return 0, false
	}
	if len(h) == 3 {
		h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
	}
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return 0, false
	}
	var l float64
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		ch := float64(v>>(16-8*i)&0xff) / 255
		if ch <= 0.04045 {
			ch /= 12.92
		} else {
			ch = math.Pow((ch+0.055)/1.055, 2.4)
		}
		l += weight * ch
	}
	return l, true
}

func categoryList(cs []Category) string {
	slugs := make([]string, len(cs))
	for i, c := range cs {
		slugs[i] = c.Slug
	}
	return strings.Join(slugs, ", ")
}
