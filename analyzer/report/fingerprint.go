package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/wasmlint/wasmlint/analyzer"
)

// Fingerprint is wasmlint's stable fingerprint of a finding, the value of
// SARIF partialFingerprints[FingerprintKey] and the key of baseline
// entries: the hex SHA-256 of rule "\x00" path "\x00" subject, with
// "\x00" n appended for the n-th finding (from 1, n > 1) with that triple
// in one file. The module's bytes and the finding's offset play no part,
// so a rebuild keeps the fingerprint and a fix drops it.
func Fingerprint(rule, path, subject string, n int) string {
	key := rule + "\x00" + path + "\x00" + subject
	if n > 1 {
		key += fmt.Sprintf("\x00%d", n)
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Fingerprints are the fingerprints of one file's findings, in order,
// with path as the file's name (the SARIF artifact URI, or the baseline's
// path).
func Fingerprints(ds []analyzer.Diagnostic, path string) []string {
	seen := map[[2]string]int{}
	out := make([]string, len(ds))
	for i, d := range ds {
		k := [2]string{d.Rule, d.Subject}
		seen[k]++
		out[i] = Fingerprint(d.Rule, path, d.Subject, seen[k])
	}
	return out
}

// ArtifactPath is the file a result's findings are placed in, in SARIF
// and in baselines: the image for a module out of an image (the layer
// digest changes with every build, so it is no part of the fingerprint),
// else the module's path.
func ArtifactPath(r *analyzer.Result) string {
	if r.Package.InImage() {
		return r.Package.Image
	}
	return r.Path
}
