package assistantstest

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"regexp"
	"strings"
	"unicode/utf8"
)

// maxRounds bounds the model calls of one run so a model that keeps
// calling server-side tools cannot loop forever.
const maxRounds = 16

// event is one stream event with its data marshalled when it happened.
type event struct {
	name string
	data []byte
}

func emit(evs *[]event, name string, v any) {
	if evs != nil {
		*evs = append(*evs, event{name: name, data: mustJSON(v)})
	}
}

func terminal(status string) bool {
	switch status {
	case "completed", "failed", "cancelled", "expired", "incomplete":
		return true
	}
	return false
}

// stopped reports whether a run waits for nobody but the client.
func stopped(status string) bool { return terminal(status) || status == "requires_action" }

func (s *Server) logRun(run *runObj, from string) {
	if l := s.logger(); l != nil {
		l.LogAttrs(context.Background(), slog.LevelDebug, "run state",
			slog.String("run_id", run.ID), slog.String("thread_id", run.ThreadID),
			slog.String("from", from), slog.String("to", run.Status))
	}
}

// advance moves run one state forward and returns the events that this
// produced. byStream says the caller is the stream driving the run; other
// callers leave streamed runs alone. It reports false when nothing changed
// (the run is stopped, being streamed, or the model is busy or was
// interrupted).
func (s *Server) advance(ctx context.Context, run *runObj, byStream bool) ([]event, bool) {
	var evs []event
	s.mu.Lock()
	if run.streaming && !byStream {
		s.mu.Unlock()
		return nil, false
	}
	if s.expireIfDue(run, &evs) {
		s.mu.Unlock()
		return evs, true
	}
	from := run.Status
	switch run.Status {
	case "queued":
		run.Status = "in_progress"
		if run.StartedAt == nil {
			run.StartedAt = i64p(s.now().Unix())
		}
		emit(&evs, "thread.run.in_progress", run)
		s.logRun(run, from)
		s.mu.Unlock()
		return evs, true
	case "cancelling":
		s.finishRun(run, "cancelled", nil, &evs)
		s.logRun(run, from)
		s.mu.Unlock()
		return evs, true
	case "in_progress":
		if run.busy {
			s.mu.Unlock()
			return nil, false
		}
		run.busy = true
		turn := s.buildTurn(run)
		model := s.model
		s.mu.Unlock()

		reply, err := callModel(ctx, model, turn)

		s.mu.Lock()
		defer s.mu.Unlock()
		run.busy = false
		if run.Status != "in_progress" {
			return nil, false // cancelled meanwhile; the next advance finishes that
		}
		if err != nil && ctx.Err() != nil {
			return nil, false // the driving request went away; try again later
		}
		if err != nil {
			var re *RunError
			code := "server_error"
			if errors.As(err, &re) && re.Code != "" {
				code = re.Code
			}
			s.finishRun(run, "failed", &lastErrorObj{Code: code, Message: err.Error()}, &evs)
		} else {
			s.applyReply(run, turn, reply, &evs)
		}
		s.logRun(run, from)
		return evs, true
	}
	s.mu.Unlock()
	return nil, false
}

// expireIfDue expires a run left in requires_action past its deadline.
// The caller holds s.mu.
func (s *Server) expireIfDue(run *runObj, evs *[]event) bool {
	if run.Status != "requires_action" || s.now().Before(run.deadline) {
		return false
	}
	s.finishRun(run, "expired", nil, evs)
	s.logRun(run, "requires_action")
	return true
}

// finishRun ends a run in status (cancelled, expired, failed) and ends its
// unfinished steps the same way. The caller holds s.mu.
func (s *Server) finishRun(run *runObj, status string, lastErr *lastErrorObj, evs *[]event) {
	now := s.now().Unix()
	stepStatus := status
	for _, st := range run.steps {
		if st.Status != "in_progress" {
			continue
		}
		st.Status = stepStatus
		switch status {
		case "cancelled":
			st.CancelledAt = i64p(now)
		case "expired":
			st.ExpiredAt = i64p(now)
		case "failed":
			st.FailedAt = i64p(now)
			st.LastError = lastErr
		}
		emit(evs, "thread.run.step."+stepStatus, st)
	}
	run.Status = status
	run.RequiredAction = nil
	run.pending = nil
	run.ExpiresAt = nil
	switch status {
	case "cancelled":
		run.CancelledAt = i64p(now)
	case "failed":
		run.FailedAt = i64p(now)
		run.LastError = lastErr
	}
	run.Usage = &usageObj{PromptTokens: run.prompt, CompletionTokens: run.completion, TotalTokens: run.prompt + run.completion}
	emit(evs, "thread.run."+status, run)
}

func (s *Server) completeRun(run *runObj, evs *[]event) {
	run.Status = "completed"
	run.CompletedAt = i64p(s.now().Unix())
	run.ExpiresAt = nil
	run.Usage = &usageObj{PromptTokens: run.prompt, CompletionTokens: run.completion, TotalTokens: run.prompt + run.completion}
	emit(evs, "thread.run.completed", run)
}

func (s *Server) incompleteRun(run *runObj, reason string, evs *[]event) {
	run.Status = "incomplete"
	run.IncompleteDetails = &incompleteReason{Reason: reason}
	run.ExpiresAt = nil
	run.Usage = &usageObj{PromptTokens: run.prompt, CompletionTokens: run.completion, TotalTokens: run.prompt + run.completion}
	emit(evs, "thread.run.incomplete", run)
}

// buildTurn snapshots what the model may see. The caller holds s.mu.
func (s *Server) buildTurn(run *runObj) *Turn {
	t := &Turn{RunID: run.ID, ThreadID: run.ThreadID, AssistantID: run.AssistantID, Model: run.Model,
		Instructions: run.Instructions, ParallelToolCalls: run.ParallelToolCalls, Now: s.now()}
	for _, tool := range run.Tools {
		tt := Tool{Type: tool.Type}
		if tool.Function != nil {
			tt.Name, tt.Description, tt.Strict = tool.Function.Name, tool.Function.Description, tool.Function.Strict
			tt.Parameters = append(json.RawMessage(nil), tool.Function.Parameters...)
		}
		t.Tools = append(t.Tools, tt)
	}
	var tcs string
	if json.Unmarshal(run.ToolChoice, &tcs) == nil {
		t.ToolChoice.Type = tcs
	} else {
		var tc struct {
			Type     string `json:"type"`
			Function struct {
				Name string `json:"name"`
			} `json:"function"`
		}
		_ = json.Unmarshal(run.ToolChoice, &tc)
		t.ToolChoice = ToolChoice{Type: tc.Type, Function: tc.Function.Name}
	}
	var rfs string
	if json.Unmarshal(run.ResponseFormat, &rfs) == nil {
		t.ResponseFormat.Type = rfs
	} else {
		var rf struct {
			Type       string `json:"type"`
			JSONSchema struct {
				Name   string          `json:"name"`
				Schema json.RawMessage `json:"schema"`
			} `json:"json_schema"`
		}
		_ = json.Unmarshal(run.ResponseFormat, &rf)
		t.ResponseFormat = ResponseFormat{Type: rf.Type, Name: rf.JSONSchema.Name, Schema: rf.JSONSchema.Schema}
	}
	msgs := run.thread.messages
	if run.TruncationStrategy.Type == "last_messages" && run.TruncationStrategy.LastMessages != nil {
		if n := *run.TruncationStrategy.LastMessages; n < len(msgs) {
			msgs = msgs[len(msgs)-n:]
		}
	}
	for _, m := range msgs {
		tm := Message{ID: m.ID, Role: m.Role, Text: m.text()}
		if m.RunID != nil {
			tm.RunID = *m.RunID
		}
		t.Messages = append(t.Messages, tm)
	}
	t.Results = append(t.Results, run.results...)
	t.Documents = s.documentsFor(run)
	return t
}

func turnTokens(t *Turn) int {
	n := words(t.Instructions)
	for _, m := range t.Messages {
		n += words(m.Text)
	}
	for _, r := range t.Results {
		n += words(r.Output)
		if r.CodeInterpreter != nil {
			n += words(r.CodeInterpreter.Logs)
		}
		for _, h := range r.Hits {
			n += words(h.Text)
		}
	}
	return n
}

func (s *Server) newStep(run *runObj, typ string) *stepObj {
	st := &stepObj{ID: newID("step_", 24), Object: "thread.run.step", CreatedAt: s.now().Unix(),
		AssistantID: run.AssistantID, ThreadID: run.ThreadID, RunID: run.ID, Type: typ, Status: "in_progress",
		StepDetails: stepDetails{Type: typ}, Metadata: map[string]string{}, seq: s.nextSeq()}
	run.steps = append(run.steps, st)
	return st
}

func (s *Server) completeStep(st *stepObj, prompt, completion int) {
	st.Status = "completed"
	st.CompletedAt = i64p(s.now().Unix())
	st.Usage = &usageObj{PromptTokens: prompt, CompletionTokens: completion, TotalTokens: prompt + completion}
}

// applyReply carries out what the model decided. The caller holds s.mu.
func (s *Server) applyReply(run *runObj, turn *Turn, reply *Reply, evs *[]event) {
	run.rounds++
	prompt := turnTokens(turn)
	run.prompt += prompt
	if run.MaxPromptTokens != nil && run.prompt > *run.MaxPromptTokens {
		s.incompleteRun(run, "max_prompt_tokens", evs)
		return
	}
	if reply.Text != "" || reply.actions() == 0 {
		text, cut := reply.Text, false
		if run.MaxCompletionTokens != nil {
			left := max(*run.MaxCompletionTokens-run.completion, 0)
			if words(text) > left {
				text, cut = firstWords(text, left), true
			}
		}
		completion := words(text)
		run.completion += completion
		s.createAssistantMessage(run, text, cut, prompt, completion, evs)
		prompt = 0
		if cut {
			s.incompleteRun(run, "max_completion_tokens", evs)
			return
		}
	}
	switch {
	case len(reply.ToolCalls) > 0:
		s.startFunctionCalls(run, reply.ToolCalls, prompt, evs)
	case reply.CodeInterpreter != nil:
		s.codeInterpreterStep(run, reply.CodeInterpreter, prompt, evs)
	case reply.FileSearch != nil:
		s.fileSearchStep(run, turn, reply.FileSearch, prompt, evs)
	default:
		s.completeRun(run, evs)
		return
	}
	if run.Status == "in_progress" && run.rounds >= maxRounds {
		s.finishRun(run, "failed", &lastErrorObj{Code: "server_error", Message: "The model made too many tool calls in one run."}, evs)
	}
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if n < len(f) {
		f = f[:n]
	}
	return strings.Join(f, " ")
}

var citationRE = regexp.MustCompile(`【(\d+):(\d+)†([^】]*)】`)

// citations finds 【i:n†source】 markers citing the run's search hits and
// returns file_citation annotations with character (code point) offsets.
func citations(run *runObj, text string) []annotation {
	out := []annotation{}
	for _, loc := range citationRE.FindAllStringSubmatchIndex(text, -1) {
		n := 0
		for _, c := range text[loc[4]:loc[5]] {
			n = n*10 + int(c-'0')
		}
		if n >= len(run.searchHits) {
			continue
		}
		start := utf8.RuneCountInString(text[:loc[0]])
		marker := text[loc[0]:loc[1]]
		out = append(out, annotation{Type: "file_citation", Text: marker,
			FileCitation: &fileRef{FileID: run.searchHits[n].FileID},
			StartIndex:   start, EndIndex: start + utf8.RuneCountInString(marker)})
	}
	return out
}

// chunkText splits s into pieces for deltas: about one word each, at most
// 40 pieces.
func chunkText(s string, maxPieces int) []string {
	if s == "" {
		return nil
	}
	var pieces []string
	start := 0
	inSpace := false
	for i, r := range s {
		sp := r == ' ' || r == '\n' || r == '\t'
		if !sp && inSpace && i > start {
			pieces = append(pieces, s[start:i])
			start = i
		}
		inSpace = sp
	}
	pieces = append(pieces, s[start:])
	if len(pieces) <= maxPieces {
		return pieces
	}
	per := (len(pieces) + maxPieces - 1) / maxPieces
	var out []string
	for i := 0; i < len(pieces); i += per {
		out = append(out, strings.Join(pieces[i:min(i+per, len(pieces))], ""))
	}
	return out
}

type messageDelta struct {
	ID     string `json:"id"`
	Object string `json:"object"`
	Delta  struct {
		Content []textDeltaPart `json:"content"`
	} `json:"delta"`
}

type textDeltaPart struct {
	Index int       `json:"index"`
	Type  string    `json:"type"`
	Text  textDelta `json:"text"`
}

type textDelta struct {
	Value       *string           `json:"value,omitempty"`
	Annotations []annotationDelta `json:"annotations"`
}

type annotationDelta struct {
	Index int `json:"index"`
	annotation
}

func newMessageDelta(id string, part textDeltaPart) messageDelta {
	d := messageDelta{ID: id, Object: "thread.message.delta"}
	d.Delta.Content = []textDeltaPart{part}
	return d
}

// createAssistantMessage records a message_creation step with its message
// and emits the events the service streams for it.
func (s *Server) createAssistantMessage(run *runObj, text string, cut bool, prompt, completion int, evs *[]event) {
	now := s.now().Unix()
	st := s.newStep(run, "message_creation")
	m := &messageObj{ID: newID("msg_", 24), Object: "thread.message", CreatedAt: now, ThreadID: run.ThreadID,
		Status: "in_progress", Role: "assistant", Content: []contentPart{}, AssistantID: &run.AssistantID,
		RunID: &run.ID, Attachments: []attachment{}, Metadata: map[string]string{}, seq: s.nextSeq()}
	st.StepDetails.MessageCreation = &messageCreation{MessageID: m.ID}
	run.thread.messages = append(run.thread.messages, m)
	emit(evs, "thread.run.step.created", st)
	emit(evs, "thread.run.step.in_progress", st)
	emit(evs, "thread.message.created", m)
	emit(evs, "thread.message.in_progress", m)

	anns := citations(run, text)
	pos, next := 0, 0 // runes sent so far; next annotation to announce
	for _, piece := range chunkText(text, 40) {
		p := piece
		emit(evs, "thread.message.delta", newMessageDelta(m.ID, textDeltaPart{Type: "text", Text: textDelta{Value: &p, Annotations: []annotationDelta{}}}))
		pos += utf8.RuneCountInString(piece)
		for next < len(anns) && anns[next].EndIndex <= pos {
			emit(evs, "thread.message.delta", newMessageDelta(m.ID, textDeltaPart{Type: "text",
				Text: textDelta{Annotations: []annotationDelta{{Index: next, annotation: anns[next]}}}}))
			next++
		}
	}
	m.Content = []contentPart{{Type: "text", Text: &textContent{Value: text, Annotations: anns}}}
	if cut {
		m.Status = "incomplete"
		m.IncompleteAt = i64p(s.now().Unix())
		m.IncompleteDetails = &incompleteReason{Reason: "max_tokens"}
		emit(evs, "thread.message.incomplete", m)
	} else {
		m.Status = "completed"
		m.CompletedAt = i64p(s.now().Unix())
		emit(evs, "thread.message.completed", m)
	}
	s.completeStep(st, prompt, completion)
	emit(evs, "thread.run.step.completed", st)
}

type stepDelta struct {
	ID     string `json:"id"`
	Object string `json:"object"`
	Delta  struct {
		StepDetails struct {
			Type      string           `json:"type"`
			ToolCalls []map[string]any `json:"tool_calls"`
		} `json:"step_details"`
	} `json:"delta"`
}

func emitStepDelta(evs *[]event, st *stepObj, call map[string]any) {
	d := stepDelta{ID: st.ID, Object: "thread.run.step.delta"}
	d.Delta.StepDetails.Type = "tool_calls"
	d.Delta.StepDetails.ToolCalls = []map[string]any{call}
	emit(evs, "thread.run.step.delta", d)
}

// emitEmptyToolStep emits step.created and step.in_progress with no tool
// calls yet, as the service does before the deltas fill them in.
func emitEmptyToolStep(evs *[]event, st *stepObj) {
	cp := *st
	cp.StepDetails.ToolCalls = []stepToolCall{}
	emit(evs, "thread.run.step.created", &cp)
	emit(evs, "thread.run.step.in_progress", &cp)
}

func splitN(s string, n int) []string {
	if s == "" {
		return nil
	}
	r := []rune(s)
	per := max((len(r)+n-1)/n, 1)
	var out []string
	for i := 0; i < len(r); i += per {
		out = append(out, string(r[i:min(i+per, len(r))]))
	}
	return out
}

func (s *Server) startFunctionCalls(run *runObj, calls []FunctionCall, prompt int, evs *[]event) {
	if !run.ParallelToolCalls && len(calls) > 1 {
		calls = calls[:1]
	}
	st := s.newStep(run, "tool_calls")
	emitEmptyToolStep(evs, st)
	ra := &requiredAction{Type: "submit_tool_outputs"}
	completion := 0
	for i, c := range calls {
		id := newID("call_", 24)
		args := c.Arguments
		if args == "" {
			args = "{}"
		}
		completion += words(args)
		st.StepDetails.ToolCalls = append(st.StepDetails.ToolCalls, stepToolCall{ID: id, Type: "function",
			Function: &stepFunction{Name: c.Name, Arguments: args}})
		ra.SubmitToolOutputs.ToolCalls = append(ra.SubmitToolOutputs.ToolCalls,
			runToolCall{ID: id, Type: "function", Function: functionCall{Name: c.Name, Arguments: args}})
		emitStepDelta(evs, st, map[string]any{"index": i, "id": id, "type": "function",
			"function": map[string]any{"name": c.Name, "arguments": "", "output": nil}})
		for _, piece := range splitN(args, 3) {
			emitStepDelta(evs, st, map[string]any{"index": i, "type": "function",
				"function": map[string]any{"arguments": piece}})
		}
	}
	run.completion += completion
	st.Usage = nil
	run.pending = st
	run.RequiredAction = ra
	run.Status = "requires_action"
	run.deadline = s.now().Add(s.cfg.runExpiry)
	run.ExpiresAt = i64p(run.deadline.Unix())
	emit(evs, "thread.run.requires_action", run)
}

func (s *Server) codeInterpreterStep(run *runObj, call *CodeInterpreterCall, prompt int, evs *[]event) {
	st := s.newStep(run, "tool_calls")
	emitEmptyToolStep(evs, st)
	id := newID("call_", 24)
	code := &stepCode{Input: call.Input, Outputs: []codeOutput{}}
	emitStepDelta(evs, st, map[string]any{"index": 0, "id": id, "type": "code_interpreter",
		"code_interpreter": map[string]any{"input": "", "outputs": []any{}}})
	for _, piece := range splitN(call.Input, 4) {
		emitStepDelta(evs, st, map[string]any{"index": 0, "type": "code_interpreter",
			"code_interpreter": map[string]any{"input": piece}})
	}
	if call.Logs != "" {
		code.Outputs = append(code.Outputs, codeOutput{Type: "logs", Logs: call.Logs})
		emitStepDelta(evs, st, map[string]any{"index": 0, "type": "code_interpreter",
			"code_interpreter": map[string]any{"outputs": []any{map[string]any{"index": 0, "type": "logs", "logs": call.Logs}}}})
	}
	st.StepDetails.ToolCalls = []stepToolCall{{ID: id, Type: "code_interpreter", CodeInterpreter: code}}
	completion := words(call.Input)
	run.completion += completion
	s.completeStep(st, prompt, completion)
	emit(evs, "thread.run.step.completed", st)
	cp := *call
	run.results = append(run.results, ToolResult{CallID: id, Type: "code_interpreter", CodeInterpreter: &cp})
}

func (s *Server) fileSearchStep(run *runObj, turn *Turn, call *FileSearchCall, prompt int, evs *[]event) {
	opts := rankingOpts{Ranker: "default_2024_08_21"}
	limit := 20
	for _, t := range run.Tools {
		if t.Type == "file_search" && t.FileSearch != nil {
			opts = t.FileSearch.RankingOptions
			if t.FileSearch.MaxNumResults != nil {
				limit = *t.FileSearch.MaxNumResults
			}
		}
	}
	hits := searchDocuments(turn.Documents, call.Query, limit, opts.ScoreThreshold)
	for i := range hits {
		hits[i].Index = len(run.searchHits) + i
	}
	run.searchHits = append(run.searchHits, hits...)
	st := s.newStep(run, "tool_calls")
	emitEmptyToolStep(evs, st)
	id := newID("call_", 24)
	emitStepDelta(evs, st, map[string]any{"index": 0, "id": id, "type": "file_search", "file_search": map[string]any{}})
	fs := &stepFileSearch{RankingOptions: opts, Results: []fsResult{}}
	for _, h := range hits {
		fs.Results = append(fs.Results, fsResult{FileID: h.FileID, FileName: h.Filename, Score: h.Score,
			Content: []fsContent{{Type: "text", Text: h.Text}}})
	}
	st.StepDetails.ToolCalls = []stepToolCall{{ID: id, Type: "file_search", FileSearch: fs}}
	s.completeStep(st, prompt, 0)
	emit(evs, "thread.run.step.completed", renderableStep{st, false})
	cp := *call
	run.results = append(run.results, ToolResult{CallID: id, Type: "file_search", FileSearch: &cp, Hits: hits})
}
