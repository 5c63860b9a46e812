package generator

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/markdown"
	"github.com/consultahq/consulta/generator/problem"
)

// bundleFile is a file a page's Markdown links to, published beside the page.
type bundleFile struct {
	src string // in the site folder
	dst string // under the output root
}

// linkChecker checks pages' links against a site.
type linkChecker struct {
	r       *run
	aliases map[string]bool
}

func newLinkChecker(r *run) *linkChecker {
	aliases := map[string]bool{}
	for _, p := range r.site.Pages {
		for _, a := range p.Aliases {
			aliases[a] = true
		}
	}
	return &linkChecker{r: r, aliases: aliases}
}

// page checks the links of p, reporting problems in its record with the
// files p links to and the images it shows.
func (c *linkChecker) page(p *content.Page, rec *built) {
	for _, line := range rec.rawHTML {
		rec.probs.Warnf(p.File, line, "", "raw HTML is left out of the page — write it in Markdown, or keep it with \"markdown: {unsafe_html: true}\" in content/site.yaml")
	}
	for _, l := range rec.links {
		c.link(p, rec, l)
	}
}

// link checks one link of p, adding to its record the file it links to or
// the image it shows.
func (c *linkChecker) link(p *content.Page, rec *built, l markdown.Link) {
	probs := &rec.probs
	dest := l.Dest
	if markdown.IsExternal(dest) {
		var ok bool
		if dest, ok = c.ownURL(dest); !ok {
			return
		}
	}
	if dest == "" {
		return
	}
	dest, frag, _ := strings.Cut(dest, "#")
	dest, _, _ = strings.Cut(dest, "?")
	if dest == "" {
		c.fragment(p, p, frag, l, probs)
		return
	}
	what := "link"
	if l.Image {
		what = "image"
	}
	if path.Ext(dest) != "" && path.Ext(dest) != ".html" || l.Image {
		src, _ := markdown.Resolve(pageDir(p), dest)
		if !fileExists(c.r.cfg.Site, src) {
			probs.Errorf(p.File, l.Line, "", "%s %q: no file %s%s", what, l.Dest, src, content.FileHint(c.r.cfg.Site, src))
			return
		}
		if kind := uncleanable(src); kind != "" {
			probs.Errorf(p.File, l.Line, "", "%s %q: a %s %s", what, l.Dest, kind, uncleanableFix)
			return
		}
		if l.Image && isRaster(src) {
			// Published under images/, as planned when the Markdown was rendered.
			rec.images = append(rec.images, imageUse{file: src, line: l.Line, what: fmt.Sprintf("image %q", l.Dest)})
			return
		}
		if strings.HasPrefix(dest, "/") {
			return // static/ is published whole
		}
		rec.files = append(rec.files, bundleFile{src: src, dst: strings.TrimPrefix(path.Join(p.URL, dest), "/")})
		return
	}
	u := dest
	if !strings.HasPrefix(u, "/") {
		u = path.Join(p.URL, dest)
	}
	u = strings.TrimSuffix(u, "index.html")
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	site := c.r.site
	if target, ok := site.ByURL[u]; ok {
		c.fragment(p, target, frag, l, probs)
		return
	}
	if c.aliases[u] || site.Failed[u] != nil || strings.HasPrefix(u, "/v1/") {
		return
	}
	probs.Errorf(p.File, l.Line, "", "link %q goes to no page%s — check the address, or remove the link", l.Dest, suggestURL(site, u))
}

// ownURL returns the path of a full link to the site's own address
// (base_url), such as https://www.example.org/financing/ → /financing/,
// so that it is checked like /financing/; false for another site's.
func (c *linkChecker) ownURL(dest string) (string, bool) {
	base := strings.TrimSuffix(c.r.site.Config.BaseURL, "/")
	if base == "" {
		return "", false
	}
	for _, b := range []string{base, strings.Replace(base, "https://", "http://", 1)} {
		if rest, ok := strings.CutPrefix(dest, b); ok && (rest == "" || strings.ContainsAny(rest[:1], "/?#")) {
			if rest == "" || rest[0] != '/' {
				rest = "/" + rest
			}
			return rest, true
		}
	}
	return "", false
}

func (c *linkChecker) fragment(p, target *content.Page, frag string, l markdown.Link, probs *problem.List) {
	if frag == "" || frag == "top" {
		return
	}
	bd := c.r.built[target]
	if bd == nil || slices.Contains(bd.IDs, frag) {
		return // the theme's own anchors on pages not rendered here are not known
	}
	probs.Errorf(p.File, l.Line, "", "link %q: %s has no heading with the id %q — check the heading, or give it one with {#%s}", l.Dest, target.URL, frag, frag)
}

// suggestURL returns " (did you mean /x/?)" for the pages of u's folder
// that u likely meant, by their address, their title or an old address
// (an alias): "/procedures/eyelid-surgery/" finds the procedure titled
// "Eyelid surgery", whatever its address. "" when none is near.
func suggestURL(site *content.Site, u string) string {
	dir := path.Dir(strings.TrimSuffix(u, "/"))
	var near []problem.Candidate
	for url, p := range site.ByURL {
		if path.Dir(strings.TrimSuffix(url, "/")) != dir {
			continue
		}
		c := problem.Candidate{Name: url, Also: []string{path.Base(url), p.Title}}
		for _, a := range p.Aliases {
			c.Also = append(c.Also, path.Base(a))
		}
		near = append(near, c)
	}
	slices.SortFunc(near, func(a, b problem.Candidate) int { return strings.Compare(a.Name, b.Name) })
	if best := problem.Suggest(path.Base(u), near); len(best) > 0 {
		return " (did you mean " + strings.Join(best, " or ") + "?)"
	}
	return ""
}

func fileExists(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && !info.IsDir()
}
