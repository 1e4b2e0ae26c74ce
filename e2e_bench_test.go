package assistants_test

// Many concurrent streamed runs against one in-process server over loopback:
// BenchmarkConcurrentRuns measures them, TestConcurrentRunsSmoke checks the
// same invariants quickly (also under -race).

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/assistants-go/assistants"
	"github.com/assistants-go/assistants/assistantstest"
)

// crAnswer is what the model answers in every run: long enough to be
// streamed in several deltas.
const crAnswer = "The answer is forty-two. It was computed by a very large computer over a very long time, and nobody remembers the question."

// connStats counts the connections a transport opens and how many are open
// at once.
type connStats struct {
	dials atomic.Int64
	open  atomic.Int64
	peak  atomic.Int64
}

func (cs *connStats) dialContext(d *net.Dialer) func(ctx context.Context, network, addr string) (net.Conn, error) {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		cs.dials.Add(1)
		n := cs.open.Add(1)
		for {
			p := cs.peak.Load()
			if n <= p || cs.peak.CompareAndSwap(p, n) {
				break
			}
		}
		return &countedConn{Conn: conn, stats: cs}, nil
	}
}

// countedConn decrements the open count once, on the first Close.
type countedConn struct {
	net.Conn
	stats *connStats
	once  sync.Once
}

func (c *countedConn) Close() error {
	c.once.Do(func() { c.stats.open.Add(-1) })
	return c.Conn.Close()
}

// heapSampler records the peak of HeapInuse, sampled every few milliseconds.
type heapSampler struct {
	peak atomic.Uint64
	stop chan struct{}
	done chan struct{}
}

func startHeapSampler(every time.Duration) *heapSampler {
	h := &heapSampler{stop: make(chan struct{}), done: make(chan struct{})}
	sample := func() {
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		if ms.HeapInuse > h.peak.Load() {
			h.peak.Store(ms.HeapInuse)
		}
	}
	sample()
	go func() {
		defer close(h.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-h.stop:
				sample()
				return
			case <-t.C:
				sample()
			}
		}
	}()
	return h
}

// Stop ends the sampling and returns the peak in bytes.
func (h *heapSampler) Stop() uint64 {
	close(h.stop)
	<-h.done
	return h.peak.Load()
}

// crRig is one server and one client with a counting transport.
type crRig struct {
	srv       *assistantstest.Server
	client    *assistants.Client
	transport *http.Transport
	conns     *connStats
	assistant string
}

// newCRRig starts a server whose model always answers crAnswer and a
// client whose transport keeps up to maxIdle idle connections to it and
// opens at most maxConns at once (0: no limit).
func newCRRig(tb testing.TB, maxIdle, maxConns int) *crRig {
	tb.Helper()
	srv := assistantstest.NewServer(assistantstest.WithModel(assistantstest.ModelFunc(
		func(context.Context, *assistantstest.Turn) (*assistantstest.Reply, error) {
			return assistantstest.TextReply(crAnswer), nil
		})))
	cs := new(connStats)
	tr := &http.Transport{
		DialContext:         cs.dialContext(&net.Dialer{Timeout: 10 * time.Second}),
		MaxIdleConns:        maxIdle,
		MaxIdleConnsPerHost: maxIdle,
		MaxConnsPerHost:     maxConns,
		IdleConnTimeout:     30 * time.Second,
	}
	c := srv.Client(assistants.WithHTTPClient(&http.Client{Transport: tr}))
	a, err := c.Assistants.Create(context.Background(), assistants.AssistantCreateParams{Model: "gpt-4o", Name: "Concurrent"})
	if err != nil {
		srv.Close()
		tb.Fatal(err)
	}
	return &crRig{srv: srv, client: c, transport: tr, conns: cs, assistant: a.ID}
}

func (r *crRig) Close() {
	r.transport.CloseIdleConnections()
	r.srv.Close()
}

// oneRun creates a thread and a message and streams a run on it to its end
// with a text handler.
func (r *crRig) oneRun(ctx context.Context) error {
	c := r.client
	th, err := c.Threads.Create(ctx, assistants.ThreadCreateParams{})
	if err != nil {
		return err
	}
	if _, err := c.Messages.Create(ctx, th.ID, assistants.MessageCreateParams{Role: assistants.RoleUser, Content: "What is the answer?"}); err != nil {
		return err
	}
	var n int
	h := &assistants.Handler{OnTextDelta: func(_ context.Context, d *assistants.TextDelta, _ *assistants.Text) error {
		n += len(d.Value)
		return nil
	}}
	run, err := c.Runs.CreateAndStream(ctx, th.ID, assistants.RunCreateParams{AssistantID: r.assistant}, h)
	if err != nil {
		return err
	}
	if run.Status != assistants.RunStatusCompleted {
		return fmt.Errorf("run %s ended %s", run.ID, run.Status)
	}
	if n != len(crAnswer) {
		return fmt.Errorf("run %s streamed %d bytes of text, want %d", run.ID, n, len(crAnswer))
	}
	return nil
}

// runConcurrently starts n goroutines that each do one run, waits for them
// and returns how many completed and the first error.
func (r *crRig) runConcurrently(ctx context.Context, n int) (completed int, firstErr error) {
	var (
		wg   sync.WaitGroup
		ok   atomic.Int64
		mu   sync.Mutex
		errs []error
	)
	start := make(chan struct{})
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if err := r.oneRun(ctx); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				return
			}
			ok.Add(1)
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		firstErr = fmt.Errorf("%d of %d runs failed, first: %w", len(errs), n, errs[0])
	}
	return int(ok.Load()), firstErr
}

// goroutineSlack is how many more goroutines than at the start are
// tolerated at the end (runtime and test framework helpers come and go).
const goroutineSlack = 5

// settleGoroutines waits, briefly, for the goroutine count to come back to
// at most want and returns the last count seen.
func settleGoroutines(want int) int {
	n := runtime.NumGoroutine()
	for i := 0; i < 200 && n > want; i++ {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

func TestConcurrentRunsSmoke(t *testing.T) {
	const (
		runs     = 100
		maxConns = 16
	)
	before := runtime.NumGoroutine()
	rig := newCRRig(t, maxConns, maxConns)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	completed, err := rig.runConcurrently(ctx, runs)
	if err != nil {
		rig.Close()
		t.Fatal(err)
	}
	if completed != runs {
		t.Errorf("%d of %d runs completed", completed, runs)
	}
	if got := rig.srv.RequestCount("POST", "/threads/*/runs"); got != runs {
		t.Errorf("server saw %d run creations, want %d", got, runs)
	}
	if got := rig.srv.RequestCount("GET", "/threads/*/runs/*"); got != 0 {
		t.Errorf("streamed runs were polled %d times", got)
	}
	dials, peak := rig.conns.dials.Load(), rig.conns.peak.Load()
	t.Logf("%d runs (%d requests): %d connections opened, at most %d open at once",
		runs, 3*runs+1, dials, peak)
	if dials >= runs {
		t.Errorf("%d connections for %d runs: connections are not reused", dials, runs)
	}
	if peak > maxConns {
		t.Errorf("%d connections open at once, the transport allows %d", peak, maxConns)
	}

	during := runtime.NumGoroutine()
	rig.Close()
	if open := rig.conns.open.Load(); open != 0 {
		t.Errorf("%d client connections still open after CloseIdleConnections", open)
	}
	after := settleGoroutines(before + goroutineSlack)
	t.Logf("goroutines: %d before, %d with idle connections, %d after", before, during, after)
	if after > before+goroutineSlack {
		t.Errorf("goroutine leak: %d before, %d after", before, after)
	}
}

// BenchmarkConcurrentRuns streams 1,000 runs at once (each: create a
// thread, add a message, stream a run to completion with a text handler)
// against one in-process server, per iteration. The transport keeps 256
// idle connections; "conns=256" also caps open connections at 256 (requests
// wait for a free one), "conns=unlimited" lets every goroutine dial, so
// connections beyond the idle pool are closed after use and dialed again.
func BenchmarkConcurrentRuns(b *testing.B) {
	const maxIdle = 256
	for _, maxConns := range []int{256, 0} {
		name := fmt.Sprintf("conns=%d", maxConns)
		if maxConns == 0 {
			name = "conns=unlimited"
		}
		b.Run(name, func(b *testing.B) { benchmarkConcurrentRuns(b, 1000, maxIdle, maxConns) })
	}
}

func benchmarkConcurrentRuns(b *testing.B, runs, maxIdle, maxConns int) {
	b.ReportAllocs()
	before := runtime.NumGoroutine()
	rig := newCRRig(b, maxIdle, maxConns)
	ctx := context.Background()
	heap := startHeapSampler(5 * time.Millisecond)
	dials0 := rig.conns.dials.Load()

	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		completed, err := rig.runConcurrently(ctx, runs)
		if err != nil {
			b.Fatal(err)
		}
		if completed != runs {
			b.Fatalf("%d of %d runs completed", completed, runs)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()

	peakHeap := heap.Stop()
	dials := rig.conns.dials.Load() - dials0
	b.ReportMetric(float64(runs*b.N)/elapsed.Seconds(), "runs/s")
	b.ReportMetric(float64(dials)/float64(b.N), "dials/op")
	b.ReportMetric(float64(rig.conns.peak.Load()), "peak-conns")
	b.ReportMetric(float64(peakHeap)/(1<<20), "peak-heap-MiB")

	rig.Close()
	if open := rig.conns.open.Load(); open != 0 {
		b.Errorf("%d client connections still open after CloseIdleConnections", open)
	}
	if after := settleGoroutines(before + goroutineSlack); after > before+goroutineSlack {
		b.Errorf("goroutine leak: %d before, %d after", before, after)
	}
}
