package render

import "strings"

// Jump is one entry of a page's contents: a link to a part of the page.
type Jump struct {
	Title  string // "Fees"
	Target string // "#fees"
}

// Contents returns a procedure page's contents, for a short list under
// its title, in the page's order: its fees, its recovery, its risks, its
// results and its questions, those it has. Recovery and risks link to
// the body's sections of those names (## Recovery, ## Risks …) when it has
// them, else to the theme's own: the recovery time of the page's facts,
// the risks of its front matter.
func (v *View) Contents() []Jump {
	pr := v.Page.Procedure
	if pr == nil {
		return nil
	}
	var out []Jump
	if pr.Fees.From != 0 || pr.Fees.To != 0 {
		out = append(out, Jump{"Fees", "#fees"})
	}
	body := func(prefix string) string {
		for _, id := range v.body.IDs {
			if id == prefix || strings.HasPrefix(id, prefix+"-") {
				return "#" + id
			}
		}
		return ""
	}
	recovery, risks := body("recovery"), body("risks")
	if recovery == "" && pr.Recovery != "" {
		recovery = "#recovery-time"
	}
	if recovery != "" {
		out = append(out, Jump{"Recovery", recovery})
	}
	switch {
	case risks != "":
		out = append(out, Jump{"Risks", risks})
	case len(pr.Risks) > 0:
		out = append(out, Jump{"Risks", "#risks"})
	}
	if len(pr.Cases) > 0 {
		out = append(out, Jump{"Results", "#latest-results"})
	}
	if len(pr.FAQ) > 0 {
		out = append(out, Jump{"Questions", "#faq"})
	}
	return out
}
