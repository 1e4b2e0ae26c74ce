package assistantstest

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server is an in-memory Assistants API (v2) server: assistants, threads,
// messages, runs, run steps, files and vector stores, with streaming, a
// pluggable Model, fault injection and request recording. It is safe for
// concurrent use.
type Server struct {
	// URL is the base URL of the API, ending in "/v1", e.g.
	// "http://127.0.0.1:PORT/v1". It is empty for a server made by
	// NewHandler.
	URL string

	cfg       config
	ts        *httptest.Server
	mux       *http.ServeMux
	ctx       context.Context
	cancel    context.CancelFunc
	closeOnce sync.Once
	reqSeq    atomic.Int64

	mu         sync.Mutex // guards the state below
	model      Model
	seq        int64
	assistants map[string]*assistantObj
	threads    map[string]*threadObj
	files      map[string]*fileObj
	stores     map[string]*vectorStoreObj

	metaMu   sync.Mutex // guards requests and faults
	requests []*Request
	faults   []*faultEntry

	idemMu sync.Mutex
	idem   map[string]*idemEntry
	// idemOrder holds the keys of idem oldest first, to bound it.
	idemOrder []string
}

// Request is one request the server received, as recorded for assertions.
type Request struct {
	// Method and Path of the request; Path includes the "/v1" prefix.
	Method string
	Path   string
	// Query is the parsed query string.
	Query url.Values
	// Header is a copy of the request headers.
	Header http.Header
	// Body is the request body for non-multipart requests.
	Body []byte
	// Status is the response status (0 while the request is in flight).
	Status int
	// Faulted reports whether a Fault answered the request.
	Faulted bool
	// Time is when the request arrived.
	Time time.Time
}

type idemEntry struct {
	method, path string
	done         bool
	status       int
	header       http.Header
	body         []byte
}

type reqSeqKey struct{}

// NewServer starts a Server listening on 127.0.0.1 (via httptest). Call
// Close when done.
func NewServer(opts ...Option) *Server {
	s := NewHandler(opts...)
	s.ts = httptest.NewServer(s.Handler())
	s.URL = s.ts.URL + "/v1"
	return s
}

// NewHandler creates a Server without starting a listener, for serving
// Handler() yourself (the emulator does). URL stays empty; Close releases
// streams and waits nothing.
func NewHandler(opts ...Option) *Server {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	s := &Server{
		cfg:        cfg,
		model:      cfg.model,
		assistants: map[string]*assistantObj{},
		threads:    map[string]*threadObj{},
		files:      map[string]*fileObj{},
		stores:     map[string]*vectorStoreObj{},
		idem:       map[string]*idemEntry{},
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	for _, f := range cfg.faults {
		s.AddFault(f)
	}
	s.mux = s.routes()
	return s
}

// Handler returns the API handler. It serves request paths beginning with
// "/v1" (e.g. "/v1/assistants"), so mount it at the root of a server.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// Close stops the server: open streams end, then the listener (if any)
// shuts down.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.cancel()
		if s.ts != nil {
			s.ts.Close()
		}
	})
}

// SetModel replaces the Model for runs that call it from now on.
func (s *Server) SetModel(m Model) {
	if m == nil {
		m = DefaultModel()
	}
	s.mu.Lock()
	s.model = m
	s.mu.Unlock()
}

// Requests returns a copy of every request received so far, in arrival
// order.
func (s *Server) Requests() []Request {
	s.metaMu.Lock()
	defer s.metaMu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		out[i] = *r
	}
	return out
}

// RequestCount counts requests whose method equals method (any if empty) and
// whose path matches pattern with path.Match (any if empty). The pattern may
// omit the "/v1" prefix: "/threads/*/runs/*" counts run retrievals.
func (s *Server) RequestCount(method, pattern string) int {
	s.metaMu.Lock()
	defer s.metaMu.Unlock()
	n := 0
	for _, r := range s.requests {
		if method != "" && !strings.EqualFold(method, r.Method) {
			continue
		}
		if pattern != "" {
			if ok, _ := path.Match(trimV1(pattern), trimV1(r.Path)); !ok {
				continue
			}
		}
		n++
	}
	return n
}

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() {
	s.metaMu.Lock()
	s.requests = nil
	s.metaMu.Unlock()
}

func (s *Server) now() time.Time { return s.cfg.now() }

func (s *Server) nextSeq() int64 {
	s.seq++
	return s.seq
}

func (s *Server) logger() *slog.Logger { return s.cfg.logger }

// respWriter records the status and, when asked, the body of a response.
type respWriter struct {
	http.ResponseWriter
	status  int
	capture *bytes.Buffer
}

// WriteHeader records the status and sends it.
func (w *respWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write records (when capturing) and sends b.
func (w *respWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if w.capture != nil {
		w.capture.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// Flush sends buffered data to the client.
func (w *respWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController access to the underlying writer.
func (w *respWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// serve is the middleware: recording, latency, faults, auth, idempotency,
// routing and logging.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	stop := context.AfterFunc(s.ctx, cancel)
	defer stop()
	ctx = context.WithValue(ctx, reqSeqKey{}, s.reqSeq.Add(1))
	r = r.WithContext(ctx)

	rec := &Request{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Time: start}
	if r.Body != nil && !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		data, err := io.ReadAll(io.LimitReader(r.Body, maxJSONBody+1))
		if err == nil {
			rec.Body = data
			r.Body = io.NopCloser(bytes.NewReader(data))
		}
	}
	s.metaMu.Lock()
	s.requests = append(s.requests, rec)
	s.metaMu.Unlock()

	rw := &respWriter{ResponseWriter: w}
	reqID := newRequestID()
	rw.Header().Set("x-request-id", reqID)
	rw.Header().Set("openai-version", "2020-10-01")
	faulted := false
	defer func() {
		s.metaMu.Lock()
		rec.Status = rw.status
		rec.Faulted = faulted
		s.metaMu.Unlock()
		if l := s.logger(); l != nil {
			l.LogAttrs(context.Background(), slog.LevelInfo, "request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("status", rw.status), slog.Duration("duration", time.Since(start)),
				slog.String("request_id", reqID), slog.Bool("fault", faulted))
		}
	}()

	if !sleepCtx(ctx, s.cfg.latency) {
		return
	}
	if f := s.takeFault(r.Method, r.URL.Path, false); f != nil {
		if !sleepCtx(ctx, f.Latency) {
			return
		}
		if f.Status != 0 {
			faulted = true
			writeFault(rw, f)
			return
		}
	}
	if r.URL.Path != "/v1" && !strings.HasPrefix(r.URL.Path, "/v1/") {
		writeAPIError(rw, invalidURL(r))
		return
	}
	if e := s.authenticate(r); e != nil {
		writeAPIError(rw, e)
		return
	}
	if e := s.checkBeta(r); e != nil {
		writeAPIError(rw, e)
		return
	}
	if key := r.Header.Get("Idempotency-Key"); key != "" && r.Method == http.MethodPost {
		s.serveIdempotent(rw, r, key)
		return
	}
	s.mux.ServeHTTP(rw, r)
}

func invalidURL(r *http.Request) *apiError {
	return &apiError{status: http.StatusNotFound, Type: "invalid_request_error",
		Message: "Invalid URL (" + r.Method + " " + r.URL.Path + ")"}
}

func (s *Server) authenticate(r *http.Request) *apiError {
	auth := r.Header.Get("Authorization")
	key, ok := strings.CutPrefix(auth, "Bearer ")
	key = strings.TrimSpace(key)
	if !ok || key == "" {
		return &apiError{status: http.StatusUnauthorized, Type: "invalid_request_error", Code: strp("invalid_api_key"),
			Message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."}
	}
	if s.cfg.apiKey != "" && key != s.cfg.apiKey {
		return &apiError{status: http.StatusUnauthorized, Type: "invalid_request_error", Code: strp("invalid_api_key"),
			Message: "Incorrect API key provided: " + maskKey(key) + "."}
	}
	return nil
}

func maskKey(k string) string {
	if len(k) <= 8 {
		return strings.Repeat("*", len(k))
	}
	return k[:3] + strings.Repeat("*", len(k)-7) + k[len(k)-4:]
}

func (s *Server) checkBeta(r *http.Request) *apiError {
	if !s.cfg.requireBeta {
		return nil
	}
	p := trimV1(r.URL.Path)
	if !strings.HasPrefix(p, "/assistants") && !strings.HasPrefix(p, "/threads") && !strings.HasPrefix(p, "/vector_stores") {
		return nil
	}
	for _, v := range strings.Split(r.Header.Get("OpenAI-Beta"), ",") {
		if strings.TrimSpace(v) == "assistants=v2" {
			return nil
		}
	}
	return &apiError{status: http.StatusBadRequest, Type: "invalid_request_error", Code: strp("invalid_beta"),
		Message: "You must provide the 'OpenAI-Beta' header to access the Assistants API. Please try again by setting the header 'OpenAI-Beta: assistants=v2'."}
}

// maxIdempotencyKeys is how many Idempotency-Keys the server remembers; the
// oldest are forgotten first.
const maxIdempotencyKeys = 4096

// serveIdempotent answers a repeated POST with the first response for the
// same Idempotency-Key, without handling it again.
func (s *Server) serveIdempotent(rw *respWriter, r *http.Request, key string) {
	s.idemMu.Lock()
	if ent := s.idem[key]; ent != nil {
		s.idemMu.Unlock()
		switch {
		case ent.method != r.Method || ent.path != r.URL.Path:
			writeAPIError(rw, errInvalid("", "idempotency_key_reused", "This Idempotency-Key was already used with a different request (%s %s).", ent.method, ent.path))
		case !ent.done:
			writeAPIError(rw, &apiError{status: http.StatusConflict, Type: "invalid_request_error", Code: strp("idempotency_key_in_use"),
				Message: "A request with this Idempotency-Key is still being processed."})
		default:
			for k, vs := range ent.header {
				rw.Header()[k] = vs
			}
			rw.Header().Set("Idempotent-Replayed", "true")
			rw.WriteHeader(ent.status)
			_, _ = rw.Write(ent.body)
		}
		return
	}
	ent := &idemEntry{method: r.Method, path: r.URL.Path}
	s.idem[key] = ent
	s.idemOrder = append(s.idemOrder, key)
	for len(s.idemOrder) > maxIdempotencyKeys {
		// Forget the oldest keys, so a long-running emulator stays bounded.
		delete(s.idem, s.idemOrder[0])
		s.idemOrder = s.idemOrder[1:]
	}
	s.idemMu.Unlock()

	rw.capture = &bytes.Buffer{}
	completed := false
	defer func() {
		s.idemMu.Lock()
		defer s.idemMu.Unlock()
		if !completed || rw.status >= 500 || r.Context().Err() != nil {
			delete(s.idem, key)
			return
		}
		ent.status = rw.status
		ent.body = rw.capture.Bytes()
		ent.header = http.Header{}
		for _, k := range []string{"Content-Type", "openai-poll-after-ms"} {
			if v := rw.Header().Get(k); v != "" {
				ent.header.Set(k, v)
			}
		}
		ent.done = true
	}()
	s.mux.ServeHTTP(rw, r)
	completed = true
}

func reqSeq(ctx context.Context) int64 {
	v, _ := ctx.Value(reqSeqKey{}).(int64)
	return v
}

func (s *Server) routes() *http.ServeMux {
	m := http.NewServeMux()
	// h registers a handler that runs under s.mu, u one that takes it
	// itself. body lists the properties of the route's JSON request body,
	// which is read (before anything else) into the handler's o.
	h := func(pattern string, f handler, body ...string) { m.Handle(pattern, s.httpHandler(s.locked(f), body)) }
	u := func(pattern string, f unlockedHandler, body ...string) { m.Handle(pattern, s.httpHandler(f, body)) }

	h("POST /v1/assistants", s.createAssistant, assistantFields...)
	h("GET /v1/assistants", s.listAssistants)
	h("GET /v1/assistants/{assistant_id}", s.getAssistant)
	h("POST /v1/assistants/{assistant_id}", s.modifyAssistant, assistantFields...)
	h("DELETE /v1/assistants/{assistant_id}", s.deleteAssistant)

	h("POST /v1/threads", s.createThread, "messages", "tool_resources", "metadata")
	h("POST /v1/threads/runs", s.createThreadAndRun, threadRunFields...)
	h("GET /v1/threads/{thread_id}", s.getThread)
	h("POST /v1/threads/{thread_id}", s.modifyThread, "tool_resources", "metadata")
	h("DELETE /v1/threads/{thread_id}", s.deleteThread)

	u("POST /v1/threads/{thread_id}/messages", s.createMessage, messageFields...)
	u("GET /v1/threads/{thread_id}/messages", s.listMessages)
	u("GET /v1/threads/{thread_id}/messages/{message_id}", s.getMessage)
	h("POST /v1/threads/{thread_id}/messages/{message_id}", s.modifyMessage, "metadata")
	h("DELETE /v1/threads/{thread_id}/messages/{message_id}", s.deleteMessage)

	u("POST /v1/threads/{thread_id}/runs", s.createRun) // reads runFields itself
	u("GET /v1/threads/{thread_id}/runs", s.listRuns)
	u("GET /v1/threads/{thread_id}/runs/{run_id}", s.getRun)
	h("POST /v1/threads/{thread_id}/runs/{run_id}", s.modifyRun, "metadata")
	u("POST /v1/threads/{thread_id}/runs/{run_id}/cancel", s.cancelRun)
	u("POST /v1/threads/{thread_id}/runs/{run_id}/submit_tool_outputs", s.submitToolOutputs, "tool_outputs", "stream")
	u("GET /v1/threads/{thread_id}/runs/{run_id}/steps", s.listSteps)
	u("GET /v1/threads/{thread_id}/runs/{run_id}/steps/{step_id}", s.getStep)

	u("POST /v1/files", s.uploadFile) // multipart
	h("GET /v1/files", s.listFiles)
	h("GET /v1/files/{file_id}", s.getFile)
	h("DELETE /v1/files/{file_id}", s.deleteFile)
	h("GET /v1/files/{file_id}/content", s.fileContent)

	h("POST /v1/vector_stores", s.createVectorStore, "file_ids", "name", "description", "expires_after", "chunking_strategy", "metadata")
	h("GET /v1/vector_stores", s.listVectorStores)
	h("GET /v1/vector_stores/{vector_store_id}", s.getVectorStore)
	h("POST /v1/vector_stores/{vector_store_id}", s.modifyVectorStore, "name", "expires_after", "metadata")
	h("DELETE /v1/vector_stores/{vector_store_id}", s.deleteVectorStore)
	h("POST /v1/vector_stores/{vector_store_id}/files", s.createVSFile, "file_id", "chunking_strategy", "attributes")
	h("GET /v1/vector_stores/{vector_store_id}/files", s.listVSFiles)
	h("GET /v1/vector_stores/{vector_store_id}/files/{file_id}", s.getVSFile)
	h("POST /v1/vector_stores/{vector_store_id}/files/{file_id}", s.updateVSFile, "attributes")
	h("DELETE /v1/vector_stores/{vector_store_id}/files/{file_id}", s.deleteVSFile)
	h("GET /v1/vector_stores/{vector_store_id}/files/{file_id}/content", s.vsFileContent)
	h("POST /v1/vector_stores/{vector_store_id}/search", s.searchVectorStore, "query", "rewrite_query", "max_num_results", "filters", "ranking_options")
	h("POST /v1/vector_stores/{vector_store_id}/file_batches", s.createBatch, "file_ids", "files", "chunking_strategy", "attributes")
	h("GET /v1/vector_stores/{vector_store_id}/file_batches/{batch_id}", s.getBatch)
	h("POST /v1/vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel", s.cancelBatch)
	h("GET /v1/vector_stores/{vector_store_id}/file_batches/{batch_id}/files", s.listBatchFiles)

	u("/", func(r *http.Request, _ *object) (*reply, *apiError) { return nil, invalidURL(r) })
	return m
}
