package assistants

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stAccEvent is an event for feeding an accumulator or a Handler in tests.
type stAccEvent struct{ typ, data string }

func stApplyAll(t *testing.T, a *accumulator, events ...stAccEvent) {
	t.Helper()
	for i, e := range events {
		require.NoError(t, a.apply(e.typ, []byte(e.data)), "event %d (%s)", i, e.typ)
	}
}

func stTextDeltaEvent(msgID string, index int, value string) stAccEvent {
	v, _ := json.Marshal(value)
	return stAccEvent{EventThreadMessageDelta, fmt.Sprintf(`{"id":%q,"object":"thread.message.delta","delta":{"content":[{"index":%d,"type":"text","text":{"value":%s}}]}}`, msgID, index, v)}
}

func stMessageEvent(typ, msgID, status, content string) stAccEvent {
	return stAccEvent{typ, fmt.Sprintf(`{"id":%q,"object":"thread.message","thread_id":"thread_1","run_id":"run_1","role":"assistant","status":%q,"content":%s}`, msgID, status, content)}
}

func stStepEvent(typ, stepID, status, details string) stAccEvent {
	return stAccEvent{typ, fmt.Sprintf(`{"id":%q,"object":"thread.run.step","run_id":"run_1","thread_id":"thread_1","type":"tool_calls","status":%q,"step_details":%s}`, stepID, status, details)}
}

func stStepDeltaEvent(stepID, toolCalls string) stAccEvent {
	return stAccEvent{EventThreadRunStepDelta, fmt.Sprintf(`{"id":%q,"object":"thread.run.step.delta","delta":{"step_details":{"type":"tool_calls","tool_calls":%s}}}`, stepID, toolCalls)}
}

func stRunEvent(typ, status string) stAccEvent {
	return stAccEvent{typ, fmt.Sprintf(`{"id":"run_1","object":"thread.run","thread_id":"thread_1","assistant_id":"asst_1","status":%q}`, status)}
}

func TestAccumulateTextConcatenation(t *testing.T) {
	a := newAccumulator()
	pieces := []string{"Hello", ", ", "wörld", " \"quoted\"\n", "tab\there", " 😀", "", "end."}
	stApplyAll(t, a, stMessageEvent(EventThreadMessageCreated, "msg_1", "in_progress", "[]"))
	var want strings.Builder
	for _, p := range pieces {
		stApplyAll(t, a, stTextDeltaEvent("msg_1", 0, p))
		assert.Equal(t, p, a.textDelta, "text delta of the event")
		want.WriteString(p)
	}
	// Escapes written by other encoders: \u escapes and surrogate pairs.
	stApplyAll(t, a, stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":0,"type":"text","text":{"value":"\u00e9\ud83d\ude00\/\ud800x"}}]}}`})
	want.WriteString("é😀/\uFFFDx")

	msgs := a.messages()
	require.Len(t, msgs, 1)
	require.Len(t, msgs[0].Content, 1)
	assert.Equal(t, ContentTypeText, msgs[0].Content[0].Type)
	assert.Equal(t, want.String(), msgs[0].Content[0].Text.Value)
	assert.Equal(t, RoleAssistant, msgs[0].Role)
	assert.Nil(t, msgs[0].Raw(), "a snapshot changed by deltas has no raw JSON")
	assert.NotNil(t, msgs[0].Content[0].Text.Annotations, "annotations are an empty list, as in the API")
}

func TestAccumulateTextMatchesEncodingJSON(t *testing.T) {
	// The fast path must decode strings exactly like encoding/json.
	for _, raw := range []string{
		`"plain"`, `"a\"b\\c\/d\b\f\n\r\t"`, `"\u0041\u00e9\u4e2d"`, `"\ud83d\ude00"`, `"\ud83d"`, `"\ude00x"`,
		`"\ud83d\u0041"`, "\"bad utf8 \xff\xfe end\"", `"µ€😀"`, `""`,
	} {
		var want string
		require.NoError(t, json.Unmarshal([]byte(raw), &want), raw)
		a := newAccumulator()
		stApplyAll(t, a, stAccEvent{EventThreadMessageDelta, `{"id":"m","delta":{"content":[{"index":0,"type":"text","text":{"value":` + raw + `}}]}}`})
		assert.Equal(t, want, a.messages()[0].Content[0].Text.Value, raw)
	}
}

func TestAccumulateAnnotationsAppended(t *testing.T) {
	a := newAccumulator()
	stApplyAll(t, a,
		stMessageEvent(EventThreadMessageCreated, "msg_1", "in_progress", "[]"),
		stTextDeltaEvent("msg_1", 0, "See the report"),
		stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":0,"type":"text","text":{"value":"【4:0†source】","annotations":[{"index":0,"type":"file_citation","text":"【4:0†source】","start_index":14,"end_index":26,"file_citation":{"file_id":"file-A"}}]}}]}}`},
		stTextDeltaEvent("msg_1", 0, " and "),
		stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":0,"type":"text","text":{"value":"【4:1†source】","annotations":[{"index":1,"type":"file_citation","text":"【4:1†source】","start_index":31,"end_index":43,"file_citation":{"file_id":"file-B"}}]}}]}}`},
		// The same annotation again (index 1) merges instead of duplicating.
		stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":0,"type":"text","text":{"annotations":[{"index":1,"file_citation":{"file_id":"file-B","quote":"q"}}]}}]}}`},
	)
	text := a.messages()[0].Content[0].Text
	assert.Equal(t, "See the report【4:0†source】 and 【4:1†source】", text.Value)
	require.Len(t, text.Annotations, 2)
	assert.Equal(t, Annotation{Type: AnnotationTypeFileCitation, Text: "【4:0†source】", StartIndex: 14, EndIndex: 26, FileCitation: &FileCitation{FileID: "file-A"}}, text.Annotations[0])
	assert.Equal(t, Annotation{Type: AnnotationTypeFileCitation, Text: "【4:1†source】", StartIndex: 31, EndIndex: 43, FileCitation: &FileCitation{FileID: "file-B", Quote: "q"}}, text.Annotations[1])
}

func TestAccumulatePartsMergedByIndex(t *testing.T) {
	a := newAccumulator()
	stApplyAll(t, a,
		stMessageEvent(EventThreadMessageCreated, "msg_1", "in_progress", "[]"),
		stTextDeltaEvent("msg_1", 0, "Here is the chart"),
		stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":1,"type":"image_file","image_file":{"file_id":"file-img"}}]}}`},
		stTextDeltaEvent("msg_1", 2, "It shows"),
		stTextDeltaEvent("msg_1", 0, ":"),
		stTextDeltaEvent("msg_1", 2, " growth."),
		stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":3,"type":"refusal","refusal":"I can't"},{"index":3,"type":"refusal","refusal":" say more."}]}}`},
	)
	content := a.messages()[0].Content
	require.Len(t, content, 4)
	assert.Equal(t, "Here is the chart:", content[0].Text.Value)
	assert.Equal(t, ContentTypeImageFile, content[1].Type)
	assert.Equal(t, &ImageFile{FileID: "file-img"}, content[1].ImageFile)
	assert.Nil(t, content[1].Text)
	assert.Equal(t, "It shows growth.", content[2].Text.Value)
	assert.Equal(t, ContentTypeRefusal, content[3].Type)
	assert.Equal(t, "I can't say more.", content[3].Refusal)
}

func TestAccumulateIndexPastEndDoesNotDuplicate(t *testing.T) {
	a := newAccumulator()
	stApplyAll(t, a,
		// Part 2 arrives first: the list is padded, not appended to.
		stTextDeltaEvent("msg_1", 2, "third"),
		stTextDeltaEvent("msg_1", 0, "first"),
		stTextDeltaEvent("msg_1", 2, "!"),
		stTextDeltaEvent("msg_1", 1, "second"),
		stTextDeltaEvent("msg_1", 0, "!"),
	)
	content := a.messages()[0].Content
	require.Len(t, content, 3)
	assert.Equal(t, "first!", content[0].Text.Value)
	assert.Equal(t, "second", content[1].Text.Value)
	assert.Equal(t, "third!", content[2].Text.Value)

	// A gap that is never filled is left out of the snapshot.
	stApplyAll(t, a, stStepDeltaEvent("step_1", `[{"index":1,"id":"call_b","type":"function","function":{"name":"b","arguments":"{}"}}]`))
	calls := a.runSteps()[0].StepDetails.ToolCalls
	require.Len(t, calls, 1)
	assert.Equal(t, "call_b", calls[0].ID)
	stApplyAll(t, a, stStepDeltaEvent("step_1", `[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":"{}"}}]`))
	calls = a.runSteps()[0].StepDetails.ToolCalls
	require.Len(t, calls, 2)
	assert.Equal(t, "call_a", calls[0].ID)
	assert.Equal(t, "call_b", calls[1].ID)
	assert.Nil(t, calls[0].Index, "snapshots leave Index nil")
}

func TestAccumulateIndexesStartOverPerMessageAndStep(t *testing.T) {
	a := newAccumulator()
	stApplyAll(t, a,
		stTextDeltaEvent("msg_1", 0, "one"),
		stTextDeltaEvent("msg_2", 0, "two"),
		stTextDeltaEvent("msg_1", 0, " more"),
		stStepDeltaEvent("step_1", `[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":"}}]`),
		stStepDeltaEvent("step_2", `[{"index":0,"id":"call_2","type":"function","function":{"name":"g","arguments":"{}"}}]`),
		stStepDeltaEvent("step_1", `[{"index":0,"function":{"arguments":"1}"}}]`),
	)
	msgs := a.messages()
	require.Len(t, msgs, 2)
	assert.Equal(t, "msg_1", msgs[0].ID)
	assert.Equal(t, "one more", msgs[0].Text())
	assert.Equal(t, "two", msgs[1].Text())
	steps := a.runSteps()
	require.Len(t, steps, 2)
	require.Len(t, steps[0].StepDetails.ToolCalls, 1)
	require.Len(t, steps[1].StepDetails.ToolCalls, 1)
	assert.Equal(t, &FunctionToolCall{Name: "f", Arguments: `{"a":1}`}, steps[0].StepDetails.ToolCalls[0].Function)
	assert.Equal(t, &FunctionToolCall{Name: "g", Arguments: `{}`}, steps[1].StepDetails.ToolCalls[0].Function)
}

func TestAccumulateToolCallArgumentsAndCodeInput(t *testing.T) {
	a := newAccumulator()
	stApplyAll(t, a,
		stStepEvent(EventThreadRunStepCreated, "step_1", "in_progress", `{"type":"tool_calls","tool_calls":[]}`),
		stStepDeltaEvent("step_1", `[{"index":0,"id":"call_f","type":"function","function":{"name":"get_weather","arguments":"","output":null}}]`),
		stStepDeltaEvent("step_1", `[{"index":0,"type":"function","function":{"arguments":"{\"loc"}}]`),
		stStepDeltaEvent("step_1", `[{"index":0,"type":"function","function":{"name":"get_weather","arguments":"ation\":\"SF\"}"}}]`),
		stStepDeltaEvent("step_1", `[{"index":1,"id":"call_c","type":"code_interpreter","code_interpreter":{"input":"","outputs":[]}}]`),
		stStepDeltaEvent("step_1", `[{"index":1,"type":"code_interpreter","code_interpreter":{"input":"print("}}]`),
		stStepDeltaEvent("step_1", `[{"index":1,"type":"code_interpreter","code_interpreter":{"input":"1+1)"}}]`),
	)
	calls := a.runSteps()[0].StepDetails.ToolCalls
	require.Len(t, calls, 2)
	assert.Equal(t, ToolCall{ID: "call_f", Type: ToolTypeFunction, Function: &FunctionToolCall{Name: "get_weather", Arguments: `{"location":"SF"}`}}, calls[0])
	assert.Equal(t, "call_c", calls[1].ID)
	assert.Equal(t, "print(1+1)", calls[1].CodeInterpreter.Input)
	assert.Empty(t, calls[1].CodeInterpreter.Outputs)
}

func TestAccumulateCodeOutputsAppended(t *testing.T) {
	a := newAccumulator()
	stApplyAll(t, a,
		stStepDeltaEvent("step_1", `[{"index":0,"id":"call_c","type":"code_interpreter","code_interpreter":{"input":"x"}}]`),
		stStepDeltaEvent("step_1", `[{"index":0,"code_interpreter":{"outputs":[{"index":0,"type":"logs","logs":"line 1\n"}]}}]`),
		stStepDeltaEvent("step_1", `[{"index":0,"code_interpreter":{"outputs":[{"index":0,"type":"logs","logs":"line 2\n"}]}}]`),
		stStepDeltaEvent("step_1", `[{"index":0,"code_interpreter":{"outputs":[{"index":1,"type":"image","image":{"file_id":"file-png"}}]}}]`),
	)
	outs := a.runSteps()[0].StepDetails.ToolCalls[0].CodeInterpreter.Outputs
	require.Len(t, outs, 2)
	assert.Equal(t, CodeOutput{Type: "logs", Logs: "line 1\nline 2\n"}, outs[0])
	assert.Equal(t, CodeOutput{Type: "image", Image: &CodeImage{FileID: "file-png"}}, outs[1])
}

func TestAccumulateCompletedReplacesSnapshot(t *testing.T) {
	a := newAccumulator()
	stApplyAll(t, a,
		stMessageEvent(EventThreadMessageCreated, "msg_1", "in_progress", "[]"),
		stTextDeltaEvent("msg_1", 0, "draft tex"),
		stMessageEvent(EventThreadMessageCompleted, "msg_1", "completed", `[{"type":"text","text":{"value":"Final text.","annotations":[]}}]`),
		stStepDeltaEvent("step_1", `[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"partial"}}]`),
		stStepEvent(EventThreadRunStepCompleted, "step_1", "completed", `{"type":"tool_calls","tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}","output":"42"}}]}`),
	)
	msgs := a.messages()
	require.Len(t, msgs, 1)
	assert.Equal(t, MessageStatusCompleted, msgs[0].Status)
	assert.Equal(t, "Final text.", msgs[0].Text())
	assert.NotNil(t, msgs[0].Raw(), "an unchanged full object keeps its JSON")
	assert.Equal(t, "completed", msgs[0].Get("status").String())
	step := a.runSteps()[0]
	assert.Equal(t, StepStatusCompleted, step.Status)
	assert.Equal(t, []ToolCall{{ID: "call_1", Type: ToolTypeFunction, Function: &FunctionToolCall{Name: "f", Arguments: "{}", Output: "42"}}}, step.StepDetails.ToolCalls)
}

func TestAccumulateInProgressObjectKeepsDeltas(t *testing.T) {
	a := newAccumulator()
	stApplyAll(t, a,
		stMessageEvent(EventThreadMessageCreated, "msg_1", "in_progress", "[]"),
		stTextDeltaEvent("msg_1", 0, "kept"),
		stMessageEvent(EventThreadMessageInProgress, "msg_1", "in_progress", "[]"),
		stStepDeltaEvent("step_1", `[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]`),
		stStepEvent(EventThreadRunStepInProgress, "step_1", "in_progress", `{"type":"tool_calls","tool_calls":[]}`),
	)
	assert.Equal(t, "kept", a.messages()[0].Text())
	assert.Len(t, a.runSteps()[0].StepDetails.ToolCalls, 1)
	assert.Equal(t, StepStatusInProgress, a.runSteps()[0].Status)
}

// stCallbackLog records Handler callbacks as short strings.
type stCallbackLog struct{ lines []string }

func (l *stCallbackLog) add(format string, args ...any) {
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
}

func stLoggingHandler(l *stCallbackLog) *Handler {
	return &Handler{
		OnTextCreated: func(_ context.Context, t *Text) error { l.add("text created %q", t.Value); return nil },
		OnTextDelta: func(_ context.Context, d *TextDelta, s *Text) error {
			l.add("text delta %q -> %q", d.Value, s.Value)
			return nil
		},
		OnTextDone:      func(_ context.Context, t *Text) error { l.add("text done %q", t.Value); return nil },
		OnImageFileDone: func(_ context.Context, f *ImageFile) error { l.add("image done %s", f.FileID); return nil },
		OnToolCallCreated: func(_ context.Context, c *ToolCall) error {
			l.add("call created %s", c.ID)
			return nil
		},
		OnToolCallDone: func(_ context.Context, c *ToolCall) error {
			args := ""
			if c.Function != nil {
				args = c.Function.Arguments
			}
			l.add("call done %s %s", c.ID, args)
			return nil
		},
		OnMessageDone: func(_ context.Context, m *Message) error { l.add("message done %s", m.ID); return nil },
		OnRunStepDone: func(_ context.Context, s *RunStep) error { l.add("step done %s", s.ID); return nil },
		OnEnd:         func(_ context.Context, r *Run) error { l.add("end %s", r.Status); return nil },
	}
}

func stFeedHandler(t *testing.T, h *Handler, events ...stAccEvent) {
	t.Helper()
	for i, e := range events {
		require.NoError(t, h.HandleEvent(context.Background(), Event{Type: e.typ, Data: json.RawMessage(e.data)}), "event %d (%s)", i, e.typ)
	}
}

func TestAccumulateToolCallDoneFiresOnce(t *testing.T) {
	var l stCallbackLog
	h := stLoggingHandler(&l)
	stFeedHandler(t, h,
		stRunEvent(EventThreadRunInProgress, "in_progress"),
		stStepEvent(EventThreadRunStepCreated, "step_1", "in_progress", `{"type":"tool_calls","tool_calls":[]}`),
		stStepDeltaEvent("step_1", `[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":""}}]`),
		stStepDeltaEvent("step_1", `[{"index":0,"function":{"arguments":"{}"}}]`),
		// The next call starts: call_a is done.
		stStepDeltaEvent("step_1", `[{"index":1,"id":"call_b","type":"function","function":{"name":"b","arguments":"{\"x\""}}]`),
		stStepDeltaEvent("step_1", `[{"index":1,"function":{"arguments":":1}"}}]`),
		// The run waits for outputs: call_b is done.
		stRunEvent(EventThreadRunRequiresAction, "requires_action"),
		// After the submission the step completes (with outputs) and the run
		// ends: nothing fires twice.
		stRunEvent(EventThreadRunQueued, "queued"),
		stStepEvent(EventThreadRunStepCompleted, "step_1", "completed", `{"type":"tool_calls","tool_calls":[{"id":"call_a","type":"function","function":{"name":"a","arguments":"{}","output":"1"}},{"id":"call_b","type":"function","function":{"name":"b","arguments":"{\"x\":1}","output":"2"}}]}`),
		// A second step whose call never streamed gets created+done at completion.
		stStepEvent(EventThreadRunStepCompleted, "step_2", "completed", `{"type":"tool_calls","tool_calls":[{"id":"call_c","type":"code_interpreter","code_interpreter":{"input":"1","outputs":[]}}]}`),
		// A third step streamed but never completed: done at the run's end.
		stStepDeltaEvent("step_3", `[{"index":0,"id":"call_d","type":"function","function":{"name":"d","arguments":"{}"}}]`),
		stRunEvent(EventThreadRunCompleted, "completed"),
	)
	assert.Equal(t, []string{
		"call created call_a",
		"call done call_a {}",
		"call created call_b",
		"call done call_b {\"x\":1}",
		"step done step_1",
		"call created call_c",
		"call done call_c ",
		"step done step_2",
		"call created call_d",
		"call done call_d {}",
		"end completed",
	}, l.lines)
}

func TestAccumulateTextDoneFiresOnce(t *testing.T) {
	var l stCallbackLog
	h := stLoggingHandler(&l)
	stFeedHandler(t, h,
		stMessageEvent(EventThreadMessageCreated, "msg_1", "in_progress", "[]"),
		stTextDeltaEvent("msg_1", 0, "A"),
		stTextDeltaEvent("msg_1", 0, "B"),
		stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":1,"type":"image_file","image_file":{"file_id":"file-1"}}]}}`},
		stTextDeltaEvent("msg_1", 2, "C"),
		stMessageEvent(EventThreadMessageCompleted, "msg_1", "completed", `[{"type":"text","text":{"value":"AB","annotations":[]}},{"type":"image_file","image_file":{"file_id":"file-1"}},{"type":"text","text":{"value":"C","annotations":[]}}]`),
		// A message that arrives whole still gets created and done once.
		stMessageEvent(EventThreadMessageCompleted, "msg_2", "completed", `[{"type":"text","text":{"value":"whole","annotations":[]}}]`),
		stRunEvent(EventThreadRunCompleted, "completed"),
	)
	assert.Equal(t, []string{
		`text created "A"`,
		`text delta "A" -> "A"`,
		`text delta "B" -> "AB"`,
		`text done "AB"`,
		`image done file-1`,
		`text created "C"`,
		`text delta "C" -> "C"`,
		`text done "C"`,
		`message done msg_1`,
		`text created "whole"`,
		`text done "whole"`,
		`message done msg_2`,
		`end completed`,
	}, l.lines)
}

func TestAccumulateMalformedKnownEvents(t *testing.T) {
	for _, e := range []stAccEvent{
		{EventThreadMessageDelta, `not json`},
		{EventThreadMessageDelta, `{"id":"m","delta":{"content":[{"index":-1,"type":"text"}]}}`},
		{EventThreadMessageDelta, `{"id":"m","delta":{"content":[{"index":99999999,"type":"text"}]}}`},
		{EventThreadMessageDelta, `{"id":"m","delta":{"content":[{"index":0,"text":{"value":"\x"}}]}}`},
		{EventThreadMessageDelta, `{"id":"m","delta":{"content":[{"index":0,"text":{"value":1}}]}}`},
		{EventThreadMessageDelta, `{"id":"m"} trailing`},
		{EventThreadMessageDelta, `{"id":"m","delta":{"content":[{"index":0,}]}}`},
		{EventThreadRunStepDelta, `{"id":"s","delta":{"step_details":{"tool_calls":[{"index":20000}]}}}`},
		{EventThreadRunCreated, `[1,2]`},
		{EventThreadMessageCompleted, `{"content":"x"}`},
	} {
		err := newAccumulator().apply(e.typ, []byte(e.data))
		assert.Error(t, err, "%s %s", e.typ, e.data)
		if err != nil {
			assert.Contains(t, err.Error(), "decoding "+e.typ+" event")
		}
	}
	// Unknown events are ignored, whatever their data.
	assert.NoError(t, newAccumulator().apply("thread.run.step.something_new", []byte("not json")))
}

func TestJSONScanner(t *testing.T) {
	valid := []string{`{}`, ` { "a" : [1, -2.5e3, true, false, null, "s", {"b": []}] } `, `{"a\"b":"c"}`}
	for _, s := range valid {
		it := iterObject([]byte(s))
		for _, _, ok := it.next(0); ok; _, _, ok = it.next(0) {
		}
		assert.NoError(t, it.finish(), s)
	}
	invalid := []string{`{`, `{"a"}`, `{"a":}`, `{"a":1,}`, `{"a":[1,]}`, `{"a":tru}`, `{"a":"x` + "\x01" + `"}`, `{"a":1} x`, `{"a":{"b":1}`, strings.Repeat("[", 20000)}
	for _, s := range invalid {
		it := iterObject([]byte(`{"k":` + s + `}`))
		for _, _, ok := it.next(0); ok; _, _, ok = it.next(0) {
		}
		assert.Error(t, it.finish(), s)
	}
	it := iterObject([]byte(`[]`))
	assert.Error(t, it.finish())
}
