package assistantstest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/assistants-go/assistants/assistantstest"
)

func TestFaultInjection(t *testing.T) {
	a := newAPI(t, assistantstest.WithFault(assistantstest.Fault{Method: "POST", Path: "/assistants", Status: 429, Times: 2, RetryAfter: 1500 * time.Millisecond}))
	for i := 0; i < 2; i++ {
		r := a.request("POST", "/assistants", map[string]any{"model": "gpt-4o"})
		if r.status != 429 || r.header.Get("retry-after-ms") != "1500" || r.header.Get("retry-after") != "2" {
			t.Fatalf("attempt %d: %d %v %s", i, r.status, r.header, r.body)
		}
		if e := r.obj()["error"]; str(e, "code") != "rate_limit_exceeded" {
			t.Errorf("429 body: %s", r.body)
		}
	}
	a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"})
	if n := a.srv.RequestCount("POST", "/assistants"); n != 3 {
		t.Errorf("RequestCount = %d", n)
	}
	if l := a.ok("GET", "/assistants", nil); len(list(l, "data")) != 1 {
		t.Errorf("faulted requests must create nothing: %v", l)
	}
	reqs := a.srv.Requests()
	if !reqs[0].Faulted || reqs[0].Status != 429 || reqs[2].Faulted || reqs[2].Status != 200 ||
		!strings.Contains(string(reqs[2].Body), "gpt-4o") || reqs[2].Header.Get("Authorization") != "Bearer test-key" {
		t.Errorf("recorded requests: %+v", reqs[:3])
	}

	// A 500 with a custom body and header on a glob path, added at run time.
	th := a.ok("POST", "/threads", nil)
	a.srv.AddFault(assistantstest.Fault{Method: "GET", Path: "/threads/*", Status: 500, Times: 1,
		Body:   `{"error":{"message":"boom","type":"server_error","param":null,"code":null}}`,
		Header: http.Header{"X-Should-Retry": {"false"}}})
	r := a.request("GET", "/threads/"+str(th, "id"), nil)
	if r.status != 500 || r.header.Get("x-should-retry") != "false" || !strings.Contains(string(r.body), "boom") {
		t.Errorf("500 fault: %d %v %s", r.status, r.header, r.body)
	}
	a.ok("GET", "/threads/"+str(th, "id"), nil)
	// Default 5xx body; PathPrefix; unlimited Times until cleared.
	a.srv.AddFault(assistantstest.Fault{PathPrefix: "/vector_stores", Status: 503})
	for i := 0; i < 3; i++ {
		if e := a.fail(503, "GET", "/vector_stores", nil); str(e, "type") != "server_error" {
			t.Errorf("503: %v", e)
		}
	}
	a.srv.ClearFaults()
	a.ok("GET", "/vector_stores", nil)
	if n := a.srv.RequestCount("GET", "/v1/vector_stores"); n != 4 {
		t.Errorf("count with /v1 prefix: %d", n)
	}
	a.srv.ResetRequests()
	if len(a.srv.Requests()) != 0 {
		t.Error("ResetRequests")
	}
}

func TestLatency(t *testing.T) {
	a := newAPI(t, assistantstest.WithLatency(30*time.Millisecond))
	a.srv.AddFault(assistantstest.Fault{Path: "/files", Latency: 50 * time.Millisecond, Times: 1})
	start := time.Now()
	a.ok("GET", "/files", nil)
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Errorf("latency not applied: %v", d)
	}
}

func TestIdempotencyKey(t *testing.T) {
	a := newAPI(t)
	first := a.request("POST", "/assistants", map[string]any{"model": "gpt-4o"}, "Idempotency-Key", "key-1")
	second := a.request("POST", "/assistants", map[string]any{"model": "gpt-4o"}, "Idempotency-Key", "key-1")
	if first.status != 200 || second.status != 200 || string(first.body) != string(second.body) {
		t.Fatalf("replay differs:\n%s\n%s", first.body, second.body)
	}
	if second.header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay header: %v", second.header)
	}
	if l := a.ok("GET", "/assistants", nil); len(list(l, "data")) != 1 {
		t.Errorf("created twice: %v", l)
	}
	// Errors replay too.
	e1 := a.request("POST", "/assistants", map[string]any{}, "Idempotency-Key", "key-2")
	e2 := a.request("POST", "/assistants", map[string]any{"model": "gpt-4o"}, "Idempotency-Key", "key-2")
	if e1.status != 400 || e2.status != 400 || string(e1.body) != string(e2.body) {
		t.Errorf("error replay: %d %d", e1.status, e2.status)
	}
	// A fault does not consume the key: the retry creates the object once.
	a.srv.AddFault(assistantstest.Fault{Path: "/threads", Status: 500, Times: 1})
	a.request("POST", "/threads", nil, "Idempotency-Key", "key-3")
	t1 := a.ok("POST", "/threads", nil, "Idempotency-Key", "key-3")
	t2 := a.ok("POST", "/threads", nil, "Idempotency-Key", "key-3")
	if t1["id"] != t2["id"] {
		t.Errorf("thread created twice: %v %v", t1["id"], t2["id"])
	}
	// Same key on another path is refused.
	a.fail(400, "POST", "/vector_stores", nil, "Idempotency-Key", "key-3")
	// A streamed run replays the same events.
	asst, tid := a.weatherSetup()
	s1 := a.request("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": asst, "stream": true}, "Idempotency-Key", "key-4")
	s2 := a.request("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": asst, "stream": true}, "Idempotency-Key", "key-4")
	if s1.status != 200 || string(s1.body) != string(s2.body) || !strings.HasPrefix(s2.header.Get("Content-Type"), "text/event-stream") {
		t.Errorf("stream replay: %d %q", s2.status, s2.header.Get("Content-Type"))
	}
	if l := a.ok("GET", "/threads/"+tid+"/runs", nil); len(list(l, "data")) != 1 {
		t.Errorf("run created twice: %v", l)
	}
}
