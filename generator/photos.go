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

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/favicon"
	"github.com/consultahq/consulta/generator/photo"
	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/generator/render"
)

// photoDir is the output folder of processed photos. Their names are
// hashes, so nothing of a case or a patient shows in their URLs.
const photoDir = "photos"

// photos is step 3 of the pipeline: it publishes the photos of cases,
// writing the resized files to out and recording each photo's image in m
// by its source file, and reports photos it cannot use in probs. Photos
// whose file is missing were reported when the site was loaded. Photos
// already processed with the same settings come from the cache in
// cfg.CacheDir/photos.
func (b *builder) photos(ctx context.Context, site *content.Site, cases []*content.Page, out output, m *made, probs *problem.List) error {
	if err := b.siteImages(ctx, site, out, m, probs); err != nil {
		return err
	}
	type job struct {
		page string // the file that names the photo
		ref  content.FileRef
	}
	var jobs []job
	for _, p := range cases {
		for _, ph := range p.Case.Photos {
			for _, ref := range []content.FileRef{ph.BeforeFile, ph.AfterFile} {
				if ref.Path != "" {
					jobs = append(jobs, job{p.File, ref})
				}
			}
		}
	}
	if len(jobs) == 0 {
		return nil
	}
	proc, err := b.photoProcessor(site.Config)
	if err != nil {
		return err
	}
	var found problem.List
	err = each(ctx, b.cfg.Workers, len(jobs), func(i int) error {
		ref := jobs[i].ref
		r, err := proc.ProcessFile(ctx, b.fsys, ref.Path)
		var srcErr *photo.SourceError
		if errors.As(err, &srcErr) {
			m.mu.Lock()
			found.Errorf(jobs[i].page, ref.Line, ref.Field, "%s: %s", path.Base(ref.Path), srcErr.Msg)
			m.mu.Unlock()
			return nil
		}
		if err != nil {
			return fmt.Errorf("process photo %s: %w", ref.Path, err)
		}
		for _, v := range r.Variants {
			if err := publishPhoto(out, proc.Path(v.File), path.Join(photoDir, v.File)); err != nil {
				return err
			}
		}
		m.mu.Lock()
		m.Images[ref.Path] = publishedImage(r)
		m.mu.Unlock()
		return nil
	})
	probs.Merge(&found)
	b.cfg.Logger.Debug("processed photos", "photos", len(jobs), "decoded", proc.Decoded())
	if err != nil {
		return err
	}
	return proc.SaveIndex()
}

// siteImages publishes the images that are not case photos: the brand's
// of site.yaml, team members' photos, and (already processed when the
// Markdown was rendered) the images of pages. Each is recorded in m by
// its source file. The logo's copy for emails is published too.
func (b *builder) siteImages(ctx context.Context, site *content.Site, out output, m *made, probs *problem.List) error {
	if m.images == nil {
		return nil
	}
	type job struct {
		file, page, field string
		line              int
	}
	cfg := site.Config
	var jobs []job
	for _, f := range []struct{ field, name string }{{"logo", cfg.Logo}, {"hero", cfg.Hero}, {"share_image", cfg.ShareImage}} {
		if f.name != "" {
			jobs = append(jobs, job{render.BrandFile(f.name), "content/site.yaml", f.field, site.ConfigLines[f.field]})
		}
	}
	for i, ms := range cfg.Memberships {
		if ms.Logo != "" {
			field := fmt.Sprintf("memberships[%d].logo", i)
			jobs = append(jobs, job{render.BrandFile(ms.Logo), "content/site.yaml", field, site.ConfigLines[field]})
		}
	}
	for _, p := range site.Members {
		if ref := p.Member.PhotoFile; ref.Path != "" {
			jobs = append(jobs, job{ref.Path, p.File, ref.Field, ref.Line})
		}
	}
	var found problem.List
	if cfg.Favicon != "" {
		file := render.BrandFile(cfg.Favicon)
		if src, err := fs.ReadFile(b.fsys, file); err == nil { // a missing file is reported when the site was loaded
			if err := favicon.Check(src); err != nil {
				found.Errorf("content/site.yaml", site.ConfigLines["favicon"], "favicon", "%s: %v", path.Base(file), err)
			}
		}
	}
	err := each(ctx, b.cfg.Workers, len(jobs), func(i int) error {
		j := jobs[i]
		if !fileExists(b.fsys, j.file) {
			return nil // reported when the site was loaded
		}
		img, err := m.images.image(ctx, j.file)
		var srcErr *photo.SourceError
		if errors.As(err, &srcErr) {
			m.mu.Lock()
			found.Errorf(j.page, j.line, j.field, "%s: %s", path.Base(j.file), srcErr.Msg)
			m.mu.Unlock()
			return nil
		}
		if err != nil {
			return fmt.Errorf("process image %s: %w", j.file, err)
		}
		m.mu.Lock()
		m.Images[j.file] = img
		m.mu.Unlock()
		return nil
	})
	probs.Merge(&found)
	if err != nil {
		return err
	}
	if err := b.emailLogo(site, out, probs); err != nil {
		return err
	}
	if err := m.images.write(out); err != nil {
		return err
	}
	return m.images.save()
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
func publishedImage(r photo.Result) render.Image {
	var set []string
	for _, v := range r.Variants {
		set = append(set, fmt.Sprintf("/%s/%s %dw", photoDir, v.File, v.Width))
	}
	mid := r.Variants[len(r.Variants)/2]
	return render.Image{
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
