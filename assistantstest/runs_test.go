package assistantstest_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/assistants-go/assistants/assistantstest"
)

func TestRunLifecycleByPolling(t *testing.T) {
	a := newAPI(t, assistantstest.WithPollAfter(25*time.Millisecond))
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "name": "Math Tutor",
		"instructions": "You are a personal math tutor. Answer questions briefly, in a sentence or less."})
	tid := str(a.ok("POST", "/threads", nil), "id")
	a.ok("POST", "/threads/"+tid+"/messages", map[string]any{"role": "user",
		"content": "I need to solve the equation `3x + 11 = 14`. Can you help me?"})

	r := a.request("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": str(as, "id")})
	run := r.obj()
	checkID(t, "run", str(run, "id"))
	if err := hasKey(run, "id", "object", "created_at", "thread_id", "assistant_id", "status", "required_action",
		"last_error", "expires_at", "started_at", "cancelled_at", "failed_at", "completed_at", "incomplete_details",
		"model", "instructions", "tools", "metadata", "usage", "temperature", "top_p", "max_prompt_tokens",
		"max_completion_tokens", "truncation_strategy", "tool_choice", "parallel_tool_calls", "response_format"); err != nil {
		t.Fatal(err)
	}
	if run["status"] != "queued" || run["object"] != "thread.run" || run["usage"] != nil || run["expires_at"] == nil ||
		run["tool_choice"] != "auto" || run["parallel_tool_calls"] != true || str(run, "truncation_strategy", "type") != "auto" ||
		!strings.HasPrefix(str(run, "instructions"), "You are a personal math tutor") || str(run, "model") != "gpt-4o" {
		t.Errorf("created run: %v", run)
	}
	if h := r.header.Get("openai-poll-after-ms"); h != "25" {
		t.Errorf("poll-after header on create: %q", h)
	}
	rid := str(run, "id")
	// Each GET advances the run one state.
	g := a.request("GET", "/threads/"+tid+"/runs/"+rid, nil)
	if g.obj()["status"] != "in_progress" || g.obj()["started_at"] == nil || g.header.Get("openai-poll-after-ms") != "25" {
		t.Errorf("first poll: %s %v", g.body, g.header)
	}
	// Another run cannot start, nor can messages be added, while this one is active.
	a.fail(400, "POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": str(as, "id")})
	a.fail(400, "POST", "/threads/"+tid+"/messages", map[string]any{"role": "user", "content": "hi"})

	done := a.ok("GET", "/threads/"+tid+"/runs/"+rid, nil)
	if done["status"] != "completed" || done["completed_at"] == nil || done["expires_at"] != nil ||
		num(done, "usage", "total_tokens") != num(done, "usage", "prompt_tokens")+num(done, "usage", "completion_tokens") ||
		num(done, "usage", "completion_tokens") == 0 {
		t.Errorf("completed run: %v", done)
	}
	if again := a.ok("GET", "/threads/"+tid+"/runs/"+rid, nil); again["status"] != "completed" {
		t.Errorf("terminal state must stay: %v", again)
	}

	msgs := a.ok("GET", "/threads/"+tid+"/messages", nil)
	reply := get(msgs, "data", 0)
	if str(reply, "role") != "assistant" || str(reply, "run_id") != rid || str(reply, "assistant_id") != str(as, "id") ||
		str(reply, "status") != "completed" {
		t.Errorf("assistant message: %v", reply)
	}
	if text := str(reply, "content", 0, "text", "value"); !strings.Contains(text, "x = 1") || !strings.Contains(text, "3x = 3") {
		t.Errorf("the default model should solve the equation: %q", text)
	}
	if byRun := a.ok("GET", "/threads/"+tid+"/messages?run_id="+rid, nil); len(list(byRun, "data")) != 1 {
		t.Errorf("run_id filter: %v", byRun)
	}
	steps := a.ok("GET", "/threads/"+tid+"/runs/"+rid+"/steps", nil)
	st := get(steps, "data", 0)
	checkID(t, "step", str(st, "id"))
	if str(st, "type") != "message_creation" || str(st, "step_details", "message_creation", "message_id") != str(reply, "id") ||
		str(st, "status") != "completed" || get(st, "usage") == nil || str(st, "object") != "thread.run.step" {
		t.Errorf("step: %v", st)
	}
	if one := a.ok("GET", "/threads/"+tid+"/runs/"+rid+"/steps/"+str(st, "id"), nil); str(one, "id") != str(st, "id") {
		t.Errorf("get step: %v", one)
	}
	a.fail(400, "GET", "/threads/"+tid+"/runs/"+rid+"/steps?include[]=bogus", nil)

	// A follow-up question in the same thread is explained.
	a.ok("POST", "/threads/"+tid+"/messages", map[string]any{"role": "user", "content": "Could you explain this to me?"})
	run2 := a.ok("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": str(as, "id")})
	a.poll(tid, str(run2, "id"), "completed")
	last := a.ok("GET", "/threads/"+tid+"/messages?limit=1", nil)
	if text := str(last, "data", 0, "content", 0, "text", "value"); !strings.HasPrefix(text, "Certainly!") {
		t.Errorf("explanation: %q", text)
	}
	runs := a.ok("GET", "/threads/"+tid+"/runs", nil)
	if len(list(runs, "data")) != 2 || str(runs, "first_id") != str(run2, "id") {
		t.Errorf("list runs: %v", runs)
	}
	if m := a.ok("POST", "/threads/"+tid+"/runs/"+rid, map[string]any{"metadata": map[string]string{"x": "y"}}); str(m, "metadata", "x") != "y" {
		t.Errorf("modify run: %v", m)
	}
}

func TestRequiresActionAndSubmit(t *testing.T) {
	a := newAPI(t)
	asst, tid := a.weatherSetup()
	run := a.ok("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": asst})
	rid := str(run, "id")
	run = a.poll(tid, rid, "requires_action")
	calls := list(run, "required_action", "submit_tool_outputs", "tool_calls")
	if str(run, "required_action", "type") != "submit_tool_outputs" || len(calls) != 2 {
		t.Fatalf("required_action: %v", run["required_action"])
	}
	args := map[string]map[string]any{}
	for _, c := range calls {
		checkID(t, "call", str(c, "id"))
		var m map[string]any
		if err := json.Unmarshal([]byte(str(c, "function", "arguments")), &m); err != nil {
			t.Fatalf("arguments are not JSON: %v", c)
		}
		args[str(c, "function", "name")] = m
	}
	if args["get_current_temperature"]["location"] != "San Francisco, CA" || args["get_current_temperature"]["unit"] != "Fahrenheit" ||
		args["get_rain_probability"]["location"] != "San Francisco, CA" {
		t.Errorf("arguments: %v", args)
	}
	// The pending step shows the calls without outputs.
	steps := a.ok("GET", "/threads/"+tid+"/runs/"+rid+"/steps", nil)
	if str(steps, "data", 0, "type") != "tool_calls" || str(steps, "data", 0, "status") != "in_progress" ||
		get(steps, "data", 0, "step_details", "tool_calls", 0, "function", "output") != nil {
		t.Errorf("pending step: %v", steps)
	}
	// Polling again does not move a run that waits for the client.
	if again := a.ok("GET", "/threads/"+tid+"/runs/"+rid, nil); again["status"] != "requires_action" {
		t.Errorf("requires_action must wait: %v", again)
	}

	outputs := []any{
		map[string]any{"tool_call_id": str(calls, 0, "id"), "output": outputFor(str(calls, 0, "function", "name"))},
		map[string]any{"tool_call_id": str(calls, 1, "id"), "output": outputFor(str(calls, 1, "function", "name"))},
	}
	sub := a.ok("POST", "/threads/"+tid+"/runs/"+rid+"/submit_tool_outputs", map[string]any{"tool_outputs": outputs})
	if sub["status"] != "queued" || sub["required_action"] != nil {
		t.Errorf("after submit: %v", sub)
	}
	done := a.poll(tid, rid, "completed")
	if done["usage"] == nil {
		t.Errorf("usage: %v", done)
	}
	msgs := a.ok("GET", "/threads/"+tid+"/messages?run_id="+rid, nil)
	text := str(msgs, "data", 0, "content", 0, "text", "value")
	if !strings.Contains(text, "57") || !strings.Contains(text, "0.06") {
		t.Errorf("final answer should use the outputs: %q", text)
	}
	steps = a.ok("GET", "/threads/"+tid+"/runs/"+rid+"/steps?order=asc", nil)
	tc := get(steps, "data", 0)
	if str(tc, "status") != "completed" || str(tc, "step_details", "tool_calls", 0, "function", "output") == "" {
		t.Errorf("tool step with outputs: %v", tc)
	}
	if str(steps, "data", 1, "type") != "message_creation" {
		t.Errorf("message step: %v", steps)
	}
	// Submitting to a completed run is refused.
	e := a.fail(400, "POST", "/threads/"+tid+"/runs/"+rid+"/submit_tool_outputs", map[string]any{"tool_outputs": outputs})
	if !strings.Contains(str(e, "message"), "completed") {
		t.Errorf("submit to completed run: %v", e)
	}
}

func outputFor(name string) string {
	if name == "get_current_temperature" {
		return "57"
	}
	return "0.06"
}

func TestSubmitToolOutputsValidation(t *testing.T) {
	a := newAPI(t)
	asst, tid := a.weatherSetup()
	rid := str(a.ok("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": asst}), "id")
	run := a.poll(tid, rid, "requires_action")
	calls := list(run, "required_action", "submit_tool_outputs", "tool_calls")
	id0, id1 := str(calls, 0, "id"), str(calls, 1, "id")
	path := "/threads/" + tid + "/runs/" + rid + "/submit_tool_outputs"
	out := func(id string) map[string]any { return map[string]any{"tool_call_id": id, "output": "x"} }

	cases := map[string]any{
		"missing one":  []any{out(id0)},
		"duplicate":    []any{out(id0), out(id0), out(id1)},
		"unknown id":   []any{out(id0), out(id1), out("call_unknown")},
		"empty":        []any{},
		"no call id":   []any{map[string]any{"output": "x"}, out(id1)},
		"extra fields": []any{map[string]any{"tool_call_id": id0, "output": "x", "foo": 1}, out(id1)},
	}
	for name, outs := range cases {
		e := a.fail(400, "POST", path, map[string]any{"tool_outputs": outs})
		if str(e, "param") == "" {
			t.Errorf("%s: no param: %v", name, e)
		}
	}
	a.fail(400, "POST", path, map[string]any{})
	// The run still waits and accepts a correct submission.
	a.ok("POST", path, map[string]any{"tool_outputs": []any{out(id1), out(id0)}})
	a.poll(tid, rid, "completed")
}

func TestParallelToolCallsOff(t *testing.T) {
	a := newAPI(t)
	asst, tid := a.weatherSetup()
	rid := str(a.ok("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": asst, "parallel_tool_calls": false}), "id")
	run := a.poll(tid, rid, "requires_action")
	if n := len(list(run, "required_action", "submit_tool_outputs", "tool_calls")); n != 1 {
		t.Errorf("parallel_tool_calls false: %d calls", n)
	}
	// tool_choice none: the model answers in text.
	asst2, tid2 := a.weatherSetup()
	rid2 := str(a.ok("POST", "/threads/"+tid2+"/runs", map[string]any{"assistant_id": asst2, "tool_choice": "none"}), "id")
	a.poll(tid2, rid2, "completed")
}

func TestCancel(t *testing.T) {
	a := newAPI(t)
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"})
	tid := str(a.ok("POST", "/threads", map[string]any{"messages": []any{map[string]any{"role": "user", "content": "hello"}}}), "id")
	rid := str(a.ok("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": str(as, "id")}), "id")
	c := a.ok("POST", "/threads/"+tid+"/runs/"+rid+"/cancel", nil)
	if c["status"] != "cancelling" {
		t.Fatalf("cancel: %v", c)
	}
	r := a.ok("GET", "/threads/"+tid+"/runs/"+rid, nil)
	if r["status"] != "cancelled" || r["cancelled_at"] == nil {
		t.Errorf("after cancel: %v", r)
	}
	e := a.fail(400, "POST", "/threads/"+tid+"/runs/"+rid+"/cancel", nil)
	if !strings.Contains(str(e, "message"), "cancelled") {
		t.Errorf("cancel twice: %v", e)
	}
	// Cancelling a run waiting for tool outputs cancels its pending step.
	asst, tid2 := a.weatherSetup()
	rid2 := str(a.ok("POST", "/threads/"+tid2+"/runs", map[string]any{"assistant_id": asst}), "id")
	a.poll(tid2, rid2, "requires_action")
	a.ok("POST", "/threads/"+tid2+"/runs/"+rid2+"/cancel", nil)
	a.poll(tid2, rid2, "cancelled")
	steps := a.ok("GET", "/threads/"+tid2+"/runs/"+rid2+"/steps", nil)
	if str(steps, "data", 0, "status") != "cancelled" {
		t.Errorf("pending step after cancel: %v", steps)
	}
	// A new run may start now.
	a.ok("POST", "/threads/"+tid2+"/runs", map[string]any{"assistant_id": asst})
}

func TestRequiresActionExpires(t *testing.T) {
	clk := newClock()
	a := newAPI(t, assistantstest.WithClock(clk.now), assistantstest.WithRunExpiry(time.Minute))
	asst, tid := a.weatherSetup()
	rid := str(a.ok("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": asst}), "id")
	run := a.poll(tid, rid, "requires_action")
	if num(run, "expires_at") != float64(clk.now().Add(time.Minute).Unix()) {
		t.Errorf("expires_at: %v", run["expires_at"])
	}
	clk.add(59 * time.Second)
	if r := a.ok("GET", "/threads/"+tid+"/runs/"+rid, nil); r["status"] != "requires_action" {
		t.Fatalf("expired too early: %v", r)
	}
	clk.add(time.Second)
	r := a.ok("GET", "/threads/"+tid+"/runs/"+rid, nil)
	if r["status"] != "expired" || r["required_action"] != nil {
		t.Fatalf("not expired: %v", r)
	}
	calls := list(run, "required_action", "submit_tool_outputs", "tool_calls")
	e := a.fail(400, "POST", "/threads/"+tid+"/runs/"+rid+"/submit_tool_outputs", map[string]any{"tool_outputs": []any{
		map[string]any{"tool_call_id": str(calls, 0, "id"), "output": "1"},
		map[string]any{"tool_call_id": str(calls, 1, "id"), "output": "2"}}})
	if !strings.Contains(str(e, "message"), "expired") {
		t.Errorf("submit after expiry: %v", e)
	}
	steps := a.ok("GET", "/threads/"+tid+"/runs/"+rid+"/steps", nil)
	if str(steps, "data", 0, "status") != "expired" || get(steps, "data", 0, "expired_at") == nil {
		t.Errorf("expired step: %v", steps)
	}
}

func TestCodeInterpreterRun(t *testing.T) {
	a := newAPI(t)
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "tools": []any{map[string]any{"type": "code_interpreter"}}})
	run := a.ok("POST", "/threads/runs", map[string]any{"assistant_id": str(as, "id"), "thread": map[string]any{
		"messages": []any{map[string]any{"role": "user", "content": "Generate the first 20 fibbonaci numbers with code."}}}})
	tid, rid := str(run, "thread_id"), str(run, "id")
	checkID(t, "thread", tid)
	a.poll(tid, rid, "completed")
	steps := a.ok("GET", "/threads/"+tid+"/runs/"+rid+"/steps?order=asc", nil)
	code := get(steps, "data", 0, "step_details", "tool_calls", 0)
	if str(code, "type") != "code_interpreter" || !strings.Contains(str(code, "code_interpreter", "input"), "def generate_fibonacci") ||
		!strings.Contains(str(code, "code_interpreter", "outputs", 0, "logs"), "2584, 4181]") {
		t.Errorf("code step: %v", code)
	}
	if str(steps, "data", 1, "type") != "message_creation" {
		t.Errorf("second step: %v", steps)
	}
	msgs := a.ok("GET", "/threads/"+tid+"/messages?limit=1", nil)
	if text := str(msgs, "data", 0, "content", 0, "text", "value"); !strings.Contains(text, "The first 20 Fibonacci numbers are: 0, 1, 1, 2") {
		t.Errorf("answer: %q", text)
	}
}

func TestQuizArguments(t *testing.T) {
	a := newAPI(t)
	// Raw JSON keeps the schema's property order (a Go map would sort it).
	quiz := json.RawMessage(`{"type":"function","function":{"name":"display_quiz",
		"description":"Displays a quiz to the student, and returns the student's response. A single quiz can have multiple questions.",
		"parameters":{"type":"object","properties":{"title":{"type":"string"},
		"questions":{"type":"array","description":"An array of questions, each with a title and potentially options (if multiple choice).",
		"items":{"type":"object","properties":{"question_text":{"type":"string"},
		"question_type":{"type":"string","enum":["MULTIPLE_CHOICE","FREE_RESPONSE"]},
		"choices":{"type":"array","items":{"type":"string"}}},"required":["question_text"]}}},
		"required":["title","questions"]}}}`)
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "instructions": "You are a personal math tutor.",
		"tools": []any{map[string]any{"type": "code_interpreter"}, map[string]any{"type": "file_search"}, quiz}})
	run := a.ok("POST", "/threads/runs", map[string]any{"assistant_id": str(as, "id"), "thread": map[string]any{"messages": []any{
		map[string]any{"role": "user", "content": "Make a quiz with 2 questions: One open ended, one multiple choice. Then, give me feedback for the responses."}}}})
	run = a.poll(str(run, "thread_id"), str(run, "id"), "requires_action")
	call := get(run, "required_action", "submit_tool_outputs", "tool_calls", 0)
	var args struct {
		Title     string `json:"title"`
		Questions []struct {
			Text    string   `json:"question_text"`
			Type    string   `json:"question_type"`
			Choices []string `json:"choices"`
		} `json:"questions"`
	}
	if err := json.Unmarshal([]byte(str(call, "function", "arguments")), &args); err != nil {
		t.Fatal(err)
	}
	if str(call, "function", "name") != "display_quiz" || args.Title != "Math Quiz" || len(args.Questions) != 2 ||
		args.Questions[0].Type != "MULTIPLE_CHOICE" || len(args.Questions[0].Choices) != 4 ||
		args.Questions[1].Type != "FREE_RESPONSE" || args.Questions[1].Choices != nil {
		t.Errorf("quiz arguments: %s", str(call, "function", "arguments"))
	}
	if !strings.HasPrefix(str(call, "function", "arguments"), `{"title":"Math Quiz","questions":[`) {
		t.Errorf("arguments keep schema order: %s", str(call, "function", "arguments"))
	}
}
