package content

import (
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// AgeBands are the ages a case may give its patient: never an exact age.
var AgeBands = []string{"18-29", "30-39", "40-49", "50-59", "60-69", "70+"}

// Sexes are the words a case may give its patient's sex.
var Sexes = []string{"female", "male"}

// ageBand returns the band of a whole age from 18 to 100.
func ageBand(age int) string {
	switch {
	case age >= 70:
		return "70+"
	case age < 30:
		return "18-29"
	}
	return strconv.Itoa(age/10*10) + "-" + strconv.Itoa(age/10*10+9)
}

// checkPatient checks a case's patient: the age is a band (a whole number
// is made its band), the sex one of Sexes.
func checkPatient(f *file) {
	pt, p := &f.page.Case.Patient, f.page.File
	if a := strings.TrimSpace(pt.Age); a != "" && !strings.HasPrefix(a, StarterMark) && !slices.Contains(AgeBands, a) {
		if n, err := strconv.Atoi(a); err == nil && n >= 18 && n <= 100 {
			pt.Age = ageBand(n)
		} else {
			f.probs.Errorf(p, f.line("patient.age"), "patient.age", "%q is not an age band — write one of %s, or the patient's age as a whole number from 18 to 100 (it is published as its band)", pt.Age, strings.Join(AgeBands, ", "))
		}
	}
	if s := strings.TrimSpace(pt.Sex); s != "" && !strings.HasPrefix(s, StarterMark) && !slices.Contains(Sexes, s) {
		fix := "write " + strings.Join(Sexes, " or ") + ", or leave sex out"
		for _, w := range Sexes {
			if strings.EqualFold(s, w) || strings.EqualFold(s, w[:1]) {
				fix = "write " + w
			}
		}
		f.probs.Errorf(p, f.line("patient.sex"), "patient.sex", "%q is not one of the words for sex — %s", pt.Sex, fix)
	}
}

// clinicalRoles are the words of a team member's role that make them a
// clinician: who may be named as a surgeon, or review a procedure's page.
var clinicalRoles = []string{"surgeon", "doctor", "physician", "dermatologist", "anaesthetist", "anesthetist", "nurse", "clinician"}

// Clinical reports whether a team member's role is a clinical one, such as
// "surgeon", "consultant plastic surgeon" or "aesthetic nurse"; a
// coordinator's or a manager's is not.
func (m *Member) Clinical() bool {
	for _, w := range strings.Fields(strings.ToLower(m.Role)) {
		if slices.Contains(clinicalRoles, w) {
			return true
		}
	}
	return false
}

// caseIDRE is what a case's id may be: a short code of letters and digits.
var caseIDRE = regexp.MustCompile(`^[a-z0-9]{3,12}$`)

// SuggestCaseID returns a short id for a case, made from seed (such as the
// case's file): four letters and digits that say nothing of the patient.
func SuggestCaseID(seed string) string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789" // no 0/o, 1/l/i
	h := fnv.New32a()
	h.Write([]byte(seed))
	n := h.Sum32()
	var b [4]byte
	for i := range b {
		b[i] = alphabet[n%uint32(len(alphabet))]
		n /= uint32(len(alphabet))
	}
	return string(b[:])
}

// checkCaseID checks a case's id and makes the case's URL from its
// procedure and id: never from the folder's name, which may name the
// patient.
func checkCaseID(f *file) {
	c, p := f.page.Case, f.page.File
	switch {
	case f.bad["id"]:
	case c.ID == "":
		f.probs.Errorf(p, f.line("id"), "id", "missing — add a line \"id: %s\": the case's address is made from its procedure and this short code, never from the folder's name", SuggestCaseID(p))
	case !caseIDRE.MatchString(c.ID):
		f.probs.Errorf(p, f.line("id"), "id", "%q is not a short code — write 3 to 12 lower-case letters and digits that say nothing of the patient, e.g. id: %s", c.ID, SuggestCaseID(p))
	case c.ProcedureSlug != "":
		f.page.URL = fmt.Sprintf("/gallery/%s-%s/", c.ProcedureSlug, c.ID)
	}
	if _, set := f.lines["slug"]; set {
		f.probs.Errorf(p, f.line("slug"), "slug", "a case's address is made from its procedure and id — remove slug")
	}
}
