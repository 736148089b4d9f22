// Package ocitest builds OCI images of Wasm modules for tests, with
// go-containerregistry, in every layout wasmlint reads: Solo.io's oci and
// compat variants (OCI and Docker manifests), wasm-to-oci and the CNCF
// Wasm artifact; as OCI layout directories, oci-archives and
// docker-archives.
package ocitest

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/static"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// Image builders for the tests: every layout wasmlint reads, made with
// go-containerregistry as the packaging tools make them.

// TarBytes is an uncompressed tar of the files, in order.
func TarBytes(t testing.TB, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TarLayer is a tar+gzip filesystem layer of the files, with media type mt.
func TarLayer(t testing.TB, mt types.MediaType, files ...[2]string) v1.Layer {
	t.Helper()
	raw := TarBytes(t, files...)
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil },
		tarball.WithMediaType(mt))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// Image makes an image of the layers with the manifest and config media
// types given ("" keeps the default).
func Image(t testing.TB, manifest, config types.MediaType, layers ...v1.Layer) v1.Image {
	t.Helper()
	img := mutate.MediaType(empty.Image, manifest)
	if config != "" {
		img = mutate.ConfigMediaType(img, config)
	}
	img, err := mutate.AppendLayers(img, layers...)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Variant is one of the layouts in use, built around a module.
type Variant struct {
	Name   string
	Build  func(t testing.TB, bin []byte) v1.Image
	Docker bool // written as a docker-archive, not an OCI layout
}

// RuntimeConfig is the runtime-config.json of the variants that carry one.
const RuntimeConfig = `{"type":"envoy_proxy","abiVersions":["v0.2.1"],"config":{"rootIds":["add_header"]}}`

// Variants are the layouts in use, by the analyzer.Layout name.
var Variants = []Variant{
	{Name: "solo-oci", Build: func(t testing.TB, bin []byte) v1.Image {
		return Image(t, types.OCIManifestSchema1, "application/vnd.module.wasm.config.v1+json",
			static.NewLayer([]byte(RuntimeConfig), "application/vnd.module.wasm.config.v1+json"), static.NewLayer(bin, "application/vnd.module.wasm.content.layer.v1+wasm"))
	}},
	{Name: "compat", Build: func(t testing.TB, bin []byte) v1.Image {
		return Image(t, types.OCIManifestSchema1, "",
			TarLayer(t, types.OCILayer, [2]string{"runtime-config.json", RuntimeConfig}, [2]string{"plugin.wasm", string(bin)}))
	}},
	{Name: "compat-docker", Docker: true, Build: func(t testing.TB, bin []byte) v1.Image {
		return Image(t, types.DockerManifestSchema2, types.DockerConfigJSON,
			TarLayer(t, types.DockerLayer, [2]string{"plugin.wasm", string(bin)}, [2]string{"runtime-config.json", RuntimeConfig}))
	}},
	{Name: "wasm-to-oci", Build: func(t testing.TB, bin []byte) v1.Image {
		return Image(t, types.OCIManifestSchema1, "application/vnd.wasm.config.v1+json", static.NewLayer(bin, "application/vnd.wasm.content.layer.v1+wasm"))
	}},
	{Name: "cncf-wasm", Build: func(t testing.TB, bin []byte) v1.Image {
		return Image(t, types.OCIManifestSchema1, "application/vnd.wasm.config.v0+json", static.NewLayer(bin, "application/wasm"))
	}},
}

// WriteLayout writes the image as an OCI layout directory.
func WriteLayout(t testing.TB, dir string, img v1.Image) string {
	t.Helper()
	p, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.AppendImage(img); err != nil {
		t.Fatal(err)
	}
	return dir
}

// WriteDockerArchive writes the image as docker save does (tarball.Write).
func WriteDockerArchive(t testing.TB, file string, img v1.Image) string {
	t.Helper()
	tag, err := name.NewTag("example.com/filters/add-header:1.0")
	if err != nil {
		t.Fatal(err)
	}
	if err := tarball.WriteToFile(file, tag, img); err != nil {
		t.Fatal(err)
	}
	return file
}

// TarDir writes the files under dir as a tar (an oci-archive of a layout).
func TarDir(t testing.TB, dir, file string) string {
	t.Helper()
	var files [][2]string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files = append(files, [2]string{filepath.ToSlash(rel), string(b)})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, TarBytes(t, files...), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// GzipFile writes the gzip compression of file in to out.
func GzipFile(t testing.TB, in, out string) string {
	t.Helper()
	b, err := os.ReadFile(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(out, GzipBytes(t, b), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// GzipBytes compresses b.
func GzipBytes(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
