package oci

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// maxEntries bounds the entries of an archive or a layer: a tar of
// millions of empty files costs time and memory without costing bytes.
const maxEntries = 100_000

// archive reads an oci-archive or docker-archive tarball, gzip-compressed
// or not: a gzip stream is first decompressed (within the budget) to a
// temporary file; the tar's entry names are checked; a tar holding
// manifest.json is read as docker save writes it (what docker load and
// docker push make of it), else one holding oci-layout as an OCI layout,
// unpacked to a temporary directory.
func (r *reader) archive(file string) ([]Module, error) {
	tmp, err := os.MkdirTemp("", "wasmlint-oci-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	tarPath, err := r.gunzip(file, tmp)
	if err != nil {
		return nil, err
	}
	names, err := scanTar(tarPath)
	if err != nil {
		return nil, err
	}
	switch {
	case names["manifest.json"]:
		return r.dockerArchive(tarPath)
	case names["oci-layout"] && names["index.json"]:
		dir := filepath.Join(tmp, "layout")
		if err := extractTar(tarPath, dir); err != nil {
			return nil, err
		}
		return r.layoutDir(dir)
	}
	return nil, errors.New("not an image archive: the tar holds neither manifest.json (docker-archive) nor oci-layout and index.json (oci-archive)")
}

// gunzip returns the path of the plain tar: file itself, or, for a gzip
// stream, its decompression into dir, charged to the budget.
func (r *reader) gunzip(file, dir string) (string, error) {
	f, err := os.Open(file)
	if err != nil {
		return "", err
	}
	defer f.Close()
	head := make([]byte, 2)
	if n, _ := io.ReadFull(f, head); !isGzip(head[:n]) {
		return file, nil
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", fmt.Errorf("corrupt gzip stream: %w", err)
	}
	out := filepath.Join(dir, "archive.tar")
	w, err := os.Create(out)
	if err != nil {
		return "", err
	}
	_, err = io.Copy(w, r.budget.reader(zr))
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		var le *LimitError
		if errors.As(err, &le) {
			return "", err
		}
		return "", fmt.Errorf("truncated or corrupt gzip stream: %w", err)
	}
	return out, nil
}

// scanTar reads every header of the tar, checking entry names and link
// targets, and returns the set of cleaned names. A tar cut short is an
// error (the reader reads the last byte of each skipped entry).
func scanTar(file string) (map[string]bool, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names := map[string]bool{}
	tr := tar.NewReader(f)
	for n := 0; ; n++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			if n == 0 {
				return nil, errors.New("empty or truncated archive: no entry")
			}
			return names, endMarker(f)
		}
		if err != nil {
			return nil, tarErr("archive", err)
		}
		if n >= maxEntries {
			return nil, fmt.Errorf("archive has more than %d entries", maxEntries)
		}
		name, err := entryName(h)
		if err != nil {
			return nil, err
		}
		names[name] = true
	}
}

// endMarker checks that a tar ends with the end-of-archive marker, two
// zero blocks: a tar cut at an entry boundary reads as complete otherwise.
func endMarker(f *os.File) error {
	st, err := f.Stat()
	if err != nil {
		return err
	}
	tail := make([]byte, 1024)
	if st.Size() < int64(len(tail)) {
		return errors.New("archive is truncated: no end-of-archive marker")
	}
	if _, err := f.ReadAt(tail, st.Size()-int64(len(tail))); err != nil {
		return err
	}
	for _, c := range tail {
		if c != 0 {
			return errors.New("archive is truncated: no end-of-archive marker")
		}
	}
	return nil
}

// entryName checks a tar entry: its name and, for links, its target must
// stay inside the archive. It returns the cleaned name.
func entryName(h *tar.Header) (string, error) {
	name, ok := inside(h.Name, ".")
	if !ok {
		return "", fmt.Errorf("archive entry %q escapes the archive (path traversal)", h.Name)
	}
	if h.Typeflag == tar.TypeSymlink || h.Typeflag == tar.TypeLink {
		base := path.Dir(name)
		if h.Typeflag == tar.TypeLink {
			base = "."
		}
		if _, ok := inside(h.Linkname, base); !ok {
			return "", fmt.Errorf("archive entry %q links to %q, outside the archive (path traversal)", h.Name, h.Linkname)
		}
	}
	return name, nil
}

// inside cleans name, taken relative to the directory base of the archive,
// and reports whether it stays inside the archive.
func inside(name, base string) (string, bool) {
	if name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, "\\") || filepath.VolumeName(name) != "" {
		return "", false
	}
	c := path.Clean(path.Join(base, name))
	if c == ".." || strings.HasPrefix(c, "../") {
		return "", false
	}
	return c, true
}

// extractTar unpacks the regular files of a checked tar under dir. Links
// and special files are skipped: an OCI layout needs none.
func extractTar(file, dir string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	tr := tar.NewReader(f)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return tarErr("archive", err)
		}
		name, err := entryName(h)
		if err != nil {
			return err
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		dst := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
			return err
		}
		w, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("archive entry %q: %w", h.Name, err)
		}
		_, err = io.Copy(w, tr)
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return tarErr(fmt.Sprintf("archive entry %q", h.Name), err)
		}
	}
}

// tarErr words a tar read error: a stream cut short is "truncated".
func tarErr(what string, err error) error {
	var le *LimitError
	switch {
	case errors.As(err, &le):
		return err
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%s is truncated: %w", what, err)
	}
	return fmt.Errorf("%s is corrupt: %w", what, err)
}

// dockerArchive reads a docker save tarball: every image its manifest.json
// lists, by position.
func (r *reader) dockerArchive(tarPath string) ([]Module, error) {
	opener := func() (io.ReadCloser, error) { return os.Open(tarPath) }
	m, err := tarball.LoadManifest(opener)
	if err != nil {
		return nil, fmt.Errorf("manifest.json: %w", err)
	}
	var out []Module
	seen := map[string]bool{}
	for i, d := range m {
		var tag *name.Tag
		if len(m) > 1 {
			if len(d.RepoTags) == 0 {
				return nil, fmt.Errorf("docker-archive holds %d images and image %d has no tag to select it by", len(m), i+1)
			}
			t, err := name.NewTag(d.RepoTags[0])
			if err != nil {
				return nil, fmt.Errorf("docker-archive image %d: %w", i+1, err)
			}
			tag = &t
		}
		img, err := tarball.Image(opener, tag)
		if err != nil {
			return nil, fmt.Errorf("docker-archive image %d: %w", i+1, err)
		}
		src, err := dockerSource(img)
		if err != nil {
			return nil, fmt.Errorf("docker-archive image %d: %w", i+1, err)
		}
		mods, err := r.image(src)
		if err != nil {
			return nil, err
		}
		out = appendNew(out, seen, mods)
	}
	return out, nil
}
