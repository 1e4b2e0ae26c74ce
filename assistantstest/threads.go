package assistantstest

import (
	"net/http"
	"sort"
)

// sortedBySeq returns the map's values in insertion order.
func sortedBySeq[T any](m map[string]T, seq func(T) int64) []T {
	out := make([]T, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	sort.Slice(out, func(i, j int) bool { return seq(out[i]) < seq(out[j]) })
	return out
}

// newThread validates a CreateThreadRequest object and creates the thread
// with its messages. The caller holds s.mu.
func (s *Server) newThread(o *object) (*threadObj, *apiError) {
	f := o.reader()
	md := f.metadata("metadata")
	specs := field(f, "messages", s.parseMessages)
	res := f.toolResources(s, true)
	if f.err != nil {
		return nil, f.err
	}
	if res == nil {
		res = &toolResources{}
	}
	t := &threadObj{ID: newID("thread_", 24), Object: "thread", CreatedAt: s.now().Unix(),
		ToolResources: res, Metadata: md, seq: s.nextSeq()}
	for _, spec := range specs {
		s.addMessage(t, spec, nil, nil)
	}
	s.threads[t.ID] = t
	return t, nil
}

func (s *Server) createThread(_ *http.Request, o *object) (any, *apiError) {
	return s.newThread(o)
}

// thread looks a thread up; the caller holds s.mu.
func (s *Server) thread(id string) (*threadObj, *apiError) {
	return lookup(s.threads, "thread", id)
}

func (s *Server) getThread(r *http.Request, _ *object) (any, *apiError) {
	return s.thread(r.PathValue("thread_id"))
}

func (s *Server) modifyThread(r *http.Request, o *object) (any, *apiError) {
	t, e := s.thread(r.PathValue("thread_id"))
	if e != nil {
		return nil, e
	}
	f := o.reader()
	md, res := t.Metadata, t.ToolResources
	if o.present("metadata") {
		md = f.metadata("metadata")
	}
	if o.present("tool_resources") {
		if res = f.toolResources(s, false); res == nil {
			res = &toolResources{}
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	t.Metadata, t.ToolResources = md, res
	return t, nil
}

func (s *Server) deleteThread(r *http.Request, _ *object) (any, *apiError) {
	return remove(s.threads, "thread", r.PathValue("thread_id"), "thread.deleted")
}
