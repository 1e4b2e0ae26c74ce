package assistants

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewClientConfiguration(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
	t.Setenv("OPENAI_ORG_ID", "")
	t.Setenv("OPENAI_PROJECT_ID", "")

	_, err := NewClient(WithBaseURL("http://localhost/v1"))
	require.ErrorContains(t, err, "no API key")

	_, err = NewClient(WithAPIKey("k"))
	require.ErrorContains(t, err, "no base URL")

	for _, bad := range []string{"::not a url", "ftp://host/v1", "http:///v1", "http://h/v1?x=1"} {
		_, err = NewClient(WithAPIKey("k"), WithBaseURL(bad))
		require.Error(t, err, bad)
		assert.Contains(t, err.Error(), "invalid base URL", bad)
	}
	_, err = NewClient(WithAPIKey("k"), WithBaseURL("http://h/v1"), WithMaxRetries(-1))
	require.ErrorContains(t, err, "negative retry count")
	_, err = NewClient(WithAPIKey("k"), WithBaseURL("http://h/v1"), WithHTTPClient(nil))
	require.ErrorContains(t, err, "nil *http.Client")

	t.Setenv("OPENAI_API_KEY", "sk-env")
	t.Setenv("OPENAI_BASE_URL", "http://env.example:8080/v1")
	c, err := NewClient()
	require.NoError(t, err)
	assert.Equal(t, "http://env.example:8080/v1/", c.BaseURL())
	assert.Equal(t, "sk-env", c.apiKey)

	t.Setenv("OPENAI_BASE_URL", "not a url at all")
	_, err = NewClient()
	require.ErrorContains(t, err, "OPENAI_BASE_URL")
}

func TestBaseURLForms(t *testing.T) {
	for _, suffix := range []string{"/v1", "/v1/", "/proxy/prefix/v1"} {
		t.Run(suffix, func(t *testing.T) {
			var gotPath string
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				gotPath = r.URL.Path
				writeJSON(t, w, 200, `{"id":"asst_1","object":"assistant"}`)
			}))
			defer srv.Close()
			c, err := NewClient(WithBaseURL(srv.URL+suffix), WithAPIKey("k"))
			require.NoError(t, err)
			_, err = c.Assistants.Get(context.Background(), "asst_1")
			require.NoError(t, err)
			assert.Equal(t, strings.TrimSuffix(suffix, "/")+"/assistants/asst_1", gotPath)
		})
	}
}

func TestHeaders(t *testing.T) {
	c, mux, _ := setup(t, WithOrganization("org_1"), WithProject("proj_1"), WithHeader("X-Custom", "yes"))
	mux.HandleFunc("/assistants/asst_1", func(w http.ResponseWriter, r *http.Request) {
		assert.Equal(t, "Bearer sk-test", r.Header.Get("Authorization"))
		assert.Equal(t, "assistants=v2", r.Header.Get("OpenAI-Beta"))
		assert.Equal(t, "org_1", r.Header.Get("OpenAI-Organization"))
		assert.Equal(t, "proj_1", r.Header.Get("OpenAI-Project"))
		assert.Equal(t, "yes", r.Header.Get("X-Custom"))
		assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "assistants-go/"+Version), r.Header.Get("User-Agent"))
		assert.Empty(t, r.Header.Get("Idempotency-Key"), "GET needs no idempotency key")
		writeJSON(t, w, 200, `{"id":"asst_1"}`)
	})
	_, err := c.Assistants.Get(context.Background(), "asst_1")
	require.NoError(t, err)
}

func TestRetry429WithRetryAfterMs(t *testing.T) {
	c, mux, hits := setup(t)
	var keys []string
	mux.HandleFunc("/assistants", func(w http.ResponseWriter, r *http.Request) {
		keys = append(keys, r.Header.Get("Idempotency-Key"))
		if len(keys) == 1 {
			w.Header().Set("retry-after-ms", "1")
			writeJSON(t, w, 429, `{"error":{"message":"slow down","type":"rate_limit_error"}}`)
			return
		}
		writeJSON(t, w, 200, `{"id":"asst_1","object":"assistant","model":"gpt-4o"}`)
	})
	a, err := c.Assistants.Create(context.Background(), AssistantCreateParams{Model: "gpt-4o"})
	require.NoError(t, err)
	assert.Equal(t, "asst_1", a.ID)
	assert.EqualValues(t, 2, hits.Load())
	require.Len(t, keys, 2)
	assert.NotEmpty(t, keys[0])
	assert.Equal(t, keys[0], keys[1], "a retried POST keeps its Idempotency-Key")
}

func TestRetry500TwiceThen200(t *testing.T) {
	c, mux, hits := setup(t)
	mux.HandleFunc("/threads/thread_1", func(w http.ResponseWriter, r *http.Request) {
		if hits.Load() <= 2 {
			w.Header().Set("retry-after-ms", "1")
			writeJSON(t, w, 500, `{"error":{"message":"boom","type":"server_error"}}`)
			return
		}
		assert.Equal(t, "2", r.Header.Get("X-Retry-Count"))
		writeJSON(t, w, 200, `{"id":"thread_1","object":"thread"}`)
	})
	th, err := c.Threads.Get(context.Background(), "thread_1")
	require.NoError(t, err)
	assert.Equal(t, "thread_1", th.ID)
	assert.EqualValues(t, 3, hits.Load())
}

func TestRetryExhausted(t *testing.T) {
	c, mux, hits := setup(t, WithMaxRetries(1))
	mux.HandleFunc("/threads/thread_1", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("retry-after-ms", "1")
		w.Header().Set("x-request-id", "req_9")
		writeJSON(t, w, 503, `{"error":{"message":"overloaded","type":"server_error"}}`)
	})
	_, err := c.Threads.Get(context.Background(), "thread_1")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 503, apiErr.StatusCode)
	assert.Equal(t, "req_9", apiErr.RequestID)
	assert.EqualValues(t, 2, hits.Load())
}

func TestShouldRetryHeaderOverrides(t *testing.T) {
	c, mux, hits := setup(t)
	mux.HandleFunc("/threads/no", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-should-retry", "false")
		writeJSON(t, w, 500, `{"error":{"message":"do not retry"}}`)
	})
	_, err := c.Threads.Get(context.Background(), "no")
	require.Error(t, err)
	assert.EqualValues(t, 1, hits.Load(), "x-should-retry: false stops retries")

	hits.Store(0)
	mux.HandleFunc("/threads/yes", func(w http.ResponseWriter, r *http.Request) {
		if hits.Load() == 1 {
			w.Header().Set("x-should-retry", "true")
			w.Header().Set("retry-after-ms", "1")
			writeJSON(t, w, 400, `{"error":{"message":"try again"}}`)
			return
		}
		writeJSON(t, w, 200, `{"id":"yes"}`)
	})
	_, err = c.Threads.Get(context.Background(), "yes")
	require.NoError(t, err)
	assert.EqualValues(t, 2, hits.Load(), "x-should-retry: true retries even a 400")
}

func TestNoRetryOnOrdinary4xx(t *testing.T) {
	for _, status := range []int{400, 401, 403, 404, 422} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			c, mux, hits := setup(t)
			mux.HandleFunc("/threads/t", func(w http.ResponseWriter, r *http.Request) {
				writeJSON(t, w, status, `{"error":{"message":"no","type":"invalid_request_error","param":"thread_id","code":"bad"}}`)
			})
			_, err := c.Threads.Get(context.Background(), "t")
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Equal(t, "invalid_request_error", apiErr.Type)
			assert.Equal(t, "thread_id", apiErr.Param)
			assert.Equal(t, "bad", apiErr.Code)
			assert.Equal(t, "no", apiErr.Message)
			assert.EqualValues(t, 1, hits.Load())
		})
	}
	for _, status := range []int{408, 409, 429, 500, 502} {
		t.Run(fmt.Sprint("retried ", status), func(t *testing.T) {
			c, mux, hits := setup(t, WithMaxRetries(1))
			mux.HandleFunc("/threads/t", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("retry-after-ms", "1")
				writeJSON(t, w, status, `{"error":{"message":"again"}}`)
			})
			_, err := c.Threads.Get(context.Background(), "t")
			require.Error(t, err)
			assert.EqualValues(t, 2, hits.Load())
		})
	}
}

func TestCancelledContextEndsRetryWait(t *testing.T) {
	c, mux, hits := setup(t)
	ctx, cancel := context.WithCancel(context.Background())
	mux.HandleFunc("/threads/t", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("retry-after", "30") // a long wait, which the cancel must cut short
		writeJSON(t, w, 503, `{"error":{"message":"busy"}}`)
		cancel()
	})
	done := make(chan error, 1)
	go func() { _, err := c.Threads.Get(ctx, "t"); done <- err }()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("a cancelled context did not end the retry wait")
	}
	assert.EqualValues(t, 1, hits.Load())
}

func TestConnectionErrorRetriedAndKeepsCause(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	c, err := NewClient(WithBaseURL(url+"/v1"), WithAPIKey("k"), WithMaxRetries(0))
	require.NoError(t, err)
	_, err = c.Threads.Get(context.Background(), "t")
	require.Error(t, err)
	var netErr interface{ Timeout() bool }
	assert.True(t, errors.As(err, &netErr), "the network error stays in the chain: %v", err)
}

func TestNonJSONErrorBody(t *testing.T) {
	c, mux, _ := setup(t, WithMaxRetries(0))
	mux.HandleFunc("/threads/t", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(502)
		_, _ = io.WriteString(w, "<html><body>\n  Bad   gateway from proxy\n</body></html>")
	})
	_, err := c.Threads.Get(context.Background(), "t")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 502, apiErr.StatusCode)
	assert.Contains(t, apiErr.Message, "Bad gateway from proxy")
	assert.Contains(t, err.Error(), "502")
}

func TestErrorBodyReadIsBounded(t *testing.T) {
	c, mux, _ := setup(t, WithMaxRetries(0))
	mux.HandleFunc("/threads/t", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(400)
		chunk := strings.Repeat("x", 64<<10)
		for i := 0; i < 64; i++ { // 4 MiB
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	})
	_, err := c.Threads.Get(context.Background(), "t")
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, maxErrorBody, len(apiErr.Body))
	assert.LessOrEqual(t, len(apiErr.Message), 600)
}

func TestEmptyIDsRejectedBeforeRequest(t *testing.T) {
	c, _, hits := setup(t)
	ctx := context.Background()
	cases := map[string]func() error{
		"assistantID": func() error { _, err := c.Assistants.Get(ctx, ""); return err },
		"threadID":    func() error { _, err := c.Messages.List(ctx, " ", MessageListParams{}); return err },
		"messageID":   func() error { _, err := c.Messages.Get(ctx, "t", ""); return err },
		"runID":       func() error { _, err := c.Runs.Cancel(ctx, "t", ""); return err },
		"stepID":      func() error { _, err := c.Steps.Get(ctx, "t", "r", "", StepGetParams{}); return err },
		"AssistantID": func() error { _, err := c.Runs.Create(ctx, "t", RunCreateParams{}); return err },
		"Model":       func() error { _, err := c.Assistants.Create(ctx, AssistantCreateParams{}); return err },
		"Role":        func() error { _, err := c.Messages.Create(ctx, "t", MessageCreateParams{Content: "x"}); return err },
		"ToolCallID": func() error {
			_, err := c.Runs.SubmitToolOutputs(ctx, "t", "r", []ToolOutput{{Output: "1"}})
			return err
		},
	}
	for name, call := range cases {
		err := call()
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), name)
	}
	assert.EqualValues(t, 0, hits.Load(), "no request may be sent for bad input")
}

func TestIDsArePathEscaped(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.EscapedPath()
		writeJSON(t, w, 200, `{"id":"x"}`)
	}))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL+"/v1"), WithAPIKey("k"))
	require.NoError(t, err)
	_, err = c.Messages.Get(context.Background(), "thread/../x", "msg 1?a=b")
	require.NoError(t, err)
	assert.Equal(t, "/v1/threads/thread%2F..%2Fx/messages/msg%201%3Fa=b", got)
}

func TestListParamsValidation(t *testing.T) {
	c, _, hits := setup(t)
	_, err := c.Assistants.List(context.Background(), ListParams{Limit: 101})
	require.ErrorContains(t, err, "Limit")
	_, err = c.Assistants.List(context.Background(), ListParams{Order: "sideways"})
	require.ErrorContains(t, err, "Order")
	assert.EqualValues(t, 0, hits.Load())
}

func TestListAllFollowsPages(t *testing.T) {
	c, mux, _ := setup(t)
	var mu sync.Mutex
	var afters []string
	mux.HandleFunc("/assistants", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		q := r.URL.Query()
		afters = append(afters, q.Get("after"))
		assert.Equal(t, "2", q.Get("limit"))
		assert.Equal(t, "asc", q.Get("order"))
		switch q.Get("after") {
		case "":
			writeJSON(t, w, 200, `{"object":"list","data":[{"id":"a1"},{"id":"a2"}],"first_id":"a1","last_id":"a2","has_more":true}`)
		case "a2":
			writeJSON(t, w, 200, `{"object":"list","data":[{"id":"a3"},{"id":"a4"}],"first_id":"a3","last_id":"a4","has_more":true}`)
		case "a4":
			writeJSON(t, w, 200, `{"object":"list","data":[{"id":"a5"}],"first_id":"a5","last_id":"a5","has_more":false}`)
		default:
			t.Errorf("unexpected after %q", q.Get("after"))
		}
	})
	var ids []string
	for a, err := range c.Assistants.ListAll(context.Background(), ListParams{Limit: 2, Order: OrderAsc}) {
		require.NoError(t, err)
		ids = append(ids, a.ID)
	}
	assert.Equal(t, []string{"a1", "a2", "a3", "a4", "a5"}, ids)
	assert.Equal(t, []string{"", "a2", "a4"}, afters)

	// Stopping early fetches no further page.
	afters = nil
	for a, err := range c.Assistants.ListAll(context.Background(), ListParams{Limit: 2, Order: OrderAsc}) {
		require.NoError(t, err)
		if a.ID == "a1" {
			break
		}
	}
	assert.Equal(t, []string{""}, afters)
}

func TestListAllStopsOnEmptyPageAndYieldsErrors(t *testing.T) {
	c, mux, hits := setup(t, WithMaxRetries(0))
	mux.HandleFunc("/threads/t/runs", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("after") == "" {
			writeJSON(t, w, 200, `{"object":"list","data":[],"has_more":true}`)
			return
		}
		t.Error("an empty page must end the listing")
	})
	n := 0
	for _, err := range c.Runs.ListAll(context.Background(), "t", ListParams{}) {
		require.NoError(t, err)
		n++
	}
	assert.Zero(t, n)
	assert.EqualValues(t, 1, hits.Load())

	mux.HandleFunc("/threads/bad/runs", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(t, w, 404, `{"error":{"message":"No thread found with id 'bad'."}}`)
	})
	var gotErr error
	for r, err := range c.Runs.ListAll(context.Background(), "bad", ListParams{}) {
		assert.Nil(t, r)
		gotErr = err
	}
	var apiErr *APIError
	require.ErrorAs(t, gotErr, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
}

func TestBodiesAreDrainedSoConnectionsAreReused(t *testing.T) {
	var mu sync.Mutex
	conns := map[string]bool{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conns[r.RemoteAddr] = true
		mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "missing") {
			writeJSON(t, w, 404, `{"error":{"message":"nope"}}`)
			return
		}
		// Trailing whitespace after the JSON value must be drained too.
		writeJSON(t, w, 200, `{"id":"x"}`+strings.Repeat(" ", 4096))
	}))
	srv.Start()
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL+"/v1"), WithAPIKey("k"), WithHTTPClient(srv.Client()))
	require.NoError(t, err)
	for i := 0; i < 10; i++ {
		_, err := c.Threads.Get(context.Background(), "x")
		require.NoError(t, err)
		_, err = c.Threads.Get(context.Background(), "missing")
		require.Error(t, err)
	}
	assert.Len(t, conns, 1, "every request reused one connection")
}

func TestClientTimeoutAttemptIsRetried(t *testing.T) {
	// An http.Client's Timeout cuts off an attempt with an error that wraps
	// context.DeadlineExceeded while the caller's ctx is live: that attempt
	// is retried like any connection failure.
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			<-r.Context().Done() // never answer: the client gives up on this attempt
			return
		}
		writeJSON(t, w, 200, `{"id":"t","object":"thread"}`)
	}))
	defer srv.Close()
	hc := &http.Client{Timeout: 100 * time.Millisecond}
	c, err := NewClient(WithBaseURL(srv.URL+"/v1"), WithAPIKey("k"), WithHTTPClient(hc), WithMaxRetries(1))
	require.NoError(t, err)
	th, err := c.Threads.Get(context.Background(), "t")
	require.NoError(t, err)
	assert.Equal(t, "t", th.ID)
	assert.EqualValues(t, 2, hits.Load())
}

func TestBrokenResponseBodyIsRetried(t *testing.T) {
	// The connection breaks in the middle of a 2xx body: for a JSON answer
	// that is a connection failure like any other, and retried.
	c, mux, hits := setup(t, WithMaxRetries(1))
	mux.HandleFunc("/threads/t", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if hits.Load() == 1 {
			w.Header().Set("Content-Length", "100")
			w.WriteHeader(200)
			_, _ = io.WriteString(w, `{"id":"t",`) // and the connection closes
			return
		}
		writeJSON(t, w, 200, `{"id":"t","object":"thread"}`)
	})
	th, err := c.Threads.Get(context.Background(), "t")
	require.NoError(t, err)
	assert.Equal(t, "t", th.ID)
	assert.EqualValues(t, 2, hits.Load())

	// Without retries the error says what happened.
	hits.Store(0)
	c0, err := NewClient(WithBaseURL(c.BaseURL()), WithAPIKey("k"), WithMaxRetries(0))
	require.NoError(t, err)
	_, err = c0.Threads.Get(context.Background(), "t")
	require.Error(t, err)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Contains(t, err.Error(), "reading the body")
}

func TestRetryWaitCutShortKeepsCause(t *testing.T) {
	// The context ends while the client waits to retry (it is cancelled when
	// the client logs that it will retry): the error is the context's, and
	// the response or network error that caused the wait stays in the chain.
	ctx, cancel := context.WithCancel(context.Background())
	c, mux, _ := setup(t, WithLogger(slog.New(cancelOnLog{cancel})))
	mux.HandleFunc("/threads/t", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("retry-after", "30")
		w.Header().Set("x-request-id", "req_429")
		writeJSON(t, w, 429, `{"error":{"message":"slow down","type":"rate_limit_error"}}`)
	})
	_, err := c.Threads.Get(ctx, "t")
	require.ErrorIs(t, err, context.Canceled)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "the 429 that caused the wait stays reachable: %v", err)
	assert.Equal(t, 429, apiErr.StatusCode)
	assert.Equal(t, "req_429", apiErr.RequestID)

	// The same for a connection error.
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	cctx, ccancel := context.WithCancel(context.Background())
	logger := slog.New(cancelOnLog{ccancel})
	c2, err := NewClient(WithBaseURL(url+"/v1"), WithAPIKey("k"), WithLogger(logger))
	require.NoError(t, err)
	_, err = c2.Threads.Get(cctx, "t")
	require.ErrorIs(t, err, context.Canceled)
	var netErr interface{ Timeout() bool }
	assert.True(t, errors.As(err, &netErr), "the network error stays in the chain: %v", err)
}

// cancelOnLog is a slog handler that calls cancel when the client logs that
// it is about to wait for a retry.
type cancelOnLog struct{ cancel context.CancelFunc }

func (h cancelOnLog) Enabled(context.Context, slog.Level) bool { return true }
func (h cancelOnLog) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "retrying") {
		h.cancel()
	}
	return nil
}
func (h cancelOnLog) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h cancelOnLog) WithGroup(string) slog.Handler      { return h }

func TestOddSuccessBodies(t *testing.T) {
	for _, tc := range []struct {
		name, contentType, body string
		want                    []string
	}{
		{"empty", "application/json", "", []string{"empty"}},
		{"whitespace", "application/json", " \n", []string{"empty"}},
		{"null", "application/json", "null", []string{"JSON null"}},
		{"html", "text/html", "<html><body>Welcome to nginx!</body></html>", []string{"Welcome to nginx!", `Content-Type "text/html"`}},
		{"array", "application/json", `[{"id":"t"}]`, []string{"cannot unmarshal array"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mux, hits := setup(t)
			mux.HandleFunc("/threads/t", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", tc.contentType)
				w.Header().Set("x-request-id", "req_odd")
				_, _ = io.WriteString(w, tc.body)
			})
			th, err := c.Threads.Get(context.Background(), "t")
			assert.Nil(t, th)
			require.Error(t, err)
			msg := err.Error()
			assert.Contains(t, msg, "GET ")
			assert.Contains(t, msg, "/v1/threads/t")
			assert.Contains(t, msg, "status 200")
			assert.Contains(t, msg, `request id "req_odd"`)
			for _, w := range tc.want {
				assert.Contains(t, msg, w)
			}
			assert.EqualValues(t, 1, hits.Load(), "a body that is not JSON is not retried")
		})
	}
}

func TestWithHeaderRefusesWhatTheClientSets(t *testing.T) {
	opts := func(o Option) []Option { return []Option{WithBaseURL("http://h/v1"), WithAPIKey("k"), o} }
	for _, name := range []string{"Authorization", "authorization", "User-Agent", "OpenAI-Beta", "openai-organization", "OpenAI-Project", "Idempotency-Key", "Content-Type", "Host"} {
		_, err := NewClient(opts(WithHeader(name, "x"))...)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "sets "+http.CanonicalHeaderKey(name)+" itself", name)
	}
	_, err := NewClient(opts(WithHeader("Authorization", "Bearer other"))...)
	assert.ErrorContains(t, err, "WithAPIKey")

	_, err = NewClient(opts(WithHeader("X Bad", "x"))...)
	assert.ErrorContains(t, err, "invalid header name")
	_, err = NewClient(opts(WithHeader("X-Ok", "a\r\nX-Injected: 1"))...)
	assert.ErrorContains(t, err, "control character")

	_, err = NewClient(WithBaseURL("http://h/v1"), WithAPIKey("sk-secret\n"))
	require.ErrorContains(t, err, "API key holds a control character")
	assert.NotContains(t, err.Error(), "sk-secret", "the key stays out of the message")

	c, err := NewClient(opts(WithHeader("X-Tenant", "a"))...)
	require.NoError(t, err)
	assert.Equal(t, "a", c.headers.Get("X-Tenant"))
}

func TestBaseURLOptionOverridesBadEnv(t *testing.T) {
	t.Setenv("OPENAI_BASE_URL", "not a url at all")
	c, err := NewClient(WithBaseURL("http://h/v1"), WithAPIKey("k"))
	require.NoError(t, err, "WithBaseURL replaces OPENAI_BASE_URL, bad or not")
	assert.Equal(t, "http://h/v1/", c.BaseURL())
}

func TestBaseURLWithCredentialsRefused(t *testing.T) {
	_, err := NewClient(WithBaseURL("https://user:hunter2@proxy.example/v1"), WithAPIKey("k"))
	require.ErrorContains(t, err, "credentials")
	assert.NotContains(t, err.Error(), "hunter2")
}

func TestBaseURLWithEscapedSegment(t *testing.T) {
	var got string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.EscapedPath()
		writeJSON(t, w, 200, `{"id":"a/1"}`)
	}))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL+"/tenants/acme%2Fprod/v1"), WithAPIKey("k"))
	require.NoError(t, err)
	assert.Equal(t, srv.URL+"/tenants/acme%2Fprod/v1/", c.BaseURL())
	_, err = c.Assistants.Get(context.Background(), "a/1")
	require.NoError(t, err)
	assert.Equal(t, "/tenants/acme%2Fprod/v1/assistants/a%2F1", got)
}

func TestDotIDsRefused(t *testing.T) {
	c, _, hits := setup(t)
	for _, id := range []string{".", ".."} {
		_, err := c.Threads.Get(context.Background(), id)
		assert.ErrorContains(t, err, "threadID")
		_, err = c.Messages.Get(context.Background(), id, "msg_1")
		assert.ErrorContains(t, err, "threadID")
	}
	assert.EqualValues(t, 0, hits.Load())
}

func TestListAllStopsWhenTheServerRepeatsACursor(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pages map[string]string // after → page
	}{
		{"same last id", map[string]string{
			"":   `{"data":[{"id":"a1"},{"id":"a2"}],"has_more":true}`,
			"a2": `{"data":[{"id":"a1"},{"id":"a2"}],"has_more":true}`,
		}},
		{"a cycle", map[string]string{
			"":   `{"data":[{"id":"a1"}],"has_more":true}`,
			"a1": `{"data":[{"id":"a2"}],"has_more":true}`,
			"a2": `{"data":[{"id":"a1"}],"has_more":true}`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mux, hits := setup(t, WithMaxRetries(0))
			mux.HandleFunc("/assistants", func(w http.ResponseWriter, r *http.Request) {
				if hits.Load() > 10 { // without the guard the listing would never end
					writeJSON(t, w, 400, `{"error":{"message":"too many pages"}}`)
					return
				}
				writeJSON(t, w, 200, tc.pages[r.URL.Query().Get("after")])
			})
			var errs []error
			n := 0
			for a, err := range c.Assistants.ListAll(context.Background(), ListParams{}) {
				if err != nil {
					errs = append(errs, err)
					continue
				}
				require.NotNil(t, a)
				n++
			}
			require.Len(t, errs, 1)
			assert.Contains(t, errs[0].Error(), "has_more")
			assert.LessOrEqual(t, hits.Load(), int64(3))
		})
	}
}

func TestPlainTextErrorObjects(t *testing.T) {
	for body, want := range map[string]string{
		`{"error":"model 'x' not found"}`: "model 'x' not found",
		`{"detail":"Not Found"}`:          "Not Found",
	} {
		c, mux, _ := setup(t, WithMaxRetries(0))
		mux.HandleFunc("/threads/t", func(w http.ResponseWriter, r *http.Request) {
			writeJSON(t, w, 404, body)
		})
		_, err := c.Threads.Get(context.Background(), "t")
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, want, apiErr.Message)
	}
}
