package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func TestShouldRetryResponse(t *testing.T) {
	for _, tc := range []struct {
		status int
		header string
		want   bool
	}{
		{408, "", true}, {409, "", true}, {429, "", true}, {500, "", true}, {503, "", true},
		{400, "", false}, {401, "", false}, {404, "", false}, {422, "", false},
		{500, "false", false}, {429, "FALSE", false}, {400, "true", true}, {404, " true ", true},
		{500, "maybe", true},
	} {
		h := http.Header{}
		if tc.header != "" {
			h.Set("x-should-retry", tc.header)
		}
		if got := ShouldRetryResponse(tc.status, h); got != tc.want {
			t.Errorf("ShouldRetryResponse(%d, x-should-retry=%q) = %v, want %v", tc.status, tc.header, got, tc.want)
		}
	}
}

func TestShouldRetryError(t *testing.T) {
	ctx := context.Background()
	if !ShouldRetryError(ctx, errors.New("connection reset")) {
		t.Error("a connection error should be retried")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if ShouldRetryError(cctx, errors.New("connection reset")) || ShouldRetryError(cctx, context.Canceled) {
		t.Error("nothing is retried once the context is done")
	}
	dctx, dcancel := context.WithDeadline(ctx, time.Unix(0, 0))
	defer dcancel()
	if ShouldRetryError(dctx, context.DeadlineExceeded) {
		t.Error("the caller's deadline must not be retried")
	}
	if ShouldRetryError(ctx, &tls.CertificateVerificationError{Err: x509.UnknownAuthorityError{}}) {
		t.Error("a certificate that failed verification must not be retried")
	}
}

// clientTimeoutError is what an http.Client with a Timeout returns when an
// attempt takes too long: a net.Error that wraps context.DeadlineExceeded.
type clientTimeoutError struct{}

func (clientTimeoutError) Error() string     { return "Client.Timeout exceeded while awaiting headers" }
func (clientTimeoutError) Timeout() bool     { return true }
func (clientTimeoutError) Is(err error) bool { return err == context.DeadlineExceeded }

func TestShouldRetryErrorClientTimeout(t *testing.T) {
	// The caller's ctx is live: the timeout was the http.Client's, one
	// attempt's, and the next attempt may well succeed.
	err := &url.Error{Op: "Get", URL: "http://h/v1/threads/t", Err: clientTimeoutError{}}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatal("test setup: the error should wrap context.DeadlineExceeded")
	}
	if !ShouldRetryError(context.Background(), err) {
		t.Error("an attempt cut off by http.Client.Timeout should be retried while ctx is live")
	}
}

func TestDelayServerHints(t *testing.T) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		h    http.Header
		want time.Duration
	}{
		{"retry-after-ms", http.Header{"Retry-After-Ms": {"250"}}, 250 * time.Millisecond},
		{"retry-after-ms wins over retry-after", http.Header{"Retry-After-Ms": {"5"}, "Retry-After": {"9"}}, 5 * time.Millisecond},
		{"retry-after seconds", http.Header{"Retry-After": {"2"}}, 2 * time.Second},
		{"retry-after fractional", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond},
		{"retry-after date", http.Header{"Retry-After": {now.Add(3 * time.Second).Format(http.TimeFormat)}}, 3 * time.Second},
	} {
		if got := Delay(0, tc.h, now); got != tc.want {
			t.Errorf("%s: Delay = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDelayBackoffWhenHintUnusable(t *testing.T) {
	now := time.Now()
	for _, h := range []http.Header{
		nil,
		{"Retry-After": {"120"}},   // over the cap
		{"Retry-After": {"0"}},     // not positive
		{"Retry-After": {"soon"}},  // unparsable
		{"Retry-After-Ms": {"-5"}}, // negative
		{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, // in the past
	} {
		for attempt, base := range []time.Duration{500 * time.Millisecond, time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 8 * time.Second} {
			for i := 0; i < 20; i++ {
				got := Delay(attempt, h, now)
				if got > base || got < base*3/4 {
					t.Fatalf("attempt %d with %v: Delay = %v, want within [%v, %v]", attempt, h, got, base*3/4, base)
				}
			}
		}
	}
}

func TestSleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep with a cancelled context = %v, want context.Canceled", err)
	}
	if err := Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatalf("Sleep = %v", err)
	}
}
