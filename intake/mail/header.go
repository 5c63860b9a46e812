package mail

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/consultahq/consulta/internal/mailaddr"
)

// ErrHeaderValue reports a value that would break or forge a header: a
// control character such as CR or LF, or invalid UTF-8.
var ErrHeaderValue = errors.New("control character or invalid UTF-8 in a header value")

// HeaderSafe reports whether v may go into a header (a name, a subject):
// valid UTF-8 without control characters or line separators. Compose
// refuses a lead whose header-bound values are not.
func HeaderSafe(v string) bool {
	if !utf8.ValidString(v) {
		return false
	}
	for _, r := range v {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}

// checkHeader returns ErrHeaderValue, naming field, if v cannot go into a header.
func checkHeader(field, v string) error {
	if !HeaderSafe(v) {
		return fmt.Errorf("%s: %w", field, ErrHeaderValue)
	}
	return nil
}

// AddressOK reports whether addr is an address Compose can send to and
// from: the rule of package mailaddr, which `consulta check` applies to
// the site's addresses too.
func AddressOK(addr string) bool { return mailaddr.OK(addr) }

// address formats name and addr for a header, in ASCII: a non-ASCII name
// as RFC 2047 words, else quoted when it needs to be. The address itself
// must pass AddressOK.
//
// The email library writes From and To by splitting them at every comma
// and reformatting each piece with net/mail; a name holding a comma is
// therefore given to it as an encoded word (which has no comma), which
// net/mail decodes and quotes again whole.
func address(field, name, addr string) (string, error) {
	if err := checkHeader(field, name); err != nil {
		return "", err
	}
	if !AddressOK(addr) {
		return "", fmt.Errorf("%s: invalid or non-ASCII address", field)
	}
	if strings.Contains(name, ",") {
		return encodedWords(name) + " <" + addr + ">", nil
	}
	return (&mail.Address{Name: name, Address: addr}).String(), nil
}

// encodedWords encodes s as RFC 2047 "B" words of at most 75 characters,
// whole characters in each.
func encodedWords(s string) string {
	const maxRaw = 45 // base64 of 45 bytes is 60 characters, plus 12 for =?utf-8?b??=
	var words []string
	for s != "" {
		n := min(len(s), maxRaw)
		for n < len(s) && !utf8.RuneStart(s[n]) {
			n--
		}
		words = append(words, "=?utf-8?b?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, " ")
}

// Unstructured encodes an unstructured header value such as Subject.
func Unstructured(v string) string {
	for i := 0; i < len(v); i++ {
		if v[i] >= utf8.RuneSelf {
			return mime.QEncoding.Encode("utf-8", v)
		}
	}
	if strings.Contains(v, "=?") { // would read as an encoded word
		return mime.QEncoding.Encode("utf-8", v) // ASCII is left as is, so force one word
	}
	return v
}

// MailtoURL returns the mailto: URL of addr, every character but letters,
// digits, "-._~" and the @ percent-encoded as RFC 6068 requires: an
// address may hold "?", "&" or "%", which would otherwise start headers
// of the link's own (a Bcc, a body).
func MailtoURL(addr string) string {
	const hex = "0123456789ABCDEF"
	b := []byte("mailto:")
	for i := 0; i < len(addr); i++ {
		c := addr[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~@", c) >= 0 {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b)
}

// foldHeaders folds each line of raw's header longer than 78 octets at its
// spaces (RFC 5322 §2.2.3): the email library writes each header on one
// line, and a long name in a script of several bytes a character makes
// one of well over the 998 octets a strict server refuses. The spaces it
// folds at lie between encoded words, which RFC 2047 §6.2 ignores when
// decoding, or between the words of a plain value, which unfolding gives
// back as they were; each encoded word is at most 75 octets (mime's
// encoder and encodedWords keep them so), so every line fits.
func foldHeaders(raw []byte) []byte {
	head, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		return raw
	}
	var b bytes.Buffer
	b.Grow(len(raw) + len(raw)/20)
	for i, line := range bytes.Split(head, []byte("\r\n")) {
		if i > 0 {
			b.WriteString("\r\n")
		}
		foldLine(&b, line)
	}
	b.WriteString("\r\n\r\n")
	b.Write(body)
	return b.Bytes()
}

// foldLine writes line to b, folded before a space wherever it would
// otherwise run past 78 octets; never before the value has begun.
func foldLine(b *bytes.Buffer, line []byte) {
	const width = 78
	first := bytes.IndexByte(line, ':') + 1 // a fold only after "Field: " and the value's first word
	for len(line) > width {
		cut := bytes.LastIndexByte(line[:width+1], ' ')
		if cut <= first {
			next := bytes.IndexByte(line[width+1:], ' ')
			if next < 0 {
				break // no space left to fold at: a word longer than a line
			}
			cut = width + 1 + next
		}
		b.Write(line[:cut])
		b.WriteString("\r\n")
		line, first = line[cut:], 0 // the rest begins with the space: folding white space
	}
	b.Write(line)
}
