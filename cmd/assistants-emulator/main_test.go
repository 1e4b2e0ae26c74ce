package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for the server's and the test's
// goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

var urlRE = regexp.MustCompile(`http://127\.0\.0\.1:\d+/v1`)

func TestRunServesAndShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-poll-after", "5ms"}, &out) }()

	var base string
	for deadline := time.Now().Add(5 * time.Second); base == "" && time.Now().Before(deadline); {
		base = urlRE.FindString(out.String())
		time.Sleep(5 * time.Millisecond)
	}
	if base == "" {
		t.Fatalf("no base URL printed: %q", out.String())
	}

	do := func(method, path, key, body string) (int, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := do("POST", "/assistants", "any-key", `{"model":"gpt-4o","name":"Math Tutor"}`); code != 200 || !strings.Contains(body, `"object":"assistant"`) {
		t.Fatalf("create assistant: %d %s", code, body)
	}
	if code, _ := do("GET", "/assistants", "", ""); code != 401 {
		t.Errorf("without a key: %d", code)
	}
	if code, body := do("POST", "/threads/runs", "k", `{"assistant_id":"asst_x","stream":true}`); code != 404 {
		t.Errorf("unknown assistant: %d %s", code, body)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	logs := out.String()
	if !strings.Contains(logs, "method=POST path=/v1/assistants status=200") || !strings.Contains(logs, "duration=") ||
		!strings.Contains(logs, "shutting down") {
		t.Errorf("logs:\n%s", logs)
	}
}

func TestRunFlags(t *testing.T) {
	var out syncBuffer
	if err := run(context.Background(), []string{"-nope"}, &out); err == nil {
		t.Error("unknown flag accepted")
	}
	if err := run(context.Background(), []string{"-log-level", "loud"}, &out); err == nil {
		t.Error("bad log level accepted")
	}
	if err := run(context.Background(), []string{"-h"}, &out); err != nil || !strings.Contains(out.String(), "-step-delay") {
		t.Errorf("help: %v %q", err, out.String())
	}
	if err := run(context.Background(), []string{"-addr", "256.0.0.1:bad"}, &out); err == nil {
		t.Error("bad address accepted")
	}
}
