package generator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/photo"
	"github.com/consultahq/consulta/generator/render"
)

// imageDir is the output folder of images other than case photos: team
// photos, the brand's images and the images of Markdown. Their names are
// hashes of their content, like photos'.
const imageDir = "images"

// images publishes every image of the site that is not a case photo: a
// JPEG goes through the photo pipeline (upright, resized to the site's
// widths, re-encoded without EXIF, GPS or comments), a PNG is re-encoded
// from its pixels at its own size (graphics keep their transparency), an
// SVG is published as it is. Each source is processed once a run, from
// the cache when it can be; what is made is written to the output by
// [images.write].
type images struct {
	fsys   fs.FS
	photos *photo.Processor // the site's widths, no watermark
	whole  *photo.Processor // one width, the source's own: for files published at their own path
	max    int              // max pixels

	mu   sync.Mutex
	done map[string]*published // by source file
}

// published is what one source made.
type published struct {
	img   render.Image
	files []outFile
	err   error

	once  sync.Once   // made once, however many pages use the source at once
	ready atomic.Bool // the fields above are set
}

// outFile is one output file: its bytes, or the cache file holding them.
type outFile struct {
	name   string // under the output root
	data   []byte
	cached string
}

func newImages(fsys fs.FS, cacheDir string, cfg content.Config) (*images, error) {
	opts := photo.Options{CacheDir: filepath.Join(cacheDir, "images"), Widths: cfg.Photos.Widths, Quality: cfg.Photos.Quality, MaxPixels: cfg.Photos.MaxPixels}
	photos, err := photo.New(opts)
	if err != nil {
		return nil, err
	}
	opts.Widths = []int{8000} // the largest width allowed: every source is narrower
	whole, err := photo.New(opts)
	if err != nil {
		return nil, err
	}
	return &images{fsys: fsys, photos: photos, whole: whole, max: cfg.Photos.MaxPixels, done: map[string]*published{}}, nil
}

// uncleanable returns the format of a photo file that can carry the
// camera's data (GPS position, serial number) but that the photo pipeline
// cannot re-encode, such as "WebP"; "" for any other file. Such a file is
// never published: staff are asked to save it as JPEG or PNG.
func uncleanable(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".webp":
		return "WebP"
	case ".tif", ".tiff":
		return "TIFF"
	case ".heic", ".heif":
		return "HEIC"
	case ".avif":
		return "AVIF"
	}
	return ""
}

// uncleanableFix is what staff are told of an uncleanable file.
const uncleanableFix = "file can keep the camera's data (such as its GPS position) when published — save it as JPEG or PNG"

// isRaster reports whether a file name is a JPEG's or a PNG's: the files
// that are never published as they are.
func isRaster(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png":
		return true
	}
	return false
}

// image publishes the source file under images/ and returns it as pages
// show it. A source that cannot be published is a *photo.SourceError.
func (im *images) image(ctx context.Context, file string) (render.Image, error) {
	p := im.get(file, func() *published { return im.make(ctx, file) })
	return p.img, p.err
}

// get returns the result of a source, making it with f once: workers
// that ask for the same source meanwhile wait for that one result.
func (im *images) get(key string, f func() *published) *published {
	im.mu.Lock()
	p, ok := im.done[key]
	if !ok {
		p = &published{}
		im.done[key] = p
	}
	im.mu.Unlock()
	p.once.Do(func() {
		r := f()
		p.img, p.files, p.err = r.img, r.files, r.err
		p.ready.Store(true)
	})
	return p
}

func (im *images) make(ctx context.Context, file string) *published {
	src, err := fs.ReadFile(im.fsys, file)
	if err != nil {
		return &published{err: fmt.Errorf("read %s: %w", file, err)}
	}
	sum := sha256.Sum256(src)
	hash := hex.EncodeToString(sum[:])[:16]
	switch strings.ToLower(path.Ext(file)) {
	case ".svg":
		w, h := svgSize(src)
		name := path.Join(imageDir, hash+".svg")
		return &published{img: render.Image{Src: "/" + name, Width: w, Height: h}, files: []outFile{{name: name, data: src}}}
	case ".png":
		data, cfg, err := photo.CleanPNG(src, im.max)
		if err != nil {
			return &published{err: err}
		}
		name := path.Join(imageDir, hash+".png")
		return &published{img: render.Image{Src: "/" + name, Width: cfg.Width, Height: cfg.Height}, files: []outFile{{name: name, data: data}}}
	}
	r, err := im.photos.Process(ctx, src)
	if err != nil {
		return &published{err: err}
	}
	p := &published{}
	var set []string
	for _, v := range r.Variants {
		name := path.Join(imageDir, v.File)
		p.files = append(p.files, outFile{name: name, cached: im.photos.Path(v.File)})
		set = append(set, fmt.Sprintf("/%s %dw", name, v.Width))
	}
	mid := r.Variants[len(r.Variants)/2]
	p.img = render.Image{Src: "/" + path.Join(imageDir, mid.File), Srcset: strings.Join(set, ", "), Width: mid.Width, Height: mid.Height}
	return p
}

// clean returns the bytes to publish for a JPEG or PNG at its own path
// (a file of static/, or one a page links to): the picture alone, at its
// own size.
func (im *images) clean(ctx context.Context, file string) ([]byte, error) {
	p := im.get("whole:"+file, func() *published {
		src, err := fs.ReadFile(im.fsys, file)
		if err != nil {
			return &published{err: fmt.Errorf("read %s: %w", file, err)}
		}
		if strings.EqualFold(path.Ext(file), ".png") {
			data, _, err := photo.CleanPNG(src, im.max)
			return &published{files: []outFile{{data: data}}, err: err}
		}
		r, err := im.whole.Process(ctx, src)
		if err != nil {
			return &published{err: err}
		}
		return &published{files: []outFile{{cached: im.whole.Path(r.Variants[len(r.Variants)-1].File)}}}
	})
	if p.err != nil {
		return nil, p.err
	}
	f := p.files[0]
	if f.data != nil {
		return f.data, nil
	}
	return os.ReadFile(f.cached)
}

// failed returns why a source made by image could not be published, or nil.
func (im *images) failed(file string) error {
	im.mu.Lock()
	defer im.mu.Unlock()
	if p := im.done[file]; p != nil && p.ready.Load() {
		return p.err
	}
	return nil
}

// write puts every image made so far into out.
func (im *images) write(out output) error {
	im.mu.Lock()
	var files []outFile
	for _, p := range im.done {
		if p.ready.Load() && p.err == nil && p.img.Src != "" {
			files = append(files, p.files...)
		}
	}
	im.mu.Unlock()
	for _, f := range files {
		var err error
		if f.cached != "" {
			err = publishPhoto(out, f.cached, f.name)
		} else {
			err = out.WriteFile(f.name, f.data)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// save keeps the caches' indexes for the next run.
func (im *images) save() error {
	return errors.Join(im.photos.SaveIndex(), im.whole.SaveIndex())
}

// svgSize reads an SVG's size from its width and height, or its viewBox;
// 0, 0 when it says neither.
func svgSize(src []byte) (w, h int) {
	d := xml.NewDecoder(bytes.NewReader(src))
	for {
		tok, err := d.Token()
		if err != nil {
			return 0, 0
		}
		el, ok := tok.(xml.StartElement)
		if !ok || el.Name.Local != "svg" {
			continue
		}
		var vb string
		for _, a := range el.Attr {
			switch a.Name.Local {
			case "width":
				w = cssPixels(a.Value)
			case "height":
				h = cssPixels(a.Value)
			case "viewBox":
				vb = a.Value
			}
		}
		if f := strings.Fields(strings.ReplaceAll(vb, ",", " ")); (w == 0 || h == 0) && len(f) == 4 {
			vw, _ := strconv.ParseFloat(f[2], 64)
			vh, _ := strconv.ParseFloat(f[3], 64)
			w, h = int(vw+0.5), int(vh+0.5)
		}
		return w, h
	}
}

func cssPixels(s string) int {
	f, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(s), "px"), 64)
	if err != nil {
		return 0
	}
	return int(f + 0.5)
}
