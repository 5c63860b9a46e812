package intake

import (
	"net"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// limiter keeps one token bucket per client.
//
// A client is an IPv4 address or an IPv6 /64, which one household or phone
// usually holds whole. Once a /64 has run out of requests, every /64 of
// its /48 shares that /64's bucket, as empty as it is, for as long as the
// /48 is seen (idleAfter), so that a client given a /48 can neither hop
// from /64 to /64 nor get a second burst.
type limiter struct {
	every   rate.Limit
	burst   int
	header  string         // the trusted proxy header, or ""
	proxies []netip.Prefix // trusted proxies, skipped from the right of the header

	mu        sync.Mutex
	clients   map[string]*visitor
	wide      map[netip.Prefix]time.Time // /48s limited as one client → last seen
	lastSweep time.Time
}

type visitor struct {
	lim  *rate.Limiter
	seen time.Time
}

// idleAfter is how long a client's bucket is kept after its last request.
const idleAfter = 10 * time.Minute

func newLimiter(every rate.Limit, burst int, header string, proxies []netip.Prefix) *limiter {
	return &limiter{every: every, burst: burst, header: header, proxies: proxies,
		clients: map[string]*visitor{}, wide: map[netip.Prefix]time.Time{}}
}

// allow takes a token from the bucket of the client at addr (see client)
// at now. When none is left it returns false and how long to wait for the
// next one.
func (l *limiter) allow(addr string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	key, wider := l.key(addr, now)
	v := l.clients[key]
	if v == nil {
		v = &visitor{lim: rate.NewLimiter(l.every, l.burst)}
		l.clients[key] = v
	}
	v.seen = now
	res := v.lim.ReserveN(now, 1)
	if !res.OK() {
		return false, time.Minute
	}
	if d := res.DelayFrom(now); d > 0 {
		res.CancelAt(now)
		if wider.IsValid() {
			// The /48 takes over this /64's bucket, empty as it is: its
			// other /64s get no burst of their own.
			l.wide[wider] = now
			if _, ok := l.clients[wider.String()]; !ok {
				l.clients[wider.String()] = v
			}
		}
		return false, d
	}
	return true, 0
}

// key returns the bucket of addr: the address itself for IPv4 (or what is
// not an address), else its /64, or its /48 once that is limited as one.
// wider is the /48 of an IPv6 address keyed by its /64.
func (l *limiter) key(addr string, now time.Time) (key string, wider netip.Prefix) {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr, netip.Prefix{}
	}
	if !ip.Is6() || ip.Is4In6() {
		return ip.Unmap().String(), netip.Prefix{}
	}
	p48, _ := ip.Prefix(48)
	if _, ok := l.wide[p48]; ok {
		l.wide[p48] = now
		return p48.String(), netip.Prefix{}
	}
	p64, _ := ip.Prefix(64)
	return p64.String(), p48
}

// sweep forgets the clients idle for longer than idleAfter, at most once
// every idleAfter.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) <= idleAfter {
		return
	}
	for k, v := range l.clients {
		if now.Sub(v.seen) > idleAfter {
			delete(l.clients, k)
		}
	}
	for p, seen := range l.wide {
		if now.Sub(seen) > idleAfter {
			delete(l.wide, p)
		}
	}
	l.lastSweep = now
}

// client returns the address of r's client: from the trusted proxy header
// when one is configured and present, else the connection's address. In
// the header, a list ("client, proxy1, proxy2") is read from the right,
// where the proxy nearest the service wrote, skipping the trusted proxies;
// a port ("198.51.100.9:40001", "[2001:db8::1]:443") is dropped.
func (l *limiter) client(r *http.Request) string {
	if l.header != "" {
		if addr := l.fromHeader(r.Header.Values(l.header)); addr != "" {
			return addr
		}
	}
	return hostOf(r.RemoteAddr)
}

// fromHeader returns the right-most address in the header's values that is
// not a trusted proxy, or the left-most one when all are.
func (l *limiter) fromHeader(values []string) string {
	var entries []string
	for _, v := range values {
		for e := range strings.SplitSeq(v, ",") {
			if e = strings.TrimSpace(e); e != "" {
				entries = append(entries, e)
			}
		}
	}
	for i := len(entries) - 1; i >= 0; i-- {
		addr := hostOf(entries[i])
		if i == 0 || !l.trusted(addr) {
			return addr
		}
	}
	return ""
}

// trusted reports whether addr is one of the trusted proxies.
func (l *limiter) trusted(addr string) bool {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range l.proxies {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// hostOf returns the address of "ip", "ip:port" or "[ipv6]:port".
func hostOf(s string) string {
	if host, _, err := net.SplitHostPort(s); err == nil {
		return host
	}
	return strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
}
