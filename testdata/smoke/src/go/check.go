//go:build !defect_panic

package main

func checkRequest() {}
