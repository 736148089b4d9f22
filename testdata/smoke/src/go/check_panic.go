//go:build defect_panic

package main

// users maps a user to a quota; a request without an x-user header indexes
// a nil entry and panics (the defect).
var users = map[string]*struct{ quota int }{"alice": {quota: 10}}

func checkRequest() {
	u, _ := header(0, "x-user")
	users[u].quota--
}
