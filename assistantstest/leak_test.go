package assistantstest_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/assistants-go/assistants/assistantstest"
)

func TestNoGoroutinesLeftAfterClose(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := assistantstest.NewServer(assistantstest.WithStepDelay(time.Millisecond))
	a := &api{t: t, srv: srv, key: "k"}
	as := str(a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"}), "id")
	for i := 0; i < 3; i++ {
		evs, _, err := a.stream("/threads/runs", map[string]any{"assistant_id": as, "stream": true,
			"thread": map[string]any{"messages": []any{map[string]any{"role": "user", "content": "hello"}}}})
		if err != nil || evs[len(evs)-1].name != "done" {
			t.Fatalf("stream: %v %v", names(evs), err)
		}
	}
	srv.Close()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		buf := make([]byte, 1<<16)
		stacks := string(buf[:runtime.Stack(buf, true)])
		if strings.Contains(stacks, "assistantstest.(*Server)") {
			t.Errorf("%d goroutines before, %d after Close:\n%s", before, n, stacks)
		}
	}
}
