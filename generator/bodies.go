package generator

import (
	"context"
	"fmt"
	"html/template"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/markdown"
	"github.com/consultahq/consulta/generator/problem"
)

// body is what rendering a page's Markdown gave, beside the HTML stored in
// the page itself.
type body struct {
	links   []markdown.Link
	ids     []string
	rawHTML []int // lines of raw HTML left out
}

// renderBodies renders the Markdown of pages on every worker and sets each
// page's HTML. The result is indexed like pages.
func (b *builder) renderBodies(ctx context.Context, pages []*content.Page) ([]body, error) {
	bodies := make([]body, len(pages))
	err := parallel(ctx, b.cfg.Workers, len(pages), func(i int) error {
		p := pages[i]
		res, err := b.md.Render(markdown.Source{Body: p.Body, BodyLine: p.BodyLine, Dir: pageDir(p), FS: b.fsys})
		if err != nil {
			return fmt.Errorf("%s: %w", p.File, err)
		}
		p.HTML = template.HTML(res.HTML)
		bodies[i] = body{links: res.Links, ids: res.IDs, rawHTML: res.RawHTML}
		return nil
	})
	return bodies, err
}

// pageDir is the folder a page's relative links resolve against in the
// site folder.
func pageDir(p *content.Page) string {
	if p.Bundle != "" {
		return p.Bundle
	}
	return path.Dir(p.File)
}

// parallel calls f(0) … f(n-1) on workers goroutines, stopping at the
// first error or when ctx ends.
func parallel(ctx context.Context, workers, n int, f func(i int) error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	next := make(chan int)
	for range min(workers, max(n, 1)) {
		wg.Go(func() {
			for i := range next {
				if err := f(i); err != nil {
					mu.Lock()
					first = cmpErr(first, err)
					mu.Unlock()
				}
			}
		})
	}
feed:
	for i := range n {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
		mu.Lock()
		stop := first != nil
		mu.Unlock()
		if stop {
			break
		}
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// bundleFile is a file a page's Markdown links to, published beside the page.
type bundleFile struct {
	src string // in the site folder
	dst string // under the output root
}

// checkLinks reports internal links and images that lead nowhere, and
// returns the files of the site folder that pages link to, to publish.
func (b *builder) checkLinks(site *content.Site, pages []*content.Page, bodies []body, probs *problem.List) []bundleFile {
	ids := make(map[*content.Page][]string, len(pages))
	for i, p := range pages {
		ids[p] = bodies[i].ids
	}
	c := newLinkChecker(b, site, func(p *content.Page) ([]string, bool) {
		v, ok := ids[p]
		return v, ok
	})
	var files []bundleFile
	for i, p := range pages {
		files = append(files, c.page(p, bodies[i], probs)...)
	}
	return files
}

// linkChecker checks pages' links against a site.
type linkChecker struct {
	b       *builder
	site    *content.Site
	ids     func(*content.Page) ([]string, bool) // heading IDs of a page, if rendered
	aliases map[string]bool
}

func newLinkChecker(b *builder, site *content.Site, ids func(*content.Page) ([]string, bool)) *linkChecker {
	aliases := map[string]bool{}
	for _, p := range site.Pages {
		for _, a := range p.Aliases {
			aliases[a] = true
		}
	}
	return &linkChecker{b: b, site: site, ids: ids, aliases: aliases}
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
	if markdown.IsExternal(l.Dest) || l.Dest == "" {
		return bundleFile{}, false
	}
	dest, frag, _ := strings.Cut(l.Dest, "#")
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
	if c.aliases[u] || strings.HasPrefix(u, "/v1/") {
		return bundleFile{}, false
	}
	probs.Errorf(p.File, l.Line, "", "link %q goes to no page%s — check the address, or remove the link", l.Dest, suggestURL(c.site, u))
	return bundleFile{}, false
}

func (c *linkChecker) fragment(p, target *content.Page, frag string, l markdown.Link, probs *problem.List) {
	if frag == "" || frag == "top" {
		return
	}
	tids, rendered := c.ids(target)
	if !rendered || slices.Contains(tids, frag) {
		return // the theme's own anchors on pages not rendered here are not known
	}
	probs.Errorf(p.File, l.Line, "", "link %q: %s has no heading with the id %q — check the heading, or give it one with {#%s}", l.Dest, target.URL, frag, frag)
}

// suggestURL returns " (did you mean /x/?)" for the nearest URL of a page
// in the same folder, or "".
func suggestURL(site *content.Site, u string) string {
	dir := path.Dir(strings.TrimSuffix(u, "/"))
	var near []string
	for url := range site.ByURL {
		if path.Dir(strings.TrimSuffix(url, "/")) == dir {
			near = append(near, url)
		}
	}
	slices.Sort(near)
	if best := problem.Closest(u, near, max(3, len(u)/4)); best != "" {
		return " (did you mean " + best + "?)"
	}
	return ""
}
