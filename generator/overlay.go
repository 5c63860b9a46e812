package generator

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/consultahq/consulta/generator/livereload"
	"github.com/consultahq/consulta/generator/problem"
)

// problemsPage is the page Live shows instead of the site's pages while
// the site has errors, and at ProblemsPath: the errors first, then the
// warnings, each counted, in the theme's type. It reloads itself when the
// next build is done.
var problemsPage = template.Must(template.New("problems").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{with .Errors}}{{len .}} {{if eq (len .) 1}}error{{else}}errors{{end}}{{else}}Problems{{end}} in the site — consulta serve</title>
{{.Type}}
<style>
body { margin: 0; font: 1.0625rem/1.6 var(--sans, system-ui, sans-serif); background: var(--paper, #fbf9f6); color: var(--ink, #1f2528); }
main { max-width: 52rem; margin: 0 auto; padding: clamp(1.25rem, 4vw, 2.5rem); }
h1, h2 { font-family: var(--display, Georgia, serif); font-weight: 600; line-height: 1.2; margin: 1.5em 0 .35em; }
h1 { font-size: clamp(1.8rem, 1.4rem + 2vw, 2.4rem); margin-top: 0; }
h2 { font-size: 1.5rem; }
.lead { margin: 0 0 1rem; }
ol { padding: 0; margin: 0; list-style: none; }
li { background: #fff; border: 1px solid #e4ddd5; border-left: .35rem solid #b42318; border-radius: 4px; padding: .75rem 1rem; margin: .6rem 0; overflow-wrap: anywhere; }
.warnings li { border-left-color: #9a6700; }
.where { display: block; font-weight: 600; }
.label { font-size: .8125rem; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; color: #b42318; }
.warnings .label { color: #7a5200; }
a { color: var(--accent, #6e4a32); }
</style>
</head>
<body>
<main>
{{- if .Errors}}
<h1>{{len .Errors}} {{if eq (len .Errors) 1}}error stops{{else}}errors stop{{end}} the site from building</h1>
<p class="lead">Nothing is published until {{if eq (len .Errors) 1}}it is{{else}}they are{{end}} fixed{{with .Warnings}}; {{len .}} {{if eq (len .) 1}}warning names{{else}}warnings name{{end}} something else to fix{{end}}. Fix {{if eq (len .Errors) 1}}it{{else}}them{{end}} in your editor and save: this page reloads by itself.</p>
{{- else if .Warnings}}
<h1>{{len .Warnings}} {{if eq (len .Warnings) 1}}warning{{else}}warnings{{end}}: the site builds, but {{if eq (len .Warnings) 1}}it names{{else}}each names{{end}} something to fix</h1>
<p class="lead">Fix {{if eq (len .Warnings) 1}}it{{else}}them{{end}} in your editor and save: this page reloads by itself. <a href="/">Back to the site</a></p>
{{- else}}
<h1>No problems in the site</h1>
<p class="lead"><a href="/">Back to the site</a></p>
{{- end}}
{{- with .Errors}}
<section class="errors" aria-labelledby="errors">
<h2 id="errors">{{len .}} {{if eq (len .) 1}}error{{else}}errors{{end}}</h2>
<ol>
{{- range .}}
<li><span class="label">Error</span> <span class="where">{{.Where}}</span> {{.What}}</li>
{{- end}}
</ol>
</section>
{{- end}}
{{- with .Warnings}}
<section class="warnings" aria-labelledby="warnings">
<h2 id="warnings">{{len .}} {{if eq (len .) 1}}warning{{else}}warnings{{end}}</h2>
<ol>
{{- range .}}
<li><span class="label">Warning</span> <span class="where">{{.Where}}</span> {{.What}}</li>
{{- end}}
</ol>
</section>
{{- end}}
</main>
{{.LiveReload}}
</body>
</html>
`))

// listedProblem is a problem as the page lists it: where, then what.
type listedProblem struct {
	Where template.HTML // "content/<wbr>procedures/<wbr>rhinoplasty.md, line 7": a phone breaks the path at its slashes
	What  string        // "fees.from: \"about 6000\" is not a number — write 6000"
}

func listed(p problem.Problem) listedProblem {
	where := template.HTML(strings.ReplaceAll(template.HTMLEscapeString(p.File), "/", "/<wbr>"))
	if p.Line > 0 {
		where += template.HTML(", line " + strconv.Itoa(p.Line))
	}
	what := p.Message
	if p.Field != "" {
		what = problem.FieldName(p.Field) + ": " + what
	}
	return listedProblem{Where: where, What: what}
}

// writeProblems answers with the page listing the site's problems, set in
// typ, the theme's type (render.Theme.Type).
func writeProblems(w http.ResponseWriter, probs []problem.Problem, typ template.HTML) {
	data := struct {
		Errors, Warnings []listedProblem
		Type, LiveReload template.HTML
	}{Type: typ, LiveReload: livereload.Script(ReloadPath)}
	for _, p := range probs {
		if p.Severity == problem.Error {
			data.Errors = append(data.Errors, listed(p))
		} else {
			data.Warnings = append(data.Warnings, listed(p))
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if len(data.Errors) > 0 {
		w.WriteHeader(http.StatusInternalServerError)
	}
	_ = problemsPage.Execute(w, data)
}

// problemsLink is the notice Live puts at the top of every page while the
// site has warnings, linking to them at ProblemsPath. It takes its place
// in the page's flow, above the header: it covers nothing, at any width.
var problemsLink = template.Must(template.New("link").Parse(`<p style="margin: 0; padding: .5rem var(--gap, 1rem); background: #fff8e1; color: #3d2c00; ` +
	`border-bottom: 2px solid #9a6700; font: 600 .9375rem/1.4 var(--sans, system-ui, sans-serif);">` +
	`<a href="{{.Path}}" style="color: inherit;">{{.N}} {{if eq .N 1}}warning{{else}}warnings{{end}} in the site</a> — consulta serve</p>`))

// overlay is what Live adds to every page, which the theme's layout puts
// at the top of the page's body (render.Options.Overlay): while the site
// has warnings, the notice of them, and the script that reloads the page
// after each edit.
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
