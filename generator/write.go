package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/render"
)

// output receives the built site's files. name is a slash-separated path
// under the output root, e.g. "procedures/rhinoplasty/index.html". Build
// writes to a folder, serve to memory and check nowhere.
type output interface {
	WriteFile(name string, data []byte) error
}

// dirOutput writes into a folder. It is safe for concurrent use.
type dirOutput struct {
	root string
	dirs sync.Map // folders made so far
}

func (o *dirOutput) WriteFile(name string, data []byte) error {
	full := filepath.Join(o.root, filepath.FromSlash(name))
	dir := filepath.Dir(full)
	if _, done := o.dirs.Load(dir); !done {
		// Most folders are new and their parent made already: try that first.
		if err := os.Mkdir(dir, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return fmt.Errorf("write %s: %w", name, err)
			}
		}
		o.dirs.Store(dir, true)
	}
	if err := os.WriteFile(full, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	return nil
}

// discardOutput writes nothing, for consulta check.
type discardOutput struct{}

func (discardOutput) WriteFile(string, []byte) error { return nil }

// writer renders pages with the theme and writes them to out.
type writer struct {
	b       *builder
	site    *content.Site
	out     output
	opts    render.Options
	images  *images // cleans the JPEG and PNG files published at their own path
	files   atomic.Int64
	bytes   atomic.Int64
	aliases int
}

func (w *writer) write(name string, data []byte) error {
	if err := w.out.WriteFile(name, data); err != nil {
		return err
	}
	w.files.Add(1)
	w.bytes.Add(int64(len(data)))
	return nil
}

// pageFile is the output file of a page URL: /x/y/ → x/y/index.html.
func pageFile(url string) string {
	if strings.HasSuffix(url, "/") {
		return strings.TrimPrefix(url, "/") + "index.html"
	}
	return strings.TrimPrefix(url, "/")
}

// pages renders pages on every worker and writes them from one goroutine.
// Pages that list many others (home, sections, team members) go first, so
// that no long render is left for one worker at the end. Files created at
// once in one folder contend for its lock in the kernel: on the machines
// measured, writing from several goroutines cost more system time than all
// the rendering it overlapped, and writing in turn beside the renderers
// costs none.
func (w *writer) pages(ctx context.Context, pages []*content.Page) error {
	order := make([]*content.Page, 0, len(pages))
	for _, p := range pages {
		if lists(p) {
			order = append(order, p)
		}
	}
	for _, p := range pages {
		if !lists(p) {
			order = append(order, p)
		}
	}
	type file struct {
		name string
		buf  *bytes.Buffer
	}
	bufs := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	files := make(chan file, 4*w.b.cfg.Workers)
	written := make(chan error, 1)
	go func() {
		var err error
		for f := range files {
			if err == nil {
				err = w.write(f.name, f.buf.Bytes())
			}
			bufs.Put(f.buf)
		}
		written <- err
	}()
	err := each(ctx, w.b.cfg.Workers, len(order), func(i int) error {
		p := order[i]
		buf := bufs.Get().(*bytes.Buffer)
		buf.Reset()
		if err := w.b.theme.Page(buf, w.site, p, w.opts); err != nil {
			bufs.Put(buf)
			return fmt.Errorf("render %s: %w", p.File, err)
		}
		files <- file{pageFile(p.URL), buf}
		return nil
	})
	close(files)
	if werr := <-written; err == nil {
		err = werr
	}
	return err
}

func lists(p *content.Page) bool {
	return p.Kind == content.KindHome || p.Kind == content.KindSection || p.Kind == content.KindMember
}

// extras writes everything that is not a page: 404.html, sitemap.xml,
// robots.txt, alias redirects, the theme's assets, the files pages link
// to, the favicons and the site's static/ folder.
func (w *writer) extras(files []bundleFile) error {
	var buf bytes.Buffer
	gen := func(name string, f func() error) error {
		buf.Reset()
		if err := f(); err != nil {
			return fmt.Errorf("render %s: %w", name, err)
		}
		return w.write(name, buf.Bytes())
	}
	err := errors.Join(
		gen("404.html", func() error { return w.b.theme.NotFound(&buf, w.site, w.opts) }),
		gen("sitemap.xml", func() error { return render.Sitemap(&buf, w.site) }),
		gen("robots.txt", func() error { return render.Robots(&buf, w.site) }),
	)
	if err != nil {
		return err
	}
	for _, p := range w.site.Pages {
		for _, a := range p.Aliases {
			if err := gen(pageFile(a), func() error { return render.Alias(&buf, w.site, p) }); err != nil {
				return err
			}
			w.aliases++
		}
	}
	for _, a := range w.b.theme.Assets() {
		if err := w.write(strings.TrimPrefix(a.Path, "/"), a.Data); err != nil {
			return err
		}
	}
	if err := w.linked(files); err != nil {
		return err
	}
	if err := w.icons(); err != nil {
		return err
	}
	return w.static()
}

// linked publishes the files pages link to.
func (w *writer) linked(files []bundleFile) error {
	for _, f := range files {
		if err := w.copy(f.src, f.dst); err != nil {
			return err
		}
	}
	return nil
}

func (w *writer) copy(src, dst string) error {
	if kind := uncleanable(src); kind != "" {
		return fmt.Errorf("%s: a %s %s", src, kind, uncleanableFix)
	}
	if isRaster(src) && w.images != nil {
		// A JPEG or PNG is never published as it is: its picture alone is.
		data, err := w.images.clean(context.Background(), src)
		if err != nil {
			return fmt.Errorf("publish %s: %w", src, err)
		}
		return w.write(dst, data)
	}
	data, err := fs.ReadFile(w.b.fsys, src)
	if err != nil {
		return fmt.Errorf("publish %s: %w", src, err)
	}
	return w.write(dst, data)
}

// static publishes the site's static/ folder, if it has one: every file
// as it is, but JPEG and PNG files, which are re-encoded from their
// pixels (no EXIF, GPS or comments) at their own path and size.
func (w *writer) static() error {
	err := fs.WalkDir(w.b.fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		return w.copy(p, strings.TrimPrefix(p, "static/"))
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func fileExists(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && !info.IsDir()
}

// newOutputDir makes an empty folder beside out to build into.
func newOutputDir(out string) (string, error) {
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", fmt.Errorf("make output folder: %w", err)
	}
	if err := checkOutputDir(out); err != nil {
		return "", err
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(out)+".new-")
	if err != nil {
		return "", fmt.Errorf("make output folder: %w", err)
	}
	return tmp, nil
}

// checkOutputDir refuses to replace a folder that does not look like a
// previous build: one that is not empty and has no index.html.
func checkOutputDir(out string) error {
	entries, err := os.ReadDir(out)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read output folder: %w", err)
	}
	for _, e := range entries {
		if e.Name() == "index.html" || e.Name() == "404.html" {
			return nil
		}
	}
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), ".") {
			return fmt.Errorf("output folder %s holds files but no index.html, so it is not a previous build — empty it or choose another with -d", out)
		}
	}
	return nil
}

// swapIn replaces out with tmp: out is renamed aside, tmp renamed into
// place, and the old output removed. A .gitkeep placeholder is kept.
func swapIn(tmp, out string) error {
	keep := path.Join(filepath.ToSlash(out), ".gitkeep")
	if data, err := os.ReadFile(keep); err == nil {
		if err := os.WriteFile(filepath.Join(tmp, ".gitkeep"), data, 0o644); err != nil {
			return fmt.Errorf("keep .gitkeep: %w", err)
		}
	}
	old := ""
	if _, err := os.Stat(out); err == nil {
		old = tmp + ".old"
		if err := os.Rename(out, old); err != nil {
			return fmt.Errorf("move old output aside: %w", err)
		}
	}
	if err := os.Rename(tmp, out); err != nil {
		if old != "" {
			_ = os.Rename(old, out) // put the previous output back
		}
		return fmt.Errorf("move new output into place: %w", err)
	}
	if old != "" {
		if err := os.RemoveAll(old); err != nil {
			return fmt.Errorf("remove old output %s: %w", old, err)
		}
	}
	return nil
}
