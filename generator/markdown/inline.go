package markdown

import (
	"bytes"
	gohtml "html"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// inlineParagraph renders paragraphs as goldmark's HTML renderer does,
// but for a document that is one paragraph, whose text it writes alone:
// a FAQ answer of one line sits inside the theme's own element.
type inlineParagraph struct{}

func (inlineParagraph) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindParagraph, renderParagraph)
}

func renderParagraph(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if doc := n.Parent(); doc != nil && doc.Kind() == ast.KindDocument && doc.ChildCount() == 1 {
		return ast.WalkContinue, nil
	}
	switch {
	case !entering:
		_, _ = w.WriteString("</p>\n")
	case n.Attributes() != nil:
		_, _ = w.WriteString("<p")
		html.RenderAttributes(w, n, html.ParagraphAttributeFilter)
		_ = w.WriteByte('>')
	default:
		_, _ = w.WriteString("<p>")
	}
	return ast.WalkContinue, nil
}

// plainText walks a parsed document for its text, as a reader sees it
// without markup: entities and escapes read, typographic punctuation
// kept, images and raw HTML left out, blocks and lines separated by a
// space. It is for places that take no HTML, such as JSON-LD.
func plainText(doc ast.Node, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				b.WriteByte(' ')
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			v := n.Segment.Value(source)
			if !n.IsRaw() {
				v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
			}
			b.Write(v)
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			if n.IsCode() { // typographic punctuation, as an HTML entity
				b.WriteString(gohtml.UnescapeString(string(n.Value)))
			} else {
				b.Write(n.Value)
			}
		case *ast.AutoLink:
			b.Write(n.Label(source))
			return ast.WalkSkipChildren, nil
		case *ast.Image, *ast.RawHTML, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			lines := n.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				b.Write(bytes.TrimRight(seg.Value(source), "\n"))
				b.WriteByte(' ')
			}
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}
