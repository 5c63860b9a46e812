package generator

import (
	"errors"
	"html/template"
	"io"
	"io/fs"

	"github.com/consultahq/consulta/generator/render"
	"github.com/consultahq/consulta/internal/form"
)

// formPage returns the theme's "consultation-form-page", executed once
// with a form.Page with mistakes so that a theme whose page needs other
// data is refused here rather than when a patient makes a mistake.
func formPage(fsys fs.FS, theme string) (*template.Template, error) {
	th, err := render.Load(fsys, theme)
	if err != nil {
		return nil, err
	}
	t, err := th.FormTemplate(fsys)
	switch {
	case err != nil:
		return nil, err
	case t == nil:
		return nil, errors.New(`the theme defines no "consultation-form-page"`)
	}
	if err := t.Execute(io.Discard, form.Page{
		Errors:  map[string]string{"email": "x"},
		Summary: []form.FieldError{{Field: "email", Message: "x"}},
	}); err != nil {
		return nil, err
	}
	return t, nil
}
