package assistants

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Deltas that leave a gap in the indexes, then the complete object (which
// has no gap): each part and call is still created once and done once.
func TestAccumulateGapThenCompleteObjectFiresOnce(t *testing.T) {
	var l stCallbackLog
	h := stLoggingHandler(&l)
	stFeedHandler(t, h,
		stMessageEvent(EventThreadMessageCreated, "msg_1", "in_progress", "[]"),
		stTextDeltaEvent("msg_1", 0, "a"),
		stTextDeltaEvent("msg_1", 2, "c"),
		stMessageEvent(EventThreadMessageCompleted, "msg_1", "completed",
			`[{"type":"text","text":{"value":"a","annotations":[]}},{"type":"text","text":{"value":"c","annotations":[]}}]`),
		stStepEvent(EventThreadRunStepCreated, "step_1", "in_progress", `{"type":"tool_calls","tool_calls":[]}`),
		stStepDeltaEvent("step_1", `[{"index":0,"id":"call_a","type":"function","function":{"name":"a","arguments":"{}"}}]`),
		stStepDeltaEvent("step_1", `[{"index":3,"id":"call_b","type":"function","function":{"name":"b","arguments":"{}"}}]`),
		stStepEvent(EventThreadRunStepCompleted, "step_1", "completed", `{"type":"tool_calls","tool_calls":[`+
			`{"id":"call_a","type":"function","function":{"name":"a","arguments":"{}","output":"1"}},`+
			`{"id":"call_b","type":"function","function":{"name":"b","arguments":"{}","output":"2"}}]}`),
	)
	assert.Equal(t, []string{
		`text created "a"`, `text delta "a" -> "a"`,
		`text done "a"`, `text created "c"`, `text delta "c" -> "c"`,
		`text done "c"`, "message done msg_1",
		"call created call_a",
		"call done call_a {}", "call created call_b",
		"call done call_b {}", "step done step_1",
	}, l.lines)
}

// Snapshots are copies: changing one changes neither the accumulator nor
// later snapshots.
func TestAccumulateSnapshotsAreCopies(t *testing.T) {
	a := newAccumulator()
	stApplyAll(t, a,
		stAccEvent{EventThreadMessageCreated, `{"id":"msg_1","object":"thread.message","role":"assistant","status":"in_progress","content":[],"metadata":{"k":"v"}}`},
		stTextDeltaEvent("msg_1", 0, "See sandbox:/x.csv"),
		stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":0,"type":"text","text":{"annotations":[` +
			`{"index":0,"type":"file_path","text":"sandbox:/x.csv","start_index":4,"end_index":18,"file_path":{"file_id":"file_1"}}]}}]}}`},
		stStepEvent(EventThreadRunStepCreated, "step_1", "in_progress", `{"type":"tool_calls","tool_calls":[]}`),
		stStepDeltaEvent("step_1", `[{"index":0,"id":"call_fs","type":"file_search","file_search":{}}]`),
		stStepDeltaEvent("step_1", `[{"index":0,"file_search":{"results":[{"file_id":"file_2","file_name":"a.txt","score":0.5}]}}]`),
	)
	first := a.messages()
	ann := &first[0].Content[0].Text.Annotations[0]
	ann.Text = "changed"
	ann.FilePath.FileID = "changed"
	first[0].Metadata["k"] = "changed"
	steps := a.runSteps()
	fs := steps[0].StepDetails.ToolCalls[0].FileSearch
	require.NotNil(t, fs)
	require.Len(t, fs.Results, 1)
	fs.Results[0].FileID = "changed"

	// A later delta merges into the annotation: the accumulator was not
	// changed through the first snapshot.
	stApplyAll(t, a, stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":0,"type":"text","text":{"annotations":[{"index":0,"end_index":19}]}}]}}`})
	again := a.messages()[0]
	got := again.Content[0].Text.Annotations[0]
	assert.Equal(t, Annotation{Type: AnnotationTypeFilePath, Text: "sandbox:/x.csv", StartIndex: 4, EndIndex: 19, FilePath: &FilePath{FileID: "file_1"}}, got)
	assert.Equal(t, "v", again.Metadata["k"])
	assert.Equal(t, "file_2", a.runSteps()[0].StepDetails.ToolCalls[0].FileSearch.Results[0].FileID)
}

// The other kinds of content parts, and incomplete ends.
func TestAccumulateImageRefusalAndIncomplete(t *testing.T) {
	var l stCallbackLog
	h := stLoggingHandler(&l)
	stFeedHandler(t, h,
		stRunEvent(EventThreadRunInProgress, "in_progress"),
		stMessageEvent(EventThreadMessageCreated, "msg_1", "in_progress", "[]"),
		stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":0,"type":"image_file","image_file":{"file_id":"file_img"}}]}}`},
		stTextDeltaEvent("msg_1", 1, "here"),
		stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":2,"type":"refusal","refusal":"no"}]}}`},
		stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"content":[{"index":2,"type":"refusal","refusal":" way"}]}}`},
	)
	snap := h.acc.messages()[0]
	require.Len(t, snap.Content, 3)
	assert.Equal(t, MessageContent{Type: ContentTypeImageFile, ImageFile: &ImageFile{FileID: "file_img"}}, snap.Content[0])
	assert.Equal(t, MessageContent{Type: ContentTypeRefusal, Refusal: "no way"}, snap.Content[2])
	assert.Equal(t, "here", snap.Text(), "a refusal is not text")
	stFeedHandler(t, h,
		stMessageEvent(EventThreadMessageIncomplete, "msg_1", "incomplete", `[{"type":"image_file","image_file":{"file_id":"file_img"}},{"type":"text","text":{"value":"here","annotations":[]}},{"type":"refusal","refusal":"no way"}]`),
		stRunEvent(EventThreadRunIncomplete, "incomplete"),
	)
	assert.Equal(t, []string{
		"image done file_img", `text created "here"`, `text delta "here" -> "here"`,
		`text done "here"`, "message done msg_1", "end incomplete",
	}, l.lines)
}

// Deltas for a message and a step whose created events come late (or
// never): the snapshots start from the deltas, and the late objects do not
// erase them or repeat callbacks.
func TestAccumulateDeltaBeforeCreated(t *testing.T) {
	var l stCallbackLog
	h := stLoggingHandler(&l)
	stFeedHandler(t, h,
		stAccEvent{EventThreadMessageDelta, `{"id":"msg_1","delta":{"role":"assistant","content":[{"index":0,"type":"text","text":{"value":"Hi"}}]}}`},
		stStepDeltaEvent("step_1", `[{"index":0,"id":"call_a","type":"code_interpreter","code_interpreter":{"input":"1+","outputs":[]}}]`),
		stMessageEvent(EventThreadMessageCreated, "msg_1", "in_progress", "[]"),
		stStepEvent(EventThreadRunStepCreated, "step_1", "in_progress", `{"type":"tool_calls","tool_calls":[]}`),
		stStepDeltaEvent("step_1", `[{"index":0,"code_interpreter":{"input":"1"}}]`),
	)
	msgs := h.acc.messages()
	require.Len(t, msgs, 1)
	assert.Equal(t, RoleAssistant, msgs[0].Role)
	assert.Equal(t, "Hi", msgs[0].Text())
	steps := h.acc.runSteps()
	require.Len(t, steps, 1)
	require.Len(t, steps[0].StepDetails.ToolCalls, 1)
	assert.Equal(t, "1+1", steps[0].StepDetails.ToolCalls[0].CodeInterpreter.Input)
	assert.Equal(t, []string{`text created "Hi"`, `text delta "Hi" -> "Hi"`, "call created call_a"}, l.lines)
}
