package assistantstest

import (
	"net/http"
	"time"
)

// sseWriter writes server-sent events, flushing after each one, and applies
// a stream fault.
type sseWriter struct {
	w      http.ResponseWriter
	rc     *http.ResponseController
	fault  *Fault
	sent   int
	broken bool // nothing more is written
}

func (sw *sseWriter) write(name string, data []byte) {
	if sw.broken {
		return
	}
	if f := sw.fault; f != nil {
		if f.ErrorEventAfter > 0 && sw.sent == f.ErrorEventAfter {
			e := faultError(f)
			if f.Status == 0 {
				e.status = http.StatusInternalServerError
			}
			_, _ = sw.w.Write([]byte("event: error\ndata: " + string(mustJSON(e)) + "\n\n"))
			_ = sw.rc.Flush()
			sw.broken = true
			return
		}
		if f.CutStreamAfter > 0 && sw.sent == f.CutStreamAfter {
			sw.broken = true
			return
		}
	}
	buf := make([]byte, 0, len(name)+len(data)+16)
	buf = append(buf, "event: "...)
	buf = append(buf, name...)
	buf = append(buf, "\ndata: "...)
	buf = append(buf, data...)
	buf = append(buf, "\n\n"...)
	if _, err := sw.w.Write(buf); err != nil {
		sw.broken = true
		return
	}
	if err := sw.rc.Flush(); err != nil {
		sw.broken = true
		return
	}
	sw.sent++
}

// streamRun answers with an event stream: the initial events, then every
// state change of the run until it completes, fails, is cancelled or
// expires, or needs tool outputs; then "done". If the client goes away or a
// stream fault cuts the stream, the run is left where it is and continues
// as polling (or time) drives it.
func (s *Server) streamRun(w http.ResponseWriter, r *http.Request, run *runObj, initial []event) {
	ctx := r.Context()
	defer func() {
		s.mu.Lock()
		run.streaming = false
		s.mu.Unlock()
	}()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	sw := &sseWriter{w: w, rc: http.NewResponseController(w), fault: s.takeFault(r.Method, r.URL.Path, true)}
	_ = sw.rc.Flush()
	for _, ev := range initial {
		sw.write(ev.name, ev.data)
	}
	for !sw.broken && ctx.Err() == nil {
		s.mu.Lock()
		st := run.Status
		s.mu.Unlock()
		if stopped(st) {
			break
		}
		if d := s.cfg.stepDelay; d > 0 {
			if !sleepCtx(ctx, d) {
				break
			}
			s.mu.Lock()
			run.lastChange = s.now()
			s.mu.Unlock()
		}
		evs, ok := s.advance(ctx, run, true)
		if !ok {
			if !sleepCtx(ctx, time.Millisecond) {
				break
			}
			continue
		}
		for _, ev := range evs {
			sw.write(ev.name, ev.data)
		}
	}
	if ctx.Err() != nil {
		return
	}
	sw.write("done", []byte("[DONE]"))
	if sw.broken && sw.fault != nil && sw.fault.Abort {
		panic(http.ErrAbortHandler)
	}
}
