package generator

import (
	"bytes"
	"context"
	"fmt"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/generator/render"
)

// checkGalleryURLs reports cases whose URL is taken by a generated gallery
// page, e.g. a case folder named like a procedure (/gallery/rhinoplasty/).
func checkGalleryURLs(site *content.Site, probs *problem.List) {
	for _, g := range render.GalleryPages(site) {
		if p := site.ByURL[g.URL]; p != nil && p.Kind == content.KindCase {
			probs.Errorf(p.File, 0, "", "the URL %s is the gallery page of %q — rename the case's folder so that it is not a procedure's name, e.g. add \"-case-1\"", g.URL, g.Title)
		}
	}
}

// galleryPages renders and writes the generated pages: the gallery's
// listing pages by page number, procedure, category and surgeon, the
// photos page of every sensitive case, and the consultation page of every
// procedure (/consultation/<procedure>/).
func (w *writer) galleryPages(ctx context.Context) error {
	pages := append(render.GalleryPages(w.site), render.ConsultationPages(w.site)...)
	return each(ctx, w.b.cfg.Workers, len(pages), func(i int) error {
		var buf bytes.Buffer
		if err := w.b.theme.Page(&buf, w.site, pages[i], w.opts); err != nil {
			return fmt.Errorf("render %s: %w", pages[i].URL, err)
		}
		return w.write(pageFile(pages[i].URL), buf.Bytes())
	})
}
