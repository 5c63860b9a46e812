package render

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/internal/form"
)

// sitewideCache holds the parts of pages that depend on the site alone,
// made once for the last site asked for.
type sitewideCache struct {
	mu    sync.Mutex
	site  *content.Site
	html  map[string]template.HTML // by template name
	vals  siteValues
	parts map[part]template.HTML
}

// part is a template executed with data, for Theme.cached, by the data
// or by the keys the data is known by.
type part struct {
	name string
	key  [3]any
}

// siteValues are the fields of a View that depend on the site alone.
type siteValues struct {
	tel          template.URL // reading the phone number takes longer than rendering much of a page
	palette      template.CSS
	consultation string        // the first consultation in words, for BookNote and the form
	bestTimes    []form.Choice // the form's best times to call, from the practice's hours
}

// forSite empties the cache for the site s, unless it holds s already.
// It is called with mu held.
func (c *sitewideCache) forSite(s *content.Site) {
	if c.site != s {
		c.site, c.html, c.parts = s, map[string]template.HTML{}, map[part]template.HTML{}
		c.vals = siteValues{tel: telURL(s.Config.PhoneE164()), palette: paletteCSS(s.Config.Palette),
			consultation: s.Consultation(), bestTimes: form.Choices(s.Config.BestTimes()...)}
	}
}

// values returns the fields of a View that depend on the site alone.
func (c *sitewideCache) values(s *content.Site) siteValues {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.forSite(s)
	return c.vals
}

// sitewide renders the named template once for the site and gives every
// page after the same HTML: for a part of the page that reads the site
// alone, such as the footer, which is then not rendered again for each of
// thousands of pages. A theme asks for it with {{sitewide "footer" .}}
// where it would write {{template "footer" .}}; the template must read
// nothing of the page itself.
func (t *Theme) sitewide(name string, v *View) (template.HTML, error) {
	c := &t.once
	c.mu.Lock()
	c.forSite(v.Site)
	html, ok := c.html[name]
	c.mu.Unlock()
	if ok {
		return html, nil
	}
	var buf bytes.Buffer
	if err := t.layouts["page"].ExecuteTemplate(&buf, name, v); err != nil {
		return "", fmt.Errorf("sitewide %q: %w", name, err)
	}
	html = template.HTML(buf.String())
	c.mu.Lock()
	if c.site == v.Site {
		c.html[name] = html
	}
	c.mu.Unlock()
	return html, nil
}

// cached renders the named template with data once for the site and
// gives every page after the same HTML: for a part of pages that depends
// on data alone, such as a procedure's card, which every list of
// procedures shows again. A theme asks for it with
// {{cached "procedure-card" .}} where it would write
// {{template "procedure-card" .}}. data must be comparable (a page, or a
// struct of values such as a MemberCard), and the template must read
// nothing else; of a page, only its front matter, which an edit of its
// body leaves as it was. The cache is emptied when a page of another site
// is rendered.
//
// With keys, up to three comparable values, the part is rendered once
// for each set of keys instead: for a part of many pages that reads the
// page (the View) only through them, such as the header, which shows the
// page's place in the navigation and where its Book button goes:
// {{cached "header" . .BookURL .NavCurrent}}.
func (t *Theme) cached(name string, data any, keys ...any) (template.HTML, error) {
	key := part{name: name}
	switch {
	case len(keys) == 0:
		key.key[0] = data
	case len(keys) <= len(key.key):
		copy(key.key[:], keys)
	default:
		return "", fmt.Errorf("cached %q: %d keys, at most %d", name, len(keys), len(key.key))
	}
	c := &t.once
	c.mu.Lock()
	html, ok := c.parts[key]
	c.mu.Unlock()
	if ok {
		return html, nil
	}
	var buf bytes.Buffer
	if err := t.layouts["page"].ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("cached %q: %w", name, err)
	}
	html = template.HTML(buf.String())
	c.mu.Lock()
	if c.parts != nil {
		c.parts[key] = html
	}
	c.mu.Unlock()
	return html, nil
}
