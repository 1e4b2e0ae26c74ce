package assistantstest

import (
	"net/http"
	"strconv"
)

// This file adapts the API handlers to net/http. A handler is just its
// logic: it gets the request and, for routes that take one, the JSON body
// already read (routes() lists its properties), and returns what to answer
// or an error. The adapter reads the body, takes s.mu when the handler
// runs under it, renders the answer and writes it, or writes the error in
// the API's shape.

// A handler serves one request under s.mu. o is the JSON request body, for
// routes registered with its properties (nil otherwise). It returns the
// object to answer with, marshalled as JSON while s.mu is still held, or a
// *reply.
type handler func(r *http.Request, o *object) (any, *apiError)

// An unlockedHandler serves one request without s.mu held: it takes the
// lock itself, after work that must not hold it (bringing a thread's runs
// up to date, which calls the model; reading an upload), and renders its
// reply before unlocking.
type unlockedHandler func(r *http.Request, o *object) (*reply, *apiError)

// reply is a rendered answer: a JSON body sent with status 200, or a
// response that serve writes itself once s.mu is released (streams, file
// content).
type reply struct {
	body      []byte
	pollAfter bool // send the openai-poll-after-ms header
	serve     func(w http.ResponseWriter)
}

// jsonReply renders v now; the caller holds s.mu when v is shared state.
func jsonReply(v any) *reply { return &reply{body: mustJSON(v)} }

// pollReply is jsonReply for objects that clients poll (runs, vector store
// files and batches): it advises how long to wait between polls.
func pollReply(v any) *reply { return &reply{body: mustJSON(v), pollAfter: true} }

// locked runs h under s.mu and renders its answer before unlocking.
func (s *Server) locked(h handler) unlockedHandler {
	return func(r *http.Request, o *object) (*reply, *apiError) {
		s.mu.Lock()
		defer s.mu.Unlock()
		v, e := h(r, o)
		if e != nil {
			return nil, e
		}
		if rep, ok := v.(*reply); ok {
			return rep, nil
		}
		return jsonReply(v), nil
	}
}

// httpHandler serves h: with body fields it first reads the request body as
// a JSON object with those properties.
func (s *Server) httpHandler(h unlockedHandler, body []string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var o *object
		var e *apiError
		if body != nil {
			o, e = readObject(r, body...)
		}
		var rep *reply
		if e == nil {
			rep, e = h(r, o)
		}
		switch {
		case e != nil:
			writeAPIError(w, e)
		case rep.serve != nil:
			rep.serve(w)
		default:
			if rep.pollAfter {
				w.Header().Set("openai-poll-after-ms", strconv.FormatInt(s.cfg.pollAfter.Milliseconds(), 10))
			}
			writeRaw(w, http.StatusOK, rep.body)
		}
	}
}

// listItem is an object that list responses page through by id.
type listItem interface{ objectID() string }

func (a *assistantObj) objectID() string    { return a.ID }
func (m *messageObj) objectID() string      { return m.ID }
func (r *runObj) objectID() string          { return r.ID }
func (st *stepObj) objectID() string        { return st.ID }
func (f *fileObj) objectID() string         { return f.ID }
func (vs *vectorStoreObj) objectID() string { return vs.ID }
func (vf *vsFileObj) objectID() string      { return vf.ID }

// lookup returns m[id], or the API's 404 for a kind with that id.
func lookup[T any](m map[string]*T, kind, id string) (*T, *apiError) {
	if v := m[id]; v != nil {
		return v, nil
	}
	return nil, errNotFound(kind, id)
}

// find returns the item of list with id, or the API's 404 for a kind with
// that id.
func find[T listItem](list []T, kind, id string) (T, *apiError) {
	for _, it := range list {
		if it.objectID() == id {
			return it, nil
		}
	}
	var zero T
	return zero, errNotFound(kind, id)
}

// remove deletes m[id] and answers with the deletion object named object,
// or returns the API's 404 for a kind with that id.
func remove[T any](m map[string]*T, kind, id, object string) (any, *apiError) {
	if m[id] == nil {
		return nil, errNotFound(kind, id)
	}
	delete(m, id)
	return deleted(id, object), nil
}

// cut removes the item with id from *list and reports whether it was there.
func cut[T listItem](list *[]T, id string) bool {
	for i, it := range *list {
		if it.objectID() == id {
			*list = append((*list)[:i:i], (*list)[i+1:]...)
			return true
		}
	}
	return false
}

func deleted(id, object string) deletedObj { return deletedObj{ID: id, Object: object, Deleted: true} }

// updateMetadata replaces *md with the request's metadata when it has the
// property (null included).
func updateMetadata(o *object, md *map[string]string) *apiError {
	if !o.present("metadata") {
		return nil
	}
	m, e := o.metadata("metadata")
	if e == nil {
		*md = m
	}
	return e
}
