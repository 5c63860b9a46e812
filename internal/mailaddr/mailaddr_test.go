package mailaddr

import (
	"errors"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		addr string
		want error
	}{
		{"coordinator@harbour-aesthetic.example", nil},
		{"desk+leads@mail.harbour.example", nil},
		{"o'brien@harbour.ie", nil},
		{"desk@[192.0.2.1]", nil},
		{"desk@härbour.example", ErrNotASCII},
		{"désk@harbour.example", ErrNotASCII},
		{"Desk <desk@harbour.example>", ErrNotBare},
		{"<desk@harbour.example>", ErrNotBare},
		{"desk@harbour.example (front desk)", ErrNotBare},
		{"desk@harbour.example, manager@harbour.example", ErrNotBare},
		{" desk@harbour.example", ErrNotBare},
		{"desk at harbour", ErrNotBare},
		{"", ErrNotBare},
		{"desk@harbour.example.", ErrNotBare},
		{"coordinator@harbour-aesthetic", ErrNoDot},
		{"desk@localhost", ErrNoDot},
	} {
		if got := Check(tc.addr); !errors.Is(got, tc.want) || (got == nil) != (tc.want == nil) {
			t.Errorf("Check(%q) = %v, want %v", tc.addr, got, tc.want)
		}
		if OK(tc.addr) != (tc.want == nil) {
			t.Errorf("OK(%q) = %v", tc.addr, OK(tc.addr))
		}
	}
}
