package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/toolchain"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// RuntimeConfigMismatch reports a runtime-config.json that disagrees with
// the module it ships with.
var RuntimeConfigMismatch = &analyzer.Rule{
	ID: "PW802", Name: "runtime-config-mismatch", Severity: analyzer.Warning,
	Title: "the image's runtime-config.json disagrees with the module",
	What: "The image carries a runtime config (Solo.io's Wasm image spec: the config layer of the *oci* variant, or " +
		"`runtime-config.json` beside `plugin.wasm` in the *compat* variant) whose `abiVersions` name none of the ABI versions the " +
		"module exports a marker for, or whose `rootIds` (`root_ids`) name root contexts the module does not register. Root IDs are " +
		"checked for the SDKs that register root contexts by name, the C++ SDK and AssemblyScript's `@solo-io/proxy-runtime`, " +
		"whose names are strings in the data section; the Rust and Go SDKs serve any root ID.",
	Why: "Tools that read the runtime config (wasme, Gloo) pick the proxies and the `root_id` from it: a stale ABI version deploys " +
		"the filter where it does not load, or refuses it where it would, and a root ID the module does not register creates no " +
		"root context, so the plugin does nothing or fails its configure call. The module itself loads.",
	Fix: "Regenerate `runtime-config.json` with the module: list the ABI version its marker names (`v0.2.1` for " +
		"`proxy_abi_version_0_2_1`) and the root IDs it registers.",
	Host: "No message from Istio, which ignores the runtime config; Gloo and wasme use it as described in " +
		"https://github.com/solo-io/wasm/blob/master/spec/spec.md (Envoy Wasm Filter Specification).",
	Tags: []string{"packaging"},
	Run: func(p *analyzer.Pass) {
		if p.Package == nil || p.Package.RuntimeConfig == nil {
			return
		}
		var rc struct {
			ABIVersions  []string `json:"abiVersions"`
			ABIVersions2 []string `json:"abi_versions"`
			ABIVersion   string   `json:"abi_version"`
			Config       struct {
				RootIDs  []string `json:"rootIds"`
				RootIDs2 []string `json:"root_ids"`
			} `json:"config"`
		}
		if err := json.Unmarshal(p.Package.RuntimeConfig, &rc); err != nil {
			p.Reportf(analyzer.Warning, wasm.Span{}, "runtime-config", "runtime-config.json does not parse: %v", err)
			return
		}
		declared := append(append(rc.ABIVersions, rc.ABIVersions2...), rc.ABIVersion)
		checkRuntimeABI(p, declared)
		checkRootIDs(p, append(rc.Config.RootIDs, rc.Config.RootIDs2...))
	},
}

// checkRuntimeABI compares the ABI versions of the runtime config with the
// module's markers. Entries that name an envoy-wasm commit (v0-<hash>,
// before the ABI had versions) are not compared.
func checkRuntimeABI(p *analyzer.Pass, declared []string) {
	var listed []string
	for _, d := range declared {
		if v, ok := abiVersionName(d); ok {
			listed = append(listed, v)
		}
	}
	if len(listed) == 0 {
		return
	}
	var exported []string
	for _, e := range abiversions.Markers(p.Module) {
		if v, ok := abiversions.MarkerVersion(e.Name); ok && e.Kind == wasm.KindFunc {
			exported = append(exported, v)
			for _, l := range listed {
				if l == v {
					return
				}
			}
		}
	}
	has := "exports no ABI marker"
	if len(exported) > 0 {
		has = "exports markers of ABI " + strings.Join(exported, ", ")
	}
	p.Reportf(analyzer.Warning, wasm.Span{}, "runtime-config abiVersions", "runtime-config.json lists ABI %s, but the module %s",
		strings.Join(listed, ", "), has)
}

// abiVersionName reads "v0.2.1", "0.2.1", "0_2_1" or
// "proxy_abi_version_0_2_1" as "0.2.1".
func abiVersionName(s string) (string, bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(s, abiversions.MarkerPrefix), "v")
	s = strings.ReplaceAll(s, "_", ".")
	if v, ok := abiversions.MarkerVersion(abiversions.MarkerPrefix + strings.ReplaceAll(s, ".", "_")); ok {
		return v, true
	}
	return "", false
}

// checkRootIDs looks for each root ID in the data section, as UTF-8 (C++)
// and UTF-16 (AssemblyScript), for the SDKs that dispatch on it.
func checkRootIDs(p *analyzer.Pass, ids []string) {
	switch toolchain.Analyze(p.Module, p.Bin).SDK {
	case toolchain.SDKCpp, toolchain.SDKEnvoyWasm, toolchain.SDKAssemblyScript:
	default:
		return
	}
	var data []byte
	for _, s := range p.Module.Sections {
		if s.ID == 11 && int(s.Payload.Offset)+int(s.Payload.Length) <= len(p.Bin) {
			data = p.Bin[s.Payload.Offset : s.Payload.Offset+s.Payload.Length]
		}
	}
	for _, id := range ids {
		if id == "" || bytes.Contains(data, []byte(id)) || bytes.Contains(data, utf16LE(id)) {
			continue
		}
		p.Reportf(analyzer.Warning, wasm.Span{}, "runtime-config rootIds", "runtime-config.json names root ID %q, which the module does not register (no such string in its data)", id)
	}
}

func utf16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

// draft4 is the JSON Schema version Kong reads config_schema as.
const draft4 = "http://json-schema.org/draft-04/schema#"

// kongMetaSchema describes Kong's <filter>.meta.json as Kong checks it at
// start-up (kong/runloop/wasm.lua, FILTER_META_SCHEMA).
const kongMetaSchema = `{
  "$schema": "http://json-schema.org/draft-04/schema#",
  "type": "object",
  "properties": {
    "config_schema": {"$ref": "http://json-schema.org/draft-04/schema#"},
    "metrics": {"type": "object", "properties": {"label_patterns": {"type": "array", "items": {
      "type": "object", "required": ["label", "pattern"],
      "properties": {"label": {"type": "string"}, "pattern": {"type": "string"}}}}}}
  }
}`

var metaValidator = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(kongMetaSchema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("wasmlint:kong-meta.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("wasmlint:kong-meta.json")
})

// KongMetaInvalid reports a Kong filter metadata file that Kong rejects.
var KongMetaInvalid = &analyzer.Rule{
	ID: "PW803", Name: "kong-filter-meta-invalid", Severity: analyzer.Error,
	Title: "the filter's Kong meta.json is not valid",
	What: "Beside the filter `NAME.wasm` lies `NAME.meta.json`, Kong's filter metadata (Kong 3.5 and later), and it does not " +
		"parse, is not an object, has a `config_schema` that is not a valid JSON Schema (draft 4, the only draft Kong reads), or a " +
		"malformed `metrics.label_patterns`. A `config_schema` that declares another `$schema` is reported as a warning: Kong " +
		"replaces it with draft 4, so keywords of later drafts (`$defs`, `prefixItems`, `const` …) are ignored.",
	Why: "Kong reads the metadata of every filter in `wasm_filters_path` at start-up and refuses to start when one is invalid; a " +
		"valid `config_schema` is what lets a filter take JSON configuration.",
	Fix: "Make `config_schema` a draft 4 JSON Schema (`\"type\": \"object\"`, `\"properties\"`, `\"required\"` as an array …), " +
		"or remove the file if the filter takes raw configuration.",
	Host: "Kong: `Failed to load metadata for one or more filters:` then `* NAME (PATH) file contains invalid metadata: …` or " +
		"`JSON decode error: …`, and Kong does not start; source: `discover_filter_metadata` in " +
		"https://github.com/Kong/kong/blob/master/kong/runloop/wasm.lua and `kong/db/schema/json.lua`. Other hosts ignore the file.",
	Tags: []string{"packaging", "kong"},
	Run: func(p *analyzer.Pass) {
		pkg := p.Package
		if pkg == nil || pkg.Meta == nil {
			return
		}
		sev, says := analyzer.Note, ""
		if p.Host.Family == abiversions.Kong {
			sev, says = analyzer.Error, hostSays(p, "Failed to load metadata for one or more filters")
		}
		report := func(sev analyzer.Severity, subject, format string, args ...any) {
			p.Reportf(sev, wasm.Span{}, subject, "%s: "+format+"%s", append(append([]any{pkg.MetaName}, args...), says)...)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(pkg.Meta))
		if err != nil {
			report(sev, "meta.json", "does not parse as JSON: %v", err)
			return
		}
		v, err := metaValidator()
		if err != nil {
			panic(err) // the schema above is a constant
		}
		if err := v.Validate(doc); err != nil {
			report(sev, "meta.json", "%s", firstSchemaError(err))
			return
		}
		cs, ok := doc.(map[string]any)["config_schema"].(map[string]any)
		if !ok {
			return
		}
		if s, ok := cs["$schema"].(string); ok && strings.TrimSuffix(s, "#") != strings.TrimSuffix(draft4, "#") {
			report(min(sev, analyzer.Warning), "meta.json config_schema", "config_schema declares $schema %q, but Kong reads it as draft 4 and ignores later keywords", s)
		}
		if err := compileDraft4(cs); err != nil {
			report(sev, "meta.json config_schema", "config_schema does not compile as a draft 4 JSON Schema: %s", firstSchemaError(err))
		}
	},
}

// compileDraft4 compiles a schema as Kong does, with $schema set to draft 4.
func compileDraft4(cs map[string]any) error {
	doc := make(map[string]any, len(cs)+1)
	for k, v := range cs {
		doc[k] = v
	}
	doc["$schema"] = draft4
	c := jsonschema.NewCompiler()
	if err := c.AddResource("wasmlint:config_schema.json", doc); err != nil {
		return err
	}
	_, err := c.Compile("wasmlint:config_schema.json")
	return err
}

// firstSchemaError words the first leaf error of a validation, with where.
func firstSchemaError(err error) string {
	var se *jsonschema.SchemaValidationError
	if errors.As(err, &se) {
		err = se.Err
	}
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return err.Error()
	}
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	return fmt.Sprintf("at %q: %s", "/"+strings.Join(ve.InstanceLocation, "/"), ve.ErrorKind.LocalizedString(english))
}

var english = message.NewPrinter(language.English)
