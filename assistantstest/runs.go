package assistantstest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

var runFields = []string{"assistant_id", "model", "reasoning_effort", "instructions", "additional_instructions",
	"additional_messages", "tools", "metadata", "temperature", "top_p", "stream", "max_prompt_tokens",
	"max_completion_tokens", "truncation_strategy", "tool_choice", "parallel_tool_calls", "response_format"}

var threadRunFields = []string{"assistant_id", "thread", "model", "instructions", "tools", "tool_resources",
	"metadata", "temperature", "top_p", "stream", "max_prompt_tokens", "max_completion_tokens",
	"truncation_strategy", "tool_choice", "parallel_tool_calls", "response_format"}

// runSpec is a validated run creation request.
type runSpec struct {
	assistant      *assistantObj
	model          string
	instructions   *string
	additional     string
	messages       []*messageSpec
	tools          []toolObj
	toolsSet       bool
	metadata       map[string]string
	temperature    *float64
	topP           *float64
	stream         bool
	maxPrompt      *int
	maxCompletion  *int
	truncation     truncationObj
	toolChoice     json.RawMessage
	parallel       bool
	responseFormat json.RawMessage
	resources      *toolResources
}

// parseRun validates the fields shared by create run and create thread and
// run. The caller holds s.mu.
func (s *Server) parseRun(o *object) (*runSpec, *apiError) {
	spec := &runSpec{parallel: true}
	var e *apiError
	id, e := o.str("assistant_id", true)
	if e != nil {
		return nil, e
	}
	if spec.model, e = o.str("model", false); e != nil {
		return nil, e
	}
	if o.has("reasoning_effort") {
		re, e := o.str("reasoning_effort", false)
		if e != nil {
			return nil, e
		}
		if e := enumErr("reasoning_effort", re, "minimal", "low", "medium", "high"); e != nil {
			return nil, e
		}
	}
	if spec.instructions, e = o.nullableStr("instructions", 256000); e != nil {
		return nil, e
	}
	if spec.additional, e = o.str("additional_instructions", false); e != nil {
		return nil, e
	}
	items, e := o.array("additional_messages", 0, 0)
	if e != nil {
		return nil, e
	}
	for i, raw := range items {
		mo, e := o.item("additional_messages", i, raw, messageFields...)
		if e != nil {
			return nil, e
		}
		m, e := s.parseMessage(mo)
		if e != nil {
			return nil, e
		}
		spec.messages = append(spec.messages, m)
	}
	if o.has("tools") {
		spec.toolsSet = true
		if spec.tools, e = parseTools(o, "tools", 20); e != nil {
			return nil, e
		}
	}
	if spec.metadata, e = o.metadata("metadata"); e != nil {
		return nil, e
	}
	if spec.temperature, e = o.number("temperature", 0, 2); e != nil {
		return nil, e
	}
	if spec.topP, e = o.number("top_p", 0, 1); e != nil {
		return nil, e
	}
	stream, e := o.boolean("stream")
	if e != nil {
		return nil, e
	}
	spec.stream = stream != nil && *stream
	if spec.maxPrompt, e = o.integer("max_prompt_tokens", 256, 1<<30); e != nil {
		return nil, e
	}
	if spec.maxCompletion, e = o.integer("max_completion_tokens", 256, 1<<30); e != nil {
		return nil, e
	}
	if spec.truncation, e = parseTruncation(o, "truncation_strategy"); e != nil {
		return nil, e
	}
	if spec.toolChoice, e = parseToolChoice(o, "tool_choice"); e != nil {
		return nil, e
	}
	par, e := o.boolean("parallel_tool_calls")
	if e != nil {
		return nil, e
	}
	if par != nil {
		spec.parallel = *par
	}
	if spec.responseFormat, e = parseResponseFormat(o, "response_format"); e != nil {
		return nil, e
	}
	spec.assistant = s.assistants[id]
	if spec.assistant == nil {
		return nil, errNotFound("assistant", id)
	}
	return spec, nil
}

// newRun creates a queued run on t. The caller holds s.mu.
func (s *Server) newRun(t *threadObj, spec *runSpec) *runObj {
	a := spec.assistant
	now := s.now()
	for _, m := range spec.messages {
		s.addMessage(t, m, nil, nil)
	}
	run := &runObj{ID: newID("run_", 24), Object: "thread.run", CreatedAt: now.Unix(), ThreadID: t.ID,
		AssistantID: a.ID, Status: "queued", ExpiresAt: i64p(now.Add(s.cfg.runExpiry).Unix()),
		Model: a.Model, Tools: append([]toolObj{}, a.Tools...), Metadata: spec.metadata,
		Temperature: a.Temperature, TopP: a.TopP, MaxPromptTokens: spec.maxPrompt,
		MaxCompletionTokens: spec.maxCompletion, TruncationStrategy: spec.truncation,
		ToolChoice: spec.toolChoice, ParallelToolCalls: spec.parallel, ResponseFormat: a.ResponseFormat,
		seq: s.nextSeq(), thread: t, lastChange: now, deadline: now.Add(s.cfg.runExpiry), resources: spec.resources}
	run.ToolResources = spec.resources
	if run.ToolResources == nil {
		run.ToolResources = &toolResources{}
	}
	if spec.model != "" {
		run.Model = spec.model
	}
	if a.Instructions != nil {
		run.Instructions = *a.Instructions
	}
	if spec.instructions != nil {
		run.Instructions = *spec.instructions
	}
	if spec.additional != "" {
		if run.Instructions != "" {
			run.Instructions += "\n"
		}
		run.Instructions += spec.additional
	}
	if spec.toolsSet {
		run.Tools = spec.tools
	}
	if spec.temperature != nil {
		run.Temperature = spec.temperature
	}
	if spec.topP != nil {
		run.TopP = spec.topP
	}
	if spec.responseFormat != nil {
		run.ResponseFormat = spec.responseFormat
	}
	if run.ResponseFormat == nil {
		run.ResponseFormat = json.RawMessage(`"auto"`)
	}
	t.runs = append(t.runs, run)
	s.logRun(run, "")
	return run
}

func (s *Server) setPollAfter(w http.ResponseWriter) {
	w.Header().Set("openai-poll-after-ms", strconv.FormatInt(s.cfg.pollAfter.Milliseconds(), 10))
}

func (s *Server) writeRun(w http.ResponseWriter, body []byte) {
	s.setPollAfter(w)
	writeOK(w, body)
}

func (s *Server) createRun(w http.ResponseWriter, r *http.Request) {
	if _, e := parseInclude(r); e != nil {
		writeAPIError(w, e)
		return
	}
	o, e := readObject(r, runFields...)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	tid := r.PathValue("thread_id")
	s.touchThread(r.Context(), tid)
	s.mu.Lock()
	t, e := s.thread(tid)
	if e != nil {
		s.mu.Unlock()
		writeAPIError(w, e)
		return
	}
	spec, e := s.parseRun(o)
	if e == nil {
		if active := activeRun(t); active != nil {
			e = errInvalid("", "", "Thread %s already has an active run %s.", t.ID, active.ID)
		}
	}
	if e != nil {
		s.mu.Unlock()
		writeAPIError(w, e)
		return
	}
	run := s.newRun(t, spec)
	if !spec.stream {
		body := mustJSON(run)
		s.mu.Unlock()
		s.writeRun(w, body)
		return
	}
	run.streaming = true
	var evs []event
	emit(&evs, "thread.run.created", run)
	emit(&evs, "thread.run.queued", run)
	s.mu.Unlock()
	s.streamRun(w, r, run, evs)
}

func (s *Server) createThreadAndRun(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, threadRunFields...)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	spec, e := s.parseRun(o)
	var to *object
	if e == nil {
		to, e = o.child("thread", "messages", "tool_resources", "metadata")
	}
	if e == nil {
		spec.resources, e = s.parseToolResources(o, "tool_resources", false)
	}
	if e != nil {
		s.mu.Unlock()
		writeAPIError(w, e)
		return
	}
	if to == nil {
		to = &object{prefix: "thread.", fields: map[string]json.RawMessage{}}
	}
	t, e := s.newThread(to)
	if e != nil {
		s.mu.Unlock()
		writeAPIError(w, e)
		return
	}
	run := s.newRun(t, spec)
	if !spec.stream {
		body := mustJSON(run)
		s.mu.Unlock()
		s.writeRun(w, body)
		return
	}
	run.streaming = true
	var evs []event
	emit(&evs, "thread.created", t)
	emit(&evs, "thread.run.created", run)
	emit(&evs, "thread.run.queued", run)
	s.mu.Unlock()
	s.streamRun(w, r, run, evs)
}

// touchThread brings the thread's active run up to date: it expires a run
// left too long in requires_action and, in time-driven mode (step delay >
// 0), performs the state changes that are due.
func (s *Server) touchThread(ctx context.Context, threadID string) {
	d := s.cfg.stepDelay
	for i := 0; i < 4*maxRounds; i++ {
		s.mu.Lock()
		t := s.threads[threadID]
		if t == nil {
			s.mu.Unlock()
			return
		}
		run := activeRun(t)
		if run == nil {
			s.mu.Unlock()
			return
		}
		s.expireIfDue(run, nil)
		due := d > 0 && !run.streaming && !run.busy && !stopped(run.Status) && !s.now().Before(run.lastChange.Add(d))
		s.mu.Unlock()
		if !due {
			return
		}
		if _, ok := s.advance(ctx, run, false); !ok {
			return
		}
		s.mu.Lock()
		run.lastChange = run.lastChange.Add(d)
		s.mu.Unlock()
	}
}

func (s *Server) getRun(w http.ResponseWriter, r *http.Request) {
	tid, rid := r.PathValue("thread_id"), r.PathValue("run_id")
	s.touchThread(r.Context(), tid)
	if s.cfg.stepDelay == 0 {
		s.mu.Lock()
		run, _ := s.runOf(tid, rid)
		s.mu.Unlock()
		if run != nil {
			s.advance(r.Context(), run, false)
		}
	}
	s.mu.Lock()
	run, e := s.runOf(tid, rid)
	if e != nil {
		s.mu.Unlock()
		writeAPIError(w, e)
		return
	}
	body := mustJSON(run)
	s.mu.Unlock()
	s.writeRun(w, body)
}

func (s *Server) listRuns(w http.ResponseWriter, r *http.Request) {
	p, e := parseList(r.URL.Query(), 20, 100)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.thread(r.PathValue("thread_id"))
	if e != nil {
		writeAPIError(w, e)
		return
	}
	body, e := renderList(t.runs, func(run *runObj) string { return run.ID }, p, func(run *runObj) []byte { return mustJSON(run) })
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeOK(w, body)
}

func (s *Server) modifyRun(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, "metadata")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	run, e := s.runOf(r.PathValue("thread_id"), r.PathValue("run_id"))
	if e == nil && o.present("metadata") {
		var md map[string]string
		if md, e = o.metadata("metadata"); e == nil {
			run.Metadata = md
		}
	}
	if e != nil {
		s.mu.Unlock()
		writeAPIError(w, e)
		return
	}
	body := mustJSON(run)
	s.mu.Unlock()
	s.writeRun(w, body)
}

func (s *Server) cancelRun(w http.ResponseWriter, r *http.Request) {
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	s.mu.Lock()
	run, e := s.runOf(r.PathValue("thread_id"), r.PathValue("run_id"))
	if e == nil {
		switch run.Status {
		case "queued", "in_progress", "requires_action":
			from := run.Status
			run.Status = "cancelling"
			run.RequiredAction = nil
			run.lastChange = s.now()
			s.logRun(run, from)
		default:
			e = errInvalid("", "", "Cannot cancel run with status '%s'.", run.Status)
		}
	}
	if e != nil {
		s.mu.Unlock()
		writeAPIError(w, e)
		return
	}
	body := mustJSON(run)
	s.mu.Unlock()
	s.writeRun(w, body)
}

func (s *Server) submitToolOutputs(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, "tool_outputs", "stream")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	stream, e := o.boolean("stream")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	items, e := o.array("tool_outputs", 0, 0)
	if e == nil && !o.present("tool_outputs") {
		e = errMissing("tool_outputs")
	}
	type output struct{ id, out string }
	var outs []output
	for i, raw := range items {
		if e != nil {
			break
		}
		var to *object
		if to, e = o.item("tool_outputs", i, raw, "tool_call_id", "output"); e != nil {
			break
		}
		var op output
		if op.id, e = to.str("tool_call_id", true); e != nil {
			break
		}
		if op.out, e = to.str("output", false); e != nil {
			break
		}
		outs = append(outs, op)
	}
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	s.mu.Lock()
	run, e := s.runOf(r.PathValue("thread_id"), r.PathValue("run_id"))
	if e == nil {
		s.expireIfDue(run, nil)
		if run.Status != "requires_action" || run.pending == nil {
			e = errInvalid("", "", "Runs in status \"%s\" do not accept tool outputs.", run.Status)
		}
	}
	if e == nil {
		e = checkOutputs(run.pending, func(yield func(int, string)) {
			for i, op := range outs {
				yield(i, op.id)
			}
		})
	}
	if e != nil {
		s.mu.Unlock()
		writeAPIError(w, e)
		return
	}
	var evs []event
	st := run.pending
	byID := map[string]string{}
	for _, op := range outs {
		byID[op.id] = op.out
	}
	completion := 0
	for i := range st.StepDetails.ToolCalls {
		c := &st.StepDetails.ToolCalls[i]
		out := byID[c.ID]
		c.Function.Output = &out
		completion += words(c.Function.Arguments)
		run.results = append(run.results, ToolResult{CallID: c.ID, Type: "function",
			Function: &FunctionCall{Name: c.Function.Name, Arguments: c.Function.Arguments}, Output: out})
	}
	s.completeStep(st, 0, completion)
	emit(&evs, "thread.run.step.completed", st)
	run.pending = nil
	run.RequiredAction = nil
	run.Status = "queued"
	run.lastChange = s.now()
	s.logRun(run, "requires_action")
	emit(&evs, "thread.run.queued", run)
	if stream == nil || !*stream {
		body := mustJSON(run)
		s.mu.Unlock()
		s.writeRun(w, body)
		return
	}
	run.streaming = true
	s.mu.Unlock()
	s.streamRun(w, r, run, evs)
}

// checkOutputs verifies that the submitted call ids answer every pending
// call exactly once.
func checkOutputs(st *stepObj, ids func(yield func(int, string))) *apiError {
	pending := map[string]bool{}
	var want []string
	for _, c := range st.StepDetails.ToolCalls {
		pending[c.ID] = true
		want = append(want, "'"+c.ID+"'")
	}
	seen := map[string]bool{}
	var got []string
	var e *apiError
	ids(func(i int, id string) {
		got = append(got, "'"+id+"'")
		if e != nil {
			return
		}
		param := fmt.Sprintf("tool_outputs[%d].tool_call_id", i)
		switch {
		case !pending[id]:
			e = errInvalid(param, "invalid_value", "Invalid 'tool_outputs[%d].tool_call_id': no pending tool call with id '%s'.", i, id)
		case seen[id]:
			e = errInvalid(param, "invalid_value", "Duplicate tool output for tool_call_id '%s'.", id)
		}
		seen[id] = true
	})
	if e != nil {
		return e
	}
	if len(seen) != len(pending) {
		return errInvalid("tool_outputs", "invalid_value", "Expected tool outputs for call_ids [%s], got [%s].",
			strings.Join(want, ", "), strings.Join(got, ", "))
	}
	return nil
}
