package delivery

import (
	"testing"
	"time"
)

func TestBackoff(t *testing.T) {
	tests := []struct {
		attempt  int
		min, max time.Duration
	}{
		{1, 15 * time.Second, 30 * time.Second},
		{2, 30 * time.Second, time.Minute},
		{5, 4 * time.Minute, 8 * time.Minute},
		{8, 30 * time.Minute, time.Hour},
		{1000, 30 * time.Minute, time.Hour}, // capped, no overflow
	}
	for _, tt := range tests {
		for range 100 {
			if d := backoff(tt.attempt, 30*time.Second, time.Hour); d < tt.min || d > tt.max {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", tt.attempt, d, tt.min, tt.max)
			}
		}
	}
}
