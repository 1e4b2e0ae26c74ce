package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// numDeltas is the number of thread.message.delta events in the stream.
const numDeltas = 10000

// Identifiers used throughout the generated stream.
const (
	runID    = "run_bNk3QzJ9pX2vW7aR"
	threadID = "thread_1"
	asstID   = "asst_1"
	msgID    = "msg_Hc4tY8uL0eVq5sD1"
	stepID   = "step_Pm6nB2wK9jF3xT7z"
)

// genStream is one generated run stream and what reading it must give.
type genStream struct {
	body   []byte // the event-stream bytes, as the API frames them
	events int    // events a reader is handed (every frame but "done")
	deltas int    // thread.message.delta events
	text   string // the message's full text: every delta value, in order
}

var (
	benchStreamOnce sync.Once
	benchStream     genStream
)

// theStream returns the 10,000-delta stream, built once.
func theStream() genStream {
	benchStreamOnce.Do(func() { benchStream = makeStream(numDeltas) })
	return benchStream
}

// jsonString encodes s as a JSON string the way the API does: UTF-8 as is,
// no HTML escaping.
func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// Pieces of assistant text of the sizes the API streams: mostly a word with
// its leading space, sometimes punctuation, newlines, non-ASCII text, or
// characters that JSON escapes.
var pieces = []string{
	" The", " forecast", " for", " Paris", " tomorrow", " is", " mostly", " sunny",
	",", " with", " a", " high", " of", " 21", "°C", " and", " a", " light",
	" breeze", " from", " the", " north", "-west", ".", "\n\n", "-", " **",
	"Humidity", "**", ":", " 45", "%", "\n", " café", " —", " naïve", " 東京",
	" 🙂", ` "quoted"`, ` C:\temp`, " <b>", " &", "\t", " résumé",
}

// runJSON is a run object as the API sends it in thread.run.* events.
func runJSON(status string, completed bool) string {
	startedAt, completedAt, usage := "null", "null", "null"
	if status != "queued" {
		startedAt = "1730825015"
	}
	if completed {
		completedAt = "1730825041"
		usage = `{"prompt_tokens":1187,"completion_tokens":10532,"total_tokens":11719,"prompt_token_details":{"cached_tokens":0}}`
	}
	return fmt.Sprintf(`{"id":%q,"object":"thread.run","created_at":1730825014,"assistant_id":%q,"thread_id":%q,"status":%q,`+
		`"started_at":%s,"expires_at":1730825614,"cancelled_at":null,"failed_at":null,"completed_at":%s,"required_action":null,"last_error":null,`+
		`"model":"gpt-4o-2024-08-06","instructions":"You are a helpful weather assistant. Answer in Markdown.",`+
		`"tools":[{"type":"file_search","file_search":{"max_num_results":20,"ranking_options":{"ranker":"default_2024_08_21","score_threshold":0.0}}},`+
		`{"type":"function","function":{"name":"get_weather","description":"Get the weather for a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"strict":false}}],`+
		`"tool_resources":{},"metadata":{},"temperature":1.0,"top_p":1.0,"max_completion_tokens":null,"max_prompt_tokens":null,`+
		`"truncation_strategy":{"type":"auto","last_messages":null},"incomplete_details":null,"usage":%s,"response_format":"auto","tool_choice":"auto","parallel_tool_calls":true}`,
		runID, asstID, threadID, status, startedAt, completedAt, usage)
}

// stepJSON is a message_creation run step.
func stepJSON(status string, completed bool) string {
	completedAt, usage := "null", "null"
	if completed {
		completedAt = "1730825041"
		usage = `{"prompt_tokens":1187,"completion_tokens":10532,"total_tokens":11719}`
	}
	return fmt.Sprintf(`{"id":%q,"object":"thread.run.step","created_at":1730825015,"run_id":%q,"assistant_id":%q,"thread_id":%q,`+
		`"type":"message_creation","status":%q,"cancelled_at":null,"completed_at":%s,"expires_at":1730825614,"failed_at":null,"last_error":null,`+
		`"step_details":{"type":"message_creation","message_creation":{"message_id":%q}},"usage":%s}`,
		stepID, runID, asstID, threadID, status, completedAt, msgID, usage)
}

// messageJSON is the assistant's message; content is a JSON array.
func messageJSON(status, content string, completed bool) string {
	completedAt := "null"
	if completed {
		completedAt = "1730825041"
	}
	return fmt.Sprintf(`{"id":%q,"object":"thread.message","created_at":1730825015,"assistant_id":%q,"thread_id":%q,"run_id":%q,`+
		`"status":%q,"incomplete_details":null,"incomplete_at":null,"completed_at":%s,"role":"assistant","content":%s,"attachments":[],"metadata":{}}`,
		msgID, asstID, threadID, runID, status, completedAt, content)
}

// makeStream builds a run stream as the API sends it for a run that writes
// one message of n text deltas: the run, step and message lifecycle events
// around the deltas, and the closing "done" event.
func makeStream(n int) genStream {
	var b bytes.Buffer
	g := genStream{}
	frame := func(event, data string) {
		b.WriteString("event: ")
		b.WriteString(event)
		b.WriteString("\ndata: ")
		b.WriteString(data)
		b.WriteString("\n\n")
		g.events++
	}
	frame("thread.run.created", runJSON("queued", false))
	frame("thread.run.queued", runJSON("queued", false))
	frame("thread.run.in_progress", runJSON("in_progress", false))
	frame("thread.run.step.created", stepJSON("in_progress", false))
	frame("thread.run.step.in_progress", stepJSON("in_progress", false))
	frame("thread.message.created", messageJSON("in_progress", "[]", false))
	frame("thread.message.in_progress", messageJSON("in_progress", "[]", false))
	var text strings.Builder
	for i := range n {
		p := pieces[(i*7+i/len(pieces))%len(pieces)]
		text.WriteString(p)
		annotations := ""
		if i == 0 {
			// The first delta of a text part opens it with its annotations.
			annotations = `,"annotations":[]`
		}
		frame("thread.message.delta", fmt.Sprintf(`{"id":%q,"object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":%s%s}}]}}`,
			msgID, jsonString(p), annotations))
		g.deltas++
	}
	g.text = text.String()
	frame("thread.message.completed", messageJSON("completed",
		`[{"type":"text","text":{"value":`+jsonString(g.text)+`,"annotations":[]}}]`, true))
	frame("thread.run.step.completed", stepJSON("completed", true))
	frame("thread.run.completed", runJSON("completed", true))
	b.WriteString("event: done\ndata: [DONE]\n\n")
	g.body = b.Bytes()
	return g
}

// memTransport answers every request with body, from memory, so that a
// benchmark measures decoding rather than loopback I/O.
type memTransport struct{ body []byte }

func (t memTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		Status:        "200 OK",
		StatusCode:    http.StatusOK,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"text/event-stream; charset=utf-8"}, "X-Request-Id": {"req_bench"}},
		Body:          io.NopCloser(bytes.NewReader(t.body)),
		ContentLength: -1,
		Request:       r,
	}, nil
}

// newStreamServer serves body to every request over loopback HTTP.
func newStreamServer(tb testing.TB, body []byte) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
		w.Header().Set("X-Request-Id", "req_bench")
		_, _ = w.Write(body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}
