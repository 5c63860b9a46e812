// Package markdown is Consulta's one configured Markdown renderer: goldmark
// with GFM (tables, strikethrough, linkify, task lists), typographic
// punctuation, footnotes, definition lists, heading attributes and
// GitHub-style unique heading IDs. Raw HTML is omitted unless the site opts
// in.
//
// Each form Markdown takes on the site has its own walker over the one
// parsed document: [Renderer.Render] writes HTML with goldmark's renderer;
// [Renderer.RenderInline] writes a short text such as a FAQ answer with a
// renderer that leaves out the paragraph around one line, and walks the
// document again for its plain text, for places that take no HTML.
//
// While rendering it collects every link and image with its file line, so
// that the generator can check internal links against the site's URLs; it
// gives external links rel="noopener", and images loading="lazy",
// decoding="async" and the width and height read from the file.
package markdown

import (
	"bufio"
	"bytes"
	"fmt"
	gohtml "html"
	"io/fs"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Options configure a Renderer.
type Options struct {
	UnsafeHTML bool // keep raw HTML in Markdown instead of omitting it
}

// Renderer converts Markdown to HTML. It is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	inline renderer.Renderer // md's renderer, but for the paragraph around one line
	unsafe bool
}

// New returns a Renderer configured with o.
func New(o Options) *Renderer {
	md := newGoldmark(o)
	inline := newGoldmark(o, renderer.WithNodeRenderers(util.Prioritized(inlineParagraph{}, 0)))
	return &Renderer{md: md, inline: inline.Renderer(), unsafe: o.UnsafeHTML}
}

// newGoldmark returns goldmark with Consulta's extensions and options.
func newGoldmark(o Options, rendererOpts ...renderer.Option) goldmark.Markdown {
	if o.UnsafeHTML {
		rendererOpts = append(rendererOpts, html.WithUnsafe())
	}
	return goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Typographer, extension.Footnote, extension.DefinitionList),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithAttribute(),
			parser.WithASTTransformers(util.Prioritized(transformer{}, 1000)),
		),
		goldmark.WithRendererOptions(rendererOpts...),
	)
}

// Source is one page's Markdown and where it lives.
type Source struct {
	Body     []byte
	BodyLine int    // the file's line number of Body's first line
	Dir      string // folder in FS that relative links and images resolve against, e.g. "content/procedures"
	FS       fs.FS  // the site folder, to read image sizes; nil reads none

	// Image, when set, returns a local JPEG or PNG image (file is its
	// path in FS) as the site publishes it; the image then points at what
	// it returns, with its srcset, width and height. An image it cannot
	// publish (false) is left as written: the caller reports why.
	Image func(file string) (Published, bool)
}

// Published is an image as the site publishes it.
type Published struct {
	Src    string
	Srcset string // "" for one width
	Width  int
	Height int
}

// Link is one link or image destination in a page's Markdown.
type Link struct {
	Dest  string // as written
	Line  int    // the file's line
	Image bool
}

// Result is a rendered page body.
type Result struct {
	HTML  string
	Text  string   // the plain text, words separated by single spaces: RenderInline only
	Links []Link   // every link and image, in order
	IDs   []string // the heading IDs, for checking #fragment links
	// RawHTML holds the file lines of raw HTML left out of the page
	// (HTML comments aside); always empty with Options.UnsafeHTML.
	RawHTML []int
}

// Render converts src.Body to HTML.
func (r *Renderer) Render(src Source) (Result, error) {
	doc, st := r.parse(src)
	html, err := render(r.md.Renderer(), src.Body, doc)
	if err != nil {
		return Result{}, err
	}
	return Result{HTML: html, Links: st.links, IDs: st.ids, RawHTML: st.rawHTML}, nil
}

// RenderInline converts a short text, such as a FAQ answer, like Render,
// but without the paragraph around it when it is one paragraph, so that
// the text can sit inside another element; and into plain text. Text
// without any Markdown syntax is only escaped, which is most answers and
// much faster.
func (r *Renderer) RenderInline(src Source) (Result, error) {
	if plain(src.Body) {
		return Result{HTML: gohtml.EscapeString(string(src.Body)), Text: strings.Join(strings.Fields(string(src.Body)), " ")}, nil
	}
	doc, st := r.parse(src)
	html, err := render(r.inline, src.Body, doc)
	if err != nil {
		return Result{}, err
	}
	return Result{HTML: strings.TrimSpace(html), Text: plainText(doc, src.Body), Links: st.links, IDs: st.ids, RawHTML: st.rawHTML}, nil
}

// writers are the buffered writers goldmark's renderers write through,
// each into its buffer: goldmark makes a 4 kB one for each call otherwise.
var writers = sync.Pool{New: func() any {
	var w writer
	w.Writer = bufio.NewWriter(&w.buf)
	return &w
}}

type writer struct {
	*bufio.Writer
	buf bytes.Buffer
}

// render renders doc with rr and returns the HTML.
func render(rr renderer.Renderer, source []byte, doc ast.Node) (string, error) {
	w := writers.Get().(*writer)
	defer writers.Put(w)
	w.buf.Reset()
	if err := rr.Render(w, source, doc); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	return w.buf.String(), nil
}

// parse parses src, collecting its links, heading IDs and raw HTML.
func (r *Renderer) parse(src Source) (ast.Node, *state) {
	st := &state{src: src, omitHTML: !r.unsafe}
	pc := parser.NewContext(parser.WithIDs(newIDs()))
	pc.Set(stateKey, st)
	return r.md.Parser().Parse(text.NewReader(src.Body), parser.WithContext(pc)), st
}

// plain reports whether b renders as its own text, escaped: one line
// that starts no block, with nothing that the extensions turn into markup
// (links, emphasis, typographic quotes and dashes, autolinks).
func plain(b []byte) bool {
	if len(b) == 0 || bytes.ContainsAny(b[:1], "#-+=0123456789 \t") {
		return false
	}
	if bytes.ContainsAny(b, "*_`[]<>&\\!~|:'\"\n\r") {
		return false
	}
	return !bytes.Contains(b, []byte("--")) && !bytes.Contains(b, []byte("...")) && !bytes.Contains(b, []byte("www."))
}

var stateKey = parser.NewContextKey()

// state is what the transformer collects for one page.
type state struct {
	src      Source
	links    []Link
	ids      []string
	omitHTML bool
	rawHTML  []int
	newlines []int // offsets of '\n' in src.Body, computed when first needed
}

// line returns the file line of a byte offset in the body.
func (s *state) line(offset int) int {
	if s.newlines == nil {
		s.newlines = make([]int, 0, 64)
		for i, c := range s.src.Body {
			if c == '\n' {
				s.newlines = append(s.newlines, i)
			}
		}
	}
	lo, hi := 0, len(s.newlines)
	for lo < hi {
		m := (lo + hi) / 2
		if s.newlines[m] < offset {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return s.src.BodyLine + lo
}

// offset returns where an inline node starts in the source, as near as the
// AST tells: its first text, or else its block's first line.
func offset(n ast.Node) int {
	found := -1
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := c.(*ast.Text); ok && entering {
			found = t.Segment.Start
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	if found >= 0 {
		return found
	}
	for p := n; p != nil; p = p.Parent() {
		if p.Type() == ast.TypeBlock && p.Lines().Len() > 0 {
			return p.Lines().At(0).Start
		}
	}
	return 0
}
