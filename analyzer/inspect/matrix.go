package inspect

import (
	"crypto/sha256"
	"encoding/hex"
	"runtime"
	"sync"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
)

// Matrix says, for each host profile, whether the module will load.
type Matrix struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	// Hosts has one row per profile, in the order given.
	Hosts []HostRow `json:"hosts"`
	// Loads and Fails count the rows.
	Loads int `json:"loads"`
	Fails int `json:"fails"`
}

// HostRow is one host profile's verdict.
type HostRow struct {
	Host string `json:"host"`
	// ABI is the ABI version the host would run the module as (null when
	// it finds none).
	ABI *string `json:"abi"`
	// Loads is true when no rule reports an error for this host: the host
	// will load, link and start the module.
	Loads    bool `json:"loads"`
	Errors   int  `json:"errors"`
	Warnings int  `json:"warnings"`
	// FirstError is the error at the lowest offset (null when Loads).
	FirstError *Finding `json:"first_error"`
}

// Finding is one diagnostic, as the matrix and diff report it.
type Finding struct {
	Rule    string `json:"rule"`
	Name    string `json:"name"`
	Message string `json:"message"`
	Subject string `json:"subject"`
	Offset  uint32 `json:"offset"`
}

// BuildMatrix runs the rules on bin once per profile, in parallel, and
// reports each host's verdict. It never fails; an input that does not
// decode fails on every host with PW001 or PW002.
func BuildMatrix(path string, bin []byte, rules []*analyzer.Rule, profiles []*abiversions.Profile) *Matrix {
	sum := sha256.Sum256(bin)
	mx := &Matrix{Path: path, SHA256: hex.EncodeToString(sum[:]), Hosts: make([]HostRow, len(profiles))}
	in := analyzer.Prepare(bin) // decoded and scanned once for every profile
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(profiles)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				mx.Hosts[i] = hostRow(analyzer.RunInput(path, in, rules, analyzer.Config{Host: profiles[i]}))
			}
		}()
	}
	for i := range profiles {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, row := range mx.Hosts {
		if row.Loads {
			mx.Loads++
		} else {
			mx.Fails++
		}
	}
	return mx
}

func hostRow(res *analyzer.Result) HostRow {
	row := HostRow{Host: res.Host, Errors: res.Count(analyzer.Error), Warnings: res.Count(analyzer.Warning)}
	if res.ABI != "" {
		abi := res.ABI
		row.ABI = &abi
	}
	row.Loads = row.Errors == 0
	for _, d := range res.Diagnostics {
		if d.Severity == analyzer.Error {
			row.FirstError = findingOf(d)
			break
		}
	}
	return row
}

func findingOf(d analyzer.Diagnostic) *Finding {
	return &Finding{Rule: d.Rule, Name: d.Name, Message: d.Message, Subject: d.Subject, Offset: d.Span.Offset}
}

// Row returns the row of the named host ("envoy@1.39"), or nil.
func (mx *Matrix) Row(host string) *HostRow {
	for i := range mx.Hosts {
		if mx.Hosts[i].Host == host {
			return &mx.Hosts[i]
		}
	}
	return nil
}
