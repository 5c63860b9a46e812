package form

import (
	"encoding/json"
	"errors"
	"testing"
)

// TestValidation: each field's checks, as the intake runs them.
func TestValidation(t *testing.T) {
	want := map[string]string{
		"first_name":        "required,visible,max=100,singleline,noencoded",
		"last_name":         "required,visible,max=100,singleline,noencoded",
		"email":             "required,visible,max=254,singleline,plainaddress,localpart,email,mailbox",
		"phone":             "omitempty,visible,max=40,singleline",
		"procedure":         "required,visible,max=100,procedure",
		"surgeon":           "omitempty,visible,max=100,surgeon",
		"preferred_contact": "omitempty,visible,oneof=phone email text",
		"preferred_time":    "omitempty,visible,max=100,singleline",
		"preferred_days":    "omitempty,visible,max=100,singleline",
		"message":           "omitempty,visible,max=2000,text",
		"source":            "omitempty,visible,max=100,singleline",
		"language":          "omitempty,visible,max=35,bcp47_language_tag",
		"page":              "omitempty,visible,max=2048,page",
		"consent_privacy":   "required",
		"sms_opt_in":        "omitempty",
		"wording_version":   "omitempty,visible,max=40,singleline",
		"form_token":        "omitempty,visible,max=200,token",
		"idempotency_key":   "omitempty,visible,max=100,token",
		"website":           "",
	}
	if len(Fields()) != len(want) {
		t.Errorf("%d fields, want %d", len(Fields()), len(want))
	}
	for _, f := range Fields() {
		if got := f.Validation(); got != want[f.Name] {
			t.Errorf("%s: %q, want %q", f.Name, got, want[f.Name])
		}
	}
}

func TestMessage(t *testing.T) {
	for _, tc := range []struct{ field, rule, param, want string }{
		{"first_name", "required", "", "Please enter your first name."},
		{"last_name", "max", "100", "Please shorten your last name to at most 100 characters."},
		{"first_name", "noencoded", "", `Please remove "=?" from your first name.`},
		{"email", "mailbox", "", "Please enter an email address like name@example.com, in plain Latin letters."},
		{"email", "required", "", "Please enter your email address."},
		{"phone", "required", "", "Please enter a phone number, so that we can call or text you as you asked."},
		{"phone", "singleline", "", "Please use letters, numbers and punctuation only, on one line."},
		{"procedure", "required", "", `Please choose a procedure, or "Not sure yet".`},
		{"surgeon", "surgeon", "", `Please choose a surgeon from the list, or "No preference".`},
		{"preferred_days", "max", "100", "Please shorten your choice of days to at most 100 characters."},
		{"preferred_contact", "oneof", "phone email text", "Please choose phone, email or text."},
		{"message", "text", "", "Please remove the unusual characters from your message."},
		{"source", "max", "100", "Please shorten your answer to how you heard of us to at most 100 characters."},
		{"consent_privacy", "required", "", "Please tick the box to agree to our privacy notice, so that we may contact you."},
		{"idempotency_key", "token", "", "Please reload the page and try again."},
		{"page", "something", "", "Please check your page."},
		{"preferred_contact", "visible", "", "Please remove the invisible or text-direction characters from your way to contact you (they can come with text copied from elsewhere)."},
		{"first_name", "visible", "", "Please remove the invisible or text-direction characters from your first name (they can come with text copied from elsewhere)."},
	} {
		if got := Must(tc.field).Message(tc.rule, tc.param); got != tc.want {
			t.Errorf("%s %s: %q, want %q", tc.field, tc.rule, got, tc.want)
		}
	}
}

// TestPageField: a template's view of a field: declaration, value, error,
// and the site's own wording of the tick boxes.
func TestPageField(t *testing.T) {
	p := Page{Values: Values{Email: "ada@", SMSOptIn: true}, Errors: map[string]string{"email": "Please enter an email address like name@example.com."},
		SMSWording: "Text me."}
	in, err := p.Field("email")
	if err != nil || in.Label != "Email address" || in.Max != 254 || !in.Required || in.Value != "ada@" || in.Error == "" {
		t.Errorf("email: %+v, %v", in, err)
	}
	if in, _ := p.Field("sms_opt_in"); !in.Checked || in.Label != "Text me." {
		t.Errorf("sms_opt_in: %+v", in)
	}
	if in, _ := p.Field("consent_privacy"); in.Checked || in.Label != Must("consent_privacy").Label {
		t.Errorf("consent_privacy: %+v", in)
	}
	if _, err := p.Field("surname"); err == nil {
		t.Error("a field the form does not have: no error")
	}
}

func TestValues(t *testing.T) {
	var v Values
	for name, value := range map[string]string{"first_name": " Ada ", "consent_privacy": "on", "sms_opt_in": "", "website": "x", "nonsense": "y"} {
		if err := v.Set(name, value); err != nil {
			t.Fatal(name, err)
		}
	}
	v.Trim()
	if v.FirstName != "Ada" || !v.ConsentPrivacy || v.SMSOptIn || v.Website != "x" || v.Get("consent_privacy") != "on" || v.Get("first_name") != "Ada" {
		t.Errorf("values %+v", v)
	}
	if err := v.Set("consent_privacy", "maybe"); !errors.Is(err, ErrNotTick) {
		t.Errorf("a tick box sent as maybe: %v", err)
	}
	// JSON: the fields' names, and a tick box is true, false or null.
	if err := json.Unmarshal([]byte(`{"last_name":"Lovelace","sms_opt_in":true,"consent_privacy":null}`), &v); err != nil || v.LastName != "Lovelace" || !v.SMSOptIn || v.ConsentPrivacy {
		t.Errorf("JSON: %+v, %v", v, err)
	}
	if err := json.Unmarshal([]byte(`{"consent_privacy":"on"}`), &v); !errors.Is(err, ErrNotTick) {
		t.Errorf("JSON tick box \"on\": %v", err)
	}
}

func TestCountryCode(t *testing.T) {
	for _, tc := range []struct{ phone, region, want string }{
		{"+44 20 7946 0123", "IE", "+44"}, // the phone's country first
		{"01 555 0142", "IE", "+353"},     // a national number, read in the region
		{"", "ie", "+353"},
		{"", "", ""},
		{"not a phone", "XX", ""},
	} {
		if got := CountryCode(tc.phone, tc.region); got != tc.want {
			t.Errorf("CountryCode(%q, %q) = %q, want %q", tc.phone, tc.region, got, tc.want)
		}
	}
}

// TestInvisible: direction and invisible characters are found and
// stripped; the joiners that scripts and emoji need are not.
func TestInvisible(t *testing.T) {
	for _, r := range []rune{'\u202e', '\u2066', '\u2069', '\u200b', '\u200e', '\u200f', '\u061c', '\ufeff', '\u00ad', '\u2060', '\U000E0041', '\u3164'} {
		if !Invisible(r) {
			t.Errorf("U+%04X: not invisible", r)
		}
	}
	for _, r := range []rune{'a', ' ', '\u200c', '\u200d', '\ufe0f', 'é', '中'} {
		if Invisible(r) {
			t.Errorf("U+%04X: invisible", r)
		}
	}
	if got := StripInvisible("\u202egnp\u200b.exe"); got != "gnp.exe" {
		t.Errorf("StripInvisible = %q", got)
	}
}
