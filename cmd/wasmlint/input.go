package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"sync"

	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/oci"
	"github.com/wasmlint/wasmlint/analyzer/smoke"
)

// lintJob is what every input of one run is linted with.
type lintJob struct {
	rules []*analyzer.Rule
	// cfgs holds the analyzer configuration of each host, in --host or
	// hosts: order; every module is linted once per host.
	cfgs   []analyzer.Config
	max    uint64 // --max-file-size
	digest bool   // compute the SHA-256 (JSON and SARIF report it)
	// severity overrides findings' severities by rule ID (configuration).
	severity map[string]analyzer.Severity
	// smoke, when set, runs each module in the emulated host of each
	// profile too (one options value per host); keep selects the PW9xx
	// findings.
	smoke []smoke.Options
	keep  func(id string) bool
}

// lintOut is the outcome for one module and host: a result, or why the
// input could not be read (then host is 0).
type lintOut struct {
	path string
	host int
	res  *analyzer.Result
	err  error
}

// lintAll lints the inputs with up to jobs at once and returns the
// outcomes grouped by host (in host order), then in input order, then in
// the order of the modules an image holds. Each worker holds one input's
// bytes at a time, so memory is bounded by jobs × the largest input, not
// by the total.
func (c *command) lintAll(paths []string, job lintJob, jobs int) []lintOut {
	per := make([][]lintOut, len(paths))
	if jobs > len(paths) {
		jobs = len(paths)
	}
	prog := c.startProgress(len(paths))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				per[i] = c.lintInput(paths[i], job)
				prog.done()
			}
		}()
	}
	for i := range paths {
		next <- i
	}
	close(next)
	wg.Wait()
	prog.stop()
	var out []lintOut
	for h := range max(1, len(job.cfgs)) {
		for _, outs := range per {
			for _, o := range outs {
				if o.host == h {
					out = append(out, o)
				}
			}
		}
	}
	return out
}

// lintInput lints one input: a file, or every Wasm module of an OCI image
// (a layout directory or an archive), once per host.
func (c *command) lintInput(path string, job lintJob) []lintOut {
	if path != "-" {
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			return c.lintImage(path, job) // expand passes only layout directories
		}
	}
	return c.lintFile(path, job)
}

// lintImage lints every Wasm module of an image (a layout directory or an
// archive).
func (c *command) lintImage(path string, job lintJob) []lintOut {
	mods, err := oci.Open(path, oci.Limits{MaxModule: int64(job.max), MaxUnpacked: int64(job.max)})
	if err != nil {
		return []lintOut{{path: path, err: err}}
	}
	var out []lintOut
	for _, m := range mods {
		out = append(out, c.lintModule(m.Path, m.Bin, m.Package, job)...)
	}
	return out
}

// lintFile reads and lints one file. A mapped file is unmapped when it
// returns: the result holds no reference to the input's bytes (the decoder
// copies every name it keeps). A file that shrinks while it is mapped
// faults on access; SetPanicOnFault turns that fault into an error.
func (c *command) lintFile(path string, job lintJob) (outs []lintOut) {
	bin, release, err := c.readMapped(path, job.max)
	if err != nil {
		return []lintOut{{path: path, err: err}}
	}
	if path != "-" && oci.IsArchive(bin[:min(len(bin), 512)]) {
		release()
		return c.lintImage(path, job)
	}
	defer release()
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			outs = []lintOut{{path: path, err: fmt.Errorf("the file changed while it was read (%v)", r)}}
		}
	}()
	pkg, err := besideFile(path)
	if err != nil {
		return []lintOut{{path: path, err: err}}
	}
	return c.lintModule(path, bin, pkg, job)
}

// lintModule lints one module once per host.
func (c *command) lintModule(path string, bin []byte, pkg *analyzer.Package, job lintJob) []lintOut {
	var outs []lintOut
	var sum string
	if job.digest {
		h := sha256.Sum256(bin)
		sum = hex.EncodeToString(h[:])
	}
	for h, cfg := range job.cfgs {
		cfg.Package = pkg
		res := analyzer.Run(path, bin, job.rules, cfg)
		if job.smoke != nil {
			// The smoke run gets its own copy: wazero keeps the bytes it
			// compiles, and a mapped file is unmapped when the caller returns.
			rep, err := runSmoke(context.Background(), bytes.Clone(bin), res, job.smoke[h], job.keep)
			if err != nil {
				outs = append(outs, lintOut{path: path, host: h, err: fmt.Errorf("smoke run: %w", err)})
				continue
			}
			res.Smoke = rep
		}
		for i, d := range res.Diagnostics {
			if sev, ok := job.severity[d.Rule]; ok {
				res.Diagnostics[i].Severity = sev
			}
		}
		res.SHA256 = sum
		outs = append(outs, lintOut{path: path, host: h, res: res})
	}
	return outs
}

// read returns one input's bytes, refusing more than max bytes: a regular
// file in one read of its size, stdin and pipes read to the end.
func (c *command) read(path string, max uint64) ([]byte, error) {
	return c.readBytes(path, max, nil)
}

// readMapped is read, but a regular file is memory-mapped where the system
// allows it; release frees the bytes.
func (c *command) readMapped(path string, max uint64) (b []byte, release func(), err error) {
	b, err = c.readBytes(path, max, func(f *os.File, size int64) ([]byte, error) {
		m, unmap, err := mapFile(f, size)
		if err != nil {
			return nil, err
		}
		release = unmap
		return m, nil
	})
	if release == nil {
		release = func() {}
	}
	return b, release, err
}

// readBytes reads one input; mapped, when not nil, is tried first for a
// regular non-empty file.
func (c *command) readBytes(path string, max uint64, mapped func(*os.File, int64) ([]byte, error)) ([]byte, error) {
	if path == "-" {
		b, err := io.ReadAll(io.LimitReader(c.stdin, int64(max)+1))
		if err != nil {
			return nil, cleanErr(err)
		}
		if uint64(len(b)) > max {
			return nil, fmt.Errorf("input is larger than --max-file-size (%d bytes)", max)
		}
		return b, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, cleanErr(err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, cleanErr(err)
	}
	switch {
	case st.IsDir():
		return nil, errors.New("is a directory")
	case !st.Mode().IsRegular():
		// A pipe or device: its size is unknown until read.
		b, err := io.ReadAll(io.LimitReader(f, int64(max)+1))
		if err == nil && uint64(len(b)) > max {
			err = fmt.Errorf("input is larger than --max-file-size (%d bytes)", max)
		}
		return b, cleanErr(err)
	case uint64(st.Size()) > max:
		return nil, fmt.Errorf("file is %d bytes, larger than --max-file-size (%d bytes)", st.Size(), max)
	}
	if mapped != nil && st.Size() > 0 {
		if b, err := mapped(f, st.Size()); err == nil {
			return b, nil
		}
	}
	b := make([]byte, st.Size())
	if _, err := io.ReadFull(f, b); err != nil {
		return nil, fmt.Errorf("read: %w (the file changed while it was read?)", cleanErr(err))
	}
	return b, nil
}

// cleanErr drops the path that os errors repeat.
func cleanErr(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
