package rules_test

import (
	"testing"
	"unicode/utf16"

	"github.com/tetratelabs/wabin/leb128"
	"github.com/tetratelabs/wabin/wasm"

	"github.com/wasmlint/wasmlint/analyzer"
	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// Media types as the images carry them.
const (
	mtOCI        = "application/vnd.oci.image.manifest.v1+json"
	mtDocker     = "application/vnd.docker.distribution.manifest.v2+json"
	mtTarGz      = "application/vnd.oci.image.layer.v1.tar+gzip"
	mtDockerTgz  = "application/vnd.docker.image.rootfs.diff.tar.gzip"
	mtSolo       = "application/vnd.module.wasm.content.layer.v1+wasm"
	mtSoloConfig = "application/vnd.module.wasm.config.v1+json"
)

// pwImage is a Package for a module from an image.
func pwImage(layout analyzer.Layout, manifest string, layer int, file string, layers ...string) *analyzer.Package {
	return &analyzer.Package{Image: "filter.tar", Layout: layout, ManifestMediaType: manifest, LayerMediaTypes: layers,
		Layer: layer, LayerDigest: "sha256:0123", File: file}
}

func TestLayoutNotPullable(t *testing.T) {
	bin := wt.Filter()
	compat := pwImage(analyzer.LayoutCompat, mtOCI, 0, "plugin.wasm", mtTarGz)
	compatDocker := pwImage(analyzer.LayoutCompat, mtDocker, 0, "./plugin.wasm", mtDockerTgz)
	twoLayers := pwImage(analyzer.LayoutCompat, mtOCI, 1, "plugin.wasm", mtTarGz, mtTarGz)
	notLast := pwImage(analyzer.LayoutCompat, mtOCI, 0, "plugin.wasm", mtTarGz, mtTarGz)
	otherName := pwImage(analyzer.LayoutCompat, mtOCI, 0, "filter.wasm", mtTarGz)
	uncompressed := pwImage(analyzer.LayoutCompat, mtOCI, 0, "plugin.wasm", "application/vnd.oci.image.layer.v1.tar")
	solo := pwImage(analyzer.LayoutSolo, mtOCI, 1, "", mtSoloConfig, mtSolo)
	soloAlone := pwImage(analyzer.LayoutSolo, mtOCI, 0, "", mtSolo)
	wasmToOCI := pwImage(analyzer.LayoutWasmToOCI, mtOCI, 0, "", "application/vnd.wasm.content.layer.v1+wasm")
	cncf := pwImage(analyzer.LayoutCNCF, mtOCI, 0, "", "application/wasm")
	refused := `istio@1.29: "could not fetch Wasm OCI image: the given image is in invalid format as an OCI image"`
	pwCheck(t, rules.LayoutNotPullable, []pwCase{
		{name: "bare file", host: "istio", bin: bin},
		{name: "compat", host: "istio", bin: bin, pkg: compat},
		{name: "compat docker", host: "istio", bin: bin, pkg: compatDocker},
		{name: "compat, two layers, Istio 1.16", host: "istio@1.16", bin: bin, pkg: twoLayers},
		{name: "compat, two layers, Istio 1.15", host: "istio@1.15", bin: bin, pkg: twoLayers,
			want: []pwWant{pwF(pwE, "image layout", "istio@1.15 takes a compat image with exactly one layer (Istio 1.16 takes the last), and it has 2")}},
		{name: "plugin.wasm not in the last layer", host: "istio", bin: bin, pkg: notLast,
			want: []pwWant{pwF(pwE, "image layout", "the module is plugin.wasm in layer 1, but the fetcher reads plugin.wasm from the last layer", refused)}},
		{name: "not named plugin.wasm", host: "higress", bin: bin, pkg: otherName,
			want: []pwWant{pwF(pwE, "image layout", "higress@2 will not pull the module from this compat image: the module is filter.wasm")}},
		{name: "uncompressed layer", host: "istio", bin: bin, pkg: uncompressed,
			want: []pwWant{pwF(pwE, "image layout", "its last layer is application/vnd.oci.image.layer.v1.tar, not application/vnd.oci.image.layer.v1.tar+gzip")}},
		{name: "solo, two layers", host: "istio", bin: bin, pkg: solo},
		{name: "solo, one layer", host: "istio", bin: bin, pkg: soloAlone,
			want: []pwWant{pwF(pwE, "image layout", "the oci variant must have exactly 2 layers, and it has 1")}},
		{name: "wasm-to-oci", host: "istio", bin: bin, pkg: wasmToOCI,
			want: []pwWant{pwF(pwE, "image layout", "this wasm-to-oci image: its last layer is application/vnd.wasm.content.layer.v1+wasm, not application/vnd.oci.image.layer.v1.tar+gzip", refused)}},
		{name: "cncf", host: "higress", bin: bin, pkg: cncf,
			want: []pwWant{pwF(pwE, "image layout", "its last layer is application/wasm")}},
		{name: "Istio before image fetching", host: "istio@1.11", bin: bin, pkg: compat,
			want: []pwWant{pwF(pwE, "image layout", "istio@1.11 pulls no Wasm images (image fetching came in Istio 1.12)")}},
		{name: "envoy: a note", bin: bin, pkg: cncf,
			want: []pwWant{pwF(pwN, "image layout", "Istio and Higress would not pull the module from this cncf-wasm image", "envoy@1.39 itself loads modules from files or HTTP")}},
		{name: "kong: pullable, quiet", host: "kong", bin: bin, pkg: compat},
	})
}

func utf16Bytes(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// pwDataString puts bytes in an active data segment.
func pwDataString(b []byte) wt.Option {
	return wt.Edit(func(m *wt.Module) {
		m.Data = append(m.Data, &wasm.DataSegment{
			OffsetExpression: &wasm.ConstantExpression{Opcode: wasm.OpcodeI32Const, Data: leb128.EncodeInt32(1024)}, Init: b})
	})
}

func TestRuntimeConfigMismatch(t *testing.T) {
	rc := func(s string) *analyzer.Package {
		return &analyzer.Package{Image: "filter.tar", Layout: analyzer.LayoutCompat, RuntimeConfig: []byte(s)}
	}
	asFilter := wt.Filter(pwDataString(append(utf16Bytes("~lib/@solo-io/proxy-runtime/index.ts"), utf16Bytes("add_header_root")...)))
	pwCheck(t, rules.RuntimeConfigMismatch, []pwCase{
		{name: "no runtime config", bin: wt.Filter(), pkg: &analyzer.Package{Image: "x"}},
		{name: "matching ABI", bin: wt.Filter(), pkg: rc(`{"type":"envoy_proxy","abiVersions":["v0.2.1"],"config":{"rootIds":["x"]}}`)},
		{name: "matching ABI, marker form", bin: wt.Filter(), pkg: rc(`{"abi_versions":["proxy_abi_version_0_2_1"]}`)},
		{name: "legacy hash ABI not compared", bin: wt.Filter(), pkg: rc(`{"abiVersions":["v0-541b2c1155fffb15ccde92b8324f3e38f7339ba6"]}`)},
		{name: "ABI mismatch", bin: wt.Filter(), pkg: rc(`{"abiVersions":["v0.2.0","0.1.0"]}`),
			want: []pwWant{pwF(pwW, "runtime-config abiVersions", "runtime-config.json lists ABI 0.2.0, 0.1.0, but the module exports markers of ABI 0.2.1")}},
		{name: "ABI without marker", bin: wt.Filter(wt.Without(wt.Marker("0.2.1"))), pkg: rc(`{"abi_version":"v0.2.1"}`),
			want: []pwWant{pwF(pwW, "runtime-config abiVersions", "but the module exports no ABI marker")}},
		{name: "does not parse", bin: wt.Filter(), pkg: rc(`{"abiVersions": "v0.2.1"`),
			want: []pwWant{pwF(pwW, "runtime-config", "runtime-config.json does not parse")}},
		{name: "AssemblyScript root ID registered", bin: asFilter, pkg: rc(`{"config":{"rootIds":["add_header_root"]}}`)},
		{name: "AssemblyScript root ID missing", bin: asFilter, pkg: rc(`{"config":{"root_ids":["add_header_root","auth"]}}`),
			want: []pwWant{pwF(pwW, "runtime-config rootIds", `root ID "auth", which the module does not register`)}},
		{name: "root IDs not checked for other SDKs", bin: wt.Filter(), pkg: rc(`{"config":{"rootIds":["auth"]}}`)},
	})
}

func TestKongMetaInvalid(t *testing.T) {
	meta := func(s string) *analyzer.Package {
		return &analyzer.Package{Meta: []byte(s), MetaName: "filter.meta.json"}
	}
	kongSays := `kong@0.6.0: "Failed to load metadata for one or more filters"`
	pwCheck(t, rules.KongMetaInvalid, []pwCase{
		{name: "no meta.json", host: "kong", bin: wt.Filter()},
		{name: "valid", host: "kong", bin: wt.Filter(), pkg: meta(`{"config_schema":{"type":"object","properties":{"header":{"type":"string"}},"required":["header"]}}`)},
		{name: "valid, draft 4 declared", host: "kong", bin: wt.Filter(), pkg: meta(`{"config_schema":{"$schema":"http://json-schema.org/draft-04/schema#","type":"object"},"metrics":{"label_patterns":[{"label":"a","pattern":"b"}]}}`)},
		{name: "not JSON", host: "kong", bin: wt.Filter(), pkg: meta(`{"config_schema":`),
			want: []pwWant{pwF(pwE, "meta.json", "filter.meta.json: does not parse as JSON", kongSays)}},
		{name: "not an object", host: "kong", bin: wt.Filter(), pkg: meta(`[1]`),
			want: []pwWant{pwF(pwE, "meta.json", "filter.meta.json: at \"/\"")}},
		{name: "bad type", host: "kong", bin: wt.Filter(), pkg: meta(`{"config_schema":{"type":"objec"}}`),
			want: []pwWant{pwF(pwE, "meta.json", `at "/config_schema/type": value must be one of`, kongSays)}},
		{name: "empty required", host: "kong", bin: wt.Filter(), pkg: meta(`{"config_schema":{"required":[]}}`),
			want: []pwWant{pwF(pwE, "meta.json", `at "/config_schema/required"`)}},
		{name: "bad label pattern", host: "kong", bin: wt.Filter(), pkg: meta(`{"metrics":{"label_patterns":[{"label":"a"}]}}`),
			want: []pwWant{pwF(pwE, "meta.json", `missing property 'pattern'`)}},
		{name: "dangling ref", host: "kong", bin: wt.Filter(), pkg: meta(`{"config_schema":{"$ref":"#/definitions/nope"}}`),
			want: []pwWant{pwF(pwE, "meta.json config_schema", "config_schema does not compile as a draft 4 JSON Schema")}},
		{name: "later draft", host: "kong", bin: wt.Filter(), pkg: meta(`{"config_schema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object"}}`),
			want: []pwWant{pwF(pwW, "meta.json config_schema", `declares $schema "https://json-schema.org/draft/2020-12/schema", but Kong reads it as draft 4`)}},
		{name: "other hosts: a note", bin: wt.Filter(), pkg: meta(`{"config_schema":{"type":"objec"}}`),
			want: []pwWant{pwF(pwN, "meta.json", "value must be one of", "!Failed to load")}},
	})
}
