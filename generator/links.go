package generator

import (
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
	b       *builder
	site    *content.Site
	m       *made
	aliases map[string]bool
}

func newLinkChecker(b *builder, site *content.Site, m *made) *linkChecker {
	aliases := map[string]bool{}
	for _, p := range site.Pages {
		for _, a := range p.Aliases {
			aliases[a] = true
		}
	}
	return &linkChecker{b: b, site: site, m: m, aliases: aliases}
}

// pages checks the links of pages, keeping in m each page's problems and
// the files it links to.
func (c *linkChecker) pages(pages []*content.Page) {
	for _, p := range pages {
		probs := &problem.List{}
		c.m.files[p] = c.page(p, c.m.bodies[p], probs)
		c.m.links[p] = probs
	}
}

// page checks the body of p, reporting problems in probs, and returns
// the files p links to.
func (c *linkChecker) page(p *content.Page, bd body, probs *problem.List) []bundleFile {
	for _, line := range bd.rawHTML {
		probs.Warnf(p.File, line, "", "raw HTML is left out of the page — write it in Markdown, or keep it with \"markdown: {unsafe_html: true}\" in content/site.yaml")
	}
	var files []bundleFile
	for _, l := range bd.links {
		if f, ok := c.link(p, l, probs); ok {
			files = append(files, f)
		}
	}
	return files
}

func (c *linkChecker) link(p *content.Page, l markdown.Link, probs *problem.List) (bundleFile, bool) {
	dest := l.Dest
	if markdown.IsExternal(dest) {
		var ok bool
		if dest, ok = c.ownURL(dest); !ok {
			return bundleFile{}, false
		}
	}
	if dest == "" {
		return bundleFile{}, false
	}
	dest, frag, _ := strings.Cut(dest, "#")
	dest, _, _ = strings.Cut(dest, "?")
	if dest == "" {
		c.fragment(p, p, frag, l, probs)
		return bundleFile{}, false
	}
	what := "link"
	if l.Image {
		what = "image"
	}
	if path.Ext(dest) != "" && path.Ext(dest) != ".html" || l.Image {
		src, _ := markdown.Resolve(pageDir(p), dest)
		if !fileExists(c.b.fsys, src) {
			probs.Errorf(p.File, l.Line, "", "%s %q: no file %s — check the name, or add the file", what, l.Dest, src)
			return bundleFile{}, false
		}
		if kind := uncleanable(src); kind != "" {
			probs.Errorf(p.File, l.Line, "", "%s %q: a %s %s", what, l.Dest, kind, uncleanableFix)
			return bundleFile{}, false
		}
		if l.Image && isRaster(src) && c.m.images != nil {
			if err := c.m.images.failed(src); err != nil {
				probs.Errorf(p.File, l.Line, "", "image %q: %s", l.Dest, err)
			}
			return bundleFile{}, false // published under images/ by the image step
		}
		if strings.HasPrefix(dest, "/") {
			return bundleFile{}, false // static/ is published whole
		}
		return bundleFile{src: src, dst: strings.TrimPrefix(path.Join(p.URL, dest), "/")}, true
	}
	u := dest
	if !strings.HasPrefix(u, "/") {
		u = path.Join(p.URL, dest)
	}
	u = strings.TrimSuffix(u, "index.html")
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	if target, ok := c.site.ByURL[u]; ok {
		c.fragment(p, target, frag, l, probs)
		return bundleFile{}, false
	}
	if c.aliases[u] || c.site.Failed[u] != nil || strings.HasPrefix(u, "/v1/") {
		return bundleFile{}, false
	}
	probs.Errorf(p.File, l.Line, "", "link %q goes to no page%s — check the address, or remove the link", l.Dest, suggestURL(c.site, u))
	return bundleFile{}, false
}

// ownURL returns the path of a full link to the site's own address
// (base_url), such as https://www.example.org/financing/ → /financing/,
// so that it is checked like /financing/; false for another site's.
func (c *linkChecker) ownURL(dest string) (string, bool) {
	base := strings.TrimSuffix(c.site.Config.BaseURL, "/")
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
	bd, rendered := c.m.bodies[target]
	if !rendered || slices.Contains(bd.ids, frag) {
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
