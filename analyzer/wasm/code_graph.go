package wasm

// Reachability queries over the call graph of the code scan; bodies are
// decoded as the queries visit them.

// Reachable returns, indexed by function index (imports first), the
// functions reachable from roots through direct calls (Calls). With
// indirect, a reached function that calls indirectly (Indirect) also
// reaches every function of ElemFuncs and RefFuncs; without it the result
// is an under-approximation. Even with it, functions put in tables by the
// host or named by ref.func in global initializers are not considered.
// Roots outside the function index space are ignored.
func (c *Code) Reachable(m *Module, indirect bool, roots ...uint32) []bool {
	n := uint64(m.NumFuncImports) + uint64(len(c.Calls))
	seen := make([]bool, n)
	var work []uint32
	visit := func(f uint32) {
		if uint64(f) < n && !seen[f] {
			seen[f] = true
			work = append(work, f)
		}
	}
	for _, f := range roots {
		visit(f)
	}
	targetsAdded := false
	for len(work) > 0 {
		f := work[len(work)-1]
		work = work[:len(work)-1]
		if f < m.NumFuncImports {
			continue
		}
		d := f - m.NumFuncImports
		for _, g := range c.callees(m, f, false) {
			visit(g)
		}
		if indirect && !targetsAdded && d < uint32(len(c.Indirect)) && c.Indirect[d] {
			targetsAdded = true
			for _, g := range c.ElemFuncs {
				visit(g)
			}
			for _, g := range c.RefFuncs {
				visit(g)
			}
		}
	}
	return seen
}

// MustReach returns a shortest chain root, ..., target along MustCalls
// edges: when it exists, every execution of root that completes without
// trapping calls target (under the assumptions of ScanCode).
func (c *Code) MustReach(m *Module, root, target uint32) (path []uint32, ok bool) {
	return c.path(m, true, root, target)
}

// MayReach returns a shortest chain root, ..., target along Calls edges
// (direct calls only: an under-approximation of what may run).
func (c *Code) MayReach(m *Module, root, target uint32) (path []uint32, ok bool) {
	return c.path(m, false, root, target)
}

// path is a breadth-first search from root to target over edges.
func (c *Code) path(m *Module, must bool, root, target uint32) ([]uint32, bool) {
	n := uint64(m.NumFuncImports) + uint64(len(c.Calls))
	if uint64(root) >= n || uint64(target) >= n {
		return nil, false
	}
	prev := make([]uint32, n) // predecessor + 1; 0: not reached
	prev[root] = root + 1
	queue := []uint32{root}
	for q := 0; q < len(queue); q++ {
		f := queue[q]
		if f == target {
			var rev []uint32
			for g := target; ; g = prev[g] - 1 {
				rev = append(rev, g)
				if g == root {
					break
				}
			}
			for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
				rev[i], rev[j] = rev[j], rev[i]
			}
			return rev, true
		}
		if f < m.NumFuncImports {
			continue
		}
		for _, g := range c.callees(m, f, must) {
			if uint64(g) < n && prev[g] == 0 {
				prev[g] = f + 1
				queue = append(queue, g)
			}
		}
	}
	return nil, false
}
