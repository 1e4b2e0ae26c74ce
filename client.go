package assistants

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/assistants-go/assistants/internal/retry"
)

// Version is this SDK's version, sent in the User-Agent header.
const Version = "0.1.0"

// DefaultMaxRetries is how many times a failed request is retried when
// WithMaxRetries is not given.
const DefaultMaxRetries = 2

// maxErrorBody bounds how much of an error response is read into an APIError.
const maxErrorBody = 1 << 20

// maxDrain bounds how much of an unread body is discarded so that the
// connection can be reused; larger leftovers just close the connection.
const maxDrain = 256 << 10

// Client talks to an Assistants API server. Create one with NewClient and
// share it: it is safe for concurrent use. Each resource has its own service
// field, such as c.Runs or c.VectorStores.
type Client struct {
	baseURL    *url.URL
	apiKey     string
	org        string
	project    string
	httpClient *http.Client
	maxRetries int
	headers    http.Header
	logger     *slog.Logger
	userAgent  string
	now        func() time.Time
	// streamMaxEventSize is the WithMaxEventSize setting; 0 means the default.
	streamMaxEventSize int

	// Assistants creates and manages assistants.
	Assistants *AssistantsService
	// Threads creates and manages threads, and starts a thread and a run in one call.
	Threads *ThreadsService
	// Messages adds messages to threads and reads them back.
	Messages *MessagesService
	// Runs starts, inspects, streams, polls and answers runs.
	Runs *RunsService
	// Steps reads the steps of a run.
	Steps *StepsService
	// Files uploads, lists, downloads and deletes files.
	Files *FilesService
	// VectorStores manages vector stores, their files and file batches.
	VectorStores *VectorStoresService
}

// Option configures a Client in NewClient.
type Option func(*Client) error

// WithAPIKey sets the bearer key sent with every request, overriding OPENAI_API_KEY.
func WithAPIKey(key string) Option {
	return func(c *Client) error { c.apiKey = key; return nil }
}

// WithBaseURL sets the server's base URL, such as "http://127.0.0.1:8089/v1",
// overriding OPENAI_BASE_URL. A trailing slash is optional and a path prefix
// (a proxy's, say) is kept: request paths are appended to it.
func WithBaseURL(base string) Option {
	return func(c *Client) error { return c.setBaseURL(base) }
}

// WithHTTPClient sets the http.Client used for every request (for proxies,
// TLS settings or a custom transport). A nil client is an error.
//
// Bound calls with their context rather than with the client's Timeout: an
// http.Client's Timeout covers each attempt including the reading of its
// response body, so it also cuts off a stream (CreateStream and the like) or
// a Content download that runs longer. An attempt that hits the Timeout is
// retried like a connection error; the context, once done, is final. For a
// bound on waiting for the server to start answering, use the Transport's
// ResponseHeaderTimeout.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("assistants: WithHTTPClient: nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithOrganization sets the OpenAI-Organization header, overriding OPENAI_ORG_ID.
func WithOrganization(org string) Option {
	return func(c *Client) error { c.org = org; return nil }
}

// WithProject sets the OpenAI-Project header, overriding OPENAI_PROJECT_ID.
func WithProject(project string) Option {
	return func(c *Client) error { c.project = project; return nil }
}

// WithMaxRetries sets how many times a failed request is retried (default 2;
// 0 disables retries). A negative count is an error.
func WithMaxRetries(n int) Option {
	return func(c *Client) error {
		if n < 0 {
			return fmt.Errorf("assistants: WithMaxRetries: negative retry count %d", n)
		}
		c.maxRetries = n
		return nil
	}
}

// WithHeader adds a header sent with every request, such as a proxy's
// routing or auth header. It may be given several times (for several values).
// The headers the client sets itself are refused with an error rather than
// silently dropped: Authorization (use WithAPIKey), OpenAI-Organization
// (WithOrganization), OpenAI-Project (WithProject), User-Agent, OpenAI-Beta,
// Content-Type, Content-Length, Idempotency-Key, X-Retry-Count and Host.
func WithHeader(key, value string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(key) == "" {
			return errors.New("assistants: WithHeader: empty header name")
		}
		if !validHeaderName(key) {
			return fmt.Errorf("assistants: WithHeader: invalid header name %q", key)
		}
		if why, ok := managedHeaders[http.CanonicalHeaderKey(key)]; ok {
			return fmt.Errorf("assistants: WithHeader: the client sets %s itself: %s", http.CanonicalHeaderKey(key), why)
		}
		if !validHeaderValue(value) {
			return fmt.Errorf("assistants: WithHeader: the value of %s holds a control character (a line break?)", key)
		}
		c.headers.Add(key, value)
		return nil
	}
}

// managedHeaders are the headers the client sets on its own, which WithHeader
// refuses, with what to do instead.
var managedHeaders = map[string]string{
	"Authorization":       "use WithAPIKey",
	"Openai-Organization": "use WithOrganization",
	"Openai-Project":      "use WithProject",
	"User-Agent":          "it names this SDK and its version",
	"Openai-Beta":         "it is assistants=v2 wherever the API needs it",
	"Content-Type":        "it follows the request body",
	"Content-Length":      "it follows the request body",
	"Idempotency-Key":     "each POST gets its own, reused by its retries",
	"X-Retry-Count":       "it counts the retries of a request",
	"Host":                "it is the base URL's host",
}

// validHeaderName reports whether name is an HTTP token (RFC 9110 5.6.2).
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		if b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", b) >= 0 {
			continue
		}
		return false
	}
	return true
}

// validHeaderValue reports whether v has no control character other than tab:
// Go's transport refuses such a value on every attempt.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if b := v[i]; b < ' ' && b != '\t' || b == 0x7f {
			return false
		}
	}
	return true
}

// WithLogger makes the client log each request attempt, retry and failure at
// debug level (failures at warn) to l. Keys and bodies are never logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *Client) error { c.logger = l; return nil }
}

// NewClient returns a Client configured from the environment (OPENAI_API_KEY,
// OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID) and then opts. It fails
// when no API key or base URL is set, when the base URL cannot be parsed, or
// when an option is invalid.
//
// The hosted OpenAI Assistants API was switched off on 2026-08-26, so there is
// no default server: point the client at a compatible server, a proxy, or the
// in-process server of package assistantstest.
func NewClient(opts ...Option) (*Client, error) {
	c := &Client{
		apiKey:     os.Getenv("OPENAI_API_KEY"),
		org:        os.Getenv("OPENAI_ORG_ID"),
		project:    os.Getenv("OPENAI_PROJECT_ID"),
		httpClient: http.DefaultClient,
		maxRetries: DefaultMaxRetries,
		headers:    make(http.Header),
		userAgent:  fmt.Sprintf("assistants-go/%s (%s; %s/%s)", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH),
		now:        time.Now,
	}
	// A bad OPENAI_BASE_URL is an error only if no WithBaseURL replaces it.
	var envErr error
	if env := os.Getenv("OPENAI_BASE_URL"); env != "" {
		if err := c.setBaseURL(env); err != nil {
			envErr = fmt.Errorf("%w (from OPENAI_BASE_URL)", err)
		}
	}
	envBase := c.baseURL
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if envErr != nil && c.baseURL == envBase {
		return nil, envErr
	}
	if c.baseURL == nil {
		return nil, errors.New("assistants: no base URL: set OPENAI_BASE_URL or use WithBaseURL (the hosted Assistants API was switched off on 2026-08-26)")
	}
	if c.apiKey == "" {
		return nil, errors.New("assistants: no API key: set OPENAI_API_KEY or use WithAPIKey")
	}
	for _, h := range []struct{ what, v string }{{"API key", c.apiKey}, {"organization", c.org}, {"project", c.project}} {
		if !validHeaderValue(h.v) {
			// The value itself stays out of the message: it may be a secret.
			return nil, fmt.Errorf("assistants: the %s holds a control character (a trailing newline?)", h.what)
		}
	}
	c.Assistants = &AssistantsService{c}
	c.Threads = &ThreadsService{c}
	c.Messages = &MessagesService{c}
	c.Runs = &RunsService{c}
	c.Steps = &StepsService{c}
	c.Files = &FilesService{c}
	c.VectorStores = &VectorStoresService{client: c, Files: &VectorStoreFilesService{c}, FileBatches: &FileBatchesService{c}}
	return c, nil
}

// BaseURL returns the base URL requests are sent to, always ending in "/".
func (c *Client) BaseURL() string { return c.baseURL.String() }

func (c *Client) setBaseURL(base string) error {
	u, err := url.Parse(strings.TrimSpace(base))
	if err != nil {
		return fmt.Errorf("assistants: invalid base URL %q: %w", base, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("assistants: invalid base URL %q: scheme must be http or https", base)
	}
	if u.Host == "" {
		return fmt.Errorf("assistants: invalid base URL %q: no host", base)
	}
	if u.User != nil {
		// They would not be sent (the Authorization header carries the API
		// key) and would end up in error messages and logs.
		return fmt.Errorf("assistants: invalid base URL %q: it may not hold credentials (user:password@); for a proxy's auth use WithHeader", u.Redacted())
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("assistants: invalid base URL %q: it may not have a query or fragment", base)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	c.baseURL = u
	return nil
}

// request is one logical API call; do may send it several times.
type request struct {
	ctx         context.Context
	method      string
	url         string
	body        []byte
	contentType string
	header      http.Header
	// open, when set, replaces body: it returns a fresh reader of the whole
	// body for each attempt, and its length.
	open func() (io.ReadCloser, int64, error)
}

// newRequest builds a request for path (relative to the base URL, already
// escaped) with query parameters and a JSON body. A nil body sends none.
func (c *Client) newRequest(ctx context.Context, method, path string, query url.Values, body any) (*request, error) {
	var data []byte
	if body != nil {
		var err error
		if data, err = json.Marshal(body); err != nil {
			return nil, fmt.Errorf("assistants: encoding %s %s request: %w", method, path, err)
		}
	}
	r, err := c.newRawRequest(ctx, method, path, query, data, "application/json")
	if err == nil && body == nil {
		r.contentType = ""
	}
	return r, err
}

// newRawRequest is newRequest for a body that is already encoded.
func (c *Client) newRawRequest(ctx context.Context, method, path string, query url.Values, body []byte, contentType string) (*request, error) {
	if ctx == nil {
		return nil, errors.New("assistants: nil context")
	}
	u := c.baseURL.String() + strings.TrimPrefix(path, "/")
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	r := &request{ctx: ctx, method: method, url: u, body: body, contentType: contentType, header: make(http.Header)}
	if !strings.HasPrefix(path, "files") {
		r.header.Set("OpenAI-Beta", "assistants=v2")
	}
	if method == http.MethodPost {
		r.header.Set("Idempotency-Key", uuid.NewString())
	}
	return r, nil
}

func (c *Client) httpRequest(r *request, attempt int) (*http.Request, error) {
	var body io.Reader
	length := int64(-1)
	switch {
	case r.open != nil:
		rc, n, err := r.open()
		if err != nil {
			return nil, fmt.Errorf("assistants: %s %s: %w", r.method, r.url, err)
		}
		body, length = rc, n
	case r.body != nil:
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(r.ctx, r.method, r.url, body)
	if err != nil {
		return nil, fmt.Errorf("assistants: building %s %s: %w", r.method, r.url, err)
	}
	if length >= 0 {
		req.ContentLength = length
	}
	for k, vs := range c.headers {
		req.Header[k] = append([]string(nil), vs...)
	}
	for k, vs := range r.header {
		req.Header[k] = append([]string(nil), vs...)
	}
	req.Header.Set("Authorization", "Bearer "+c.apiKey)
	req.Header.Set("User-Agent", c.userAgent)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "application/json")
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	if c.org != "" {
		req.Header.Set("OpenAI-Organization", c.org)
	}
	if c.project != "" {
		req.Header.Set("OpenAI-Project", c.project)
	}
	if attempt > 0 {
		req.Header.Set("X-Retry-Count", fmt.Sprint(attempt))
	}
	return req, nil
}

// send performs r with retries and returns a 2xx response whose body the
// caller must close. Any other status becomes an *APIError. The body of the
// response is left unread: a failure while reading it (in a stream, say) is
// never retried.
func (c *Client) send(r *request) (*http.Response, error) {
	resp, _, err := c.exchange(r, false)
	return resp, err
}

// exchange performs r with retries. Unless read is set it returns as send
// does. When read is set it also reads the whole body of the 2xx response
// within the retry loop, so that a connection that breaks in the middle of
// the body is retried like one that breaks before it, and returns the body
// with the response, whose Body is then already closed.
func (c *Client) exchange(r *request, read bool) (*http.Response, []byte, error) {
	for attempt := 0; ; attempt++ {
		req, err := c.httpRequest(r, attempt)
		if err != nil {
			return nil, nil, err
		}
		start := time.Now()
		resp, err := c.httpClient.Do(req)
		var body []byte
		if err == nil && read && resp.StatusCode >= 200 && resp.StatusCode < 300 {
			body, err = io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			resp.Body = http.NoBody
			if err != nil {
				err = fmt.Errorf("reading the body of the response (status %d%s): %w", resp.StatusCode, requestIDSuffix(resp), err)
			}
		}
		if err != nil {
			if attempt < c.maxRetries && retry.ShouldRetryError(r.ctx, err) {
				wait := retry.Delay(attempt, nil, c.now())
				c.log(r.ctx, slog.LevelDebug, "retrying after connection error", r, "attempt", attempt+1, "wait", wait, "error", err)
				if serr := retry.Sleep(r.ctx, wait); serr != nil {
					return nil, nil, fmt.Errorf("assistants: %s %s: %w (while waiting to retry after: %w)", r.method, r.url, serr, err)
				}
				continue
			}
			if ctxErr := r.ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
				err = fmt.Errorf("%w: %w", ctxErr, err)
			}
			return nil, nil, fmt.Errorf("assistants: %s %s: %w", r.method, r.url, err)
		}
		c.log(r.ctx, slog.LevelDebug, "response", r, "status", resp.StatusCode, "attempt", attempt, "duration", time.Since(start))
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return resp, body, nil
		}
		apiErr := newAPIError(resp) // reads a bounded part of the body and closes it
		if attempt < c.maxRetries && retry.ShouldRetryResponse(resp.StatusCode, resp.Header) {
			wait := retry.Delay(attempt, resp.Header, c.now())
			c.log(r.ctx, slog.LevelDebug, "retrying", r, "status", resp.StatusCode, "attempt", attempt+1, "wait", wait)
			if serr := retry.Sleep(r.ctx, wait); serr != nil {
				// Both stay reachable: errors.Is(err, context.DeadlineExceeded)
				// and errors.As(err, &apiErr) (a 429, say) hold.
				return nil, nil, fmt.Errorf("assistants: %s %s: %w (while waiting to retry after: %w)", r.method, r.url, serr, apiErr)
			}
			continue
		}
		c.log(r.ctx, slog.LevelWarn, "request failed", r, "status", resp.StatusCode, "request_id", apiErr.RequestID)
		return nil, nil, apiErr
	}
}

// requestIDSuffix is ", request id X" for a response with an x-request-id
// header, else empty.
func requestIDSuffix(resp *http.Response) string {
	if id := resp.Header.Get("X-Request-Id"); id != "" {
		return fmt.Sprintf(", request id %q", id)
	}
	return ""
}

// do performs r and decodes a JSON response into out (unless out is nil). It
// returns the response, whose body is already read and closed, so callers
// can read headers such as openai-poll-after-ms.
func (c *Client) do(r *request, out any) (*http.Response, error) {
	if out == nil {
		resp, err := c.send(r)
		if err != nil {
			return nil, err
		}
		drainAndClose(resp.Body)
		return resp, nil
	}
	resp, body, err := c.exchange(r, true)
	if err != nil {
		return nil, err
	}
	if err := decodeJSON(body, out); err != nil {
		ct := ""
		if v := resp.Header.Get("Content-Type"); v != "" {
			ct = fmt.Sprintf(", Content-Type %q", v)
		}
		return resp, fmt.Errorf("assistants: %s %s: decoding the response (status %d%s%s): %w",
			r.method, r.url, resp.StatusCode, ct, requestIDSuffix(resp), err)
	}
	return resp, nil
}

// decodeJSON decodes the body of a 2xx response into out, with errors that
// say what the body was when it was not the JSON object expected.
func decodeJSON(body []byte, out any) error {
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		return errors.New("the body is empty, where a JSON object was expected")
	case string(trimmed) == "null":
		return errors.New("the body is JSON null, where a JSON object was expected")
	}
	if err := json.Unmarshal(trimmed, out); err != nil {
		return fmt.Errorf("%w; the body starts: %s", err, plainMessage(trimmed[:min(len(trimmed), 2*maxPlainMessage)]))
	}
	return nil
}

// call is newRequest + do for the common JSON case.
func (c *Client) call(ctx context.Context, method, path string, query url.Values, body, out any) (*http.Response, error) {
	r, err := c.newRequest(ctx, method, path, query, body)
	if err != nil {
		return nil, err
	}
	return c.do(r, out)
}

func (c *Client) log(ctx context.Context, level slog.Level, msg string, r *request, args ...any) {
	if c.logger == nil {
		return
	}
	args = append([]any{"method", r.method, "url", r.url}, args...)
	c.logger.Log(ctx, level, "assistants: "+msg, args...)
}

// drainAndClose discards a bounded amount of what is left of body, so the
// connection can be reused, and closes it.
func drainAndClose(body io.ReadCloser) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxDrain))
	_ = body.Close()
}

// callJSON is call for the common case of decoding the response into a new T.
func callJSON[T any](ctx context.Context, c *Client, method, path string, query url.Values, body any) (*T, error) {
	out, _, err := callJSONResp[T](ctx, c, method, path, query, body)
	return out, err
}

// callJSONResp is callJSON that also returns the response, for callers that
// read its headers (the poll helpers read openai-poll-after-ms).
func callJSONResp[T any](ctx context.Context, c *Client, method, path string, query url.Values, body any) (*T, *http.Response, error) {
	out := new(T)
	resp, err := c.call(ctx, method, path, query, body, out)
	if err != nil {
		return nil, nil, err
	}
	return out, resp, nil
}
