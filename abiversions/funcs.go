package abiversions

// fn builds a Func from a name and a compact signature ("i32 i32 -> i32");
// ParseSig panics on a malformed literal, which the tests catch.
func fn(name, sig string) Func { return Func{Name: name, Sig: ParseSig(sig)} }

// names lists the names of fs, in order.
func names(fs []Func) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}
