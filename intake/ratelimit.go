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
type limiter struct {
	every  rate.Limit
	burst  int
	header string // the trusted proxy header, or ""

	mu        sync.Mutex
	clients   map[string]*visitor
	lastSweep time.Time
}

type visitor struct {
	lim  *rate.Limiter
	seen time.Time
}

// idleAfter is how long a client's bucket is kept after its last request.
const idleAfter = 10 * time.Minute

func newLimiter(every rate.Limit, burst int, header string) *limiter {
	return &limiter{every: every, burst: burst, header: header, clients: map[string]*visitor{}}
}

// allow takes a token from key's bucket at now. When none is left it
// returns false and how long to wait for the next one.
func (l *limiter) allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.lastSweep) > idleAfter {
		for k, v := range l.clients {
			if now.Sub(v.seen) > idleAfter {
				delete(l.clients, k)
			}
		}
		l.lastSweep = now
	}
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
		return false, d
	}
	return true, 0
}

// client names the client of r: the address in the trusted proxy header
// when one is configured and present (for a list, the last entry, which
// the proxy added), else the connection's address. IPv6 addresses are
// cut to their /64, which one client usually holds whole.
func (l *limiter) client(r *http.Request) string {
	addr := ""
	if l.header != "" {
		if v := r.Header.Values(l.header); len(v) > 0 {
			last := v[len(v)-1]
			if i := strings.LastIndexByte(last, ','); i >= 0 {
				last = last[i+1:]
			}
			addr = strings.TrimSpace(last)
		}
	}
	if addr == "" {
		addr = r.RemoteAddr
		if host, _, err := net.SplitHostPort(addr); err == nil {
			addr = host
		}
	}
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return addr
	}
	if ip.Is6() && !ip.Is4In6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.Unmap().String()
}
