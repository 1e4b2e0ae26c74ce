// Command assistants-emulator serves the in-memory Assistants API (v2) of
// package assistantstest as a standalone process, for trying examples and
// SDKs offline:
//
//	go run ./cmd/assistants-emulator -addr 127.0.0.1:8089
//	export OPENAI_BASE_URL=http://127.0.0.1:8089/v1 OPENAI_API_KEY=anything
//
// It accepts any non-empty bearer key (or only -api-key), logs every
// request (method, path, status, duration) and shuts down gracefully on
// SIGINT or SIGTERM. State lives in memory and is lost on exit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/assistants-go/assistants/assistantstest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "assistants-emulator:", err)
		os.Exit(1)
	}
}

// run parses args, serves the API until ctx ends, then shuts down. The base
// URL and the logs go to stdout.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("assistants-emulator", flag.ContinueOnError)
	fs.SetOutput(stdout)
	addr := fs.String("addr", "127.0.0.1:8089", "listen address (host:port; port 0 picks a free one)")
	pollAfter := fs.Duration("poll-after", 200*time.Millisecond, "openai-poll-after-ms hint sent with run responses")
	stepDelay := fs.Duration("step-delay", 0, "time between run states (0: each GET of a run advances it one state)")
	runExpiry := fs.Duration("run-expiry", 10*time.Minute, "how long a run may wait for tool outputs before it expires")
	latency := fs.Duration("latency", 0, "delay added to every request")
	apiKey := fs.String("api-key", "", "accept only this bearer key (default: any non-empty key)")
	requireBeta := fs.Bool("require-beta", false, "reject Assistants requests without 'OpenAI-Beta: assistants=v2'")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %v", fs.Args())
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		return fmt.Errorf("bad -log-level %q: %w", *logLevel, err)
	}
	logger := slog.New(slog.NewTextHandler(stdout, &slog.HandlerOptions{Level: level}))

	opts := []assistantstest.Option{
		assistantstest.WithLogger(logger),
		assistantstest.WithPollAfter(*pollAfter),
		assistantstest.WithStepDelay(*stepDelay),
		assistantstest.WithRunExpiry(*runExpiry),
		assistantstest.WithLatency(*latency),
		assistantstest.WithAPIKey(*apiKey),
	}
	if *requireBeta {
		opts = append(opts, assistantstest.WithRequireBetaHeader())
	}
	api := assistantstest.NewHandler(opts...)
	defer api.Close()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "assistants-emulator: serving the Assistants API at %s\n", baseURL(ln.Addr()))

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	api.Close() // ends open streams so Shutdown need not wait for them
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// baseURL is the API base URL for a listener address; an unspecified host
// (":8089") is shown as 127.0.0.1.
func baseURL(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return "http://" + a.String() + "/v1"
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsUnspecified() {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port) + "/v1"
}
