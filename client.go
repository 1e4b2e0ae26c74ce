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

// WithHTTPClient sets the http.Client used for every request (for timeouts,
// proxies or a custom transport). A nil client is an error.
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

// WithHeader adds a header sent with every request. It may be given several
// times; it cannot override the Authorization header.
func WithHeader(key, value string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(key) == "" {
			return errors.New("assistants: WithHeader: empty header name")
		}
		c.headers.Add(key, value)
		return nil
	}
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
	if env := os.Getenv("OPENAI_BASE_URL"); env != "" {
		if err := c.setBaseURL(env); err != nil {
			return nil, fmt.Errorf("%w (from OPENAI_BASE_URL)", err)
		}
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.baseURL == nil {
		return nil, errors.New("assistants: no base URL: set OPENAI_BASE_URL or use WithBaseURL (the hosted Assistants API was switched off on 2026-08-26)")
	}
	if c.apiKey == "" {
		return nil, errors.New("assistants: no API key: set OPENAI_API_KEY or use WithAPIKey")
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
// caller must close. Any other status becomes an *APIError.
func (c *Client) send(r *request) (*http.Response, error) {
	for attempt := 0; ; attempt++ {
		req, err := c.httpRequest(r, attempt)
		if err != nil {
			return nil, err
		}
		start := time.Now()
		resp, err := c.httpClient.Do(req)
		if err != nil {
			if attempt < c.maxRetries && retry.ShouldRetryError(r.ctx, err) {
				wait := retry.Delay(attempt, nil, c.now())
				c.log(r.ctx, slog.LevelDebug, "retrying after connection error", r, "attempt", attempt+1, "wait", wait, "error", err)
				if serr := retry.Sleep(r.ctx, wait); serr != nil {
					return nil, fmt.Errorf("assistants: %s %s: %w (while waiting to retry after: %v)", r.method, r.url, serr, err)
				}
				continue
			}
			if ctxErr := r.ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
				err = fmt.Errorf("%w: %v", ctxErr, err)
			}
			return nil, fmt.Errorf("assistants: %s %s: %w", r.method, r.url, err)
		}
		c.log(r.ctx, slog.LevelDebug, "response", r, "status", resp.StatusCode, "attempt", attempt, "duration", time.Since(start))
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			return resp, nil
		}
		if attempt < c.maxRetries && retry.ShouldRetryResponse(resp.StatusCode, resp.Header) {
			drainAndClose(resp.Body)
			wait := retry.Delay(attempt, resp.Header, c.now())
			c.log(r.ctx, slog.LevelDebug, "retrying", r, "status", resp.StatusCode, "attempt", attempt+1, "wait", wait)
			if serr := retry.Sleep(r.ctx, wait); serr != nil {
				return nil, fmt.Errorf("assistants: %s %s: %w (while waiting to retry after status %d)", r.method, r.url, serr, resp.StatusCode)
			}
			continue
		}
		apiErr := newAPIError(resp)
		c.log(r.ctx, slog.LevelWarn, "request failed", r, "status", resp.StatusCode, "request_id", apiErr.RequestID)
		return nil, apiErr
	}
}

// do performs r and decodes a JSON response into out (unless out is nil). It
// returns the response, whose body is already drained and closed, so callers
// can read headers such as openai-poll-after-ms.
func (c *Client) do(r *request, out any) (*http.Response, error) {
	resp, err := c.send(r)
	if err != nil {
		return nil, err
	}
	defer drainAndClose(resp.Body)
	if out == nil {
		return resp, nil
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return resp, fmt.Errorf("assistants: decoding %s %s response (status %d, request id %q): %w",
			r.method, r.url, resp.StatusCode, resp.Header.Get("X-Request-Id"), err)
	}
	return resp, nil
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
	out := new(T)
	if _, err := c.call(ctx, method, path, query, body, out); err != nil {
		return nil, err
	}
	return out, nil
}
