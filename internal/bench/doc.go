// Package bench holds side-by-side benchmarks of this SDK's run streams
// against github.com/openai/openai-go. It is a module of its own so that the
// SDK's go.mod never depends on a peer SDK; `go test ./...` at the repository
// root does not enter it. Run it with
//
//	cd internal/bench && go test -run '^$' -bench . -benchmem
//
// See README.md for the results.
package bench
