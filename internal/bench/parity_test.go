package bench

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/assistants-go/assistants"
)

// TestVariantsReadTheWholeStream checks every benchmarked variant, over both
// transports, on a small stream and on the benchmark's stream: each sees
// every event and every delta, and the accumulating ones the exact text.
func TestVariantsReadTheWholeStream(t *testing.T) {
	for _, g := range []genStream{makeStream(120), theStream()} {
		srv := newStreamServer(t, g.body)
		for _, v := range variants {
			for _, tr := range []struct {
				name string
				hc   *http.Client
				url  string
			}{
				{"mem", &http.Client{Transport: memTransport{g.body}}, "http://bench.invalid/v1/"},
				{"loopback", &http.Client{Transport: &http.Transport{}}, srv.URL + "/v1/"},
			} {
				r, err := v.make(t, tr.hc, tr.url)(context.Background())
				if err == nil {
					err = check(g, r, v.wantFinal)
				}
				if err != nil {
					t.Errorf("%d deltas, %s, %s: %v", g.deltas, tr.name, v.name, err)
				}
				tr.hc.CloseIdleConnections()
			}
		}
	}
}

// TestBothSDKsSeeTheSameText compares the delta text, piece by piece, that
// each SDK hands its caller.
func TestBothSDKsSeeTheSameText(t *testing.T) {
	g := makeStream(500)
	hc := &http.Client{Transport: memTransport{g.body}}
	ctx := context.Background()

	var ours []string
	s, err := newOurClient(t, hc, "http://bench.invalid/v1/").Runs.CreateStream(ctx, threadID, ourParams)
	if err != nil {
		t.Fatal(err)
	}
	for s.Next() {
		if s.Event().Type == assistants.EventThreadMessageDelta {
			ours = append(ours, s.TextDelta())
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	run, err := s.FinalRun()
	if err != nil || run.Status != "completed" || run.Usage == nil || run.Usage.CompletionTokens != 10532 {
		t.Fatalf("FinalRun = %+v, %v", run, err)
	}

	var theirs []string
	oc := newOpenAIClient(hc, "http://bench.invalid/v1/")
	ost := oc.Beta.Threads.Runs.NewStreaming(ctx, threadID, openaiParams)
	defer ost.Close()
	for ost.Next() {
		if ev := ost.Current(); ev.Event == "thread.message.delta" {
			theirs = append(theirs, ev.Data.Delta.Content[0].Text.Value)
		}
	}
	if err := ost.Err(); err != nil {
		t.Fatal(err)
	}

	if len(ours) != g.deltas || len(theirs) != g.deltas {
		t.Fatalf("deltas: ours %d, openai-go %d, want %d", len(ours), len(theirs), g.deltas)
	}
	for i := range ours {
		if ours[i] != theirs[i] {
			t.Fatalf("delta %d: ours %q, openai-go %q", i, ours[i], theirs[i])
		}
	}
	if got := strings.Join(ours, ""); got != g.text {
		t.Fatalf("text differs from the generated text")
	}
}

// TestGeneratedStream pins the shape of the benchmark's stream.
func TestGeneratedStream(t *testing.T) {
	g := theStream()
	if g.deltas != numDeltas || g.events != numDeltas+10 {
		t.Fatalf("%d deltas in %d events, want %d in %d", g.deltas, g.events, numDeltas, numDeltas+10)
	}
	if !strings.HasSuffix(string(g.body), "event: done\ndata: [DONE]\n\n") {
		t.Fatal("the stream does not end with the done event")
	}
	t.Logf("%d bytes, %d events (+ done), %d deltas, %d bytes of text", len(g.body), g.events, g.deltas, len(g.text))
}
