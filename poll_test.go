package assistants

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pollRecorder is an httptest server for the poll tests: it records every
// request and answers with handler.
type pollRecorder struct {
	mu   sync.Mutex
	reqs []pollReq
}

// pollReq is one request the server saw.
type pollReq struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

func (p *pollRecorder) add(r pollReq) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reqs = append(p.reqs, r)
}

// requests returns the requests with this method and path ("" for any).
func (p *pollRecorder) requests(method, path string) []pollReq {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []pollReq
	for _, r := range p.reqs {
		if (method == "" || r.Method == method) && (path == "" || r.Path == path) {
			out = append(out, r)
		}
	}
	return out
}

// pollSetup starts a server calling handler (with the path under /v1 and the
// request body read) and returns a client for it that does not retry.
func pollSetup(t *testing.T, handler func(w http.ResponseWriter, r *http.Request, body []byte)) (*Client, *pollRecorder) {
	t.Helper()
	rec := new(pollRecorder)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		path := r.URL.Path[len("/v1"):]
		rec.add(pollReq{Method: r.Method, Path: path, Header: r.Header.Clone(), Body: body})
		if err != nil {
			// The client gave up in the middle of its body (an upload
			// cancelled because another one failed): there is no one to answer.
			return
		}
		r.URL.Path = path
		handler(w, r, body)
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+"/v1"), WithAPIKey("sk-test"), WithMaxRetries(0))
	require.NoError(t, err)
	return c, rec
}

// pollRunJSON writes a run with this status (and extra fields, if any).
func pollRunJSON(w http.ResponseWriter, id, threadID string, status RunStatus, extra map[string]any) {
	run := map[string]any{"id": id, "object": "thread.run", "thread_id": threadID, "assistant_id": "asst_1", "status": status}
	for k, v := range extra {
		run[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(run)
}

// pollSequence answers successive GETs of run_1 with these statuses (the
// last one repeats) and fails every other request.
func pollSequence(t *testing.T, header http.Header, statuses ...RunStatus) (*Client, *pollRecorder) {
	var mu sync.Mutex
	n := 0
	return pollSetup(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		if r.Method != http.MethodGet || r.URL.Path != "/threads/thread_1/runs/run_1" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
			http.Error(w, "unexpected", http.StatusNotFound)
			return
		}
		mu.Lock()
		s := statuses[min(n, len(statuses)-1)]
		n++
		mu.Unlock()
		for k, v := range header {
			w.Header()[k] = v
		}
		pollRunJSON(w, "run_1", "thread_1", s, nil)
	})
}

func TestPollQueuedInProgressCompleted(t *testing.T) {
	c, rec := pollSequence(t, nil, RunStatusQueued, RunStatusInProgress, RunStatusInProgress, RunStatusCompleted)
	run, err := c.Runs.Poll(context.Background(), "thread_1", "run_1", WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	assert.Equal(t, "run_1", run.ID)
	gets := rec.requests(http.MethodGet, "/threads/thread_1/runs/run_1")
	require.Len(t, gets, 4)
	for _, g := range gets {
		assert.Equal(t, "true", g.Header.Get("X-Stainless-Poll-Helper"))
		assert.Equal(t, "1", g.Header.Get("X-Stainless-Custom-Poll-Interval"))
		assert.Equal(t, "assistants=v2", g.Header.Get("OpenAI-Beta"))
	}
}

func TestPollHonoursPollAfterHeader(t *testing.T) {
	// Without the header's 1 ms, each of the 3 waits would default to 1 s;
	// the test counts requests rather than timing them, and the delay rules
	// themselves are checked in TestPollDelay.
	h := http.Header{"Openai-Poll-After-Ms": {"1"}}
	c, rec := pollSequence(t, h, RunStatusQueued, RunStatusInProgress, RunStatusCancelling, RunStatusCancelled)
	run, err := c.Runs.Poll(context.Background(), "thread_1", "run_1")
	require.NoError(t, err)
	assert.Equal(t, RunStatusCancelled, run.Status)
	gets := rec.requests(http.MethodGet, "")
	require.Len(t, gets, 4)
	for _, g := range gets {
		assert.Equal(t, "true", g.Header.Get("X-Stainless-Poll-Helper"))
		assert.Empty(t, g.Header.Get("X-Stainless-Custom-Poll-Interval"), "no custom interval was set")
	}
}

func TestPollIntervalOverridesHeader(t *testing.T) {
	// The server asks for a minute between polls; the caller's 1 ms wins (a
	// test that honoured the header would run into the test timeout).
	h := http.Header{"Openai-Poll-After-Ms": {"60000"}}
	c, rec := pollSequence(t, h, RunStatusQueued, RunStatusInProgress, RunStatusCompleted)
	run, err := c.Runs.Poll(context.Background(), "thread_1", "run_1", WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	assert.Len(t, rec.requests(http.MethodGet, ""), 3)
}

func TestPollDelay(t *testing.T) {
	resp := func(v string) *http.Response {
		h := http.Header{}
		if v != "" {
			h.Set("openai-poll-after-ms", v)
		}
		return &http.Response{Header: h}
	}
	def := newPollConfig(nil)
	for _, tc := range []struct {
		header string
		want   time.Duration
	}{
		{"", DefaultPollInterval},
		{"250", 250 * time.Millisecond},
		{"1500.5", 1500*time.Millisecond + 500*time.Microsecond},
		{"1", minServerPollWait},
		{"0", minServerPollWait},
		{"-5", DefaultPollInterval},
		{"soon", DefaultPollInterval},
		{"NaN", DefaultPollInterval},
		{"600000", maxServerPollWait},
		{"+Inf", maxServerPollWait},
	} {
		assert.Equal(t, tc.want, def.delay(resp(tc.header)), "openai-poll-after-ms: %q", tc.header)
	}
	assert.Equal(t, DefaultPollInterval, def.delay(nil))

	set := newPollConfig([]PollOption{WithPollInterval(3 * time.Millisecond)})
	assert.Equal(t, 3*time.Millisecond, set.delay(resp("250")))
	assert.Equal(t, 3*time.Millisecond, set.delay(nil))
	assert.Equal(t, "3", set.header().Get("X-Stainless-Custom-Poll-Interval"))

	zero := newPollConfig([]PollOption{WithPollInterval(0)})
	assert.Equal(t, minServerPollWait, zero.delay(resp("")), "a zero interval must not spin")
	neg := newPollConfig([]PollOption{nil, WithPollInterval(-time.Second)})
	assert.Equal(t, minServerPollWait, neg.delay(resp("")))
}

func TestPollContextCancelledDuringWait(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan struct{}, 1)
	c, rec := pollSetup(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		pollRunJSON(w, "run_1", "thread_1", RunStatusInProgress, nil)
		served <- struct{}{}
	})
	go func() {
		<-served
		cancel()
	}()
	// An hour between polls: only the cancellation can end this promptly
	// (otherwise the test times out).
	run, err := c.Runs.Poll(ctx, "thread_1", "run_1", WithPollInterval(time.Hour))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Len(t, rec.requests(http.MethodGet, ""), 1)
	if run != nil { // nil only if the cancellation beat the first response
		assert.Equal(t, RunStatusInProgress, run.Status)
	}
}

func TestPollContextAlreadyDone(t *testing.T) {
	c, rec := pollSetup(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		pollRunJSON(w, "run_1", "thread_1", RunStatusInProgress, nil)
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	cancel()
	run, err := c.Runs.Poll(ctx, "thread_1", "run_1")
	assert.Nil(t, run)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, rec.requests("", ""))

	dctx, dcancel := context.WithDeadline(context.Background(), time.Unix(0, 0))
	defer dcancel()
	_, err = c.Runs.Poll(dctx, "thread_1", "run_1")
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestPollEndStatusesAreResults(t *testing.T) {
	for _, s := range []RunStatus{RunStatusExpired, RunStatusFailed, RunStatusCancelled, RunStatusIncomplete, RunStatusRequiresAction, RunStatusCompleted} {
		t.Run(string(s), func(t *testing.T) {
			c, rec := pollSequence(t, nil, RunStatusInProgress, s)
			run, err := c.Runs.Poll(context.Background(), "thread_1", "run_1", WithPollInterval(time.Millisecond))
			require.NoError(t, err)
			assert.Equal(t, s, run.Status)
			assert.Len(t, rec.requests(http.MethodGet, ""), 2)
		})
	}
}

func TestPollUnknownStatus(t *testing.T) {
	c, rec := pollSequence(t, nil, RunStatusQueued, "paused_forever")
	run, err := c.Runs.Poll(context.Background(), "thread_1", "run_1", WithPollInterval(time.Millisecond))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrUnknownStatus)
	assert.Contains(t, err.Error(), `"paused_forever"`)
	assert.Contains(t, err.Error(), "run_1")
	require.NotNil(t, run, "the run with the odd status is returned with the error")
	assert.Equal(t, RunStatus("paused_forever"), run.Status)
	assert.Len(t, rec.requests(http.MethodGet, ""), 2, "no endless loop")
}

func TestPollAPIErrorKeepsLastRun(t *testing.T) {
	var mu sync.Mutex
	n := 0
	c, _ := pollSetup(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			pollRunJSON(w, "run_1", "thread_1", RunStatusInProgress, nil)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"error":{"message":"No run found","type":"invalid_request_error"}}`)
	})
	run, err := c.Runs.Poll(context.Background(), "thread_1", "run_1", WithPollInterval(time.Millisecond))
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	require.NotNil(t, run)
	assert.Equal(t, RunStatusInProgress, run.Status)
}

func TestPollRejectsEmptyIDs(t *testing.T) {
	c, rec := pollSetup(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
	})
	_, err := c.Runs.Poll(context.Background(), "thread_1", "")
	assert.ErrorContains(t, err, "runID")
	_, err = c.Runs.Poll(context.Background(), "", "run_1")
	assert.ErrorContains(t, err, "threadID")
	_, err = c.Runs.CreateAndPoll(context.Background(), "thread_1", RunCreateParams{})
	assert.ErrorContains(t, err, "AssistantID")
	_, err = c.Runs.SubmitToolOutputsAndPoll(context.Background(), "thread_1", "run_1", nil)
	assert.Error(t, err)
	assert.Empty(t, rec.requests("", ""))
}

// pollRunServer plays one run: POST creates it queued (or createStatus), GETs
// walk through gets, and submit_tool_outputs sets it queued again followed by
// afterSubmit on the next GETs.
func pollRunServer(t *testing.T, createStatus RunStatus, gets []RunStatus, afterSubmit []RunStatus) (*Client, *pollRecorder) {
	var mu sync.Mutex
	seq, i := gets, 0
	return pollSetup(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Openai-Poll-After-Ms", "1")
		switch {
		case r.Method == http.MethodPost && (r.URL.Path == "/threads/thread_1/runs" || r.URL.Path == "/threads/runs"):
			pollRunJSON(w, "run_1", "thread_1", createStatus, nil)
		case r.Method == http.MethodPost && r.URL.Path == "/threads/thread_1/runs/run_1/submit_tool_outputs":
			seq, i = afterSubmit, 0
			pollRunJSON(w, "run_1", "thread_1", RunStatusQueued, nil)
		case r.Method == http.MethodGet && r.URL.Path == "/threads/thread_1/runs/run_1":
			s := seq[min(i, len(seq)-1)]
			i++
			var extra map[string]any
			if s == RunStatusRequiresAction {
				extra = map[string]any{"required_action": map[string]any{
					"type": "submit_tool_outputs",
					"submit_tool_outputs": map[string]any{"tool_calls": []map[string]any{
						{"id": "call_a", "type": "function", "function": map[string]any{"name": "add", "arguments": `{"a":1,"b":2}`}},
						{"id": "call_b", "type": "function", "function": map[string]any{"name": "mul", "arguments": `{"a":3,"b":4}`}},
					}},
				}}
			}
			pollRunJSON(w, "run_1", "thread_1", s, extra)
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
			http.Error(w, "unexpected", http.StatusNotFound)
		}
	})
}

func TestRunsCreateAndPoll(t *testing.T) {
	c, rec := pollRunServer(t, RunStatusQueued, []RunStatus{RunStatusInProgress, RunStatusCompleted}, nil)
	run, err := c.Runs.CreateAndPoll(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	posts := rec.requests(http.MethodPost, "/threads/thread_1/runs")
	require.Len(t, posts, 1)
	assert.JSONEq(t, `{"assistant_id":"asst_1"}`, string(posts[0].Body))
	assert.Len(t, rec.requests(http.MethodGet, ""), 2)
}

func TestRunsCreateAndPollTerminalAtCreation(t *testing.T) {
	c, rec := pollRunServer(t, RunStatusCompleted, []RunStatus{RunStatusFailed}, nil)
	run, err := c.Runs.CreateAndPoll(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	assert.Empty(t, rec.requests(http.MethodGet, ""), "a run created terminal needs no poll")
}

func TestRunsSubmitToolOutputsAndPoll(t *testing.T) {
	c, rec := pollRunServer(t, RunStatusQueued, []RunStatus{RunStatusFailed}, []RunStatus{RunStatusInProgress, RunStatusCompleted})
	run, err := c.Runs.SubmitToolOutputsAndPoll(context.Background(), "thread_1", "run_1",
		[]ToolOutput{{ToolCallID: "call_a", Output: "3"}}, WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	subs := rec.requests(http.MethodPost, "/threads/thread_1/runs/run_1/submit_tool_outputs")
	require.Len(t, subs, 1)
	assert.JSONEq(t, `{"tool_outputs":[{"tool_call_id":"call_a","output":"3"}]}`, string(subs[0].Body))
	assert.Len(t, rec.requests(http.MethodGet, ""), 2)
}

func TestThreadsCreateAndRunPoll(t *testing.T) {
	c, rec := pollRunServer(t, RunStatusQueued, []RunStatus{RunStatusQueued, RunStatusInProgress, RunStatusIncomplete}, nil)
	run, err := c.Threads.CreateAndRunPoll(context.Background(), CreateAndRunParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	assert.Equal(t, RunStatusIncomplete, run.Status)
	assert.Equal(t, "thread_1", run.ThreadID)
	assert.Len(t, rec.requests(http.MethodPost, "/threads/runs"), 1)
	gets := rec.requests(http.MethodGet, "/threads/thread_1/runs/run_1")
	assert.Len(t, gets, 3)
	for _, g := range gets {
		assert.Equal(t, "true", g.Header.Get("X-Stainless-Poll-Helper"))
	}
}

func TestPollStopsAtRequiresActionWithoutHandler(t *testing.T) {
	c, rec := pollRunServer(t, RunStatusQueued, []RunStatus{RunStatusRequiresAction}, nil)
	run, err := c.Runs.CreateAndPoll(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	assert.Equal(t, RunStatusRequiresAction, run.Status)
	require.NotNil(t, run.RequiredAction)
	assert.Len(t, run.RequiredAction.SubmitToolOutputs.ToolCalls, 2)
	assert.Empty(t, rec.requests(http.MethodPost, "/threads/thread_1/runs/run_1/submit_tool_outputs"))
}

// pollHandlerFunc adapts a function into a RequiresActionHandler.
type pollHandlerFunc func(ctx context.Context, run *Run) ([]ToolOutput, error)

func (f pollHandlerFunc) HandleRequiresAction(ctx context.Context, run *Run) ([]ToolOutput, error) {
	return f(ctx, run)
}

func TestPollHandlerErrorAndNoOutputs(t *testing.T) {
	c, rec := pollRunServer(t, RunStatusQueued, []RunStatus{RunStatusRequiresAction}, nil)
	boom := errors.New("boom")
	run, err := c.Runs.CreateAndPoll(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"},
		WithRequiresActionHandler(pollHandlerFunc(func(context.Context, *Run) ([]ToolOutput, error) { return nil, boom })))
	assert.ErrorIs(t, err, boom)
	require.NotNil(t, run)
	assert.Equal(t, RunStatusRequiresAction, run.Status)

	run, err = c.Runs.Poll(context.Background(), "thread_1", "run_1",
		WithRequiresActionHandler(pollHandlerFunc(func(context.Context, *Run) ([]ToolOutput, error) { return nil, nil })))
	require.NoError(t, err)
	assert.Equal(t, RunStatusRequiresAction, run.Status, "no outputs hands the run back")
	assert.Empty(t, rec.requests(http.MethodPost, "/threads/thread_1/runs/run_1/submit_tool_outputs"))
}

func TestPollUnknownStatusAtCreation(t *testing.T) {
	c, rec := pollRunServer(t, "warming_up", []RunStatus{RunStatusCompleted}, nil)
	run, err := c.Runs.CreateAndPoll(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	assert.ErrorIs(t, err, ErrUnknownStatus)
	require.NotNil(t, run)
	assert.Empty(t, rec.requests(http.MethodGet, ""))
	assert.Equal(t, RunStatus("warming_up"), run.Status)
}

func TestPollRejectsAnotherRunsAnswer(t *testing.T) {
	// A server (or a caching proxy) that answers the poll of run_1 with
	// run_2: its status must not be taken for run_1's.
	var mu sync.Mutex
	n := 0
	c, rec := pollSetup(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		mu.Lock()
		n++
		first := n == 1
		mu.Unlock()
		if first {
			pollRunJSON(w, "run_1", "thread_1", RunStatusInProgress, nil)
			return
		}
		pollRunJSON(w, "run_2", "thread_1", RunStatusCompleted, nil)
	})
	run, err := c.Runs.Poll(context.Background(), "thread_1", "run_1", WithPollInterval(time.Millisecond))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"run_2"`)
	require.NotNil(t, run, "the last run_1 seen is returned")
	assert.Equal(t, "run_1", run.ID)
	assert.Equal(t, RunStatusInProgress, run.Status)
	assert.Len(t, rec.requests(http.MethodGet, ""), 2)

	// The answer to a submission must be the run answered, too.
	_, err = c.Runs.SubmitToolOutputsAndPoll(context.Background(), "thread_1", "run_9",
		[]ToolOutput{{ToolCallID: "call_1", Output: "x"}}, WithPollInterval(time.Millisecond))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "run_9")
}
