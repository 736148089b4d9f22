package smoke

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
	"github.com/tetratelabs/wazero/sys"

	"github.com/wasmlint/wasmlint/abiversions"
)

// features maps the profile's engine features (WebAssembly feature table
// names) to wazero's. Threads are never enabled: cpp-host refuses shared
// memory (checkLoad), and without them wazero rejects atomics as the host's
// engine would reject an unsupported opcode.
func features(p *abiversions.Profile) api.CoreFeatures {
	f := api.CoreFeaturesV1
	for name, bit := range map[string]api.CoreFeatures{
		"bulk-memory":             api.CoreFeatureBulkMemoryOperations,
		"multi-value":             api.CoreFeatureMultiValue,
		"saturating-float-to-int": api.CoreFeatureNonTrappingFloatToIntConversion,
		"reference-types":         api.CoreFeatureReferenceTypes,
		"sign-extension":          api.CoreFeatureSignExtensionOps,
		"simd128":                 api.CoreFeatureSIMD,
		"tail-call":               experimental.CoreFeaturesTailCall,
		"extended-const":          experimental.CoreFeaturesExtendedConst,
	} {
		if p.HasFeature(name) {
			f |= bit
		}
	}
	// wazero ties reference types and bulk memory together.
	if f.IsEnabled(api.CoreFeatureReferenceTypes) != f.IsEnabled(api.CoreFeatureBulkMemoryOperations) {
		f |= api.CoreFeatureReferenceTypes | api.CoreFeatureBulkMemoryOperations
	}
	return f
}

var (
	cacheMu sync.Mutex
	caches  = map[string]wazero.CompilationCache{}
)

// cacheFor returns the compilation cache kept in dir ("" is a cache in
// memory shared by the runs of this process, so that tests and a CLI run
// over many files compile a module once).
func cacheFor(dir string) (wazero.CompilationCache, error) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if c, ok := caches[dir]; ok {
		return c, nil
	}
	c := wazero.NewCompilationCache()
	if dir != "" {
		var err error
		if c, err = wazero.NewCompilationCacheWithDir(dir); err != nil {
			return nil, fmt.Errorf("--smoke-cache %s: %w", dir, err)
		}
	}
	caches[dir] = c
	return c, nil
}

// pickEngine resolves EngineAuto: the compiler when a cache keeps its work,
// else the interpreter, which is faster for one run of the lifecycle (see
// README "Smoke run", measured on the 3 MB Go filters). The compiler needs
// a supported platform.
func pickEngine(o Options) string {
	if o.Engine != EngineAuto {
		return o.Engine
	}
	if o.CacheDir != "" && compilerSupported() {
		return EngineCompiler
	}
	return EngineInterpreter
}

// compilerSupported reports whether wazero's compiler runs here: amd64
// and arm64 on the operating systems wazero supports.
func compilerSupported() bool {
	switch runtime.GOOS {
	case "linux", "darwin", "windows", "freebsd", "netbsd", "dragonfly", "solaris", "illumos":
		return runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64"
	}
	return false
}

// newRuntime builds the wazero runtime for a run.
func newRuntime(ctx context.Context, o Options, engine string) (wazero.Runtime, error) {
	cfg := wazero.NewRuntimeConfigInterpreter()
	if engine == EngineCompiler {
		cfg = wazero.NewRuntimeConfigCompiler()
	}
	cfg = cfg.WithCoreFeatures(features(o.Host)).WithCloseOnContextDone(true)
	pages := uint32(65536)
	if o.Host.MaxMemoryPages > 0 {
		pages = o.Host.MaxMemoryPages
	}
	cfg = cfg.WithMemoryLimitPages(pages)
	if !o.fresh {
		cache, err := cacheFor(o.CacheDir)
		if err != nil {
			return nil, err
		}
		cfg = cfg.WithCompilationCache(cache)
	}
	return wazero.NewRuntimeWithConfig(ctx, cfg), nil
}

// trap is what a failed call tells: the reason in the host's words, the
// wasm stack (innermost first), and whether the deadline stopped it.
type trap struct {
	reason  string
	stack   []string
	timeout bool
}

var frameRE = regexp.MustCompile(`^\s*(?:[^.(]*\.)?([^(]+)\(`)

// classify turns a wazero call error into a trap.
func classify(err error) trap {
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		switch exit.ExitCode() {
		case sys.ExitCodeDeadlineExceeded, sys.ExitCodeContextCanceled:
			return trap{reason: "deadline exceeded", timeout: true}
		}
		return trap{reason: fmt.Sprintf("exited with code %d", exit.ExitCode())}
	}
	msg := err.Error()
	head, stack, _ := strings.Cut(msg, "\nwasm stack trace:\n")
	var t trap
	var ht hostTrap
	if errors.As(err, &ht) {
		switch {
		case errors.Is(ht.err, errRestricted):
			t.reason = "restricted_callback"
		case errors.Is(ht.err, errNoContext):
			t.reason = ht.fn + ": " + errNoContext.Error()
		default:
			inner := classify(ht.err)
			inner.stack = append(inner.stack, parseStack(stack)...)
			return inner
		}
	} else {
		t.reason = strings.TrimPrefix(strings.TrimSuffix(head, " (recovered by wazero)"), "wasm error: ")
	}
	t.stack = parseStack(stack)
	return t
}

func parseStack(s string) []string {
	var out []string
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "Go runtime stack trace:") {
			break
		}
		if m := frameRE.FindStringSubmatch(line); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// v8Reasons are V8's words for wazero's trap reasons.
var v8Reasons = map[string]string{
	"unreachable":                   "Uncaught RuntimeError: unreachable",
	"out of bounds memory access":   "Uncaught RuntimeError: memory access out of bounds",
	"integer divide by zero":        "Uncaught RuntimeError: divide by zero",
	"integer overflow":              "Uncaught RuntimeError: divide result unrepresentable",
	"invalid conversion to integer": "Uncaught RuntimeError: float unrepresentable in integer range",
	"invalid table access":          "Uncaught RuntimeError: table index is out of bounds",
	"indirect call type mismatch":   "Uncaught RuntimeError: null function or function signature mismatch",
	"stack overflow":                "Uncaught RangeError: Maximum call stack size exceeded",
	"restricted_callback":           "Uncaught Error: restricted_callback",
}

// hostText is the host's log line for a trap in the named export.
func hostText(p *abiversions.Profile, fn string, t trap) string {
	if t.timeout {
		return fmt.Sprintf("%s did not return within the smoke deadline", fn)
	}
	if p.Engine == "v8" {
		if r, ok := v8Reasons[t.reason]; ok {
			return fmt.Sprintf("Function: %s failed: %s", fn, r)
		}
	}
	return fmt.Sprintf("Function: %s failed: %s", fn, t.reason)
}

// stackText renders the stack for a message: innermost frame first.
func stackText(st []string) string {
	if len(st) == 0 {
		return ""
	}
	if len(st) > 8 {
		st = append(append([]string{}, st[:8]...), "...")
	}
	return "; wasm stack: " + strings.Join(st, " <- ")
}
