package render

import (
	"fmt"
	"html/template"
	"io/fs"
	"path"

	"github.com/consultahq/consulta/internal/form"
)

// Form returns the consultation form's data for the page: empty values
// but the procedure or surgeon the page chooses, the procedures of the
// site by category, its surgeons, the best times to call from its hours,
// the first consultation in words and the wording of content/site.yaml.
func (v *View) Form() form.Page {
	f := form.Page{
		Practice:       v.Config.Name,
		Lang:           v.Config.Language,
		Action:         v.Config.Form.Endpoint,
		Values:         form.Values{Language: v.Config.Language, Page: v.Page.URL, Procedure: v.Preselect, Surgeon: v.Surgeon},
		Times:          v.bestTimes,
		Consultation:   v.consultation,
		PrivacyWording: v.Config.Form.PrivacyWording,
		SMSWording:     v.Config.Form.SMSWording,
		WordingVersion: v.Config.Form.WordingVersion,
		CountryCode:    form.CountryCode(v.Config.Phone, v.Config.Intake.Region),
	}
	for _, g := range v.ProcedureGroups(0) {
		fg := form.Group{Title: g.Category.Title}
		for _, p := range g.Procedures {
			fg.Procedures = append(fg.Procedures, form.Procedure{Slug: slugOf(p), Title: p.Title})
		}
		f.Groups = append(f.Groups, fg)
	}
	for _, m := range v.Surgeons() {
		f.Surgeons = append(f.Surgeons, form.Choice{Value: slugOf(m), Label: m.Title})
	}
	return f
}

// Thanks returns the data of the form's thank-you state, which the form's
// script fills in from the service's answer: the practice's phone, the
// page on what happens next, and the form that corrects the patient's
// phone and email (its address comes with the answer).
func (v *View) Thanks() form.Thanks {
	t := form.Thanks{Practice: v.Config.Name, Lang: v.Config.Language, Phone: v.Config.Phone, Tel: v.Tel,
		Correct: form.Page{CountryCode: form.CountryCode(v.Config.Phone, v.Config.Intake.Region)}.Correction("")}
	if p := v.PageAt(v.Config.Form.ThankYou); p != nil {
		t.Next = p.URL
	}
	return t
}

// FormTemplate returns the theme's "consultation-form-page" template: a
// whole page with the consultation form, which the intake service executes
// with a form.Page to show the form again after errors. siteFS is the
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
