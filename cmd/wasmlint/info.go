package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/rules"
)

func (c *command) rulesCmd(args []string) int {
	fl := pflag.NewFlagSet("rules", pflag.ContinueOnError)
	fl.SetOutput(c.stderr)
	format := fl.StringP("format", "f", "text", "text or json")
	if err := fl.Parse(args); err != nil {
		return exitUsage
	}
	switch *format {
	case "json":
		type jr struct {
			ID       string   `json:"id"`
			Name     string   `json:"name"`
			Title    string   `json:"title"`
			Severity string   `json:"severity"`
			Tags     []string `json:"tags"`
		}
		var out []jr
		for _, r := range rules.All {
			out = append(out, jr{r.ID, r.Name, r.Title, r.Severity.String(), r.Tags})
		}
		enc := json.NewEncoder(c.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return exitInput
		}
	case "text":
		for _, r := range rules.All {
			fmt.Fprintf(c.stdout, "%s  %-7s  %-34s  %s\n", r.ID, r.Severity, r.Name, r.Title)
		}
	default:
		return c.usageErr("unknown format %q (want text or json)", *format)
	}
	return exitOK
}

func (c *command) explainCmd(args []string) int {
	if len(args) != 1 {
		return c.usageErr("usage: wasmlint explain RULE (an ID such as PW201, or a name)")
	}
	for _, r := range rules.All {
		if strings.EqualFold(r.ID, args[0]) || r.Name == args[0] {
			fmt.Fprint(c.stdout, Explain(r))
			return exitOK
		}
	}
	return c.usageErr("no rule %q (see 'wasmlint rules')", args[0])
}

// Explain renders a rule's documentation as Markdown; the same text feeds
// `wasmlint explain` and docs.
func Explain(r *analyzer.Rule) string {
	return fmt.Sprintf("# %s %s: %s\n\nSeverity: %s (at most; it depends on the host profile)\n\n## What\n%s\n\n## Why\n%s\n\n## Host behaviour\n%s\n\n## Fix\n%s\n",
		r.ID, r.Name, r.Title, r.Severity, r.What, r.Why, r.Host, r.Fix)
}

func (c *command) hostsCmd(args []string) int {
	if len(args) > 0 {
		return c.usageErr("usage: wasmlint hosts")
	}
	for _, p := range abiversions.Profiles() {
		extra := ""
		if p.Envoy != "" {
			extra = " (Envoy " + p.Envoy + ")"
		}
		fmt.Fprintf(c.stdout, "%-16s ABI %-22s WASI %2d  %s %s%s\n", p.Name(), strings.Join(p.ABIs, ","), len(p.WASI), p.Engine, p.EngineVersion, extra)
	}
	return exitOK
}
