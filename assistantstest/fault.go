package assistantstest

import (
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// Fault makes the server misbehave for matching requests, to test clients'
// retries and error handling. A Fault matches a request when Method (if set)
// equals the request method, Path (if set) matches the request path with
// path.Match ("*" stands for one path segment, e.g. "/threads/*/runs") and
// PathPrefix (if set) is a prefix of it. Paths are written without the "/v1"
// prefix (it is accepted and ignored).
//
// There are two kinds of fault:
//
//   - A request fault (CutStreamAfter and ErrorEventAfter zero) waits Latency
//     and then, if Status is set, answers with Status, Header and Body
//     instead of handling the request. Status 0 only delays the request.
//   - A stream fault (CutStreamAfter or ErrorEventAfter set) applies to
//     streaming responses only: after that many events the stream is cut (or
//     an "error" event is sent) and no "done" event follows. The run itself
//     keeps going on the server, as it would when a connection drops.
//
// Times limits how many requests the fault applies to; 0 means every one.
// Faulted requests are recorded (Request.Faulted) and create nothing, so an
// Idempotency-Key is not consumed by them.
type Fault struct {
	// Method is the HTTP method to match; empty matches any.
	Method string
	// Path is a path.Match pattern under /v1, e.g. "/threads/*/runs/*";
	// empty matches any.
	Path string
	// PathPrefix matches paths starting with it, e.g. "/vector_stores".
	PathPrefix string
	// Times is how many matching requests are faulted; 0 means all.
	Times int
	// Status is the HTTP status to answer with (e.g. 429, 500, 503).
	Status int
	// Body is the response body; empty means an API error object suited
	// to Status (rate_limit_exceeded for 429, server_error for 5xx …).
	Body string
	// Header is added to the fault response (e.g. "x-should-retry").
	Header http.Header
	// RetryAfter, if set, is sent as both "retry-after-ms" and "retry-after"
	// (whole seconds, rounded up).
	RetryAfter time.Duration
	// Latency delays the request before the fault (or before normal
	// handling when Status is 0).
	Latency time.Duration
	// CutStreamAfter ends a streaming response after this many events.
	CutStreamAfter int
	// Abort, with CutStreamAfter, breaks the connection instead of ending
	// the response cleanly, so the client sees an unexpected EOF.
	Abort bool
	// ErrorEventAfter sends an "error" event after this many events of a
	// streaming response, then ends it. Status and Body shape the error.
	ErrorEventAfter int
}

type faultEntry struct {
	f    Fault
	used int
}

func (f *Fault) streamFault() bool { return f.CutStreamAfter > 0 || f.ErrorEventAfter > 0 }

func trimV1(p string) string {
	if p == "/v1" {
		return "/"
	}
	return strings.TrimPrefix(p, "/v1")
}

func (f *Fault) matches(method, p string) bool {
	if f.Method != "" && !strings.EqualFold(f.Method, method) {
		return false
	}
	p = trimV1(p)
	if f.Path != "" {
		ok, err := path.Match(trimV1(f.Path), p)
		if err != nil || !ok {
			return false
		}
	}
	if f.PathPrefix != "" && !strings.HasPrefix(p, trimV1(f.PathPrefix)) {
		return false
	}
	return true
}

// AddFault installs a fault at run time. Faults are tried in the order they
// were added; the first matching one with uses left applies.
func (s *Server) AddFault(f Fault) {
	s.metaMu.Lock()
	defer s.metaMu.Unlock()
	s.faults = append(s.faults, &faultEntry{f: f})
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.metaMu.Lock()
	defer s.metaMu.Unlock()
	s.faults = nil
}

// takeFault returns (and uses up once) the first matching fault of the
// requested kind.
func (s *Server) takeFault(method, p string, stream bool) *Fault {
	s.metaMu.Lock()
	defer s.metaMu.Unlock()
	for _, e := range s.faults {
		if e.f.streamFault() != stream || !e.f.matches(method, p) {
			continue
		}
		if e.f.Times > 0 && e.used >= e.f.Times {
			continue
		}
		e.used++
		f := e.f
		return &f
	}
	return nil
}

// faultError builds the error object a fault answers with.
func faultError(f *Fault) *apiError {
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	e := &apiError{status: status}
	switch {
	case status == http.StatusTooManyRequests:
		e.Type, e.Code = "requests", strp("rate_limit_exceeded")
		e.Message = "Rate limit reached for requests. Please try again later."
	case status >= 500:
		e.Type = "server_error"
		e.Message = "The server had an error while processing your request. Sorry about that!"
	case status == http.StatusUnauthorized:
		e.Type, e.Code = "invalid_request_error", strp("invalid_api_key")
		e.Message = "Incorrect API key provided."
	default:
		e.Type = "invalid_request_error"
		e.Message = "Injected fault: " + http.StatusText(status) + "."
	}
	return e
}

func writeFault(w http.ResponseWriter, f *Fault) {
	h := w.Header()
	for k, vs := range f.Header {
		for _, v := range vs {
			h.Add(k, v)
		}
	}
	if f.RetryAfter > 0 {
		h.Set("retry-after-ms", strconv.FormatInt(f.RetryAfter.Milliseconds(), 10))
		secs := int64((f.RetryAfter + time.Second - 1) / time.Second)
		h.Set("retry-after", strconv.FormatInt(secs, 10))
	}
	if f.Body != "" {
		if h.Get("Content-Type") == "" {
			h.Set("Content-Type", "application/json")
		}
		w.WriteHeader(f.Status)
		_, _ = w.Write([]byte(f.Body))
		return
	}
	e := faultError(f)
	writeRaw(w, e.status, errorBody(e))
}
