package assistants

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
)

// ToolFunc implements one function tool. It receives the JSON arguments the
// model produced and returns the output to send back, usually JSON too. An
// error is not fatal: it is turned into an output the model can read (see
// ToolRunner). A ToolFunc should return when ctx ends.
type ToolFunc func(ctx context.Context, arguments json.RawMessage) (string, error)

// ToolFuncOf adapts a typed function into a ToolFunc: the arguments are
// decoded into an A with encoding/json, and the result is sent as is when R
// is string, else encoded as JSON.
//
//	type weatherArgs struct{ City string `json:"city"` }
//	funcs["get_weather"] = assistants.ToolFuncOf(func(ctx context.Context, a weatherArgs) (map[string]any, error) {
//		return map[string]any{"city": a.City, "celsius": 21}, nil
//	})
func ToolFuncOf[A, R any](fn func(ctx context.Context, args A) (R, error)) ToolFunc {
	return func(ctx context.Context, arguments json.RawMessage) (string, error) {
		var args A
		if err := json.Unmarshal(arguments, &args); err != nil {
			return "", fmt.Errorf("decoding arguments: %w", err)
		}
		res, err := fn(ctx, args)
		if err != nil {
			return "", err
		}
		if s, ok := any(res).(string); ok {
			return s, nil
		}
		out, err := json.Marshal(res)
		if err != nil {
			return "", fmt.Errorf("encoding result: %w", err)
		}
		return string(out), nil
	}
}

// ToolRunner answers a run's requires_action by calling Go functions by name.
// It implements RequiresActionHandler, so it can be given to the poll helpers
// with WithRequiresActionHandler, and its HandleRequiresAction method value
// fits the streaming Handler's OnRequiresAction field:
//
//	runner := assistants.NewToolRunner(map[string]assistants.ToolFunc{"get_weather": getWeather})
//	run, err := c.Runs.CreateAndPoll(ctx, threadID, params, assistants.WithRequiresActionHandler(runner))
//	h := assistants.Handler{OnRequiresAction: runner.HandleRequiresAction}
//
// All the calls of one requires_action run concurrently, each in its own
// goroutine, and their outputs come back in the order of the calls; a call id
// that appears twice is called, and answered, once. Nothing
// a function does fails the run: whenever a call cannot produce an output
// (its function returns an error or panics, the model named a function that
// is not in Funcs, its arguments are not valid JSON) the output is a JSON
// object {"error": "..."} saying so, which the model reads and can react to.
//
// A ToolRunner is safe for concurrent use as long as Funcs is not changed
// while it runs.
type ToolRunner struct {
	// Funcs maps a function's name, as declared in the assistant's function
	// tools, to its implementation.
	Funcs map[string]ToolFunc
}

// NewToolRunner returns a ToolRunner calling funcs.
func NewToolRunner(funcs map[string]ToolFunc) *ToolRunner {
	return &ToolRunner{Funcs: funcs}
}

// HandleRequiresAction calls the function of every tool call in
// run.RequiredAction concurrently, waits for all of them, and returns one
// output per call, in call order. A run without tool calls gets no outputs
// (and the poll helpers hand it back as it is). The only errors are a nil
// run or context and the end of ctx: as soon as ctx ends HandleRequiresAction
// returns ctx's error, without waiting for functions that ignore ctx (they
// finish in the background and their outputs are dropped: they would not be
// accepted anyway).
func (tr *ToolRunner) HandleRequiresAction(ctx context.Context, run *Run) ([]ToolOutput, error) {
	if ctx == nil {
		return nil, errors.New("assistants: ToolRunner: nil context")
	}
	if run == nil {
		return nil, errors.New("assistants: ToolRunner: nil run")
	}
	if run.RequiredAction == nil {
		return nil, nil
	}
	calls := run.RequiredAction.SubmitToolOutputs.ToolCalls
	if len(calls) == 0 {
		return nil, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("assistants: ToolRunner: %w", err)
	}
	// One output per call id: the API takes exactly one for each, and a
	// function with side effects must not run twice for one call.
	unique := make([]RequiredToolCall, 0, len(calls))
	seen := make(map[string]bool, len(calls))
	for _, call := range calls {
		if call.ID != "" && seen[call.ID] {
			continue
		}
		seen[call.ID] = true
		unique = append(unique, call)
	}
	// The goroutines write only to results; outputs is built from it after
	// all of them are done, so returning early on ctx leaves no shared state.
	results := make([]string, len(unique))
	var wg sync.WaitGroup
	for i, call := range unique {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = tr.call(ctx, call)
		}()
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("assistants: ToolRunner: %w", err)
	}
	outputs := make([]ToolOutput, len(unique))
	for i, call := range unique {
		outputs[i] = ToolOutput{ToolCallID: call.ID, Output: results[i]}
	}
	return outputs, nil
}

// call runs one tool call and returns its output, never failing.
func (tr *ToolRunner) call(ctx context.Context, call RequiredToolCall) (output string) {
	name := call.Function.Name
	if call.Type != "" && call.Type != "function" {
		return toolErrorOutput(fmt.Sprintf("tool call type %q is not supported; only function calls can be answered", call.Type))
	}
	var fn ToolFunc
	if tr != nil {
		fn = tr.Funcs[name]
	}
	if fn == nil {
		return toolErrorOutput(fmt.Sprintf("unknown function %q; known functions: %s", name, tr.known()))
	}
	args := json.RawMessage(bytes.TrimSpace([]byte(call.Function.Arguments)))
	if len(args) == 0 {
		args = json.RawMessage("{}")
	}
	if !json.Valid(args) {
		return toolErrorOutput(fmt.Sprintf("the arguments of function %q are not valid JSON: %q", name, call.Function.Arguments))
	}
	defer func() {
		if p := recover(); p != nil {
			output = toolErrorOutput(fmt.Sprintf("function %q panicked: %v", name, p))
		}
	}()
	out, err := fn(ctx, args)
	if err != nil {
		return toolErrorOutput(fmt.Sprintf("function %q failed: %v", name, err))
	}
	return out
}

// known lists the function names, sorted, for error outputs.
func (tr *ToolRunner) known() string {
	var names []string
	if tr != nil {
		names = slices.Sorted(maps.Keys(tr.Funcs))
	}
	if len(names) == 0 {
		return "(none)"
	}
	return strings.Join(names, ", ")
}

// toolErrorOutput is the output reporting a failed call: {"error": msg}.
func toolErrorOutput(msg string) string {
	b, err := json.Marshal(struct {
		Error string `json:"error"`
	}{msg})
	if err != nil { // cannot happen for a string
		return `{"error":"tool call failed"}`
	}
	return string(b)
}
