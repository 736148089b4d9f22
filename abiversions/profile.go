package abiversions

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Family names the host code a profile's behaviour comes from. Hosts of one
// family share detection, linking, start-up and error wording.
type Family string

// The host families wasmlint models.
const (
	// CppHost is proxy-wasm-cpp-host, embedded by Envoy, Istio and Higress.
	CppHost Family = "proxy-wasm-cpp-host"
	// Kong is Kong's ngx_wasm_module (WasmX).
	Kong Family = "ngx_wasm_module"
	// MOSN is mosn/proxy-wasm-go-host.
	MOSN Family = "proxy-wasm-go-host"
	// APISIX is api7/wasm-nginx-module.
	APISIX Family = "wasm-nginx-module"
)

// Detection is how a host picks the ABI version among marker exports.
type Detection int

const (
	// FirstMarker: the first function export, in export order, whose name is
	// an accepted marker wins (cpp-host, Kong).
	FirstMarker Detection = iota
	// HighestMarker: the highest accepted version present wins (APISIX).
	HighestMarker
)

// Entry is a host's start-up convention: which of _initialize, _start,
// main and __main_void it calls.
type Entry int

const (
	// EntryReactor (cpp-host since 2020-10): _initialize, then main(0,0) if
	// exported (else __main_void() where MainVoid); without _initialize,
	// _start.
	EntryReactor Entry = iota
	// EntryLegacy (cpp-host before 2020-10, Envoy 1.16): _start, else
	// __wasm_call_ctors; _initialize is never called.
	EntryLegacy
	// EntryFirstOf (Kong): whichever of _start and _initialize comes first
	// in export order; main is not called.
	EntryFirstOf
	// EntryStartFirst (APISIX): _start if exported, else _initialize.
	EntryStartFirst
	// EntryStartOnly (MOSN go-host): _start is required (wasmer) or run on
	// instantiation (wazero); _initialize is not run.
	EntryStartOnly
)

// ImportKinds says which non-function imports a host satisfies.
type ImportKinds struct {
	Memory, Table, Global bool
}

// Messages are the host's own words for the failures wasmlint predicts; each
// is a fmt format with the verbs documented beside it. An empty message
// means the host has no specific wording.
type Messages struct {
	MissingImport  string // %s module.name
	ImportMismatch string // %s module.name, %s want, %s host exports
	BadExportSig   string // %s export, %s want, %s module exports
	MissingMalloc  string // no verbs
	MissingABI     string // no verbs
	UnknownABI     string // %s marker name
	CompileFailed  string // no verbs
	Corrupted      string // no verbs
	NonFuncImport  string // %s module.name
	UnknownModule  string // %s module
	Restricted     string // %s function the host was running
	NotYetImpl     string // %s host function
	MissingMemory  string // no verbs
	MissingCallbks string // no verbs
	// ImportSep joins an import's module and name in the host's messages
	// ("." when empty; Wasmtime writes "env::proxy_log").
	ImportSep string
}

// Profile is what one host release accepts from a filter module. Profiles
// are plain data, listed in Profiles; each cites its sources in Source.
type Profile struct {
	// Host is the product ("envoy", "istio", "kong", "mosn", "apisix", "higress").
	Host string
	// Release is the product release the profile describes ("1.39").
	Release string
	// Envoy is the Envoy release an Istio or Higress proxy embeds.
	Envoy string
	// Family selects the host code the behaviour comes from.
	Family Family
	// Era is the proxy-wasm-cpp-host feature era (E0..E4), cpp-host only.
	Era string
	// Source cites where each fact of the profile was read.
	Source string

	// ABIs are the ABI versions the host accepts, e.g. "0.2.1", "0.2.100".
	ABIs []string
	// Detection is how the host picks among several markers.
	Detection Detection
	// AssumeLatestABI: a module without a marker is run as the newest
	// version instead of being refused (APISIX).
	AssumeLatestABI bool

	// ProxyFuncs, when set, lists by ABI version the env proxy_* functions
	// the host links; absent means the version's table (cpp-host).
	ProxyFuncs map[string][]string
	// LinksAllVersions: every proxy_* name of every ABI version (0.1.0 to
	// vNEXT) links, whatever the detected version (Kong).
	LinksAllVersions bool
	// NotImplemented are host functions that link but trap when called.
	NotImplemented []string
	// EnvExtras are env functions beyond the ABI that the host provides.
	EnvExtras []Func

	// WASIModules are the WASI import modules the host provides.
	WASIModules []string
	// WASI are the WASI functions the host provides (under every module in
	// WASIModules).
	WASI []string
	// WASIStubs maps provided WASI functions that always fail or do nothing
	// to what they do instead.
	WASIStubs map[string]Stub

	// Imports says which non-function imports link.
	Imports ImportKinds
	// MemoryExport is the name the memory export must have ("" = any).
	MemoryExport string
	// ImportedMemoryOK: a module that imports its memory instead of
	// exporting it runs (cpp-host creates it from the declared limits).
	ImportedMemoryOK bool
	// Allocators are the allocator exports the host looks up, in order.
	Allocators []string
	// Entry is the start-up convention.
	Entry Entry
	// MainVoid: with EntryReactor, the host calls __main_void() after
	// _initialize when main is not exported (cpp-host e55d150, 2026-03-03).
	MainVoid bool
	// RequiredCallbacks are exports without which the host refuses the filter.
	RequiredCallbacks []string
	// ChecksCallbackSigs: a callback export with the wrong type fails the
	// load (cpp-host on V8, WAMR); false means it is silently skipped.
	ChecksCallbackSigs bool

	// MaxMemoryPages is the host's cap on linear memory in 64 KiB pages (0 =
	// none beyond the engine's 4 GiB). InitialOverCapFails: a module whose
	// initial memory exceeds it fails to compile (V8).
	MaxMemoryPages      uint32
	InitialOverCapFails bool

	// Engine and EngineVersion name the Wasm engine of release builds.
	Engine, EngineVersion string
	// Features are the Wasm proposals the engine enables by default, by the
	// names of the WebAssembly feature table ("simd128", "tail-call" ...).
	Features []string
	// RestrictedStart, when non-nil, is the allowlist of host calls during
	// _initialize/_start/main (V8 "restricted callbacks"); WASI names are
	// bare, env names carry "env.". Any other call traps.
	RestrictedStart []string

	// Msg holds the host's own error wording.
	Msg Messages
}

// Name is the profile's canonical selector, "envoy@1.39".
func (p *Profile) Name() string { return p.Host + "@" + p.Release }

// AcceptsABI reports whether the host accepts ABI version v ("0.2.1").
func (p *Profile) AcceptsABI(v string) bool { return contains(p.ABIs, v) }

// ProvidesWASIModule reports whether mod is one of the host's WASI modules.
func (p *Profile) ProvidesWASIModule(mod string) bool { return contains(p.WASIModules, mod) }

// ProvidesWASI reports whether the WASI function name is provided.
func (p *Profile) ProvidesWASI(name string) bool { return contains(p.WASI, name) }

// HasFeature reports whether the engine enables the named Wasm feature.
func (p *Profile) HasFeature(f string) bool { return contains(p.Features, f) }

// IsNotImplemented reports whether the host function links but traps.
func (p *Profile) IsNotImplemented(name string) bool { return contains(p.NotImplemented, name) }

// EnvExtra returns the extra env function of that name, or nil.
func (p *Profile) EnvExtra(name string) *Func { return find(p.EnvExtras, name) }

// LinksProxyFunc reports whether the host links env.name for ABI version v.
// known is false when v's table does not list the name at all.
func (p *Profile) LinksProxyFunc(v *Version, name string) bool {
	if p.LinksAllVersions {
		for _, ver := range Versions() {
			if ver.HostFunc(name) != nil {
				return true
			}
		}
		return false
	}
	if p.ProxyFuncs != nil {
		return contains(p.ProxyFuncs[v.Name], name)
	}
	return v.HostFunc(name) != nil
}

// AllowedDuringStart reports whether a call to module.name is allowed while
// the host runs the module's start-up functions.
func (p *Profile) AllowedDuringStart(module, name string) bool {
	if p.RestrictedStart == nil {
		return true
	}
	if module == "env" {
		return contains(p.RestrictedStart, "env."+name)
	}
	return contains(p.RestrictedStart, name)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// DefaultProfile is the profile used without --host: the newest Envoy.
const DefaultProfile = "envoy"

// Select finds the profile for a selector: "envoy@1.33", "istio@1.24",
// "kong@0.6.0", or a bare host name for its newest release.
func Select(selector string) (*Profile, error) {
	host, release, _ := strings.Cut(strings.ToLower(strings.TrimSpace(selector)), "@")
	var best *Profile
	for _, p := range Profiles() {
		if p.Host != host {
			continue
		}
		if release == "" {
			if best == nil || compareRelease(p.Release, best.Release) > 0 {
				best = p
			}
			continue
		}
		if p.Release == release || strings.TrimSuffix(p.Release, ".0") == strings.TrimSuffix(release, ".0") {
			return p, nil
		}
	}
	if best != nil {
		return best, nil
	}
	return nil, fmt.Errorf("unknown host profile %q (known: %s)", selector, strings.Join(Hosts(), ", "))
}

// Hosts lists the host names that have profiles, sorted.
func Hosts() []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range Profiles() {
		if !seen[p.Host] {
			seen[p.Host] = true
			out = append(out, p.Host)
		}
	}
	sort.Strings(out)
	return out
}

// compareRelease orders dotted numeric releases ("1.9" < "1.10").
func compareRelease(a, b string) int {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}

// Stub is what a host's stand-in for a WASI function does instead of the
// work. The smoke run emulates it from these fields; What words it for
// messages.
type Stub struct {
	// What says what the stub does: "returns ENOSYS (52)".
	What string
	// Errno is the result (0: success); with StdOnly it is the result for
	// the stdout and stderr descriptors (1 and 2), and every other
	// descriptor gets EBADF (8).
	Errno   uint32
	StdOnly bool
	// Log is logged at error level on every call, and the call returns 0
	// (cpp-host's "wasi_unstable fd_seek").
	Log string
	// Trap: the call traps (Kong's "not yet implemented").
	Trap bool
}

// Fails reports whether a caller sees the stub fail (an error or a trap),
// rather than success without the work being done.
func (s Stub) Fails() bool { return s.Trap || s.Errno != 0 }
