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
	"github.com/consultahq/consulta/generator/markdown"
	"github.com/consultahq/consulta/generator/photo"
	"github.com/consultahq/consulta/generator/render"
)

// The output folders of images. Their files are named by hashes of their
// content, so nothing of a case or a patient shows in their URLs.
const (
	photoDir = "photos" // case photos
	imageDir = "images" // every other image: team photos, the brand's images, the images of Markdown
)

// imageUse is one place that shows an image: a Markdown image, a case's
// photo, a team member's photo, or an image content/site.yaml names.
type imageUse struct {
	file  string // the source in the site folder, e.g. "content/gallery/case-1/before.jpg"
	photo bool   // a case photo: published under photos/, with the site's watermark
	line  int    // where the page names it
	field string // the front matter field that names it, or ""
	what  string // how a problem names it: the file's name, or `image "dest"` for a Markdown image
}

// images publishes the site's images: a JPEG goes through the photo
// pipeline (upright, resized to the site's widths, re-encoded without
// EXIF, GPS or comments), a PNG is re-encoded from its pixels at its own
// size (graphics keep their transparency), an SVG is published as it is.
//
// Each source is planned once, by check: its URL and sizes, and whether
// it can be published, read from its header and the cache, writing
// nothing. The images stage makes it, into the cache; the write stage
// copies what was made into the output.
type images struct {
	fsys   fs.FS
	photos *photo.Processor // case photos: the site's widths and watermark
	others *photo.Processor // other JPEGs: the site's widths
	whole  *photo.Processor // JPEGs published at their own path: one width, their own
	max    int              // max pixels

	mu   sync.RWMutex
	done map[string]*published // by key: the source file, after "photo:" for a case photo
}

// published is what one source makes.
type published struct {
	img   render.Image
	files []outFile
	err   error // why it cannot be published

	planned sync.Once
	ready   atomic.Bool // planned: img and err are set
	made    sync.Once
	written bool // to the output; guarded by images.mu
}

// outFile is one output file: its bytes, or the cache file holding them.
type outFile struct {
	name   string // under the output root
	data   []byte
	cached string
}

func newImages(fsys fs.FS, cacheDir string, cfg content.Config) (*images, error) {
	opts := photo.Options{Widths: cfg.Photos.Widths, Quality: cfg.Photos.Quality, MaxPixels: cfg.Photos.MaxPixels}
	if cacheDir != "" {
		opts.CacheDir = filepath.Join(cacheDir, "images")
	}
	others, err := photo.New(opts)
	if err != nil {
		return nil, err
	}
	opts.Widths = []int{8000} // the largest width allowed: every source is narrower
	whole, err := photo.New(opts)
	if err != nil {
		return nil, err
	}
	opts.Widths = cfg.Photos.Widths
	if cacheDir != "" {
		opts.CacheDir = filepath.Join(cacheDir, "photos")
	}
	if wm := cfg.Photos.Watermark; wm != nil {
		opts.Watermark = &photo.Watermark{Text: wm.Text, Position: wm.Position, Opacity: wm.Opacity}
		if wm.Logo != "" {
			logo, err := fs.ReadFile(fsys, path.Join("content", wm.Logo))
			if err != nil {
				return nil, fmt.Errorf("read watermark logo: %w", err)
			}
			opts.Watermark.Logo = logo
		}
	}
	photos, err := photo.New(opts)
	if err != nil {
		return nil, err
	}
	return &images{fsys: fsys, photos: photos, others: others, whole: whole, max: cfg.Photos.MaxPixels, done: map[string]*published{}}, nil
}

func (u imageUse) key() string {
	if u.photo {
		return "photo:" + u.file
	}
	return u.file
}

// get returns the published of key, new when it has none yet.
func (im *images) get(key string) *published {
	im.mu.Lock()
	defer im.mu.Unlock()
	p, ok := im.done[key]
	if !ok {
		p = &published{}
		im.done[key] = p
	}
	return p
}

// plan plans the image u uses, once; workers that ask for the same source
// meanwhile wait for that one plan. It reads, and writes nothing.
func (im *images) plan(u imageUse) *published {
	p := im.get(u.key())
	p.planned.Do(func() {
		p.img, p.files, p.err = im.planFile(u)
		p.ready.Store(true)
	})
	return p
}

func (im *images) planFile(u imageUse) (render.Image, []outFile, error) {
	if u.photo {
		r, err := im.photos.PlanFile(im.fsys, u.file)
		return publishedImage(photoDir, r), nil, err
	}
	ext := strings.ToLower(path.Ext(u.file))
	if ext != ".svg" && ext != ".png" {
		r, err := im.others.PlanFile(im.fsys, u.file)
		return publishedImage(imageDir, r), nil, err
	}
	src, err := fs.ReadFile(im.fsys, u.file)
	if err != nil {
		return render.Image{}, nil, fmt.Errorf("read %s: %w", u.file, err)
	}
	sum := sha256.Sum256(src)
	name := path.Join(imageDir, hex.EncodeToString(sum[:])[:16]+ext)
	if ext == ".svg" {
		w, h := svgSize(src)
		return render.Image{Src: "/" + name, Width: w, Height: h}, []outFile{{name: name, data: src}}, nil
	}
	cfg, err := photo.CheckPNG(src, im.max)
	return render.Image{Src: "/" + name, Width: cfg.Width, Height: cfg.Height}, nil, err
}

// make makes the image u uses into the cache, once, and returns why it
// cannot be published, or nil.
func (im *images) make(ctx context.Context, u imageUse) error {
	p := im.plan(u)
	p.made.Do(func() {
		if p.err != nil || p.files != nil {
			return // an SVG, or a source the plan refused
		}
		if strings.EqualFold(path.Ext(u.file), ".png") && !u.photo {
			src, err := fs.ReadFile(im.fsys, u.file)
			if err != nil {
				p.err = fmt.Errorf("read %s: %w", u.file, err)
				return
			}
			data, _, err := photo.CleanPNG(src, im.max)
			p.files, p.err = []outFile{{name: strings.TrimPrefix(p.img.Src, "/"), data: data}}, err
			return
		}
		proc, dir := im.others, imageDir
		if u.photo {
			proc, dir = im.photos, photoDir
		}
		r, err := proc.ProcessFile(ctx, im.fsys, u.file)
		if err != nil {
			p.err = err
			return
		}
		for _, v := range r.Variants {
			p.files = append(p.files, outFile{name: path.Join(dir, v.File), cached: proc.Path(v.File)})
		}
	})
	return p.err
}

// markdownImage is the Markdown renderer's Image: a page's JPEG or PNG
// image as planned. One that cannot be published is left as written:
// the link checker reports it.
func (im *images) markdownImage(file string) (markdown.Published, bool) {
	p := im.plan(imageUse{file: file})
	if p.err != nil {
		return markdown.Published{}, false
	}
	img := p.img
	return markdown.Published{Src: img.Src, Srcset: img.Srcset, Width: img.Width, Height: img.Height}, true
}

// image returns the published image of a source file: a case photo, else
// any other; zero when it has none.
func (im *images) image(file string) render.Image {
	im.mu.RLock()
	p := im.done["photo:"+file]
	if p == nil {
		p = im.done[file]
	}
	im.mu.RUnlock()
	if p == nil || !p.ready.Load() || p.err != nil {
		return render.Image{}
	}
	return p.img
}

// planned reports whether the image u uses was planned and can be published.
func (im *images) planned(u imageUse) bool {
	im.mu.RLock()
	p := im.done[u.key()]
	im.mu.RUnlock()
	return p != nil && p.ready.Load() && p.err == nil
}

// failed returns why the image u uses cannot be published, as far as it
// is known; nil when it was neither planned nor refused.
func (im *images) failed(u imageUse) error {
	im.mu.RLock()
	p := im.done[u.key()]
	im.mu.RUnlock()
	if p == nil || !p.ready.Load() {
		return nil
	}
	return p.err
}

// write puts every image made and not yet written into out.
func (im *images) write(out output) error {
	im.mu.Lock()
	var files []outFile
	for _, p := range im.done {
		if p.ready.Load() && p.err == nil && p.files != nil && !p.written {
			files = append(files, p.files...)
			p.written = true
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

// clean returns the bytes to publish for a JPEG or PNG at its own path
// (a file of static/, or one a page links to): the picture alone, at its
// own size.
func (im *images) clean(ctx context.Context, file string) ([]byte, error) {
	src, err := fs.ReadFile(im.fsys, file)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", file, err)
	}
	if strings.EqualFold(path.Ext(file), ".png") {
		data, _, err := photo.CleanPNG(src, im.max)
		return data, err
	}
	r, err := im.whole.Process(ctx, src)
	if err != nil {
		return nil, err
	}
	return os.ReadFile(im.whole.Path(r.Variants[len(r.Variants)-1].File))
}

// decoded reports how many sources were decoded so far: those that were
// not in the cache.
func (im *images) decoded() int64 { return im.photos.Decoded() + im.others.Decoded() }

// save keeps the caches' indexes for the next run.
func (im *images) save() error {
	return errors.Join(im.photos.SaveIndex(), im.others.SaveIndex(), im.whole.SaveIndex())
}

// publishedImage describes the outputs of a photo for templates: the
// middle width as src, every width in srcset.
func publishedImage(dir string, r photo.Result) render.Image {
	if len(r.Variants) == 0 {
		return render.Image{}
	}
	var set []string
	for _, v := range r.Variants {
		set = append(set, fmt.Sprintf("/%s/%s %dw", dir, v.File, v.Width))
	}
	mid := r.Variants[len(r.Variants)/2]
	return render.Image{Src: "/" + dir + "/" + mid.File, Srcset: strings.Join(set, ", "), Width: mid.Width, Height: mid.Height}
}

// publishPhoto puts a processed photo from the cache into the output:
// a hard link when the output is a folder on the same disk (no copy, so
// a rebuild stays fast), else a copy.
func publishPhoto(out output, cached, name string) error {
	if d, ok := out.(*dirOutput); ok {
		full := filepath.Join(d.root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		err := os.Link(cached, full)
		if err == nil || errors.Is(err, fs.ErrExist) {
			return nil
		}
	}
	data, err := os.ReadFile(cached)
	if err != nil {
		return fmt.Errorf("publish photo %s: %w", name, err)
	}
	return out.WriteFile(name, data)
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
