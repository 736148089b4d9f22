// Package oci finds the Wasm modules in OCI images, for linting: in an OCI
// image layout directory, or in an oci-archive or docker-archive tarball
// (as oras, buildah, skopeo and docker save write them, optionally
// gzip-compressed), in the four layouts in use:
//
//   - Solo.io's "oci" variant: a layer
//     application/vnd.module.wasm.content.layer.v1+wasm, beside a config
//     layer application/vnd.module.wasm.config.v1+json (runtime-config);
//   - Solo.io's "compat" variant: a tar+gzip layer holding plugin.wasm and,
//     optionally, runtime-config.json (docker build, buildah);
//   - wasm-to-oci: a layer application/vnd.wasm.content.layer.v1+wasm;
//   - the CNCF Wasm OCI Artifact: a layer application/wasm.
//
// The image formats are read with go-containerregistry; this package only
// adds the limits a linter of untrusted input needs: no archive entry may
// escape the archive, every byte decompressed or unpacked counts against a
// budget (so a gzip bomb stops early, with bounded memory), and a truncated
// or corrupt archive or layer is a clear error.
//
// Each module found is returned with its display path,
// IMAGE@sha256:<layer digest> (the digest of the layer as the input stores
// it: the descriptor's digest in an OCI layout, the layer tar's in a
// docker-archive), and an analyzer.Package with the facts the packaging
// rules (PW8xx) check.
package oci

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/wasmlint/wasmlint/analyzer"
)

// Limits bound what reading one input may cost.
type Limits struct {
	// MaxModule is the largest module, runtime-config or meta.json read
	// (--max-file-size).
	MaxModule int64
	// MaxUnpacked caps the bytes decompressed or unpacked from one input,
	// all archives and layers together.
	MaxUnpacked int64
}

// Module is one Wasm module found in an image.
type Module struct {
	// Path is IMAGE@sha256:<layer digest>.
	Path string
	Bin  []byte
	// Package holds the packaging facts: layout, media types, layer,
	// runtime-config.json, meta.json.
	Package *analyzer.Package
}

// Kind is what an input is.
type Kind int

// Input kinds, as Sniff tells them apart.
const (
	// NotImage is a file to lint as a module (Wasm or not).
	NotImage Kind = iota
	// LayoutDir is an OCI image layout directory (it holds oci-layout).
	LayoutDir
	// Archive is a tar archive, plain or gzip-compressed.
	Archive
)

// Sniff tells whether path is an image this package reads: a directory
// holding an oci-layout file, or a file that is a tar or gzip stream. A
// Wasm module, anything else and a path that cannot be read are NotImage
// (the reader of modules reports the latter).
func Sniff(path string) Kind {
	st, err := os.Stat(path)
	if err != nil {
		return NotImage
	}
	if st.IsDir() {
		if _, err := os.Stat(filepath.Join(path, "oci-layout")); err == nil {
			return LayoutDir
		}
		return NotImage
	}
	if !st.Mode().IsRegular() {
		return NotImage
	}
	f, err := os.Open(path)
	if err != nil {
		return NotImage
	}
	defer f.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(f, head)
	if isGzip(head[:n]) || isTar(head[:n]) {
		return Archive
	}
	return NotImage
}

// IsArchive reports whether a file starting with head (its first 512
// bytes, or all of a shorter file) is a gzip or tar archive, which wasmlint
// reads as an image archive.
func IsArchive(head []byte) bool { return isGzip(head) || isTar(head) }

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }

// isTar reports a POSIX (ustar) or GNU tar header.
func isTar(b []byte) bool { return len(b) >= 262 && bytes.Equal(b[257:262], []byte("ustar")) }

// Open reads every Wasm module of the image at path (an OCI layout
// directory or an archive). It fails when the input is not an image, holds
// no Wasm module, breaks a limit, or is truncated or corrupt; the error
// names the cause (the caller prefixes the path).
func Open(path string, lim Limits) ([]Module, error) {
	b := &budget{left: lim.MaxUnpacked, max: lim.MaxUnpacked}
	r := &reader{name: path, lim: lim, budget: b}
	switch Sniff(path) {
	case LayoutDir:
		return r.layoutDir(path)
	case Archive:
		return r.archive(path)
	}
	return nil, errors.New("not an OCI image layout or image archive")
}

// reader reads one input.
type reader struct {
	name   string // the input as named, the prefix of display paths
	lim    Limits
	budget *budget
}

// LimitError is a limit that an input broke.
type LimitError struct {
	What  string // "unpacked data", "plugin.wasm"
	Limit int64
}

func (e *LimitError) Error() string {
	return fmt.Sprintf("%s is larger than the limit of %d bytes (a decompression bomb, or raise --max-file-size)", e.What, e.Limit)
}

// budget counts the bytes unpacked from one input.
type budget struct {
	left, max int64
	// used is what was taken, for tests of the bound.
	used int64
}

// reader wraps r so that every byte read is taken from the budget; past
// it, reads fail with a LimitError.
func (b *budget) reader(r io.Reader) io.Reader { return &budgetReader{r: r, b: b} }

type budgetReader struct {
	r io.Reader
	b *budget
}

func (br *budgetReader) Read(p []byte) (int, error) {
	if br.b.left <= 0 {
		return 0, &LimitError{What: "unpacked data", Limit: br.b.max}
	}
	if int64(len(p)) > br.b.left {
		p = p[:br.b.left]
	}
	n, err := br.r.Read(p)
	br.b.left -= int64(n)
	br.b.used += int64(n)
	return n, err
}

// readAtMost reads r to its end, failing past max bytes.
func readAtMost(r io.Reader, max int64, what string) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(bufio.NewReader(r), max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, &LimitError{What: what, Limit: max}
	}
	return b, nil
}
