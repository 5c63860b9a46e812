package intake

import (
	"encoding/json"
	"html/template"
	"net/http"
	"strings"
	"testing"
)

func TestAccepted(t *testing.T) {
	f := newFixture(t, nil)

	w := f.post(ctJSON, asJSON(validLead()), "")
	if w.Code != http.StatusAccepted {
		t.Fatalf("JSON: status %d, want 202; body %s", w.Code, w.Body)
	}
	var got struct{ ID string }
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || !strings.HasPrefix(got.ID, "ld_") {
		t.Fatalf("JSON: body %s: want {\"id\": \"ld_…\"} (%v)", w.Body, err)
	}

	w = f.post(ctForm, asForm(validLead()), "")
	if w.Code != http.StatusSeeOther {
		t.Fatalf("form: status %d, want 303; body %s", w.Code, w.Body)
	}
	if loc := w.Header().Get("Location"); !strings.HasPrefix(loc, thanksPath+"?") {
		t.Errorf("form: Location %q, want the thank-you page %s", loc, thanksPath)
	}
	if st := f.stats(t); st.Pending != 2 || st.Held != 0 {
		t.Errorf("store: %d pending and %d held, want two coordinator emails pending (no form token: no confirmation)", st.Pending, st.Held)
	}
}

func TestRefused(t *testing.T) {
	big := strings.Repeat("x", 70<<10)
	with := func(k string, v any) string {
		l := validLead()
		l[k] = v
		return asJSON(l)
	}
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		header      []string
		status      int
		errField    string // for 422 JSON: a field that must have an error
	}{
		{"text/plain", "POST", "", "text/plain", "hello", nil, 415, ""},
		{"no content type", "POST", "", "", asJSON(validLead()), nil, 415, ""},
		{"multipart", "POST", "", "multipart/form-data; boundary=x", "--x--", nil, 415, ""},
		{"malformed JSON", "POST", "", ctJSON, `{"first_name": "A"`, nil, 400, ""},
		{"JSON array", "POST", "", ctJSON, `[1, 2]`, nil, 400, ""},
		{"JSON after the object", "POST", "", ctJSON, asJSON(validLead()) + `{}`, nil, 400, ""},
		{"JSON wrong type", "POST", "", ctJSON, with("first_name", 42), nil, 400, ""},
		{"JSON consent a number", "POST", "", ctJSON, with("consent_privacy", 1), nil, 400, ""},
		{"bad form encoding", "POST", "", ctForm, "first_name=%zz", nil, 400, ""},
		{"oversized JSON", "POST", "", ctJSON, with("message", big), nil, 413, ""},
		{"oversized form", "POST", "", ctForm, "message=" + big, nil, 413, ""},
		{"origin not allowed", "POST", "", ctJSON, asJSON(validLead()), []string{"Origin", "https://evil.example"}, 403, ""},
		{"origin null", "POST", "", ctForm, asForm(validLead()), []string{"Origin", "null"}, 403, ""},
		{"unknown procedure", "POST", "", ctJSON, with("procedure", "time-travel"), nil, 422, "procedure"},
		{"CR LF in first name", "POST", "", ctJSON, with("first_name", "Ann\r\nBcc: x@evil.example"), nil, 422, "first_name"},
		{"LF in last name", "POST", "", ctJSON, with("last_name", "B\nX"), nil, 422, "last_name"},
		{"NUL in email", "POST", "", ctJSON, with("email", "a\x00@b.example"), nil, 422, "email"},
		{"CR LF in email", "POST", "", ctJSON, with("email", "a@b.example\r\nBcc: x@evil.example"), nil, 422, "email"},
		{"control in message", "POST", "", ctJSON, with("message", "hi\x1b[31m"), nil, 422, "message"},
		{"bad email", "POST", "", ctJSON, with("email", "not an address"), nil, 422, "email"},
		// Values the validator once let through and mail.Compose refused: a 500.
		{"non-ASCII email", "POST", "", ctJSON, with("email", "jöhn@mail.example"), nil, 422, "email"},
		{"quoted email", "POST", "", ctJSON, with("email", `"aoife"@mail.example`), nil, 422, "email"},
		{"line separator in first name", "POST", "", ctJSON, with("first_name", "Ann\u2028Bcc: x@evil.example"), nil, 422, "first_name"},
		{"invalid UTF-8 in first name", "POST", "", ctForm, "first_name=A%FF&last_name=B&email=a%40b.example&procedure=rhinoplasty&consent_privacy=on", nil, 422, ""},
		{"invalid UTF-8 in message", "POST", "", ctForm, "first_name=A&last_name=B&email=a%40b.example&procedure=rhinoplasty&consent_privacy=on&message=%FF", nil, 422, ""},
		{"bad phone", "POST", "", ctJSON, with("phone", "12"), nil, 422, "phone"},
		{"no consent", "POST", "", ctJSON, with("consent_privacy", false), nil, 422, "consent_privacy"},
		{"bad contact", "POST", "", ctJSON, with("preferred_contact", "pigeon"), nil, 422, "preferred_contact"},
		{"text without phone", "POST", "", ctJSON, with("phone", ""), nil, 422, "phone"},
		{"long message", "POST", "", ctJSON, with("message", strings.Repeat("é", 2001)), nil, 422, "message"},
		{"bad language", "POST", "", ctJSON, with("language", "not a language"), nil, 422, "language"},
		{"page elsewhere", "POST", "", ctJSON, with("page", "javascript:alert(1)"), nil, 422, "page"},
		{"key with spaces", "POST", "", ctJSON, with("idempotency_key", "a b"), nil, 422, "idempotency_key"},
		// An address that would turn a mailto: link into more (fault 4).
		{"mailto query in email", "POST", "", ctJSON, with("email", "anna?bcc=spy%40evil.example&body=Please_wire_the_deposit@example.com"), nil, 422, "email"},
		{"! in email", "POST", "", ctJSON, with("email", "anna!x@example.com"), nil, 422, "email"},
		{"& in email", "POST", "", ctJSON, with("email", "anna&x@example.com"), nil, 422, "email"},
		{"% in email", "POST", "", ctJSON, with("email", "anna%x@example.com"), nil, 422, "email"},
		{"local part over 64", "POST", "", ctJSON, with("email", strings.Repeat("a", 65)+"@example.com"), nil, 422, "email"},
		// RFC 2047 encoded-words, which mail clients decode in names (fault 6).
		{"encoded word in first name", "POST", "", ctJSON, with("first_name", "=?utf-8?q?Dr=2E_Boss_<boss@harbour.example>?="), nil, 422, "first_name"},
		{"encoded word in last name", "POST", "", ctJSON, with("last_name", "=?utf-8?b?QQ0KQg==?="), nil, 422, "last_name"},
		{"encoded word in email", "POST", "", ctJSON, with("email", "=?utf-8?q?x?=@example.com"), nil, 422, "email"},
		// Strictness (fault 10).
		{"sms_opt_in maybe", "POST", "", ctJSON, with("sms_opt_in", "maybe"), nil, 400, ""},
		{"sms_opt_in a string", "POST", "", ctJSON, with("sms_opt_in", "on"), nil, 400, ""},
		{"consent a string", "POST", "", ctJSON, with("consent_privacy", "yes"), nil, 400, ""},
		{"form sms_opt_in maybe", "POST", "", ctForm, asForm(validLead()) + "&sms_opt_in=maybe", nil, 400, ""},
		{"form consent maybe", "POST", "", ctForm, "first_name=A&last_name=B&email=a%40b.example&procedure=rhinoplasty&consent_privacy=perhaps", nil, 400, ""},
		{"duplicate key", "POST", "", ctJSON, `{"email":"a@b.example",` + asJSON(validLead())[1:], nil, 400, ""},
		{"duplicate key in another case", "POST", "", ctJSON, `{"EMAIL":"a@b.example",` + asJSON(validLead())[1:], nil, 400, ""},
		{"duplicate key escaped", "POST", "", ctJSON, `{"\u0065mail":"a@b.example",` + asJSON(validLead())[1:], nil, 400, ""},
		{"nested keys are not duplicates", "POST", "", ctJSON, `{"x":{"email":1,"y":[{"email":2}]},` + with("procedure", "time-travel")[1:], nil, 422, "procedure"},
		{"GET the collection", "GET", "", "", "", nil, 405, ""},
		{"trailing slash", "POST", "/v1/consultations/", ctJSON, asJSON(validLead()), nil, 404, ""},
		{"unknown path", "GET", "/v1/nothing", "", "", nil, 404, ""},
		{"double slash", "POST", "//v1/consultations", ctJSON, asJSON(validLead()), nil, 404, ""},
		{"dot segment", "POST", "/v1/../v1/consultations", ctJSON, asJSON(validLead()), nil, 404, ""},
		{"preflight from elsewhere", "OPTIONS", "", "", "", []string{"Origin", "https://evil.example", "Access-Control-Request-Method", "POST"}, 403, ""},
	}
	f := newFixture(t, nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path
			if path == "" {
				path = "/v1/consultations"
			}
			r := newRequest(tt.method, path, tt.body)
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			for i := 0; i+1 < len(tt.header); i += 2 {
				r.Header.Set(tt.header[i], tt.header[i+1])
			}
			w := record(f.h, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d; body %s", w.Code, tt.status, w.Body)
			}
			if w.Header().Get("Location") != "" {
				t.Errorf("redirected to %s", w.Header().Get("Location"))
			}
			if tt.errField != "" {
				var got struct{ Errors map[string]string }
				if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
					t.Fatalf("body %s: %v", w.Body, err)
				}
				if got.Errors[tt.errField] == "" {
					t.Errorf("errors %v: nothing for %s", got.Errors, tt.errField)
				}
			}
		})
	}
	if st := f.stats(t); st.Pending+st.Held != 0 {
		t.Errorf("store holds %d messages after refused requests, want none", st.Pending+st.Held)
	}
}

func TestInvalidJSONListsEveryField(t *testing.T) {
	f := newFixture(t, nil)
	w := f.post(ctJSON, `{"email": "nope", "procedure": "time-travel", "preferred_contact": "text"}`, "")
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422; body %s", w.Code, w.Body)
	}
	var got struct{ Errors map[string]string }
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"first_name", "last_name", "email", "phone", "procedure", "consent_privacy"} {
		msg := got.Errors[field]
		if msg == "" {
			t.Errorf("no error for %s in %v", field, got.Errors)
			continue
		}
		if strings.Contains(msg, "_") || strings.Contains(msg, "time-travel") || !strings.HasPrefix(msg, "Please") {
			t.Errorf("%s: %q is not written for a patient", field, msg)
		}
	}
}

func TestInvalidFormShowsFormAgain(t *testing.T) {
	f := newFixture(t, nil)
	l := validLead()
	l["email"] = "aoife<script>@nowhere"
	l["first_name"] = `Aoife "Fee" <b>`
	l["procedure"] = "facelift"
	l["consent_privacy"] = false
	w := f.post(ctForm, asForm(l), "")
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", w.Code)
	}
	body := w.Body.String()
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type %q, want HTML", ct)
	}
	for _, want := range []string{
		`value="Aoife &#34;Fee&#34; &lt;b&gt;"`,          // kept, escaped
		`value="aoife&lt;script&gt;@nowhere"`,            // kept, escaped
		`<option value="facelift" selected>`,             // choice kept
		`id="email-error"`,                               // error beside its field
		`aria-describedby="email-error"`,                 // and tied to it
		`id="consent_privacy-error"`,                     //
		`<a href="#email">Please enter an email address`, // in the summary
		`name="idempotency_key" value="`,                 // a key for the next try
	} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "<script>") || strings.Contains(body, "<b>") {
		t.Error("page holds the patient's markup unescaped")
	}
}

func TestIdempotent(t *testing.T) {
	f := newFixture(t, nil)
	body := asJSON(validLead())
	first := f.post(ctJSON, body, "", "Idempotency-Key", "k-123")
	again := f.post(ctJSON, body, "", "Idempotency-Key", "k-123")
	if first.Code != http.StatusAccepted || again.Code != first.Code || again.Body.String() != first.Body.String() {
		t.Fatalf("answers differ: %d %s, then %d %s", first.Code, first.Body, again.Code, again.Body)
	}
	l := validLead()
	l["idempotency_key"] = "k-456"
	a := f.post(ctForm, asForm(l), "")
	b := f.post(ctForm, asForm(l), "")
	if a.Code != http.StatusSeeOther || b.Code != a.Code || a.Header().Get("Location") != b.Header().Get("Location") {
		t.Fatalf("form answers differ: %d, then %d", a.Code, b.Code)
	}
	if st := f.stats(t); st.Pending != 2 {
		t.Errorf("%d messages pending, want 2: one lead per key, each without a confirmation (no form token)", st.Pending)
	}
}

func TestSiteFormTemplate(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"renders", `<p>site form for {{.Practice}}: {{.Values.Email}} {{.Errors.email}}</p>`,
			"<p>site form for Harbour Aesthetic Surgery: nope Please enter an email address"},
		{"fails, so the built-in form", `{{.Values.NoSuchField}}`, `<h1>Please check your request</h1>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, func(c *Config) { c.Form = template.Must(template.New("x").Parse(tt.src)) })
			l := validLead()
			l["email"] = "nope"
			w := f.post(ctForm, asForm(l), "")
			if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("status %d, body lacks %q:\n%s", w.Code, tt.want, w.Body)
			}
		})
	}
}
