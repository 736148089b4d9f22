package rules_test

import (
	"fmt"
	"testing"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// Tests over the whole rule list.

// pwTested maps every rule to its table test, so that a rule added to
// rules.All without a test fails TestRulesAllTested.
var pwTested = map[*analyzer.Rule]func(*testing.T){
	rules.MalformedModule:         TestMalformedModule,
	rules.NotACoreModule:          TestNotACoreModule,
	rules.NameSectionMalformed:    TestNameSectionMalformed,
	rules.SegmentOutOfBounds:      TestSegmentOutOfBounds,
	rules.ABIMarkerMissing:        TestABIMarkerMissing,
	rules.ABIMarkerUnknown:        TestABIMarkerUnknown,
	rules.ABIMarkersMultiple:      TestABIMarkersMultiple,
	rules.ABIVersionUnsupported:   TestABIVersionUnsupported,
	rules.ABIMarkerMalformed:      TestABIMarkerMalformed,
	rules.HostFunctionUnknown:     TestHostFunctionUnknown,
	rules.HostFunctionSignature:   TestHostFunctionSignature,
	rules.HostFunctionUnsupported: TestHostFunctionUnsupported,
	rules.ImportModuleUnknown:     TestImportModuleUnknown,
	rules.NonFunctionImport:       TestNonFunctionImport,
	rules.AllocatorMissing:        TestAllocatorMissing,
	rules.CallbackSignature:       TestCallbackSignature,
	rules.CallbackUnknown:         TestCallbackUnknown,
	rules.ContextCreateMissing:    TestContextCreateMissing,
	rules.NoStreamCallbacks:       TestNoStreamCallbacks,
	rules.Entrypoint:              TestEntrypoint,
	rules.MemoryNotExported:       TestMemoryNotExported,
	rules.StartSection:            TestStartSection,
	rules.RequiredCallbackMissing: TestRequiredCallbackMissing,
	rules.StartupHostCall:         TestStartupHostCall,
	rules.MemoryInitialOverCap:    TestMemoryInitialOverCap,
	rules.MemoryMaxOverCap:        TestMemoryMaxOverCap,
	rules.Memory64:                TestMemory64,
	rules.SharedMemory:            TestSharedMemory,
	rules.MultipleMemories:        TestMultipleMemories,
	rules.PerWorkerFootprint:      TestPerWorkerFootprint,
	rules.WASIFunctionNotProvided: TestWASIFunctionNotProvided,
	rules.WASIFunctionStubbed:     TestWASIFunctionStubbed,
	rules.WASINetworkIO:           TestWASINetworkIO,
	rules.WASIFilesystemIO:        TestWASIFilesystemIO,
	rules.WASIModuleUnsupported:   TestWASIModuleUnsupported,
	rules.FeatureUnsupported:      TestFeatureUnsupported,
	rules.DebugInfo:               TestDebugInfo,
	rules.LargeModule:             TestLargeModule,
	rules.ToolchainRisk:           TestToolchainRisk,
	rules.BodyCopy:                TestBodyCopy,
	rules.LayoutNotPullable:       TestLayoutNotPullable,
	rules.RuntimeConfigMismatch:   TestRuntimeConfigMismatch,
	rules.KongMetaInvalid:         TestKongMetaInvalid,
}

func TestRulesAllTested(t *testing.T) {
	in := map[*analyzer.Rule]bool{}
	for _, r := range rules.All {
		in[r] = true
		if r.Runtime {
			continue // the smoke run's rules are tested in analyzer/smoke
		}
		if pwTested[r] == nil {
			t.Errorf("rule %s (%s) has no table test in pwTested", r.ID, r.Name)
		}
	}
	for r := range pwTested {
		if !in[r] {
			t.Errorf("pwTested lists %s, which is not in rules.All", r.ID)
		}
	}
}

func TestRulesValidate(t *testing.T) {
	if err := analyzer.Validate(rules.All); err != nil {
		t.Fatal(err)
	}
}

func TestRulesSortedUnique(t *testing.T) {
	names := map[string]bool{}
	for i, r := range rules.All {
		if i > 0 && rules.All[i-1].ID >= r.ID {
			t.Errorf("rules.All is not sorted by ID with unique IDs: %s before %s", rules.All[i-1].ID, r.ID)
		}
		if names[r.Name] {
			t.Errorf("duplicate rule name %s", r.Name)
		}
		names[r.Name] = true
	}
}

func TestRulesByID(t *testing.T) {
	for _, r := range rules.All {
		if got := rules.ByID(r.ID); got != r {
			t.Errorf("ByID(%s) = %v", r.ID, got)
		}
	}
	if got := rules.ByID("pw201"); got != rules.HostFunctionUnknown {
		t.Errorf("ByID is not case-insensitive: %v", got)
	}
	if got := rules.ByID("PW999"); got != nil {
		t.Errorf("ByID(PW999) = %v", got)
	}
}

// Only PW001 and PW002 look at input that did not decode.
func TestRulesOnInput(t *testing.T) {
	for _, r := range rules.All {
		want := r == rules.MalformedModule || r == rules.NotACoreModule
		if r.OnInput != want {
			t.Errorf("%s OnInput = %v, want %v", r.ID, r.OnInput, want)
		}
	}
}

func TestRulesQuietOnBaseline(t *testing.T) {
	res := analyzer.Run("test.wasm", wt.Filter(), rules.All, analyzer.Config{Host: pwHost(t, "")})
	if len(res.Diagnostics) != 0 {
		t.Errorf("findings on the baseline filter:\n%s", pwDump(res.Diagnostics))
	}
	if res.ABI != "0.2.1" {
		t.Errorf("ABI = %q, want 0.2.1", res.ABI)
	}
	// A filter ready for Kong (vm_start and configure) is quiet there too.
	kong := wt.Filter(wt.Export("proxy_on_vm_start", "i32 i32 -> i32"), wt.Export("proxy_on_configure", "i32 i32 -> i32"))
	res = analyzer.Run("test.wasm", kong, rules.All, analyzer.Config{Host: pwHost(t, "kong")})
	if len(res.Diagnostics) != 0 {
		t.Errorf("findings on the Kong-ready filter:\n%s", pwDump(res.Diagnostics))
	}
}

// pwOddInputs are inputs with facts out of range, for the no-panic test.
func pwOddInputs() map[string][]byte {
	good := wt.Filter()
	// A function import whose type index (5) does not exist, beside a marker.
	badType := wt.Cat(wt.Header,
		wt.SectionBytes(1, []byte{0x01, 0x60, 0x00, 0x00}),
		wt.SectionBytes(2, wt.Cat(wt.U32(1), wt.Str("env"), wt.Str("proxy_log"), []byte{0x00, 0x05})),
		wt.SectionBytes(3, []byte{0x01, 0x00}),
		wt.SectionBytes(7, wt.Cat(wt.U32(1), wt.Str(m021), []byte{0x00, 0x01})),
		wt.SectionBytes(10, []byte{0x01, 0x02, 0x00, 0x0b}))
	return map[string][]byte{
		"nil":              nil,
		"empty module":     wt.Header,
		"header only half": wt.Header[:6],
		"truncated filter": good[:len(good)/2],
		"component":        wt.ComponentHeader,
		"bad type index":   badType,
		"exports out of range": wt.Filter(wt.Edit(func(m *wt.Module) {
			m.Exports = append(m.Exports,
				wt.RawExport{Name: "_start", Kind: wt.KindFunc, Index: 99},
				wt.RawExport{Name: "_initialize", Kind: wt.KindFunc, Index: 98},
				wt.RawExport{Name: m010, Kind: wt.KindFunc, Index: 97},
				wt.RawExport{Name: "main", Kind: wt.KindFunc, Index: 96},
				wt.RawExport{Name: "proxy_on_request_body", Kind: wt.KindFunc, Index: 95},
				wt.RawExport{Name: "memory2", Kind: wt.KindMemory, Index: 7})
		})),
		"start out of range": wt.Filter(wt.Section(8, wt.U32(99))),
		"data without memory": wt.Filter(wt.NoMemory(), pwSegments(nil, nil, nil), wt.Edit(func(m *wt.Module) {
			m.Data = append(m.Data, pwData(0, 4))
			m.Elements = append(m.Elements, pwElem(0, 1))
		})),
		"names out of range": wt.Filter(wt.Custom("name", []byte{0x01, 0x04, 0x01, 0x63, 0x01, 'x'})),
		"shared 64-bit memories": wt.Filter(wt.Memory(wt.Mem{Min: 1 << 20, Max: 1 << 21, HasMax: true, Shared: true, Is64: true}, wt.Mem{Shared: true}),
			pwSegments(nil, nil, nil)),
		"everything at once": wt.Filter(pwWASI("proc_exit", "sock_recv", "path_open", "poll_oneoff"), pwFuncCalling("_start", true, pwExit...),
			pwFuncCalling("init", false, wt.Raw(0x41, 0x00, 0x11, 0x00, 0x00)), wt.Start("init"), pwMarker(m021, m020, m0xx, m100),
			wt.Custom("producers", wt.Producers([3]string{"processed-by", "Go cmd/compile", "go1.24.0"})), wt.Custom(".debug_info", []byte{1})),
	}
}

func TestRulesNeverPanic(t *testing.T) {
	inputs := pwOddInputs()
	for _, p := range abiversions.Profiles() {
		for name, bin := range inputs {
			for _, abi := range []string{"", "0.1.0", "0.x.x"} {
				for _, r := range rules.All {
					func() {
						defer func() {
							if e := recover(); e != nil {
								t.Errorf("%s panics on %q for %s (abi %q): %v", r.ID, name, p.Name(), abi, e)
							}
						}()
						analyzer.Run("test.wasm", bin, []*analyzer.Rule{r}, analyzer.Config{Host: p, ABI: abi,
							Options: analyzer.Options{Workers: 8, MemoryBudget: 1}})
					}()
				}
			}
		}
	}
}

// The empty module, on every profile, with all rules: only the findings a
// module without anything has. Hosts that run a module without a marker as
// the newest ABI (APISIX, Envoy 1.16) also check its callbacks.
func TestRulesOnEmptyModule(t *testing.T) {
	for _, p := range abiversions.Profiles() {
		want := map[string]bool{"PW101": true, "PW301": true, "PW307": true}
		if p.AssumeLatestABI {
			want["PW304"] = true
			for _, c := range p.RequiredCallbacks {
				if c != "proxy_on_context_create" {
					want["PW309"] = true
				}
			}
		}
		res := analyzer.Run("empty.wasm", wt.Header, rules.All, analyzer.Config{Host: p})
		got := map[string]bool{}
		for _, d := range res.Diagnostics {
			got[d.Rule] = true
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: rules reporting on the empty module = %v, want %v:\n%s", p.Name(), got, want, pwDump(res.Diagnostics))
		}
	}
}
