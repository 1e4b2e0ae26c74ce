package assistants

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/assistants-go/assistants/internal/sse"
)

// stSseFrame renders one SSE event.
func stSseFrame(typ, data string) string {
	return "event: " + typ + "\ndata: " + data + "\n\n"
}

const stSseDone = "event: done\ndata: [DONE]\n\n"

func stRunJSON(status string) string {
	return fmt.Sprintf(`{"id":"run_1","object":"thread.run","thread_id":"thread_1","assistant_id":"asst_1","status":%q}`, status)
}

// stServeSSE answers with an event stream made of frames, flushing each.
func stServeSSE(w http.ResponseWriter, frames ...string) {
	w.Header().Set("Content-Type", "text/event-stream")
	w.WriteHeader(http.StatusOK)
	f, _ := w.(http.Flusher)
	for _, fr := range frames {
		_, _ = io.WriteString(w, fr)
		if f != nil {
			f.Flush()
		}
	}
}

// stSimpleRun is a short complete run stream.
func stSimpleRun() []string {
	return []string{
		stSseFrame(EventThreadRunCreated, stRunJSON("queued")),
		stSseFrame(EventThreadRunInProgress, stRunJSON("in_progress")),
		stSseFrame(EventThreadMessageCreated, `{"id":"msg_1","object":"thread.message","role":"assistant","status":"in_progress","content":[]}`),
		stSseFrame(EventThreadMessageDelta, `{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"Hel"}}]}}`),
		stSseFrame(EventThreadMessageDelta, `{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"lo"}}]}}`),
		stSseFrame(EventThreadRunCompleted, stRunJSON("completed")),
	}
}

func TestStreamDoneEndsCleanly(t *testing.T) {
	for name, done := range map[string]string{
		"data [DONE]":            "data: [DONE]\n\n",
		"event done":             stSseDone,
		"event done, other data": "event: done\ndata: {}\n\n",
	} {
		t.Run(name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
				assert.Equal(t, "text/event-stream", r.Header.Get("Accept"))
				testBody(t, r, `{"assistant_id":"asst_1","stream":true}`)
				// Whatever follows the end is not read.
				stServeSSE(w, append(stSimpleRun(), done, stSseFrame(EventThreadRunFailed, stRunJSON("failed")))...)
			})
			s, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
			require.NoError(t, err)
			defer s.Close()
			var types []string
			var text strings.Builder
			for s.Next() {
				types = append(types, s.Event().Type)
				text.WriteString(s.TextDelta())
			}
			require.NoError(t, s.Err())
			assert.Equal(t, []string{EventThreadRunCreated, EventThreadRunInProgress, EventThreadMessageCreated,
				EventThreadMessageDelta, EventThreadMessageDelta, EventThreadRunCompleted}, types)
			assert.Equal(t, "Hello", text.String())
			assert.False(t, s.Next(), "Next stays false")
			run, err := s.FinalRun()
			require.NoError(t, err)
			assert.Equal(t, RunStatusCompleted, run.Status)
			assert.Equal(t, run, s.CurrentRun())
			msgs := s.FinalMessages()
			require.Len(t, msgs, 1)
			assert.Equal(t, "Hello", msgs[0].Text())
			assert.Equal(t, "Hello", s.MessageSnapshot("msg_1").Text())
			assert.Nil(t, s.MessageSnapshot("msg_x"))
			assert.Empty(t, s.FinalRunSteps())
		})
	}
}

func TestStreamErrorEvent(t *testing.T) {
	for name, tc := range map[string]struct {
		data          string
		typ, code     string
		msg           string
		requestHeader string
	}{
		"bare object":    {`{"message":"The server had an error.","type":"server_error","code":"internal","param":null}`, "server_error", "internal", "The server had an error.", "req_1"},
		"wrapped object": {`{"error":{"message":"Rate limit reached.","type":"requests","code":"rate_limit_exceeded"}}`, "requests", "rate_limit_exceeded", "Rate limit reached.", "req_2"},
		"raw text":       {`upstream   connect error`, "", "", "upstream connect error", ""},
	} {
		t.Run(name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("X-Request-Id", tc.requestHeader)
				stServeSSE(w, stSseFrame(EventThreadRunCreated, stRunJSON("queued")), stSseFrame(EventError, tc.data),
					stSseFrame(EventThreadRunCompleted, stRunJSON("completed")), stSseDone)
			})
			s, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
			require.NoError(t, err)
			defer s.Close()
			n := 0
			for s.Next() {
				n++
			}
			assert.Equal(t, 1, n, "the error event ends the stream")
			var apiErr *APIError
			require.True(t, errors.As(s.Err(), &apiErr), "Err() = %v", s.Err())
			assert.Equal(t, tc.typ, apiErr.Type)
			assert.Equal(t, tc.code, apiErr.Code)
			assert.Equal(t, tc.msg, apiErr.Message)
			assert.Equal(t, tc.requestHeader, apiErr.RequestID)
			assert.Equal(t, tc.data, string(apiErr.Body))
			_, err = s.FinalRun()
			assert.ErrorAs(t, err, &apiErr)
		})
	}
}

func TestStreamUnknownEventsDelivered(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w,
			": keep-alive comment\n\n",
			stSseFrame(EventThreadRunCreated, stRunJSON("queued")),
			stSseFrame("thread.run.step.brand_new", `{"anything": [1, 2]}`),
			stSseFrame("ping", `not json at all`),
			"data: {\"no\":\"event name\"}\n\n",
			stSseFrame(EventThreadRunCompleted, stRunJSON("completed")),
			stSseDone)
	})
	s, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	var got []Event
	for ev, err := range s.All() {
		require.NoError(t, err)
		got = append(got, ev.Clone())
	}
	require.Len(t, got, 5)
	assert.Equal(t, Event{Type: "thread.run.step.brand_new", Data: []byte(`{"anything": [1, 2]}`)}, got[1])
	assert.Equal(t, int64(2), got[1].Get("anything.1").Int())
	assert.Equal(t, Event{Type: "ping", Data: []byte(`not json at all`)}, got[2])
	assert.Equal(t, Event{Type: "", Data: []byte(`{"no":"event name"}`)}, got[3])
	assert.Equal(t, EventThreadRunCompleted, got[4].Type)
}

func TestStreamAllStopsEarlyAndCloses(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, append(stSimpleRun(), stSseDone)...)
	})
	s, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	for ev, err := range s.All() {
		require.NoError(t, err)
		assert.Equal(t, EventThreadRunCreated, ev.Type)
		break
	}
	assert.False(t, s.Next(), "the stream is closed")
	assert.NoError(t, s.Err())
	assert.NoError(t, s.Close(), "Close again is fine")
}

// stBlockingServer streams frames, then waits for the client to go away and
// reports it on gone.
func stBlockingServer(t *testing.T, mux *http.ServeMux, path string, frames ...string) (gone <-chan struct{}) {
	ch := make(chan struct{})
	mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, frames...)
		select {
		case <-r.Context().Done():
			close(ch)
		case <-time.After(10 * time.Second):
			t.Errorf("the client never disconnected")
		}
	})
	return ch
}

func TestStreamEarlyCloseReleasesConnection(t *testing.T) {
	c, mux, _ := setup(t)
	gone := stBlockingServer(t, mux, "POST /threads/thread_1/runs", stSimpleRun()[:3]...)
	s, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	require.True(t, s.Next())
	start := time.Now()
	require.NoError(t, s.Close())
	assert.Less(t, time.Since(start), time.Second, "Close does not wait for the server")
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not see the client disconnect after Close")
	}
	assert.False(t, s.Next())
	assert.NoError(t, s.Err(), "closing is not an error")
}

func TestStreamContextCancelEndsNext(t *testing.T) {
	c, mux, _ := setup(t)
	gone := stBlockingServer(t, mux, "POST /threads/thread_1/runs", stSimpleRun()[:2]...)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := c.Runs.CreateStream(ctx, "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	defer s.Close()
	require.True(t, s.Next())
	require.True(t, s.Next())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	assert.False(t, s.Next(), "Next is blocked until the cancel, then fails")
	assert.Less(t, time.Since(start), 3*time.Second)
	assert.ErrorIs(t, s.Err(), context.Canceled)
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not see the client disconnect")
	}
}

func TestStreamEventSizeLimit(t *testing.T) {
	big := `{"id":"msg_1","delta":{"content":[{"index":0,"type":"text","text":{"value":"` + strings.Repeat("x", 4000) + `"}}]}}`
	c, mux, _ := setup(t, WithMaxEventSize(1024))
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, stSseFrame(EventThreadRunCreated, stRunJSON("in_progress")), stSseFrame(EventThreadMessageDelta, big),
			stSseFrame(EventThreadRunCompleted, stRunJSON("completed")), stSseDone)
	})

	s, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	defer s.Close()
	require.True(t, s.Next())
	require.False(t, s.Next())
	err = s.Err()
	require.Error(t, err)
	assert.ErrorIs(t, err, sse.ErrEventTooLarge)
	assert.Contains(t, err.Error(), "1024 bytes")
	assert.Contains(t, err.Error(), "WithMaxEventSize")

	// The same stream is fine once the limit is raised on it.
	s2, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	defer s2.Close()
	s2.SetMaxEventSize(8192)
	run, err := s2.FinalRun()
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	assert.Len(t, s2.FinalMessages()[0].Text(), 4000)

	_, err = NewClient(WithBaseURL("http://x.test/v1"), WithAPIKey("k"), WithMaxEventSize(0))
	assert.ErrorContains(t, err, "WithMaxEventSize")
}

func TestStreamEndWithoutDone(t *testing.T) {
	for name, tc := range map[string]struct {
		frames  []string
		wantErr bool
	}{
		"after completed":       {stSimpleRun(), false},
		"after requires_action": {[]string{stSseFrame(EventThreadRunRequiresAction, stRunJSON("requires_action"))}, false},
		"mid run":               {stSimpleRun()[:4], true},
		"no events":             {nil, true},
	} {
		t.Run(name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
				stServeSSE(w, tc.frames...)
			})
			s, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
			require.NoError(t, err)
			defer s.Close()
			for s.Next() {
			}
			if !tc.wantErr {
				assert.NoError(t, s.Err())
				return
			}
			assert.ErrorIs(t, s.Err(), io.ErrUnexpectedEOF)
			assert.Contains(t, s.Err().Error(), "[DONE]")
		})
	}
}

func TestStreamRejectsJSONAnswer(t *testing.T) {
	c, mux, _ := setup(t)
	var calls atomic.Int32
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			writeJSON(t, w, http.StatusOK, `{"error":{"message":"streaming is off","type":"invalid_request_error"}}`)
			return
		}
		writeJSON(t, w, http.StatusOK, stRunJSON("queued"))
	})
	_, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "streaming is off", apiErr.Message)
	_, err = c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	assert.ErrorContains(t, err, "expected an event stream")
}

func TestStreamHTTPErrorBeforeStream(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(t, w, http.StatusNotFound, `{"error":{"message":"No thread found","type":"invalid_request_error"}}`)
	})
	_, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	_, err = c.Runs.CreateStream(context.Background(), "", RunCreateParams{AssistantID: "asst_1"})
	assert.ErrorContains(t, err, "threadID")
	_, err = c.Runs.SubmitToolOutputsStream(context.Background(), "thread_1", "run_1", nil)
	assert.ErrorContains(t, err, "tool outputs")
}

func TestStreamMalformedKnownEventFails(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, stSseFrame(EventThreadRunCreated, stRunJSON("queued")), stSseFrame(EventThreadMessageDelta, `{"id":"m","delta":{"content":[{"index":0,"text":{"value":"unterminated}}]}}`), stSseDone)
	})
	s, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	defer s.Close()
	for s.Next() {
	}
	assert.ErrorContains(t, s.Err(), "decoding thread.message.delta event")
}

func TestStreamSubmitAndCreateAndRunRequests(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs/run_1/submit_tool_outputs", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "text/event-stream", r.Header.Get("Accept"))
		testBody(t, r, `{"tool_outputs":[{"tool_call_id":"call_1","output":"x"}],"stream":true}`)
		stServeSSE(w, append(stSimpleRun(), stSseDone)...)
	})
	mux.HandleFunc("POST /threads/runs", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "text/event-stream", r.Header.Get("Accept"))
		testBody(t, r, `{"assistant_id":"asst_1","thread":{"messages":[{"role":"user","content":"hi"}]},"stream":true}`)
		stServeSSE(w, append([]string{stSseFrame(EventThreadCreated, `{"id":"thread_1","object":"thread","created_at":1}`)}, append(stSimpleRun(), stSseDone)...)...)
	})
	s, err := c.Runs.SubmitToolOutputsStream(context.Background(), "thread_1", "run_1", []ToolOutput{{ToolCallID: "call_1", Output: "x"}})
	require.NoError(t, err)
	run, err := s.FinalRun()
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	require.NoError(t, s.Close())

	s, err = c.Threads.CreateAndRunStream(context.Background(), CreateAndRunParams{AssistantID: "asst_1",
		Thread: &ThreadCreateParams{Messages: []MessageCreateParams{{Role: RoleUser, Content: "hi"}}}})
	require.NoError(t, err)
	defer s.Close()
	require.True(t, s.Next())
	th, err := s.Event().Thread()
	require.NoError(t, err)
	assert.Equal(t, "thread_1", th.ID)
	assert.Equal(t, "Hello", s.FinalMessages()[0].Text())
}

func TestEventAccessors(t *testing.T) {
	run := Event{Type: EventThreadRunRequiresAction, Data: []byte(`{"id":"run_1","status":"requires_action","required_action":{"type":"submit_tool_outputs","submit_tool_outputs":{"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]}}}`)}
	assert.True(t, run.IsRunEvent())
	assert.False(t, run.IsRunStepEvent())
	r, err := run.Run()
	require.NoError(t, err)
	assert.Equal(t, "call_1", r.RequiredAction.SubmitToolOutputs.ToolCalls[0].ID)
	assert.Equal(t, "f", run.Get("required_action.submit_tool_outputs.tool_calls.0.function.name").String())
	_, err = run.Message()
	assert.ErrorContains(t, err, `event "thread.run.requires_action" does not carry a message`)
	assert.Nil(t, run.Error())

	md := Event{Type: EventThreadMessageDelta, Data: []byte(`{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"hi","annotations":[{"index":0,"type":"file_path","text":"x","start_index":1,"end_index":2,"file_path":{"file_id":"f"}}]}}]}}`)}
	assert.True(t, md.IsMessageEvent())
	assert.True(t, md.IsDelta())
	d, err := md.MessageDelta()
	require.NoError(t, err)
	require.Len(t, d.Delta.Content, 1)
	assert.Equal(t, "hi", d.Delta.Content[0].Text.Value)
	assert.Equal(t, AnnotationDelta{Index: 0, Type: AnnotationTypeFilePath, Text: "x", StartIndex: Ptr(1), EndIndex: Ptr(2), FilePath: &FilePath{FileID: "f"}}, d.Delta.Content[0].Text.Annotations[0])
	_, err = md.Run()
	assert.Error(t, err)

	sd := Event{Type: EventThreadRunStepDelta, Data: []byte(`{"id":"step_1","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":1,"id":"c","type":"code_interpreter","code_interpreter":{"input":"x","outputs":[{"index":0,"type":"logs","logs":"1"}]}}]}}}`)}
	assert.True(t, sd.IsRunStepEvent())
	sdd, err := sd.RunStepDelta()
	require.NoError(t, err)
	assert.Equal(t, 1, *sdd.Delta.StepDetails.ToolCalls[0].Index)
	assert.Equal(t, 0, *sdd.Delta.StepDetails.ToolCalls[0].CodeInterpreter.Outputs[0].Index)
	_, err = sd.RunStep()
	assert.Error(t, err)

	step := Event{Type: EventThreadRunStepCompleted, Data: []byte(`{"id":"step_1","status":"completed"}`)}
	st, err := step.RunStep()
	require.NoError(t, err)
	assert.Equal(t, StepStatusCompleted, st.Status)

	msg := Event{Type: EventThreadMessageCompleted, Data: []byte(`{"id":"msg_1","content":[{"type":"text","text":{"value":"v","annotations":[]}}]}`)}
	m, err := msg.Message()
	require.NoError(t, err)
	assert.Equal(t, "v", m.Text())
	_, err = msg.MessageDelta()
	assert.Error(t, err)

	bad := Event{Type: EventThreadRunCreated, Data: []byte(`{`)}
	_, err = bad.Run()
	assert.ErrorContains(t, err, "decoding thread.run.created event")

	e := Event{Type: EventError, Data: []byte(`{"error":{"message":"m","type":"t"}}`)}
	require.NotNil(t, e.Error())
	assert.Equal(t, "m", e.Error().Message)

	data := []byte(`{"a":1}`)
	cl := Event{Type: "x", Data: data}.Clone()
	data[1] = 'b'
	assert.Equal(t, `{"a":1}`, string(cl.Data))
}
