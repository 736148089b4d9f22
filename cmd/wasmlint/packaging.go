package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/oci"
)

// maxMetaBytes bounds a Kong meta.json read beside a filter.
const maxMetaBytes = 1 << 20

// besideFile is the packaging of a bare file: Kong's NAME.meta.json beside
// NAME.wasm, when there is one (nil otherwise).
func besideFile(path string) (*analyzer.Package, error) {
	if path == "-" || !strings.EqualFold(filepath.Ext(path), ".wasm") {
		return nil, nil
	}
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)) + ".meta.json"
	f, err := os.Open(filepath.Join(filepath.Dir(path), name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, cleanErr(err))
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxMetaBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, cleanErr(err))
	}
	if len(b) > maxMetaBytes {
		return nil, fmt.Errorf("%s is larger than %d bytes", name, maxMetaBytes)
	}
	return &analyzer.Package{Meta: b, MetaName: name}, nil
}

// expand turns arguments into inputs, in a stable order: files as given
// (a tar archive is read as an image), "-" for stdin, a directory holding
// oci-layout as one image, other directories walked in lexical order for
// *.wasm files and image layout directories, and a glob that names no
// file as is (filepath.Match syntax) expanded to its sorted matches. A
// directory that cannot be walked or a glob that matches nothing is
// reported to fail.
func (c *command) expand(args []string, fail func(string, error)) []string {
	var out []string
	for _, a := range args {
		st, err := os.Stat(a)
		switch {
		case a == "-":
			out = append(out, a)
		case err != nil && strings.ContainsAny(a, "*?["):
			matches, gerr := filepath.Glob(a)
			if gerr != nil || len(matches) == 0 {
				fail(a, errors.New("no file matches this pattern"))
				continue
			}
			sort.Strings(matches)
			out = append(out, c.expand(matches, fail)...)
		case err != nil || !st.IsDir() || oci.Sniff(a) == oci.LayoutDir:
			out = append(out, a)
		default:
			out = append(out, walk(a, fail)...)
		}
	}
	return out
}

// walk finds the *.wasm files and the image layout directories under dir.
func walk(dir string, fail func(string, error)) []string {
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != dir && oci.Sniff(path) == oci.LayoutDir {
				found = append(found, path)
				return filepath.SkipDir
			}
			return nil
		}
		if strings.EqualFold(filepath.Ext(path), ".wasm") {
			found = append(found, path)
		}
		return nil
	})
	if err != nil {
		fail(dir, cleanErr(err))
	} else if len(found) == 0 {
		// A gate that lints nothing must not pass silently (a mistyped
		// path, a build that wrote its output elsewhere).
		fail(dir, errors.New("no .wasm file or image layout directory in it"))
	}
	sort.Strings(found)
	return found
}
