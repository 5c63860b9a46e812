package mail

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"net/textproto"
	"strings"
	"unicode/utf8"
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

// AddressOK reports whether addr is a bare ASCII address that Compose can
// send to: one that net/mail reads back exactly as written.
func AddressOK(addr string) bool {
	for i := 0; i < len(addr); i++ {
		if addr[i] >= utf8.RuneSelf {
			return false
		}
	}
	a, err := mail.ParseAddress(addr)
	return err == nil && a.Address == addr
}

// address formats name and addr for a header, encoding a non-ASCII name as
// RFC 2047 words. The address itself must pass AddressOK.
func address(field, name, addr string) (string, error) {
	if err := checkHeader(field, name); err != nil {
		return "", err
	}
	if !AddressOK(addr) {
		return "", fmt.Errorf("%s: invalid or non-ASCII address", field)
	}
	return (&mail.Address{Name: name, Address: addr}).String(), nil
}

// unstructured encodes an unstructured header value such as Subject.
func unstructured(v string) string {
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

// writeHeader writes "name: value" folded at spaces so that lines stay
// within 78 characters where the value allows it.
func writeHeader(b *bytes.Buffer, name, value string) {
	b.WriteString(name)
	b.WriteString(":")
	col := len(name) + 1
	for i, word := range strings.Split(value, " ") {
		if i > 0 && col+1+len(word) > 78 {
			b.WriteString("\r\n")
			col = 0
		}
		b.WriteString(" ")
		b.WriteString(word)
		col += 1 + len(word)
	}
	b.WriteString("\r\n")
}

// header is one top-level header of a composed message, in writing order.
type header struct{ name, value string }

// assemble replaces the top-level headers of raw, as built by the email
// library, with hs (keeping its MIME headers), and replaces its random MIME
// boundary with one derived from messageID, so that composing the same lead
// twice gives the same bytes.
func assemble(raw []byte, hs []header, messageID string) ([]byte, error) {
	head, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		return nil, errors.New("assemble: no header end")
	}
	mh, err := textproto.NewReader(bufio.NewReaderSize(bytes.NewReader(raw[:len(head)+4]), len(head)+4)).ReadMIMEHeader()
	if err != nil {
		return nil, fmt.Errorf("assemble: read headers: %w", err)
	}
	ctype := mh.Get("Content-Type")
	_, params, err := mime.ParseMediaType(ctype)
	if err != nil {
		return nil, fmt.Errorf("assemble: content type: %w", err)
	}
	old, boundary := params["boundary"], ""
	if old != "" {
		sum := sha256.Sum256([]byte(messageID))
		boundary = "consulta-" + hex.EncodeToString(sum[:12])
		ctype = strings.ReplaceAll(ctype, old, boundary)
	}
	b := bytes.NewBuffer(make([]byte, 0, len(raw)+512))
	for _, h := range hs {
		writeHeader(b, h.name, h.value)
	}
	writeHeader(b, "MIME-Version", "1.0")
	writeHeader(b, "Content-Type", ctype)
	if cte := mh.Get("Content-Transfer-Encoding"); cte != "" {
		writeHeader(b, "Content-Transfer-Encoding", cte)
	}
	b.WriteString("\r\n")
	for old != "" { // the body, its boundary replaced
		i := bytes.Index(body, []byte(old))
		if i < 0 {
			break
		}
		b.Write(body[:i])
		b.WriteString(boundary)
		body = body[i+len(old):]
	}
	b.Write(body)
	return b.Bytes(), nil
}
