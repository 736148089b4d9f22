package oci

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/internal/ocitest"
)

var testLimits = Limits{MaxModule: 1 << 20, MaxUnpacked: 8 << 20}

// TestLayouts builds an image of the filter in every layout, as a layout
// directory, an oci-archive (plain and gzip-compressed) or a
// docker-archive, and checks that Open finds exactly the filter with the
// facts the packaging rules need.
func TestLayouts(t *testing.T) {
	bin := testModule(t)
	for _, v := range ocitest.Variants {
		t.Run(v.Name, func(t *testing.T) {
			dir := t.TempDir()
			img := v.Build(t, bin)
			inputs := map[string]string{}
			if v.Docker {
				inputs["docker-archive"] = ocitest.WriteDockerArchive(t, filepath.Join(dir, "image.tar"), img)
			} else {
				lay := ocitest.WriteLayout(t, filepath.Join(dir, "layout"), img)
				inputs["layout"] = lay
				inputs["oci-archive"] = ocitest.TarDir(t, lay, filepath.Join(dir, "image.tar"))
				inputs["oci-archive.gz"] = ocitest.GzipFile(t, inputs["oci-archive"], filepath.Join(dir, "image.tar.gz"))
			}
			for kind, in := range inputs {
				mods, err := Open(in, testLimits)
				if err != nil {
					t.Fatalf("%s: %v", kind, err)
				}
				if len(mods) != 1 {
					t.Fatalf("%s: %d modules, want 1", kind, len(mods))
				}
				m := mods[0]
				p := m.Package
				if !bytes.Equal(m.Bin, bin) || m.Path != in+"@"+p.LayerDigest || !strings.HasPrefix(p.LayerDigest, "sha256:") || p.Image != in {
					t.Errorf("%s: module %q (%d bytes), package %+v", kind, m.Path, len(m.Bin), p)
				}
				wantLayout := analyzer.Layout(strings.TrimSuffix(v.Name, "-docker"))
				if p.Layout != wantLayout || len(p.LayerMediaTypes) == 0 || p.ManifestMediaType == "" {
					t.Errorf("%s: layout %q (want %q), media types %v, manifest %q", kind, p.Layout, wantLayout, p.LayerMediaTypes, p.ManifestMediaType)
				}
				hasConfig := v.Name == "solo-oci" || strings.HasPrefix(v.Name, "compat")
				if hasConfig != (string(p.RuntimeConfig) == ocitest.RuntimeConfig) {
					t.Errorf("%s: runtime config %q", kind, p.RuntimeConfig)
				}
			}
		})
	}
}

// A compat image whose layer holds the filter under another name, beside
// its Kong meta.json, and a base layer below it.
func TestCompatOtherNameAndMeta(t *testing.T) {
	bin := testModule(t)
	img := ocitest.Image(t, "application/vnd.oci.image.manifest.v1+json", "",
		ocitest.TarLayer(t, "application/vnd.oci.image.layer.v1.tar+gzip", [2]string{"etc/os-release", "x"}),
		ocitest.TarLayer(t, "application/vnd.oci.image.layer.v1.tar+gzip", [2]string{"filters/auth.wasm", string(bin)}, [2]string{"filters/auth.meta.json", `{}`}))
	mods, err := Open(ocitest.WriteLayout(t, t.TempDir(), img), testLimits)
	if err != nil {
		t.Fatal(err)
	}
	p := mods[0].Package
	if len(mods) != 1 || p.File != "filters/auth.wasm" || p.Layer != 1 || p.MetaName != "auth.meta.json" || string(p.Meta) != "{}" || len(p.LayerMediaTypes) != 2 {
		t.Errorf("got %d modules, package %+v", len(mods), p)
	}
}

func TestNotAnImage(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "files.tar")
	if err := os.WriteFile(plain, ocitest.TarBytes(t, [2]string{"README", "hi"}), 0o644); err != nil {
		t.Fatal(err)
	}
	empty := ocitest.Image(t, "application/vnd.oci.image.manifest.v1+json", "", ocitest.TarLayer(t, "application/vnd.oci.image.layer.v1.tar+gzip", [2]string{"README", "hi"}))
	for in, want := range map[string]string{
		plain: "neither manifest.json",
		ocitest.WriteLayout(t, filepath.Join(dir, "l"), empty): "no Wasm module in the image",
		"../../testdata/ok/add_header.wasm":                    "not an OCI image",
	} {
		if _, err := Open(in, testLimits); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", in, err, want)
		}
	}
	if Sniff("../../testdata/ok") != NotImage || Sniff("../../testdata/ok/add_header.wasm") != NotImage || Sniff(plain) != Archive {
		t.Error("Sniff")
	}
}

// testModule is a small valid Proxy-Wasm filter.
func testModule(t testing.TB) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/ok/add_header.wasm")
	if err != nil {
		t.Fatal(err)
	}
	return b
}
