package assistantstest

import (
	"encoding/json"
	"net/http"
)

var assistantFields = []string{"model", "name", "description", "instructions", "reasoning_effort", "tools",
	"tool_resources", "metadata", "temperature", "top_p", "response_format"}

func (s *Server) createAssistant(_ *http.Request, o *object) (any, *apiError) {
	model, e := o.str("model", true)
	if e == nil && model == "" {
		e = errInvalid("model", "invalid_value", "Invalid 'model': empty string.")
	}
	if e != nil {
		return nil, e
	}
	a := &assistantObj{Object: "assistant", Model: model, Metadata: map[string]string{},
		Temperature: f64p(1), TopP: f64p(1), ResponseFormat: json.RawMessage(`"auto"`), Tools: []toolObj{}}
	if e := s.applyAssistant(a, o, true); e != nil {
		return nil, e
	}
	a.ID = newID("asst_", 24)
	a.CreatedAt = s.now().Unix()
	a.seq = s.nextSeq()
	s.assistants[a.ID] = a
	return a, nil
}

// applyAssistant validates o and applies it to a (all or nothing).
func (s *Server) applyAssistant(a *assistantObj, o *object, create bool) *apiError {
	next := *a
	f := o.reader()
	if o.has("model") {
		next.Model = f.str("model", false)
	}
	if o.present("name") {
		next.Name = f.nullableStr("name", 256)
	}
	if o.present("description") {
		next.Description = f.nullableStr("description", 512)
	}
	if o.present("instructions") {
		next.Instructions = f.nullableStr("instructions", 256000)
	}
	f.enum("reasoning_effort", false, "minimal", "low", "medium", "high")
	if o.present("tools") {
		if next.Tools = f.tools("tools", 128); next.Tools == nil {
			next.Tools = []toolObj{}
		}
	}
	if o.present("metadata") {
		next.Metadata = f.metadata("metadata")
	}
	if o.present("temperature") {
		if next.Temperature = f.number("temperature", 0, 2); next.Temperature == nil {
			next.Temperature = f64p(1)
		}
	}
	if o.present("top_p") {
		if next.TopP = f.number("top_p", 0, 1); next.TopP == nil {
			next.TopP = f64p(1)
		}
	}
	if o.present("response_format") {
		if next.ResponseFormat = field(f, "response_format", parseResponseFormat); next.ResponseFormat == nil {
			next.ResponseFormat = json.RawMessage(`"auto"`)
		}
	}
	if o.present("tool_resources") {
		next.ToolResources = f.toolResources(s, true)
	}
	if f.err != nil {
		return f.err
	}
	next.ToolResources = normalizeResources(next.ToolResources, next.Tools)
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

func (s *Server) getAssistant(r *http.Request, _ *object) (any, *apiError) {
	return lookup(s.assistants, "assistant", r.PathValue("assistant_id"))
}

func (s *Server) modifyAssistant(r *http.Request, o *object) (any, *apiError) {
	a, e := lookup(s.assistants, "assistant", r.PathValue("assistant_id"))
	if e != nil {
		return nil, e
	}
	return a, s.applyAssistant(a, o, false)
}

func (s *Server) deleteAssistant(r *http.Request, _ *object) (any, *apiError) {
	return remove(s.assistants, "assistant", r.PathValue("assistant_id"), "assistant.deleted")
}

func (s *Server) listAssistants(r *http.Request, _ *object) (any, *apiError) {
	p, e := parseList(r.URL.Query(), 20, 100)
	if e != nil {
		return nil, e
	}
	return renderList(sortedBySeq(s.assistants, func(a *assistantObj) int64 { return a.seq }), p)
}
