package generator

import (
	"bufio"
	"bytes"
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
func (b *builder) emailLogo(cfg content.Config, out output, probs *problem.List) error {
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
		probs.Warnf("content/site.yaml", configLine(b.fsys, "logo"), "logo", "%s: %v; until then emails show the practice's name as text", strings.TrimPrefix(file, "content/"), err)
		return nil
	}
	if err := out.WriteFile(maillogo.Path, logo.PNG); err != nil {
		return fmt.Errorf("write email logo: %w", err)
	}
	return nil
}

// configLine returns the line of a top-level key of content/site.yaml, or
// 0 when it cannot be found.
func configLine(fsys fs.FS, key string) int {
	src, err := fs.ReadFile(fsys, "content/site.yaml")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		if rest, ok := strings.CutPrefix(sc.Text(), key); ok && strings.HasPrefix(strings.TrimLeft(rest, " \t"), ":") {
			return n
		}
	}
	return 0
}
