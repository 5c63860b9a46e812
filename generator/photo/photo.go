// Package photo publishes photos safely: it decodes a JPEG or PNG, turns
// it upright by its EXIF orientation, resizes it to a few widths with a
// Catmull-Rom filter and encodes each width as a new JPEG from the pixels
// alone, so that no EXIF, GPS position, camera serial, thumbnail or comment
// of the original survives.
//
// Output files are named by a hash of the source's content and the
// settings, never by the source's name, and are kept in a cache folder:
// processing a photo already in the cache decodes nothing.
//
// A Processor is safe for concurrent use; the bytes of decoded pixels held
// at once by all callers are bounded by Options.MemoryBudget.
package photo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
)

// Options configures a Processor. The zero value of each field means its default.
type Options struct {
	CacheDir     string     // where processed files are kept; "" for none: Plan works, Process fails
	Widths       []int      // output widths in pixels; default 480, 960, 1440
	Quality      int        // JPEG quality 1–100; default 80
	MaxPixels    int        // sources with more pixels are refused before decoding; default 50 000 000
	MemoryBudget int64      // bytes of decoded pixels held at once by all callers; default 192 MiB
	Watermark    *Watermark // drawn on every output when set
}

// version changes whenever a change to this package changes its output,
// so that cached files of older versions are not used.
const version = "consulta-photo/2"

func (o Options) withDefaults() Options {
	if len(o.Widths) == 0 {
		o.Widths = []int{480, 960, 1440}
	}
	o.Widths = slices.Clone(o.Widths)
	slices.Sort(o.Widths)
	o.Widths = slices.Compact(o.Widths)
	if o.Quality <= 0 {
		o.Quality = 80
	}
	o.Quality = min(o.Quality, 100)
	if o.MaxPixels <= 0 {
		o.MaxPixels = 50_000_000
	}
	if o.MemoryBudget <= 0 {
		o.MemoryBudget = 192 << 20
	}
	return o
}

// A Processor processes photos with one set of options.
type Processor struct {
	opts     Options
	settings []byte // hashed with every source to name its outputs
	budget   *budget
	mark     *marker
	enc      *encoder
	decoded  atomic.Int64
	bufs     sync.Pool // of *[]byte, for encoded files
	pixels   pixels    // buffers of planes

	settingsHash string // of settings, for the source index
	mu           sync.Mutex
	index        map[string]sourceStamp // by source file name
	dirty        bool
}

// New returns a Processor. It writes nothing: the cache folder is made
// when the first photo is processed.
func New(opts Options) (*Processor, error) {
	opts = opts.withDefaults()
	for _, w := range opts.Widths {
		if w <= 0 {
			return nil, fmt.Errorf("photo: width %d is not positive", w)
		}
	}
	mark, err := newMarker(opts.Watermark)
	if err != nil {
		return nil, err
	}
	settings := fmt.Appendf(nil, "%s widths=%v quality=%d", version, opts.Widths, opts.Quality)
	if w := opts.Watermark; w != nil {
		logo := sha256.Sum256(w.Logo)
		settings = fmt.Appendf(settings, " watermark=%q %q %g %x", w.Text, w.Position, w.Opacity, logo)
	}
	sum := sha256.Sum256(settings)
	p := &Processor{
		opts:         opts,
		settings:     settings,
		settingsHash: hex.EncodeToString(sum[:8]),
		budget:       newBudget(opts.MemoryBudget),
		mark:         mark,
		enc:          newEncoder(opts.Quality),
		bufs:         sync.Pool{New: func() any { return new([]byte) }},
	}
	p.loadIndex()
	return p, nil
}

// Result describes a processed photo.
type Result struct {
	Key      string    // hash of the source and the settings; every output's name starts with it
	Width    int       // upright size of the source
	Height   int       //
	Variants []Variant // one per width, narrowest first
}

// Variant is one output file.
type Variant struct {
	File   string // file name in the cache folder, e.g. "3f9c…-960.jpg"
	Width  int
	Height int
}

// SourceError is a problem with the source photo itself, which the people
// who supplied it can fix, as opposed to a failure to read or write files.
type SourceError struct {
	Msg string
}

// Error returns the problem, written for staff.
func (e *SourceError) Error() string { return e.Msg }

// Decoded reports how many sources this Processor has decoded: the ones
// that were not in the cache.
func (p *Processor) Decoded() int64 { return p.decoded.Load() }

// Path returns the path of an output file in the cache folder.
func (p *Processor) Path(file string) string { return filepath.Join(p.opts.CacheDir, file) }

// Process returns the outputs of the photo src (the bytes of a JPEG or
// PNG file), making them unless they are already in the cache. A source
// that cannot be published (not decodable, too large) is a *SourceError.
func (p *Processor) Process(ctx context.Context, src []byte) (Result, error) {
	if p.opts.CacheDir == "" {
		return Result{}, errors.New("photo: no cache folder")
	}
	key := p.key(src)
	if r, ok := p.cached(key); ok {
		return r, nil
	}
	r, err := p.make(ctx, key, src)
	if err != nil {
		return Result{}, err
	}
	manifest, err := json.Marshal(r)
	if err != nil {
		return Result{}, err
	}
	// The manifest is written last: its presence means every output is complete.
	if err := writeAtomic(p.Path(key+".json"), manifest); err != nil {
		return Result{}, err
	}
	return r, nil
}

// Plan returns what Process returns for src without decoding its pixels
// or writing anything: from the cache when the photo was processed
// before, else from the sizes its header gives. A source whose header
// shows it cannot be published (not a JPEG or PNG, too large) is a
// *SourceError; one whose pixels cannot be read is found by Process only.
func (p *Processor) Plan(src []byte) (Result, error) {
	key := p.key(src)
	if r, ok := p.cached(key); ok {
		return r, nil
	}
	r, _, err := p.plan(key, src)
	return r, err
}

// key names the outputs of src: a hash of the settings and the source.
func (p *Processor) key(src []byte) string {
	h := sha256.New()
	h.Write(p.settings)
	h.Write([]byte{0})
	h.Write(src)
	return hex.EncodeToString(h.Sum(nil))[:24]
}

// cached returns the result recorded in the cache for key, if every file
// of it is there.
func (p *Processor) cached(key string) (Result, bool) {
	if p.opts.CacheDir == "" {
		return Result{}, false
	}
	data, err := os.ReadFile(p.Path(key + ".json"))
	if err != nil {
		return Result{}, false
	}
	var r Result
	if json.Unmarshal(data, &r) != nil || r.Key != key || len(r.Variants) == 0 {
		return Result{}, false
	}
	for _, v := range r.Variants {
		if _, err := os.Stat(p.Path(v.File)); err != nil {
			return Result{}, false
		}
	}
	return r, true
}

// plan reads the header of src and returns the result of processing it,
// with its format.
func (p *Processor) plan(key string, src []byte) (Result, string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(src))
	if err != nil || (format != "jpeg" && format != "png") {
		return Result{}, "", &SourceError{Msg: "not a JPEG or PNG image that can be read — export it again as JPEG"}
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if cfg.Width <= 0 || cfg.Height <= 0 || pixels > int64(p.opts.MaxPixels) {
		return Result{}, "", &SourceError{Msg: fmt.Sprintf("%d×%d pixels is over the limit of %d pixels — export it smaller, e.g. 3000 pixels wide",
			cfg.Width, cfg.Height, p.opts.MaxPixels)}
	}
	r := Result{Key: key, Width: cfg.Width, Height: cfg.Height}
	if orientation(src).swapsAxes() {
		r.Width, r.Height = r.Height, r.Width
	}
	for _, w := range outputWidths(p.opts.Widths, r.Width) {
		h := max(1, (r.Height*w+r.Width/2)/r.Width)
		r.Variants = append(r.Variants, Variant{File: fmt.Sprintf("%s-%d.jpg", key, w), Width: w, Height: h})
	}
	return r, format, nil
}

// make decodes src and writes every output width into the cache.
func (p *Processor) make(ctx context.Context, key string, src []byte) (Result, error) {
	r, format, err := p.plan(key, src)
	if err != nil {
		return Result{}, err
	}
	// Decoded JPEG planes take 1.5–3 bytes a pixel, PNG 4–8 and its
	// conversion 7 more; resizing adds about one more copy.
	perPixel := int64(5)
	if format == "png" {
		perPixel = 16
	}
	need := int64(r.Width) * int64(r.Height) * perPixel
	if err := p.budget.acquire(ctx, need); err != nil {
		return Result{}, err
	}
	defer p.budget.release(need)

	var m image.Image
	if format == "jpeg" {
		m, err = jpeg.Decode(bytes.NewReader(src))
	} else {
		m, err = png.Decode(bytes.NewReader(src))
	}
	p.decoded.Add(1)
	if err != nil {
		return Result{}, &SourceError{Msg: fmt.Sprintf("cannot be read as %s (%v) — export it again as JPEG", format, err)}
	}
	planes := toYCC(m)
	orient := orientation(src)
	// Widest first, so that each narrower width is made from the width
	// before it: cheaper than from the source, and as good (within 0.1 dB
	// PSNR of a resize from the source, see TestProcessQuality).
	base, pooled := planes, false // pooled: base is an output, made from the pool
	for i := len(r.Variants) - 1; i >= 0; i-- {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		v := r.Variants[i]
		sw, sh := v.Width, v.Height // in the stored orientation
		if orient.swapsAxes() {
			sw, sh = v.Height, v.Width
		}
		small := base.resized(sw, sh, &p.pixels)
		out, made := small.upright(orient, &p.pixels)
		p.mark.draw(out)
		err := p.encode(v.File, out)
		p.pixels.free(made...)
		if pooled {
			p.pixels.free(base.y, base.cb, base.cr)
		}
		if err != nil {
			return Result{}, err
		}
		// out shares small's pixels when upright, so a watermarked output is no base.
		if i > 0 && p.mark == nil {
			base, pooled = small, true
		} else {
			p.pixels.free(small.y, small.cb, small.cr)
			base, pooled = planes, false
		}
	}
	return r, nil
}

// outputWidths returns the widths to make of a photo width wide: never
// wider than the photo, which is itself the widest when it is narrower
// than a requested width.
func outputWidths(widths []int, width int) []int {
	var out []int
	for _, w := range widths {
		w = min(w, width)
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func (p *Processor) encode(file string, m *image.YCbCr) error {
	buf := p.bufs.Get().(*[]byte)
	defer p.bufs.Put(buf)
	*buf = p.enc.encode((*buf)[:0], m)
	return writeAtomic(p.Path(file), *buf)
}

// writeAtomic writes data to a temporary file beside path and renames it,
// so that a crash never leaves a partial file under path.
// The cache folder is made when missing.
func writeAtomic(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return fmt.Errorf("make photo cache: %w", err)
		}
		f, err = os.CreateTemp(filepath.Dir(path), ".tmp-*")
	}
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(f.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
