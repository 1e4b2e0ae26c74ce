package assistantstest

import (
	"log/slog"
	"time"
)

// Option configures a Server created by NewServer or NewHandler.
type Option func(*config)

type config struct {
	model       Model
	pollAfter   time.Duration
	stepDelay   time.Duration
	runExpiry   time.Duration
	latency     time.Duration
	faults      []Fault
	logger      *slog.Logger
	apiKey      string
	now         func() time.Time
	requireBeta bool
}

func defaultConfig() config {
	return config{
		model:     DefaultModel(),
		pollAfter: 10 * time.Millisecond,
		runExpiry: 10 * time.Minute,
		now:       time.Now,
	}
}

// WithModel sets the Model that decides what the assistant does in each run.
// The default is DefaultModel().
func WithModel(m Model) Option {
	return func(c *config) {
		if m != nil {
			c.model = m
		}
	}
}

// WithPollAfter sets the value of the openai-poll-after-ms header sent with
// every run response (default 10ms), the interval a polling client should
// wait before asking again.
func WithPollAfter(d time.Duration) Option {
	return func(c *config) {
		if d >= 0 {
			c.pollAfter = d
		}
	}
}

// WithStepDelay chooses how runs progress.
//
// With d == 0 (the default) runs progress only when observed: every GET of a
// run advances it exactly one state before answering (queued → in_progress →
// completed or requires_action), and a cancelling run becomes cancelled on
// the next GET. Streams run to their end at once.
//
// With d > 0 runs progress on their own, one state every d, evaluated
// whenever a request touches the run's thread; GETs only observe. Streams
// wait d between states, which makes the emulator feel like the real service.
func WithStepDelay(d time.Duration) Option {
	return func(c *config) {
		if d >= 0 {
			c.stepDelay = d
		}
	}
}

// WithRunExpiry sets how long a run may wait in requires_action for tool
// outputs before it becomes expired (default 10 minutes, as the service).
func WithRunExpiry(d time.Duration) Option {
	return func(c *config) {
		if d > 0 {
			c.runExpiry = d
		}
	}
}

// WithLatency delays every request by d before it is handled (the delay ends
// early if the client goes away).
func WithLatency(d time.Duration) Option {
	return func(c *config) { c.latency = d }
}

// WithFault installs faults from the start, as AddFault does later.
func WithFault(faults ...Fault) Option {
	return func(c *config) { c.faults = append(c.faults, faults...) }
}

// WithLogger logs every request (method, path, status, duration) and run
// state changes to l.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) { c.logger = l }
}

// WithAPIKey makes the server accept only "Authorization: Bearer key". By
// default any non-empty bearer key is accepted.
func WithAPIKey(key string) Option {
	return func(c *config) { c.apiKey = key }
}

// WithClock sets the time source for timestamps (created_at …), run expiry
// and time-driven progression. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithRequireBetaHeader makes the server reject Assistants requests
// (assistants, threads, vector stores) that lack "OpenAI-Beta: assistants=v2",
// as the service did. By default the header is accepted but not required.
func WithRequireBetaHeader() Option {
	return func(c *config) { c.requireBeta = true }
}
