// Package report writes analysis results. Each format is a pure function of
// (io.Writer, results): text for people, JSON for machines. Formats are
// contracts with users' CI; change them only with a changelog entry.
package report
