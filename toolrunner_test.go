package assistants

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The method value fits the streaming Handler's OnRequiresAction field.
var _ func(context.Context, *Run) ([]ToolOutput, error) = (&ToolRunner{}).HandleRequiresAction

var _ = Handler{OnRequiresAction: (&ToolRunner{}).HandleRequiresAction}

var _ RequiresActionHandler = (*ToolRunner)(nil)

// trRun builds a run in requires_action with these calls.
func trRun(calls ...RequiredToolCall) *Run {
	return &Run{ID: "run_1", ThreadID: "thread_1", Status: RunStatusRequiresAction,
		RequiredAction: &RequiredAction{Type: "submit_tool_outputs", SubmitToolOutputs: SubmitToolOutputs{ToolCalls: calls}}}
}

// trCall builds a function call.
func trCall(id, name, args string) RequiredToolCall {
	return RequiredToolCall{ID: id, Type: "function", Function: FunctionCall{Name: name, Arguments: args}}
}

// trErrorText decodes an error output and returns its message.
func trErrorText(t *testing.T, output string) string {
	t.Helper()
	var v struct {
		Error string `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(output), &v), "output %q is not a JSON error object", output)
	require.NotEmpty(t, v.Error, "output %q has no error", output)
	return v.Error
}

// trBarrier opens once n callers have arrived; a caller gives up when ctx ends.
type trBarrier struct {
	mu      sync.Mutex
	arrived int
	n       int
	open    chan struct{}
}

func trNewBarrier(n int) *trBarrier { return &trBarrier{n: n, open: make(chan struct{})} }

func (b *trBarrier) wait(ctx context.Context) error {
	b.mu.Lock()
	b.arrived++
	if b.arrived == b.n {
		close(b.open)
	}
	b.mu.Unlock()
	select {
	case <-b.open:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestToolRunnerRunsCallsConcurrentlyInOrder(t *testing.T) {
	// Each function waits until all three have started: run one after the
	// other they could never pass the barrier.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a safety net, not a timing assertion
	defer cancel()
	b := trNewBarrier(3)
	echo := func(prefix string) ToolFunc {
		return func(ctx context.Context, args json.RawMessage) (string, error) {
			if err := b.wait(ctx); err != nil {
				return "", err
			}
			return prefix + string(args), nil
		}
	}
	tr := NewToolRunner(map[string]ToolFunc{"a": echo("A"), "b": echo("B")})
	out, err := tr.HandleRequiresAction(ctx, trRun(trCall("c1", "a", `{"x":1}`), trCall("c2", "b", ` {"y":2} `), trCall("c3", "a", "")))
	require.NoError(t, err)
	assert.Equal(t, []ToolOutput{
		{ToolCallID: "c1", Output: `A{"x":1}`},
		{ToolCallID: "c2", Output: `B{"y":2}`},
		{ToolCallID: "c3", Output: `A{}`}, // empty arguments become {}
	}, out)
}

func TestToolRunnerFailuresBecomeOutputs(t *testing.T) {
	tr := &ToolRunner{Funcs: map[string]ToolFunc{
		"fails":  func(context.Context, json.RawMessage) (string, error) { return "", errors.New("city not found") },
		"panics": func(context.Context, json.RawMessage) (string, error) { panic("index out of range") },
		"ok":     func(context.Context, json.RawMessage) (string, error) { return "fine", nil },
	}}
	out, err := tr.HandleRequiresAction(context.Background(), trRun(
		trCall("c1", "fails", `{}`),
		trCall("c2", "panics", `{}`),
		trCall("c3", "nope", `{}`),
		trCall("c4", "ok", `{not json`),
		trCall("c5", "ok", `{}`),
		RequiredToolCall{ID: "c6", Type: "code_interpreter"},
	))
	require.NoError(t, err)
	require.Len(t, out, 6)
	for i, o := range out {
		assert.Equal(t, fmt.Sprintf("c%d", i+1), o.ToolCallID)
	}
	msg := trErrorText(t, out[0].Output)
	assert.Contains(t, msg, `"fails"`)
	assert.Contains(t, msg, "city not found")
	msg = trErrorText(t, out[1].Output)
	assert.Contains(t, msg, `"panics" panicked`)
	assert.Contains(t, msg, "index out of range")
	msg = trErrorText(t, out[2].Output)
	assert.Contains(t, msg, `unknown function "nope"`)
	assert.Contains(t, msg, "known functions: fails, ok, panics")
	msg = trErrorText(t, out[3].Output)
	assert.Contains(t, msg, "not valid JSON")
	assert.Contains(t, msg, "{not json")
	assert.Equal(t, "fine", out[4].Output)
	assert.Contains(t, trErrorText(t, out[5].Output), `"code_interpreter"`)
}

func TestToolRunnerNoCallsAndNil(t *testing.T) {
	tr := NewToolRunner(nil)
	out, err := tr.HandleRequiresAction(context.Background(), &Run{ID: "run_1", Status: RunStatusRequiresAction})
	assert.NoError(t, err)
	assert.Empty(t, out)
	out, err = tr.HandleRequiresAction(context.Background(), trRun())
	assert.NoError(t, err)
	assert.Empty(t, out)
	_, err = tr.HandleRequiresAction(context.Background(), nil)
	assert.Error(t, err)

	out, err = tr.HandleRequiresAction(context.Background(), trRun(trCall("c1", "f", "{}")))
	require.NoError(t, err)
	assert.Contains(t, trErrorText(t, out[0].Output), "known functions: (none)")

	var nilRunner *ToolRunner
	out, err = nilRunner.HandleRequiresAction(context.Background(), trRun(trCall("c1", "f", "{}")))
	require.NoError(t, err)
	assert.Contains(t, trErrorText(t, out[0].Output), `unknown function "f"`)
}

func TestToolRunnerContextEnded(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	tr := NewToolRunner(map[string]ToolFunc{"f": func(ctx context.Context, _ json.RawMessage) (string, error) {
		cancel()
		return "x", nil
	}})
	out, err := tr.HandleRequiresAction(ctx, trRun(trCall("c1", "f", "{}")))
	assert.Nil(t, out)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestToolFuncOf(t *testing.T) {
	type args struct {
		A, B int
	}
	sum := ToolFuncOf(func(_ context.Context, a args) (map[string]int, error) {
		return map[string]int{"sum": a.A + a.B}, nil
	})
	out, err := sum(context.Background(), json.RawMessage(`{"A":2,"B":3}`))
	require.NoError(t, err)
	assert.JSONEq(t, `{"sum":5}`, out)
	_, err = sum(context.Background(), json.RawMessage(`[1]`))
	assert.ErrorContains(t, err, "decoding arguments")

	greet := ToolFuncOf(func(_ context.Context, name string) (string, error) { return "hi " + name, nil })
	out, err = greet(context.Background(), json.RawMessage(`"bo"`))
	require.NoError(t, err)
	assert.Equal(t, "hi bo", out, "a string result is sent as is")

	fail := ToolFuncOf(func(context.Context, struct{}) (int, error) { return 0, errors.New("no") })
	_, err = fail(context.Background(), json.RawMessage(`{}`))
	assert.EqualError(t, err, "no")
}

func TestToolRunnerDrivesRunToCompletion(t *testing.T) {
	// queued → requires_action (add and mul, called in parallel) → one
	// submission with both outputs → in_progress → completed.
	c, rec := pollRunServer(t, RunStatusQueued,
		[]RunStatus{RunStatusInProgress, RunStatusRequiresAction},
		[]RunStatus{RunStatusInProgress, RunStatusCompleted})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute) // a safety net for the barrier
	defer cancel()
	b := trNewBarrier(2)
	type ab struct{ A, B int }
	runner := NewToolRunner(map[string]ToolFunc{
		"add": ToolFuncOf(func(ctx context.Context, x ab) (int, error) { return x.A + x.B, b.wait(ctx) }),
		"mul": ToolFuncOf(func(ctx context.Context, x ab) (int, error) { return x.A * x.B, b.wait(ctx) }),
	})
	run, err := c.Runs.CreateAndPoll(ctx, "thread_1", RunCreateParams{AssistantID: "asst_1"},
		WithRequiresActionHandler(runner), WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	subs := rec.requests(http.MethodPost, "/threads/thread_1/runs/run_1/submit_tool_outputs")
	require.Len(t, subs, 1, "all outputs go in one submission")
	assert.JSONEq(t, `{"tool_outputs":[{"tool_call_id":"call_a","output":"3"},{"tool_call_id":"call_b","output":"12"}]}`, string(subs[0].Body))
	assert.Len(t, rec.requests(http.MethodGet, ""), 4)
}

func TestToolRunnerErrorsDoNotFailRun(t *testing.T) {
	c, rec := pollRunServer(t, RunStatusQueued, []RunStatus{RunStatusRequiresAction}, []RunStatus{RunStatusCompleted})
	runner := NewToolRunner(map[string]ToolFunc{
		"add": func(context.Context, json.RawMessage) (string, error) { return "", errors.New("adder offline") },
		"mul": func(context.Context, json.RawMessage) (string, error) { panic(fmt.Errorf("multiplier melted")) },
	})
	run, err := c.Threads.CreateAndRunPoll(context.Background(), CreateAndRunParams{AssistantID: "asst_1"},
		WithRequiresActionHandler(runner))
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	subs := rec.requests(http.MethodPost, "/threads/thread_1/runs/run_1/submit_tool_outputs")
	require.Len(t, subs, 1)
	var body struct {
		ToolOutputs []ToolOutput `json:"tool_outputs"`
	}
	require.NoError(t, json.Unmarshal(subs[0].Body, &body))
	require.Len(t, body.ToolOutputs, 2)
	assert.Equal(t, "call_a", body.ToolOutputs[0].ToolCallID)
	assert.Contains(t, trErrorText(t, body.ToolOutputs[0].Output), "adder offline")
	assert.Equal(t, "call_b", body.ToolOutputs[1].ToolCallID)
	assert.Contains(t, trErrorText(t, body.ToolOutputs[1].Output), "multiplier melted")
}

func TestToolRunnerUnknownFunctionInRun(t *testing.T) {
	c, rec := pollRunServer(t, RunStatusQueued, []RunStatus{RunStatusRequiresAction}, []RunStatus{RunStatusCompleted})
	runner := NewToolRunner(map[string]ToolFunc{
		"add": func(context.Context, json.RawMessage) (string, error) { return "3", nil },
	})
	run, err := c.Runs.Poll(context.Background(), "thread_1", "run_1", WithRequiresActionHandler(runner))
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	subs := rec.requests(http.MethodPost, "/threads/thread_1/runs/run_1/submit_tool_outputs")
	require.Len(t, subs, 1)
	var body struct {
		ToolOutputs []ToolOutput `json:"tool_outputs"`
	}
	require.NoError(t, json.Unmarshal(subs[0].Body, &body))
	require.Len(t, body.ToolOutputs, 2)
	assert.Equal(t, ToolOutput{ToolCallID: "call_a", Output: "3"}, body.ToolOutputs[0])
	assert.Equal(t, `unknown function "mul"; known functions: add`, trErrorText(t, body.ToolOutputs[1].Output))
}

func TestToolRunnerDuplicateCallIDs(t *testing.T) {
	var calls atomic.Int32
	tr := NewToolRunner(map[string]ToolFunc{"f": func(_ context.Context, args json.RawMessage) (string, error) {
		calls.Add(1)
		return string(args), nil
	}})
	out, err := tr.HandleRequiresAction(context.Background(), trRun(
		trCall("c1", "f", `{"n":1}`), trCall("c2", "f", `{"n":2}`), trCall("c1", "f", `{"n":1}`)))
	require.NoError(t, err)
	assert.Equal(t, []ToolOutput{{ToolCallID: "c1", Output: `{"n":1}`}, {ToolCallID: "c2", Output: `{"n":2}`}}, out,
		"one output per call id, in the order of first appearance")
	assert.EqualValues(t, 2, calls.Load(), "a repeated call id runs its function once")
}

func TestToolRunnerReturnsWhenCtxEndsWithoutWaitingForStuckFunctions(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{})
	tr := NewToolRunner(map[string]ToolFunc{
		// A function that ignores ctx and would block forever.
		"stuck": func(context.Context, json.RawMessage) (string, error) {
			close(started)
			<-release
			return "late", nil
		},
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	type result struct {
		out []ToolOutput
		err error
	}
	done := make(chan result, 1)
	go func() {
		out, err := tr.HandleRequiresAction(ctx, trRun(trCall("c1", "stuck", "{}")))
		done <- result{out, err}
	}()
	select {
	case r := <-done:
		assert.Nil(t, r.out)
		assert.ErrorIs(t, r.err, context.Canceled)
	case <-time.After(30 * time.Second): // a safety net against a hang, not a timing assertion
		t.Fatal("HandleRequiresAction did not return after ctx ended")
	}
}

func TestToolRunnerCtxDoneBeforeStartAndNilCtx(t *testing.T) {
	var calls atomic.Int32
	tr := NewToolRunner(map[string]ToolFunc{"f": func(context.Context, json.RawMessage) (string, error) {
		calls.Add(1)
		return "x", nil
	}})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := tr.HandleRequiresAction(ctx, trRun(trCall("c1", "f", "{}")))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, calls.Load(), "no function is started once ctx has ended")

	// A nil context is the point here.
	//lint:ignore SA1012 the test checks how a nil context is refused
	_, err = tr.HandleRequiresAction(nil, trRun(trCall("c1", "f", "{}")))
	assert.ErrorContains(t, err, "nil context")
}
