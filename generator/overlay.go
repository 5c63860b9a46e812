package generator

import (
	"bytes"
	"html/template"
	"net/http"

	"github.com/consultahq/consulta/generator/livereload"
	"github.com/consultahq/consulta/generator/problem"
)

// problemsPage is the page Live shows instead of the site's pages while
// the site has errors, and at ProblemsPath. It reloads itself when the
// next build is done.
var problemsPage = template.Must(template.New("overlay").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Problems in the site — consulta serve</title>
<style>
body { margin: 0; font: 1rem/1.5 system-ui, sans-serif; background: #fbf7f4; color: #1f2328; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
ol { padding: 0; list-style: none; }
li { background: #fff; border-left: .3rem solid #b42318; padding: .75rem 1rem; margin: .75rem 0; overflow-wrap: anywhere; }
li.warning { border-color: #9a6700; }
code { font: .95rem/1.5 ui-monospace, monospace; }
a { color: #1f2328; }
</style>
</head>
<body>
<main>
{{- if .Errors}}
<h1>{{len .Errors}} {{if eq (len .Errors) 1}}problem stops{{else}}problems stop{{end}} the site from building</h1>
<p>Fix {{if eq (len .Errors) 1}}it{{else}}them{{end}} in your editor and save: this page reloads by itself.</p>
{{- else if .All}}
<h1>{{len .All}} {{if eq (len .All) 1}}warning{{else}}warnings{{end}}: the site builds, but each names something to fix</h1>
<p>Fix {{if eq (len .All) 1}}it{{else}}them{{end}} in your editor and save: this page reloads by itself. <a href="/">Back to the site</a></p>
{{- else}}
<h1>No problems in the site</h1>
<p><a href="/">Back to the site</a></p>
{{- end}}
<ol>
{{- range .All}}
<li{{if .Warning}} class="warning"{{end}}><code>{{.Text}}</code></li>
{{- end}}
</ol>
</main>
{{.LiveReload}}
</body>
</html>
`))

type overlayItem struct {
	Text    string
	Warning bool
}

// writeProblems answers with the page listing the site's problems.
func writeProblems(w http.ResponseWriter, probs []problem.Problem) {
	data := struct {
		Errors     []problem.Problem
		All        []overlayItem
		LiveReload template.HTML
	}{LiveReload: livereload.Script(ReloadPath)}
	for _, p := range probs {
		if p.Severity == problem.Error {
			data.Errors = append(data.Errors, p)
		}
		data.All = append(data.All, overlayItem{Text: p.String(), Warning: p.Severity == problem.Warning})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if len(data.Errors) > 0 {
		w.WriteHeader(http.StatusInternalServerError)
	}
	_ = problemsPage.Execute(w, data)
}

// problemsLink is the link Live adds to every page while the site has
// warnings, to the list of them at ProblemsPath.
var problemsLink = template.Must(template.New("link").Parse(`<a href="{{.Path}}" style="position: fixed; left: .75rem; bottom: .75rem; z-index: 2147483647; ` +
	`background: #fff8e1; color: #3d2c00; border: 2px solid #9a6700; border-radius: .4rem; padding: .45rem .8rem; ` +
	`font: 600 .95rem/1.4 system-ui, sans-serif;">{{.N}} {{if eq .N 1}}warning{{else}}warnings{{end}} in the site — consulta serve</a>`))

// overlay is what Live adds to every page, which the theme's layout puts
// at the end of the page's body (render.Options.Overlay): the script that
// reloads the page after each edit, and while the site has warnings, the
// link to them.
func overlay(warnings int) template.HTML {
	var b bytes.Buffer
	if warnings > 0 {
		_ = problemsLink.Execute(&b, struct {
			Path string
			N    int
		}{ProblemsPath, warnings})
		b.WriteByte('\n')
	}
	b.WriteString(string(livereload.Script(ReloadPath)))
	return template.HTML(b.String())
}
