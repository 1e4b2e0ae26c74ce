package assistants

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// stBenchDeltas is the number of text deltas in the generated run stream.
const stBenchDeltas = 10000

// stBenchStream is a run stream with stBenchDeltas message deltas (words, some
// with characters that JSON escapes), framed like the API frames them.
var stBenchStream, stBenchEvents, stBenchText = stMakeBenchStream()

func stMakeBenchStream() ([]byte, int, string) {
	var b bytes.Buffer
	events := 0
	frame := func(typ, data string) {
		fmt.Fprintf(&b, "event: %s\ndata: %s\n\n", typ, data)
		events++
	}
	run := func(status string) string {
		return fmt.Sprintf(`{"id":"run_bench","object":"thread.run","created_at":1730825014,"assistant_id":"asst_bench","thread_id":"thread_bench","status":%q,"model":"gpt-4o","instructions":"Be brief.","tools":[],"metadata":{},"parallel_tool_calls":true}`, status)
	}
	msg := func(status, content string) string {
		return fmt.Sprintf(`{"id":"msg_bench","object":"thread.message","created_at":1730825015,"assistant_id":"asst_bench","thread_id":"thread_bench","run_id":"run_bench","status":%q,"role":"assistant","content":%s,"attachments":[],"metadata":{}}`, status, content)
	}
	step := func(status string) string {
		return fmt.Sprintf(`{"id":"step_bench","object":"thread.run.step","created_at":1730825015,"run_id":"run_bench","assistant_id":"asst_bench","thread_id":"thread_bench","type":"message_creation","status":%q,"step_details":{"type":"message_creation","message_creation":{"message_id":"msg_bench"}}}`, status)
	}
	frame(EventThreadRunCreated, run("queued"))
	frame(EventThreadRunInProgress, run("in_progress"))
	frame(EventThreadRunStepCreated, step("in_progress"))
	frame(EventThreadMessageCreated, msg("in_progress", "[]"))
	words := []string{" the", " quick", " brown", " fox", " jumps", " over", " lazy", " dogs", ",", " and"}
	var text strings.Builder
	for i := range stBenchDeltas {
		w := words[i%len(words)]
		switch {
		case i%50 == 49:
			w = ".\n\n"
		case i%97 == 0:
			w = ` "quoted"`
		case i%89 == 0:
			w = " 57°F"
		}
		text.WriteString(w)
		v, _ := json.Marshal(w)
		frame(EventThreadMessageDelta, fmt.Sprintf(`{"id":"msg_bench","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":%s}}]}}`, v))
	}
	full, _ := json.Marshal(text.String())
	frame(EventThreadMessageCompleted, msg("completed", `[{"type":"text","text":{"value":`+string(full)+`,"annotations":[]}}]`))
	frame(EventThreadRunStepCompleted, step("completed"))
	frame(EventThreadRunCompleted, run("completed"))
	b.WriteString("event: done\ndata: [DONE]\n\n")
	return b.Bytes(), events, text.String()
}

// stReplayTransport answers every request with the bench stream, in memory,
// so that the benchmarks measure the SDK rather than the network.
type stReplayTransport struct{ body []byte }

func (t stReplayTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"text/event-stream"}},
		Body:       io.NopCloser(bytes.NewReader(t.body)),
		Request:    r,
	}, nil
}

func stBenchClient(b *testing.B) *Client {
	c, err := NewClient(WithBaseURL("http://bench.test/v1"), WithAPIKey("sk-bench"),
		WithHTTPClient(&http.Client{Transport: stReplayTransport{stBenchStream}}))
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// stRunBench times fn, one whole stream per iteration, and reports events/s
// and allocs/event (counting every allocation, request set-up included).
func stRunBench(b *testing.B, fn func(c *Client) int) {
	c := stBenchClient(b)
	b.SetBytes(int64(len(stBenchStream)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	events := 0
	for range b.N {
		events += fn(c)
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	if events != stBenchEvents*b.N {
		b.Fatalf("read %d events, want %d", events, stBenchEvents*b.N)
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(events), "allocs/event")
}

var stParams = RunCreateParams{AssistantID: "asst_bench"}

// BenchmarkStreamPull is the pull path of a reader that only looks at each
// event's type and at the text of the deltas: (a) with Stream.TextDelta and
// with Event.Get, (b) also asking for FinalMessages.
func BenchmarkStreamPull(b *testing.B) {
	b.Run("TextDelta", func(b *testing.B) {
		stRunBench(b, func(c *Client) int {
			s, err := c.Runs.CreateStream(context.Background(), "thread_bench", stParams)
			if err != nil {
				b.Fatal(err)
			}
			n, size := 0, 0
			for s.Next() {
				n++
				if s.Event().Type == EventThreadMessageDelta {
					size += len(s.TextDelta())
				}
			}
			if s.Err() != nil || size != len(stBenchText) {
				b.Fatalf("err %v, %d bytes of text", s.Err(), size)
			}
			_ = s.Close()
			return n
		})
	})
	b.Run("EventGet", func(b *testing.B) {
		stRunBench(b, func(c *Client) int {
			s, err := c.Runs.CreateStream(context.Background(), "thread_bench", stParams)
			if err != nil {
				b.Fatal(err)
			}
			n, size := 0, 0
			for s.Next() {
				n++
				if ev := s.Event(); ev.Type == EventThreadMessageDelta {
					size += len(ev.Get("delta.content.0.text.value").Str)
				}
			}
			if s.Err() != nil || size != len(stBenchText) {
				b.Fatalf("err %v, %d bytes of text", s.Err(), size)
			}
			_ = s.Close()
			return n
		})
	})
	b.Run("FinalMessages", func(b *testing.B) {
		stRunBench(b, func(c *Client) int {
			s, err := c.Runs.CreateStream(context.Background(), "thread_bench", stParams)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for s.Next() {
				n++
				_ = s.Event().Type
			}
			msgs := s.FinalMessages()
			if s.Err() != nil || len(msgs) != 1 || msgs[0].Text() != stBenchText {
				b.Fatalf("err %v, %d messages", s.Err(), len(msgs))
			}
			_ = s.Close()
			return n
		})
	})
}

// BenchmarkStreamHandler is (c) the handler path: CreateAndStream feeding a
// Handler with only OnTextDelta set.
func BenchmarkStreamHandler(b *testing.B) {
	stRunBench(b, func(c *Client) int {
		n, size := 0, 0
		h := &Handler{
			OnEvent:     func(context.Context, Event) error { n++; return nil },
			OnTextDelta: func(_ context.Context, d *TextDelta, _ *Text) error { size += len(d.Value); return nil },
		}
		run, err := c.Runs.CreateAndStream(context.Background(), "thread_bench", stParams, h)
		if err != nil || run.Status != RunStatusCompleted || size != len(stBenchText) {
			b.Fatalf("err %v, %d bytes of text", err, size)
		}
		return n
	})
}
