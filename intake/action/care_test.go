package action

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// TestCareLinks: a patient's link and a task's verify as signed, and no
// other: not altered, not one kind for another, not an action link, not
// after it expires; a rotation keeps the old ones good.
func TestCareLinks(t *testing.T) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	s := Signer{Secret: []byte(strings.Repeat("k", 32)), Base: "https://harbour.example", Now: func() time.Time { return now }}
	tok := func(url, path string) string { return strings.TrimPrefix(url, "https://harbour.example"+path) }
	care := tok(s.CareURL("ld_1", CareStep, "first-day"), CarePath)
	task := tok(s.TaskURL("ld_1", "3", "face@harbour.example"), TaskPath)
	if c, err := s.VerifyCare(care); err != nil || c.Lead != "ld_1" || c.What != CareStep || c.Name != "first-day" {
		t.Errorf("care link: %+v, %v", c, err)
	}
	if c, err := s.VerifyTask(task); err != nil || c.Lead != "ld_1" || c.Task != "3" || c.Recipient != "face@harbour.example" {
		t.Errorf("task link: %+v, %v", c, err)
	}
	for name, bad := range map[string]string{
		"altered step":         strings.Replace(care, "first-day", "six-weeks", 1),
		"another lead":         strings.Replace(care, "ld_1", "ld_2", 1),
		"a task as a step":     task,
		"an action as a step":  s.Sign("ld_1", Claim, "face@harbour.example"),
		"no MAC":               "c1.ld_1.step.first-day.zz",
		"what is not a choice": "c1.ld_1.delete.x.zz." + s.careMAC(s.Secret, "c1.ld_1.delete.x.zz"),
	} {
		if _, err := s.VerifyCare(bad); !errors.Is(err, ErrForged) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := s.VerifyTask(care); !errors.Is(err, ErrForged) {
		t.Errorf("a step as a task: %v", err)
	}
	if _, err := s.Verify(care); !errors.Is(err, ErrForged) {
		t.Errorf("a step as an action: %v", err)
	}
	rotated := Signer{Secret: []byte(strings.Repeat("n", 32)), Previous: s.Secret, Now: s.Now}
	if _, err := rotated.VerifyCare(care); err != nil {
		t.Errorf("after a rotation: %v", err)
	}
	now = now.Add(CareTTL + time.Second)
	if c, err := s.VerifyCare(care); !errors.Is(err, ErrExpired) || c.Name != "first-day" {
		t.Errorf("expired: %+v %v", c, err)
	}
}
