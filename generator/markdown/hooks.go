package markdown

import (
	"bytes"
	"image"
	_ "image/gif"  // image sizes of GIFs
	_ "image/jpeg" // and of JPEGs
	_ "image/png"  // and of PNGs
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	_ "golang.org/x/image/webp" // and of WebP images
)

// transformer collects links, images and heading IDs, and sets the
// attributes of links, images and table header cells.
type transformer struct{}

func (transformer) Transform(doc *ast.Document, _ text.Reader, pc parser.Context) {
	st, _ := pc.Get(stateKey).(*state)
	if st == nil {
		return
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if id, ok := n.AttributeString("id"); ok {
				if b, ok := id.([]byte); ok {
					st.ids = append(st.ids, string(b))
				}
			}
		case *ast.Link:
			dest := string(n.Destination)
			st.links = append(st.links, Link{Dest: dest, Line: st.line(offset(n))})
			if IsExternal(dest) {
				n.SetAttributeString("rel", []byte("noopener"))
			}
		case *ast.HTMLBlock:
			if st.omitHTML && n.HTMLBlockType != ast.HTMLBlockType2 && n.Lines().Len() > 0 {
				st.omitted(n.Lines().At(0).Start)
			}
		case *ast.RawHTML:
			if st.omitHTML && n.Segments.Len() > 0 {
				seg := n.Segments.At(0)
				if !bytes.HasPrefix(seg.Value(st.src.Body), []byte("<!--")) {
					st.omitted(seg.Start)
				}
			}
		case *east.TableCell:
			// A header cell says what it heads (WCAG H63): a Markdown
			// table's header row heads its columns.
			if n.Parent() != nil && n.Parent().Kind() == east.KindTableHeader {
				n.SetAttributeString("scope", []byte("col"))
			}
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				n.SetAttributeString("rel", []byte("noopener"))
			}
		case *ast.Image:
			dest := string(n.Destination)
			st.links = append(st.links, Link{Dest: dest, Line: st.line(offset(n)), Image: true})
			n.SetAttributeString("loading", []byte("lazy"))
			n.SetAttributeString("decoding", []byte("async"))
			if img, ok := st.publish(dest); ok {
				n.Destination = []byte(img.Src)
				if img.Srcset != "" {
					n.SetAttributeString("srcset", []byte(img.Srcset))
					n.SetAttributeString("sizes", []byte("(min-width: 48rem) 42rem, 100vw"))
				}
				n.SetAttributeString("width", []byte(strconv.Itoa(img.Width)))
				n.SetAttributeString("height", []byte(strconv.Itoa(img.Height)))
			} else if w, h, ok := st.imageSize(dest); ok {
				n.SetAttributeString("width", []byte(strconv.Itoa(w)))
				n.SetAttributeString("height", []byte(strconv.Itoa(h)))
			}
		}
		return ast.WalkContinue, nil
	})
}

// omitted records raw HTML left out at offset, once a line.
func (s *state) omitted(offset int) {
	line := s.line(offset)
	if n := len(s.rawHTML); n == 0 || s.rawHTML[n-1] != line {
		s.rawHTML = append(s.rawHTML, line)
	}
}

// publish returns a local JPEG or PNG image as the source's Image gives it.
func (s *state) publish(dest string) (Published, bool) {
	if s.src.Image == nil {
		return Published{}, false
	}
	name, local := Resolve(s.src.Dir, dest)
	switch ext := strings.ToLower(path.Ext(name)); {
	case !local, ext != ".jpg" && ext != ".jpeg" && ext != ".png":
		return Published{}, false
	}
	return s.src.Image(name)
}

func (s *state) imageSize(dest string) (w, h int, ok bool) {
	if s.src.FS == nil {
		return 0, 0, false
	}
	name, local := Resolve(s.src.Dir, dest)
	if !local {
		return 0, 0, false
	}
	f, err := s.src.FS.Open(name)
	if err != nil {
		return 0, 0, false
	}
	defer f.Close()
	cfg, _, err := image.DecodeConfig(f)
	if err != nil {
		return 0, 0, false
	}
	return cfg.Width, cfg.Height, true
}

// IsExternal reports whether dest points off the site: it has a scheme
// such as https: or mailto:, or starts with //.
func IsExternal(dest string) bool {
	if strings.HasPrefix(dest, "//") {
		return true
	}
	i := strings.IndexByte(dest, ':')
	if i <= 0 {
		return false
	}
	for _, c := range dest[:i] {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.') {
			return false
		}
	}
	return true
}

// Resolve returns the file in the site folder that a local link or image
// destination names, and whether it is local at all. A relative
// destination resolves against dir (the page's folder); an absolute one
// against the site's static/ folder. Query and fragment are dropped.
func Resolve(dir, dest string) (name string, local bool) {
	if IsExternal(dest) {
		return "", false
	}
	dest, _, _ = strings.Cut(dest, "#")
	dest, _, _ = strings.Cut(dest, "?")
	if dest == "" {
		return "", false
	}
	if strings.HasPrefix(dest, "/") {
		return path.Join("static", dest), true
	}
	return path.Join(dir, dest), true
}

// ids makes GitHub-style heading IDs: lower case letters and digits, '-'
// and '_' kept, spaces made '-', anything else dropped; a repeated ID gets
// -1, -2, … .
type ids struct {
	used map[string]bool
}

func newIDs() *ids { return &ids{used: map[string]bool{}} }

// Generate returns a unique ID for a heading's text.
func (s *ids) Generate(value []byte, kind ast.NodeKind) []byte {
	var b strings.Builder
	for _, r := range strings.TrimSpace(string(value)) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		}
	}
	base := b.String()
	if base == "" {
		base = "section"
	}
	id := base
	for i := 1; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
	}
	s.used[id] = true
	return []byte(id)
}

// Put records an ID given explicitly, e.g. with {#id}.
func (s *ids) Put(value []byte) {
	if utf8.Valid(value) {
		s.used[string(value)] = true
	}
}
