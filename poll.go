package assistants

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/assistants-go/assistants/internal/retry"
)

// DefaultPollInterval is how long the poll helpers wait between two requests
// when neither WithPollInterval nor the server's openai-poll-after-ms header
// says otherwise.
const DefaultPollInterval = time.Second

const (
	// minServerPollWait is the shortest wait a server's openai-poll-after-ms
	// hint can ask for: a hint of 0 (or 1) must not turn a poll into a busy
	// loop of requests.
	minServerPollWait = 10 * time.Millisecond
	// maxServerPollWait caps a server's openai-poll-after-ms hint.
	maxServerPollWait = 60 * time.Second
	// pollAfterHeader is the server's hint of how long to wait before the next poll.
	pollAfterHeader = "Openai-Poll-After-Ms"
	// pollHelperHeader marks the requests made by the poll helpers, as the
	// official SDKs do, so that servers can tell polls from other reads.
	pollHelperHeader = "X-Stainless-Poll-Helper"
	// customIntervalHeader tells the server the caller chose the poll
	// interval (in milliseconds), as the official SDKs do.
	customIntervalHeader = "X-Stainless-Custom-Poll-Interval"
)

// ErrUnknownStatus is wrapped by the error a poll helper returns when the
// server reports a status this SDK does not know: polling stops rather than
// wait forever for a status that may never come. Test it with errors.Is.
var ErrUnknownStatus = errors.New("assistants: unknown status")

// PollOption configures a poll helper: RunsService.Poll, CreateAndPoll and
// SubmitToolOutputsAndPoll, ThreadsService.CreateAndRunPoll, and the
// CreateAndPoll and UploadAndPoll helpers of vector store files and file
// batches.
type PollOption func(*pollConfig)

// pollConfig is the result of the PollOptions of one call.
type pollConfig struct {
	interval    time.Duration // the caller's interval, when intervalSet
	intervalSet bool
	handler     RequiresActionHandler
}

// WithPollInterval sets the wait between two polls. It overrides the server's
// openai-poll-after-ms header, which the helpers otherwise honour (capped at
// 60 s, at least 10 ms), and the default of DefaultPollInterval (1 s). The
// interval is used as given, however short; a zero or negative d is raised to
// 10 ms so that a poll never spins.
//
// There is no timeout option: bound the whole poll with the context, as in
// context.WithTimeout.
func WithPollInterval(d time.Duration) PollOption {
	return func(c *pollConfig) {
		if d <= 0 {
			d = minServerPollWait
		}
		c.interval, c.intervalSet = d, true
	}
}

// WithRequiresActionHandler makes the run poll helpers (RunsService.Poll,
// CreateAndPoll, SubmitToolOutputsAndPoll and ThreadsService.CreateAndRunPoll)
// drive a run to its end instead of stopping at requires_action: when the run
// waits for tool outputs, h is called, all the outputs it returns are
// submitted in one request, and polling goes on, as many times as the model
// calls tools. The helper then returns only on a status other than
// requires_action, unless h returns no outputs (the run is returned as it
// is, still in requires_action) or an error (returned, wrapped, with the run).
//
// A *ToolRunner is such a handler, and so is the streaming Handler:
//
//	run, err := c.Runs.CreateAndPoll(ctx, threadID, params,
//		assistants.WithRequiresActionHandler(assistants.NewToolRunner(funcs)))
//
// The vector store helpers ignore this option.
func WithRequiresActionHandler(h RequiresActionHandler) PollOption {
	return func(c *pollConfig) { c.handler = h }
}

func newPollConfig(opts []PollOption) *pollConfig {
	c := new(pollConfig)
	for _, opt := range opts {
		if opt != nil {
			opt(c)
		}
	}
	return c
}

// header is the extra header of every poll request.
func (c *pollConfig) header() http.Header {
	h := http.Header{pollHelperHeader: {"true"}}
	if c.intervalSet {
		h.Set(customIntervalHeader, strconv.FormatInt(c.interval.Milliseconds(), 10))
	}
	return h
}

// delay is how long to wait after a response before the next poll: the
// caller's interval if set, else the server's openai-poll-after-ms hint
// (clamped to [10 ms, 60 s]), else DefaultPollInterval. resp may be nil.
func (c *pollConfig) delay(resp *http.Response) time.Duration {
	if c.intervalSet {
		return c.interval
	}
	if resp == nil {
		return DefaultPollInterval
	}
	v := strings.TrimSpace(resp.Header.Get(pollAfterHeader))
	if v == "" {
		return DefaultPollInterval
	}
	ms, err := strconv.ParseFloat(v, 64)
	if err != nil || ms < 0 || math.IsNaN(ms) {
		return DefaultPollInterval
	}
	if ms > float64(maxServerPollWait/time.Millisecond) {
		return maxServerPollWait
	}
	return max(time.Duration(ms*float64(time.Millisecond)), minServerPollWait)
}

// pollLoop polls until done says to stop. cur and resp are the object and the
// response already at hand (cur nil to fetch first). fetch GETs the object
// once; done reports whether cur is final, or an error (such as an unknown
// status) that ends the poll. On any error pollLoop returns the last object
// it saw (nil if none) with the error.
func pollLoop[T any](ctx context.Context, c *pollConfig, what string, cur *T, resp *http.Response,
	fetch func(ctx context.Context, h http.Header) (*T, *http.Response, error),
	done func(*T) (bool, error),
) (*T, error) {
	h := c.header()
	for {
		if cur != nil {
			stop, err := done(cur)
			if err != nil || stop {
				return cur, err
			}
			if err := retry.Sleep(ctx, c.delay(resp)); err != nil {
				return cur, fmt.Errorf("assistants: polling %s: %w", what, err)
			}
		}
		next, r, err := fetch(ctx, h.Clone())
		if err != nil {
			return cur, err
		}
		cur, resp = next, r
	}
}

// pollGet returns pollLoop's fetch for the object at path: a GET with the
// poll headers whose answer must be about the object polled (kind and id
// name it in the error otherwise).
func pollGet[T any](c *Client, path, kind, id string, idOf func(*T) string) func(context.Context, http.Header) (*T, *http.Response, error) {
	return func(ctx context.Context, h http.Header) (*T, *http.Response, error) {
		r, err := c.newRequest(ctx, http.MethodGet, path, nil, nil)
		if err != nil {
			return nil, nil, err
		}
		maps.Copy(r.header, h)
		next := new(T)
		resp, err := c.do(r, next)
		if err == nil {
			err = samePolledID(kind, id, idOf(next))
		}
		if err != nil {
			return nil, nil, err
		}
		return next, resp, nil
	}
}

// runDone is pollLoop's done for runs: a terminal status ends the poll, an
// unknown one is an error.
func runDone(run *Run) (bool, error) {
	if !run.Status.Known() {
		return false, fmt.Errorf("%w %q of run %s (known statuses: queued, in_progress, cancelling, requires_action, cancelled, failed, completed, incomplete, expired)",
			ErrUnknownStatus, run.Status, run.ID)
	}
	return run.Status.Terminal(), nil
}

// Poll fetches a run until its status is terminal (requires_action,
// cancelled, failed, completed, incomplete or expired) and returns it; a
// failed, expired, cancelled or incomplete run is a result, not an error.
// It waits between fetches as WithPollInterval describes: by default what the
// server asks in its openai-poll-after-ms header, else 1 s. Every request
// carries the header X-Stainless-Poll-Helper: true, as the official SDKs
// send, so servers can tell polls apart.
//
// With WithRequiresActionHandler, Poll answers requires_action itself and
// goes on until the run ends.
//
// Poll stops when ctx ends, with an error that wraps ctx's (errors.Is(err,
// context.Canceled) or context.DeadlineExceeded holds). A status this SDK
// does not know stops it too, with an error wrapping ErrUnknownStatus. On
// any error Poll also returns the last run it saw, if any, so the caller can
// tell how far it got (and, say, cancel it).
func (s *RunsService) Poll(ctx context.Context, threadID, runID string, opts ...PollOption) (*Run, error) {
	if _, err := pathf("threads/%s/runs/%s", arg("threadID", threadID), arg("runID", runID)); err != nil {
		return nil, err
	}
	return s.drive(ctx, newPollConfig(opts), threadID, runID, nil, nil)
}

// CreateAndPoll starts a run (as Create) and polls it (as Poll) until its
// status is terminal. If the server already answers the creation with a
// terminal run, no poll request is made.
func (s *RunsService) CreateAndPoll(ctx context.Context, threadID string, params RunCreateParams, opts ...PollOption) (*Run, error) {
	run, resp, err := s.client.doRun(s.newCreate(ctx, threadID, params, false))
	if err != nil {
		return nil, err
	}
	return s.drive(ctx, newPollConfig(opts), threadID, run.ID, run, resp)
}

// SubmitToolOutputsAndPoll answers the tool calls of a run in
// requires_action (as SubmitToolOutputs: all outputs in one request) and
// polls the run (as Poll) until its status is terminal again.
func (s *RunsService) SubmitToolOutputsAndPoll(ctx context.Context, threadID, runID string, outputs []ToolOutput, opts ...PollOption) (*Run, error) {
	run, resp, err := s.client.doRun(s.newSubmit(ctx, threadID, runID, outputs, false))
	if err != nil {
		return nil, err
	}
	if err := samePolledID("run", runID, run.ID); err != nil {
		return nil, err
	}
	return s.drive(ctx, newPollConfig(opts), threadID, runID, run, resp)
}

// CreateAndRunPoll creates a thread and starts a run on it (as CreateAndRun)
// and polls the run (as RunsService.Poll) until its status is terminal. The
// thread's id is the run's ThreadID.
func (s *ThreadsService) CreateAndRunPoll(ctx context.Context, params CreateAndRunParams, opts ...PollOption) (*Run, error) {
	run, resp, err := s.client.doRun(s.newCreateAndRun(ctx, params, false))
	if err != nil {
		return nil, err
	}
	return s.client.Runs.drive(ctx, newPollConfig(opts), run.ThreadID, run.ID, run, resp)
}

// drive polls a run until it is terminal and, when c has a handler, answers
// each requires_action and polls on. run and resp are the run and response at
// hand (nil to fetch first).
func (s *RunsService) drive(ctx context.Context, c *pollConfig, threadID, runID string, run *Run, resp *http.Response) (*Run, error) {
	if run != nil {
		if _, err := runDone(run); err != nil {
			return run, err
		}
		if run.Status.Terminal() && (run.Status != RunStatusRequiresAction || c.handler == nil) {
			return run, nil
		}
		// The ids used to poll must be there even if the first response was odd.
		if threadID == "" || runID == "" {
			return run, fmt.Errorf("assistants: cannot poll run: the server's response has no id (id %q, thread_id %q)", runID, threadID)
		}
	}
	path, err := pathf("threads/%s/runs/%s", arg("threadID", threadID), arg("runID", runID))
	if err != nil {
		return run, err
	}
	fetch := pollGet(s.client, path, "run", runID, func(r *Run) string { return r.ID })
	what := "run " + runID
	for {
		var err error
		run, err = pollLoop(ctx, c, what, run, resp, fetch, runDone)
		if err != nil || run.Status != RunStatusRequiresAction || c.handler == nil {
			return run, err
		}
		outputs, err := c.handler.HandleRequiresAction(ctx, run)
		if err != nil {
			return run, fmt.Errorf("assistants: answering requires_action of run %s: %w", runID, err)
		}
		if len(outputs) == 0 {
			return run, nil
		}
		r, err := s.newSubmit(ctx, threadID, runID, outputs, false)
		if err != nil {
			return run, err
		}
		next := new(Run)
		if resp, err = s.client.do(r, next); err != nil {
			return run, err
		}
		if err := samePolledID("run", runID, next.ID); err != nil {
			return run, err
		}
		run = next
	}
}

// samePolledID checks that the object a poll request answered with is the one
// polled: a server (or a caching proxy) that answers with another object would
// otherwise have its status taken for the polled one's.
func samePolledID(kind, want, got string) error {
	if got == want {
		return nil
	}
	return fmt.Errorf("assistants: polling %s %s: the server answered with %s %q instead", kind, want, kind, got)
}

// doRun sends a request built by one of the run constructors (newCreate,
// newSubmit, newCreateAndRun) and decodes the run it answers with.
func (c *Client) doRun(r *request, err error) (*Run, *http.Response, error) {
	if err != nil {
		return nil, nil, err
	}
	run := new(Run)
	resp, err := c.do(r, run)
	if err != nil {
		return nil, nil, err
	}
	return run, resp, nil
}
