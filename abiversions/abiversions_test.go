package abiversions

import (
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// parseRendered parses a signature as String renders it ("void" for an
// empty list, which ParseSig itself does not accept).
func parseRendered(s string) Sig {
	left, right, _ := strings.Cut(s, " -> ")
	if left == "void" {
		left = ""
	}
	if right == "void" {
		right = ""
	}
	return ParseSig(left + " -> " + right)
}

func checkFuncs(t *testing.T, where string, fs []Func) {
	t.Helper()
	if len(fs) == 0 {
		t.Errorf("%s: empty table", where)
	}
	seen := map[string]bool{}
	for _, f := range fs {
		if f.Name == "" {
			t.Errorf("%s: function without a name", where)
		}
		if seen[f.Name] {
			t.Errorf("%s: %s listed twice", where, f.Name)
		}
		seen[f.Name] = true
		for _, ty := range append(append([]wasm.ValType{}, f.Sig.Params...), f.Sig.Results...) {
			if ty != wasm.I32 && ty != wasm.I64 {
				t.Errorf("%s: %s has value type %s; the ABI uses only i32 and i64", where, f.Name, wasm.ValTypeName(ty))
			}
		}
		if got := parseRendered(f.Sig.String()); got.String() != f.Sig.String() {
			t.Errorf("%s: %s signature %q does not round-trip", where, f.Name, f.Sig)
		}
	}
}

func TestVersions(t *testing.T) {
	vs := Versions()
	if len(vs) != 4 || vs[len(vs)-1] != VNext {
		t.Fatalf("Versions() = %d versions, want 4 ending with VNext", len(vs))
	}
	for _, v := range vs {
		if !strings.HasPrefix(v.Marker, MarkerPrefix) {
			t.Errorf("%s: marker %q lacks prefix %q", v.Name, v.Marker, MarkerPrefix)
		}
		if got, ok := MarkerVersion(v.Marker); !ok || got != v.Name {
			t.Errorf("MarkerVersion(%q) = %q, %v; want %q", v.Marker, got, ok, v.Name)
		}
		if Lookup(v.Name) != v || Lookup(v.Marker) != v {
			t.Errorf("Lookup does not find %s by name and marker", v.Name)
		}
		if !strings.Contains(v.Spec, "proxy-wasm/spec@") || !strings.Contains(v.Spec, "README.md") {
			t.Errorf("%s: Spec %q does not cite repo@commit path", v.Name, v.Spec)
		}
		checkFuncs(t, v.Name+" HostFuncs", v.HostFuncs)
		checkFuncs(t, v.Name+" Callbacks", v.Callbacks)
		for _, f := range v.HostFuncs {
			if !strings.HasPrefix(f.Name, "proxy_") {
				t.Errorf("%s: host function %s is not proxy_*", v.Name, f.Name)
			}
		}
		if v.Callback(v.Marker) != nil {
			t.Errorf("%s: the marker is listed as a callback", v.Name)
		}
	}
	if VNext.Accepted || !V0_1_0.Accepted || !V0_2_0.Accepted || !V0_2_1.Accepted {
		t.Error("only vNEXT must be unaccepted")
	}
	if VNext.Marker != "proxy_abi_version_0_x_x" {
		t.Errorf("VNext.Marker = %q", VNext.Marker)
	}
}

func TestABISpecificFunctions(t *testing.T) {
	has := func(v *Version, name string) bool { return v.HostFunc(name) != nil }
	if !has(V0_1_0, "proxy_continue_request") || has(V0_1_0, "proxy_continue_stream") {
		t.Error("0.1.0 must have proxy_continue_request and not proxy_continue_stream")
	}
	if has(V0_2_0, "proxy_continue_request") || !has(V0_2_0, "proxy_continue_stream") {
		t.Error("0.2.0 must have proxy_continue_stream and not proxy_continue_request")
	}
	if !has(V0_2_1, "proxy_get_log_level") || has(V0_2_0, "proxy_get_log_level") || has(V0_1_0, "proxy_get_log_level") {
		t.Error("proxy_get_log_level must be in 0.2.1 only")
	}
	for _, v := range Versions() {
		if g := v.HostFunc("proxy_grpc_call"); g == nil || len(g.Sig.Params) != 12 {
			t.Errorf("%s: proxy_grpc_call must take 12 params", v.Name)
		}
	}
	if got := V0_1_0.Callback("proxy_on_request_headers").Sig.String(); got != "i32 i32 -> i32" {
		t.Errorf("0.1.0 proxy_on_request_headers = %s", got)
	}
	for _, v := range []*Version{V0_2_0, V0_2_1, VNext} {
		if got := v.Callback("proxy_on_request_headers").Sig.String(); got != "i32 i32 i32 -> i32" {
			t.Errorf("%s proxy_on_request_headers = %s", v.Name, got)
		}
	}
	if V0_1_0.Callback("proxy_on_foreign_function") != nil || V0_2_1.Callback("proxy_on_foreign_function") == nil {
		t.Error("proxy_on_foreign_function is looked up for 0.2.x only")
	}
	if got := V0_1_0.HostFunc("proxy_continue_request").Sig.String(); got != "void -> i32" {
		t.Errorf("0.1.0 proxy_continue_request = %s, want cpp-host's void -> i32", got)
	}
	if got := V0_2_1.HostFunc("proxy_increment_metric").Sig.String(); got != "i32 i64 -> i32" {
		t.Errorf("proxy_increment_metric = %s", got)
	}
}

func TestSigRoundTrip(t *testing.T) {
	for in, want := range map[string]string{
		"i32 i32 -> i32":                    "i32 i32 -> i32",
		"->":                                "void -> void",
		"-> ":                               "void -> void",
		"i32 ->":                            "i32 -> void",
		"-> i64":                            "void -> i64",
		"i32 i64 f32 f64 v128 -> externref": "i32 i64 f32 f64 v128 -> externref",
	} {
		s := ParseSig(in)
		if got := s.String(); got != want {
			t.Errorf("ParseSig(%q).String() = %q, want %q", in, got, want)
		}
		if again := parseRendered(s.String()).String(); again != want {
			t.Errorf("%q does not round-trip: %q", want, again)
		}
	}
	for _, bad := range []string{"i32 i32", "i33 -> i32"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("ParseSig(%q) did not panic", bad)
				}
			}()
			ParseSig(bad)
		}()
	}
	if !ParseSig("i32 -> i32").Equal(wasm.FuncType{Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}}) {
		t.Error("Equal failed on identical types")
	}
}

func TestMarkerVersion(t *testing.T) {
	for in, want := range map[string]string{
		"proxy_abi_version_0_2_100": "0.2.100",
		"proxy_abi_version_0_1_0":   "0.1.0",
		"proxy_abi_version_0_x_x":   "0.x.x",
	} {
		if got, ok := MarkerVersion(in); !ok || got != want {
			t.Errorf("MarkerVersion(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"proxy_abi_version_1", "proxy_abi_version_0_2", "proxy_abi_version_0_2_1_0",
		"proxy_abi_version_0__1", "proxy_abi_version_0_2_y", "abi_version_0_2_1", ""} {
		if got, ok := MarkerVersion(in); ok {
			t.Errorf("MarkerVersion(%q) = %q, true; want not ok", in, got)
		}
	}
}

func TestSelect(t *testing.T) {
	mustSelect := func(sel string) *Profile {
		t.Helper()
		p, err := Select(sel)
		if err != nil {
			t.Fatalf("Select(%q): %v", sel, err)
		}
		return p
	}
	if p := mustSelect("envoy"); p.Name() != "envoy@1.39" {
		t.Errorf("Select(envoy) = %s", p.Name())
	}
	if p := mustSelect(DefaultProfile); p.Name() != "envoy@1.39" {
		t.Errorf("default profile = %s", p.Name())
	}
	if p := mustSelect("istio@1.24"); p.Envoy != "1.32" || p.Host != "istio" || p.Era != "E2" {
		t.Errorf("istio@1.24 = %+v", p)
	}
	if p := mustSelect("ISTIO@1.9"); p.Envoy != "1.17" {
		t.Errorf("istio@1.9 embeds %s", p.Envoy)
	}
	if p := mustSelect("kong"); p.Release != "0.6.0" {
		t.Errorf("Select(kong) = %s", p.Name())
	}
	if p := mustSelect("kong@0.5"); p.Release != "0.5.0" {
		t.Errorf("Select(kong@0.5) = %s", p.Name())
	}
	if p := mustSelect("istio"); p.Release != "1.29" {
		t.Errorf("Select(istio) = %s", p.Name())
	}
	for _, h := range []string{"mosn", "apisix", "higress"} {
		mustSelect(h)
	}
	if _, err := Select("nope"); err == nil {
		t.Error("Select(nope) succeeded")
	}
	if got := strings.Join(Hosts(), ","); got != "apisix,envoy,higress,istio,kong,mosn" {
		t.Errorf("Hosts() = %s", got)
	}
}

func TestProfilesWellFormed(t *testing.T) {
	seen := map[string]bool{}
	counts := map[string]int{}
	for _, p := range Profiles() {
		n := p.Name()
		counts[p.Host]++
		if seen[n] {
			t.Errorf("duplicate profile %s", n)
		}
		seen[n] = true
		if p.Source == "" || len(p.ABIs) == 0 || len(p.Allocators) == 0 || len(p.WASIModules) == 0 || len(p.WASI) == 0 {
			t.Errorf("%s: Source, ABIs, Allocators, WASIModules and WASI must be set", n)
		}
		if p.Family == "" || p.Engine == "" || p.EngineVersion == "" || len(p.Features) == 0 {
			t.Errorf("%s: Family, Engine, EngineVersion and Features must be set", n)
		}
		for _, v := range p.ABIs {
			if Lookup(v) == nil && v != "0.2.100" {
				t.Errorf("%s: unknown ABI %s", n, v)
			}
		}
		for stub := range p.WASIStubs {
			if !p.ProvidesWASI(stub) {
				t.Errorf("%s: stub %s is not a provided WASI function", n, stub)
			}
		}
		dup := map[string]bool{}
		for _, w := range p.WASI {
			if dup[w] {
				t.Errorf("%s: WASI %s listed twice", n, w)
			}
			dup[w] = true
		}
		for _, r := range p.RestrictedStart {
			if name, isEnv := strings.CutPrefix(r, "env."); isEnv {
				if p.EnvExtra(name) == nil && Lookup("0.2.1").HostFunc(name) == nil {
					t.Errorf("%s: start allowlist names unknown env.%s", n, name)
				}
			} else if !p.ProvidesWASI(r) {
				t.Errorf("%s: start allowlist names unprovided WASI %s", n, r)
			}
		}
		if len(p.EnvExtras) > 0 {
			checkFuncs(t, n+" EnvExtras", p.EnvExtras)
		}
		if p.Family == CppHost {
			if p.Era == "" || !p.ProvidesWASIModule("wasi_unstable") || !p.ProvidesWASIModule("wasi_snapshot_preview1") {
				t.Errorf("%s: cpp-host profile needs an era and both WASI modules", n)
			}
			if p.EnvExtra("pthread_equal") == nil || !p.ChecksCallbackSigs || p.Imports.Global {
				t.Errorf("%s: cpp-host basics missing", n)
			}
		}
		for _, f := range []string{p.Msg.MissingImport, p.Msg.NonFuncImport, p.Msg.NotYetImpl, p.Msg.Restricted} {
			if f != "" && strings.Count(f, "%") != 1 {
				t.Errorf("%s: message %q must take exactly one argument", n, f)
			}
		}
		for _, f := range []string{p.Msg.ImportMismatch, p.Msg.BadExportSig} {
			if f != "" && strings.Count(f, "%") != 3 {
				t.Errorf("%s: message %q must take exactly three arguments", n, f)
			}
		}
	}
	want := map[string]int{"envoy": 24, "istio": 21, "kong": 6, "mosn": 1, "apisix": 1, "higress": 1}
	for h, c := range want {
		if counts[h] != c {
			t.Errorf("%d %s profiles, want %d", counts[h], h, c)
		}
	}
}

func TestEnvoyEras(t *testing.T) {
	get := func(sel string) *Profile {
		t.Helper()
		p, err := Select(sel)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	if p := get("envoy@1.20"); p.ProvidesWASI("path_open") || p.Era != "E1" {
		t.Error("Envoy 1.20 must lack path_open (E1)")
	}
	if p := get("envoy@1.21"); !p.ProvidesWASI("path_open") || p.WASIStubs["path_open"].What == "" {
		t.Error("Envoy 1.21 must provide path_open as a stub")
	}
	p139 := get("envoy@1.39")
	if len(p139.WASI) != 45 || p139.ProvidesWASI("proc_raise") || !p139.ProvidesWASI("fd_filestat_get") {
		t.Errorf("Envoy 1.39 WASI = %d functions; want 45 without proc_raise", len(p139.WASI))
	}
	if _, stub := p139.WASIStubs["poll_oneoff"]; stub {
		t.Error("Envoy 1.39 poll_oneoff returns success, it is not a failing stub")
	}
	if p := get("envoy@1.38"); p.WASIStubs["poll_oneoff"].What == "" || len(p.WASI) != 18 {
		t.Error("Envoy 1.38: E3, poll_oneoff returns ENOSYS")
	}
	if p := get("envoy@1.32"); len(p.WASI) != 15 || p.ProvidesWASI("sched_yield") {
		t.Error("Envoy 1.32 is the last E2 release")
	}
	if p := get("envoy@1.33"); !p.ProvidesWASI("sched_yield") {
		t.Error("Envoy 1.33 is E3")
	}
	p116 := get("envoy@1.16")
	if len(p116.WASI) != 10 || p116.ProvidesWASI("clock_time_get") || len(p116.Allocators) != 1 || p116.Entry != EntryLegacy {
		t.Error("Envoy 1.16: E0, malloc only, legacy entry")
	}
	if p116.LinksProxyFunc(V0_1_0, "proxy_continue_request") || !p116.LinksProxyFunc(V0_1_0, "proxy_continue_stream") {
		t.Error("Envoy 1.16 (cpp-host 928db4d) links the 0.2.0 set whatever the marker")
	}
	if p := get("envoy@1.22"); p.EnvExtra("emscripten_notify_memory_growth") != nil || p.MaxMemoryPages != 0 {
		t.Error("Envoy 1.22 predates 73fe589 and 61135c5")
	}
	if p := get("envoy@1.23"); p.EnvExtra("emscripten_notify_memory_growth") == nil || p.InitialOverCapFails || p.RestrictedStart != nil {
		t.Error("Envoy 1.23: emscripten_notify_memory_growth allowed, no confirmed cap, no restricted start")
	}
	p124 := get("envoy@1.24")
	if p124.MaxMemoryPages != 16384 || !p124.InitialOverCapFails || p124.AllowedDuringStart("wasi_snapshot_preview1", "proc_exit") ||
		!p124.AllowedDuringStart("env", "proxy_log") || p124.AllowedDuringStart("env", "proxy_get_property") || p124.Msg.Restricted == "" {
		t.Error("Envoy 1.24: 1 GiB cap and restricted start")
	}
	if get("envoy@1.36").AllowedDuringStart("env", "emscripten_notify_memory_growth") ||
		!get("envoy@1.37").AllowedDuringStart("env", "emscripten_notify_memory_growth") {
		t.Error("emscripten_notify_memory_growth is allowed during start from 14fa83a (1.37)")
	}
	if !p139.AllowedDuringStart("wasi_unstable", "poll_oneoff") || p139.AllowedDuringStart("wasi_unstable", "sched_yield") {
		t.Error("Envoy 1.39 start allowlist")
	}
	if get("envoy@1.18").Msg.CompileFailed != "Failed to load Wasm code" || get("envoy@1.19").Msg.CompileFailed != "Failed to load Wasm bytecode" {
		t.Error("compile failure wording changed in 8ccb826 (1.19)")
	}
	if p := get("envoy@1.39"); p.EnvExtra("envoy_resolve_dns").Sig.String() != "i32 i32 i32 -> i32" {
		t.Error("envoy_resolve_dns signature")
	}
}

func TestOtherHosts(t *testing.T) {
	kong, _ := Select("kong@0.6.0")
	if !kong.LinksAllVersions || !kong.LinksProxyFunc(V0_2_1, "proxy_continue_request") || !kong.IsNotImplemented("proxy_get_log_level") ||
		kong.ProvidesWASIModule("wasi_unstable") || kong.Imports != (ImportKinds{}) || kong.Entry != EntryFirstOf || len(kong.RequiredCallbacks) != 3 {
		t.Error("kong profile")
	}
	if kong.WASIStubs["sched_yield"].What == "" {
		t.Error("kong 0.6.0 shadows sched_yield with an ENOTSUP stub")
	}
	if k5, _ := Select("kong@0.5.0"); k5.WASIStubs["sched_yield"].What != "" {
		t.Error("kong 0.5.0 on Wasmtime answers sched_yield with Wasmtime's own")
	}
	mosn, _ := Select("mosn")
	if mosn.AcceptsABI("0.2.1") || !mosn.AcceptsABI("0.2.0") || mosn.LinksProxyFunc(V0_2_0, "proxy_continue_stream") ||
		!mosn.LinksProxyFunc(V0_1_0, "proxy_resume_http_request") || len(mosn.Allocators) != 1 || mosn.Entry != EntryStartOnly {
		t.Error("mosn profile")
	}
	apisix, _ := Select("apisix")
	if apisix.Detection != HighestMarker || !apisix.AssumeLatestABI || apisix.LinksProxyFunc(V0_2_1, "proxy_get_log_level") ||
		!apisix.LinksProxyFunc(V0_2_1, "proxy_continue_request") || apisix.MemoryExport != "memory" || apisix.Allocators[0] != "proxy_on_memory_allocate" {
		t.Error("apisix profile")
	}
	hig, _ := Select("higress")
	if !hig.AcceptsABI("0.2.100") || hig.EnvExtra("proxy_redis_call") == nil || len(hig.WASI) != 45 ||
		hig.AllowedDuringStart("wasi_snapshot_preview1", "proc_exit") || !hig.AllowedDuringStart("wasi_snapshot_preview1", "poll_oneoff") {
		t.Error("higress profile")
	}
}

// TestStubs checks the structured stub behaviour the smoke run emulates
// and PW502 grades.
func TestStubs(t *testing.T) {
	for _, tc := range []struct {
		host, fn     string
		errno        uint32
		stdOnly      bool
		log          string
		trap, failed bool
	}{
		{"envoy@1.39", "fd_seek", 0, false, "wasi_unstable fd_seek", false, false},
		{"envoy@1.39", "proc_exit", 0, false, "wasi_unstable proc_exit", false, false},
		{"envoy@1.39", "fd_read", 52, false, "", false, true},
		{"envoy@1.38", "poll_oneoff", 52, false, "", false, true},
		{"envoy@1.39", "fd_renumber", 58, true, "", false, true},
		{"envoy@1.39", "fd_sync", 0, true, "", false, false},
		{"envoy@1.39", "fd_readdir", 20, false, "", false, true},
		{"kong@0.6.0", "proc_exit", 0, false, "", true, true},
		{"kong@0.6.0", "sched_yield", 58, false, "", false, true},
	} {
		p, err := Select(tc.host)
		if err != nil {
			t.Fatal(err)
		}
		s, ok := p.WASIStubs[tc.fn]
		if !ok || s.What == "" || s.Errno != tc.errno || s.StdOnly != tc.stdOnly || s.Log != tc.log || s.Trap != tc.trap || s.Fails() != tc.failed {
			t.Errorf("%s %s: stub %+v (fails %v)", tc.host, tc.fn, s, s.Fails())
		}
	}
}
