// Package retry holds the SDK's retry rules in one place: which responses and
// errors are worth another attempt, and how long to wait before it.
package retry

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	// InitialDelay is the wait before the first retry when the server gives no hint.
	InitialDelay = 500 * time.Millisecond
	// MaxDelay caps the exponential backoff.
	MaxDelay = 8 * time.Second
	// MaxServerDelay is the longest server-requested wait that is honoured;
	// longer hints fall back to the exponential backoff.
	MaxServerDelay = 60 * time.Second
)

// ShouldRetryResponse reports whether a response with this status and these
// headers is worth retrying. An explicit x-should-retry header wins; otherwise
// 408, 409, 429 and every 5xx are retried.
func ShouldRetryResponse(status int, h http.Header) bool {
	switch strings.ToLower(strings.TrimSpace(h.Get("X-Should-Retry"))) {
	case "true":
		return true
	case "false":
		return false
	}
	return status == http.StatusRequestTimeout || status == http.StatusConflict ||
		status == http.StatusTooManyRequests || status >= 500
}

// ShouldRetryError reports whether a transport error is worth retrying: every
// connection-level failure is, including an attempt cut off by an
// http.Client's Timeout (which wraps context.DeadlineExceeded although the
// caller's context is still live), but not the end of the caller's ctx, nor a
// server certificate that failed verification (trying again cannot fix it).
func ShouldRetryError(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var certErr *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	return !errors.As(err, &certErr) && !errors.As(err, &unknownAuthority) &&
		!errors.As(err, &hostErr) && !errors.As(err, &invalid)
}

// Delay returns how long to wait before retry number attempt (0 for the first
// retry). It honours retry-after-ms, then Retry-After (seconds or an HTTP
// date), when they are positive and at most MaxServerDelay; otherwise it uses
// min(InitialDelay*2^attempt, MaxDelay) reduced by up to 25% jitter. h may be nil.
func Delay(attempt int, h http.Header, now time.Time) time.Duration {
	if d, ok := serverDelay(h, now); ok {
		return d
	}
	d := InitialDelay << min(attempt, 10)
	if d > MaxDelay {
		d = MaxDelay
	}
	jitter := 1 - 0.25*rand.Float64()
	return time.Duration(float64(d) * jitter)
}

func serverDelay(h http.Header, now time.Time) (time.Duration, bool) {
	if h == nil {
		return 0, false
	}
	if v := h.Get("Retry-After-Ms"); v != "" {
		if ms, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
			d := time.Duration(ms * float64(time.Millisecond))
			if d > 0 && d <= MaxServerDelay {
				return d, true
			}
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	var d time.Duration
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		d = time.Duration(secs * float64(time.Second))
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	} else {
		return 0, false
	}
	if d > 0 && d <= MaxServerDelay {
		return d, true
	}
	return 0, false
}

// Sleep waits for d or until ctx is done, whichever comes first, and returns
// the context's error in the latter case.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
