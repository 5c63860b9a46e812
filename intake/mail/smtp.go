package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/smtp"
	"net/url"
	"os"
	"strings"
	"time"
)

// SMTP sends each message in its own SMTP session, with a deadline on every
// step. It is configured from one URL:
//
//	smtp://user:pass@host:587        STARTTLS, required (port 587 by default)
//	smtps://user:pass@host:465       TLS from the first byte (port 465 by default)
//	smtp://127.0.0.1:1025?tls=none   no TLS: only for a server on this machine
//	smtp://relay:25?tls=none&insecure=1   no TLS to another machine: only on a private network
//
// Credentials are only ever sent over TLS.
type SMTP struct {
	host, port string
	implicit   bool // smtps://
	plain      bool // ?tls=none
	insecure   bool // ?insecure=1: tls=none to another machine
	user, pass string
	auth       bool
	opt        SMTPOptions
}

// SMTPOptions are the settings of an SMTP transport besides its URL.
type SMTPOptions struct {
	// Helo is the name given in EHLO. Empty means the domain of the
	// message's sender, else the host name; never "localhost".
	Helo string
	// Timeout bounds each step: dial, greeting, EHLO, STARTTLS, AUTH, MAIL,
	// each RCPT, DATA, QUIT. Zero means 30 seconds.
	Timeout time.Duration
	// TLSConfig, if set, is used for TLS (e.g. extra root CAs in tests);
	// its ServerName is set to the URL's host when empty.
	TLSConfig *tls.Config
}

// NewSMTP returns the transport that rawURL describes.
func NewSMTP(rawURL string, opt SMTPOptions) (*SMTP, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, errors.New("SMTP URL: cannot parse it (expected smtp://user:pass@host:587)")
	}
	s := &SMTP{host: u.Hostname(), port: u.Port(), opt: opt}
	switch u.Scheme {
	case "smtp":
		if s.port == "" {
			s.port = "587"
		}
	case "smtps":
		s.implicit = true
		if s.port == "" {
			s.port = "465"
		}
	default:
		return nil, fmt.Errorf("SMTP URL: scheme %q: use smtp:// (STARTTLS) or smtps:// (TLS)", u.Scheme)
	}
	if s.host == "" {
		return nil, errors.New("SMTP URL: no host (expected smtp://user:pass@host:587)")
	}
	for k, v := range u.Query() {
		switch {
		case k == "tls" && len(v) == 1 && v[0] == "none" && !s.implicit:
			s.plain = true
		case k == "tls" && len(v) == 1 && v[0] == "starttls" && !s.implicit:
		case k == "insecure" && len(v) == 1 && v[0] == "1":
			s.insecure = true
		default:
			return nil, fmt.Errorf("SMTP URL: unknown setting %s=%s (only tls=none or tls=starttls with smtp://, and insecure=1)", k, strings.Join(v, ","))
		}
	}
	switch {
	case s.insecure && !s.plain:
		return nil, errors.New("SMTP URL: insecure=1 goes only with tls=none")
	case s.plain && !loopback(s.host) && !s.insecure:
		return nil, fmt.Errorf("SMTP URL: tls=none would send patients' data in the clear to %s: use TLS, or add &insecure=1 if the network to it is private", s.host)
	case s.plain && loopback(s.host):
		s.insecure = false // nothing leaves the machine
	}
	if u.User != nil {
		s.auth = true
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
		if s.plain {
			return nil, errors.New("SMTP URL: credentials with tls=none would be sent in the clear")
		}
	}
	if s.opt.Timeout <= 0 {
		s.opt.Timeout = 30 * time.Second
	}
	return s, nil
}

// String describes the transport without its password, for logs.
func (s *SMTP) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(s.host, s.port)}
	if s.implicit {
		u.Scheme = "smtps"
	}
	if s.auth {
		u.User = url.User(s.user)
	}
	q := url.Values{}
	if s.plain {
		q.Set("tls", "none")
	}
	if s.insecure {
		q.Set("insecure", "1")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// Insecure reports whether mail goes to another machine without TLS
// (tls=none&insecure=1): worth a warning at start-up.
func (s *SMTP) Insecure() bool { return s.insecure }

// loopback reports whether host names this machine.
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

// Send delivers m in one SMTP session. Its errors are *SendError values;
// Permanent tells which ones will not succeed on a retry.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	d := net.Dialer{Timeout: s.opt.Timeout}
	conn, err := d.DialContext(ctx, "tcp", net.JoinHostPort(s.host, s.port))
	if err != nil {
		return &SendError{Step: "dial", Err: err}
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) }) // abort any step
	defer stop()
	sess := session{conn: conn, timeout: s.opt.Timeout}
	tlsConfig := s.tlsConfig()
	if s.implicit {
		tc := tls.Client(conn, tlsConfig)
		if err := sess.step("TLS", func() error { return tc.HandshakeContext(ctx) }); err != nil {
			return err
		}
		sess.conn = tc
	}
	var c *smtp.Client
	if err := sess.step("greeting", func() (err error) { c, err = smtp.NewClient(sess.conn, s.host); return err }); err != nil {
		return err
	}
	if err := sess.step("EHLO", func() error { return c.Hello(s.helo(m.From)) }); err != nil {
		return err
	}
	if !s.implicit && !s.plain {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return &SendError{Step: "STARTTLS", Err: errors.New("the server does not offer STARTTLS, and the URL does not say tls=none")}
		}
		if err := sess.step("STARTTLS", func() error { return c.StartTLS(tlsConfig) }); err != nil {
			return err
		}
	}
	if s.auth {
		if err := sess.step("AUTH", func() error { return c.Auth(s.authFor(c)) }); err != nil {
			return err
		}
	}
	if err := sess.step("MAIL", func() error { return c.Mail(m.From) }); err != nil {
		return err
	}
	for _, to := range m.To {
		if err := sess.step("RCPT", func() error { return c.Rcpt(to) }); err != nil {
			return err
		}
	}
	if err := sess.step("DATA", func() error {
		w, err := c.Data()
		if err != nil {
			return err
		}
		if _, err := w.Write(m.Raw); err != nil {
			return err
		}
		return w.Close() // the server's answer to the message
	}); err != nil {
		return err
	}
	sess.step("QUIT", c.Quit) // the message is accepted; a failed QUIT changes nothing
	return nil
}

// session runs SMTP steps, each under its own deadline.
type session struct {
	conn    net.Conn
	timeout time.Duration
}

func (s session) step(name string, f func() error) error {
	s.conn.SetDeadline(time.Now().Add(s.timeout))
	if err := f(); err != nil {
		return &SendError{Step: name, Err: err}
	}
	return nil
}

func (s *SMTP) tlsConfig() *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.opt.TLSConfig != nil {
		c = s.opt.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.host
	}
	return c
}

// helo is the EHLO name: the configured one, else the sender's domain,
// else this machine's host name.
func (s *SMTP) helo(from string) string {
	if s.opt.Helo != "" {
		return s.opt.Helo
	}
	if _, domain, ok := strings.Cut(from, "@"); ok && domain != "" {
		return domain
	}
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "consulta.invalid"
}

// authFor picks PLAIN if the server offers it, else LOGIN. The session is
// always encrypted by now.
func (s *SMTP) authFor(c *smtp.Client) smtp.Auth {
	if _, mechs := c.Extension("AUTH"); !strings.Contains(" "+strings.ToUpper(mechs)+" ", " PLAIN ") &&
		strings.Contains(" "+strings.ToUpper(mechs)+" ", " LOGIN ") {
		return &loginAuth{user: s.user, pass: s.pass}
	}
	return smtp.PlainAuth("", s.user, s.pass, s.host)
}

// loginAuth is the LOGIN mechanism, which net/smtp lacks.
type loginAuth struct{ user, pass string }

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS {
		return "", nil, errors.New("refusing LOGIN without TLS")
	}
	return "LOGIN", nil, nil
}

func (a *loginAuth) Next(challenge []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	switch strings.ToLower(strings.TrimSpace(string(challenge))) {
	case "username:":
		return []byte(a.user), nil
	case "password:":
		return []byte(a.pass), nil
	}
	return nil, fmt.Errorf("unexpected LOGIN challenge")
}
