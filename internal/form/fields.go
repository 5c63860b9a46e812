package form

import (
	"strconv"
	"strings"
)

// Field is one field of the consultation form, declared once for every
// part that handles it: the theme draws it from its Input (Page.Field),
// the intake service decodes it by Name, validates it by Rules and
// explains a mistake with Message, shows it again with the patient's
// value, and the coordinator's email labels it with Staff.
type Field struct {
	Name  string // the form's and the JSON API's name, and the input's id: "first_name"
	Kind  Kind
	Label string // what the form calls it: "First name"; "" for a field patients do not see
	Noun  string // what a message calls it: "Please enter your first name."
	Staff string // what the coordinator's email calls it: "Best time"; "" when it does not show it as a row
	Hint  string // said under the label, e.g. the message's "No medical details, please."; "" for none

	Required bool // must be filled in, or ticked
	Max      int  // the most characters; 0 for none (a tick box)
	// Rules are the further checks, in the order they run, as
	// go-playground/validator tags; the intake registers those that are
	// its own (singleline, mailbox, procedure…). Required, Max and a
	// Radio's choices are added by Validation.
	Rules string
	// Messages are what a patient reads when a rule fails, by rule, where
	// the general words (see Message) do not fit; "" is any other rule.
	Messages map[string]string

	Autocomplete string   // the input's autocomplete token: "given-name", "email"
	Empty        string   // a select's first option, for no choice: "Any time"; the email says it too
	Choices      []Choice // a Radio's choices, and a Select's suggestions
}

// Kind is how a field is drawn and sent.
type Kind int

// The kinds of field.
const (
	Text     Kind = iota // <input type="text">
	Email                // <input type="email">
	Phone                // <input type="tel">
	TextArea             // <textarea>
	Select               // <select>: its Choices are suggestions, and any text up to Max is taken
	Radio                // radio buttons: one of Choices, or none
	Checkbox             // a tick box: sent as "on", or not at all (JSON: true or false); see Tick
	Hidden               // <input type="hidden">: filled in by the page or its script
	Honeypot             // hidden from people, left empty by them: filled in, it marks spam
)

// Choice is one choice of a Radio or Select field.
type Choice struct {
	Value string // as sent: "phone"
	Label string // as the form shows it: "By phone"
	Staff string // as the coordinator's email shows it: "Phone call"; "" is Label
}

// The messages of more than one field.
const (
	msgEmail = "Please enter an email address like name@example.com."
	msgToken = "Please reload the page and try again."
)

// NotSure is the procedure a patient chooses when not sure yet.
const NotSure = "not-sure"

// fields is the consultation form, in its order: the order of the fields
// on the page, and of the mistakes in the summary above it.
var fields = []Field{
	{Name: "first_name", Kind: Text, Label: "First name", Noun: "first name", Required: true, Max: 100,
		Rules: "singleline,noencoded", Autocomplete: "given-name"},
	{Name: "last_name", Kind: Text, Label: "Last name", Noun: "last name", Required: true, Max: 100,
		Rules: "singleline,noencoded", Autocomplete: "family-name"},
	{Name: "email", Kind: Email, Label: "Email address", Noun: "email address", Staff: "Email", Required: true, Max: 254,
		Rules: "singleline,plainaddress,localpart,email,mailbox", Autocomplete: "email",
		Messages: map[string]string{
			"email":        msgEmail,
			"plainaddress": "Please enter your email address without the characters ? % & or !.",
			"localpart":    "The part of your email address before the @ is too long: at most 64 characters.",
			"mailbox":      "Please enter an email address like name@example.com, in plain Latin letters.",
		}},
	{Name: "phone", Kind: Phone, Label: "Phone number", Noun: "phone number", Staff: "Phone", Max: 40,
		Hint: "Needed if you would like a call or a text. From abroad, start with your country code.",
		// Required when the patient asks for a call, a text or text
		// messages; "phone" is the intake's check that it is a number.
		Rules: "singleline", Autocomplete: "tel",
		Messages: map[string]string{
			"required": "Please enter a phone number, so that we can call or text you as you asked.",
			"phone":    "Please enter a phone number we can call, with the country code if you are abroad (for example +44 20 7946 0123).",
		}},
	{Name: "procedure", Kind: Select, Label: "Procedure you are interested in", Noun: "procedure", Required: true, Max: 100,
		Rules: "procedure", Empty: "Choose a procedure",
		Choices: []Choice{{Value: NotSure, Label: "Not sure yet"}}, // and the site's procedures
		Messages: map[string]string{
			"required":  `Please choose a procedure, or "Not sure yet".`,
			"procedure": `Please choose a procedure from the list, or "Not sure yet".`,
		}},
	// The surgeon's choices are the site's surgeons (Page.Surgeons); the
	// intake's "surgeon" rule takes only theirs.
	{Name: "surgeon", Kind: Select, Label: "Surgeon you would like to see", Noun: "surgeon", Staff: "Preferred surgeon", Max: 100,
		Rules: "surgeon", Empty: "No preference",
		Messages: map[string]string{"surgeon": `Please choose a surgeon from the list, or "No preference".`}},
	{Name: "preferred_contact", Kind: Radio, Label: "How would you like us to contact you?", Noun: "way to contact you", Staff: "Prefers",
		Choices: []Choice{
			{Value: "phone", Label: "By phone", Staff: "Phone call"},
			{Value: "email", Label: "By email", Staff: "Email"},
			{Value: "text", Label: "By text message", Staff: "Text message"},
		},
		Messages: map[string]string{"": "Please choose phone, email or text."}},
	// The best times are the practice's (Page.Times, from its opening
	// hours); these are a practice's that answers at any time.
	{Name: "preferred_time", Kind: Select, Label: "Best time to reach you", Noun: "preferred time", Staff: "Best time", Max: 100,
		Rules: "singleline", Empty: "Any time",
		Choices: choices("Morning (09:00–12:00)", "Afternoon (12:00–17:00)", "Early evening (17:00–19:00)")},
	{Name: "preferred_days", Kind: Text, Label: "Days that suit you", Noun: "choice of days", Staff: "Best days", Max: 100,
		Hint: "For example: Tuesdays, or any day but Monday.", Rules: "singleline", Autocomplete: "off"},
	{Name: "message", Kind: TextArea, Label: "Anything you would like to ask or tell us", Noun: "message", Max: 2000,
		Hint:  "For example, when you would like to have treatment. No medical details, please. At most 2,000 characters.",
		Rules: "text"},
	{Name: "source", Kind: Select, Label: "How did you hear about us?", Noun: "answer to how you heard of us", Staff: "Heard of us", Max: 100,
		Rules: "singleline", Empty: "Prefer not to say",
		Choices: choices("Search engine", "Social media", "A friend or family member", "My doctor", "Press or magazine", "Other")},
	{Name: "language", Kind: Hidden, Noun: "language", Staff: "Language", Max: 35, Rules: "bcp47_language_tag",
		Messages: map[string]string{"bcp47_language_tag": "Please choose a language from the list."}},
	{Name: "page", Kind: Hidden, Noun: "page", Staff: "Form sent from", Max: 2048, Rules: "page",
		Messages: map[string]string{"page": "The page address is not valid."}},
	{Name: "consent_privacy", Kind: Checkbox, Staff: "Privacy notice", Required: true,
		Label:    "I agree that the practice may use these details to reply to my request, as its privacy notice describes.",
		Messages: map[string]string{"": "Please tick the box to agree to our privacy notice, so that we may contact you."}},
	{Name: "sms_opt_in", Kind: Checkbox, Staff: "Text messages", Label: "Text me about my consultation (optional)."},
	{Name: "wording_version", Kind: Hidden, Noun: "wording version", Max: 40, Rules: "singleline"},
	{Name: "form_token", Kind: Hidden, Noun: "form token", Max: 200, Rules: "token",
		Messages: map[string]string{"token": msgToken}},
	{Name: "idempotency_key", Kind: Hidden, Noun: "submission key", Max: 100, Rules: "token",
		Messages: map[string]string{"token": msgToken}},
	{Name: "website", Kind: Honeypot, Label: "Leave this field empty"},
}

// choices are suggestions whose value is their label.
func choices(labels ...string) []Choice {
	out := make([]Choice, len(labels))
	for i, l := range labels {
		out[i] = Choice{Value: l, Label: l}
	}
	return out
}

// byName indexes fields by Name.
var byName = func() map[string]int {
	m := make(map[string]int, len(fields))
	for i, f := range fields {
		m[f.Name] = i
	}
	return m
}()

// Fields returns the form's fields in their order. The slice is the
// form's own: do not change it.
func Fields() []Field { return fields }

// Lookup returns the field called name, and whether there is one.
func Lookup(name string) (Field, bool) {
	i, ok := byName[name]
	if !ok {
		return Field{}, false
	}
	return fields[i], true
}

// Must returns the field called name; it panics when the form has none,
// which only a mistake in Consulta's code can cause.
func Must(name string) Field {
	f, ok := Lookup(name)
	if !ok {
		panic("form: no field " + strconv.Quote(name))
	}
	return f
}

// Type is the type of the field's <input>: "text", "email" or "tel"; ""
// for a field of another kind.
func (f Field) Type() string {
	switch f.Kind {
	case Text:
		return "text"
	case Email:
		return "email"
	case Phone:
		return "tel"
	}
	return ""
}

// Validation returns the field's whole go-playground/validator tag:
// "required" or "omitempty", "visible" (no Invisible character) for every
// field but a tick box, its Max, a Radio's choices, then its Rules.
// It is "" for a field nothing checks (a honeypot: a filled-in one is a
// spam signal, not a mistake).
func (f Field) Validation() string {
	if f.Kind == Honeypot {
		return ""
	}
	tags := []string{"omitempty"}
	if f.Required {
		tags[0] = "required"
	}
	if f.Kind != Checkbox {
		tags = append(tags, "visible") // first, so that its words are the ones a patient reads
	}
	if f.Max > 0 {
		tags = append(tags, "max="+strconv.Itoa(f.Max))
	}
	if f.Kind == Radio {
		vals := make([]string, len(f.Choices))
		for i, c := range f.Choices {
			vals[i] = c.Value
		}
		tags = append(tags, "oneof="+strings.Join(vals, " "))
	}
	if f.Rules != "" {
		tags = append(tags, f.Rules)
	}
	return strings.Join(tags, ",")
}

// Message is what a patient reads when the field fails rule (a validator
// tag; param is the tag's parameter, e.g. Max). It never repeats the
// value entered.
func (f Field) Message(rule, param string) string {
	if m, ok := f.Messages[rule]; ok {
		return m
	}
	noun := f.Noun
	if noun == "" {
		noun = f.Name
	}
	if rule == "visible" { // the same words for every field: they say what to remove
		return "Please remove the invisible or text-direction characters from your " + noun +
			" (they can come with text copied from elsewhere)."
	}
	if m, ok := f.Messages[""]; ok {
		return m
	}
	switch rule {
	case "required":
		return "Please enter your " + noun + "."
	case "max":
		return "Please shorten your " + noun + " to at most " + param + " characters."
	case "noencoded":
		return `Please remove "=?" from your ` + noun + "."
	case "singleline":
		return "Please use letters, numbers and punctuation only, on one line."
	case "text":
		return "Please remove the unusual characters from your " + noun + "."
	}
	return "Please check your " + noun + "."
}

// StaffChoice is how the coordinator's email says a choice of the field:
// the Staff words of the choice whose Value is v, else v itself, and
// Empty for no choice.
func (f Field) StaffChoice(v string) string {
	if v == "" {
		return f.Empty
	}
	for _, c := range f.Choices {
		if c.Value == v {
			if c.Staff != "" {
				return c.Staff
			}
			return c.Label
		}
	}
	return v
}
