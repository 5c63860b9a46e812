package intake

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// TestDuplicateKeys: a JSON body that names one of the request's fields
// twice, in any case or escaped, is refused, since what a check saw could
// differ from what is kept; keys the request does not have are ignored,
// however often they come, so that a body of many keys costs no more than
// reading it.
func TestDuplicateKeys(t *testing.T) {
	lead := asJSON(validLead())[1:] // without its "{"
	tests := []struct {
		name string
		body string
		code int
	}{
		{"a field twice", `{"email":"a@b.example",` + lead, http.StatusBadRequest},
		{"a field in another case", `{"EMAIL":"a@b.example",` + lead, http.StatusBadRequest},
		{"a field escaped", `{"\u0065mail":"a@b.example",` + lead, http.StatusBadRequest},
		{"a field with the Kelvin sign", `{"utm_` + "\u212a" + `ey":1,"utm_key":2,` + lead, http.StatusAccepted}, // not a field: ignored
		{"a field folded by the long s", `{"` + "\u017f" + `ource":"x",` + lead, http.StatusBadRequest},          // ſource is source to encoding/json
		{"a visit field twice", `{"utm_source":"a","UTM_SOURCE":"b",` + lead, http.StatusBadRequest},
		{"an unknown key twice", `{"newsletter":true,"newsletter":false,` + lead, http.StatusAccepted},
		{"thousands of unknown keys", "{" + manyKeys(4000, 0) + lead, http.StatusAccepted},
		{"nested keys are not fields", `{"x":{"email":1,"y":[{"email":2}]},` + lead, http.StatusAccepted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			if w := f.post(ctJSON, tt.body, ""); w.Code != tt.code {
				t.Errorf("%d %.200s, want %d", w.Code, w.Body, tt.code)
			}
		})
	}
}

// manyKeys returns n keys "k0":0, … with their commas, each named after
// its number with offset added, so that two calls may name the same ones.
func manyKeys(n, offset int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, `"k%d":0,`, i+offset)
	}
	return b.String()
}

// worstBodies are the costliest bodies of at most 64 KiB to read and
// check: a lead padded with as many short keys as fit, distinct or all
// the same, and a form of as many distinct keys as net/url reads.
func worstBodies() map[string]string {
	const limit = 64 << 10
	lead := asJSON(validLead())[1:]
	pad := func(key func(i int) string) string {
		var b strings.Builder
		b.WriteString("{")
		for i := 0; ; i++ {
			k := key(i)
			if b.Len()+len(k)+len(lead) > limit {
				break
			}
			b.WriteString(k)
		}
		return b.String() + lead
	}
	// net/url reads at most 10,000 parameters: a body of more is refused
	// before any is looked at.
	form := asForm(validLead())
	var fb strings.Builder
	for i := 0; i < 9900 && fb.Len()+len(form)+8 < limit; i++ {
		fmt.Fprintf(&fb, "%x=&", i)
	}
	return map[string]string{
		"json-distinct-keys": pad(func(i int) string { return fmt.Sprintf(`"%x":0,`, i) }),
		"json-one-key":       pad(func(int) string { return `"a":0,` }),
		"form-distinct-keys": fb.String() + form,
	}
}

// BenchmarkWorstBody sends a normal lead and each of the worst bodies of
// 64 KiB in turn to the service over loopback, with a real SQLite store,
// as in production (each is a valid lead, so each is stored), and reports
// the median answer time of each and its ratio to the lead's, all measured
// in this one run. It reports the same for reading and checking alone
// (decode-ns), the part of the work that grows with the body.
func BenchmarkWorstBody(b *testing.B) {
	srv, client, f := benchFixture(b, func(c *Config) { c.RateLimit = rate.Inf })
	check := f.h.(*server).check
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	bodies := worstBodies()
	names := []string{"lead"}
	for n := range bodies {
		names = append(names, n)
	}
	slices.Sort(names[1:])
	bodies["lead"] = asJSON(validLead())
	kind := func(n string) string {
		if strings.HasPrefix(n, "form") {
			return kindForm
		}
		return kindJSON
	}
	answer, decoding := map[string][]time.Duration{}, map[string][]time.Duration{}
	b.ResetTimer()
	for range b.N {
		for _, n := range names {
			start := time.Now()
			s, err := decode(kind(n), []byte(bodies[n]))
			if err != nil {
				b.Fatalf("%s: %v", n, err)
			}
			if errs := check.check(&s); errs != nil {
				b.Fatalf("%s: %v", n, errs)
			}
			decoding[n] = append(decoding[n], time.Since(start))
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/consultations", strings.NewReader(bodies[n]))
			req.Header.Set("Content-Type", map[string]string{kindJSON: ctJSON, kindForm: ctForm}[kind(n)])
			start = time.Now()
			resp, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			answer[n] = append(answer[n], time.Since(start))
			if resp.StatusCode != http.StatusAccepted && resp.StatusCode != http.StatusSeeOther {
				b.Fatalf("%s: %s", n, resp.Status)
			}
		}
	}
	median := func(d []time.Duration) float64 {
		slices.Sort(d)
		return float64(d[len(d)/2].Nanoseconds())
	}
	lead, leadDecode := median(answer["lead"]), median(decoding["lead"])
	b.ReportMetric(lead, "lead-ns")
	b.ReportMetric(leadDecode, "lead-decode-ns")
	for _, n := range names[1:] {
		m, d := median(answer[n]), median(decoding[n])
		b.ReportMetric(m, n+"-ns")
		b.ReportMetric(m/lead, n+"/lead")
		b.ReportMetric(d, n+"-decode-ns")
		b.ReportMetric(d/leadDecode, n+"-decode/lead-decode")
	}
}

// TestFormBodies: a URL-encoded body is read as net/url reads one: bad
// escapes and semicolons anywhere refuse it, the first value of a field
// is the one kept, and keys the form does not have are ignored, however
// many.
func TestFormBodies(t *testing.T) {
	lead := asForm(validLead())
	tests := []struct {
		name string
		body string
		code int
	}{
		{"a lead", lead, http.StatusSeeOther},
		{"a bad escape in an unknown field", "x=%zz&" + lead, http.StatusBadRequest},
		{"a bad escape in an unknown key", "%zz=1&" + lead, http.StatusBadRequest},
		{"a semicolon", "x=1;y=2&" + lead, http.StatusBadRequest},
		{"an escaped field name", "first%5Fname=Ann&" + lead, http.StatusSeeOther},
		{"the first value kept", "procedure=time-travel&" + lead, http.StatusUnprocessableEntity},
		{"twenty thousand unknown keys", strings.Repeat("a=&", 20000) + lead, http.StatusSeeOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			if w := f.post(ctForm, tt.body, ""); w.Code != tt.code {
				t.Errorf("%d %.200s, want %d", w.Code, w.Body, tt.code)
			}
		})
	}
}
