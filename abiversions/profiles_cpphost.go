package abiversions

import "fmt"

// Envoy, Istio and Higress: proxy-wasm-cpp-host on V8.
//
// What was checked at the source (proxy-wasm/proxy-wasm-cpp-host fetched at
// 52a0291; envoyproxy/envoy files and PR threads through the search index):
//   - the WASI list, the start allowlist, __main_void, the proxy_on_memory_allocate
//     fallback, emscripten_notify_memory_growth and the V8 memory cap at every
//     pin named below (git show <pin>:include/proxy-wasm/exports.h, src/wasm.cc,
//     src/v8/v8.cc); they agree with hosts.md §1.2 except for Envoy 1.16, below.
//   - E2 from 1.21: Envoy PR #19074 ("update Proxy-Wasm C++ host (2021-11-18)",
//     f383473) merged 2021-11-29, before 1.21.0.
//   - E3 from 1.33: envoy changelogs/1.33.0.yaml (January 14, 2025) "Added support
//     for Wasm plugins written in Go with proxy-wasm-go-sdk and compiled with Go
//     v1.24+", which needs c4d7bb0's hostcalls; 1.32.0 (2024-10-15) predates it.
//   - E4 only in 1.39: Envoy PR #45756 (merged 2026-06-23) moves cpp-host from
//     beb8a4e (E3) to 09e5f8d (E4).
//   - Memory cap (61135c5, 2022-04-08): Envoy PR #22117 (2022-07-11, "set upper
//     limit for maximum Wasm memory size when using V8") says the cap "blocks
//     Proxy-Wasm C++ Host updates", so 1.22 (2022-04-15) has no cap. The bump
//     that brought it, PR #22154 (V8 10.4, cpp-host bcd1c4a), was "good to go"
//     on 2022-07-14, one day before 1.23.0; whether it made 1.23 is not
//     confirmed. PR #22575 (2022-08-05, cpp-host 4fcf895, after 61135c5 and
//     66b3b7d) is in 1.24. So the cap and its compile error apply from 1.24
//     (a wrong error blocks a deploy), and 1.23 is given neither the cap nor a
//     missing emscripten_notify_memory_growth (same bump): no error either way.
//   - Envoy 1.16 pins 928db4d (a bazel/repository_locations.bzl copy in the
//     index has version 928db4d79ec7...). At 928db4d cpp-host has no ABI
//     detection at all (e73c498, multi-ABI support, is 2020-08-04): it registers
//     one set of proxy_* functions, which is exactly the 0.2.0 table
//     (proxy_continue_stream/proxy_close_stream, no proxy_continue_request,
//     proxy_get_configuration, proxy_clear_route_cache, proxy_get_log_level),
//     looks up the 0.2.x callbacks (3-parameter header callbacks,
//     proxy_on_foreign_function) and never refuses a module for its marker.
//     hosts.json's 1.16 entry (three ABIs with per-version imports) is wrong.
//
// Still inferred: the exact pin of 1.17 (V8 version), 1.22, 1.23, 1.26, 1.28,
// 1.30-1.32, 1.35 and 1.37 (their WASI era is fixed by date), V8 versions
// marked so in Source, and Istio 1.14/1.15/1.22-1.24 following Envoy N+8.

// V8 feature sets by version (WebAssembly/website features.json, hosts.md §1.9).
var (
	featV8_85  = []string{"bulk-memory", "multi-value", "mutable-globals", "saturating-float-to-int", "sign-extension", "threads-atomics"}
	featV8_92  = concat(featV8_85, []string{"simd128"})
	featV8_96  = concat(featV8_92, []string{"exceptions-legacy", "reference-types"})
	featV8_138 = concat(featV8_96, []string{"exceptions-exnref", "extended-const", "gc", "memory64", "multi-memory", "relaxed-simd", "tail-call", "typed-function-references"})
)

// envoyRelease is what differs between Envoy minors.
type envoyRelease struct {
	minor    int
	era      string
	pin      string // cpp-host pin and how it is known
	v8       string
	v8Note   string
	features []string
}

var envoyReleases = []envoyRelease{
	{16, "E0", "928db4d (2020-07-15): bazel/repository_locations.bzl proxy_wasm_cpp_host version 928db4d79ec7 (index copy); Envoy 1.16.5 external-deps docs", "8.5.210.20", "Envoy PR #12886", featV8_85},
	{17, "E1", "6dab125 (1.17.0) / a59dd54 (1.17.1+): cpp-host branch envoy-release/v1.17", "8.7.220.10", "docs date 2020-12-17, version unconfirmed", featV8_85},
	{18, "E1", "c81a554 or aba2704 (2021-04-08): Envoy 1.18.3 external-deps docs date", "9.0.257.17", "Envoy PR #15937", featV8_85},
	{19, "E1", "~7b64da1 (2021-06-24): Envoy PR #17174", "9.2.230.13", "Envoy PR #17183", featV8_92},
	{20, "E1", "0318597 or 7811c57 (2021-08-11): Envoy 1.20.0/1.20.6 external-deps docs date", "9.2.230.13", "", featV8_92},
	{21, "E2", "f383473 (2021-11-18): Envoy PR #19074 merged 2021-11-29", "9.6.180.12", "Envoy PR #18994", featV8_96},
	{22, "E2", "974a4a8/e1f845f (2022-03-15) [infer]; before 61135c5 per Envoy PR #22117", "10.0.139.6", "Envoy PR #20326", featV8_96},
	{23, "E2", "~bcd1c4a (2022-07-12) [infer]: Envoy PRs #22117, #22124, #22154 (2022-07-13/14), release 2022-07-15", "10.4.132.18", "Envoy PR #22154, inclusion unconfirmed", featV8_96},
	{24, "E2", "4fcf895/66b3b7d (2022-08-05): Envoy PR #22575; next bump held until after 1.24", "10.4.132.18", "", featV8_96},
	{25, "E2", "b0a0594 (2022-10-09): Envoy PR #23434; 5d76116 in later 1.25.x (PR #27718)", "10.7.193.13", "", featV8_96},
	{26, "E2", "after b0a0594 [infer]; 5d76116 in later 1.26.x (PR #27718)", "10.7.193.13", "", featV8_96},
	{27, "E2", "5d76116 (2023-06-01) or later: Envoy PR #27718", "10.7.193.13", "likely", featV8_96},
	{28, "E2", ">=5d76116 [infer], era fixed by date", "10.7.193.13", "likely", featV8_96},
	{29, "E2", "e200fee (2023-12-19): Envoy 1.29.2 external-deps docs date", "10.7.193.13", "likely", featV8_96},
	{30, "E2", "e200fee..04dfb94 [infer], era fixed by date", "10.7.193.13", "likely", featV8_96},
	{31, "E2", "e200fee..0699c05 [infer], era fixed by date", "10.7.193.13", "likely", featV8_96},
	{32, "E2", "~21a5b08/0699c05 [infer]; 1.32.0 (2024-10-15) predates c4d7bb0", "10.7.193.13", "likely; 1.32.x got 12.9.202.27 in July 2025 (PR #40364), whose features are not modelled", featV8_96},
	{33, "E3", "c4d7bb0 (2024-12-19) [infer, strong]: changelogs/1.33.0.yaml announces Go 1.24 proxy-wasm-go-sdk support", "10.7.193.13", "assumed; 1.33.x got 12.9.202.27 in July 2025 (PR #40386)", featV8_96},
	{34, "E3", "c4d7bb0: nixpkgs envoy 1.34.2 pins c4d7bb0fda91", "10.7.193.13", "or 12.x, unverified; 1.34.x got 12.9.202.27 in July 2025 (PR #40388)", featV8_96},
	{35, "E3", "c4d7bb0 or >=1000bc2 [infer], both E3", "13.8.258.26", "likely", featV8_138},
	{36, "E3", ">=1000bc2 (2025-07-26): Envoy PR #40305 before the 1.36 cut", "13.8.258.26", "", featV8_138},
	{37, "E3", "c8868da (PR #42634) or beb8a4e (PR #43023) [infer], both E3 and after 14fa83a", "13.8.258.26", "or 14.4.258.16", featV8_138},
	{38, "E3", "beb8a4e (2026-01-15): Envoy PR #45756 diffs beb8a4e..09e5f8d", "13.8.258.26", "or 14.4.258.16", featV8_138},
	{39, "E4", "09e5f8d (2026-06-22): Envoy PR #45756 merged 2026-06-23", "14.4.258.16", "cpp-host pin; Envoy's own pin unverified", featV8_138},
}

var envoyProfiles = buildEnvoyProfiles()

func buildEnvoyProfiles() []*Profile {
	out := make([]*Profile, len(envoyReleases))
	for i, r := range envoyReleases {
		out[i] = envoyProfile(r)
	}
	return out
}

// abisCppHost are the markers cpp-host accepts since e73c498 (2020-08-04).
var abisCppHost = []string{"0.1.0", "0.2.0", "0.2.1"}

func envoyProfile(r envoyRelease) *Profile {
	rel := fmt.Sprintf("1.%d", r.minor)
	v8 := "V8 " + r.v8
	if r.v8Note != "" {
		v8 += " (" + r.v8Note + ")"
	}
	p := &Profile{
		Host:    "envoy",
		Release: rel,
		Envoy:   rel,
		Family:  CppHost,
		Era:     r.era,
		Source: fmt.Sprintf("envoyproxy/envoy v%s: proxy-wasm-cpp-host %s; behaviour read at that pin in "+
			"proxy-wasm/proxy-wasm-cpp-host src/wasm.cc, src/v8/v8.cc, src/exports.cc, include/proxy-wasm/exports.h; "+
			"WASI era %s; %s; envoy_resolve_dns from envoy source/extensions/common/wasm/wasm.cc", rel, r.pin, r.era, v8),
		ABIs:               abisCppHost,
		Detection:          FirstMarker,
		EnvExtras:          []Func{pthreadEqual, envoyResolveDNS},
		WASIModules:        []string{wasiUnstable, wasiPreview1},
		WASI:               wasiByEra[r.era],
		WASIStubs:          wasiStubsByEra[r.era],
		Imports:            ImportKinds{Memory: true, Table: true, Global: false},
		ImportedMemoryOK:   true,
		Allocators:         []string{"malloc", "proxy_on_memory_allocate"},
		Entry:              EntryReactor,
		ChecksCallbackSigs: true,
		Engine:             "v8",
		EngineVersion:      r.v8,
		Features:           r.features,
		Msg:                msgCppHost,
	}
	switch {
	case r.minor == 16:
		// 928db4d: no marker check, one function set (the 0.2.0 table) and
		// 0.2.x callbacks whatever the marker. Modelled as: every marker
		// accepted, a module without one run as the newest, and every
		// version linking the 0.2.0 names. Not modelled: a 0.1.0 module's
		// two-parameter header callbacks fail "Bad function signature" here.
		p.AssumeLatestABI = true
		p.ProxyFuncs = map[string][]string{}
		for _, v := range abisCppHost {
			p.ProxyFuncs[v] = names(V0_2_0.HostFuncs)
		}
		p.Allocators = []string{"malloc"} // proxy_on_memory_allocate fallback: 7bd429d (2020-10-26)
		p.Entry = EntryLegacy
		p.Msg = msgCppLegacy
	case r.minor <= 18:
		p.Msg = msgCpp2020
	}
	if r.minor >= 23 {
		p.EnvExtras = []Func{pthreadEqual, emscriptenGrowth, envoyResolveDNS}
	}
	if r.minor >= 24 {
		p.MaxMemoryPages, p.InitialOverCapFails = 16384, true
		p.Msg = withRestricted(p.Msg)
	}
	p.MainVoid = r.minor >= 39 // e55d150 (2026-03-03) is in 09e5f8d only
	switch {
	case r.minor >= 39:
		p.RestrictedStart = startAllow94091cd
	case r.minor >= 37:
		p.RestrictedStart = startAllow14fa83a
	case r.minor >= 33:
		p.RestrictedStart = startAllowC4d7bb0
	case r.minor >= 24:
		p.RestrictedStart = startAllow66b3b7d
	}
	return p
}

// Istio minor N embeds Envoy 1.(N+8); WasmPlugin modules run on V8 with the
// facts of that Envoy (hosts.md §2).
var istioReleases = []struct {
	minor int
	how   string
}{
	{9, "istio/proxy release-1.9 WORKSPACE pins the istio/envoy fork of 1.17; proxy-wasm-cpp-sdk#99 names 1.17.1"},
	{10, "istio/proxy release-1.10 commits 76434ca8f (v1.18.2), e06247cde (1.18.3)"},
	{11, "istio/proxy release-1.11 3cb442b49 \"Bump envoy to 1.19.0 final\""},
	{12, "istio/proxy release-1.12 68917cdb8 \"Update to envoyproxy v1.20\""},
	{13, "istio/proxy release-1.13 3f8e9e665 \"Use release/v1.21\""},
	{14, "Envoy N+8 pattern [infer]"},
	{15, "Envoy N+8 pattern [infer]"},
	{16, "istio/istio.io supported-releases table @011c0861"},
	{17, "istio/istio.io supported-releases table @011c0861"},
	{18, "istio/istio.io supported-releases table @011c0861"},
	{19, "istio/istio.io supported-releases table @a8ddb0d0"},
	{20, "istio/istio.io supported-releases table @a8ddb0d0"},
	{21, "istio/istio.io supported-releases table @a8ddb0d0; istio/proxy 467438722 \"Bump Envoy to 1.29.3\""},
	{22, "Envoy N+8 [infer]; 1.22.0 pins an envoy commit of 2024-05-06"},
	{23, "Envoy N+8 [infer]; 1.23.0 pins an envoy commit of 2024-07-31"},
	{24, "Envoy N+8 [infer]; third-party docs quote the Istio table \"1.24.x -> release/v1.32\""},
	{25, "istio/proxy release-1.25 ab5b0d32f \"Update envoy to v1.33.8\""},
	{26, "istio/proxy release-1.26 3a04f68cd \"Update envoy to v1.34.6\""},
	{27, "istio/proxy release-1.27 1a53bf14a \"Update envoy to the latest 1.35-dev\""},
	{28, "istio/proxy release-1.28 ENVOY_VERSION.txt = 1.36.10-dev (770dcced5)"},
	{29, "istio/proxy release-1.29 ENVOY_VERSION.txt = 1.37.6-dev (ba63376cd)"},
}

func istioProfiles() []*Profile {
	byEnvoy := map[string]*Profile{}
	for _, p := range envoyProfiles {
		byEnvoy[p.Release] = p
	}
	var out []*Profile
	for _, r := range istioReleases {
		envoy := byEnvoy[fmt.Sprintf("1.%d", r.minor+8)]
		p := *envoy
		p.Host = "istio"
		p.Release = fmt.Sprintf("1.%d", r.minor)
		p.Source = fmt.Sprintf("istio %s -> Envoy %s: %s. Envoy facts: %s", p.Release, envoy.Release, r.how, envoy.Source)
		out = append(out, &p)
	}
	return out
}

// Higress: higress-group/envoy (1.27.7-based) with the cpp-host fork
// higress-group/proxy-wasm-cpp-host, read at 913c1b0 (2025-07-25):
// include/proxy-wasm/exports.h, src/wasm.cc, src/bytecode_util.cc,
// include/proxy-wasm/limits.h. The release is "2" because hosts.json knows
// only "2.x".
func higressProfile() *Profile {
	return &Profile{
		Host:    "higress",
		Release: "2",
		Envoy:   "1.27",
		Family:  CppHost,
		// The fork's WASI list equals E4 (ported from upstream #433 in
		// 2025); it has no __main_void support, and its start allowlist
		// and malloc rules differ (see RestrictedStart).
		Era: "E4",
		Source: "higress-group/proxy-wasm-cpp-host@913c1b0 (27df305 \"extend wasm abi\" 2025-06-04): " +
			"include/proxy-wasm/exports.h (FOR_ALL_WASI_FUNCTIONS, extra hostcalls), src/wasm.cc (registerCallbacks, " +
			"getFunctions, startVm allowlist), src/bytecode_util.cc (proxy_abi_version_0_2_100), include/proxy-wasm/limits.h " +
			"(1 GiB); data plane higress-group/envoy 1.27.7-based (hosts.md §6); V8 10.7.193.13 unverified",
		ABIs:      []string{"0.1.0", "0.2.0", "0.2.1", "0.2.100"},
		Detection: FirstMarker,
		// Verified in the fork's exports.h and src/wasm.cc: the five
		// proxy_* extras are registered only when the ABI is 0.2.1 or
		// 0.2.100 (not for every ABI, as hosts.md §6 says), so a 0.1.0 or
		// 0.2.0 module importing them fails to link; EnvExtras cannot say
		// that. The fork also looks up proxy_on_redis_call_response
		// (i32 i32 i32 i32 -> ()) for 0.2.x. envoy_resolve_dns is assumed
		// inherited from Envoy (not checked in higress-group/envoy).
		EnvExtras: []Func{
			pthreadEqual,
			emscriptenGrowth,
			envoyResolveDNS,
			fn("proxy_redis_init", "i32 i32 i32 i32 i32 i32 i32 -> i32"),
			fn("proxy_redis_call", "i32 i32 i32 i32 i32 -> i32"),
			fn("proxy_get_upstream_hosts", "i32 i32 -> i32"),
			fn("proxy_inject_encoded_data_to_filter_chain", "i32 i32 i32 -> i32"),
			fn("proxy_set_upstream_override_host", "i32 i32 -> i32"),
		},
		WASIModules:        []string{wasiUnstable, wasiPreview1},
		WASI:               wasiE4,
		WASIStubs:          stubsE4, // same bodies as upstream E4 (src/exports.cc @913c1b0); poll_oneoff succeeds (cde187a)
		Imports:            ImportKinds{Memory: true, Table: true, Global: false},
		ImportedMemoryOK:   true,
		Allocators:         []string{"malloc", "proxy_on_memory_allocate"},
		Entry:              EntryReactor, // without the __main_void step
		ChecksCallbackSigs: true,
		MaxMemoryPages:     16384,
		// V8 with --wasm_max_mem_pages from limits.h, as upstream.
		InitialOverCapFails: true,
		Engine:              "v8",
		EngineVersion:       "10.7.193.13",
		Features:            featV8_96,
		// No restriction during malloc since 2e96099 (2025-04-14); proc_exit
		// is still refused during start (higress#3268).
		RestrictedStart: startAllowHigress,
		Msg:             withRestricted(msgCppHost),
	}
}
