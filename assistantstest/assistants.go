package assistantstest

import (
	"encoding/json"
	"net/http"
)

var assistantFields = []string{"model", "name", "description", "instructions", "reasoning_effort", "tools",
	"tool_resources", "metadata", "temperature", "top_p", "response_format"}

func writeOK(w http.ResponseWriter, body []byte) { writeRaw(w, http.StatusOK, body) }

func (s *Server) createAssistant(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, assistantFields...)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	model, e := o.str("model", true)
	if e == nil && model == "" {
		e = errInvalid("model", "invalid_value", "Invalid 'model': empty string.")
	}
	if e != nil {
		writeAPIError(w, e)
		return
	}
	a := &assistantObj{Object: "assistant", Model: model, Metadata: map[string]string{},
		Temperature: f64p(1), TopP: f64p(1), ResponseFormat: json.RawMessage(`"auto"`), Tools: []toolObj{}}
	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.applyAssistant(a, o, true); e != nil {
		writeAPIError(w, e)
		return
	}
	a.ID = newID("asst_", 24)
	a.CreatedAt = s.now().Unix()
	a.seq = s.nextSeq()
	s.assistants[a.ID] = a
	writeOK(w, mustJSON(a))
}

// applyAssistant validates o and applies it to a (all or nothing).
func (s *Server) applyAssistant(a *assistantObj, o *object, create bool) *apiError {
	next := *a
	var e *apiError
	if o.has("model") {
		if next.Model, e = o.str("model", false); e != nil {
			return e
		}
	}
	if o.present("name") {
		if next.Name, e = o.nullableStr("name", 256); e != nil {
			return e
		}
	}
	if o.present("description") {
		if next.Description, e = o.nullableStr("description", 512); e != nil {
			return e
		}
	}
	if o.present("instructions") {
		if next.Instructions, e = o.nullableStr("instructions", 256000); e != nil {
			return e
		}
	}
	if o.has("reasoning_effort") {
		re, e := o.str("reasoning_effort", false)
		if e != nil {
			return e
		}
		if e := enumErr("reasoning_effort", re, "minimal", "low", "medium", "high"); e != nil {
			return e
		}
	}
	if o.present("tools") {
		if next.Tools, e = parseTools(o, "tools", 128); e != nil {
			return e
		}
		if next.Tools == nil {
			next.Tools = []toolObj{}
		}
	}
	if o.present("metadata") {
		if next.Metadata, e = o.metadata("metadata"); e != nil {
			return e
		}
	}
	if o.present("temperature") {
		if next.Temperature, e = o.number("temperature", 0, 2); e != nil {
			return e
		}
		if next.Temperature == nil {
			next.Temperature = f64p(1)
		}
	}
	if o.present("top_p") {
		if next.TopP, e = o.number("top_p", 0, 1); e != nil {
			return e
		}
		if next.TopP == nil {
			next.TopP = f64p(1)
		}
	}
	if o.present("response_format") {
		rf, e := parseResponseFormat(o, "response_format")
		if e != nil {
			return e
		}
		if rf == nil {
			rf = json.RawMessage(`"auto"`)
		}
		next.ResponseFormat = rf
	}
	res := next.ToolResources
	if o.present("tool_resources") {
		if res, e = s.parseToolResources(o, "tool_resources", true); e != nil {
			return e
		}
	}
	next.ToolResources = normalizeResources(res, next.Tools)
	*a = next
	return nil
}

// normalizeResources gives every enabled resource-backed tool an (empty)
// resource entry, as the service does.
func normalizeResources(res *toolResources, tools []toolObj) *toolResources {
	out := &toolResources{}
	if res != nil {
		*out = *res
	}
	for _, t := range tools {
		switch t.Type {
		case "code_interpreter":
			if out.CodeInterpreter == nil {
				out.CodeInterpreter = &codeInterpreterRes{FileIDs: []string{}}
			}
		case "file_search":
			if out.FileSearch == nil {
				out.FileSearch = &fileSearchRes{VectorStoreIDs: []string{}}
			}
		}
	}
	return out
}

// parseToolResources validates tool_resources; with allowCreate,
// file_search.vector_stores creates vector stores on the fly. The caller
// holds s.mu.
func (s *Server) parseToolResources(o *object, k string, allowCreate bool) (*toolResources, *apiError) {
	allowedFS := []string{"vector_store_ids"}
	if allowCreate {
		allowedFS = append(allowedFS, "vector_stores")
	}
	tr, e := o.child(k, "code_interpreter", "file_search")
	if e != nil || tr == nil {
		return nil, e
	}
	out := &toolResources{}
	ci, e := tr.child("code_interpreter", "file_ids")
	if e != nil {
		return nil, e
	}
	if ci != nil {
		ids, e := ci.strArray("file_ids", 20)
		if e != nil {
			return nil, e
		}
		for _, id := range ids {
			if s.files[id] == nil {
				return nil, errNotFound("file", id)
			}
		}
		if ids == nil {
			ids = []string{}
		}
		out.CodeInterpreter = &codeInterpreterRes{FileIDs: ids}
	}
	fs, e := tr.child("file_search", allowedFS...)
	if e != nil {
		return nil, e
	}
	if fs != nil {
		if fs.has("vector_store_ids") && fs.has("vector_stores") {
			return nil, errInvalid(fs.name("vector_stores"), "invalid_value", "Only one of 'vector_store_ids' or 'vector_stores' may be provided.")
		}
		ids, e := fs.strArray("vector_store_ids", 1)
		if e != nil {
			return nil, e
		}
		for _, id := range ids {
			if s.stores[id] == nil {
				return nil, errNotFound("vector store", id)
			}
		}
		if fs.has("vector_stores") {
			items, e := fs.array("vector_stores", 0, 1)
			if e != nil {
				return nil, e
			}
			for i, raw := range items {
				vo, e := fs.item("vector_stores", i, raw, "file_ids", "chunking_strategy", "metadata")
				if e != nil {
					return nil, e
				}
				vs, e := s.newVectorStore(vo, 0)
				if e != nil {
					return nil, e
				}
				ids = append(ids, vs.ID)
			}
		}
		if ids == nil {
			ids = []string{}
		}
		out.FileSearch = &fileSearchRes{VectorStoreIDs: ids}
	}
	return out, nil
}

func (s *Server) getAssistant(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("assistant_id")
	a := s.assistants[id]
	if a == nil {
		writeAPIError(w, errNotFound("assistant", id))
		return
	}
	writeOK(w, mustJSON(a))
}

func (s *Server) modifyAssistant(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, assistantFields...)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("assistant_id")
	a := s.assistants[id]
	if a == nil {
		writeAPIError(w, errNotFound("assistant", id))
		return
	}
	if e := s.applyAssistant(a, o, false); e != nil {
		writeAPIError(w, e)
		return
	}
	writeOK(w, mustJSON(a))
}

func (s *Server) deleteAssistant(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("assistant_id")
	if s.assistants[id] == nil {
		writeAPIError(w, errNotFound("assistant", id))
		return
	}
	delete(s.assistants, id)
	writeOK(w, mustJSON(deletedObj{ID: id, Object: "assistant.deleted", Deleted: true}))
}

func (s *Server) listAssistants(w http.ResponseWriter, r *http.Request) {
	p, e := parseList(r.URL.Query(), 20, 100)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := sortedBySeq(s.assistants, func(a *assistantObj) int64 { return a.seq })
	body, e := renderList(items, func(a *assistantObj) string { return a.ID }, p, func(a *assistantObj) []byte { return mustJSON(a) })
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeOK(w, body)
}
