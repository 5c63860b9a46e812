package intake

import "html/template"

// careTemplate is the page of a patient's link, and of a task's: one
// column at any width, the practice's colours, printable (its forms are
// not printed), and no script.
var careTemplate = template.Must(template.New("care").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}} · {{.Practice}}</title>
<style>
body { margin: 0; font: 1.125rem/1.55 system-ui, sans-serif; color: {{.C.Ink}}; background: {{.C.Paper}}; }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
p.practice { color: {{.C.Muted}}; margin: 0 0 .5rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0 0 1rem; }
h2 { font-size: 1.25rem; line-height: 1.3; margin: 1.75rem 0 .5rem; }
a { color: {{.C.Accent}}; }
a[href^="tel:"] { white-space: nowrap; }
.care ul, .bring ul { padding-left: 1.4rem; }
.box { border-left: 4px solid {{.C.Accent}}; background: #fff; padding: .75rem 1rem; margin: 1.25rem 0; }
.box.urgent { border-left-color: #9b1c1c; }
.box p { margin: .25rem 0; }
.box strong { font-size: 1.2rem; }
form { margin: 1.25rem 0; }
fieldset { border: 0; padding: 0; margin: 0 0 1rem; }
legend { font-weight: 700; font-size: 1.25rem; margin-bottom: .5rem; }
label.choice { display: flex; gap: .75rem; align-items: center; min-height: 48px; padding: .25rem .75rem; margin: .5rem 0;
	border: 2px solid {{.C.Muted}}; border-radius: .5rem; background: #fff; cursor: pointer; }
label.choice input { width: 1.4rem; height: 1.4rem; accent-color: {{.C.Accent}}; }
label.text { display: block; font-weight: 600; margin: 1rem 0 .25rem; }
textarea { box-sizing: border-box; width: 100%; min-height: 7rem; font: inherit; padding: .5rem; border: 2px solid {{.C.Muted}}; border-radius: .5rem; }
button { font: inherit; font-weight: 700; min-height: 48px; width: 100%; padding: .75rem 1rem; border: 0; border-radius: .5rem;
	color: {{.C.Paper}}; background: {{.C.Accent}}; cursor: pointer; }
:focus-visible { outline: 3px solid {{.C.Ink}}; outline-offset: 3px; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; margin: 0 0 1.5rem; }
dt { color: {{.C.Muted}}; }
dd { margin: 0; }
.hint { color: {{.C.Muted}}; font-size: 1rem; }
@media print { form, .noprint { display: none; } body { background: #fff; } main { max-width: none; } }
</style>
</head>
<body>
<main>
<p class="practice">{{.Practice}}</p>
<h1>{{.Title}}</h1>
{{if .Message}}<p>{{.Message}}</p>{{end}}
{{- if eq .Sent "worried"}}
<div class="box urgent" role="status">
<p><strong>Thank you for telling us. The team has been told now, and will call you.</strong></p>
</div>
{{template "help" .}}
{{- else if eq .Sent "question"}}
<div class="box" role="status"><p><strong>Thank you. Your question has reached the team.</strong></p>{{with .Due}}<p>We will answer by {{.}}.</p>{{end}}</div>
{{- else if eq .Sent "doing_well"}}
<div class="box" role="status"><p><strong>Thank you for letting us know.</strong></p></div>
{{- else if eq .Sent "read"}}
<div class="box" role="status"><p><strong>Thank you: we know you have read this.</strong></p></div>
{{- else if eq .Sent "change"}}
<div class="box" role="status"><p><strong>Thank you. The team will call you to find another date.</strong></p>{{with .Due}}<p>We will call by {{.}}.</p>{{end}}</div>
{{- end}}
{{- if .TaskFacts}}
<dl>{{range .TaskFacts}}<dt>{{.Label}}</dt><dd>{{.Value}}</dd>{{end}}</dl>
{{if .Button}}<form method="post"><button type="submit">{{.Button}}</button></form>{{else}}<p>{{.Done}}</p>{{end}}
{{- end}}
{{- if .Change}}{{if not .Sent}}
<div class="box"><p>Your {{if .When}}appointment is on <strong>{{.When}}</strong>{{end}}.</p></div>
<form method="post">
<label class="text" for="text">What would suit you better? (optional)</label>
<textarea id="text" name="text" maxlength="2000" autocomplete="off"></textarea>
<p class="hint">Please do not write medical details here: the team will call you.</p>
<button type="submit">Ask to change the date</button>
</form>
{{end}}{{end}}
{{- if .Body}}
{{if .Greeting}}<p class="noprint">Dear {{.Greeting}},</p>{{end}}
<div class="care">{{.Body}}</div>
{{- with .Bring}}
<div class="bring"><h2>What to bring</h2><ul>{{range .}}<li>{{.}}</li>{{end}}</ul></div>
{{- end}}
{{- if eq .Ack "ask"}}{{if ne .Sent "read"}}
<form method="post" id="read"><input type="hidden" name="read" value="1"><button type="submit">I have read this</button></form>
{{end}}{{else if .Ack}}<p class="hint">You confirmed reading this on {{.Ack}}.</p>{{end}}
{{- if .CheckIn}}{{if not .Sent}}
<form method="post" id="feeling">
<fieldset>
<legend>How are you feeling today?</legend>
<label class="choice"><input type="radio" name="answer" value="doing_well" required{{if eq .Answer "doing_well"}} checked{{end}}> Doing well</label>
<label class="choice"><input type="radio" name="answer" value="question"{{if eq .Answer "question"}} checked{{end}}> I have a question</label>
<label class="choice"><input type="radio" name="answer" value="worried"{{if eq .Answer "worried"}} checked{{end}}> I'm worried</label>
</fieldset>
<label class="text" for="text">Your question, or what worries you (optional)</label>
<textarea id="text" name="text" maxlength="2000" autocomplete="off"></textarea>
<button type="submit">Send to the team</button>
</form>
{{end}}
{{if ne .Sent "worried"}}{{template "help" .}}{{end}}
{{- end}}
{{- end}}
</main>
</body>
</html>
{{define "help"}}<div class="box{{if eq .Sent "worried"}} urgent{{end}}">
<h2>If you need help now</h2>
{{with .Phone}}<p>Call the practice on <a href="{{$.Tel}}">{{.}}</a>.</p>{{end}}
{{with .OutOfHrs}}<p>When the practice is closed, call <a href="{{$.OutTel}}">{{.}}</a>.</p>{{end}}
{{with .Emergency}}<p>In an emergency, call <strong>{{.}}</strong>.</p>{{end}}
</div>{{end}}
`))
