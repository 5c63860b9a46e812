package render

import (
	"path"
	"strings"

	"github.com/consultahq/consulta/generator/content"
)

// BrandFile is the file in the site folder that a brand path of
// content/site.yaml names (paths there are under content/), or "".
func BrandFile(name string) string {
	if name == "" {
		return ""
	}
	return path.Join("content", strings.TrimPrefix(name, "/"))
}

// image returns the published image of a source file, zero when it has none.
func (v *View) image(file string) Image {
	if file == "" {
		return Image{}
	}
	return v.rendered.Image(file)
}

// Logo is the practice's logo as published, zero without one.
func (v *View) Logo() Image { return v.image(BrandFile(v.Config.Logo)) }

// Hero is the home page's first image as published, zero without one.
func (v *View) Hero() Image { return v.image(BrandFile(v.Config.Hero)) }

// ShareImage is the default Open Graph image as published, zero without one.
func (v *View) ShareImage() Image { return v.image(BrandFile(v.Config.ShareImage)) }

// Portrait is a team member's photo as published, zero without one.
func (v *View) Portrait(p *content.Page) Image {
	if p == nil || p.Member == nil {
		return Image{}
	}
	return v.image(p.Member.PhotoFile.Path)
}

// Membership is a professional body the practice belongs to, as shown.
type Membership struct {
	Name string
	URL  string
	Logo Image // zero without a logo
}

// Memberships returns the practice's memberships and accreditations of
// site.yaml, with their published logos.
func (v *View) Memberships() []Membership {
	var out []Membership
	for _, m := range v.Config.Memberships {
		out = append(out, Membership{Name: m.Name, URL: m.URL, Logo: v.image(BrandFile(m.Logo))})
	}
	return out
}

// MemberCard is a team member in a list, with their published photo.
type MemberCard struct {
	Page  *content.Page // a KindMember page
	Photo Image         // zero without a photo: the theme shows initials
}

// MemberCards returns cards for team members.
func (v *View) MemberCards(members []*content.Page) []MemberCard {
	out := make([]MemberCard, len(members))
	for i, m := range members {
		out[i] = MemberCard{Page: m, Photo: v.Portrait(m)}
	}
	return out
}
