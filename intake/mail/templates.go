package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"strings"
	"text/template"
)

// templateFS holds one folder per language, named by its base BCP 47 tag
// ("en", "fr"), with two files a kind: <kind>.txt, which defines
// "subject" and "body", and <kind>.html, which defines "body". The notices
// to staff (reminder, escalation, follow-up, digest) share a layout,
// notice.txt and notice.html, whose "body" each kind's own file completes
// with its "title" and "intro". Staff emails are always in English; a new
// language needs only patient.*.
//
//go:embed templates
var templateFS embed.FS

// templateSet is one language's templates for one kind of message.
type templateSet struct {
	text *template.Template     // defines "subject" and "body"
	html *htmltemplate.Template // defines "body"; in the emails' own colours (see htmlIn)
}

// templates holds every embedded template, parsed once: "en/patient" → set.
// It is never changed after package initialisation.
var templates = parseTemplates()

func parseTemplates() map[string]templateSet {
	out := map[string]templateSet{}
	langs, err := templateFS.ReadDir("templates")
	if err != nil {
		panic(err) // the embedded tree is part of the binary
	}
	for _, lang := range langs {
		for name, k := range kinds {
			name = lang.Name() + "/" + name
			if _, err := fs.Stat(templateFS, "templates/"+name+".txt"); err != nil {
				continue
			}
			files := sources(name, k.layout)
			out[name] = templateSet{
				text: template.Must(template.New("").ParseFS(templateFS, files(".txt")...)),
				html: parseHTML(files(".html"), defaultColours),
			}
		}
	}
	return out
}

// sources returns the files of template name ("en/reminder") with the
// extension it is given: its layout's, when it has one, then its own.
func sources(name, layout string) func(ext string) []string {
	return func(ext string) []string {
		files := []string{"templates/" + name + ext}
		if layout != "" {
			lang, _, _ := strings.Cut(name, "/")
			files = append([]string{"templates/" + lang + "/" + layout + ext}, files...)
		}
		return files
	}
}

// render executes the templates of name ("en/patient") with data, the HTML
// in colours c: it returns the subject, and writes the bodies to text and
// html.
func render(name string, data any, c Colours, text, html *bytes.Buffer) (subject string, err error) {
	set, ok := templates[name]
	if !ok {
		return "", fmt.Errorf("no templates for %s", name)
	}
	var s strings.Builder
	if err := set.text.ExecuteTemplate(&s, "subject", data); err != nil {
		return "", err
	}
	subject = strings.TrimSpace(s.String())
	if v, ok := data.(interface{ setSubject(string) }); ok {
		v.setSubject(subject)
	}
	if err := set.text.ExecuteTemplate(text, "body", data); err != nil {
		return "", err
	}
	if err := set.htmlIn(name, c).ExecuteTemplate(html, "body", data); err != nil {
		return "", err
	}
	return subject, nil
}

// parseHTML parses the HTML template of files with the colours c in place
// of {{.C.Ink}}, {{$.C.Ink}} and the like.
func parseHTML(files []string, c Colours) *htmltemplate.Template {
	var src strings.Builder
	for _, f := range files {
		b, err := fs.ReadFile(templateFS, f)
		if err != nil {
			panic(err) // the embedded tree is part of the binary
		}
		src.Write(b)
	}
	var pairs []string
	for _, f := range []struct{ field, value string }{{"Ink", c.Ink}, {"Paper", c.Paper}, {"Accent", c.Accent}, {"Muted", c.Muted}} {
		pairs = append(pairs, "{{.C."+f.field+"}}", f.value, "{{$.C."+f.field+"}}", f.value)
	}
	text := strings.NewReplacer(pairs...).Replace(src.String())
	return htmltemplate.Must(htmltemplate.New(files[len(files)-1]).Parse(text))
}
