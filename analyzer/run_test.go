package analyzer_test

import (
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/rules"
)

// TestRunInputMatchesRun checks that a prepared input, shared by
// concurrent runs for several host profiles, yields the findings of a
// plain Run for each profile (the modules here have no broken body, the
// one case where a prepared input, which decodes every body, reports more).
func TestRunInputMatchesRun(t *testing.T) {
	files, _ := filepath.Glob("../testdata/*/*.wasm")
	corpus, _ := filepath.Glob("../../shared/corpus/*.wasm")
	files = append(files, corpus...)
	if len(files) == 0 {
		t.Fatal("no inputs")
	}
	for _, f := range files {
		bin, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in := analyzer.Prepare(bin)
		profiles := abiversions.Profiles()
		got := make([]*analyzer.Result, len(profiles))
		var wg sync.WaitGroup
		for i, p := range profiles {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i] = analyzer.RunInput(f, in, rules.All, analyzer.Config{Host: p})
			}()
		}
		wg.Wait()
		for i, p := range profiles {
			want := analyzer.Run(f, bin, rules.All, analyzer.Config{Host: p})
			if !reflect.DeepEqual(got[i].Diagnostics, want.Diagnostics) || got[i].ABI != want.ABI {
				t.Errorf("%s on %s: RunInput differs from Run:\n got %v\nwant %v", f, p.Name(), got[i].Diagnostics, want.Diagnostics)
			}
		}
	}
}
