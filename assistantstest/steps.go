package assistantstest

import (
	"encoding/json"
	"net/http"
)

// MarshalJSON always writes tool_calls for a tool_calls step (even when
// empty) and message_creation for a message_creation step.
func (d stepDetails) MarshalJSON() ([]byte, error) {
	if d.Type == "tool_calls" {
		calls := d.ToolCalls
		if calls == nil {
			calls = []stepToolCall{}
		}
		return json.Marshal(struct {
			Type      string         `json:"type"`
			ToolCalls []stepToolCall `json:"tool_calls"`
		}{d.Type, calls})
	}
	return json.Marshal(struct {
		Type            string           `json:"type"`
		MessageCreation *messageCreation `json:"message_creation"`
	}{d.Type, d.MessageCreation})
}

// renderableStep renders a step with or without file_search result content
// (the include[] query parameter asks for it).
type renderableStep struct {
	st             *stepObj
	includeContent bool
}

// MarshalJSON strips file_search result content unless it was asked for.
func (r renderableStep) MarshalJSON() ([]byte, error) {
	st := *r.st
	if !r.includeContent {
		calls := make([]stepToolCall, len(st.StepDetails.ToolCalls))
		for i, c := range st.StepDetails.ToolCalls {
			if c.FileSearch != nil {
				fs := *c.FileSearch
				fs.Results = make([]fsResult, len(c.FileSearch.Results))
				for j, res := range c.FileSearch.Results {
					res.Content = nil
					fs.Results[j] = res
				}
				c.FileSearch = &fs
			}
			calls[i] = c
		}
		st.StepDetails.ToolCalls = calls
	}
	return json.Marshal(&st)
}

func (r renderableStep) objectID() string { return r.st.ID }

const includeContent = "step_details.tool_calls[*].file_search.results[*].content"

// parseInclude validates the include[] query parameter.
func parseInclude(r *http.Request) (bool, *apiError) {
	q := r.URL.Query()
	vals := append(q["include[]"], q["include"]...)
	inc := false
	for _, v := range vals {
		if e := enumErr("include", v, includeContent); e != nil {
			return false, e
		}
		inc = true
	}
	return inc, nil
}

// steps renders the steps with or without file_search result content.
func steps(list []*stepObj, inc bool) []renderableStep {
	out := make([]renderableStep, len(list))
	for i, st := range list {
		out[i] = renderableStep{st, inc}
	}
	return out
}

func (s *Server) listSteps(r *http.Request, _ *object) (*reply, *apiError) {
	p, e := parseList(r.URL.Query(), 20, 100)
	if e != nil {
		return nil, e
	}
	inc, e := parseInclude(r)
	if e != nil {
		return nil, e
	}
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	run, e := s.run(r)
	if e != nil {
		return nil, e
	}
	return renderList(steps(run.steps, inc), p)
}

func (s *Server) getStep(r *http.Request, _ *object) (*reply, *apiError) {
	inc, e := parseInclude(r)
	if e != nil {
		return nil, e
	}
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	run, e := s.run(r)
	if e != nil {
		return nil, e
	}
	st, e := find(run.steps, "run step", r.PathValue("step_id"))
	if e != nil {
		return nil, e
	}
	return jsonReply(renderableStep{st, inc}), nil
}
