package assistantstest_test

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/assistants-go/assistants/assistantstest"
)

// collapse merges runs of the same event name ("thread.message.delta" ×n
// becomes one "thread.message.delta+").
func collapse(ns []string) []string {
	var out []string
	for i, n := range ns {
		if i > 0 && ns[i-1] == n {
			out[len(out)-1] = n + "+"
			continue
		}
		out = append(out, n)
	}
	return out
}

func TestStreamRun(t *testing.T) {
	a := newAPI(t)
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "instructions": "You are a personal math tutor."})
	tid := str(a.ok("POST", "/threads", map[string]any{"messages": []any{map[string]any{"role": "user",
		"content": "I need to solve the equation `3x + 11 = 14`. Can you help me?"}}}), "id")
	evs, resp, err := a.stream("/threads/"+tid+"/runs", map[string]any{"assistant_id": str(as, "id"), "stream": true})
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Errorf("content type %q", ct)
	}
	want := []string{"thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.step.created",
		"thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress", "thread.message.delta+",
		"thread.message.completed", "thread.run.step.completed", "thread.run.completed", "done"}
	if got := collapse(names(evs)); !reflect.DeepEqual(got, want) {
		t.Fatalf("events:\n got %v\nwant %v", got, want)
	}
	if evs[len(evs)-1].data != "[DONE]" {
		t.Errorf("done data %q", evs[len(evs)-1].data)
	}
	var text strings.Builder
	deltas := 0
	for _, e := range evs {
		if e.name == "thread.message.delta" {
			d := e.obj()
			if d["object"] != "thread.message.delta" || num(d, "delta", "content", 0, "index") != 0 ||
				str(d, "delta", "content", 0, "type") != "text" || list(d, "delta", "content", 0, "text", "annotations") == nil {
				t.Fatalf("delta shape: %s", e.data)
			}
			text.WriteString(str(d, "delta", "content", 0, "text", "value"))
			deltas++
		}
	}
	var completed map[string]any
	for _, e := range evs {
		if e.name == "thread.message.completed" {
			completed = e.obj()
		}
	}
	if deltas < 3 || text.String() != str(completed, "content", 0, "text", "value") || !strings.Contains(text.String(), "x = 1") {
		t.Errorf("deltas (%d) %q vs message %v", deltas, text.String(), completed)
	}
	run := evs[len(evs)-2].obj()
	if run["status"] != "completed" || run["usage"] == nil {
		t.Errorf("final run: %v", run)
	}
	// The stream left the same state a poller sees.
	if got := a.ok("GET", "/threads/"+tid+"/runs/"+str(run, "id"), nil); got["status"] != "completed" {
		t.Errorf("after stream: %v", got)
	}
}

func TestStreamFunctionCallingAndSubmit(t *testing.T) {
	a := newAPI(t)
	asst, tid := a.weatherSetup()
	evs, _, err := a.stream("/threads/"+tid+"/runs", map[string]any{"assistant_id": asst, "stream": true})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"thread.run.created", "thread.run.queued", "thread.run.in_progress", "thread.run.step.created",
		"thread.run.step.in_progress", "thread.run.step.delta+", "thread.run.requires_action", "done"}
	if got := collapse(names(evs)); !reflect.DeepEqual(got, want) {
		t.Fatalf("events:\n got %v\nwant %v", got, want)
	}
	// Rebuild the tool calls from the step deltas, merging by index.
	args := map[int]string{}
	ids := map[int]string{}
	for _, e := range evs {
		if e.name != "thread.run.step.delta" {
			continue
		}
		d := e.obj()
		tc := get(d, "delta", "step_details", "tool_calls", 0)
		i := int(num(tc, "index"))
		if id := str(tc, "id"); id != "" {
			ids[i] = id
		}
		args[i] += str(tc, "function", "arguments")
	}
	ra := evs[len(evs)-2].obj()
	calls := list(ra, "required_action", "submit_tool_outputs", "tool_calls")
	if len(calls) != 2 {
		t.Fatalf("requires_action: %v", ra)
	}
	var outs []any
	for i, c := range calls {
		if ids[i] != str(c, "id") || args[i] != str(c, "function", "arguments") {
			t.Errorf("delta %d: id %q args %q vs %v", i, ids[i], args[i], c)
		}
		outs = append(outs, map[string]any{"tool_call_id": str(c, "id"), "output": outputFor(str(c, "function", "name"))})
	}
	rid := str(ra, "id")
	evs, _, err = a.stream("/threads/"+tid+"/runs/"+rid+"/submit_tool_outputs", map[string]any{"stream": true, "tool_outputs": outs})
	if err != nil {
		t.Fatal(err)
	}
	want = []string{"thread.run.step.completed", "thread.run.queued", "thread.run.in_progress", "thread.run.step.created",
		"thread.run.step.in_progress", "thread.message.created", "thread.message.in_progress", "thread.message.delta+",
		"thread.message.completed", "thread.run.step.completed", "thread.run.completed", "done"}
	if got := collapse(names(evs)); !reflect.DeepEqual(got, want) {
		t.Fatalf("submit events:\n got %v\nwant %v", got, want)
	}
	step := evs[0].obj()
	if str(step, "type") != "tool_calls" || str(step, "step_details", "tool_calls", 0, "function", "output") == "" {
		t.Errorf("completed tool step: %v", step)
	}
	msg := evs[len(evs)-4].obj()
	if text := str(msg, "content", 0, "text", "value"); !strings.Contains(text, "57") {
		t.Errorf("answer: %q", text)
	}
}

func TestStreamCreateThreadAndRun(t *testing.T) {
	a := newAPI(t)
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"})
	evs, _, err := a.stream("/threads/runs", map[string]any{"assistant_id": str(as, "id"), "stream": true,
		"thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "Thank you!"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) < 4 || evs[0].name != "thread.created" || evs[1].name != "thread.run.created" || evs[len(evs)-1].name != "done" {
		t.Fatalf("events: %v", names(evs))
	}
	if th := evs[0].obj(); th["object"] != "thread" || str(evs[1].obj(), "thread_id") != str(th, "id") {
		t.Errorf("thread event: %v", th)
	}
}

func TestStreamCodeInterpreterDeltas(t *testing.T) {
	a := newAPI(t)
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "tools": []any{map[string]any{"type": "code_interpreter"}}})
	evs, _, err := a.stream("/threads/runs", map[string]any{"assistant_id": str(as, "id"), "stream": true,
		"thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "Please compute 12 * 7 with code"}}}})
	if err != nil {
		t.Fatal(err)
	}
	var input, logs string
	for _, e := range evs {
		if e.name == "thread.run.step.delta" {
			ci := get(e.obj(), "delta", "step_details", "tool_calls", 0, "code_interpreter")
			input += str(ci, "input")
			logs += str(ci, "outputs", 0, "logs")
		}
	}
	if input != "result = 12 * 7\nprint(result)" || logs != "84\n" {
		t.Errorf("code deltas: input %q logs %q", input, logs)
	}
	if evs[len(evs)-2].name != "thread.run.completed" {
		t.Errorf("events: %v", names(evs))
	}
}

func TestStreamFaults(t *testing.T) {
	a := newAPI(t)
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"})
	body := func() map[string]any {
		return map[string]any{"assistant_id": str(as, "id"), "stream": true,
			"thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "hello"}}}}
	}

	// Cut cleanly after 3 events: no done.
	a.srv.AddFault(assistantstest.Fault{Path: "/threads/runs", CutStreamAfter: 3, Times: 1})
	evs, _, err := a.stream("/threads/runs", body())
	if err != nil || len(evs) != 3 || evs[2].name != "thread.run.queued" {
		t.Fatalf("cut stream: %v %v", names(evs), err)
	}
	// The run is still there and polling finishes it.
	run := evs[1].obj()
	a.poll(str(run, "thread_id"), str(run, "id"), "completed")

	// Abort the connection after 2 events: the client sees a broken body.
	a.srv.AddFault(assistantstest.Fault{Path: "/threads/runs", CutStreamAfter: 2, Abort: true, Times: 1})
	evs, _, err = a.stream("/threads/runs", body())
	if err == nil || len(evs) != 2 {
		t.Fatalf("aborted stream: %v %v", names(evs), err)
	}

	// An error event after 4 events ends the stream.
	a.srv.AddFault(assistantstest.Fault{Path: "/threads/runs", ErrorEventAfter: 4, Status: 500, Times: 1})
	evs, _, err = a.stream("/threads/runs", body())
	if err != nil || len(evs) != 5 || evs[4].name != "error" || str(evs[4].obj(), "type") != "server_error" ||
		evs[4].obj()["message"] == nil {
		t.Fatalf("error event: %v %v", names(evs), err)
	}

	// Faults used up: a normal stream again. Stream faults never hit non-streaming requests.
	evs, _, _ = a.stream("/threads/runs", body())
	if evs[len(evs)-1].name != "done" {
		t.Errorf("stream after faults: %v", names(evs))
	}
}

func TestStreamClientDisconnect(t *testing.T) {
	release := make(chan struct{})
	model := assistantstest.ModelFunc(func(ctx context.Context, turn *assistantstest.Turn) (*assistantstest.Reply, error) {
		select {
		case <-release:
			return assistantstest.TextReply("late answer"), nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	a := newAPI(t, assistantstest.WithModel(model))
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"})
	tid := str(a.ok("POST", "/threads", nil), "id")

	ctx, cancel := context.WithCancel(context.Background())
	req, _ := http.NewRequestWithContext(ctx, "POST", a.srv.URL+"/threads/"+tid+"/runs",
		strings.NewReader(`{"assistant_id":"`+str(as, "id")+`","stream":true}`))
	req.Header.Set("Authorization", "Bearer k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, 1)
	if _, err := resp.Body.Read(buf); err != nil { // the stream has started
		t.Fatal(err)
	}
	cancel()
	resp.Body.Close()
	// The handler gives up on the model call; the run stays in_progress and
	// polling continues it once the model answers.
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := a.ok("GET", "/threads/"+tid+"/runs", nil)
		if str(r, "data", 0, "status") == "in_progress" || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(release)
	rid := str(a.ok("GET", "/threads/"+tid+"/runs", nil), "data", 0, "id")
	a.poll(tid, rid, "completed")
}

func TestCloseEndsOpenStreams(t *testing.T) {
	model := assistantstest.ModelFunc(func(ctx context.Context, turn *assistantstest.Turn) (*assistantstest.Reply, error) {
		<-ctx.Done() // blocks until the server closes
		return nil, ctx.Err()
	})
	srv := assistantstest.NewServer(assistantstest.WithModel(model))
	a := &api{t: t, srv: srv, key: "k"}
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"})
	tid := str(a.ok("POST", "/threads", nil), "id")
	got := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("POST", srv.URL+"/threads/"+tid+"/runs", strings.NewReader(`{"assistant_id":"`+str(as, "id")+`","stream":true}`))
		req.Header.Set("Authorization", "Bearer k")
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			_, err = parseSSE(resp.Body)
			resp.Body.Close()
		}
		got <- err
	}()
	// Wait until the model is being called.
	for i := 0; i < 500; i++ {
		r := a.ok("GET", "/threads/"+tid+"/runs", nil)
		if str(r, "data", 0, "status") == "in_progress" {
			break
		}
		time.Sleep(2 * time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { srv.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(3 * time.Second):
		t.Fatal("Close blocked on an open stream")
	}
	select {
	case <-got:
	case <-time.After(3 * time.Second):
		t.Fatal("client never saw the stream end")
	}
}
