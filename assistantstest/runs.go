package assistantstest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
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
	f := o.reader()
	id := f.str("assistant_id", true)
	spec := &runSpec{model: f.str("model", false)}
	f.enum("reasoning_effort", false, "minimal", "low", "medium", "high")
	spec.instructions = f.nullableStr("instructions", 256000)
	spec.additional = f.str("additional_instructions", false)
	spec.messages = field(f, "additional_messages", s.parseMessages)
	if o.has("tools") {
		spec.toolsSet = true
		spec.tools = f.tools("tools", 20)
	}
	spec.metadata = f.metadata("metadata")
	spec.temperature = f.number("temperature", 0, 2)
	spec.topP = f.number("top_p", 0, 1)
	spec.stream = f.flag("stream", false)
	spec.maxPrompt = f.integer("max_prompt_tokens", 256, 1<<30)
	spec.maxCompletion = f.integer("max_completion_tokens", 256, 1<<30)
	spec.truncation = field(f, "truncation_strategy", parseTruncation)
	spec.toolChoice = field(f, "tool_choice", parseToolChoice)
	spec.parallel = f.flag("parallel_tool_calls", true)
	spec.responseFormat = field(f, "response_format", parseResponseFormat)
	if f.err != nil {
		return nil, f.err
	}
	if spec.assistant = s.assistants[id]; spec.assistant == nil {
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

// startRun creates a run of spec on t and answers with it or, when spec
// asks to stream, with its event stream; a stream for a new thread starts
// with thread.created. The caller holds s.mu.
func (s *Server) startRun(r *http.Request, t *threadObj, spec *runSpec, newThread bool) *reply {
	run := s.newRun(t, spec)
	if !spec.stream {
		return pollReply(run)
	}
	var evs []event
	if newThread {
		emit(&evs, "thread.created", t)
	}
	emit(&evs, "thread.run.created", run)
	emit(&evs, "thread.run.queued", run)
	return s.streamReply(r, run, evs)
}

// streamReply answers with the event stream of run, which starts with
// initial and then follows the run (see streamRun). The caller holds s.mu.
func (s *Server) streamReply(r *http.Request, run *runObj, initial []event) *reply {
	run.streaming = true
	return &reply{serve: func(w http.ResponseWriter) { s.streamRun(w, r, run, initial) }}
}

func (s *Server) createRun(r *http.Request, _ *object) (*reply, *apiError) {
	// The include[] query parameter is checked before the body, so this
	// route reads its body itself.
	if _, e := parseInclude(r); e != nil {
		return nil, e
	}
	o, e := readObject(r, runFields...)
	if e != nil {
		return nil, e
	}
	tid := r.PathValue("thread_id")
	s.touchThread(r.Context(), tid)
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.thread(tid)
	if e != nil {
		return nil, e
	}
	spec, e := s.parseRun(o)
	if e != nil {
		return nil, e
	}
	if active := activeRun(t); active != nil {
		return nil, errInvalid("", "", "Thread %s already has an active run %s.", t.ID, active.ID)
	}
	return s.startRun(r, t, spec, false), nil
}

func (s *Server) createThreadAndRun(r *http.Request, o *object) (any, *apiError) {
	spec, e := s.parseRun(o)
	if e != nil {
		return nil, e
	}
	to, e := o.child("thread", "messages", "tool_resources", "metadata")
	if e != nil {
		return nil, e
	}
	if spec.resources, e = s.parseToolResources(o, "tool_resources", false); e != nil {
		return nil, e
	}
	if to == nil {
		to = &object{prefix: "thread.", fields: map[string]json.RawMessage{}}
	}
	t, e := s.newThread(to)
	if e != nil {
		return nil, e
	}
	return s.startRun(r, t, spec, true), nil
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

// run looks up the run of the request path. The caller holds s.mu.
func (s *Server) run(r *http.Request) (*runObj, *apiError) {
	t, e := s.thread(r.PathValue("thread_id"))
	if e != nil {
		return nil, e
	}
	return find(t.runs, "run", r.PathValue("run_id"))
}

func (s *Server) getRun(r *http.Request, _ *object) (*reply, *apiError) {
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	if s.cfg.stepDelay == 0 {
		s.mu.Lock()
		run, _ := s.run(r)
		s.mu.Unlock()
		if run != nil {
			s.advance(r.Context(), run, false)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	run, e := s.run(r)
	if e != nil {
		return nil, e
	}
	return pollReply(run), nil
}

func (s *Server) listRuns(r *http.Request, _ *object) (*reply, *apiError) {
	p, e := parseList(r.URL.Query(), 20, 100)
	if e != nil {
		return nil, e
	}
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.thread(r.PathValue("thread_id"))
	if e != nil {
		return nil, e
	}
	return renderList(t.runs, p)
}

func (s *Server) modifyRun(r *http.Request, o *object) (any, *apiError) {
	run, e := s.run(r)
	if e != nil {
		return nil, e
	}
	if e := updateMetadata(o, &run.Metadata); e != nil {
		return nil, e
	}
	return pollReply(run), nil
}

func (s *Server) cancelRun(r *http.Request, _ *object) (*reply, *apiError) {
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	run, e := s.run(r)
	if e != nil {
		return nil, e
	}
	switch run.Status {
	case "queued", "in_progress", "requires_action":
		from := run.Status
		run.Status = "cancelling"
		run.RequiredAction = nil
		run.lastChange = s.now()
		s.logRun(run, from)
		return pollReply(run), nil
	}
	return nil, errInvalid("", "", "Cannot cancel run with status '%s'.", run.Status)
}

// toolOutput is one submitted tool output.
type toolOutput struct{ id, out string }

// parseToolOutputs validates the tool_outputs of a submission.
func parseToolOutputs(o *object) ([]toolOutput, *apiError) {
	items, e := o.array("tool_outputs", 0, 0)
	if e == nil && !o.present("tool_outputs") {
		e = errMissing("tool_outputs")
	}
	if e != nil {
		return nil, e
	}
	var outs []toolOutput
	for i, raw := range items {
		to, e := o.item("tool_outputs", i, raw, "tool_call_id", "output")
		if e != nil {
			return nil, e
		}
		f := to.reader()
		id := f.str("tool_call_id", true)
		out := f.str("output", false)
		if f.err != nil {
			return nil, f.err
		}
		outs = append(outs, toolOutput{id, out})
	}
	return outs, nil
}

func (s *Server) submitToolOutputs(r *http.Request, o *object) (*reply, *apiError) {
	stream, e := o.boolean("stream")
	if e != nil {
		return nil, e
	}
	outs, e := parseToolOutputs(o)
	if e != nil {
		return nil, e
	}
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	run, e := s.run(r)
	if e != nil {
		return nil, e
	}
	s.expireIfDue(run, nil)
	if run.Status != "requires_action" || run.pending == nil {
		return nil, errInvalid("", "", "Runs in status \"%s\" do not accept tool outputs.", run.Status)
	}
	e = checkOutputs(run.pending, func(yield func(int, string)) {
		for i, op := range outs {
			yield(i, op.id)
		}
	})
	if e != nil {
		return nil, e
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
		return pollReply(run), nil
	}
	return s.streamReply(r, run, evs), nil
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
