package generator

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/maillogo"
	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/generator/render"
)

// emailLogo publishes the copy of site.yaml's logo that emails show, a
// PNG at maillogo.Path. A logo that cannot be drawn is a warning: the
// emails then show the practice's name as text.
func (b *builder) emailLogo(site *content.Site, out output, probs *problem.List) error {
	cfg := site.Config
	if cfg.Logo == "" {
		return nil
	}
	file := render.BrandFile(cfg.Logo)
	src, err := fs.ReadFile(b.fsys, file)
	if err != nil {
		return nil // reported when the site was loaded
	}
	logo, err := maillogo.Make(file, src)
	if err != nil {
		probs.Warnf("content/site.yaml", site.ConfigLines["logo"], "logo", "%s: %v; until then emails show the practice's name as text", strings.TrimPrefix(file, "content/"), err)
		return nil
	}
	if err := out.WriteFile(maillogo.Path, logo.PNG); err != nil {
		return fmt.Errorf("write email logo: %w", err)
	}
	return nil
}
