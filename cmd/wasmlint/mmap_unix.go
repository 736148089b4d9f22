//go:build unix

package main

import (
	"os"
	"syscall"
)

// mapFile maps size bytes of f read-only. The decoder reads only the bytes
// it needs (section headers, imports, exports), so a mapped file is never
// copied whole, and pages it skips (code and data bodies) are never read
// from the page cache. release unmaps it; nothing may use the bytes after.
func mapFile(f *os.File, size int64) (b []byte, release func(), err error) {
	if size == 0 || int64(int(size)) != size {
		return nil, nil, syscall.EINVAL
	}
	b, err = syscall.Mmap(int(f.Fd()), 0, int(size), syscall.PROT_READ, syscall.MAP_PRIVATE)
	if err != nil {
		return nil, nil, err
	}
	return b, func() { _ = syscall.Munmap(b) }, nil
}
