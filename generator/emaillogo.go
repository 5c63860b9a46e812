package generator

import (
	"io/fs"
	"strings"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/maillogo"
	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/generator/render"
)

// makeEmailLogo makes the copy of site.yaml's logo that emails show, a
// PNG the write stage publishes at maillogo.Path; nil without a logo. A
// logo that cannot be drawn is a warning: the emails then show the
// practice's name as text.
func (r *run) makeEmailLogo(probs *problem.List) []byte {
	file, src := logoFile(r.cfg.Site, r.site.Config)
	if src == nil {
		return nil
	}
	logo, err := maillogo.Make(file, src)
	if err != nil {
		probs.Warnf("content/site.yaml", r.site.ConfigLines["logo"], "logo", "%s: %v; until then emails show the practice's name as text", strings.TrimPrefix(file, "content/"), err)
		return nil
	}
	return logo.PNG
}

// emailLogoOf is the email logo of site.yaml's logo, as the build
// publishes it: its address under base_url and its size, measured, not
// drawn. It is zero without a logo, or with one the build cannot draw.
func emailLogoOf(fsys fs.FS, cfg content.Config) EmailLogo {
	file, src := logoFile(fsys, cfg)
	if src == nil || cfg.BaseURL == "" {
		return EmailLogo{}
	}
	w, h, err := maillogo.Measure(file, src)
	if err != nil {
		return EmailLogo{} // the build warns
	}
	return EmailLogo{URL: strings.TrimSuffix(cfg.BaseURL, "/") + "/" + maillogo.Path, Width: w, Height: h}
}

// logoFile returns the name and the bytes of site.yaml's logo; nil
// bytes without a logo, or when it cannot be read (reported when the
// site was loaded).
func logoFile(fsys fs.FS, cfg content.Config) (string, []byte) {
	if cfg.Logo == "" {
		return "", nil
	}
	file := render.BrandFile(cfg.Logo)
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return file, nil
	}
	return file, src
}
