package render

import (
	"bufio"
	"encoding/xml"
	"fmt"
	"html/template"
	"io"

	"github.com/consultahq/consulta/generator/content"
)

// Sitemap writes sitemap.xml: every published page with its absolute URL
// and, when known, its last modification date.
func Sitemap(w io.Writer, s *content.Site) error {
	bw := bufio.NewWriter(w)
	bw.WriteString(xml.Header + `<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">` + "\n")
	for _, p := range s.Pages {
		if p.URL == s.Config.Form.ThankYou {
			continue // noindex: a page for those who sent the form, not for search
		}
		bw.WriteString("<url><loc>")
		xml.EscapeText(bw, []byte(absURL(s.Config.BaseURL, p.URL)))
		bw.WriteString("</loc>")
		mod := p.Lastmod
		if mod.IsZero() {
			mod = p.Date
		}
		if !mod.IsZero() {
			bw.WriteString("<lastmod>" + mod.Format("2006-01-02") + "</lastmod>")
		}
		bw.WriteString("</url>\n")
	}
	bw.WriteString("</urlset>\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write sitemap: %w", err)
	}
	return nil
}

// Robots writes robots.txt: everything may be crawled, and the sitemap is named.
func Robots(w io.Writer, s *content.Site) error {
	_, err := fmt.Fprintf(w, "User-agent: *\nAllow: /\n\nSitemap: %s\n", absURL(s.Config.BaseURL, "/sitemap.xml"))
	if err != nil {
		return fmt.Errorf("write robots.txt: %w", err)
	}
	return nil
}

var aliasPage = template.Must(template.New("alias").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{{.Canonical}}">
<meta http-equiv="refresh" content="0; url={{.URL}}">
</head>
<body>
<p>This page has moved to <a href="{{.URL}}">{{.Title}}</a>.</p>
</body>
</html>
`))

// Alias writes a page that redirects an old URL to target: a meta refresh,
// a canonical link for search engines, and a plain link for everyone else.
func Alias(w io.Writer, s *content.Site, target *content.Page) error {
	err := aliasPage.Execute(w, struct{ Lang, Title, URL, Canonical string }{
		Lang: s.Config.Language, Title: target.Title, URL: target.URL, Canonical: absURL(s.Config.BaseURL, target.URL),
	})
	if err != nil {
		return fmt.Errorf("render redirect to %s: %w", target.URL, err)
	}
	return nil
}
