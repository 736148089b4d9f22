package rules_test

import (
	"testing"

	wabin "github.com/tetratelabs/wabin/wasm"
	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// ABI marker rules: PW101-PW105.

const (
	m010 = "proxy_abi_version_0_1_0"
	m020 = "proxy_abi_version_0_2_0"
	m021 = "proxy_abi_version_0_2_1"
	m0xx = "proxy_abi_version_0_x_x"
	m100 = "proxy_abi_version_0_2_100"
)

// pwMarker replaces the baseline marker by the given function export names
// (none: no marker), in that export order.
func pwMarker(names ...string) wt.Option {
	return wt.Edit(func(m *wt.Module) {
		for i := range m.Funcs {
			if m.Funcs[i].ID == "marker" {
				m.Funcs[i].Exports = names
			}
		}
	})
}

// pwGlobalExport exports a global (defined here) under name.
func pwGlobalExport(name string) wt.Option {
	return wt.Edit(func(m *wt.Module) {
		m.Globals = append(m.Globals, &wabin.Global{
			Type: &wabin.GlobalType{ValType: wabin.ValueTypeI32},
			Init: &wabin.ConstantExpression{Opcode: wabin.OpcodeI32Const, Data: []byte{0x00}},
		})
		m.Exports = append(m.Exports, wt.RawExport{Name: name, Kind: wt.KindGlobal, Index: uint32(len(m.Globals) - 1)})
	})
}

func TestABIMarkerMissing(t *testing.T) {
	noMarker := wt.Filter(pwMarker())
	missing := `"Missing or unknown Proxy-Wasm ABI version"`
	pwCheck(t, rules.ABIMarkerMissing, []pwCase{
		{name: "no marker", bin: noMarker,
			want: []pwWant{pwF(pwE, "module", "no proxy_abi_version_* export", "although it exports proxy_on_* callbacks", "envoy@1.39: "+missing)}},
		{name: "no marker", host: "istio@1.24", bin: noMarker,
			want: []pwWant{pwF(pwE, "module", "no proxy_abi_version_*", "istio@1.24: "+missing)}},
		{name: "no marker", host: "kong", bin: noMarker,
			want: []pwWant{pwF(pwE, "module", "no proxy_abi_version_*", `kong@0.6.0: "unknown ABI version"`)}},
		{name: "no marker", host: "mosn", bin: noMarker,
			want: []pwWant{pwF(pwE, "module", "no proxy_abi_version_*")}},
		// APISIX and Envoy 1.16 run a module without a marker as the newest ABI.
		{name: "no marker", host: "apisix", bin: noMarker,
			want: []pwWant{pwF(pwW, "module", "no proxy_abi_version_*")}},
		{name: "no marker", host: "envoy@1.16", bin: noMarker,
			want: []pwWant{pwF(pwW, "module", "no proxy_abi_version_*")}},
		{name: "pre-ABI camelCase export", bin: wt.Filter(pwMarker(), wt.Export("proxy_onStart", "i32 i32 -> i32")),
			want: []pwWant{pwF(pwE, "module", "exports like proxy_onStart are the pre-0.1.0 envoy-wasm ABI")}},
		{name: "pre-ABI underscore export", bin: wt.Empty(wt.Export("_proxy_onTick", "i32 ->")),
			want: []pwWant{pwF(pwE, "module", "pre-0.1.0 envoy-wasm ABI")}},
		{name: "http-wasm guest", bin: wt.Empty(wt.ImportFunc("http_handler", "get_uri", "i32 i32 -> i32"), wt.Export("handle_request", "-> i64")),
			want: []pwWant{pwF(pwE, "module", "http-wasm guest")}},
		{name: "revision is not a marker", bin: wt.Filter(pwMarker("proxy_abi_revision_0_2_1")),
			want: []pwWant{pwF(pwE, "module", "proxy_abi_revision_0_2_1 is not a marker hosts recognise")}},
		{name: "plain WASI program", bin: wt.Empty(wt.Export("_start", "->")),
			want: []pwWant{pwF(pwE, "module", "no proxy_abi_version_*", "!although")}},
		{name: "empty module", bin: wt.Header,
			want: []pwWant{pwF(pwE, "module", "no proxy_abi_version_*")}},
		{name: "marker is a global: PW105's", bin: wt.Filter(pwMarker(), pwGlobalExport(m021))},
		{name: "unknown marker: PW102's", bin: wt.Filter(pwMarker("proxy_abi_version_9_9_9"))},
		{name: "unsupported marker: PW104's", host: "mosn", bin: wt.Filter()},
		{name: "0.1.0 marker", bin: wt.Filter(wt.ABI("0.1.0"))},
	})
}

func TestABIMarkerUnknown(t *testing.T) {
	pwCheck(t, rules.ABIMarkerUnknown, []pwCase{
		{name: "vNEXT placeholder alone", bin: wt.Filter(pwMarker(m0xx)),
			want: []pwWant{pwF(pwE, "export "+m0xx, "vNEXT draft's placeholder", "no other marker is exported")}},
		{name: "vNEXT placeholder beside 0.2.1", bin: wt.Filter(pwMarker(m021, m0xx)),
			want: []pwWant{pwF(pwN, "export "+m0xx, "vNEXT draft's placeholder", "envoy@1.39 ignores it and uses "+m021)}},
		{name: "Higress 0.2.100 outside Higress", bin: wt.Filter(pwMarker(m100)),
			want: []pwWant{pwF(pwE, "export "+m100, "Higress's extension of 0.2.1", "no other marker", `envoy@1.39: "Missing or unknown Proxy-Wasm ABI version"`)}},
		{name: "Higress 0.2.100 on Higress", host: "higress", bin: wt.Filter(pwMarker(m100))},
		{name: "Higress 0.2.100 beside 0.2.1", bin: wt.Filter(pwMarker(m021, m100)),
			want: []pwWant{pwF(pwN, "export "+m100, "Higress's extension", "envoy@1.39 ignores it and uses "+m021)}},
		{name: "version no host implements", bin: wt.Filter(pwMarker("proxy_abi_version_9_9_9")),
			want: []pwWant{pwF(pwE, "export proxy_abi_version_9_9_9", "a version no host implements")}},
		{name: "version no host implements", host: "mosn", bin: wt.Filter(pwMarker("proxy_abi_version_9_9_9")),
			want: []pwWant{pwF(pwE, "export proxy_abi_version_9_9_9", `mosn@0.2: "unknown ABI: proxy_abi_version_9_9_9"`)}},
		{name: "version no host implements", host: "kong", bin: wt.Filter(pwMarker("proxy_abi_version_9_9_9")),
			want: []pwWant{pwF(pwE, "export proxy_abi_version_9_9_9", `kong@0.6.0: "incompatible ABI version"`)}},
		// APISIX runs it as the newest ABI anyway.
		{name: "version no host implements", host: "apisix", bin: wt.Filter(pwMarker("proxy_abi_version_9_9_9")),
			want: []pwWant{pwF(pwW, "export proxy_abi_version_9_9_9", "a version no host implements")}},
		{name: "not a version", bin: wt.Filter(pwMarker("proxy_abi_version_0_2")),
			want: []pwWant{pwF(pwE, "export proxy_abi_version_0_2", "not a version at all")}},
		{name: "not a version beside 0.2.1", bin: wt.Filter(pwMarker(m021, "proxy_abi_version_latest")),
			want: []pwWant{pwF(pwN, "export proxy_abi_version_latest", "not a version at all", "ignores it")}},
		{name: "real version the host lacks: PW104's", host: "mosn", bin: wt.Filter()},
		{name: "non-function marker: PW105's", bin: wt.Filter(pwMarker(), pwGlobalExport("proxy_abi_version_9_9_9"))},
		{name: "no marker: PW101's", bin: wt.Filter(pwMarker())},
	})
}

func TestABIMarkersMultiple(t *testing.T) {
	pwCheck(t, rules.ABIMarkersMultiple, []pwCase{
		{name: "0.2.1 then 0.2.0", bin: wt.Filter(pwMarker(m021, m020)),
			want: []pwWant{pwF(pwW, "export "+m021, "exports 2 ABI markers", "envoy@1.39 uses "+m021, "as ABI 0.2.1")}},
		// cpp-host takes the first in export order.
		{name: "0.2.0 then 0.2.1", bin: wt.Filter(pwMarker(m020, m021)),
			want: []pwWant{pwF(pwW, "export "+m020, "uses "+m020, "as ABI 0.2.0")}},
		{name: "three markers", bin: wt.Filter(pwMarker(m010, m020, m021)),
			want: []pwWant{pwF(pwW, "export "+m010, "exports 3 ABI markers")}},
		// APISIX takes the highest.
		{name: "0.1.0 then 0.2.1", host: "apisix", bin: wt.Filter(pwMarker(m010, m021)),
			want: []pwWant{pwF(pwW, "export "+m021, "apisix@0.7 uses "+m021)}},
		{name: "0.1.0 then 0.2.1", host: "kong", bin: wt.Filter(pwMarker(m010, m021)),
			want: []pwWant{pwF(pwW, "export "+m010, "kong@0.6.0 uses "+m010)}},
		// MOSN does not accept 0.2.1: one marker it recognises.
		{name: "0.2.0 and 0.2.1", host: "mosn", bin: wt.Filter(pwMarker(m020, m021))},
		{name: "0.2.100 beside 0.2.1", host: "higress", bin: wt.Filter(pwMarker(m021, m100)),
			want: []pwWant{pwF(pwW, "export "+m021, "exports 2 ABI markers")}},
		{name: "0.2.100 beside 0.2.1 outside Higress", bin: wt.Filter(pwMarker(m021, m100))},
		{name: "0.2.1 and the vNEXT placeholder", bin: wt.Filter(pwMarker(m021, m0xx))},
		{name: "0.2.1 and a global 0.2.0", bin: wt.Filter(pwGlobalExport(m020))},
		{name: "no marker", bin: wt.Filter(pwMarker())},
	})
}

func TestABIVersionUnsupported(t *testing.T) {
	pwCheck(t, rules.ABIVersionUnsupported, []pwCase{
		{name: "0.2.1", host: "mosn", bin: wt.Filter(),
			want: []pwWant{pwF(pwE, "export "+m021, "ABI 0.2.1 (export "+m021+") is not supported by mosn@0.2, which speaks 0.1.0, 0.2.0", `mosn@0.2: "unknown ABI: `+m021+`"`)}},
		{name: "0.2.0", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"))},
		{name: "0.1.0", host: "mosn", bin: wt.Filter(wt.ABI("0.1.0"))},
		{name: "0.2.1 and 0.2.0", host: "mosn", bin: wt.Filter(pwMarker(m021, m020))},
		{name: "no marker: PW101's", host: "mosn", bin: wt.Filter(pwMarker())},
		{name: "0.2.100", bin: wt.Filter(pwMarker(m100))},
		{name: "0.2.100", host: "mosn", bin: wt.Filter(pwMarker(m100))},
		{name: "vNEXT is not a released version", bin: wt.Filter(pwMarker(m0xx))},
		{name: "APISIX runs any module", host: "apisix", bin: wt.Filter(pwMarker(m0xx))},
		{name: "0.2.1", host: "envoy@1.17", bin: wt.Filter()},
		{name: "0.2.1", host: "kong@0.1.0", bin: wt.Filter()},
	})
}

func TestABIMarkerMalformed(t *testing.T) {
	pwCheck(t, rules.ABIMarkerMalformed, []pwCase{
		{name: "marker is a global", bin: wt.Filter(pwMarker(), pwGlobalExport(m021)),
			want: []pwWant{pwF(pwE, "export "+m021, "is a global, not a function", `envoy@1.39: "Missing or unknown Proxy-Wasm ABI version"`)}},
		{name: "marker is a global", host: "kong", bin: wt.Filter(pwMarker(), pwGlobalExport(m021)),
			want: []pwWant{pwF(pwE, "export "+m021, "is a global", `"unknown ABI version"`)}},
		{name: "marker is a global", host: "apisix", bin: wt.Filter(pwMarker(), pwGlobalExport(m021)),
			want: []pwWant{pwF(pwN, "export "+m021, "is a global")}},
		{name: "marker is a memory", bin: wt.Filter(pwMarker(), wt.MemoryExport(m021)),
			want: []pwWant{pwF(pwE, "export "+m021, "is a memory, not a function")}},
		{name: "global marker beside a function marker", bin: wt.Filter(pwGlobalExport(m020)),
			want: []pwWant{pwF(pwN, "export "+m020, "is a global", "!Missing or unknown")}},
		{name: "marker with parameters", bin: wt.Filter(wt.Retype("marker", "i32 ->")),
			want: []pwWant{pwF(pwN, "export "+m021, "has type i32 -> void, not void -> void")}},
		{name: "marker with a result", bin: wt.Filter(wt.Retype("marker", "-> i32")),
			want: []pwWant{pwF(pwN, "export "+m021, "has type void -> i32")}},
		{name: "unknown marker with parameters", bin: wt.Filter(pwMarker("proxy_abi_version_9_9_9"), wt.Retype("marker", "i32 ->")),
			want: []pwWant{pwF(pwN, "export proxy_abi_version_9_9_9", "has type i32 -> void")}},
		{name: "no marker", bin: wt.Filter(pwMarker())},
	})
}
