package mail

import (
	htmltemplate "html/template"
	"strings"
	"sync"
)

// A practice's colours are the same in every email it sends, so they are
// written into the HTML templates' source once, rather than left to the
// templates: each colour left to html/template costs two escaping calls at
// every use, and the coordinator's email uses them some sixty times.
// Colours are checked ("#rrggbb", see colours) before they are written in.

// htmlByColours caches the HTML templates by colours: Colours →
// map[template name]*htmltemplate.Template. A process sends for one
// practice, so it holds one or two entries.
var htmlByColours sync.Map

// htmlIn returns the HTML template name with the colours c written in.
func (set templateSet) htmlIn(name string, c Colours) *htmltemplate.Template {
	if c == defaultColours {
		return set.html
	}
	if m, ok := htmlByColours.Load(c); ok {
		if t, ok := m.(map[string]*htmltemplate.Template)[name]; ok {
			return t
		}
	}
	m := map[string]*htmltemplate.Template{}
	for n := range templates {
		lang, k, _ := strings.Cut(n, "/")
		m[n] = parseHTML(sources(lang+"/"+k, kinds[k].layout)(".html"), c)
	}
	htmlByColours.Store(c, m)
	return m[name]
}
