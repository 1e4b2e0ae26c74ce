package speccheck

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/assistants-go/assistants/assistantstest"
)

// This file checks the RESPONSES of the in-process server (assistantstest)
// against the spec: every JSON body against the operation's response schema
// for its status, every server-sent event against the schema of its event
// name (AssistantStreamEvent), and every error body against ErrorResponse.
// It speaks raw HTTP, not the SDK, so that nothing decodes leniently on the
// way.

// allowance is a known, justified difference between the spec and the real
// API, where the server follows the real API. An error is allowed when the
// object holding the offending (or missing) property has the "object" value
// given (if any), the property is the one named, the error's path matches
// path (if given), the message contains msg and when (if given) accepts the
// holding object.
type allowance struct {
	object string         // the holding object's "object" property
	field  string         // the offending or missing property
	path   *regexp.Regexp // matched against the error's path
	msg    string         // a substring of the validator's message
	when   func(holder map[string]any) bool
	why    string
}

// allowances lists every accepted deviation from the spec. Keep it short and
// justify each one with the real API's behaviour.
var allowances = []allowance{
	{
		// The real API answers an empty list with "first_id": null and
		// "last_id": null (there is no first or last object), where the
		// spec's list schemas declare both as plain strings.
		object: "list", field: "first_id", msg: "expected string, got null", when: emptyList,
		why: "empty lists have first_id null (real API; the spec says string)",
	},
	{
		object: "list", field: "last_id", msg: "expected string, got null", when: emptyList,
		why: "empty lists have last_id null (real API; the spec says string)",
	},
	{
		// The real API echoes a file_search tool without an explicit
		// max_num_results as "max_num_results": null (seed 000: the
		// assistant and run objects of the cookbook show
		// 'file_search': {'max_num_results': None, 'ranking_options': …}),
		// where the spec declares an integer 1..50.
		field: "max_num_results", path: regexp.MustCompile(`tools\[\d+\]\.file_search\.max_num_results$`),
		msg: "expected integer, got null",
		why: "file_search tools echo max_num_results null when unset (real API, seed 000; the spec says integer)",
	},
}

func emptyList(m map[string]any) bool {
	d, ok := m["data"].([]any)
	return ok && len(d) == 0
}

// checker drives the server and validates what it answers.
type checker struct {
	t      *testing.T
	s      *Spec
	srv    *assistantstest.Server
	events map[string]any // event name -> variant schema

	bodies   map[string]int // "METHOD /template status" -> JSON bodies validated
	streamed map[string]int // event name -> events validated
	errs     map[int]int    // status -> error bodies validated
	allowed  map[string]int // allowance.why -> errors accepted
	raw      int            // non-JSON bodies (file content)

	schemas map[string]any  // the schemas used, by where they come from
	ops     map[string]bool // the operations whose responses were checked

	mu sync.Mutex // guards the counters, for streams read by other goroutines
}

func newChecker(t *testing.T, opts ...assistantstest.Option) *checker {
	s := loadSpec(t)
	events, err := s.StreamEventSchemas("AssistantStreamEvent")
	if err != nil {
		t.Fatal(err)
	}
	srv := assistantstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	return &checker{t: t, s: s, srv: srv, events: events,
		bodies: map[string]int{}, streamed: map[string]int{}, errs: map[int]int{}, allowed: map[string]int{},
		schemas: map[string]any{}, ops: map[string]bool{}}
}

// send makes a request. body is nil, a []byte (sent as is with ctype) or a
// value marshalled to JSON. The request body, when JSON, is checked against
// the spec too, so that the flow exercises only documented requests (unless
// the test means to send a bad one: badRequest).
func (c *checker) send(method, path string, body any, ctype string, badRequest bool, header ...string) (*http.Response, []byte) {
	c.t.Helper()
	resp, data, err := c.sendErr(method, path, body, ctype, badRequest, header...)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, data
}

// sendErr is send for any goroutine: it reports failures as errors.
func (c *checker) sendErr(method, path string, body any, ctype string, badRequest bool, header ...string) (*http.Response, []byte, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			return nil, nil, err
		}
		rd = bytes.NewReader(data)
		ctype = "application/json"
		if !badRequest {
			if op, err := c.s.Operation(method, pathOnly(path)); err == nil {
				for _, e := range op.CheckJSONBody(data) {
					c.t.Errorf("test bug: request %s %s does not conform: %s", method, path, e)
				}
			}
		}
	}
	req, err := http.NewRequest(method, c.srv.URL+path, rd)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer sk-test")
	req.Header.Set("OpenAI-Beta", "assistants=v2")
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	for i := 0; i+1 < len(header); i += 2 {
		if header[i+1] == "" {
			req.Header.Del(header[i])
		} else {
			req.Header.Set(header[i], header[i+1])
		}
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, fmt.Errorf("%s %s: reading the response: %v", method, path, err)
	}
	return resp, data, nil
}

func pathOnly(p string) string {
	p, _, _ = strings.Cut(p, "?")
	return p
}

// call makes a JSON request that must answer want and validates the
// response body. It returns the decoded body.
func (c *checker) call(method, path string, body any, want int) map[string]any {
	c.t.Helper()
	resp, data := c.send(method, path, body, "", want >= 400)
	return c.check(method, path, resp, data, want)
}

// check validates a JSON response.
func (c *checker) check(method, path string, resp *http.Response, data []byte, want int) map[string]any {
	c.t.Helper()
	where := method + " " + path
	if resp.StatusCode != want {
		c.t.Fatalf("%s: status %d, want %d: %s", where, resp.StatusCode, want, data)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/json" {
		c.t.Errorf("%s: Content-Type %q, want application/json", where, resp.Header.Get("Content-Type"))
	}
	val, err := decodeBody(data)
	if err != nil {
		c.t.Fatalf("%s: response is not JSON: %v: %s", where, err, data)
	}
	obj, _ := val.(map[string]any)

	op, opErr := c.s.Operation(method, pathOnly(path))
	var schema any
	declared := false
	if opErr == nil {
		schema, declared, err = op.ResponseSchema(resp.StatusCode, "application/json")
		if err != nil {
			c.t.Errorf("%s: %v", where, err)
			return obj
		}
	}
	switch {
	case declared:
		for _, e := range op.CheckResponseHeaders(resp.StatusCode, resp.Header) {
			c.t.Errorf("%s: %s", where, e)
		}
		c.mu.Lock()
		c.schemas[fmt.Sprintf("%s response %d", op, resp.StatusCode)] = schema
		c.mu.Unlock()
		c.report(where, val, c.s.Validate(schema, val, "$"))
	case resp.StatusCode >= 400:
		// The spec documents few error statuses; every error has the
		// API's error shape, which the spec names ErrorResponse.
		c.checkError(where, val)
	case opErr != nil:
		c.t.Errorf("%s: %v", where, opErr)
		return obj
	default:
		c.t.Errorf("%s: the spec declares no %d response for %s (it has %s)", where, resp.StatusCode, op, strings.Join(op.ResponseStatuses(), ", "))
		return obj
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if opErr == nil {
		c.ops[op.String()] = true
	}
	if resp.StatusCode >= 400 {
		c.errs[resp.StatusCode]++
		if declared {
			c.checkError(where, val) // the exact shape as well
		}
	} else {
		c.bodies[fmt.Sprintf("%s %d", op, resp.StatusCode)]++
	}
	return obj
}

// checkError checks the {"error":{"message","type","param","code"}} shape:
// the spec's ErrorResponse, with exactly those four properties.
func (c *checker) checkError(where string, val any) {
	c.t.Helper()
	schema, err := c.s.Schema("ErrorResponse")
	if err != nil {
		c.t.Fatal(err)
	}
	c.report(where, val, c.s.Validate(schema, val, "$"))
	obj, _ := val.(map[string]any)
	if len(obj) != 1 {
		c.t.Errorf("%s: error body has properties %v, want only \"error\"", where, keys(obj))
	}
	e, _ := obj["error"].(map[string]any)
	if got := keys(e); strings.Join(got, ",") != "code,message,param,type" {
		c.t.Errorf("%s: error object has properties %v, want code, message, param, type", where, got)
	}
	if m, _ := e["message"].(string); m == "" {
		c.t.Errorf("%s: error message is empty", where)
	}
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// report fails the test for each error not covered by an allowance.
func (c *checker) report(where string, val any, errs []Error) {
	c.t.Helper()
	for _, e := range errs {
		if a := allowed(val, e); a != nil {
			c.mu.Lock()
			c.allowed[a.why]++
			c.mu.Unlock()
			continue
		}
		c.t.Errorf("%s: %s", where, e)
	}
}

var missingRE = regexp.MustCompile(`^missing required property "([^"]+)"`)

// allowed returns the allowance covering e, if any.
func allowed(root any, e Error) *allowance {
	var obj map[string]any
	var field string
	if m := missingRE.FindStringSubmatch(e.Msg); m != nil {
		obj, _ = lookup(root, e.Path).(map[string]any)
		field = m[1]
	} else {
		parent, last := splitPath(e.Path)
		obj, _ = lookup(root, parent).(map[string]any)
		field = last
	}
	if obj == nil {
		return nil
	}
	for i := range allowances {
		a := &allowances[i]
		if a.object != "" && obj["object"] != a.object {
			continue
		}
		if field != a.field || !strings.Contains(e.Msg, a.msg) {
			continue
		}
		if a.path != nil && !a.path.MatchString(e.Path) {
			continue
		}
		if a.when != nil && !a.when(obj) {
			continue
		}
		return a
	}
	return nil
}

var pathTokRE = regexp.MustCompile(`\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]`)

// pathTokens splits a validator path ("$.data[0].status", `$["a b"]`) into
// keys (strings) and indexes (ints), without the root.
func pathTokens(p string) []any {
	var out []any
	for _, m := range pathTokRE.FindAllStringSubmatch(strings.TrimPrefix(p, "$"), -1) {
		switch {
		case m[1] != "":
			out = append(out, m[1])
		case m[2] != "":
			n, _ := strconv.Atoi(m[2])
			out = append(out, n)
		default:
			var s string
			_ = json.Unmarshal([]byte(m[3]), &s)
			out = append(out, s)
		}
	}
	return out
}

// splitPath returns the path of the parent and the last key ("" if the last
// token is an index).
func splitPath(p string) (string, string) {
	toks := pathTokens(p)
	if len(toks) == 0 {
		return p, ""
	}
	last, _ := toks[len(toks)-1].(string)
	var b strings.Builder
	b.WriteString("$")
	for _, t := range toks[:len(toks)-1] {
		switch t := t.(type) {
		case string:
			b.WriteString(keyPath("", t))
		case int:
			fmt.Fprintf(&b, "[%d]", t)
		}
	}
	return b.String(), last
}

func lookup(v any, p string) any {
	for _, t := range pathTokens(p) {
		switch t := t.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[t]
		case int:
			a, _ := v.([]any)
			if t >= len(a) {
				return nil
			}
			v = a[t]
		}
	}
	return v
}

func decodeBody(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return v, nil
}

// sseEvent is one server-sent event.
type sseEvent struct {
	name string
	data string
	obj  map[string]any // the decoded data (nil for done)
}

// stream makes a streaming POST and validates every event. It returns the
// events in order.
func (c *checker) stream(path string, body any) []sseEvent {
	c.t.Helper()
	evs, err := c.streamErr(path, body)
	if err != nil {
		c.t.Fatal(err)
	}
	return evs
}

// streamNoFatal is stream for another goroutine than the test's.
func (c *checker) streamNoFatal(path string, body any) []sseEvent {
	evs, err := c.streamErr(path, body)
	if err != nil {
		c.t.Error(err)
	}
	return evs
}

func (c *checker) streamErr(path string, body any) ([]sseEvent, error) {
	where := "POST " + path
	resp, data, err := c.sendErr("POST", path, body, "", false)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: status %d: %s", where, resp.StatusCode, data)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "text/event-stream" {
		c.t.Errorf("%s: Content-Type %q, want text/event-stream", where, resp.Header.Get("Content-Type"))
	}
	evs := parseSSE(c.t, data)
	if len(evs) == 0 {
		return nil, fmt.Errorf("%s: no events", where)
	}
	for i, ev := range evs {
		evWhere := fmt.Sprintf("%s: event %d (%s)", where, i, ev.name)
		schema, ok := c.events[ev.name]
		if !ok {
			c.t.Errorf("%s: the spec has no event %q", evWhere, ev.name)
			continue
		}
		var d any = ev.data
		if ev.name != "done" {
			v, err := decodeBody([]byte(ev.data))
			if err != nil {
				c.t.Errorf("%s: data is not JSON: %v: %s", evWhere, err, ev.data)
				continue
			}
			d = v
			evs[i].obj, _ = v.(map[string]any)
		}
		val := map[string]any{"event": ev.name, "data": d}
		c.mu.Lock()
		c.schemas["event "+ev.name] = schema
		c.mu.Unlock()
		c.report(evWhere, val, c.s.Validate(schema, val, "$"))
		if ev.name == "error" {
			c.checkError(evWhere, map[string]any{"error": d})
		}
		c.mu.Lock()
		c.streamed[ev.name]++
		c.mu.Unlock()
	}
	if last := evs[len(evs)-1].name; last != "done" && last != "error" {
		c.t.Errorf("%s: the stream ends with %q, not done", where, last)
	}
	return evs, nil
}

func parseSSE(t *testing.T, data []byte) []sseEvent {
	var out []sseEvent
	var cur sseEvent
	var lines []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case line == "":
			if cur.name != "" || len(lines) > 0 {
				cur.data = strings.Join(lines, "\n")
				out = append(out, cur)
			}
			cur, lines = sseEvent{}, nil
		case strings.HasPrefix(line, ":"):
		case strings.HasPrefix(line, "event:"):
			cur.name = strings.TrimPrefix(strings.TrimPrefix(line, "event:"), " ")
		case strings.HasPrefix(line, "data:"):
			lines = append(lines, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " "))
		default:
			t.Errorf("unexpected SSE line %q", line)
		}
	}
	if cur.name != "" || len(lines) > 0 {
		t.Errorf("the stream ends in the middle of an event (%q)", cur.name)
	}
	return out
}

// upload sends a file with a multipart request and validates the answer.
func (c *checker) upload(name, purpose, content string, fields ...string) map[string]any {
	c.t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	_ = mw.WriteField("purpose", purpose)
	form := map[string][]string{"purpose": {purpose}}
	for i := 0; i+1 < len(fields); i += 2 {
		_ = mw.WriteField(fields[i], fields[i+1])
		form[fields[i]] = append(form[fields[i]], fields[i+1])
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = io.WriteString(fw, content)
	_ = mw.Close()
	op, err := c.s.Operation("POST", "/files")
	if err != nil {
		c.t.Fatal(err)
	}
	for _, e := range op.CheckMultipart(form, map[string]string{"file": name}) {
		c.t.Errorf("test bug: upload request does not conform: %s", e)
	}
	resp, data := c.send("POST", "/files", b.Bytes(), mw.FormDataContentType(), false)
	return c.check("POST", "/files", resp, data, 200)
}

func str(m map[string]any, path string) string {
	s, _ := lookup(m, "$."+path).(string)
	return s
}

// runUntil polls a run until its status is one of want.
func (c *checker) runUntil(tid, rid string, want ...string) map[string]any {
	c.t.Helper()
	for range 50 {
		run := c.call("GET", "/threads/"+tid+"/runs/"+rid, nil, 200)
		st := str(run, "status")
		for _, w := range want {
			if st == w {
				return run
			}
		}
		switch st {
		case "failed", "cancelled", "expired", "incomplete", "completed":
			c.t.Fatalf("run %s ended %s, want %v: %v", rid, st, want, run)
		}
	}
	c.t.Fatalf("run %s never reached %v", rid, want)
	return nil
}

// lastEvent returns the last event named name.
func lastEvent(evs []sseEvent, name string) map[string]any {
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].name == name {
			return evs[i].obj
		}
	}
	return nil
}

var weatherTools = []any{
	map[string]any{"type": "function", "function": map[string]any{
		"name":        "get_current_temperature",
		"description": "Get the current temperature for a specific location",
		"parameters": map[string]any{
			"type": "object",
			"properties": map[string]any{
				"location": map[string]any{"type": "string", "description": "The city and state, e.g., San Francisco, CA"},
				"unit":     map[string]any{"type": "string", "enum": []string{"Celsius", "Fahrenheit"}},
			},
			"required": []string{"location", "unit"},
		},
	}},
	map[string]any{"type": "function", "function": map[string]any{
		"name":        "get_rain_probability",
		"description": "Get the probability of rain for a specific location",
		"parameters": map[string]any{
			"type":       "object",
			"properties": map[string]any{"location": map[string]any{"type": "string"}},
			"required":   []string{"location"},
		},
		"strict": false,
	}},
}

const weatherQuestion = "What's the weather in San Francisco today and the likelihood it'll rain?"

// toolOutputs answers every call of a requires_action run.
func toolOutputs(run map[string]any) []any {
	calls, _ := lookup(run, "$.required_action.submit_tool_outputs.tool_calls").([]any)
	var outs []any
	for _, tc := range calls {
		m, _ := tc.(map[string]any)
		out := "57"
		if str(m, "function.name") == "get_rain_probability" {
			out = "0.06"
		}
		outs = append(outs, map[string]any{"tool_call_id": m["id"], "output": out})
	}
	return outs
}

// TestServerResponsesConformToSpec drives every endpoint of the in-process
// server with raw HTTP and validates every response against the spec.
func TestServerResponsesConformToSpec(t *testing.T) {
	c := newChecker(t)

	// --- files
	doc := c.upload("hubble.txt", "assistants",
		"The Hubble constant measures how fast the universe expands. Edwin Hubble observed galaxies receding in 1929.\n")
	docID := str(doc, "id")
	spare := c.upload("notes.md", "assistants", "# Notes\nNothing much here.\n")
	spareID := str(spare, "id")
	c.call("GET", "/files/"+docID, nil, 200)
	c.call("GET", "/files", nil, 200)
	c.call("GET", "/files?purpose=assistants&limit=1&order=asc", nil, 200)
	resp, data := c.send("GET", "/files/"+docID+"/content", nil, "", false)
	if resp.StatusCode != 200 || !strings.Contains(string(data), "Hubble constant") {
		t.Errorf("GET /files/%s/content: %d %q", docID, resp.StatusCode, data)
	}
	// The spec gives the content as "application/json: type: string"; the
	// API (and the server) answer with the file's raw bytes, so this body
	// is checked for its content only.
	c.raw++

	// --- vector stores, their files and file batches
	vs := c.call("POST", "/vector_stores", map[string]any{"name": "Papers", "file_ids": []string{docID},
		"metadata": map[string]any{"k": "v"}}, 200)
	vsID := str(vs, "id")
	c.call("GET", "/vector_stores/"+vsID, nil, 200)
	c.call("POST", "/vector_stores/"+vsID, map[string]any{"name": "Papers 2",
		"expires_after": map[string]any{"anchor": "last_active_at", "days": 7}}, 200)
	c.call("GET", "/vector_stores", nil, 200)
	c.call("GET", "/vector_stores?limit=1", nil, 200)
	c.call("GET", "/vector_stores/"+vsID+"/files", nil, 200)
	c.call("GET", "/vector_stores/"+vsID+"/files/"+docID, nil, 200)
	c.call("GET", "/vector_stores/"+vsID+"/files/"+docID+"/content", nil, 200)
	c.call("POST", "/vector_stores/"+vsID+"/files/"+docID, map[string]any{"attributes": map[string]any{"year": 1929, "topic": "cosmology", "peer_reviewed": true}}, 200)
	// search: a plain query, then every request parameter (several queries,
	// a nested compound filter), then a filter that leaves nothing
	search := "/vector_stores/" + vsID + "/search"
	hits := c.call("POST", search, map[string]any{"query": "How fast does the universe expand?"}, 200)
	if str(hits, "data[0].file_id") != docID || str(hits, "data[0].content[0].type") != "text" {
		t.Errorf("search: no hit in %s: %v", docID, hits)
	}
	hits = c.call("POST", search, map[string]any{"query": []string{"Hubble constant", "galaxies receding"}, "rewrite_query": true,
		"max_num_results": 5, "ranking_options": map[string]any{"ranker": "default-2024-11-15", "score_threshold": 0.2},
		"filters": map[string]any{"type": "and", "filters": []any{
			map[string]any{"type": "eq", "key": "topic", "value": "cosmology"},
			map[string]any{"type": "or", "filters": []any{
				map[string]any{"type": "gte", "key": "year", "value": 1900},
				map[string]any{"type": "in", "key": "topic", "value": []string{"astronomy", "physics"}},
			}},
			map[string]any{"type": "ne", "key": "peer_reviewed", "value": false},
		}}}, 200)
	if str(hits, "data[0].attributes.topic") != "cosmology" {
		t.Errorf("filtered search: %v", hits)
	}
	hits = c.call("POST", search, map[string]any{"query": "Hubble", "ranking_options": map[string]any{"ranker": "none"},
		"filters": map[string]any{"type": "nin", "key": "year", "value": []any{1929, 1930}}}, 200)
	if len(hits["data"].([]any)) != 0 {
		t.Errorf("search with a filter that excludes every file: %v", hits)
	}
	c.call("POST", "/vector_stores/"+vsID+"/files", map[string]any{"file_id": spareID,
		"chunking_strategy": map[string]any{"type": "static", "static": map[string]any{"max_chunk_size_tokens": 400, "chunk_overlap_tokens": 100}}}, 200)
	c.call("GET", "/vector_stores/"+vsID+"/files?filter=completed&order=asc", nil, 200)
	c.call("DELETE", "/vector_stores/"+vsID+"/files/"+spareID, nil, 200)
	batch := c.call("POST", "/vector_stores/"+vsID+"/file_batches", map[string]any{"file_ids": []string{spareID}}, 200)
	bID := str(batch, "id")
	c.call("GET", "/vector_stores/"+vsID+"/file_batches/"+bID, nil, 200)
	c.call("GET", "/vector_stores/"+vsID+"/file_batches/"+bID+"/files", nil, 200)
	// A batch still in progress can be cancelled: make a fresh one.
	batch2 := c.call("POST", "/vector_stores/"+vsID+"/file_batches", map[string]any{"file_ids": []string{spareID}}, 200)
	if str(batch2, "status") == "in_progress" {
		c.call("POST", "/vector_stores/"+vsID+"/file_batches/"+str(batch2, "id")+"/cancel", nil, 200)
	} else {
		c.call("POST", "/vector_stores/"+vsID+"/file_batches/"+str(batch2, "id")+"/cancel", nil, 400)
	}
	c.call("GET", "/vector_stores/"+vsID+"/file_batches/"+str(batch2, "id")+"/files?filter=cancelled", nil, 200)
	vs2 := c.call("POST", "/vector_stores", map[string]any{}, 200)
	c.call("DELETE", "/vector_stores/"+str(vs2, "id"), nil, 200)

	// --- assistants
	asst := c.call("POST", "/assistants", map[string]any{
		"model": "gpt-4o", "name": "Weather Bot", "instructions": "You are a weather bot. Use the provided functions to answer questions.",
		"tools": weatherTools,
	}, 200)
	asstID := str(asst, "id")
	tutor := c.call("POST", "/assistants", map[string]any{
		"model": "gpt-4o", "name": "Math Tutor", "description": "Solves equations",
		"instructions": "You are a personal math tutor. Answer questions briefly, in a sentence or less.",
		"tools":        []any{map[string]any{"type": "code_interpreter"}, map[string]any{"type": "file_search"}},
		"tool_resources": map[string]any{
			"code_interpreter": map[string]any{"file_ids": []string{docID}},
			"file_search":      map[string]any{"vector_store_ids": []string{vsID}},
		},
		"metadata": map[string]any{"team": "math"}, "temperature": 1, "top_p": 1,
		"response_format": "auto",
	}, 200)
	tutorID := str(tutor, "id")
	c.call("GET", "/assistants/"+tutorID, nil, 200)
	c.call("POST", "/assistants/"+tutorID, map[string]any{"name": "Math Tutor 2", "metadata": map[string]any{"v": "2"}}, 200)
	c.call("GET", "/assistants", nil, 200)
	c.call("GET", "/assistants?limit=1&order=asc", nil, 200)
	tmp := c.call("POST", "/assistants", map[string]any{"model": "gpt-4o-mini",
		"response_format": map[string]any{"type": "json_schema", "json_schema": map[string]any{"name": "answer",
			"schema": map[string]any{"type": "object", "properties": map[string]any{"x": map[string]any{"type": "integer"}}}}}}, 200)
	c.call("DELETE", "/assistants/"+str(tmp, "id"), nil, 200)

	// --- threads and messages
	th := c.call("POST", "/threads", map[string]any{
		"messages": []any{map[string]any{"role": "user", "content": "I need to solve the equation `3x + 11 = 14`. Can you help me?"}},
		"metadata": map[string]any{"user": "u1"},
	}, 200)
	thID := str(th, "id")
	c.call("GET", "/threads/"+thID, nil, 200)
	c.call("POST", "/threads/"+thID, map[string]any{"metadata": map[string]any{"user": "u2"},
		"tool_resources": map[string]any{"code_interpreter": map[string]any{"file_ids": []string{}}}}, 200)
	msg := c.call("POST", "/threads/"+thID+"/messages", map[string]any{"role": "user",
		"content": []any{
			map[string]any{"type": "text", "text": "Also look at this."},
			map[string]any{"type": "image_url", "image_url": map[string]any{"url": "https://example.com/x.png", "detail": "low"}},
			map[string]any{"type": "image_file", "image_file": map[string]any{"file_id": docID}},
		},
		"attachments": []any{map[string]any{"file_id": docID, "tools": []any{map[string]any{"type": "file_search"}}}},
	}, 200)
	msgID := str(msg, "id")
	c.call("GET", "/threads/"+thID+"/messages/"+msgID, nil, 200)
	c.call("POST", "/threads/"+thID+"/messages/"+msgID, map[string]any{"metadata": map[string]any{"seen": "yes"}}, 200)
	c.call("DELETE", "/threads/"+thID+"/messages/"+msgID, nil, 200)
	c.call("GET", "/threads/"+thID+"/messages", nil, 200)

	// --- a polled run that answers with text
	run := c.call("POST", "/threads/"+thID+"/runs", map[string]any{"assistant_id": tutorID,
		"additional_instructions": "Be kind.", "metadata": map[string]any{"try": "1"},
		"truncation_strategy": map[string]any{"type": "last_messages", "last_messages": 10},
		"max_prompt_tokens":   1000, "max_completion_tokens": 1000, "tool_choice": "auto", "parallel_tool_calls": true}, 200)
	runID := str(run, "id")
	// Not in the spec's RunObject, but the API sends it (seed 000:
	// 'tool_resources': {} on every run).
	if tr, ok := run["tool_resources"].(map[string]any); !ok || len(tr) != 0 {
		t.Errorf("run tool_resources = %v, want {}", run["tool_resources"])
	}
	c.runUntil(thID, runID, "completed")
	c.call("GET", "/threads/"+thID+"/runs", nil, 200)
	c.call("POST", "/threads/"+thID+"/runs/"+runID, map[string]any{"metadata": map[string]any{"try": "2"}}, 200)
	steps := c.call("GET", "/threads/"+thID+"/runs/"+runID+"/steps", nil, 200)
	for _, st := range steps["data"].([]any) {
		id := str(st.(map[string]any), "id")
		c.call("GET", "/threads/"+thID+"/runs/"+runID+"/steps/"+id, nil, 200)
		c.call("GET", "/threads/"+thID+"/runs/"+runID+"/steps/"+id+"?include[]=step_details.tool_calls[*].file_search.results[*].content", nil, 200)
	}
	c.call("GET", "/threads/"+thID+"/messages?order=asc&run_id="+runID, nil, 200)

	// --- code interpreter and file search runs (polled)
	c.call("POST", "/threads/"+thID+"/messages", map[string]any{"role": "user", "content": "Generate the first 20 fibonacci numbers with code."}, 200)
	run = c.call("POST", "/threads/"+thID+"/runs", map[string]any{"assistant_id": tutorID}, 200)
	c.runUntil(thID, str(run, "id"), "completed")
	c.call("GET", "/threads/"+thID+"/runs/"+str(run, "id")+"/steps?order=asc", nil, 200)
	c.call("POST", "/threads/"+thID+"/messages", map[string]any{"role": "user", "content": "What does the uploaded file say about the Hubble constant? Search the files."}, 200)
	run = c.call("POST", "/threads/"+thID+"/runs", map[string]any{"assistant_id": tutorID, "tool_choice": map[string]any{"type": "file_search"}}, 200)
	c.runUntil(thID, str(run, "id"), "completed")
	fsSteps := c.call("GET", "/threads/"+thID+"/runs/"+str(run, "id")+"/steps?include[]=step_details.tool_calls[*].file_search.results[*].content", nil, 200)
	if !strings.Contains(fmt.Sprint(fsSteps), "file_search") {
		t.Errorf("the file search run has no file_search step: %v", fsSteps)
	}
	last := c.call("GET", "/threads/"+thID+"/messages?limit=2", nil, 200)
	if str(last, "data[0].content[0].text.annotations[0].type") != "file_citation" {
		t.Errorf("the file search answer has no file_citation annotation: %v", last["data"])
	}

	// --- requires_action with function tools, polled
	wth := c.call("POST", "/threads", map[string]any{}, 200)
	wthID := str(wth, "id")
	c.call("POST", "/threads/"+wthID+"/messages", map[string]any{"role": "user", "content": weatherQuestion}, 200)
	run = c.call("POST", "/threads/"+wthID+"/runs", map[string]any{"assistant_id": asstID}, 200)
	runID = str(run, "id")
	run = c.runUntil(wthID, runID, "requires_action")
	c.call("GET", "/threads/"+wthID+"/runs/"+runID+"/steps", nil, 200)
	c.call("POST", "/threads/"+wthID+"/runs/"+runID+"/submit_tool_outputs", map[string]any{"tool_outputs": toolOutputs(run)}, 200)
	c.runUntil(wthID, runID, "completed")
	c.call("GET", "/threads/"+wthID+"/runs/"+runID+"/steps", nil, 200)

	// --- cancelling a run
	c.call("POST", "/threads/"+wthID+"/messages", map[string]any{"role": "user", "content": "Thanks!"}, 200)
	run = c.call("POST", "/threads/"+wthID+"/runs", map[string]any{"assistant_id": asstID}, 200)
	c.call("POST", "/threads/"+wthID+"/runs/"+str(run, "id")+"/cancel", nil, 200)
	c.runUntil(wthID, str(run, "id"), "cancelled")

	// --- streaming: requires_action, then submit_tool_outputs
	c.call("POST", "/threads/"+wthID+"/messages", map[string]any{"role": "user", "content": weatherQuestion}, 200)
	evs := c.stream("/threads/"+wthID+"/runs", map[string]any{"assistant_id": asstID, "stream": true})
	ra := lastEvent(evs, "thread.run.requires_action")
	if ra == nil {
		t.Fatalf("the weather stream did not require action: %v", evs)
	}
	c.stream("/threads/"+wthID+"/runs/"+str(ra, "id")+"/submit_tool_outputs", map[string]any{"tool_outputs": toolOutputs(ra), "stream": true})

	// --- streaming create-and-run: text, code interpreter and file search
	c.stream("/threads/runs", map[string]any{"assistant_id": tutorID, "stream": true,
		"thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "I need to solve the equation `3x + 11 = 14`."}}}})
	evs = c.stream("/threads/runs", map[string]any{"assistant_id": tutorID, "stream": true,
		"thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "Generate the first 20 fibonacci numbers with code."}}}})
	if !hasEventWith(evs, "thread.run.step.delta", `"logs"`) {
		t.Errorf("the code interpreter stream has no logs delta")
	}
	evs = c.stream("/threads/runs", map[string]any{"assistant_id": tutorID, "stream": true, "tool_choice": map[string]any{"type": "file_search"},
		"thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "What does the file say about the Hubble constant?"}}}})
	if !hasEventWith(evs, "thread.message.delta", `"file_citation"`) {
		t.Errorf("the file search stream has no file_citation annotation delta")
	}
	// create-and-run, polled, with the run's own tool_resources
	run = c.call("POST", "/threads/runs", map[string]any{"assistant_id": asstID,
		"tool_resources": map[string]any{"file_search": map[string]any{"vector_store_ids": []string{vsID}}},
		"thread":         map[string]any{"messages": []any{map[string]any{"role": "user", "content": weatherQuestion}}}}, 200)
	if got := lookup(run, "$.tool_resources.file_search.vector_store_ids[0]"); got != vsID {
		t.Errorf("create-and-run tool_resources: %v, want the vector store %s", run["tool_resources"], vsID)
	}
	c.runUntil(str(run, "thread_id"), str(run, "id"), "requires_action")
	c.call("POST", "/threads/"+str(run, "thread_id")+"/runs/"+str(run, "id")+"/cancel", nil, 200)

	// --- variants: overrides, formats, tool choices, inline vector stores,
	// pagination cursors
	vth := c.call("POST", "/threads", map[string]any{
		"messages": []any{map[string]any{"role": "user", "content": "Give me x as JSON.",
			"attachments": []any{map[string]any{"file_id": docID, "tools": []any{map[string]any{"type": "code_interpreter"}}}},
			"metadata":    map[string]any{"m": "1"}}},
		"tool_resources": map[string]any{
			"code_interpreter": map[string]any{"file_ids": []string{docID}},
			"file_search":      map[string]any{"vector_stores": []any{map[string]any{"file_ids": []string{docID}, "metadata": map[string]any{"inline": "yes"}}}},
		},
	}, 200)
	vthID := str(vth, "id")
	for _, body := range []map[string]any{
		{"response_format": map[string]any{"type": "json_schema", "json_schema": map[string]any{"name": "answer", "strict": true,
			"schema": map[string]any{"type": "object", "properties": map[string]any{"x": map[string]any{"type": "integer"}},
				"required": []string{"x"}, "additionalProperties": false}}}},
		{"response_format": map[string]any{"type": "json_object"}, "model": "gpt-4o-mini", "instructions": "Answer in JSON.",
			"temperature": 0.2, "top_p": 0.9},
		{"response_format": map[string]any{"type": "text"}, "tool_choice": "none"},
		{"tool_choice": "required", "tools": []any{map[string]any{"type": "code_interpreter"},
			map[string]any{"type": "file_search", "file_search": map[string]any{"max_num_results": 5,
				"ranking_options": map[string]any{"ranker": "auto", "score_threshold": 0.1}}}}},
		{"tool_choice": map[string]any{"type": "code_interpreter"}, "reasoning_effort": "low",
			"additional_messages": []any{map[string]any{"role": "user", "content": "Compute it with code."}}},
	} {
		body["assistant_id"] = tutorID
		run := c.call("POST", "/threads/"+vthID+"/runs", body, 200)
		c.runUntil(vthID, str(run, "id"), "completed")
	}
	page := c.call("GET", "/threads/"+vthID+"/runs?limit=2&order=asc", nil, 200)
	c.call("GET", "/threads/"+vthID+"/runs?limit=2&order=asc&after="+str(page, "last_id"), nil, 200)
	page = c.call("GET", "/threads/"+vthID+"/messages?limit=2", nil, 200)
	c.call("GET", "/threads/"+vthID+"/messages?limit=2&before="+str(page, "last_id"), nil, 200)
	c.call("GET", "/threads/"+vthID+"/messages?limit=100&after="+str(page, "first_id"), nil, 200)
	c.call("GET", "/assistants?limit=2&after="+tutorID, nil, 200)
	c.call("GET", "/files?limit=1&after="+docID+"&order=asc", nil, 200)
	c.call("GET", "/threads/"+vthID, nil, 200)
	for _, purpose := range []string{"vision", "user_data", "batch"} {
		c.upload("x."+purpose+".txt", purpose, "data for "+purpose)
	}
	vs3 := c.call("POST", "/vector_stores", map[string]any{"name": "auto", "file_ids": []string{docID},
		"chunking_strategy": map[string]any{"type": "auto"}}, 200)
	c.call("POST", "/vector_stores/"+str(vs3, "id")+"/file_batches", map[string]any{"files": []any{
		map[string]any{"file_id": spareID, "attributes": map[string]any{"n": 1.5}},
		map[string]any{"file_id": docID, "chunking_strategy": map[string]any{"type": "static",
			"static": map[string]any{"max_chunk_size_tokens": 200, "chunk_overlap_tokens": 50}}},
	}}, 200)
	c.call("GET", "/vector_stores/"+str(vs3, "id")+"/files?limit=1&order=asc", nil, 200)
	c.call("POST", "/assistants", map[string]any{"model": "gpt-4o", "tools": []any{map[string]any{"type": "file_search"}},
		"tool_resources": map[string]any{"file_search": map[string]any{"vector_stores": []any{map[string]any{
			"file_ids": []string{docID}, "chunking_strategy": map[string]any{"type": "auto"}}}}}}, 200)

	// --- errors
	c.call("GET", "/assistants", nil, 200)
	resp, data = c.send("GET", "/assistants", nil, "", true, "Authorization", "")
	c.check("GET", "/assistants", resp, data, 401)
	c.call("GET", "/assistants/asst_missing", nil, 404)
	c.call("GET", "/threads/thread_missing/runs/run_missing", nil, 404)
	c.call("POST", "/vector_stores/vs_missing/search", map[string]any{"query": "x"}, 404)
	c.call("GET", "/vector_stores/"+vsID+"/files/file-missing/content", nil, 404)
	c.call("POST", "/vector_stores/"+vsID+"/search", map[string]any{"query": "x", "max_num_results": 51}, 400)
	c.call("POST", "/vector_stores/"+vsID+"/search", map[string]any{"query": "x", "filters": map[string]any{"type": "like", "key": "k", "value": "v"}}, 400)
	c.call("GET", "/files/file-missing", nil, 404)
	c.call("POST", "/assistants", map[string]any{"name": "no model"}, 400)
	c.call("POST", "/threads/"+thID+"/messages", map[string]any{"role": "robot", "content": "hi"}, 400)
	c.call("GET", "/assistants?limit=1000", nil, 400)
	c.call("POST", "/threads/"+wthID+"/runs/"+runID+"/submit_tool_outputs", map[string]any{"tool_outputs": []any{}}, 400)
	resp, data = c.send("GET", "/no/such/endpoint", nil, "", true)
	if resp.StatusCode != 404 {
		t.Errorf("GET /no/such/endpoint: status %d", resp.StatusCode)
	} else {
		c.checkError("GET /no/such/endpoint", mustDecode(t, data))
		c.errs[404]++
	}

	// --- deletions
	c.call("DELETE", "/threads/"+wthID, nil, 200)
	c.call("DELETE", "/assistants/"+asstID, nil, 200)
	c.call("DELETE", "/vector_stores/"+vsID, nil, 200)
	c.call("DELETE", "/files/"+spareID, nil, 200)

	c.ops["GET /files/{file_id}/content"] = true // checked above, raw
	for _, op := range serverOperations {
		if !c.ops[op] {
			t.Errorf("the flow never checked a response of %s", op)
		}
	}
	c.summary()
	var unseen []string
	for _, name := range sortedKeys(c.events) {
		if c.streamed[name] == 0 {
			unseen = append(unseen, name)
		}
	}
	t.Logf("events of the spec this flow did not produce: %s", strings.Join(unseen, ", "))
}

// serverOperations are the operations the server implements: the flow must
// check a response of each.
var serverOperations = []string{
	"POST /assistants", "GET /assistants", "GET /assistants/{assistant_id}", "POST /assistants/{assistant_id}", "DELETE /assistants/{assistant_id}",
	"POST /threads", "POST /threads/runs", "GET /threads/{thread_id}", "POST /threads/{thread_id}", "DELETE /threads/{thread_id}",
	"POST /threads/{thread_id}/messages", "GET /threads/{thread_id}/messages", "GET /threads/{thread_id}/messages/{message_id}",
	"POST /threads/{thread_id}/messages/{message_id}", "DELETE /threads/{thread_id}/messages/{message_id}",
	"POST /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs", "GET /threads/{thread_id}/runs/{run_id}",
	"POST /threads/{thread_id}/runs/{run_id}", "POST /threads/{thread_id}/runs/{run_id}/cancel",
	"POST /threads/{thread_id}/runs/{run_id}/submit_tool_outputs", "GET /threads/{thread_id}/runs/{run_id}/steps",
	"GET /threads/{thread_id}/runs/{run_id}/steps/{step_id}",
	"POST /files", "GET /files", "GET /files/{file_id}", "DELETE /files/{file_id}", "GET /files/{file_id}/content",
	"POST /vector_stores", "GET /vector_stores", "GET /vector_stores/{vector_store_id}", "POST /vector_stores/{vector_store_id}",
	"DELETE /vector_stores/{vector_store_id}", "POST /vector_stores/{vector_store_id}/files", "GET /vector_stores/{vector_store_id}/files",
	"GET /vector_stores/{vector_store_id}/files/{file_id}", "POST /vector_stores/{vector_store_id}/files/{file_id}",
	"DELETE /vector_stores/{vector_store_id}/files/{file_id}", "GET /vector_stores/{vector_store_id}/files/{file_id}/content",
	"POST /vector_stores/{vector_store_id}/search",
	"POST /vector_stores/{vector_store_id}/file_batches", "GET /vector_stores/{vector_store_id}/file_batches/{batch_id}",
	"POST /vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel",
	"GET /vector_stores/{vector_store_id}/file_batches/{batch_id}/files",
}

// TestServerFaultResponsesConformToSpec checks injected faults: a 429 (which
// the spec documents, with ErrorResponse) and an "error" stream event.
func TestServerFaultResponsesConformToSpec(t *testing.T) {
	c := newChecker(t)
	asst := c.call("POST", "/assistants", map[string]any{"model": "gpt-4o"}, 200)
	c.srv.AddFault(assistantstest.Fault{Method: "GET", Path: "/assistants", Times: 1, Status: 429})
	c.call("GET", "/assistants", nil, 429)
	c.srv.AddFault(assistantstest.Fault{Method: "GET", Path: "/assistants", Times: 1, Status: 429, RetryAfter: 1500 * time.Millisecond})
	resp, data := c.send("GET", "/assistants", nil, "", true)
	if got := resp.Header.Get("Retry-After"); got != "2" {
		t.Errorf("Retry-After %q, want 2 (1.5 s rounded up)", got)
	}
	c.check("GET", "/assistants", resp, data, 429)
	c.srv.AddFault(assistantstest.Fault{Method: "POST", Path: "/threads/runs", Times: 1, Status: 500})
	c.call("POST", "/threads/runs", map[string]any{"assistant_id": str(asst, "id")}, 500)
	c.srv.AddFault(assistantstest.Fault{Path: "/threads/runs", Times: 1, ErrorEventAfter: 2})
	evs := c.stream("/threads/runs", map[string]any{"assistant_id": str(asst, "id"), "stream": true,
		"thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "Hello"}}}})
	if evs[len(evs)-1].name != "error" {
		t.Errorf("the faulted stream ends with %q, want error", evs[len(evs)-1].name)
	}
	c.summary()
}

func mustDecode(t *testing.T, data []byte) any {
	v, err := decodeBody(data)
	if err != nil {
		t.Fatalf("not JSON: %v: %s", err, data)
	}
	return v
}

// summary logs the counts and checks that the flow reached every operation
// and event it is meant to.
func (c *checker) summary() {
	t := c.t
	n := 0
	for _, k := range sortedKeys(c.bodies) {
		n += c.bodies[k]
		t.Logf("  %3d  %s", c.bodies[k], k)
	}
	t.Logf("validated %d JSON response bodies over %d operation/status pairs", n, len(c.bodies))
	m := 0
	var evNames []string
	for _, k := range sortedKeys(c.streamed) {
		m += c.streamed[k]
		evNames = append(evNames, fmt.Sprintf("%s×%d", k, c.streamed[k]))
	}
	t.Logf("validated %d stream events of %d kinds: %s", m, len(c.streamed), strings.Join(evNames, ", "))
	e := 0
	var es []string
	for _, k := range sortedKeys(intKeys(c.errs)) {
		st, _ := strconv.Atoi(k)
		e += c.errs[st]
		es = append(es, fmt.Sprintf("%s×%d", k, c.errs[st]))
	}
	t.Logf("validated %d error bodies (%s); %d raw bodies", e, strings.Join(es, ", "), c.raw)
	for _, why := range sortedKeys(c.allowed) {
		t.Logf("accepted %d deviation(s) by allowance: %s", c.allowed[why], why)
	}
	// Keywords the validator would silently ignore in the schemas used.
	if es, err := c.s.Schema("ErrorResponse"); err == nil {
		c.schemas["ErrorResponse"] = es
	}
	for _, k := range c.s.UnknownKeywordsIn(c.schemas) {
		t.Errorf("the validator does not understand the schema keyword %s", k)
	}
}

func intKeys(m map[int]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, v := range m {
		out[strconv.Itoa(k)] = v
	}
	return out
}

// edgeModel fails, rambles or blocks on request, and otherwise behaves as
// the default model.
type edgeModel struct {
	started chan struct{}
	release chan struct{}
}

func (m *edgeModel) Respond(ctx context.Context, turn *assistantstest.Turn) (*assistantstest.Reply, error) {
	q := turn.LastUserText()
	switch {
	case len(turn.Results) == 0 && strings.Contains(q, "please fail"):
		return nil, &assistantstest.RunError{Code: "rate_limit_exceeded", Message: "Rate limit reached."}
	case len(turn.Results) == 0 && strings.Contains(q, "ramble"):
		return assistantstest.TextReply(strings.Repeat("word ", 400)), nil
	case len(turn.Results) == 0 && strings.Contains(q, "block"):
		m.started <- struct{}{}
		select {
		case <-m.release:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return assistantstest.TextReply("Unblocked."), nil
	}
	return assistantstest.DefaultModel().Respond(ctx, turn)
}

// TestServerEdgeResponsesConformToSpec covers the less travelled states:
// failed, incomplete, expired and cancelled runs and steps, incomplete
// messages, failed vector store files, expired vector stores and files.
func TestServerEdgeResponsesConformToSpec(t *testing.T) {
	var mu sync.Mutex
	now := time.Unix(1736340398, 0)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	model := &edgeModel{started: make(chan struct{}, 1), release: make(chan struct{})}
	c := newChecker(t, assistantstest.WithModel(model), assistantstest.WithClock(clock), assistantstest.WithRunExpiry(time.Minute))

	asst := c.call("POST", "/assistants", map[string]any{"model": "gpt-4o", "tools": weatherTools}, 200)
	asstID := str(asst, "id")
	th := c.call("POST", "/threads", nil, 200)
	thID := str(th, "id")
	runs := "/threads/" + thID + "/runs"
	say := func(text string) {
		c.call("POST", "/threads/"+thID+"/messages", map[string]any{"role": "user", "content": text}, 200)
	}

	// failed (streamed, then read back)
	say("please fail")
	evs := c.stream(runs, map[string]any{"assistant_id": asstID, "stream": true})
	failed := lastEvent(evs, "thread.run.failed")
	if failed == nil {
		t.Fatalf("no thread.run.failed event: %v", evs)
	}
	c.call("GET", runs+"/"+str(failed, "id"), nil, 200)

	// incomplete: max_completion_tokens (message and run) and max_prompt_tokens
	say("please ramble")
	evs = c.stream(runs, map[string]any{"assistant_id": asstID, "stream": true, "max_completion_tokens": 256})
	if m := lastEvent(evs, "thread.message.incomplete"); m == nil {
		t.Errorf("no thread.message.incomplete event")
	} else {
		c.call("GET", "/threads/"+thID+"/messages/"+str(m, "id"), nil, 200)
	}
	if lastEvent(evs, "thread.run.incomplete") == nil {
		t.Errorf("no thread.run.incomplete event")
	}
	run := c.call("POST", runs, map[string]any{"assistant_id": asstID, "max_prompt_tokens": 256,
		"additional_instructions": strings.Repeat("Be thorough. ", 200)}, 200)
	c.runUntil(thID, str(run, "id"), "incomplete")

	// expired: requires_action past the run expiry
	say(weatherQuestion)
	run = c.call("POST", runs, map[string]any{"assistant_id": asstID}, 200)
	c.runUntil(thID, str(run, "id"), "requires_action")
	advance(2 * time.Minute)
	c.runUntil(thID, str(run, "id"), "expired")
	c.call("GET", runs+"/"+str(run, "id")+"/steps", nil, 200)

	// cancelled at requires_action, with its step
	run = c.call("POST", runs, map[string]any{"assistant_id": asstID, "parallel_tool_calls": false,
		"tool_choice": map[string]any{"type": "function", "function": map[string]any{"name": "get_rain_probability"}}}, 200)
	c.runUntil(thID, str(run, "id"), "requires_action")
	c.call("POST", runs+"/"+str(run, "id")+"/cancel", nil, 200)
	c.runUntil(thID, str(run, "id"), "cancelled")
	c.call("GET", runs+"/"+str(run, "id")+"/steps", nil, 200)

	// cancelled while a stream drives the run
	say("block for a while")
	done := make(chan []sseEvent)
	go func() { done <- c.streamNoFatal(runs, map[string]any{"assistant_id": asstID, "stream": true}) }()
	<-model.started
	active := c.call("GET", runs+"?limit=1", nil, 200)
	rid := str(active, "data[0].id")
	c.call("POST", runs+"/"+rid+"/cancel", nil, 200)
	close(model.release)
	evs = <-done
	if lastEvent(evs, "thread.run.cancelled") == nil {
		t.Errorf("the cancelled stream has no thread.run.cancelled event: %v", evs)
	}

	// vector stores: a failed file, an expired store, an expiring file
	empty := c.upload("empty.txt", "assistants", "")
	f := c.upload("doc.txt", "assistants", "Some text.", "expires_after[anchor]", "created_at", "expires_after[seconds]", "3600")
	vs := c.call("POST", "/vector_stores", map[string]any{"file_ids": []string{str(empty, "id"), str(f, "id")},
		"expires_after": map[string]any{"anchor": "last_active_at", "days": 1}}, 200)
	vsID := str(vs, "id")
	c.call("GET", "/vector_stores/"+vsID+"/files/"+str(empty, "id"), nil, 200)
	c.call("GET", "/vector_stores/"+vsID+"/files?filter=failed", nil, 200)
	c.call("GET", "/files/"+str(f, "id"), nil, 200)
	advance(48 * time.Hour)
	c.call("GET", "/vector_stores/"+vsID, nil, 200)
	c.call("GET", "/vector_stores", nil, 200)

	c.summary()
}

// TestServerBatchCancelConformsToSpec cancels a file batch while it is in
// progress (time-driven mode with a stopped clock keeps it there).
func TestServerBatchCancelConformsToSpec(t *testing.T) {
	start := time.Unix(1736340398, 0)
	c := newChecker(t, assistantstest.WithClock(func() time.Time { return start }), assistantstest.WithStepDelay(time.Hour))
	f := c.upload("a.txt", "assistants", "alpha")
	vs := c.call("POST", "/vector_stores", map[string]any{"name": "s"}, 200)
	vsID := str(vs, "id")
	b := c.call("POST", "/vector_stores/"+vsID+"/file_batches", map[string]any{"file_ids": []string{str(f, "id")}}, 200)
	if str(b, "status") != "in_progress" {
		t.Fatalf("batch status %q, want in_progress", str(b, "status"))
	}
	c.call("GET", "/vector_stores/"+vsID, nil, 200)
	c.call("POST", "/vector_stores/"+vsID+"/file_batches/"+str(b, "id")+"/cancel", nil, 200)
	c.call("GET", "/vector_stores/"+vsID+"/file_batches/"+str(b, "id")+"/files", nil, 200)
	c.call("GET", "/vector_stores/"+vsID+"/files", nil, 200)
	c.summary()
}

// TestServerCheckerCatchesDeviations makes sure the response check is not
// vacuous: responses of the server, altered the way a careless server might
// answer, must fail it, and the allowances must stay narrow.
func TestServerCheckerCatchesDeviations(t *testing.T) {
	c := newChecker(t)
	asst := c.call("POST", "/assistants", map[string]any{"model": "gpt-4o",
		"tools": []any{map[string]any{"type": "file_search"}}}, 200)
	run := c.call("POST", "/threads/runs", map[string]any{"assistant_id": str(asst, "id"),
		"thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "Hi"}}}}, 200)
	op, err := c.s.Operation("GET", "/threads/"+str(run, "thread_id")+"/runs/"+str(run, "id"))
	if err != nil {
		t.Fatal(err)
	}
	schema, _, err := op.ResponseSchema(200, "application/json")
	if err != nil {
		t.Fatal(err)
	}
	unallowed := func(v any) []string {
		var out []string
		for _, e := range c.s.Validate(schema, v, "$") {
			if allowed(v, e) == nil {
				out = append(out, e.Error())
			}
		}
		return out
	}
	if errs := unallowed(run); len(errs) > 0 {
		t.Fatalf("the run does not conform: %v", errs)
	}
	for _, tc := range []struct {
		name   string
		change func(m map[string]any)
		want   string
	}{
		{"status", func(m map[string]any) { m["status"] = "done" }, `$.status: value "done" is not one of`},
		{"object", func(m map[string]any) { m["object"] = "run" }, `$.object: value "run" is not one of ["thread.run"]`},
		{"missing", func(m map[string]any) { delete(m, "required_action") }, `$: missing required property "required_action"`},
		{"null", func(m map[string]any) { m["created_at"] = nil }, `$.created_at: expected integer, got null`},
		{"type", func(m map[string]any) { m["parallel_tool_calls"] = "yes" }, `$.parallel_tool_calls: expected boolean`},
		{"tool", func(m map[string]any) { m["tools"] = []any{map[string]any{"type": "retrieval"}} }, `$.tools[0].type: value "retrieval" is not one of`},
		// max_num_results null is allowed; a string is not.
		{"max_num_results", func(m map[string]any) {
			lookup(m, "$.tools[0].file_search").(map[string]any)["max_num_results"] = "5"
		}, `$.tools[0].file_search.max_num_results: expected integer, got string`},
		// first_id null is allowed on empty lists only, and not on runs.
		{"first_id", func(m map[string]any) { m["first_id"] = nil; m["data"] = []any{}; m["object"] = "list" }, `$.object: value "list" is not one of`},
	} {
		var m map[string]any
		data, _ := json.Marshal(run)
		v, _ := decodeBody(data)
		m = v.(map[string]any)
		tc.change(m)
		errs := unallowed(m)
		if !slicesContainsPrefix(errs, tc.want) {
			t.Errorf("%s: got %v, want an error starting with %q", tc.name, errs, tc.want)
		}
	}

	// Search pages are checked against VectorStoreSearchResultsPage.
	sop, err := c.s.Operation("POST", "/vector_stores/vs_1/search")
	if err != nil {
		t.Fatal(err)
	}
	sschema, _, err := sop.ResponseSchema(200, "application/json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		change func(m map[string]any)
		want   string
	}{
		{"ok", func(map[string]any) {}, ""},
		{"score", func(m map[string]any) { lookup(m, "$.data[0]").(map[string]any)["score"] = 1.5 }, `$.data[0].score:`},
		{"content type", func(m map[string]any) { lookup(m, "$.data[0].content[0]").(map[string]any)["type"] = "image" }, `$.data[0].content[0].type: value "image" is not one of`},
		{"extra", func(m map[string]any) { lookup(m, "$.data[0]").(map[string]any)["chunk_id"] = "c1" }, `$.data[0]`},
		{"search_query string", func(m map[string]any) { m["search_query"] = "q" }, `$.search_query: expected array`},
		{"missing next_page", func(m map[string]any) { delete(m, "next_page") }, `$: missing required property "next_page"`},
	} {
		v, _ := decodeBody([]byte(`{"object":"vector_store.search_results.page","search_query":["q"],"data":[{"file_id":"file-1","filename":"a.txt","score":0.5,"attributes":null,"content":[{"type":"text","text":"t"}]}],"has_more":false,"next_page":null}`))
		m := v.(map[string]any)
		tc.change(m)
		errs := errorStrings(c.s.Validate(sschema, m, "$"))
		switch {
		case tc.want == "" && len(errs) > 0:
			t.Errorf("search page %s: %v", tc.name, errs)
		case tc.want != "" && !slicesContainsPrefix(errs, tc.want):
			t.Errorf("search page %s: got %v, want an error starting with %q", tc.name, errs, tc.want)
		}
	}

	// Stream events are checked against the variant of their name.
	ev := map[string]any{"event": "thread.message.delta", "data": run}
	if errs := c.s.Validate(c.events["thread.message.delta"], ev, "$"); !slicesContainsPrefix(errorStrings(errs), `$.data.object: value "thread.run" is not one of ["thread.message.delta"]`) {
		t.Errorf("a run sent as thread.message.delta: got %v", errs)
	}
	ev = map[string]any{"event": "done", "data": "DONE"}
	if errs := c.s.Validate(c.events["done"], ev, "$"); len(errs) == 0 {
		t.Errorf("done with data DONE passes")
	}

	// Declared response headers are checked.
	aop, _ := c.s.Operation("GET", "/assistants")
	for _, bad := range []string{"0", "soon"} {
		if errs := aop.CheckResponseHeaders(429, map[string][]string{"Retry-After": {bad}}); len(errs) == 0 {
			t.Errorf("Retry-After %q passes", bad)
		}
	}
	if errs := aop.CheckResponseHeaders(429, map[string][]string{"Retry-After": {"3"}}); len(errs) > 0 {
		t.Errorf("Retry-After 3: %v", errs)
	}

	// The list allowances only cover empty lists.
	list := map[string]any{"object": "list", "data": []any{run}, "first_id": nil, "last_id": nil, "has_more": false}
	lop, _ := c.s.Operation("GET", "/threads/thread_1/runs")
	lschema, _, _ := lop.ResponseSchema(200, "application/json")
	var got []string
	for _, e := range c.s.Validate(lschema, list, "$") {
		if allowed(list, e) == nil {
			got = append(got, e.Error())
		}
	}
	if len(got) != 2 {
		t.Errorf("a non-empty list with null first_id and last_id: got %v, want 2 errors", got)
	}
}

func slicesContainsPrefix(list []string, prefix string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func errorStrings(errs []Error) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}

// hasEventWith reports whether an event named name has data containing s.
func hasEventWith(evs []sseEvent, name, s string) bool {
	for _, ev := range evs {
		if ev.name == name && strings.Contains(ev.data, s) {
			return true
		}
	}
	return false
}
