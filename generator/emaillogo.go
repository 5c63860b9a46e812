package generator

import (
	"io/fs"
	"strings"

	"github.com/consultahq/consulta/generator/maillogo"
	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/generator/render"
)

// makeEmailLogo makes the copy of site.yaml's logo that emails show, a
// PNG the write stage publishes at maillogo.Path; nil without a logo. A
// logo that cannot be drawn is a warning: the emails then show the
// practice's name as text.
func (r *run) makeEmailLogo(probs *problem.List) []byte {
	cfg := r.site.Config
	if cfg.Logo == "" {
		return nil
	}
	file := render.BrandFile(cfg.Logo)
	src, err := fs.ReadFile(r.cfg.Site, file)
	if err != nil {
		return nil // reported when the site was loaded
	}
	logo, err := maillogo.Make(file, src)
	if err != nil {
		probs.Warnf("content/site.yaml", r.site.ConfigLines["logo"], "logo", "%s: %v; until then emails show the practice's name as text", strings.TrimPrefix(file, "content/"), err)
		return nil
	}
	return logo.PNG
}
