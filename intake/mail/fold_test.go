package mail_test

import (
	"bufio"
	"bytes"
	"mime"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"testing"

	cmail "github.com/consultahq/consulta/intake/mail"
)

// encodedWord is an RFC 2047 encoded word.
var encodedWord = regexp.MustCompile(`=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=`)

// TestHeadersAtTheLimits composes every kind of email for a lead and a
// practice whose every header-bound value is as long as it may be, in
// characters of four and three bytes: every header line stays within
// RFC 5322's 998 octets (folded, and within 78 where it can be), every
// encoded word within RFC 2047's 75, and every header reads back as it
// was meant.
func TestHeadersAtTheLimits(t *testing.T) {
	long := func(r string, n int) string { return strings.Repeat(r, n) }
	p := practice()
	p.Name = long("診", 100) + ", Ltd"
	p.CoordinatorName = long("😀", 100)
	l := anna()
	l.FirstName, l.LastName = long("😀", 100), long("漢", 100) // the form's limits: 100 characters each
	l.ProcedureTitle = long("é", 150)
	l.Email = long("a", 64) + "@" + long("b", 63) + "." + long("c", 63) + "." + long("d", 59) + ".example" // 254 in all
	letters := notices()
	for _, kind := range []string{cmail.Coordinator, cmail.Patient} {
		letters["limits."+kind] = cmail.Letter{Kind: kind, Lead: l}
	}
	for name, letter := range letters {
		if letter.Kind != cmail.Digest {
			at := l
			at.Corrections = letter.Lead.Corrections // what a correction's email is about
			letter.Lead = at
		}
		t.Run(name, func(t *testing.T) {
			m, err := cmail.Compose(letter, p)
			if err != nil {
				t.Fatal(err)
			}
			head, _, _ := bytes.Cut(m.Raw, []byte("\r\n\r\n"))
			for _, line := range strings.Split(string(head), "\r\n") {
				if len(line) > 998 {
					t.Errorf("a header line of %d octets: %.120s…", len(line), line)
				}
				if len(line) > 78 && strings.Contains(strings.TrimSpace(line[strings.IndexByte(line, ' ')+1:]), " ") {
					t.Errorf("a header line of %d octets that could have been folded: %.120s…", len(line), line)
				}
				for _, w := range encodedWord.FindAllString(line, -1) {
					if len(w) > 75 {
						t.Errorf("an encoded word of %d octets: %s", len(w), w)
					}
				}
			}
			h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(append(head, "\r\n\r\n"...)))).ReadMIMEHeader()
			if err != nil {
				t.Fatal(err)
			}
			for _, field := range []string{"From", "To", "Reply-To"} {
				if v := h.Get(field); v != "" {
					a, err := mail.ParseAddress(v)
					if err != nil {
						t.Errorf("%s does not read back: %v", field, err)
						continue
					}
					if want := map[string]string{"From": p.Name, "Reply-To": ""}[field]; field == "From" && a.Name != want {
						t.Errorf("From reads back as %q", a.Name)
					}
					if field == "Reply-To" && letter.Kind == cmail.Coordinator && (a.Name != l.FirstName+" "+l.LastName || a.Address != l.Email) {
						t.Errorf("Reply-To reads back as %q <%s>", a.Name, a.Address)
					}
				}
			}
			subject, err := new(mime.WordDecoder).DecodeHeader(h.Get("Subject"))
			if err != nil || subject == "" {
				t.Errorf("the subject does not read back: %q, %v", subject, err)
			}
			if (letter.Kind == cmail.Coordinator) && !strings.Contains(subject, l.FirstName) {
				t.Errorf("the subject lost the first name: %q", subject)
			}
		})
	}
}
