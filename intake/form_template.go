package intake

import (
	"html/template"
	"io/fs"

	"github.com/consultahq/consulta/themes"
)

// builtinFormTemplate returns the plain page of the form shown again after
// mistakes when the site gives no template of its own, or its template
// fails: the built-in theme's own form, its "consultation-request"
// (themes/default/partials/consultation-request.html), styled by the
// theme's form.css, inside a page that needs no file of the site and no
// script. It is executed with a form.Page.
func builtinFormTemplate() *template.Template {
	css, err := fs.ReadFile(themes.FS, "default/static/form.css")
	must(err)
	t := template.New("page").Funcs(template.FuncMap{
		"formCSS": func() template.CSS { return template.CSS(css) }, // the binary's own file
	})
	template.Must(t.Parse(builtinPage))
	return template.Must(t.ParseFS(themes.FS, "default/partials/consultation-request.html"))
}

// builtinPage is the page around the form. Its colours are the built-in
// theme's, and its own: a site's palette is in the site's stylesheet.
const builtinPage = `<!doctype html>
<html lang="{{or .Lang "en"}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Please check your request – {{.Practice}}</title>
<style>
:root{--ink:#1f2528;--paper:#fbf9f6;--accent:#6e4a32;--muted:#5a6165;--line:#dfdcd8;--tint:#f7f3ef}
*,*::before,*::after{box-sizing:border-box}
body{margin:0;font:1.0625rem/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--paper)}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.75rem;line-height:1.2}
.button{min-height:2.75rem;padding:.65rem 1.4rem;border:1px solid var(--accent);border-radius:999px;background:var(--accent);color:var(--paper)}
{{formCSS}}
</style>
</head>
<body>
<main>
<h1>Please check your request</h1>
<section class="consult" aria-label="Your request">
{{template "consultation-request" .}}
</section>
</main>
</body>
</html>`
