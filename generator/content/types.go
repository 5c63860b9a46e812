package content

import (
	"strings"
	"time"

	"github.com/consultahq/consulta/internal/care"
	"github.com/consultahq/consulta/internal/hours"
)

// Kind is what a page is, and so which layout renders it.
type Kind string

// The page kinds. Each has one layout in a theme: layouts/<kind>.html.
const (
	KindHome      Kind = "home"      // content/_index.md
	KindSection   Kind = "section"   // content/<section>/_index.md
	KindProcedure Kind = "procedure" // content/procedures/<slug>.md
	KindMember    Kind = "member"    // content/team/<slug>.md
	KindCase      Kind = "case"      // content/gallery/<case>/index.md
	KindReview    Kind = "review"    // content/reviews/<slug>.md: shown on other pages, never a page itself
	KindPage      Kind = "page"      // any other page, e.g. content/financing.md
	KindCare      Kind = "care"      // content/care/<procedure or _default>/<slug>.md: a step of a patient's journey, never published
)

// Site is a loaded site: its settings from content/site.yaml and every page
// that is published (drafts and unconsented cases are left out).
type Site struct {
	Config Config

	Home       *Page
	Sections   map[string]*Page // section list pages by section name: "procedures", "team", "gallery"
	Pages      []*Page          // every published page, ordered by URL
	Procedures []*Page          // KindProcedure pages by weight, then title
	Members    []*Page          // KindMember pages by weight, then title
	Cases      []*Page          // KindCase pages, newest consent first
	Reviews    []*Page          // KindReview files with consent, newest first; not in Pages or ByURL
	ByURL      map[string]*Page // every published page by URL
	Failed     map[string]*Page // pages left out because their own file has an error, by URL: links to them are not reported again
	Drafts     []string         // files of the pages left out as drafts, e.g. "content/procedures/thread-lift.md"
	Care       *Care            // the steps of patients' journeys, content/care/: never published

	ConfigLines map[string]int // site.yaml's field paths → file line, e.g. "gallery.disclaimer" → 88
}

// Config is content/site.yaml: the practice and the site's settings.
type Config struct {
	Name             string            `yaml:"name"`      // the practice's name; required
	BaseURL          string            `yaml:"base_url"`  // absolute, ending in "/"; required
	Language         string            `yaml:"language"`  // BCP 47, default "en"
	TimeZone         string            `yaml:"time_zone"` // IANA zone of every time shown to staff or patients, e.g. "Europe/Dublin"; default UTC
	Phone            string            `yaml:"phone"`
	Email            string            `yaml:"email"`
	Address          string            `yaml:"address"`
	Town             string            `yaml:"town"`              // where the practice is, for page titles: "Rhinoplasty in Dublin — …"
	CoordinatorEmail string            `yaml:"coordinator_email"` // the coordinator's queue; the default route for leads
	Hours            map[string]string `yaml:"hours"`             // when the practice is open, for the pages and the response clock: days → hours, e.g. "mon-fri": "09:00-18:00"; none means always open
	Social           []Link            `yaml:"social"`
	Categories       []Category        `yaml:"categories"` // default: face, breast, body, skin, non-surgical
	Theme            string            `yaml:"theme"`      // default themes.Default, the built-in theme
	Palette          Palette           `yaml:"palette"`
	Markdown         Markdown          `yaml:"markdown"`
	Form             Form              `yaml:"form"`
	Intake           Intake            `yaml:"intake"`
	Care             CareConfig        `yaml:"care"`
	Photos           Photos            `yaml:"photos"`
	Gallery          Gallery           `yaml:"gallery"`

	Compliance       []string `yaml:"compliance"`        // advertising rule sets that apply, e.g. [uk, ie]; none by default
	ComplianceStrict *bool    `yaml:"compliance_strict"` // false: a broken rule is a warning; unset or true: an error that stops the build

	// The practice's brand. Paths are under content/; JPEG and PNG files
	// go through the photo pipeline, SVG files are published as they are.
	Logo        string       `yaml:"logo"`        // SVG or PNG, in the header and in emails
	Favicon     string       `yaml:"favicon"`     // square PNG or JPEG, at least 180 px; default: the practice's initials
	Hero        string       `yaml:"hero"`        // the home page's first image, optional
	ShareImage  string       `yaml:"share_image"` // the default Open Graph image
	Memberships []Membership `yaml:"memberships"` // professional bodies and accreditations

	Consultation Consultation `yaml:"consultation"` // what a first consultation costs and is

	clock hours.Clock   // time_zone and the clock's keys under intake, as checkClock read them
	care  care.Settings // the care keys, as checkCare read them
}

// Membership is a professional body or accreditation the practice belongs to.
type Membership struct {
	Name string `yaml:"name"` // required
	Logo string `yaml:"logo"` // SVG or PNG under content/, optional
	URL  string `yaml:"url"`  // the body's site, optional
}

// Consultation is a first consultation as patients weigh it before they
// ask for one: the pages say it beside their first Book button and the
// form beside its Send button, e.g. "€150, deducted from your surgery ·
// 45 minutes with a consultant · in person or by video". Each part is
// said only when set.
type Consultation struct {
	Fee                 int      `yaml:"fee"`                   // in whole units of Currency, e.g. 150; 0 says nothing of a fee
	Currency            string   `yaml:"currency"`              // ISO 4217; default the currency of the procedures' fees
	DeductedFromSurgery bool     `yaml:"deducted_from_surgery"` // the fee comes off the surgery's if the patient goes ahead
	Minutes             int      `yaml:"minutes"`               // how long it lasts, e.g. 45
	Formats             []string `yaml:"formats"`               // how it can be held: "in person", "video", "phone"
}

// ConsultationFormats are the formats a consultation may have, and how
// the pages say each.
var ConsultationFormats = map[string]string{"in person": "in person", "video": "by video", "phone": "by phone"}

// OpeningLine is one line of opening hours as patients read them, e.g.
// {Days: "Monday – Thursday", Times: "08:30–18:30"}; Times is "" on days
// the practice is closed.
type OpeningLine struct {
	Days  string
	Times string
}

// Link is a named external link.
type Link struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"` // an http(s) address
}

// Category groups procedures. Slugs are what procedures name in `category`.
type Category struct {
	Slug  string `yaml:"slug"`
	Title string `yaml:"title"`
	Order int    `yaml:"order"`
}

// Palette lets a site set the theme's colours as CSS colour values. Empty
// fields keep the theme's own; the loader checks the contrast of text on
// background is at least 4.5:1.
type Palette struct {
	Ink    string `yaml:"ink"`    // body text
	Paper  string `yaml:"paper"`  // background
	Accent string `yaml:"accent"` // links, buttons
	Muted  string `yaml:"muted"`  // secondary text
}

// Markdown holds the site's Markdown settings.
type Markdown struct {
	UnsafeHTML bool `yaml:"unsafe_html"` // keep raw HTML in Markdown; off by default
}

// Form is the consultation form's settings.
type Form struct {
	Endpoint       string `yaml:"endpoint"`        // where the form posts; default form.DefaultAction, the intake service on the same origin
	Page           string `yaml:"page"`            // URL of the "Your consultation" page; default form.DefaultPage
	ThankYou       string `yaml:"thank_you"`       // URL of the thank-you page; default form.DefaultThankYou
	PrivacyWording string `yaml:"privacy_wording"` // label of the required privacy consent box
	SMSWording     string `yaml:"sms_wording"`     // label of the optional SMS opt-in box
	WordingVersion string `yaml:"wording_version"` // kept with each opt-in
}

// Intake holds what the intake service takes from the site.
type Intake struct {
	Region         string            `yaml:"region"`          // default region for phone numbers, e.g. "GB"
	Coordinators   map[string]string `yaml:"coordinators"`    // category slug → coordinator address; others go to CoordinatorEmail
	AllowedOrigins []string          `yaml:"allowed_origins"` // origins allowed to post the form; the site's own is always allowed

	// The response clock (see internal/hours), with the top level's hours
	// and time_zone. Each is checked by check.
	Closed        []time.Time `yaml:"closed"`          // dates closed all day, e.g. 2026-12-25
	RespondWithin string      `yaml:"respond_within"`  // open time to answer a lead, e.g. "2h"; default 2h
	EscalateTo    []string    `yaml:"escalate_to"`     // addresses told of a lead still unclaimed after its reminder
	FollowUpAfter string      `yaml:"follow_up_after"` // working days after "contacted" before a follow-up reminder, e.g. "3d"; default 3d
	DigestTo      []string    `yaml:"digest_to"`       // addresses of the daily digest; none sends no digest
	DigestAt      string      `yaml:"digest_at"`       // practice time of the digest on open days, e.g. "08:30"; default 08:30
	Attempts      []string    `yaml:"attempts"`        // when to call again after a call nobody answered, e.g. [2h, next morning, day 3] (the default)

	// Staff are the people who act on leads, by name and address: the
	// lead's page records each action as theirs, and a link sent to an
	// address several of them share asks which of them is acting.
	Staff []StaffMember `yaml:"staff"`
}

// StaffMember is one person of intake.staff: their name, and the address
// their links go to, their own or a mailbox they share.
type StaffMember struct {
	Name  string `yaml:"name"`
	Email string `yaml:"email"`
}

// Photos holds the photo pipeline's settings.
type Photos struct {
	Widths    []int      `yaml:"widths"`     // output widths; empty means photo.Options' default
	Quality   int        `yaml:"quality"`    // JPEG quality 1–100; 0 means photo.Options' default
	MaxPixels int        `yaml:"max_pixels"` // larger sources are refused; 0 means photo.Options' default
	Watermark *Watermark `yaml:"watermark"`
}

// Watermark is drawn on every published photo when set.
type Watermark struct {
	Text     string  `yaml:"text"`     // default the practice's name
	Logo     string  `yaml:"logo"`     // path of a PNG under content/, instead of text
	Position string  `yaml:"position"` // bottom-right (default), bottom-left, top-right, top-left, center
	Opacity  float64 `yaml:"opacity"`  // 0..1, default 0.35
}

// Gallery holds the gallery's settings.
type Gallery struct {
	PerPage    int    `yaml:"per_page"`   // cases per gallery page, default 12
	Disclaimer string `yaml:"disclaimer"` // default "Individual results vary."
}

// Page is one Markdown file. Common front matter is in Meta; the kind's own
// fields are in Procedure, Member or Case (nil for other kinds).
type Page struct {
	Meta

	File     string // path relative to the site folder, e.g. "content/procedures/rhinoplasty.md"
	Kind     Kind
	Section  string // first folder under content/, "" for the home page and top-level pages
	URL      string // path with a trailing slash, e.g. "/procedures/rhinoplasty/"
	Body     []byte // the Markdown after the front matter
	BodyLine int    // the file's line number of Body's first line
	Bundle   string // for page bundles (<slug>/index.md), the bundle folder relative to the site; else ""

	Procedure     *Procedure
	Member        *Member
	Case          *Case
	PatientReview *PatientReview
	Care          *CareStep

	lines map[string]int // front matter field path → file line
}

// Line returns the file line of a front matter field, such as
// "description" or "faq[2].a", or 1 (the opening "---") when the field is
// not there: where a problem about the field is reported.
func (p *Page) Line(field string) int {
	if n, ok := p.lines[field]; ok {
		return n
	}
	return 1
}

// ForgetLines lets go of the front matter line index of every page of
// the site, for a build that reports no more problems: Line then gives 1.
// Of a large site's memory, the index is a fifth.
func (s *Site) ForgetLines() {
	for _, p := range s.Pages {
		p.lines = nil
	}
}

// FileRef is a file that front matter names, such as a case's photo,
// resolved against the page's folder, with where it is named: what a step
// after loading needs to use the file and to report a problem with it.
type FileRef struct {
	Path  string // in the site folder, e.g. "content/gallery/case-1/before.jpg"; "" when the file does not exist
	Line  int    // the front matter line that names it
	Field string // the field that names it, e.g. "photos[0].before"
}

// Meta holds the front matter keys common to every page.
type Meta struct {
	Title       string    `yaml:"title"`       // required
	Description string    `yaml:"description"` // meta description, at most 160 characters
	Draft       bool      `yaml:"draft"`       // drafts are not published
	Weight      int       `yaml:"weight"`      // lower comes first in lists
	Aliases     []string  `yaml:"aliases"`     // old URLs that redirect here
	Slug        string    `yaml:"slug"`        // overrides the file name in the URL
	Date        time.Time `yaml:"date"`
	Lastmod     time.Time `yaml:"lastmod"` // default: the file's modification time
}

// Procedure is the front matter of content/procedures/<slug>.md.
type Procedure struct {
	Category     string    `yaml:"category"` // a category slug; required
	Summary      string    `yaml:"summary"`
	Fees         Fees      `yaml:"fees"`
	Recovery     string    `yaml:"recovery"`
	Duration     string    `yaml:"duration"`
	Anesthesia   string    `yaml:"anesthesia"`
	SurgeonSlugs []string  `yaml:"surgeons"` // team slugs
	FAQ          []QA      `yaml:"faq"`
	RelatedSlugs []string  `yaml:"related"` // procedure slugs
	Risks        []string  `yaml:"risks"`   // what can go wrong, one a line; or a "## Risks" section in the body
	ReviewedBy   string    `yaml:"reviewed_by"`
	ReviewedOn   time.Time `yaml:"reviewed_on"`
	// SensitivePhotos gates every case of the procedure: its photos load
	// only when the visitor chooses (breast and body procedures).
	SensitivePhotos bool `yaml:"sensitive_photos"`

	// Resolved by the loader.
	Reviewer     *Page     `yaml:"-"` // the team member named by reviewed_by
	CategoryInfo *Category `yaml:"-"`
	Surgeons     []*Page   `yaml:"-"`
	Related      []*Page   `yaml:"-"`
	Cases        []*Page   `yaml:"-"` // published cases of this procedure, newest first
	Reviews      []*Page   `yaml:"-"` // published reviews of this procedure, newest first
}

// Fees is a procedure's fee range in whole units of Currency.
type Fees struct {
	From     int    `yaml:"from"`
	To       int    `yaml:"to"`
	Currency string `yaml:"currency"` // ISO 4217, e.g. "EUR"
	Note     string `yaml:"note"`     // e.g. "includes aftercare appointments"
}

// QA is one frequently asked question and its answer (Markdown inline text).
type QA struct {
	Q string `yaml:"q"`
	A string `yaml:"a"`
}

// Member is the front matter of content/team/<slug>.md. The member's name is Meta.Title.
type Member struct {
	Role         string        `yaml:"role"` // surgeon, doctor, nurse, coordinator, …: see Clinical
	Credentials  string        `yaml:"credentials"`
	Photo        string        `yaml:"photo"` // image path relative to the page, or to content/
	Languages    []string      `yaml:"languages"`
	Email        string        `yaml:"email"`
	Registration *Registration `yaml:"registration"` // a surgeon's professional registration
	Affiliations []Link        `yaml:"affiliations"` // hospitals the member works at, each with its site
	Memberships  []Link        `yaml:"memberships"`  // professional bodies the member belongs to, each with its site

	// Resolved by the loader.
	PhotoFile  FileRef `yaml:"-"` // Photo's file, when Photo is set
	Procedures []*Page `yaml:"-"` // procedures that name this member as a surgeon
	Reviews    []*Page `yaml:"-"` // published reviews naming this member, or one of their procedures without a surgeon; newest first
}

// Registration is a clinician's entry in a professional register, e.g.
// {Body: "Irish Medical Council", Number: "123456", URL: "https://…"}.
type Registration struct {
	Body   string `yaml:"body"`   // the register, e.g. "Irish Medical Council" or "GMC"
	Number string `yaml:"number"` // the registration number
	URL    string `yaml:"url"`    // the public register's page for this clinician, where a patient can check it
}

// String is the registration as patients read it: "Irish Medical Council 123456".
func (r Registration) String() string {
	return strings.TrimSpace(r.Body + " " + r.Number)
}

// PatientReview is the front matter of content/reviews/<slug>.md: a
// patient's review, published with their consent. Its body is the
// review's text, plain: blank lines separate paragraphs. The date it was
// written is Meta.Date (front matter "date"), required.
type PatientReview struct {
	Author         string     `yaml:"author"`    // as the patient agreed to be named, e.g. "Sarah, 42"; required
	ProcedureSlug  string     `yaml:"procedure"` // the procedure reviewed, a procedures/ slug; optional
	SurgeonSlug    string     `yaml:"surgeon"`   // the surgeon reviewed, a team/ slug; optional
	Rating         int        `yaml:"rating"`    // 1 to 5; required
	Source         string     `yaml:"source"`    // where it was written, e.g. "Google", "RealSelf", "Patient survey"; required
	URL            string     `yaml:"url"`       // the review where it was written, when it is public there; optional
	Consent        time.Time  `yaml:"consent"`   // date the patient's consent to publish was recorded; required
	ConsentExpires *time.Time `yaml:"consent_expires"`

	// Resolved by the loader.
	Procedure *Page `yaml:"-"`
	Surgeon   *Page `yaml:"-"`
}

// Case is the front matter of a before/after case, content/gallery/<case>/index.md.
type Case struct {
	ID             string      `yaml:"id"`        // a short code that says nothing of the patient; the URL is /gallery/<procedure>-<id>/; required
	ProcedureSlug  string      `yaml:"procedure"` // required
	SurgeonSlug    string      `yaml:"surgeon"`   // required
	Patient        Patient     `yaml:"patient"`
	MonthsAfter    int         `yaml:"months_after"`
	Consent        time.Time   `yaml:"consent"` // date written consent for web publication was recorded; required
	ConsentExpires *time.Time  `yaml:"consent_expires"`
	Sensitive      bool        `yaml:"sensitive"` // photos load only when the visitor chooses; always so for a procedure with sensitive_photos
	Retouched      *bool       `yaml:"retouched"` // false: shown as "Unretouched photos"
	Photos         []PhotoPair `yaml:"photos"`

	// Resolved by the loader.
	Procedure *Page `yaml:"-"`
	Surgeon   *Page `yaml:"-"`
	Gated     bool  `yaml:"-"` // photos load only when the visitor chooses: Sensitive, or the procedure's SensitivePhotos
}

// Patient describes the patient of a case without identifying them.
type Patient struct {
	Age    string `yaml:"age"` // one of AgeBands; a whole number from 18 to 100 is published as its band
	Sex    string `yaml:"sex"` // one of Sexes
	Height string `yaml:"height"`
	Weight string `yaml:"weight"`
}

// PhotoPair is one angle of a case: a before and an after photo.
type PhotoPair struct {
	Before string `yaml:"before"` // file in the bundle
	After  string `yaml:"after"`
	Angle  string `yaml:"angle"`
	Alt    string `yaml:"alt"` // required

	// Resolved by the loader.
	BeforeFile FileRef `yaml:"-"`
	AfterFile  FileRef `yaml:"-"`
}

// Unretouched reports whether the case says its photos are not retouched
// (retouched: false); a case that says nothing is not labelled.
func (c *Case) Unretouched() bool { return c.Retouched != nil && !*c.Retouched }
