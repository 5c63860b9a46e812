package intake

// builtinForm is the plain form page shown again after errors when the
// site gives no template of its own. It needs no script and no stylesheet.
const builtinForm = `<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Please check your request – {{.Practice}}</title>
<style>
body{font:1.0625rem/1.5 system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}
label{display:block;font-weight:600;margin-top:1rem}
input,select,textarea{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #555;border-radius:4px}
input[type=checkbox],input[type=radio]{width:auto}
fieldset{border:0;padding:0;margin:1rem 0 0}
legend{font-weight:600}
.choice{display:inline-block;font-weight:400;margin:.25rem 1rem 0 0}
.check{display:flex;gap:.5rem;align-items:flex-start;font-weight:400}
.error{color:#a00000;font-weight:600;margin:.25rem 0 0}
[aria-invalid=true]{border:2px solid #a00000}
.summary{border:3px solid #a00000;padding:1rem;margin:1rem 0}
.summary a{color:#a00000}
.hint{color:#444;margin:.25rem 0 0}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
button{font:inherit;font-weight:600;margin-top:1.5rem;padding:.75rem 1.5rem;background:#1f4e79;color:#fff;border:0;border-radius:4px}
</style>
</head>
<body>
<main>
<h1>Please check your request</h1>
{{template "consultation-form" .}}
</main>
</body>
</html>
{{define "consultation-form"}}
{{- if .Summary}}
<div class="summary" role="alert" tabindex="-1" id="error-summary">
<h2>{{len .Summary}} {{if eq (len .Summary) 1}}thing needs{{else}}things need{{end}} correcting</h2>
<ul>{{range .Summary}}<li><a href="#{{.Field}}">{{.Message}}</a></li>{{end}}</ul>
</div>
{{- end}}
<form method="post" action="{{.Action}}" novalidate>
<p>Fields marked (required) must be filled in. Please do not send medical details or photos here.</p>
{{template "text-field" (field . "first_name" "First name (required)" .Values.FirstName "text" "given-name")}}
{{template "text-field" (field . "last_name" "Last name (required)" .Values.LastName "text" "family-name")}}
{{template "text-field" (field . "email" "Email address (required)" .Values.Email "email" "email")}}
{{template "text-field" (field . "phone" "Phone number" .Values.Phone "tel" "tel")}}
<label for="procedure">Procedure you are interested in (required)</label>
{{with .Errors.procedure}}<p class="error" id="procedure-error">{{.}}</p>{{end}}
<select id="procedure" name="procedure"{{if .Errors.procedure}} aria-invalid="true" aria-describedby="procedure-error"{{end}}>
<option value="">Choose a procedure</option>
{{- $chosen := .Values.Procedure}}
{{- range .Groups}}
<optgroup label="{{.Title}}">{{range .Procedures}}<option value="{{.Slug}}"{{if eq .Slug $chosen}} selected{{end}}>{{.Title}}</option>{{end}}</optgroup>
{{- end}}
<option value="not-sure"{{if eq $chosen "not-sure"}} selected{{end}}>Not sure yet</option>
</select>
<fieldset{{if .Errors.preferred_contact}} aria-describedby="preferred_contact-error"{{end}}>
<legend>How would you like us to contact you?</legend>
{{with .Errors.preferred_contact}}<p class="error" id="preferred_contact-error">{{.}}</p>{{end}}
{{- $c := .Values.PreferredContact}}
<label class="choice"><input type="radio" id="preferred_contact" name="preferred_contact" value="phone"{{if eq $c "phone"}} checked{{end}}> Phone call</label>
<label class="choice"><input type="radio" name="preferred_contact" value="email"{{if eq $c "email"}} checked{{end}}> Email</label>
<label class="choice"><input type="radio" name="preferred_contact" value="text"{{if eq $c "text"}} checked{{end}}> Text message</label>
</fieldset>
{{template "text-field" (field . "preferred_time" "Best time to reach you" .Values.PreferredTime "text" "off")}}
<label for="message">Anything you would like us to know</label>
<p class="hint" id="message-hint">Please do not include medical details.</p>
{{with .Errors.message}}<p class="error" id="message-error">{{.}}</p>{{end}}
<textarea id="message" name="message" rows="5" maxlength="2000" aria-describedby="message-hint{{if .Errors.message}} message-error{{end}}"{{if .Errors.message}} aria-invalid="true"{{end}}>{{.Values.Message}}</textarea>
{{template "text-field" (field . "source" "How did you hear about us?" .Values.Source "text" "off")}}
<label class="check"><input type="checkbox" id="consent_privacy" name="consent_privacy" value="on"{{if .Values.ConsentPrivacy}} checked{{end}}{{if .Errors.consent_privacy}} aria-invalid="true" aria-describedby="consent_privacy-error"{{end}}> <span>{{.PrivacyWording}} (required)</span></label>
{{with .Errors.consent_privacy}}<p class="error" id="consent_privacy-error">{{.}}</p>{{end}}
<label class="check"><input type="checkbox" id="sms_opt_in" name="sms_opt_in" value="on"{{if .Values.SMSOptIn}} checked{{end}}> <span>{{.SMSWording}}</span></label>
<input type="hidden" name="wording_version" value="{{.WordingVersion}}">
<input type="hidden" name="language" value="{{.Values.Language}}">
<input type="hidden" name="page" value="{{.Values.Page}}">
<input type="hidden" name="form_token" value="{{.Values.FormToken}}">
<input type="hidden" name="idempotency_key" value="{{.Values.IdempotencyKey}}">
<div class="hp" aria-hidden="true"><label for="website">Leave this empty</label><input id="website" name="website" tabindex="-1" autocomplete="off"></div>
<button type="submit">Send my request</button>
</form>
{{end}}
{{define "text-field"}}
<label for="{{.Name}}">{{.Label}}</label>
{{with .Error}}<p class="error" id="{{$.Name}}-error">{{.}}</p>{{end}}
<input type="{{.Type}}" id="{{.Name}}" name="{{.Name}}" value="{{.Value}}" autocomplete="{{.Autocomplete}}"{{if .Error}} aria-invalid="true" aria-describedby="{{.Name}}-error"{{end}}>
{{end}}`
