package assistantstest_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assistants-go/assistants/assistantstest"
)

// The tests speak raw HTTP and JSON, never the SDK.

type api struct {
	t   testing.TB
	srv *assistantstest.Server
	key string
}

func newAPI(t testing.TB, opts ...assistantstest.Option) *api {
	t.Helper()
	srv := assistantstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return &api{t: t, srv: srv, key: "test-key"}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) obj() map[string]any {
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		panic(fmt.Sprintf("not a JSON object (%v): %s", err, r.body))
	}
	return m
}

func (a *api) request(method, path string, body any, header ...string) *response {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.srv.URL+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if a.key != "" {
		req.Header.Set("Authorization", "Bearer "+a.key)
	}
	req.Header.Set("OpenAI-Beta", "assistants=v2")
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatalf("%s %s: read: %v", method, path, err)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: data}
}

// ok performs a request that must succeed and returns the JSON object.
func (a *api) ok(method, path string, body any, header ...string) map[string]any {
	a.t.Helper()
	r := a.request(method, path, body, header...)
	if r.status != http.StatusOK {
		a.t.Fatalf("%s %s: status %d: %s", method, path, r.status, r.body)
	}
	return r.obj()
}

// fail performs a request that must fail with status and returns the error
// object.
func (a *api) fail(status int, method, path string, body any, header ...string) map[string]any {
	a.t.Helper()
	r := a.request(method, path, body, header...)
	if r.status != status {
		a.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, status, r.body)
	}
	m := r.obj()
	e, ok := m["error"].(map[string]any)
	if !ok {
		a.t.Fatalf("%s %s: no error object: %s", method, path, r.body)
	}
	for _, k := range []string{"message", "type", "param", "code"} {
		if _, ok := e[k]; !ok {
			a.t.Fatalf("error object lacks %q: %s", k, r.body)
		}
	}
	return e
}

func (a *api) upload(name, purpose string, data []byte) map[string]any {
	a.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if purpose != "" {
		_ = mw.WriteField("purpose", purpose)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("file", name)
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	r := a.request("POST", "/files", buf.Bytes(), "Content-Type", mw.FormDataContentType())
	if r.status != http.StatusOK {
		a.t.Fatalf("upload: status %d: %s", r.status, r.body)
	}
	return r.obj()
}

// poll GETs the run until it stops changing state or reaches one of want.
func (a *api) poll(threadID, runID string, want ...string) map[string]any {
	a.t.Helper()
	for i := 0; i < 50; i++ {
		run := a.ok("GET", "/threads/"+threadID+"/runs/"+runID, nil)
		for _, w := range want {
			if run["status"] == w {
				return run
			}
		}
	}
	a.t.Fatalf("run %s never reached %v", runID, want)
	return nil
}

type sseEvent struct {
	name string
	data string
}

func (e sseEvent) obj() map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(e.data), &m); err != nil {
		panic(fmt.Sprintf("event %s: %v: %s", e.name, err, e.data))
	}
	return m
}

// stream POSTs and reads the whole event stream; err is the read error, if
// any.
func (a *api) stream(path string, body any) ([]sseEvent, *http.Response, error) {
	a.t.Helper()
	data, _ := json.Marshal(body)
	req, _ := http.NewRequest("POST", a.srv.URL+path, bytes.NewReader(data))
	req.Header.Set("Authorization", "Bearer "+a.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	evs, err := parseSSE(resp.Body)
	return evs, resp, err
}

func parseSSE(r io.Reader) ([]sseEvent, error) {
	var evs []sseEvent
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	var cur sseEvent
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.name != "" || cur.data != "" {
				evs = append(evs, cur)
			}
			cur = sseEvent{}
		case strings.HasPrefix(line, "event: "):
			cur.name = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			cur.data += strings.TrimPrefix(line, "data: ")
		}
	}
	return evs, sc.Err()
}

func names(evs []sseEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.name
	}
	return out
}

// get walks a decoded JSON value: get(m, "a", 0, "b").
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		case int:
			s, ok := v.([]any)
			if !ok || k >= len(s) {
				return nil
			}
			v = s[k]
		}
	}
	return v
}

func str(v any, path ...any) string {
	s, _ := get(v, path...).(string)
	return s
}

func num(v any, path ...any) float64 {
	f, _ := get(v, path...).(float64)
	return f
}

func list(v any, path ...any) []any {
	s, _ := get(v, path...).([]any)
	return s
}

func hasKey(m map[string]any, keys ...string) error {
	for _, k := range keys {
		if _, ok := m[k]; !ok {
			return fmt.Errorf("missing field %q in %v", k, m)
		}
	}
	return nil
}

// clock is a settable time source for WithClock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Unix(1736340398, 0)} }

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var weatherTools = []any{
	map[string]any{"type": "function", "function": map[string]any{
		"name": "get_current_temperature", "description": "Get the current temperature for a specific location",
		"parameters": map[string]any{"type": "object", "properties": map[string]any{
			"location": map[string]any{"type": "string", "description": "The city and state, e.g., San Francisco, CA"},
			"unit":     map[string]any{"type": "string", "enum": []string{"Celsius", "Fahrenheit"}},
		}, "required": []string{"location", "unit"}}}},
	map[string]any{"type": "function", "function": map[string]any{
		"name": "get_rain_probability", "description": "Get the probability of rain for a specific location",
		"parameters": map[string]any{"type": "object", "properties": map[string]any{
			"location": map[string]any{"type": "string", "description": "The city and state, e.g., San Francisco, CA"},
		}, "required": []string{"location"}}}},
}

// weatherRun creates a weather assistant and a thread with the seed's
// question, and returns their ids.
func (a *api) weatherSetup() (asst, thread string) {
	a.t.Helper()
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o",
		"instructions": "You are a weather bot. Use the provided functions to answer questions.", "tools": weatherTools})
	th := a.ok("POST", "/threads", map[string]any{"messages": []any{map[string]any{"role": "user",
		"content": "What's the weather in San Francisco today and the likelihood it'll rain?"}}})
	return str(as, "id"), str(th, "id")
}
