package abiversions

// Host profiles. The facts come from wasmlint's reference notes
// (/work/shared/reference/hosts.md, hosts.json, failures.md), re-checked at
// their sources where a fact makes a rule report an error; each profile's
// Source says where its facts were read and what stays inferred.
//
// Messages that must consume an argument the host does not print use the
// verb "%.0s", so every format takes the arguments documented on Messages.

// Profiles lists every host profile: Envoy 1.16-1.39, Istio 1.9-1.29, Kong
// ngx_wasm_module 0.1.0-0.6.0, MOSN, APISIX and Higress. The slice is built
// once; callers must not modify it.
func Profiles() []*Profile { return profiles }

var profiles = concatProfiles(envoyProfiles, istioProfiles(), []*Profile{higressProfile()},
	kongProfiles(), []*Profile{mosnProfile(), apisixProfile()})

func concatProfiles(lists ...[]*Profile) []*Profile {
	var out []*Profile
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// Env functions outside the ABI tables.
var (
	// Registered by every cpp-host since its first commit (src/wasm.cc
	// registerCallbacks, not capability-gated).
	pthreadEqual = fn("pthread_equal", "i32 i32 -> i32")
	// Registered since cpp-host 73fe589 (2022-06-15); a no-op.
	emscriptenGrowth = fn("emscripten_notify_memory_growth", "i32 ->")
	// Envoy's own host function: envoyproxy/envoy
	// source/extensions/common/wasm/wasm.cc Wasm::registerCallbacks registers
	// "env"."envoy_resolve_dns" from resolve_dns(Word, Word, Word) -> Word
	// through ConvertFunctionWordToUint32, i.e. (i32 i32 i32) -> i32 (read at
	// envoy 0080bf5f; ext/envoy_proxy_wasm_api.h declares it as
	// WasmResult envoy_resolve_dns(const char*, size_t, uint32_t*)). Envoy
	// also looks up the exports envoy_on_resolve_dns and
	// envoy_on_stats_update. Its presence in 1.16 was not checked; it is
	// listed for every release so that no module is refused for importing it.
	envoyResolveDNS = fn("envoy_resolve_dns", "i32 i32 i32 -> i32")
)

// cpp-host error wording, read in proxy-wasm-cpp-host src/wasm.cc and
// src/v8/v8.cc at 928db4d, 6dab125, c81a554, 7b64da1 and 52a0291. Envoy
// prints VM messages as they are and WasmBase::fail messages as
// "Wasm VM failed <msg>".
var (
	// Since 8ccb826 (2021-05-12, "Failed to load Wasm bytecode"): Envoy 1.19+.
	msgCppHost = Messages{
		MissingImport:  "Failed to load Wasm module due to a missing import: %s",
		ImportMismatch: "Failed to load Wasm module due to an import type mismatch: %s, want: %s, but host exports: %s",
		BadExportSig:   "Bad function signature for: %s, want: %s, but the module exports: %s",
		MissingMalloc:  "Wasm module is missing malloc function.",
		MissingABI:     "Missing or unknown Proxy-Wasm ABI version",
		// An unknown marker is an ordinary export: the module fails as if
		// it had none.
		UnknownABI:    "Missing or unknown Proxy-Wasm ABI version%.0s",
		CompileFailed: "Failed to load Wasm bytecode",
		Corrupted:     "Failed to parse corrupted Wasm module",
		// V8 reports an imported global with the missing-import text.
		NonFuncImport: "Failed to load Wasm module due to a missing import: %s",
	}
	// cdc8657 (2020-11-19) .. 8ccb826: Envoy 1.17-1.18 (6dab125, a59dd54,
	// c81a554) report a compile failure only as "Failed to load Wasm code".
	msgCpp2020 = withCompileFailed(msgCppHost, "Failed to load Wasm code")
	// 928db4d (Envoy 1.16): no ABI check at all, "Bad function signature
	// for: <name>" without the types, "Wasm missing malloc", and a failed
	// compile surfaces as "Failed to initialize Wasm code" (createWasm).
	msgCppLegacy = Messages{
		MissingImport:  msgCppHost.MissingImport,
		ImportMismatch: msgCppHost.ImportMismatch,
		BadExportSig:   "Bad function signature for: %s%.0s%.0s",
		MissingMalloc:  "Wasm missing malloc",
		CompileFailed:  "Failed to initialize Wasm code",
		Corrupted:      msgCppHost.Corrupted,
		NonFuncImport:  msgCppHost.NonFuncImport,
	}
	// V8 trap text of a call refused during start-up (cpp-host 66b3b7d,
	// src/v8/v8.cc getFailMessage; higress#3268 shows it verbatim).
	msgRestricted = "Function: %s failed: Uncaught Error: restricted_callback"
)

func withCompileFailed(m Messages, s string) Messages {
	m.CompileFailed = s
	return m
}

func withRestricted(m Messages) Messages {
	m.Restricted = msgRestricted
	return m
}
