package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/owenrumney/go-sarif/v2/sarif"

	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/toolchain"
)

// SARIF constants that users' code-scanning set-ups depend on.
const (
	// RepoURL is wasmlint's home: the driver's informationUri and the base
	// of every rule's helpUri.
	RepoURL = "https://github.com/wasmlint/wasmlint"
	// FingerprintKey names wasmlint's entry in result.partialFingerprints.
	// Its value is a function of rule, path and subject only (see
	// Fingerprint); v1 changes only if that function does.
	FingerprintKey = "wasmlint/v1"
	// SRCROOT is the uriBaseId of every artifact location under the root.
	SRCROOT = "%SRCROOT%"
	// DefaultCategory is the first part of automationDetails.id.
	DefaultCategory = "wasmlint"
	// sarifSchema is the final OASIS schema of SARIF 2.1.0.
	sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	// maxDescription is GitHub's limit on shortDescription and
	// fullDescription texts.
	maxDescription = 1024
)

// Security severities (GitHub's "security-severity", 0.1–10) of the rules
// tagged "availability": their findings predict a filter that will not
// load or will crash the proxy's VM, i.e. an outage of the routes it
// serves. GitHub ranks 7.0–8.9 "high", 4.0–6.9 "medium", 0.1–3.9 "low".
const (
	securityError   = "7.0" // availability rule whose worst finding is an error
	securityWarning = "4.0" // ... a warning (it loads, then fails at run time)
	securityNote    = "2.0" // ... a note
)

// HelpURI is the page of the rule with that ID in the repository's docs.
func HelpURI(id string) string { return RepoURL + "/blob/main/docs/rules/" + id + ".md" }

// SARIFOptions are what the SARIF writer needs besides the results.
type SARIFOptions struct {
	// Rules are the enabled rules; each gets a tool.driver.rules entry,
	// whether or not it fired, in this order (result.ruleIndex).
	Rules []*analyzer.Rule
	// Help renders a rule's documentation as Markdown: the text of
	// `wasmlint explain`. It feeds help.markdown and help.text.
	Help func(*analyzer.Rule) string
	// Host is the host profile the run checked against ("envoy@1.39").
	Host string
	// Category is the first part of automationDetails.id,
	// "<Category>/<Host>/" ("" = DefaultCategory), so that the runs of
	// several host profiles upload side by side for one commit.
	Category string
	// Root is the directory artifact URIs are relative to (%SRCROOT%, the
	// repository root), WorkDir the directory relative input paths are
	// relative to. Both are absolute, or both empty (input paths are then
	// taken as relative to the root already).
	Root, WorkDir string
	// Failures are the inputs that could not be read; they make the
	// invocation unsuccessful and become notifications.
	Failures []InputError
}

// InputError is an input that could not be read, with the reason.
type InputError struct {
	Path    string
	Message string
}

// SARIF writes the results as one SARIF 2.1.0 log with one run, shaped
// for GitHub code scanning:
//
//   - tool.driver.rules lists every enabled rule with its documentation,
//     helpUri, default level, tags and, for availability rules, a
//     security-severity;
//   - each result has one physical location: the .wasm file relative to
//     the root (uriBaseId %SRCROOT%) and a region with startLine 1, which
//     GitHub needs to show it, and the byteOffset and byteLength of the
//     import, export or section; logicalLocations name it;
//   - partialFingerprints[FingerprintKey] hashes rule, path and subject,
//     never the module's bytes, so an alert survives a rebuild;
//   - the run carries automationDetails.id "<category>/<host>/", an
//     invocation (executionSuccessful, a notification per unreadable
//     input) and properties: the host and each module's sha256, size, ABI
//     version and toolchain.
//
// The output depends only on its arguments: no time, GUID or absolute
// path (except of inputs outside the root), so it is stable across runs.
func SARIF(w io.Writer, tool Tool, results []*analyzer.Result, opt SARIFOptions) error {
	if opt.Help == nil {
		return errors.New("report: SARIF needs SARIFOptions.Help")
	}
	run := sarif.NewRun(*sarif.NewSimpleTool(tool.Name))
	d := run.Tool.Driver
	d.WithVersion(tool.Version).WithSemanticVersion(tool.Version).WithInformationURI(RepoURL)
	index := make(map[string]int, len(opt.Rules))
	for i, r := range opt.Rules {
		d.Rules = append(d.Rules, ruleDescriptor(r, opt.Help(r)))
		index[r.ID] = i
	}
	category := opt.Category
	if category == "" {
		category = DefaultCategory
	}
	run.WithAutomationDetails(sarif.NewRunAutomationDetails().WithID(category + "/" + opt.Host + "/"))

	inv := sarif.NewInvocation().WithExecutionSuccess(len(opt.Failures) == 0)
	modules := make([]any, 0, len(results))
	for _, r := range results {
		uri, base := opt.uri(ArtifactPath(r))
		if base == "" && r.Path != "-" {
			inv.AddToolConfigurationNotification(sarif.NewNotification().WithLevel("warning").
				WithTextMessage(fmt.Sprintf("%s is outside the SARIF root %s, so code scanning cannot show its findings (set --sarif-root).", r.Path, opt.Root)).
				WithLocations([]*sarif.Location{artifactOnly(uri, base)}))
		}
		modules = append(modules, moduleProperties(r, uri))
		fps := Fingerprints(r.Diagnostics, uri)
		for j, diag := range r.Diagnostics {
			i, ok := index[diag.Rule]
			if !ok {
				return fmt.Errorf("report: finding of rule %s, which is not among the enabled rules", diag.Rule)
			}
			run.Results = append(run.Results, result(diag, i, uri, base, fileName(r.Path), fps[j]))
		}
	}
	for _, f := range opt.Failures {
		uri, base := opt.uri(f.Path)
		inv.AddTToolExecutionNotification(sarif.NewNotification().WithLevel("error").
			WithTextMessage(sentence(f.Path + ": " + f.Message)).
			WithLocations([]*sarif.Location{artifactOnly(uri, base)}))
	}
	run.AddInvocations(inv)
	run.Properties = sarif.Properties{"host": opt.Host, "modules": modules}

	log, err := sarif.New(sarif.Version210, false)
	if err != nil {
		return err
	}
	log.Schema = sarifSchema
	log.AddRun(run)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(log)
}

// ruleDescriptor is a rule's tool.driver.rules entry.
func ruleDescriptor(r *analyzer.Rule, help string) *sarif.ReportingDescriptor {
	props := sarif.Properties{}
	tags := append([]string{}, r.Tags...)
	if sev := securitySeverity(r); sev != "" {
		props["security-severity"] = sev
		tags = append(tags, "security") // GitHub files security-severity under the security tag
	}
	if len(tags) > 0 {
		props["tags"] = tags
	}
	return sarif.NewRule(r.ID).WithName(r.Name).
		WithShortDescription(sarif.NewMultiformatMessageString(clamp(sentence(r.Title)))).
		WithFullDescription(sarif.NewMultiformatMessageString(clamp(plainText(r.What))).WithMarkdown(r.What)).
		WithHelp(sarif.NewMultiformatMessageString(plainText(help)).WithMarkdown(help)).
		WithHelpURI(HelpURI(r.ID)).
		WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level(r.Severity))).
		WithProperties(props)
}

// securitySeverity is the security-severity of an availability rule, by
// its highest severity, and "" for any other rule.
func securitySeverity(r *analyzer.Rule) string {
	for _, t := range r.Tags {
		if t != "availability" {
			continue
		}
		switch r.Severity {
		case analyzer.Error:
			return securityError
		case analyzer.Warning:
			return securityWarning
		case analyzer.Note:
			return securityNote
		}
	}
	return ""
}

// result is one finding as a SARIF result.
func result(d analyzer.Diagnostic, ruleIndex int, uri, base, file, fp string) *sarif.Result {
	region := sarif.NewRegion().WithStartLine(1).
		WithByteOffset(int(d.Span.Offset)).WithByteLength(int(d.Span.Length))
	loc := artifactOnly(uri, base)
	loc.PhysicalLocation.WithRegion(region)
	if ll := logicalLocation(d.Subject, file); ll != nil {
		loc.WithLogicalLocations([]*sarif.LogicalLocation{ll})
	}
	return sarif.NewRuleResult(d.Rule).WithRuleIndex(ruleIndex).WithLevel(level(d.Severity)).
		WithMessage(sarif.NewTextMessage(sentence(d.Message))).
		WithLocations([]*sarif.Location{loc}).
		WithPartialFingerPrints(map[string]any{FingerprintKey: fp})
}

// artifactOnly is a location naming a file and nothing in it.
func artifactOnly(uri, base string) *sarif.Location {
	al := sarif.NewSimpleArtifactLocation(uri)
	if base != "" {
		al.WithUriBaseId(base)
	}
	return sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().WithArtifactLocation(al))
}

// logicalLocation names the subject of a finding: "import env.proxy_log"
// becomes {kind: import, name: env.proxy_log}; "module" is named by the
// file's name.
func logicalLocation(subject, file string) *sarif.LogicalLocation {
	if subject == "" {
		return nil
	}
	kind, name, ok := strings.Cut(subject, " ")
	if !ok {
		name = file
	}
	return sarif.NewLogicalLocation().WithKind(kind).WithName(name)
}

// fileName is the base name of an input path ("stdin" for "-").
func fileName(p string) string {
	if p == "-" {
		return "stdin"
	}
	return filepath.Base(p)
}

// moduleProperties are one input's facts for the run's property bag: its
// URI, digest, size and ABI version (null if none), the layer digest of a
// module from an image, and what built it as
// far as toolchain.Detect can tell (unknown fields are left out).
func moduleProperties(r *analyzer.Result, uri string) map[string]any {
	m := map[string]any{"uri": uri, "sha256": r.SHA256, "size": r.Size, "abi": nil}
	if r.ABI != "" {
		m["abi"] = r.ABI
	}
	if r.Package.InImage() {
		m["layer"] = r.Package.LayerDigest
	}
	if r.Module != nil {
		tc := toolchain.Detect(r.Module)
		for k, v := range map[string]string{"toolchain": tc.Toolchain, "toolchainVersion": tc.ToolchainVersion, "sdk": tc.SDK, "sdkVersion": tc.SDKVersion} {
			if v != "" {
				m[k] = v
			}
		}
	}
	return m
}

// uri is the artifact URI of an input path and its uriBaseId: relative to
// the root with %SRCROOT%, "stdin" for "-", and an absolute file URI
// without base for a path outside the root.
func (o *SARIFOptions) uri(p string) (uri, base string) {
	if p == "-" {
		return "stdin", ""
	}
	if o.Root == "" {
		return relURI(filepath.ToSlash(filepath.Clean(p))), SRCROOT
	}
	abs := p
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(o.WorkDir, abs)
	}
	rel, err := filepath.Rel(o.Root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		slash := filepath.ToSlash(abs)
		if !strings.HasPrefix(slash, "/") {
			slash = "/" + slash // C:/x → /C:/x
		}
		return (&url.URL{Scheme: "file", Path: slash}).String(), ""
	}
	return relURI(filepath.ToSlash(rel)), SRCROOT
}

// relURI escapes a slash-separated relative path as a URI reference.
func relURI(p string) string { return (&url.URL{Path: p}).String() }

// level maps a severity to a SARIF level.
func level(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "error"
	case analyzer.Warning:
		return "warning"
	case analyzer.Note:
		return "note"
	}
	return "none"
}

// sentence makes a message or title a sentence that stands alone, as
// GitHub shows the first sentence of a result as the alert's title: it
// capitalises a leading plain lowercase word (never an identifier such as
// proxy_on_tick or _initialize) and ends the text with a period.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	word, _, _ := strings.Cut(s, " ")
	if word != "" && strings.Trim(word, "abcdefghijklmnopqrstuvwxyz") == "" {
		s = strings.ToUpper(s[:1]) + s[1:]
	}
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

var (
	mdHeading  = regexp.MustCompile(`(?m)^#{1,6} +`)
	mdEmphasis = regexp.MustCompile(`\*([^*\s][^*]*)\*`)
)

// plainText renders the Markdown of rule docs as plain text: no heading
// marks, code spans or emphasis.
func plainText(md string) string {
	s := mdHeading.ReplaceAllString(md, "")
	s = mdEmphasis.ReplaceAllString(s, "$1")
	return strings.ReplaceAll(s, "`", "")
}

// clamp shortens a description to GitHub's limit, at a rune boundary.
func clamp(s string) string {
	if len(s) <= maxDescription {
		return s
	}
	cut := maxDescription - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
