// Package rules holds wasmlint's checks. Every rule is a plain
// *analyzer.Rule value listed in All, in ID order; families:
//
//	PW0xx module     PW1xx ABI marker   PW2xx host imports  PW3xx exports
//	PW4xx memory     PW5xx WASI         PW6xx engine        PW7xx cost, hygiene
//	PW8xx packaging (OCI images, runtime-config.json, Kong meta.json)
//
// PW8xx rules read Pass.Package and report nothing for a bare file with
// nothing beside it. PW9xx are the smoke run's findings
// (Runtime rules, produced by package analyzer/smoke).
package rules

import (
	"fmt"
	"strings"

	"github.com/wasmlint/wasmlint/analyzer"
)

// All lists every rule, sorted by ID.
var All = []*analyzer.Rule{
	MalformedModule, NotACoreModule, NameSectionMalformed, SegmentOutOfBounds,
	ABIMarkerMissing, ABIMarkerUnknown, ABIMarkersMultiple, ABIVersionUnsupported, ABIMarkerMalformed,
	HostFunctionUnknown, HostFunctionSignature, HostFunctionUnsupported, ImportModuleUnknown, NonFunctionImport,
	AllocatorMissing, CallbackSignature, CallbackUnknown, ContextCreateMissing, NoStreamCallbacks,
	Entrypoint, MemoryNotExported, StartSection, RequiredCallbackMissing, StartupHostCall,
	MemoryInitialOverCap, MemoryMaxOverCap, Memory64, SharedMemory, MultipleMemories, PerWorkerFootprint,
	WASIFunctionNotProvided, WASIFunctionStubbed, WASINetworkIO, WASIFilesystemIO, WASIModuleUnsupported,
	FeatureUnsupported,
	DebugInfo, LargeModule, ToolchainRisk, BodyCopy,
	LayoutNotPullable, RuntimeConfigMismatch, KongMetaInvalid,
	InstantiateFailed, VMStartFailed, ConfigureFailed, StreamCallbackTrap,
	CallbackTimeout, MemoryGrowth, ErrorLog, HostCallFailed,
}

// ByID returns the rule with that ID, or nil.
func ByID(id string) *analyzer.Rule {
	for _, r := range All {
		if strings.EqualFold(r.ID, id) {
			return r
		}
	}
	return nil
}

// hostSays renders the host's own words for a failure, so that a search for
// the log line a user saw lands on wasmlint's explanation. It returns ""
// when the host has no wording for it.
func hostSays(p *analyzer.Pass, format string, args ...any) string {
	if format == "" {
		return ""
	}
	if n := strings.Count(format, "%"); n < len(args) {
		args = args[:n]
	}
	return fmt.Sprintf("; %s: %q", p.Host.Name(), fmt.Sprintf(format, args...))
}

// errorIf returns Error when cond holds, else the fallback severity.
func errorIf(cond bool, otherwise analyzer.Severity) analyzer.Severity {
	if cond {
		return analyzer.Error
	}
	return otherwise
}
