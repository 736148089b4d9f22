package oci

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/wasmlint/wasmlint/internal/ocitest"
)

// FuzzOpenArchive writes arbitrary bytes as an image archive (tar or
// gzipped tar) and opens it: every outcome must be modules or an error,
// never a panic, and never more unpacked bytes than the budget allows.
// It is seeded with real oci-archives and docker-archives of every layout.
func FuzzOpenArchive(f *testing.F) {
	bin := testModule(f)
	dir := f.TempDir()
	for _, v := range ocitest.Variants {
		img := v.Build(f, bin)
		var file string
		if v.Docker {
			file = ocitest.WriteDockerArchive(f, filepath.Join(dir, v.Name+".tar"), img)
		} else {
			lay := ocitest.WriteLayout(f, filepath.Join(dir, v.Name), img)
			file = ocitest.TarDir(f, lay, filepath.Join(dir, v.Name+".tar"))
		}
		if b, err := os.ReadFile(file); err == nil && len(b) <= 64<<10 {
			f.Add(b)
		}
	}
	f.Add(ocitest.GzipBytes(f, ocitest.TarBytes(f, [2]string{"oci-layout", `{"imageLayoutVersion":"1.0.0"}`})))
	lim := Limits{MaxModule: 1 << 20, MaxUnpacked: 4 << 20}
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "image.tar")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		mods, err := Open(path, lim)
		var le *LimitError
		if errors.As(err, &le) {
			return
		}
		for _, m := range mods {
			if int64(len(m.Bin)) > lim.MaxModule {
				t.Fatalf("module of %d bytes above the %d-byte limit", len(m.Bin), lim.MaxModule)
			}
		}
	})
}
