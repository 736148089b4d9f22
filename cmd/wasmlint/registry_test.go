package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/internal/ocitest"
)

// jsonFinding is a finding of the JSON report, less what depends on the
// input's packaging.
type jsonFinding struct {
	Rule, Severity, Message, Subject string
	Offset                           int
}

type jsonReport struct {
	Files []struct {
		Path, Host  string
		Diagnostics []jsonFinding
	}
}

func lintJSON(t *testing.T, args ...string) (int, jsonReport, string) {
	t.Helper()
	code, out, errOut := runCmd(t, "", append([]string{"-f", "json", "--no-config", "--fail-on", "none"}, args...)...)
	var r jsonReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not JSON (%v): %s %s", err, out, errOut)
	}
	return code, r, errOut
}

// TestImagesMatchBareFile builds an image of a corpus filter in every
// layout and checks that its findings equal those of the bare file, plus
// the packaging findings the layout calls for on Istio.
func TestImagesMatchBareFile(t *testing.T) {
	const corpus = "testdata/err/abi_mismatch.wasm"
	_, bare, _ := lintJSON(t, "--host", "istio", corpus)
	bin, err := os.ReadFile(corpus)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	// The module exports the 0.1.0 marker, the runtime config says v0.2.1.
	wantPW8 := map[string][]string{
		"solo-oci": {"PW802"}, "compat": {"PW802"}, "compat-docker": {"PW802"},
		"wasm-to-oci": {"PW801"}, "cncf-wasm": {"PW801"},
	}
	for _, v := range ocitest.Variants {
		img := v.Build(t, bin)
		var in string
		if v.Docker {
			in = ocitest.WriteDockerArchive(t, filepath.Join(dir, v.Name+".tar"), img)
		} else {
			in = ocitest.TarDir(t, ocitest.WriteLayout(t, filepath.Join(dir, v.Name), img), filepath.Join(dir, v.Name+".tar"))
		}
		code, rep, errOut := lintJSON(t, "--host", "istio", in)
		if code != exitOK || len(rep.Files) != 1 {
			t.Fatalf("%s: exit %d, %d files, stderr %s", v.Name, code, len(rep.Files), errOut)
		}
		f := rep.Files[0]
		if !strings.HasPrefix(f.Path, in+"@sha256:") {
			t.Errorf("%s: path %q, want %s@sha256:…", v.Name, f.Path, in)
		}
		var pw8 []string
		var rest []jsonFinding
		for _, d := range f.Diagnostics {
			if strings.HasPrefix(d.Rule, "PW8") {
				pw8 = append(pw8, d.Rule)
				continue
			}
			rest = append(rest, d)
		}
		sort.Strings(pw8)
		if strings.Join(pw8, ",") != strings.Join(wantPW8[v.Name], ",") {
			t.Errorf("%s: packaging findings %v, want %v: %+v", v.Name, pw8, wantPW8[v.Name], f.Diagnostics)
		}
		if !equalFindings(rest, bare.Files[0].Diagnostics) {
			t.Errorf("%s: findings differ from the bare file's:\n%+v\n%+v", v.Name, rest, bare.Files[0].Diagnostics)
		}
	}
}

func equalFindings(a, b []jsonFinding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestImageInputs: a layout directory is one input, not searched; a
// directory walk finds layouts beside .wasm files; several hosts lint
// every module once per host; a hostile archive is an input error.
func TestImageInputs(t *testing.T) {
	bin, err := os.ReadFile("../../testdata/ok/add_header.wasm")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	lay := ocitest.WriteLayout(t, filepath.Join(dir, "images", "filter"), ocitest.Variants[1].Build(t, bin))
	if err := os.WriteFile(filepath.Join(dir, "images", "plain.wasm"), bin, 0o644); err != nil {
		t.Fatal(err)
	}
	_, rep, _ := lintJSON(t, "--host", "envoy", filepath.Join(dir, "images"))
	if len(rep.Files) != 2 || !strings.HasPrefix(rep.Files[0].Path, lay+"@sha256:") || !strings.HasSuffix(rep.Files[1].Path, "plain.wasm") {
		t.Errorf("walk: %+v", rep.Files)
	}
	cfg := filepath.Join(dir, "hosts.yaml")
	if err := os.WriteFile(cfg, []byte("version: 1\nhosts: [envoy@1.33, istio]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCmd(t, "", "--config", cfg, lay, "testdata/ok/add_header.wasm")
	if code != exitOK || !strings.Contains(out, "== envoy@1.33 ==") || !strings.Contains(out, "== istio@1.29 ==") || strings.Count(out, "ABI 0.2.1") != 4 {
		t.Errorf("two hosts: exit %d:\n%s", code, out)
	}
	if code, out, _ := runCmd(t, "", "--no-config", "--host", "all", lay); code != exitOK || !strings.Contains(out, lay+"@sha256:") || !strings.Contains(out, "envoy@1.39  ok") {
		t.Errorf("host matrix of an image: exit %d:\n%s", code, out)
	}
	traversal := filepath.Join(dir, "evil.tar")
	if err := os.WriteFile(traversal, ocitest.TarBytes(t, [2]string{"oci-layout", "{}"}, [2]string{"../../x", "x"}), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCmd(t, "", "--no-config", traversal)
	if code != exitInput || !strings.Contains(errOut, traversal+`: archive entry "../../x" escapes the archive (path traversal)`) {
		t.Errorf("hostile archive: exit %d, stderr %q", code, errOut)
	}
}
