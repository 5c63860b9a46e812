package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"github.com/consultahq/consulta/generator/maillogo"
)

// output receives the built site's files. name is a slash-separated path
// under the output root, e.g. "procedures/rhinoplasty/index.html". Build
// writes to a folder, Live to memory.
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

// writeFile writes one file of the site to the output, counting it.
func (r *run) writeFile(name string, data []byte) error {
	if err := r.out.WriteFile(name, data); err != nil {
		return err
	}
	r.files.Add(1)
	r.bytes.Add(int64(len(data)))
	return nil
}

// pageFile is the output file of a page URL: /x/y/ → x/y/index.html.
func pageFile(url string) string {
	if strings.HasSuffix(url, "/") {
		return strings.TrimPrefix(url, "/") + "index.html"
	}
	return strings.TrimPrefix(url, "/")
}

// write is the last stage: it writes what is not rendered. For the whole
// site that is the theme's assets, the images made, the files pages link
// to, the favicons, the logo emails show and the site's static/ folder;
// after an edit, what the changed pages use.
func (r *run) write(ctx context.Context) error {
	var files []bundleFile
	for _, p := range r.pages {
		files = append(files, r.built[p].files...)
	}
	if err := r.images.write(r.out); err != nil {
		return err
	}
	if err := r.linked(ctx, files); err != nil {
		return err
	}
	if r.edit != nil {
		return nil // the sitemap's lastmod may lag until the next edit of front matter
	}
	for _, a := range r.theme.Assets() {
		if err := r.writeFile(strings.TrimPrefix(a.Path, "/"), a.Data); err != nil {
			return err
		}
	}
	if r.emailLogo != nil {
		if err := r.writeFile(maillogo.Path, r.emailLogo); err != nil {
			return fmt.Errorf("write email logo: %w", err)
		}
	}
	if err := r.icons(); err != nil {
		return err
	}
	return r.static(ctx)
}

// linked publishes the files pages link to.
func (r *run) linked(ctx context.Context, files []bundleFile) error {
	for _, f := range files {
		if err := r.copy(ctx, f.src, f.dst); err != nil {
			return err
		}
	}
	return nil
}

func (r *run) copy(ctx context.Context, src, dst string) error {
	if kind := uncleanable(src); kind != "" {
		return fmt.Errorf("%s: a %s %s", src, kind, uncleanableFix)
	}
	if isRaster(src) {
		// A JPEG or PNG is never published as it is: its picture alone is.
		data, err := r.images.clean(ctx, src)
		if err != nil {
			return fmt.Errorf("publish %s: %w", src, err)
		}
		return r.writeFile(dst, data)
	}
	data, err := fs.ReadFile(r.cfg.Site, src)
	if err != nil {
		return fmt.Errorf("publish %s: %w", src, err)
	}
	return r.writeFile(dst, data)
}

// static publishes the site's static/ folder, if it has one: every file
// as it is, but JPEG and PNG files, which are re-encoded from their
// pixels (no EXIF, GPS or comments) at their own path and size.
func (r *run) static(ctx context.Context) error {
	err := fs.WalkDir(r.cfg.Site, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		return r.copy(ctx, p, strings.TrimPrefix(p, "static/"))
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
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
