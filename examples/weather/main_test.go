package main

import (
	"bytes"
	"context"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/assistants-go/assistants"
	"github.com/assistants-go/assistants/assistantstest"
)

func TestRunOffline(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := assistantstest.NewServer()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	var out bytes.Buffer
	err := run(ctx, &out, srv.Client())
	require.NoError(t, err, "output so far:\n%s", out.String())
	got := out.String()

	// Both calls are printed when their arguments are complete, then
	// answered together, then the answer streams in, then the run ends.
	inOrder(t, got,
		"Created the weather assistant asst_",
		"user: What's the weather in San Francisco today and the likelihood it'll rain?\n",
		"tool call call_",
		`get_current_temperature({"location":"San Francisco, CA","unit":"Fahrenheit"})`,
		"tool call call_",
		`get_rain_probability({"location":"San Francisco, CA"})`,
		"requires action: 2 parallel tool call(s), answered together:\n",
		"  get_current_temperature -> 57\n",
		"  get_rain_probability -> 0.06\n",
		"assistant: ",
		"57",
		"0.06",
		".\n",
		": completed\n",
		"Deleted thread thread_",
		"Deleted assistant asst_",
	)
	assert.Equal(t, 1, strings.Count(got, "requires action"), "one round of tool calls")
	assert.Equal(t, 1, strings.Count(got, "assistant: "), "one streamed answer")

	// The two outputs went in one submission, with stream: true.
	reqs := srv.Requests()
	var submissions []assistantstest.Request
	for _, r := range reqs {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/submit_tool_outputs") {
			submissions = append(submissions, r)
		}
	}
	require.Len(t, submissions, 1)
	var body struct {
		ToolOutputs []assistants.ToolOutput `json:"tool_outputs"`
		Stream      bool                    `json:"stream"`
	}
	require.NoError(t, json.Unmarshal(submissions[0].Body, &body))
	assert.True(t, body.Stream)
	var outputs []string
	for _, o := range body.ToolOutputs {
		outputs = append(outputs, o.Output)
	}
	assert.ElementsMatch(t, []string{"57", "0.06"}, outputs)

	// The assistant was created with the strict schemas.
	var create struct {
		Tools []assistants.Tool `json:"tools"`
	}
	for _, r := range reqs {
		if r.Method == "POST" && strings.HasSuffix(r.Path, "/assistants") {
			require.NoError(t, json.Unmarshal(r.Body, &create))
		}
	}
	require.Len(t, create.Tools, 2)
	for _, tool := range create.Tools {
		require.NotNil(t, tool.Function)
		assert.Equal(t, true, *tool.Function.Strict, tool.Function.Name)
		var schema struct {
			AdditionalProperties *bool `json:"additionalProperties"`
		}
		require.NoError(t, json.Unmarshal(tool.Function.Parameters, &schema))
		if assert.NotNil(t, schema.AdditionalProperties, tool.Function.Name) {
			assert.False(t, *schema.AdditionalProperties, tool.Function.Name)
		}
	}

	srv.Close()
	checkGoroutines(t, before)
}

// TestTextStreamsInOrder checks that the answer arrives in several deltas,
// printed as they come, and that they make up the final message.
func TestTextStreamsInOrder(t *testing.T) {
	srv := assistantstest.NewServer()
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	w := &recordingWriter{}
	require.NoError(t, run(ctx, w, srv.Client()))
	got := w.String()
	start := strings.Index(got, "assistant: ")
	require.GreaterOrEqual(t, start, 0, got)
	end := strings.Index(got[start:], "\n")
	require.Greater(t, end, 0, got)
	streamed := got[start+len("assistant: ") : start+end]

	// Every write between "assistant: " and the newline is one delta.
	var deltas []string
	in := false
	for _, w := range w.writes {
		switch {
		case w == "assistant: ":
			in = true
		case in && w == "\n":
			in = false
		case in:
			deltas = append(deltas, w)
		}
	}
	assert.Greater(t, len(deltas), 3, "the answer should stream in several deltas: %q", deltas)
	assert.Equal(t, streamed, strings.Join(deltas, ""))
	assert.Contains(t, streamed, "57")
	assert.Contains(t, streamed, "0.06")
	assert.Less(t, strings.Index(streamed, "57"), strings.Index(streamed, "0.06"))
}

func TestNewClientWithoutKeyUsesInProcessServer(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
	var notice bytes.Buffer
	c, closeClient, err := newClient(&notice)
	require.NoError(t, err)
	defer closeClient()
	assert.Equal(t, offlineNotice+"\n", notice.String(), "exactly one line")
	assert.True(t, strings.HasPrefix(c.BaseURL(), "http://127.0.0.1:"), c.BaseURL())
	_, err = c.Assistants.List(context.Background(), assistants.ListParams{})
	require.NoError(t, err)
}

func TestNewClientWithKeyUsesTheEnvironment(t *testing.T) {
	srv := assistantstest.NewServer()
	defer srv.Close()
	t.Setenv("OPENAI_API_KEY", "test-key")
	t.Setenv("OPENAI_BASE_URL", srv.URL)
	var notice bytes.Buffer
	c, closeClient, err := newClient(&notice)
	require.NoError(t, err)
	defer closeClient()
	assert.Empty(t, notice.String())
	assert.Equal(t, srv.URL+"/", c.BaseURL())
	_, err = c.Assistants.List(context.Background(), assistants.ListParams{})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.RequestCount("GET", "/assistants"))
}

// recordingWriter keeps every Write separately.
type recordingWriter struct {
	bytes.Buffer
	writes []string
}

func (w *recordingWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, string(p))
	return w.Buffer.Write(p)
}

// inOrder checks that got contains each of want, in this order.
func inOrder(t *testing.T, got string, want ...string) {
	t.Helper()
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("output lacks %q after the previous lines (or has it out of order); output:\n%s", w, got)
		}
		rest = rest[i+len(w):]
	}
}

// checkGoroutines waits a little for the goroutine count to come back to
// about what it was, and reports the stacks if it does not.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	const tolerance = 2
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+tolerance && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+tolerance {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}
