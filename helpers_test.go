package assistants

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// setup starts an httptest server with a mux mounted under /v1 and returns a
// client pointed at it (no retries waiting: tests that retry set their own).
func setup(t *testing.T, opts ...Option) (*Client, *http.ServeMux, *atomic.Int64) {
	t.Helper()
	mux := http.NewServeMux()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.StripPrefix("/v1", mux).ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	base := []Option{WithBaseURL(srv.URL + "/v1"), WithAPIKey("sk-test")}
	c, err := NewClient(append(base, opts...)...)
	require.NoError(t, err)
	return c, mux, &hits
}

// testBody checks the request's JSON body equals want (compared as JSON);
// an empty want means the request must have no body.
func testBody(t *testing.T, r *http.Request, want string) {
	t.Helper()
	got, err := io.ReadAll(r.Body)
	require.NoError(t, err)
	if want == "" {
		assert.Empty(t, got, "%s %s must send no body", r.Method, r.URL.Path)
		assert.Empty(t, r.Header.Get("Content-Type"), "%s %s must send no Content-Type", r.Method, r.URL.Path)
		return
	}
	assert.JSONEq(t, want, string(got), "body of %s %s", r.Method, r.URL.Path)
}

// writeJSON answers with a JSON body.
func writeJSON(t *testing.T, w http.ResponseWriter, status int, v any) {
	t.Helper()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if s, ok := v.(string); ok {
		_, _ = io.WriteString(w, s)
		return
	}
	require.NoError(t, json.NewEncoder(w).Encode(v))
}
