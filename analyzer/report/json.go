package report

import (
	"encoding/json"
	"io"

	"github.com/wasmlint/wasmlint/analyzer"
)

// JSONVersion is the version of the JSON format; it changes only when a
// field changes meaning or goes away.
const JSONVersion = 1

// Tool names the program in machine-readable output.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonDoc struct {
	Version int        `json:"version"`
	Tool    Tool       `json:"tool"`
	Files   []jsonFile `json:"files"`
}

type jsonFile struct {
	Path        string     `json:"path"`
	SHA256      string     `json:"sha256"`
	Size        int        `json:"size"`
	ABI         *string    `json:"abi"`
	Host        string     `json:"host"`
	Diagnostics []jsonDiag `json:"diagnostics"`
	// Smoke is the smoke run's report, present only with --smoke.
	Smoke analyzer.SmokeReport `json:"smoke,omitempty"`
}

type jsonDiag struct {
	Rule     string `json:"rule"`
	Name     string `json:"name"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Offset   uint32 `json:"offset"`
	Length   uint32 `json:"length"`
	Subject  string `json:"subject"`
}

// JSON writes the results as one JSON document:
//
//	{"version":1,"tool":{"name","version"},"files":[{"path","sha256","size","abi","host",
//	  "diagnostics":[{"rule","name","severity","message","offset","length","subject"}]}]}
//
// abi is null when no ABI version was detected.
func JSON(w io.Writer, tool Tool, results []*analyzer.Result) error {
	doc := jsonDoc{Version: JSONVersion, Tool: tool, Files: make([]jsonFile, 0, len(results))}
	for _, r := range results {
		f := jsonFile{Path: r.Path, SHA256: r.SHA256, Size: r.Size, Host: r.Host, Diagnostics: make([]jsonDiag, 0, len(r.Diagnostics)), Smoke: r.Smoke}
		if r.ABI != "" {
			abi := r.ABI
			f.ABI = &abi
		}
		for _, d := range r.Diagnostics {
			f.Diagnostics = append(f.Diagnostics, jsonDiag{Rule: d.Rule, Name: d.Name, Severity: d.Severity.String(),
				Message: d.Message, Offset: d.Span.Offset, Length: d.Span.Length, Subject: d.Subject})
		}
		doc.Files = append(doc.Files, f)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
