package generator

import (
	"bufio"
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

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/photo"
	"github.com/consultahq/consulta/generator/problem"
)

// photoDir is the output folder of processed photos. Their names are
// hashes, so nothing of a case or a patient shows in their URLs.
const photoDir = "photos"

// processPhotos publishes every published case's photos: it fills each
// PhotoPair's BeforeImage and AfterImage, writes the resized files to out
// and reports photos it cannot use in probs. Photos already processed
// with the same settings come from the cache in cfg.CacheDir/photos.
func (b *builder) processPhotos(ctx context.Context, site *content.Site, out output, probs *problem.List) error {
	type job struct {
		page  *content.Page
		img   *content.Image
		name  string // as written in the front matter
		field string // e.g. "photos[0].before"
	}
	var jobs []job
	for _, p := range site.Cases {
		for i := range p.Case.Photos {
			ph := &p.Case.Photos[i]
			jobs = append(jobs,
				job{p, &ph.BeforeImage, ph.Before, fmt.Sprintf("photos[%d].before", i)},
				job{p, &ph.AfterImage, ph.After, fmt.Sprintf("photos[%d].after", i)})
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	proc, err := b.photoProcessor(site.Config)
	if err != nil {
		return err
	}
	var (
		mu    sync.Mutex
		found problem.List
	)
	err = parallel(ctx, b.cfg.Workers, len(jobs), func(i int) error {
		j := jobs[i]
		file := casePhotoFile(j.page, j.name)
		r, err := proc.ProcessFile(ctx, b.fsys, file)
		var srcErr *photo.SourceError
		if errors.As(err, &srcErr) {
			mu.Lock()
			found.Errorf(j.page.File, photoLine(b.fsys, j.page, j.name), j.field, "%s: %s", j.name, srcErr.Msg)
			mu.Unlock()
			return nil
		}
		if err != nil {
			return fmt.Errorf("process photo %s: %w", file, err)
		}
		*j.img = publishedImage(r)
		for _, v := range r.Variants {
			if err := publishPhoto(out, proc.Path(v.File), path.Join(photoDir, v.File)); err != nil {
				return err
			}
		}
		return nil
	})
	probs.Merge(&found)
	b.cfg.Logger.Debug("processed photos", "photos", len(jobs), "decoded", proc.Decoded())
	if err != nil {
		return err
	}
	return proc.SaveIndex()
}

// photoProcessor makes the photo processor for the site's settings.
func (b *builder) photoProcessor(cfg content.Config) (*photo.Processor, error) {
	opts := photo.Options{
		CacheDir:  filepath.Join(b.cfg.CacheDir, "photos"),
		Widths:    cfg.Photos.Widths,
		Quality:   cfg.Photos.Quality,
		MaxPixels: cfg.Photos.MaxPixels,
	}
	if wm := cfg.Photos.Watermark; wm != nil {
		opts.Watermark = &photo.Watermark{Text: wm.Text, Position: wm.Position, Opacity: wm.Opacity}
		if wm.Logo != "" {
			logo, err := fs.ReadFile(b.fsys, path.Join("content", wm.Logo))
			if err != nil {
				return nil, fmt.Errorf("read watermark logo: %w", err)
			}
			opts.Watermark.Logo = logo
		}
	}
	return photo.New(opts)
}

// publishedImage describes the outputs of a photo for templates: the
// middle width as src, every width in srcset.
func publishedImage(r photo.Result) content.Image {
	var set []string
	for _, v := range r.Variants {
		set = append(set, fmt.Sprintf("/%s/%s %dw", photoDir, v.File, v.Width))
	}
	mid := r.Variants[len(r.Variants)/2]
	return content.Image{
		Src:    "/" + photoDir + "/" + mid.File,
		Srcset: strings.Join(set, ", "),
		Width:  mid.Width,
		Height: mid.Height,
	}
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
	if _, ok := out.(discardOutput); ok {
		return nil
	}
	data, err := os.ReadFile(cached)
	if err != nil {
		return fmt.Errorf("publish photo %s: %w", name, err)
	}
	return out.WriteFile(name, data)
}

// casePhotoFile resolves a file name written in a case's front matter: in
// the case's folder, or under content/ when it starts with "/".
func casePhotoFile(p *content.Page, name string) string {
	if rest, ok := strings.CutPrefix(name, "/"); ok {
		return path.Join("content", rest)
	}
	return path.Join(path.Dir(p.File), name)
}

// photoLine finds the front matter line that names a photo, for problems;
// 0 when it cannot be found.
func photoLine(fsys fs.FS, p *content.Page, name string) int {
	src, err := fs.ReadFile(fsys, p.File)
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan() && n < p.BodyLine; n++ {
		line := strings.TrimLeft(sc.Text(), " \t-")
		for _, key := range []string{"before:", "after:"} {
			if v, ok := strings.CutPrefix(line, key); ok && strings.Trim(strings.TrimSpace(v), `"'`) == name {
				return n
			}
		}
	}
	return 0
}
