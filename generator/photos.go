package generator

import (
	"context"
	"errors"
	"fmt"
	"path"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/photo"
	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/generator/render"
)

// makeImages is the third stage, images: it makes every image the pages of the run
// and content/site.yaml use, into the cache, from the sources check
// planned, and reports those whose pixels cannot be read. Photos already
// made with the same settings come from the cache in Config.CacheDir.
func (r *run) makeImages(ctx context.Context) error {
	type job struct {
		use  imageUse
		file string        // the file that names it
		rec  *problem.List // where its problem goes
	}
	var jobs []job
	add := func(file string, uses []imageUse, probs *problem.List) {
		for _, u := range uses {
			if r.images.planned(u) { // else missing, or refused by check
				jobs = append(jobs, job{u, file, probs})
			}
		}
	}
	if r.edit == nil {
		add("content/site.yaml", r.brand, &r.settings)
	}
	for _, p := range r.pages {
		rec := r.built[p]
		add(p.File, rec.images, &rec.probs)
	}
	failed := make([]error, len(jobs))
	decoded := r.images.decoded()
	err := each(ctx, r.cfg.Workers, len(jobs), func(i int) error {
		failed[i] = r.images.make(ctx, jobs[i].use)
		return nil
	})
	r.cfg.Logger.Debug("processed photos", "photos", len(jobs), "decoded", r.images.decoded()-decoded)
	if err != nil {
		return err
	}
	for i, j := range jobs {
		if err := reportImage(j.file, j.use, failed[i], j.rec); err != nil {
			return fmt.Errorf("process image %s: %w", j.use.file, err)
		}
	}
	return r.images.save()
}

// brandImages returns the images content/site.yaml names.
func brandImages(site *content.Site) []imageUse {
	cfg := site.Config
	var uses []imageUse
	add := func(field, name string) {
		if name != "" {
			file := render.BrandFile(name)
			uses = append(uses, imageUse{file: file, line: site.ConfigLines[field], field: field, what: path.Base(file)})
		}
	}
	add("logo", cfg.Logo)
	add("hero", cfg.Hero)
	add("share_image", cfg.ShareImage)
	for i, ms := range cfg.Memberships {
		add(fmt.Sprintf("memberships[%d].logo", i), ms.Logo)
	}
	return uses
}

// planImages plans the photos a page's front matter names: a case's
// photos, a team member's photo. Its Markdown images are planned while
// its Markdown is rendered.
func (r *run) planImages(p *content.Page, rec *built) error {
	var uses []imageUse
	if p.Case != nil {
		for _, ph := range p.Case.Photos {
			for _, ref := range []content.FileRef{ph.BeforeFile, ph.AfterFile} {
				if ref.Path != "" {
					uses = append(uses, imageUse{file: ref.Path, photo: true, line: ref.Line, field: ref.Field, what: path.Base(ref.Path)})
				}
			}
		}
	}
	if p.Member != nil {
		if ref := p.Member.PhotoFile; ref.Path != "" {
			uses = append(uses, imageUse{file: ref.Path, line: ref.Line, field: ref.Field, what: path.Base(ref.Path)})
		}
	}
	rec.images = append(rec.images, uses...)
	return r.planUses(uses)
}

// planUses plans the images of uses whose file exists: a missing file was
// reported when the site was loaded.
func (r *run) planUses(uses []imageUse) error {
	for _, u := range uses {
		if fileExists(r.cfg.Site, u.file) {
			r.images.plan(u)
		}
	}
	return nil
}

// reportImages reports in probs the images of uses that cannot be
// published, as far as check knows: what their headers show.
func (r *run) reportImages(file string, uses []imageUse, probs *problem.List) error {
	for _, u := range uses {
		if err := reportImage(file, u, r.images.failed(u), probs); err != nil {
			return fmt.Errorf("process image %s: %w", u.file, err)
		}
	}
	return nil
}

// reportImage reports a source that staff can fix in probs, at the line
// that names it; any other failure is returned.
func reportImage(file string, u imageUse, err error, probs *problem.List) error {
	var srcErr *photo.SourceError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &srcErr):
		probs.Errorf(file, u.line, u.field, "%s: %s", u.what, srcErr.Msg)
		return nil
	}
	return err
}
