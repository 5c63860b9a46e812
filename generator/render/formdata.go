package render

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"
)

// FormData is the consultation form's state: what the theme's
// "consultation-request" template (partials/consultation-form.html) is
// executed with. Its fields have the names of the intake service's FormPage,
// so that the service renders the same form, values kept and errors beside
// fields, after a request with mistakes (see [Theme.FormTemplate]).
type FormData struct {
	Practice       string            // the practice's name
	Lang           string            // BCP 47
	Action         string            // where the form posts
	Values         FormValues        // empty on the site
	Errors         map[string]string // by field name; empty on the site
	Summary        []FormError       // the errors in the order of the form
	Groups         []FormGroup       // the procedures by category, in the site's order
	PrivacyWording string            // label of the privacy consent box
	SMSWording     string            // label of the SMS opt-in box
	WordingVersion string            // sent back as wording_version
}

// FormValues are the values of the form's fields.
type FormValues struct {
	FirstName, LastName, Email, Phone string
	Procedure                         string // a slug, or "not-sure"
	PreferredContact, PreferredTime   string
	Message, Source, Language, Page   string
	ConsentPrivacy, SMSOptIn          bool
	FormToken, IdempotencyKey         string
}

// FormError is one field's problem.
type FormError struct {
	Field   string // the field's name, also the id of its input
	Message string
}

// FormGroup is a category and its procedures, for an <optgroup>.
type FormGroup struct {
	Title      string
	Procedures []FormProcedure
}

// FormProcedure is a procedure a patient may choose.
type FormProcedure struct {
	Slug  string // the last element of its URL, as ?procedure= names it
	Title string
}

// Form returns the consultation form's data for the page: empty values,
// the procedures of the site by category, the wording of content/site.yaml.
func (v *View) Form() FormData {
	f := FormData{
		Practice:       v.Config.Name,
		Lang:           v.Config.Language,
		Action:         v.Config.Form.Endpoint,
		Values:         FormValues{Language: v.Config.Language, Page: v.Page.URL},
		PrivacyWording: v.Config.Form.PrivacyWording,
		SMSWording:     v.Config.Form.SMSWording,
		WordingVersion: v.Config.Form.WordingVersion,
	}
	for _, g := range v.ProcedureGroups(0) {
		fg := FormGroup{Title: g.Category.Title}
		for _, p := range g.Procedures {
			fg.Procedures = append(fg.Procedures, FormProcedure{Slug: slugOf(p), Title: p.Title})
		}
		f.Groups = append(f.Groups, fg)
	}
	return f
}

// FormTemplate returns the theme's "consultation-form-page" template: a
// whole page with the consultation form, which the intake service executes
// with its FormPage to show the form again after errors. siteFS is the
// site folder Load was given. It returns nil when the theme has no such
// template.
func (t *Theme) FormTemplate(siteFS fs.FS) (*template.Template, error) {
	files, err := themeFiles(siteFS, t.name)
	if err != nil {
		return nil, err
	}
	set := template.New("").Funcs(t.funcs())
	for _, p := range sortedKeys(files) {
		if dir, name := path.Split(p); dir == "partials/" && path.Ext(name) == ".html" {
			if _, err := set.New(files[p].origin).Parse(string(files[p].data)); err != nil {
				return nil, fmt.Errorf("load theme: %w", err)
			}
		}
	}
	return set.Lookup("consultation-form-page"), nil
}
