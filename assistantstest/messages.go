package assistantstest

import (
	"net/http"
)

var messageFields = []string{"role", "content", "attachments", "metadata"}

// messageSpec is a validated CreateMessageRequest.
type messageSpec struct {
	role        string
	content     []contentPart
	attachments []attachment
	metadata    map[string]string
}

// parseMessage validates a CreateMessageRequest. The caller holds s.mu.
func (s *Server) parseMessage(o *object) (*messageSpec, *apiError) {
	spec := &messageSpec{}
	var e *apiError
	if spec.role, e = o.str("role", true); e != nil {
		return nil, e
	}
	if e := enumErr(o.name("role"), spec.role, "user", "assistant"); e != nil {
		return nil, e
	}
	if !o.has("content") {
		return nil, errMissing(o.name("content"))
	}
	switch jsonKind(o.raw("content")) {
	case "a string":
		text, _ := o.str("content", true)
		if text == "" {
			return nil, errInvalid(o.name("content"), "empty_string", "Invalid '%s': empty string. Expected a string with minimum length 1, but got an empty string instead.", o.name("content"))
		}
		spec.content = []contentPart{textPart(text)}
	case "an array":
		items, e := o.array("content", 1, 0)
		if e != nil {
			return nil, e
		}
		for i, raw := range items {
			po, e := o.item("content", i, raw, "type", "text", "image_file", "image_url")
			if e != nil {
				return nil, e
			}
			typ, e := po.str("type", true)
			if e != nil {
				return nil, e
			}
			switch typ {
			case "text":
				text, e := po.str("text", true)
				if e != nil {
					return nil, e
				}
				spec.content = append(spec.content, textPart(text))
			case "image_file":
				img, e := po.child("image_file", "file_id", "detail")
				if e == nil && img == nil {
					e = errMissing(po.name("image_file"))
				}
				if e != nil {
					return nil, e
				}
				fid, e := img.str("file_id", true)
				if e != nil {
					return nil, e
				}
				if s.files[fid] == nil {
					return nil, errNotFound("file", fid)
				}
				detail, e := imageDetail(img)
				if e != nil {
					return nil, e
				}
				spec.content = append(spec.content, contentPart{Type: typ, ImageFile: mustJSON(map[string]string{"file_id": fid, "detail": detail})})
			case "image_url":
				img, e := po.child("image_url", "url", "detail")
				if e == nil && img == nil {
					e = errMissing(po.name("image_url"))
				}
				if e != nil {
					return nil, e
				}
				u, e := img.str("url", true)
				if e != nil {
					return nil, e
				}
				detail, e := imageDetail(img)
				if e != nil {
					return nil, e
				}
				spec.content = append(spec.content, contentPart{Type: typ, ImageURL: mustJSON(map[string]string{"url": u, "detail": detail})})
			default:
				return nil, enumErr(po.name("type"), typ, "text", "image_file", "image_url")
			}
		}
	default:
		return nil, errType(o.name("content"), "a string or an array", o.raw("content"))
	}
	items, e := o.array("attachments", 0, 0)
	if e != nil {
		return nil, e
	}
	spec.attachments = []attachment{}
	for i, raw := range items {
		ao, e := o.item("attachments", i, raw, "file_id", "tools")
		if e != nil {
			return nil, e
		}
		fid, e := ao.str("file_id", true)
		if e != nil {
			return nil, e
		}
		if s.files[fid] == nil {
			return nil, errNotFound("file", fid)
		}
		tools, e := ao.array("tools", 0, 0)
		if e != nil {
			return nil, e
		}
		att := attachment{FileID: fid, Tools: []toolObj{}}
		for j, traw := range tools {
			to, e := ao.item("tools", j, traw, "type")
			if e != nil {
				return nil, e
			}
			typ, e := to.str("type", true)
			if e != nil {
				return nil, e
			}
			if e := enumErr(to.name("type"), typ, "code_interpreter", "file_search"); e != nil {
				return nil, e
			}
			att.Tools = append(att.Tools, toolObj{Type: typ})
		}
		spec.attachments = append(spec.attachments, att)
	}
	if spec.metadata, e = o.metadata("metadata"); e != nil {
		return nil, e
	}
	return spec, nil
}

// parseMessages validates the array k of CreateMessageRequests. The caller
// holds s.mu.
func (s *Server) parseMessages(o *object, k string) ([]*messageSpec, *apiError) {
	items, e := o.array(k, 0, 0)
	if e != nil {
		return nil, e
	}
	var specs []*messageSpec
	for i, raw := range items {
		mo, e := o.item(k, i, raw, messageFields...)
		if e != nil {
			return nil, e
		}
		spec, e := s.parseMessage(mo)
		if e != nil {
			return nil, e
		}
		specs = append(specs, spec)
	}
	return specs, nil
}

func imageDetail(o *object) (string, *apiError) {
	d, e := o.str("detail", false)
	if e != nil {
		return "", e
	}
	if d == "" {
		return "auto", nil
	}
	return d, enumErr(o.name("detail"), d, "auto", "low", "high")
}

func textPart(s string) contentPart {
	return contentPart{Type: "text", Text: &textContent{Value: s, Annotations: []annotation{}}}
}

// addMessage appends a completed message to t. The caller holds s.mu.
func (s *Server) addMessage(t *threadObj, spec *messageSpec, assistantID, runID *string) *messageObj {
	now := s.now().Unix()
	m := &messageObj{ID: newID("msg_", 24), Object: "thread.message", CreatedAt: now, ThreadID: t.ID,
		Status: "completed", CompletedAt: i64p(now), Role: spec.role, Content: spec.content,
		AssistantID: assistantID, RunID: runID, Attachments: spec.attachments, Metadata: spec.metadata, seq: s.nextSeq()}
	if m.Attachments == nil {
		m.Attachments = []attachment{}
	}
	if m.Metadata == nil {
		m.Metadata = map[string]string{}
	}
	t.messages = append(t.messages, m)
	return m
}

// activeRun returns the thread's run that is not yet in a terminal state.
func activeRun(t *threadObj) *runObj {
	for _, r := range t.runs {
		if !terminal(r.Status) {
			return r
		}
	}
	return nil
}

func (s *Server) createMessage(r *http.Request, o *object) (*reply, *apiError) {
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.thread(r.PathValue("thread_id"))
	if e != nil {
		return nil, e
	}
	spec, e := s.parseMessage(o)
	if e != nil {
		return nil, e
	}
	if run := activeRun(t); run != nil {
		return nil, errInvalid("", "", "Can't add messages to %s while a run %s is active.", t.ID, run.ID)
	}
	return jsonReply(s.addMessage(t, spec, nil, nil)), nil
}

// message looks up the message of the request path. The caller holds s.mu.
func (s *Server) message(r *http.Request) (*messageObj, *apiError) {
	t, e := s.thread(r.PathValue("thread_id"))
	if e != nil {
		return nil, e
	}
	return find(t.messages, "message", r.PathValue("message_id"))
}

func (s *Server) getMessage(r *http.Request, _ *object) (*reply, *apiError) {
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	m, e := s.message(r)
	if e != nil {
		return nil, e
	}
	return jsonReply(m), nil
}

func (s *Server) modifyMessage(r *http.Request, o *object) (any, *apiError) {
	m, e := s.message(r)
	if e != nil {
		return nil, e
	}
	return m, updateMetadata(o, &m.Metadata)
}

func (s *Server) deleteMessage(r *http.Request, _ *object) (any, *apiError) {
	t, e := s.thread(r.PathValue("thread_id"))
	if e != nil {
		return nil, e
	}
	id := r.PathValue("message_id")
	if !cut(&t.messages, id) {
		return nil, errNotFound("message", id)
	}
	return deleted(id, "thread.message.deleted"), nil
}

func (s *Server) listMessages(r *http.Request, _ *object) (*reply, *apiError) {
	q := r.URL.Query()
	p, e := parseList(q, 20, 100)
	if e != nil {
		return nil, e
	}
	s.touchThread(r.Context(), r.PathValue("thread_id"))
	s.mu.Lock()
	defer s.mu.Unlock()
	t, e := s.thread(r.PathValue("thread_id"))
	if e != nil {
		return nil, e
	}
	items := t.messages
	if runID := q.Get("run_id"); runID != "" {
		items = nil
		for _, m := range t.messages {
			if m.RunID != nil && *m.RunID == runID {
				items = append(items, m)
			}
		}
	}
	return renderList(items, p)
}
