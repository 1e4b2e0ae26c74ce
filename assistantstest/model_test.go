package assistantstest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assistants-go/assistants/assistantstest"
)

func TestScriptedModel(t *testing.T) {
	script := assistantstest.NewScript(
		assistantstest.Reply{Text: "Let me check.", ToolCalls: []assistantstest.FunctionCall{{Name: "lookup", Arguments: `{"q":"x"}`}}},
		assistantstest.Reply{CodeInterpreter: &assistantstest.CodeInterpreterCall{Input: "print(1)", Logs: "1\n"}},
		assistantstest.Reply{Text: "All done."},
	)
	a := newAPI(t, assistantstest.WithModel(script))
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "instructions": "Be brief.", "tools": []any{
		map[string]any{"type": "function", "function": map[string]any{"name": "lookup", "parameters": map[string]any{"type": "object"}}}}})
	tid := str(a.ok("POST", "/threads", nil), "id")
	run := a.ok("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": str(as, "id"), "additional_instructions": "Really.",
		"additional_messages": []any{map[string]any{"role": "user", "content": "go"}}})
	rid := str(run, "id")
	run = a.poll(tid, rid, "requires_action")
	call := get(run, "required_action", "submit_tool_outputs", "tool_calls", 0)
	a.ok("POST", "/threads/"+tid+"/runs/"+rid+"/submit_tool_outputs", map[string]any{"tool_outputs": []any{
		map[string]any{"tool_call_id": str(call, "id"), "output": "found"}}})
	a.poll(tid, rid, "completed")

	turns := script.Turns()
	if len(turns) != 3 || script.Remaining() != 0 {
		t.Fatalf("turns %d remaining %d", len(turns), script.Remaining())
	}
	if turns[0].Instructions != "Be brief.\nReally." || turns[0].LastUserText() != "go" || len(turns[0].Tools) != 1 ||
		turns[0].Tools[0].Name != "lookup" || turns[0].ToolChoice.Type != "auto" || !turns[0].ParallelToolCalls {
		t.Errorf("first turn: %+v", turns[0])
	}
	r := turns[1].Results
	if len(r) != 1 || r[0].Type != "function" || r[0].Output != "found" || r[0].Function.Name != "lookup" || r[0].Function.Arguments != `{"q":"x"}` {
		t.Errorf("second turn results: %+v", r)
	}
	if r := turns[2].Results; len(r) != 2 || r[1].CodeInterpreter.Logs != "1\n" {
		t.Errorf("third turn results: %+v", r)
	}
	// The thread holds the text before the call and the final answer, in order.
	msgs := a.ok("GET", "/threads/"+tid+"/messages?order=asc", nil)
	var texts []string
	for _, m := range list(msgs, "data") {
		texts = append(texts, str(m, "content", 0, "text", "value"))
	}
	if strings.Join(texts, "|") != "go|Let me check.|All done." {
		t.Errorf("messages: %v", texts)
	}
	steps := a.ok("GET", "/threads/"+tid+"/runs/"+rid+"/steps?order=asc", nil)
	var types []string
	for _, s := range list(steps, "data") {
		types = append(types, str(s, "type"))
	}
	if strings.Join(types, ",") != "message_creation,tool_calls,tool_calls,message_creation" {
		t.Errorf("steps: %v", types)
	}
	// The script is exhausted: the next run fails with server_error.
	rid2 := str(a.ok("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": str(as, "id")}), "id")
	failed := a.poll(tid, rid2, "failed")
	if str(failed, "last_error", "code") != "server_error" || failed["failed_at"] == nil {
		t.Errorf("failed run: %v", failed)
	}
}

func TestModelErrorsAndLimits(t *testing.T) {
	var mu sync.Mutex
	next := func(ctx context.Context, turn *assistantstest.Turn) (*assistantstest.Reply, error) {
		return nil, &assistantstest.RunError{Code: "rate_limit_exceeded", Message: "slow down"}
	}
	model := assistantstest.ModelFunc(func(ctx context.Context, turn *assistantstest.Turn) (*assistantstest.Reply, error) {
		mu.Lock()
		f := next
		mu.Unlock()
		return f(ctx, turn)
	})
	set := func(f func(context.Context, *assistantstest.Turn) (*assistantstest.Reply, error)) {
		mu.Lock()
		next = f
		mu.Unlock()
	}
	a := newAPI(t, assistantstest.WithModel(model))
	as := str(a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"}), "id")
	newRun := func(extra map[string]any) (string, string) {
		body := map[string]any{"assistant_id": as, "thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "hi"}}}}
		for k, v := range extra {
			body[k] = v
		}
		r := a.ok("POST", "/threads/runs", body)
		return str(r, "thread_id"), str(r, "id")
	}

	tid, rid := newRun(nil)
	r := a.poll(tid, rid, "failed")
	if str(r, "last_error", "code") != "rate_limit_exceeded" || str(r, "last_error", "message") != "slow down" {
		t.Errorf("RunError: %v", r)
	}

	set(func(context.Context, *assistantstest.Turn) (*assistantstest.Reply, error) { panic("oops") })
	tid, rid = newRun(nil)
	if r := a.poll(tid, rid, "failed"); !strings.Contains(str(r, "last_error", "message"), "oops") {
		t.Errorf("panic: %v", r)
	}

	set(func(context.Context, *assistantstest.Turn) (*assistantstest.Reply, error) {
		return assistantstest.TextReply(strings.Repeat("word ", 300)), nil
	})
	tid, rid = newRun(map[string]any{"max_completion_tokens": 256})
	r = a.poll(tid, rid, "incomplete")
	if str(r, "incomplete_details", "reason") != "max_completion_tokens" || num(r, "usage", "completion_tokens") != 256 {
		t.Errorf("incomplete run: %v", r)
	}
	msg := get(a.ok("GET", "/threads/"+tid+"/messages?limit=1", nil), "data", 0)
	if str(msg, "status") != "incomplete" || str(msg, "incomplete_details", "reason") != "max_tokens" {
		t.Errorf("incomplete message: %v", msg)
	}

	set(func(context.Context, *assistantstest.Turn) (*assistantstest.Reply, error) {
		return &assistantstest.Reply{ToolCalls: []assistantstest.FunctionCall{{Name: "f"}}, FileSearch: &assistantstest.FileSearchCall{}}, nil
	})
	tid, rid = newRun(nil)
	if r := a.poll(tid, rid, "failed"); !strings.Contains(str(r, "last_error", "message"), "more than one action") {
		t.Errorf("two actions: %v", r)
	}

	// A model that keeps calling server-side tools is stopped.
	set(func(context.Context, *assistantstest.Turn) (*assistantstest.Reply, error) {
		return &assistantstest.Reply{CodeInterpreter: &assistantstest.CodeInterpreterCall{Input: "1"}}, nil
	})
	tid, rid = newRun(nil)
	a.poll(tid, rid, "failed")

	// SetModel swaps the model at run time.
	a.srv.SetModel(assistantstest.DefaultModel())
	tid, rid = newRun(nil)
	a.poll(tid, rid, "completed")
}

func TestResponseFormats(t *testing.T) {
	a := newAPI(t)
	as := str(a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "response_format": map[string]any{"type": "json_object"}}), "id")
	r := a.ok("POST", "/threads/runs", map[string]any{"assistant_id": as, "thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "hello"}}}})
	a.poll(str(r, "thread_id"), str(r, "id"), "completed")
	text := str(a.ok("GET", "/threads/"+str(r, "thread_id")+"/messages?limit=1", nil), "data", 0, "content", 0, "text", "value")
	if !json.Valid([]byte(text)) {
		t.Errorf("json_object reply is not JSON: %q", text)
	}
	schema := map[string]any{"type": "json_schema", "json_schema": map[string]any{"name": "answer", "schema": map[string]any{
		"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}, "days": map[string]any{"type": "integer", "minimum": 3}},
		"required": []string{"city", "days"}}}}
	r = a.ok("POST", "/threads/runs", map[string]any{"assistant_id": as, "response_format": schema, "thread": map[string]any{
		"messages": []any{map[string]any{"role": "user", "content": "Plan a trip to Boston"}}}})
	a.poll(str(r, "thread_id"), str(r, "id"), "completed")
	text = str(a.ok("GET", "/threads/"+str(r, "thread_id")+"/messages?limit=1", nil), "data", 0, "content", 0, "text", "value")
	var got struct {
		City string `json:"city"`
		Days int    `json:"days"`
	}
	if err := json.Unmarshal([]byte(text), &got); err != nil || got.City != "Boston, MA" || got.Days != 3 {
		t.Errorf("json_schema reply: %q %v", text, err)
	}
	a.fail(400, "POST", "/assistants", map[string]any{"model": "gpt-4o", "response_format": map[string]any{"type": "json_schema"}})
}

func TestTimeDrivenRuns(t *testing.T) {
	clk := newClock()
	a := newAPI(t, assistantstest.WithClock(clk.now), assistantstest.WithStepDelay(time.Second))
	as := str(a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"}), "id")
	r := a.ok("POST", "/threads/runs", map[string]any{"assistant_id": as, "thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "hello"}}}})
	tid, rid := str(r, "thread_id"), str(r, "id")
	for i := 0; i < 3; i++ {
		if got := a.ok("GET", "/threads/"+tid+"/runs/"+rid, nil); got["status"] != "queued" {
			t.Fatalf("GETs must not advance a time-driven run: %v", got["status"])
		}
	}
	clk.add(time.Second)
	if got := a.ok("GET", "/threads/"+tid+"/runs/"+rid, nil); got["status"] != "in_progress" {
		t.Fatalf("after one delay: %v", got["status"])
	}
	clk.add(5 * time.Second) // catches up on the next observation
	if got := a.ok("GET", "/threads/"+tid+"/messages?limit=1", nil); str(got, "data", 0, "role") != "assistant" {
		t.Errorf("message after catching up: %v", got)
	}
	if got := a.ok("GET", "/threads/"+tid+"/runs/"+rid, nil); got["status"] != "completed" {
		t.Errorf("after catching up: %v", got["status"])
	}
}

func TestStreamWithStepDelay(t *testing.T) {
	a := newAPI(t, assistantstest.WithStepDelay(10*time.Millisecond))
	as := str(a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"}), "id")
	start := time.Now()
	evs, _, err := a.stream("/threads/runs", map[string]any{"assistant_id": as, "stream": true,
		"thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "hi"}}}})
	if err != nil || evs[len(evs)-1].name != "done" || evs[len(evs)-2].name != "thread.run.completed" {
		t.Fatalf("events %v %v", names(evs), err)
	}
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Errorf("stream did not pace its states: %v", d)
	}
}

func TestConcurrentRuns(t *testing.T) {
	a := newAPI(t)
	as := str(a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "tools": weatherTools}), "id")
	const n = 16
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			c := &api{t: t, srv: a.srv, key: "k"}
			question := fmt.Sprintf("What is %d + 1 = %d?", i, i+1)
			if i%2 == 0 {
				question = "What's the weather in Boston?"
			}
			r := c.ok("POST", "/threads/runs", map[string]any{"assistant_id": as, "stream": false,
				"thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": question}}}})
			tid, rid := str(r, "thread_id"), str(r, "id")
			run := c.poll(tid, rid, "completed", "requires_action")
			if run["status"] == "requires_action" {
				var outs []any
				for _, call := range list(run, "required_action", "submit_tool_outputs", "tool_calls") {
					outs = append(outs, map[string]any{"tool_call_id": str(call, "id"), "output": "1"})
				}
				c.ok("POST", "/threads/"+tid+"/runs/"+rid+"/submit_tool_outputs", map[string]any{"tool_outputs": outs})
				c.poll(tid, rid, "completed")
			}
			msgs := c.ok("GET", "/threads/"+tid+"/messages", nil)
			if len(list(msgs, "data")) != 2 {
				errs <- fmt.Errorf("thread %d: %v", i, msgs)
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestLogger(t *testing.T) {
	var buf bytes.Buffer
	var mu sync.Mutex
	h := slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug})
	a := newAPI(t, assistantstest.WithLogger(slog.New(h)))
	a.fail(404, "GET", "/assistants/asst_x", nil)
	as := str(a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"}), "id")
	r := a.ok("POST", "/threads/runs", map[string]any{"assistant_id": as})
	a.poll(str(r, "thread_id"), str(r, "id"), "completed")
	mu.Lock()
	out := buf.String()
	mu.Unlock()
	if !strings.Contains(out, "method=GET path=/v1/assistants/asst_x status=404") || !strings.Contains(out, "to=completed") {
		t.Errorf("log output:\n%s", out)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
