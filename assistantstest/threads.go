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
	md, e := o.metadata("metadata")
	if e != nil {
		return nil, e
	}
	var specs []*messageSpec
	items, e := o.array("messages", 0, 0)
	if e != nil {
		return nil, e
	}
	for i, raw := range items {
		mo, e := o.item("messages", i, raw, messageFields...)
		if e != nil {
			return nil, e
		}
		spec, e := s.parseMessage(mo)
		if e != nil {
			return nil, e
		}
		specs = append(specs, spec)
	}
	res, e := s.parseToolResources(o, "tool_resources", true)
	if e != nil {
		return nil, e
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

func (s *Server) createThread(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, "messages", "tool_resources", "metadata")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.newThread(o)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeOK(w, mustJSON(t))
}

// thread looks a thread up; the caller holds s.mu.
func (s *Server) thread(id string) (*threadObj, *apiError) {
	t := s.threads[id]
	if t == nil {
		return nil, errNotFound("thread", id)
	}
	return t, nil
}

func (s *Server) getThread(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.thread(r.PathValue("thread_id"))
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeOK(w, mustJSON(t))
}

func (s *Server) modifyThread(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, "tool_resources", "metadata")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.thread(r.PathValue("thread_id"))
	if e != nil {
		writeAPIError(w, e)
		return
	}
	md := t.Metadata
	if o.present("metadata") {
		if md, e = o.metadata("metadata"); e != nil {
			writeAPIError(w, e)
			return
		}
	}
	res := t.ToolResources
	if o.present("tool_resources") {
		if res, e = s.parseToolResources(o, "tool_resources", false); e != nil {
			writeAPIError(w, e)
			return
		}
		if res == nil {
			res = &toolResources{}
		}
	}
	t.Metadata, t.ToolResources = md, res
	writeOK(w, mustJSON(t))
}

func (s *Server) deleteThread(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("thread_id")
	if _, e := s.thread(id); e != nil {
		writeAPIError(w, e)
		return
	}
	delete(s.threads, id)
	writeOK(w, mustJSON(deletedObj{ID: id, Object: "thread.deleted", Deleted: true}))
}
