package toolchain_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/analyzer/toolchain"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
	"github.com/wasmlint/wasmlint/internal/corpus"
)

// manifestEntry holds the fields of both manifests that say what built a
// file: corpus/manifest.json (toolchain, sdk and versions) and
// corpus/wild/manifest.json (producers, sdk_guess, notes).
type manifestEntry struct {
	File             string `json:"file"`
	Toolchain        string `json:"toolchain"`
	ToolchainVersion string `json:"toolchain_version"`
	SDK              string `json:"sdk"`
	SDKVersion       string `json:"sdk_version"`
	Producers        string `json:"producers"`
	SDKGuess         string `json:"sdk_guess"`
	Notes            string `json:"notes"`
}

// knownMisses are files where detection disagrees with the manifest, with
// the reason. The test fails if one of them starts to agree, so the list
// stays true, and on any miss not listed here.
var knownMisses = map[string]string{
	// Envoy's test fixtures built with the proxy-wasm-cpp-sdk header only
	// (Makefile.base_lite, raw extern "C" callbacks, logDebug inlined into
	// a proxy_log call): no SDK code is linked, so nothing in the binary
	// tells them from the corpus's C++ filters written without an SDK.
	"envoyproxy__envoy-wasm__missing-cpp-abi010.wasm":      "SDK header only: no SDK code in the binary",
	"envoyproxy__envoy-wasm__start-cpp-abi010.wasm":        "SDK header only: no SDK code in the binary",
	"envoyproxy__envoy-wasm__test-cpp-abi010-nostart.wasm": "SDK header only (WASM_EXPORT callbacks): no SDK code in the binary",
	// The manifest guesses the SDK from the repository; the source
	// (test_data/bad_signature_cpp.cc) declares proxy_log itself and
	// includes no SDK header at all.
	"envoyproxy__envoy-wasm__bad-signature-cpp-abi010.wasm": "manifest guess: the source uses no SDK",
}

// expectation is what the manifest says, in toolchain's vocabulary. An
// empty SDK means none; sdkAny means the manifest does not say.
type expectation struct {
	notWasm          bool
	toolchain, tcVer string
	sdk, sdkVer      string
	iface            string
}

const sdkAny = "?"

// TestCorpus checks detection on every file of the shared corpus against
// what its manifest records, and prints the hit rate.
func TestCorpus(t *testing.T) {
	total, hits, factHits, versions := 0, 0, 0, 0
	for _, rel := range corpus.Dirs {
		var entries []manifestEntry
		dir := corpus.Manifest(t, rel, &entries)
		for _, e := range entries {
			want := expect(e)
			got, err := detectFile(filepath.Join(dir, e.File))
			if err != nil {
				t.Errorf("%s: %v", e.File, err)
				continue
			}
			total++
			miss := compare(want, got)
			versions += versionShown(want, got)
			checkMiss(t, e.File, miss, got)
			if miss == "" {
				hits++
			}
			if d := compare(want, withInfo(got, got.factsOnly)); d == "" {
				factHits++
			} else if miss == "" {
				t.Logf("Detect without the bytes misses %s: %s", e.File, d)
			}
		}
	}
	t.Logf("toolchain detection: %d of %d files agree with the manifests (%.1f%%); %d known misses, explained in knownMisses",
		hits, total, 100*float64(hits)/float64(total), len(knownMisses))
	t.Logf("Detect on module facts alone (no data strings): %d of %d", factHits, total)
	t.Logf("versions: %d files show a toolchain or SDK version the manifest also records", versions)
}

func checkMiss(t *testing.T, file, miss string, got detected) {
	t.Helper()
	reason, known := knownMisses[file]
	switch {
	case miss != "" && !known:
		t.Errorf("%s: %s (detected %+v)", file, miss, got)
	case miss == "" && known:
		t.Errorf("%s: now agrees with the manifest; remove it from knownMisses (%s)", file, reason)
	case miss != "":
		t.Logf("known miss %s: %s; because %s", file, miss, reason)
	}
}

// detected is what detection said about one file.
type detected struct {
	notWasm bool
	toolchain.Report
	// factsOnly is what Detect says without the bytes.
	factsOnly toolchain.Info
}

func detectFile(path string) (detected, error) {
	bin, err := os.ReadFile(path)
	if err != nil {
		return detected{}, err
	}
	m, err := wasm.Decode(bin)
	var de *wasm.DecodeError
	if errors.As(err, &de) && de.Kind == wasm.NotWasm {
		return detected{notWasm: true}, nil
	}
	if err != nil {
		return detected{}, err
	}
	return detected{Report: toolchain.Analyze(m, bin), factsOnly: toolchain.Detect(m)}, nil
}

// withInfo is got with its Info replaced.
func withInfo(got detected, info toolchain.Info) detected {
	got.Info = info
	return got
}

// compare returns "" when got agrees with want, else what differs.
func compare(want expectation, got detected) string {
	var diffs []string
	if want.notWasm || got.notWasm {
		if want.notWasm != got.notWasm {
			return fmt.Sprintf("not-wasm %v, want %v", got.notWasm, want.notWasm)
		}
		return ""
	}
	if got.Toolchain != want.toolchain {
		diffs = append(diffs, fmt.Sprintf("toolchain %q, want %q", got.Toolchain, want.toolchain))
	}
	if want.sdk != sdkAny && sdkFamily(got.SDK) != want.sdk {
		diffs = append(diffs, fmt.Sprintf("SDK %q, want %q", got.SDK, want.sdk))
	}
	if !ifaceAgrees(got.Interface, want.iface) {
		diffs = append(diffs, fmt.Sprintf("interface %q, want %q", got.Interface, want.iface))
	}
	if got.ToolchainVersion != "" && want.tcVer != "" && core(got.ToolchainVersion) != core(want.tcVer) {
		diffs = append(diffs, fmt.Sprintf("toolchain version %q, want %q", got.ToolchainVersion, want.tcVer))
	}
	if got.SDKVersion != "" && want.sdkVer != "" && core(got.SDKVersion) != core(want.sdkVer) {
		diffs = append(diffs, fmt.Sprintf("SDK version %q, want %q", got.SDKVersion, want.sdkVer))
	}
	return strings.Join(diffs, "; ")
}

// versionShown counts a file whose detected versions include one the
// manifest records.
func versionShown(want expectation, got detected) int {
	if (want.tcVer != "" && got.ToolchainVersion != "") || (want.sdkVer != "" && got.SDKVersion != "") {
		return 1
	}
	return 0
}

func ifaceAgrees(got, want string) bool {
	if want == toolchain.ProxyWasmPreABI {
		return got == toolchain.ProxyWasmPreABI || got == toolchain.ProxyWasmNoMarker
	}
	return got == want
}

var versionCore = regexp.MustCompile(`\d+(\.\d+)+`)

// core is the dotted release in a version: "v0.24.0" and "go1.26.8" give
// 0.24.0 and 1.26.8.
func core(v string) string { return versionCore.FindString(v) }

// sdkFamily names an SDK family for comparison: the Go SDK is one project
// under three module paths (mathetake, tetratelabs, proxy-wasm).
func sdkFamily(sdk string) string {
	switch sdk {
	case toolchain.SDKGoMathetake, toolchain.SDKGoTetrate, toolchain.SDKGoProxyWasm, toolchain.SDKGo:
		return "go"
	case toolchain.SDKRust:
		return "rust"
	case toolchain.SDKCpp:
		return "cpp"
	case toolchain.SDKEnvoyWasm:
		return "envoy-wasm"
	case toolchain.SDKAssemblyScript:
		return "assemblyscript"
	case toolchain.SDKZig:
		return "zig"
	case toolchain.SDKHTTPWasmGo:
		return "http-wasm-go"
	case toolchain.SDKMOSNProtocol:
		return "mosn-protocol"
	}
	return sdk
}
