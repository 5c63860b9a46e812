package mail

import (
	"crypto/tls"
	"errors"
	"net"
	"net/textproto"
	"strconv"
)

// SendError is a failed SMTP step. Its text may quote the server, which
// can name a recipient: log Reason(err), not the error.
type SendError struct {
	Step string // "dial", "TLS", "greeting", "EHLO", "STARTTLS", "AUTH", "MAIL", "RCPT", "DATA"
	Err  error
}

// Error returns the step and the underlying error, server text included.
func (e *SendError) Error() string { return "smtp " + e.Step + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *SendError) Unwrap() error { return e.Err }

// Code returns the SMTP reply code in err, or 0 if the server did not reply.
func Code(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

// Permanent reports whether err is a permanent failure (a 5xx reply), which
// a retry will not fix. Everything else (4xx replies, network errors,
// timeouts, TLS trouble) is temporary.
func Permanent(err error) bool {
	code := Code(err)
	return code >= 500 && code < 600
}

// Reason summarises err without any text from the server, so that it is
// safe to log: "RCPT 550", "dial: timeout", "STARTTLS: refused".
func Reason(err error) string {
	if err == nil {
		return ""
	}
	step := "send"
	var se *SendError
	if errors.As(err, &se) {
		step = se.Step
	}
	if code := Code(err); code != 0 {
		return step + " " + strconv.Itoa(code)
	}
	var ne net.Error
	var re *tls.RecordHeaderError
	var ce *tls.CertificateVerificationError
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return step + ": timeout"
	case errors.As(err, &re), errors.As(err, &ce):
		return step + ": TLS"
	case errors.As(err, &ne):
		return step + ": network"
	case se != nil:
		return step + ": refused"
	}
	return step + ": failed"
}
