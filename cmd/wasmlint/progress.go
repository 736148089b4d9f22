package main

import (
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Progress on stderr: shown only when stderr is a terminal and the run
// takes longer than progressDelay; one line, rewritten with \r, cleared at
// the end so that it never mixes with the report.
var (
	progressDelay = time.Second
	progressEvery = 200 * time.Millisecond
)

type progress struct {
	total   int
	count   atomic.Int64
	quit    chan struct{}
	wg      sync.WaitGroup
	shown   bool
	print   func(string)
	enabled bool
}

// startProgress starts the progress line for a run of total inputs; it
// stays silent off a terminal.
func (c *command) startProgress(total int) *progress {
	p := &progress{total: total, quit: make(chan struct{})}
	if c.isTerminal == nil || !c.isTerminal(c.stderr) || total == 0 {
		return p
	}
	p.enabled = true
	p.print = func(s string) { fmt.Fprint(c.stderr, s) }
	p.wg.Add(1)
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer p.wg.Done()
	select {
	case <-p.quit:
		return
	case <-time.After(progressDelay):
	}
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	for {
		p.shown = true
		p.print(fmt.Sprintf("\rwasmlint: %d/%d inputs linted", p.count.Load(), p.total))
		select {
		case <-p.quit:
			return
		case <-t.C:
		}
	}
}

// done counts one input linted.
func (p *progress) done() { p.count.Add(1) }

// stop ends the progress line and clears it.
func (p *progress) stop() {
	if !p.enabled {
		return
	}
	close(p.quit)
	p.wg.Wait()
	if p.shown {
		p.print("\r\x1b[K")
	}
}
