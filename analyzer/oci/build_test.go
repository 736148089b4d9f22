package oci

import (
	"archive/tar"
	"bytes"
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

// testModule is a small valid Proxy-Wasm filter.
func testModule(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/ok/add_header.wasm")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// tarBytes is an uncompressed tar of the files, in order.
func tarBytes(t testing.TB, files ...[2]string) []byte {
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

// tarLayer is a tar+gzip filesystem layer of the files, with media type mt.
func tarLayer(t testing.TB, mt types.MediaType, files ...[2]string) v1.Layer {
	t.Helper()
	raw := tarBytes(t, files...)
	l, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(raw)), nil },
		tarball.WithMediaType(mt))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// image makes an image of the layers with the manifest and config media
// types given ("" keeps the default).
func image(t testing.TB, manifest, config types.MediaType, layers ...v1.Layer) v1.Image {
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

// variant is one of the layouts in use, built around a module.
type variant struct {
	name   string
	build  func(t testing.TB, bin []byte) v1.Image
	docker bool // written as a docker-archive, not an OCI layout
}

const runtimeConfig = `{"type":"envoy_proxy","abiVersions":["v0.2.1"],"config":{"rootIds":["add_header"]}}`

var variants = []variant{
	{name: "solo-oci", build: func(t testing.TB, bin []byte) v1.Image {
		return image(t, types.OCIManifestSchema1, MediaSoloConfig,
			static.NewLayer([]byte(runtimeConfig), MediaSoloConfig), static.NewLayer(bin, MediaSoloWasm))
	}},
	{name: "compat", build: func(t testing.TB, bin []byte) v1.Image {
		return image(t, types.OCIManifestSchema1, "",
			tarLayer(t, types.OCILayer, [2]string{"runtime-config.json", runtimeConfig}, [2]string{"plugin.wasm", string(bin)}))
	}},
	{name: "compat-docker", docker: true, build: func(t testing.TB, bin []byte) v1.Image {
		return image(t, types.DockerManifestSchema2, types.DockerConfigJSON,
			tarLayer(t, types.DockerLayer, [2]string{"plugin.wasm", string(bin)}, [2]string{"runtime-config.json", runtimeConfig}))
	}},
	{name: "wasm-to-oci", build: func(t testing.TB, bin []byte) v1.Image {
		return image(t, types.OCIManifestSchema1, "application/vnd.wasm.config.v1+json", static.NewLayer(bin, MediaWasmToOCI))
	}},
	{name: "cncf-wasm", build: func(t testing.TB, bin []byte) v1.Image {
		return image(t, types.OCIManifestSchema1, MediaCNCFConfig, static.NewLayer(bin, MediaCNCFWasm))
	}},
}

// writeLayout writes the image as an OCI layout directory.
func writeLayout(t testing.TB, dir string, img v1.Image) string {
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

// writeDockerArchive writes the image as docker save does (tarball.Write).
func writeDockerArchive(t testing.TB, file string, img v1.Image) string {
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

// tarDir writes the files under dir as a tar (an oci-archive of a layout).
func tarDir(t testing.TB, dir, file string) string {
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
	if err := os.WriteFile(file, tarBytes(t, files...), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}
