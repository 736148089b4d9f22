package oci

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/wasmlint/wasmlint/internal/ocitest"
)

// Hostile inputs: each must end in a clear error naming the cause, after
// unpacking no more than the budget.

const bombSize = 10 << 30 // what the bombs below claim to unpack to: 10 GiB

// zeroMember is one gzip member of bombChunk zero bytes, compressed once.
var zeroMember = sync.OnceValue(func() []byte { return gzipMember(make([]byte, bombChunk)) })

const bombChunk = 16 << 20

// gzipBomb writes a gzip stream that decompresses to head, then n zero
// bytes, then tail, while staying small (10 GiB of zeros take 10 MiB): the
// zeros are zeroMember repeated, as a gzip stream may be a series of
// members, all of which gzip.Reader reads.
func gzipBomb(t testing.TB, w io.Writer, head []byte, n int64, tail []byte) {
	t.Helper()
	parts := [][]byte{gzipMember(head)}
	for ; n >= bombChunk; n -= bombChunk {
		parts = append(parts, zeroMember())
	}
	parts = append(parts, gzipMember(append(make([]byte, n), tail...)))
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			t.Fatal(err)
		}
	}
}

func gzipMember(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b) // a bytes.Buffer does not fail
	_ = zw.Close()
	return buf.Bytes()
}

// tarHeader is the 512-byte header block of a regular file.
func tarHeader(t testing.TB, name string, size int64) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: size, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes() // no Close: the file's bytes follow
}

// openCounted is Open that also returns the bytes the budget let through.
func openCounted(path string, lim Limits) ([]Module, int64, error) {
	b := &budget{left: lim.MaxUnpacked, max: lim.MaxUnpacked}
	r := &reader{name: path, lim: lim, budget: b}
	var mods []Module
	var err error
	switch Sniff(path) {
	case LayoutDir:
		mods, err = r.layoutDir(path)
	case Archive:
		mods, err = r.archive(path)
	default:
		err = errors.New("not an image")
	}
	return mods, b.used, err
}

func TestHostile(t *testing.T) {
	dir := t.TempDir()
	bin := testModule(t)
	lim := Limits{MaxModule: 4 << 20, MaxUnpacked: 16 << 20}

	// A layer whose plugin.wasm claims 10 GiB: refused at its header.
	var claim bytes.Buffer
	gzipBomb(t, &claim, tarHeader(t, "plugin.wasm", bombSize), bombSize, make([]byte, 1024))
	// A layer with 10 GiB of junk before a real plugin.wasm: refused when
	// the budget runs out.
	var junk bytes.Buffer
	gzipBomb(t, &junk, tarHeader(t, "junk.bin", bombSize), bombSize, ocitest.TarBytes(t, [2]string{"plugin.wasm", string(bin)}))
	if junk.Len() > 16<<20 {
		t.Fatalf("the bomb is %d bytes compressed, not small", junk.Len())
	}
	layerBomb := func(name string, blob []byte) string {
		img := ocitest.Image(t, types.OCIManifestSchema1, "", static.NewLayer(blob, types.OCILayer))
		return ocitest.WriteLayout(t, filepath.Join(dir, name), img)
	}
	// An oci-archive, gzip-compressed, that unpacks to 10 GiB.
	archiveBomb := filepath.Join(dir, "bomb.tar.gz")
	f, err := os.Create(archiveBomb)
	if err != nil {
		t.Fatal(err)
	}
	gzipBomb(t, f, tarHeader(t, "blobs/sha256/junk", bombSize), bombSize, nil)
	f.Close()

	// Path traversal, in an archive and in a layer; a link out of the archive.
	traversal := filepath.Join(dir, "traversal.tar")
	if err := os.WriteFile(traversal, ocitest.TarBytes(t, [2]string{"oci-layout", "{}"}, [2]string{"../../x", "pwned"}), 0o644); err != nil {
		t.Fatal(err)
	}
	var linkTar bytes.Buffer
	tw := tar.NewWriter(&linkTar)
	_ = tw.WriteHeader(&tar.Header{Name: "index.json", Typeflag: tar.TypeSymlink, Linkname: "../../../etc/passwd"})
	_ = tw.Close()
	link := filepath.Join(dir, "link.tar")
	if err := os.WriteFile(link, linkTar.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	layerTraversal := layerBomb("layer-traversal", ocitest.GzipBytes(t, ocitest.TarBytes(t, [2]string{"../../plugin.wasm", string(bin)})))

	// A truncated oci-archive and a truncated layer.
	good := ocitest.TarDir(t, ocitest.WriteLayout(t, filepath.Join(dir, "good"), ocitest.Variants[1].Build(t, bin)), filepath.Join(dir, "good.tar"))
	whole, _ := os.ReadFile(good)
	truncated, truncatedMid := filepath.Join(dir, "truncated.tar"), filepath.Join(dir, "truncated-mid.tar")
	if err := os.WriteFile(truncated, whole[:len(whole)*2/3], 0o644); err != nil { // at an entry boundary
		t.Fatal(err)
	}
	if err := os.WriteFile(truncatedMid, whole[:len(whole)/3+100], 0o644); err != nil { // inside an entry
		t.Fatal(err)
	}
	layerGz := ocitest.GzipBytes(t, ocitest.TarBytes(t, [2]string{"plugin.wasm", string(bin)}))
	truncLayer := layerBomb("layer-truncated", layerGz[:len(layerGz)/2])

	for _, tc := range []struct {
		name, in, want string
	}{
		{"layer claims 10 GiB", layerBomb("claim", claim.Bytes()), "plugin.wasm is larger than the limit of 4194304 bytes"},
		{"10 GiB of junk in a layer", layerBomb("junk", junk.Bytes()), "unpacked data is larger than the limit of 16777216 bytes"},
		{"archive unpacks to 10 GiB", archiveBomb, "unpacked data is larger than the limit"},
		{"path traversal in the archive", traversal, `archive entry "../../x" escapes the archive (path traversal)`},
		{"link out of the archive", link, `links to "../../../etc/passwd", outside the archive`},
		{"path traversal in a layer", layerTraversal, `"../../plugin.wasm" escapes the archive`},
		{"truncated archive", truncated, "archive is truncated: no end-of-archive marker"},
		{"truncated archive, inside an entry", truncatedMid, "archive is truncated: unexpected EOF"},
		{"truncated layer", truncLayer, "truncated"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mods, used, err := openCounted(tc.in, lim)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v (%d modules), want %q", err, len(mods), tc.want)
			}
			if used > lim.MaxUnpacked {
				t.Errorf("unpacked %d bytes, over the budget of %d", used, lim.MaxUnpacked)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "x")); err == nil {
		t.Error("path traversal wrote outside the archive")
	}
}
