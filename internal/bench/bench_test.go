package bench

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"strings"
	"testing"

	"github.com/assistants-go/assistants"
	"github.com/openai/openai-go"
	"github.com/openai/openai-go/option"
)

// result is what one read of the stream saw; the benchmarks check it on
// every iteration so that no variant can skip work.
type result struct {
	events  int // events handed to the caller (not counting "done")
	deltas  int // thread.message.delta events whose text was read
	textLen int // bytes of delta text read
	final   string
}

// reader opens the run stream through one SDK and reads it to its end.
type reader func(ctx context.Context) (result, error)

// ---- this SDK ----

func newOurClient(tb testing.TB, hc *http.Client, baseURL string) *assistants.Client {
	c, err := assistants.NewClient(
		assistants.WithAPIKey("sk-bench"),
		assistants.WithBaseURL(baseURL),
		assistants.WithHTTPClient(hc),
		assistants.WithMaxRetries(0),
	)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

var ourParams = assistants.RunCreateParams{AssistantID: asstID}

// ourPullText: Runs.CreateStream, the type of each event, and the text of
// the deltas through Stream.TextDelta.
func ourPullText(c *assistants.Client) reader {
	return func(ctx context.Context) (result, error) {
		var r result
		s, err := c.Runs.CreateStream(ctx, threadID, ourParams)
		if err != nil {
			return r, err
		}
		defer s.Close()
		for s.Next() {
			r.events++
			if ev := s.Event(); ev.Type == assistants.EventThreadMessageDelta {
				r.deltas++
				r.textLen += len(s.TextDelta())
			}
		}
		return r, s.Err()
	}
}

// ourPullGet: like ourPullText, reading the delta text from the event's
// JSON with Event.Get (gjson) instead.
func ourPullGet(c *assistants.Client) reader {
	return func(ctx context.Context) (result, error) {
		var r result
		s, err := c.Runs.CreateStream(ctx, threadID, ourParams)
		if err != nil {
			return r, err
		}
		defer s.Close()
		for s.Next() {
			r.events++
			if ev := s.Event(); ev.Type == assistants.EventThreadMessageDelta {
				r.deltas++
				r.textLen += len(ev.Get("delta.content.0.text.value").String())
			}
		}
		return r, s.Err()
	}
}

// ourPullDecodeAll: every event decoded into this SDK's typed structs
// (Event.Run, RunStep, Message, MessageDelta), the delta text read from the
// decoded MessageDelta. This is the closest match to openai-go, whose Next
// decodes every event into its union type.
func ourPullDecodeAll(c *assistants.Client) reader {
	return func(ctx context.Context) (result, error) {
		var r result
		s, err := c.Runs.CreateStream(ctx, threadID, ourParams)
		if err != nil {
			return r, err
		}
		defer s.Close()
		for s.Next() {
			r.events++
			ev := s.Event()
			var err error
			switch {
			case ev.Type == assistants.EventThreadMessageDelta:
				var d *assistants.MessageDelta
				if d, err = ev.MessageDelta(); err == nil {
					r.deltas++
					for _, part := range d.Delta.Content {
						if part.Text != nil {
							r.textLen += len(part.Text.Value)
						}
					}
				}
			case ev.IsRunStepEvent():
				_, err = ev.RunStep()
			case ev.IsRunEvent():
				_, err = ev.Run()
			case ev.IsMessageEvent():
				_, err = ev.Message()
			}
			if err != nil {
				return r, err
			}
		}
		return r, s.Err()
	}
}

// ourFinalMessages: ourPullText, then Stream.FinalMessages for the whole
// message with every delta merged.
func ourFinalMessages(c *assistants.Client) reader {
	return func(ctx context.Context) (result, error) {
		var r result
		s, err := c.Runs.CreateStream(ctx, threadID, ourParams)
		if err != nil {
			return r, err
		}
		defer s.Close()
		for s.Next() {
			r.events++
			if ev := s.Event(); ev.Type == assistants.EventThreadMessageDelta {
				r.deltas++
				r.textLen += len(s.TextDelta())
			}
		}
		if err := s.Err(); err != nil {
			return r, err
		}
		msgs := s.FinalMessages()
		if len(msgs) != 1 {
			return r, fmt.Errorf("FinalMessages: %d messages, want 1", len(msgs))
		}
		r.final = msgs[0].Text()
		return r, nil
	}
}

// ourHandler: Runs.CreateAndStream with a Handler that takes the text
// deltas in OnTextDelta and counts every event in OnEvent.
func ourHandler(c *assistants.Client) reader {
	return func(ctx context.Context) (result, error) {
		var r result
		h := &assistants.Handler{
			OnEvent: func(context.Context, assistants.Event) error {
				r.events++
				return nil
			},
			OnTextDelta: func(_ context.Context, d *assistants.TextDelta, _ *assistants.Text) error {
				r.deltas++
				r.textLen += len(d.Value)
				return nil
			},
		}
		run, err := c.Runs.CreateAndStream(ctx, threadID, ourParams, h)
		if err != nil {
			return r, err
		}
		if run.Status != assistants.RunStatus("completed") {
			return r, fmt.Errorf("run ended %s", run.Status)
		}
		return r, nil
	}
}

// ---- openai-go ----

func newOpenAIClient(hc *http.Client, baseURL string) openai.Client {
	return openai.NewClient(
		option.WithAPIKey("sk-bench"),
		option.WithBaseURL(baseURL),
		option.WithHTTPClient(hc),
		option.WithMaxRetries(0),
	)
}

var openaiParams = openai.BetaThreadRunNewParams{AssistantID: asstID}

// openaiUnion: Beta.Threads.Runs.NewStreaming, the type of each event, and
// the delta text from the union's own fields (already decoded by Next).
func openaiUnion(c openai.Client) reader {
	return func(ctx context.Context) (result, error) {
		var r result
		s := c.Beta.Threads.Runs.NewStreaming(ctx, threadID, openaiParams)
		defer s.Close()
		for s.Next() {
			r.events++
			if ev := s.Current(); ev.Event == "thread.message.delta" {
				r.deltas++
				for _, part := range ev.Data.Delta.Content {
					if part.Type == "text" {
						r.textLen += len(part.Text.Value)
					}
				}
			}
		}
		return r, s.Err()
	}
}

// openaiAsDelta: like openaiUnion, but through the typed variant
// (AsThreadMessageDelta), as openai-go's docs show. That decodes the
// event's JSON a second time.
func openaiAsDelta(c openai.Client) reader {
	return func(ctx context.Context) (result, error) {
		var r result
		s := c.Beta.Threads.Runs.NewStreaming(ctx, threadID, openaiParams)
		defer s.Close()
		for s.Next() {
			r.events++
			if ev := s.Current(); ev.Event == "thread.message.delta" {
				r.deltas++
				for _, part := range ev.AsThreadMessageDelta().Data.Delta.Content {
					if part.Type == "text" {
						r.textLen += len(part.Text.Value)
					}
				}
			}
		}
		return r, s.Err()
	}
}

// openaiManualAccumulate: openai-go has no accumulator for Assistants
// streams (only ChatCompletionAccumulator), so this is what a caller would
// write to get the final text: the union's fields, with the text of each
// message's parts appended to a strings.Builder by message id and part
// index. It merges text only (no annotations, other part types or steps),
// so it does less than Stream.FinalMessages.
func openaiManualAccumulate(c openai.Client) reader {
	return func(ctx context.Context) (result, error) {
		var r result
		type parts struct{ text []strings.Builder }
		msgs := map[string]*parts{}
		var order []string
		s := c.Beta.Threads.Runs.NewStreaming(ctx, threadID, openaiParams)
		defer s.Close()
		for s.Next() {
			r.events++
			ev := s.Current()
			switch ev.Event {
			case "thread.message.created":
				if msgs[ev.Data.ID] == nil {
					msgs[ev.Data.ID] = &parts{}
					order = append(order, ev.Data.ID)
				}
			case "thread.message.delta":
				r.deltas++
				m := msgs[ev.Data.ID]
				if m == nil {
					m = &parts{}
					msgs[ev.Data.ID] = m
					order = append(order, ev.Data.ID)
				}
				for _, part := range ev.Data.Delta.Content {
					if part.Type != "text" {
						continue
					}
					for int(part.Index) >= len(m.text) {
						m.text = append(m.text, strings.Builder{})
					}
					m.text[part.Index].WriteString(part.Text.Value)
					r.textLen += len(part.Text.Value)
				}
			}
		}
		if err := s.Err(); err != nil {
			return r, err
		}
		if len(order) != 1 {
			return r, fmt.Errorf("accumulated %d messages, want 1", len(order))
		}
		var full strings.Builder
		for i := range msgs[order[0]].text {
			full.WriteString(msgs[order[0]].text[i].String())
		}
		r.final = full.String()
		return r, nil
	}
}

// ---- running them ----

// check compares what one read saw with the generated stream.
func check(g genStream, r result, wantFinal bool) error {
	switch {
	case r.events != g.events:
		return fmt.Errorf("read %d events, want %d", r.events, g.events)
	case r.deltas != g.deltas:
		return fmt.Errorf("read %d text deltas, want %d", r.deltas, g.deltas)
	case r.textLen != len(g.text):
		return fmt.Errorf("read %d bytes of delta text, want %d", r.textLen, len(g.text))
	case wantFinal && r.final != g.text:
		return errors.New("final text differs from the streamed text")
	}
	return nil
}

// runBench reads the stream once per iteration and reports MB/s (SetBytes),
// events/s and allocs/event, counting every allocation of the iteration,
// request set-up included.
func runBench(b *testing.B, g genStream, read reader, wantFinal bool) {
	ctx := context.Background()
	// One untimed read, to warm connection pools and catch a broken reader.
	r, err := read(ctx)
	if err == nil {
		err = check(g, r, wantFinal)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(g.body)))
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	b.ResetTimer()
	for range b.N {
		r, err := read(ctx)
		if err == nil {
			err = check(g, r, wantFinal)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	runtime.ReadMemStats(&after)
	events := float64(g.events) * float64(b.N)
	b.ReportMetric(events/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/events, "allocs/event")
}

// variant is one way of reading the stream, given an HTTP client and the
// base URL to use with it.
type variant struct {
	name      string
	wantFinal bool
	make      func(tb testing.TB, hc *http.Client, baseURL string) reader
}

var variants = []variant{
	{"assistants/pull-TextDelta", false, func(tb testing.TB, hc *http.Client, u string) reader {
		return ourPullText(newOurClient(tb, hc, u))
	}},
	{"assistants/pull-Event.Get", false, func(tb testing.TB, hc *http.Client, u string) reader {
		return ourPullGet(newOurClient(tb, hc, u))
	}},
	{"assistants/pull-decode-all", false, func(tb testing.TB, hc *http.Client, u string) reader {
		return ourPullDecodeAll(newOurClient(tb, hc, u))
	}},
	{"assistants/pull+FinalMessages", true, func(tb testing.TB, hc *http.Client, u string) reader {
		return ourFinalMessages(newOurClient(tb, hc, u))
	}},
	{"assistants/CreateAndStream-Handler", false, func(tb testing.TB, hc *http.Client, u string) reader {
		return ourHandler(newOurClient(tb, hc, u))
	}},
	{"openai-go/union-fields", false, func(_ testing.TB, hc *http.Client, u string) reader {
		return openaiUnion(newOpenAIClient(hc, u))
	}},
	{"openai-go/AsThreadMessageDelta", false, func(_ testing.TB, hc *http.Client, u string) reader {
		return openaiAsDelta(newOpenAIClient(hc, u))
	}},
	{"openai-go/manual-accumulate", true, func(_ testing.TB, hc *http.Client, u string) reader {
		return openaiManualAccumulate(newOpenAIClient(hc, u))
	}},
}

// BenchmarkRunStream reads a generated Assistants run stream with 10,000
// thread.message.delta events through both SDKs: "mem" serves it from an
// in-memory http.RoundTripper (decoding only; the primary numbers),
// "loopback" from an httptest.Server on 127.0.0.1 (adds the HTTP stack and
// the server's own work, on the same cores).
func BenchmarkRunStream(b *testing.B) {
	g := theStream()
	b.Run("mem", func(b *testing.B) {
		hc := &http.Client{Transport: memTransport{g.body}}
		for _, v := range variants {
			b.Run(v.name, func(b *testing.B) {
				runBench(b, g, v.make(b, hc, "http://bench.invalid/v1/"), v.wantFinal)
			})
		}
	})
	b.Run("loopback", func(b *testing.B) {
		srv := newStreamServer(b, g.body)
		for _, v := range variants {
			b.Run(v.name, func(b *testing.B) {
				tr := &http.Transport{}
				defer tr.CloseIdleConnections()
				runBench(b, g, v.make(b, &http.Client{Transport: tr}, srv.URL+"/v1/"), v.wantFinal)
			})
		}
	})
}
