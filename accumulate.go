package assistants

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// The accumulator turns the events of a run stream into snapshots: the run,
// and every message and run step the stream talked about, with their deltas
// merged in. It is what Stream.FinalMessages, Stream.FinalRunSteps and the
// snapshots a Handler receives are made of.
//
// Merging rules:
//   - Text values, refusals, function arguments, code_interpreter input and
//     code output logs are concatenated, into per-part buffers that grow
//     amortised; strings are materialised only when a snapshot is asked for
//     (and then without copying).
//   - Content parts, annotations, tool calls and code outputs are merged by
//     their index. An index past the end pads the list with empty slots
//     that snapshots leave out, so that no entry is ever duplicated or
//     shifted; indexes start over for each message and each step, whose
//     snapshots are keyed by id.
//   - A full object (thread.message.completed, thread.run.step.completed,
//     ...) replaces the snapshot. Non-final full objects (created,
//     in_progress) replace the content or tool calls only when they carry
//     some, so that they never erase what deltas built.
//
// Besides the snapshots the accumulator records, for each event, which
// content parts and tool calls were created, changed and finished: the
// notes that drive a Handler's part-level callbacks. Every part and tool
// call is created once and done once: done fires when a later part or call
// of the same message or step starts, when the message or step ends, when
// the run asks for tool outputs (for tool calls), or when the run ends,
// whichever comes first.
type accumulator struct {
	run *Run

	msgs    []*msgAcc
	msgByID map[string]*msgAcc
	lastMsg *msgAcc

	steps    []*stepAcc
	stepByID map[string]*stepAcc
	lastStep *stepAcc

	// Per-event results, reset by apply.
	notes     []note
	textDelta string
	curMsg    *msgAcc
	curStep   *stepAcc
	stepDelta *RunStepDelta
	// scratch is the TextDelta handed to Handler.OnTextDelta.
	scratch TextDelta
}

type noteKind uint8

const (
	notePartCreated noteKind = iota
	notePartDelta
	notePartDone
	noteCallCreated
	noteCallDelta
	noteCallDone
)

// note records that a content part or tool call was created, changed or
// finished by the current event.
type note struct {
	kind  noteKind
	index int
	msg   *msgAcc
	step  *stepAcc
	text  string            // notePartDelta: the text appended
	anns  []AnnotationDelta // notePartDelta: the annotations that arrived
	delta *ToolCall         // noteCallDelta: the tool call delta
}

func newAccumulator() *accumulator {
	return &accumulator{msgByID: make(map[string]*msgAcc), stepByID: make(map[string]*stepAcc)}
}

// apply merges one event into the snapshots. Events it does not know are
// ignored. It fails only when the data of a known event cannot be decoded.
func (a *accumulator) apply(typ string, data []byte) error {
	a.notes = a.notes[:0]
	a.textDelta = ""
	a.curMsg, a.curStep, a.stepDelta = nil, nil, nil
	var err error
	switch typ {
	case EventThreadMessageDelta:
		err = a.applyMessageDelta(data)
	case EventThreadMessageCreated, EventThreadMessageInProgress:
		err = a.applyMessage(data, false)
	case EventThreadMessageCompleted, EventThreadMessageIncomplete:
		err = a.applyMessage(data, true)
	case EventThreadRunStepDelta:
		err = a.applyStepDelta(data)
	case EventThreadRunStepCreated, EventThreadRunStepInProgress:
		err = a.applyStep(data, false)
	case EventThreadRunStepCompleted, EventThreadRunStepFailed, EventThreadRunStepCancelled, EventThreadRunStepExpired:
		err = a.applyStep(data, true)
	default:
		if isRunStatusEvent(typ) {
			err = a.applyRun(typ, data)
		}
	}
	if err != nil {
		return fmt.Errorf("assistants: decoding %s event: %w", typ, err)
	}
	return nil
}

// isRunStatusEvent reports whether typ is one of the thread.run.<status> events.
func isRunStatusEvent(typ string) bool {
	switch typ {
	case EventThreadRunCreated, EventThreadRunQueued, EventThreadRunInProgress,
		EventThreadRunRequiresAction, EventThreadRunCompleted, EventThreadRunIncomplete,
		EventThreadRunFailed, EventThreadRunCancelling, EventThreadRunCancelled,
		EventThreadRunExpired:
		return true
	}
	return false
}

// runEnded reports whether a run in status s has ended for good.
func runEnded(s RunStatus) bool {
	return s.Terminal() && s != RunStatusRequiresAction
}

func (a *accumulator) applyRun(typ string, data []byte) error {
	run := new(Run)
	if err := json.Unmarshal(data, run); err != nil {
		return err
	}
	a.run = run
	switch typ {
	case EventThreadRunRequiresAction:
		// The run waits for outputs: the arguments of its calls are complete.
		for _, s := range a.steps {
			a.finishCalls(s, len(s.calls))
		}
	case EventThreadRunCompleted, EventThreadRunIncomplete, EventThreadRunFailed,
		EventThreadRunCancelled, EventThreadRunExpired:
		for _, s := range a.steps {
			a.finishCalls(s, len(s.calls))
		}
		for _, m := range a.msgs {
			a.finishParts(m, len(m.parts))
		}
	}
	return nil
}

// ---- messages ----

// msgAcc is the snapshot of one message.
type msgAcc struct {
	id    string
	base  Message // the last full object, Content aside
	parts []*partAcc
	// dirty is set when deltas were merged since the last full object, so
	// the snapshot's Raw JSON is out of date.
	dirty bool
}

// partAcc is the snapshot of one content part.
type partAcc struct {
	typ       ContentType
	hasText   bool
	text      strings.Builder
	refusal   strings.Builder
	anns      []*Annotation // by index; nil entries are padding
	annCache  []Annotation  // materialised anns, rebuilt when annDirty
	annDirty  bool
	imageFile *ImageFile
	imageURL  *ImageURL
	// snap is the *Text handed to Handler callbacks, refreshed in place.
	snap          Text
	created, done bool
}

func (a *accumulator) message(id []byte) *msgAcc {
	if m := a.lastMsg; m != nil && m.id == string(id) {
		return m
	}
	if m := a.msgByID[string(id)]; m != nil {
		a.lastMsg = m
		return m
	}
	m := &msgAcc{id: string(id)}
	m.base.ID, m.base.Object = m.id, "thread.message"
	a.msgByID[m.id] = m
	a.msgs = append(a.msgs, m)
	a.lastMsg = m
	return m
}

// part returns the part at index i, padding the list as needed.
func (m *msgAcc) part(i int) *partAcc {
	for len(m.parts) <= i {
		m.parts = append(m.parts, nil)
	}
	if m.parts[i] == nil {
		m.parts[i] = new(partAcc)
	}
	return m.parts[i]
}

func (a *accumulator) applyMessage(data []byte, final bool) error {
	msg := new(Message)
	if err := json.Unmarshal(data, msg); err != nil {
		return err
	}
	m := a.message([]byte(msg.ID))
	a.curMsg = m
	content := msg.Content
	m.base = *msg
	m.base.Content = nil
	if final || len(content) > 0 || len(m.parts) == 0 {
		m.dirty = false
		old := compact(m.parts)
		m.parts = make([]*partAcc, len(content))
		for i := range content {
			p := partFromContent(&content[i])
			// The object's content has no padding: match it with the
			// parts deltas built in the same order.
			if i < len(old) {
				p.created, p.done = old[i].created, old[i].done
			}
			m.parts[i] = p
		}
	} else {
		m.dirty = true // the parts built from deltas are newer than the object
	}
	for i, p := range m.parts {
		if p != nil && !p.created {
			p.created = true
			a.notes = append(a.notes, note{kind: notePartCreated, msg: m, index: i})
		}
	}
	if final {
		a.finishParts(m, len(m.parts))
	}
	return nil
}

// compact returns the entries of list that are not padding, in order.
func compact[T any](list []*T) []*T {
	out := list[:0:0]
	for _, e := range list {
		if e != nil {
			out = append(out, e)
		}
	}
	return out
}

func partFromContent(c *MessageContent) *partAcc {
	p := &partAcc{typ: c.Type}
	if c.Text != nil {
		p.hasText = true
		p.text.WriteString(c.Text.Value)
		for i := range c.Text.Annotations {
			ann := c.Text.Annotations[i]
			p.anns = append(p.anns, &ann)
		}
		p.annDirty = true
	}
	if c.ImageFile != nil {
		f := *c.ImageFile
		p.imageFile = &f
	}
	if c.ImageURL != nil {
		u := *c.ImageURL
		p.imageURL = &u
	}
	p.refusal.WriteString(c.Refusal)
	return p
}

// finishParts marks the parts of m before index end done, recording notes.
func (a *accumulator) finishParts(m *msgAcc, end int) {
	for i := 0; i < end && i < len(m.parts); i++ {
		p := m.parts[i]
		if p == nil || p.done {
			continue
		}
		if !p.created {
			p.created = true
			a.notes = append(a.notes, note{kind: notePartCreated, msg: m, index: i})
		}
		p.done = true
		a.notes = append(a.notes, note{kind: notePartDone, msg: m, index: i})
	}
}

// applyMessageDelta is the hot path: it reads the delta with the
// allocation-free scanner and appends text straight into the part buffers.
func (a *accumulator) applyMessageDelta(data []byte) error {
	var idRaw, deltaRaw []byte
	it := iterObject(data)
	for k, v, ok := it.next(0); ok; k, v, ok = it.next(0) {
		switch {
		case keyIs(k, "id"):
			idRaw = v
		case keyIs(k, "delta"):
			deltaRaw = v
		}
	}
	if err := it.finish(); err != nil {
		return err
	}
	id, err := stringValue(idRaw)
	if err != nil {
		return fmt.Errorf("id: %w", err)
	}
	m := a.message(id)
	a.curMsg = m
	if isNull(deltaRaw) {
		return nil
	}
	m.dirty = true
	it = iterObject(deltaRaw)
	for k, v, ok := it.next(1); ok; k, v, ok = it.next(1) {
		switch {
		case keyIs(k, "role"):
			role, err := stringValue(v)
			if err != nil {
				return fmt.Errorf("delta.role: %w", err)
			}
			if len(role) > 0 && string(role) != string(m.base.Role) {
				m.base.Role = roleOf(role)
			}
		case keyIs(k, "content"):
			if isNull(v) {
				continue
			}
			arr := iterArray(v)
			for pos := 0; ; pos++ {
				_, elem, ok := arr.next(2)
				if !ok {
					break
				}
				if err := a.applyContentDelta(m, pos, elem); err != nil {
					return fmt.Errorf("delta.content[%d]: %w", pos, err)
				}
			}
			if arr.err != nil {
				return arr.err
			}
		}
	}
	return it.err
}

func roleOf(b []byte) Role {
	switch string(b) {
	case string(RoleAssistant):
		return RoleAssistant
	case string(RoleUser):
		return RoleUser
	}
	return Role(b)
}

func contentTypeOf(b []byte) ContentType {
	switch string(b) {
	case string(ContentTypeText):
		return ContentTypeText
	case string(ContentTypeImageFile):
		return ContentTypeImageFile
	case string(ContentTypeImageURL):
		return ContentTypeImageURL
	case string(ContentTypeRefusal):
		return ContentTypeRefusal
	}
	return ContentType(b)
}

func (a *accumulator) applyContentDelta(m *msgAcc, pos int, elem []byte) error {
	var idxRaw, typRaw, textRaw, fileRaw, urlRaw, refusalRaw []byte
	it := iterObject(elem)
	for k, v, ok := it.next(3); ok; k, v, ok = it.next(3) {
		switch {
		case keyIs(k, "index"):
			idxRaw = v
		case keyIs(k, "type"):
			typRaw = v
		case keyIs(k, "text"):
			textRaw = v
		case keyIs(k, "image_file"):
			fileRaw = v
		case keyIs(k, "image_url"):
			urlRaw = v
		case keyIs(k, "refusal"):
			refusalRaw = v
		}
	}
	if it.err != nil {
		return it.err
	}
	idx := pos
	if !isNull(idxRaw) {
		var err error
		if idx, err = intValue(idxRaw); err != nil {
			return fmt.Errorf("index: %w", err)
		}
	} else if idx > maxDeltaIndex {
		return errIndexRange
	}
	p := m.part(idx)
	typ, err := stringValue(typRaw)
	if err != nil {
		return fmt.Errorf("type: %w", err)
	}
	if len(typ) > 0 && string(typ) != string(p.typ) {
		p.typ = contentTypeOf(typ)
	}
	var deltaText string
	var anns []AnnotationDelta
	if !isNull(textRaw) {
		p.hasText = true
		if p.typ == "" {
			p.typ = ContentTypeText
		}
		tit := iterObject(textRaw)
		for k, v, ok := tit.next(4); ok; k, v, ok = tit.next(4) {
			switch {
			case keyIs(k, "value"):
				if isNull(v) {
					continue
				}
				if v[0] != '"' {
					return fmt.Errorf("text.value: %w", errNotAString)
				}
				start := p.text.Len()
				if err := appendJSONString(&p.text, v[1:len(v)-1]); err != nil {
					return fmt.Errorf("text.value: %w", err)
				}
				deltaText = p.text.String()[start:]
			case keyIs(k, "annotations"):
				if isNull(v) {
					continue
				}
				var err error
				if anns, err = decodeAnnotations(v); err != nil {
					return fmt.Errorf("text.annotations: %w", err)
				}
				for i := range anns {
					if anns[i].Index < 0 || anns[i].Index > maxDeltaIndex {
						return fmt.Errorf("text.annotations[%d].index: %w", i, errIndexRange)
					}
					p.mergeAnnotation(&anns[i])
				}
			}
		}
		if tit.err != nil {
			return tit.err
		}
	}
	if !isNull(fileRaw) {
		var f ImageFile
		if err := json.Unmarshal(fileRaw, &f); err != nil {
			return fmt.Errorf("image_file: %w", err)
		}
		if p.imageFile == nil {
			p.imageFile = new(ImageFile)
		}
		mergeString(&p.imageFile.FileID, f.FileID)
		mergeString(&p.imageFile.Detail, f.Detail)
	}
	if !isNull(urlRaw) {
		var u ImageURL
		if err := json.Unmarshal(urlRaw, &u); err != nil {
			return fmt.Errorf("image_url: %w", err)
		}
		if p.imageURL == nil {
			p.imageURL = new(ImageURL)
		}
		mergeString(&p.imageURL.URL, u.URL)
		mergeString(&p.imageURL.Detail, u.Detail)
	}
	if !isNull(refusalRaw) {
		if refusalRaw[0] != '"' {
			return fmt.Errorf("refusal: %w", errNotAString)
		}
		start := p.refusal.Len()
		if err := appendJSONString(&p.refusal, refusalRaw[1:len(refusalRaw)-1]); err != nil {
			return fmt.Errorf("refusal: %w", err)
		}
		if deltaText == "" {
			deltaText = p.refusal.String()[start:]
		}
	}

	if !p.created {
		a.finishParts(m, idx)
		p.created = true
		a.notes = append(a.notes, note{kind: notePartCreated, msg: m, index: idx})
	}
	a.notes = append(a.notes, note{kind: notePartDelta, msg: m, index: idx, text: deltaText, anns: anns})
	if deltaText != "" && (p.typ == ContentTypeText || p.hasText) {
		if a.textDelta == "" {
			a.textDelta = deltaText
		} else {
			a.textDelta += deltaText
		}
	}
	return nil
}

// decodeAnnotations decodes the annotations of a text delta (rare enough to
// leave to encoding/json).
func decodeAnnotations(raw []byte) ([]AnnotationDelta, error) {
	var anns []AnnotationDelta
	err := json.Unmarshal(raw, &anns)
	return anns, err
}

// mergeString sets *dst to src when src is not empty.
func mergeString[S ~string](dst *S, src S) {
	if src != "" {
		*dst = src
	}
}

func (p *partAcc) mergeAnnotation(d *AnnotationDelta) {
	for len(p.anns) <= d.Index {
		p.anns = append(p.anns, nil)
	}
	ann := p.anns[d.Index]
	if ann == nil {
		ann = new(Annotation)
		p.anns[d.Index] = ann
	} else {
		// Copy on write: materialised snapshots may share the old value.
		c := *ann
		ann = &c
		p.anns[d.Index] = ann
	}
	mergeString(&ann.Type, d.Type)
	mergeString(&ann.Text, d.Text)
	if d.StartIndex != nil {
		ann.StartIndex = *d.StartIndex
	}
	if d.EndIndex != nil {
		ann.EndIndex = *d.EndIndex
	}
	if d.FileCitation != nil {
		fc := FileCitation{}
		if ann.FileCitation != nil {
			fc = *ann.FileCitation
		}
		mergeString(&fc.FileID, d.FileCitation.FileID)
		mergeString(&fc.Quote, d.FileCitation.Quote)
		ann.FileCitation = &fc
	}
	if d.FilePath != nil {
		fp := FilePath{}
		if ann.FilePath != nil {
			fp = *ann.FilePath
		}
		mergeString(&fp.FileID, d.FilePath.FileID)
		ann.FilePath = &fp
	}
	p.annDirty = true
}

// annotations returns the part's annotations in index order, padding left
// out. The slice is shared by snapshots until the annotations change, and is
// never modified afterwards.
func (p *partAcc) annotations() []Annotation {
	if p.annDirty || p.annCache == nil {
		out := make([]Annotation, 0, len(p.anns))
		for _, ann := range p.anns {
			if ann != nil {
				out = append(out, *ann)
			}
		}
		p.annCache, p.annDirty = out, false
	}
	return p.annCache
}

// textSnapshot refreshes and returns the part's *Text, which is reused for
// every callback of the part.
func (p *partAcc) textSnapshot() *Text {
	p.snap.Value = p.text.String()
	p.snap.Annotations = p.annotations()
	return &p.snap
}

func (p *partAcc) content() MessageContent {
	c := MessageContent{Type: p.typ, Refusal: p.refusal.String()}
	if p.hasText || p.typ == ContentTypeText {
		c.Text = &Text{Value: p.text.String(), Annotations: cloneAnnotations(p.annotations())}
	}
	if p.imageFile != nil {
		f := *p.imageFile
		c.ImageFile = &f
	}
	if p.imageURL != nil {
		u := *p.imageURL
		c.ImageURL = &u
	}
	return c
}

// cloneAnnotations copies anns deeply, so that a snapshot's annotations
// share nothing mutable with the accumulator or other snapshots.
func cloneAnnotations(anns []Annotation) []Annotation {
	out := make([]Annotation, len(anns))
	for i, ann := range anns {
		if ann.FileCitation != nil {
			fc := *ann.FileCitation
			ann.FileCitation = &fc
		}
		if ann.FilePath != nil {
			fp := *ann.FilePath
			ann.FilePath = &fp
		}
		out[i] = ann
	}
	return out
}

// snapshot materialises the message: a copy whose content, annotations,
// metadata and attachments list share nothing with the accumulator (text
// values share memory with its buffers, which are never modified once
// written; Raw and the tool definitions of attachments are shared, read-only).
func (m *msgAcc) snapshot() *Message {
	msg := m.base
	if m.dirty {
		msg.rawJSON = rawJSON{}
	}
	msg.Metadata = maps.Clone(msg.Metadata)
	if msg.IncompleteDetails != nil {
		d := *msg.IncompleteDetails
		msg.IncompleteDetails = &d
	}
	if msg.Attachments != nil {
		msg.Attachments = slices.Clone(msg.Attachments)
		for i := range msg.Attachments {
			msg.Attachments[i].Tools = slices.Clone(msg.Attachments[i].Tools)
		}
	}
	msg.Content = make([]MessageContent, 0, len(m.parts))
	for _, p := range m.parts {
		if p != nil {
			msg.Content = append(msg.Content, p.content())
		}
	}
	return &msg
}

// ---- run steps ----

// stepAcc is the snapshot of one run step.
type stepAcc struct {
	id    string
	base  RunStep // the last full object, tool calls aside
	calls []*callAcc
	dirty bool
}

// callAcc is the snapshot of one tool call.
type callAcc struct {
	id         string
	typ        ToolType
	hasFn      bool
	fnName     string
	args       strings.Builder
	fnOutput   string
	hasCode    bool
	input      strings.Builder
	outputs    []*outputAcc // by index; nil entries are padding
	fileSearch *FileSearchCall

	created, done bool
}

// outputAcc is the snapshot of one code_interpreter output.
type outputAcc struct {
	typ   string
	logs  strings.Builder
	image *CodeImage
}

func (a *accumulator) step(id string) *stepAcc {
	if s := a.lastStep; s != nil && s.id == id {
		return s
	}
	if s := a.stepByID[id]; s != nil {
		a.lastStep = s
		return s
	}
	s := &stepAcc{id: id}
	s.base.ID, s.base.Object = id, "thread.run.step"
	a.stepByID[id] = s
	a.steps = append(a.steps, s)
	a.lastStep = s
	return s
}

func (s *stepAcc) call(i int) *callAcc {
	for len(s.calls) <= i {
		s.calls = append(s.calls, nil)
	}
	if s.calls[i] == nil {
		s.calls[i] = new(callAcc)
	}
	return s.calls[i]
}

func (c *callAcc) output(i int) *outputAcc {
	for len(c.outputs) <= i {
		c.outputs = append(c.outputs, nil)
	}
	if c.outputs[i] == nil {
		c.outputs[i] = new(outputAcc)
	}
	return c.outputs[i]
}

func (a *accumulator) applyStep(data []byte, final bool) error {
	st := new(RunStep)
	if err := json.Unmarshal(data, st); err != nil {
		return err
	}
	s := a.step(st.ID)
	a.curStep = s
	calls := st.StepDetails.ToolCalls
	s.base = *st
	s.base.StepDetails.ToolCalls = nil
	if final || len(calls) > 0 || len(s.calls) == 0 {
		s.dirty = false
		old := compact(s.calls)
		s.calls = make([]*callAcc, len(calls))
		for i := range calls {
			c := callFromToolCall(&calls[i])
			if i < len(old) {
				c.created, c.done = old[i].created, old[i].done
			}
			s.calls[i] = c
		}
	} else {
		s.dirty = true
	}
	for i, c := range s.calls {
		if c != nil && !c.created {
			c.created = true
			a.notes = append(a.notes, note{kind: noteCallCreated, step: s, index: i})
		}
	}
	if final {
		a.finishCalls(s, len(s.calls))
	}
	return nil
}

func callFromToolCall(tc *ToolCall) *callAcc {
	c := &callAcc{id: tc.ID, typ: tc.Type}
	if f := tc.Function; f != nil {
		c.hasFn, c.fnName, c.fnOutput = true, f.Name, f.Output
		c.args.WriteString(f.Arguments)
	}
	if ci := tc.CodeInterpreter; ci != nil {
		c.hasCode = true
		c.input.WriteString(ci.Input)
		for i := range ci.Outputs {
			o := &outputAcc{typ: ci.Outputs[i].Type}
			o.logs.WriteString(ci.Outputs[i].Logs)
			if img := ci.Outputs[i].Image; img != nil {
				im := *img
				o.image = &im
			}
			c.outputs = append(c.outputs, o)
		}
	}
	if fs := tc.FileSearch; fs != nil {
		f := *fs
		c.fileSearch = &f
	}
	return c
}

// finishCalls marks the calls of s before index end done, recording notes.
func (a *accumulator) finishCalls(s *stepAcc, end int) {
	for i := 0; i < end && i < len(s.calls); i++ {
		c := s.calls[i]
		if c == nil || c.done {
			continue
		}
		if !c.created {
			c.created = true
			a.notes = append(a.notes, note{kind: noteCallCreated, step: s, index: i})
		}
		c.done = true
		a.notes = append(a.notes, note{kind: noteCallDone, step: s, index: i})
	}
}

func (a *accumulator) applyStepDelta(data []byte) error {
	d := new(RunStepDelta)
	if err := json.Unmarshal(data, d); err != nil {
		return err
	}
	a.stepDelta = d
	s := a.step(d.ID)
	a.curStep = s
	sd := d.Delta.StepDetails
	if sd == nil {
		return nil
	}
	s.dirty = true
	if sd.Type != "" {
		s.base.StepDetails.Type = sd.Type
		if s.base.Type == "" {
			s.base.Type = sd.Type
		}
	}
	if mc := sd.MessageCreation; mc != nil {
		m := MessageCreation{}
		if s.base.StepDetails.MessageCreation != nil {
			m = *s.base.StepDetails.MessageCreation
		}
		mergeString(&m.MessageID, mc.MessageID)
		s.base.StepDetails.MessageCreation = &m
	}
	for pos := range sd.ToolCalls {
		tc := &sd.ToolCalls[pos]
		idx := pos
		if tc.Index != nil {
			idx = *tc.Index
		}
		if idx < 0 || idx > maxDeltaIndex {
			return fmt.Errorf("step_details.tool_calls[%d].index: %w", pos, errIndexRange)
		}
		c := s.call(idx)
		if err := c.merge(tc); err != nil {
			return fmt.Errorf("step_details.tool_calls[%d]: %w", pos, err)
		}
		if !c.created {
			a.finishCalls(s, idx)
			c.created = true
			a.notes = append(a.notes, note{kind: noteCallCreated, step: s, index: idx})
		}
		a.notes = append(a.notes, note{kind: noteCallDelta, step: s, index: idx, delta: tc})
	}
	return nil
}

func (c *callAcc) merge(tc *ToolCall) error {
	mergeString(&c.id, tc.ID)
	mergeString(&c.typ, tc.Type)
	if f := tc.Function; f != nil {
		c.hasFn = true
		// Names arrive whole; a repeated name is not appended twice.
		if f.Name != "" && f.Name != c.fnName {
			c.fnName += f.Name
		}
		c.args.WriteString(f.Arguments)
		mergeString(&c.fnOutput, f.Output)
	}
	if ci := tc.CodeInterpreter; ci != nil {
		c.hasCode = true
		c.input.WriteString(ci.Input)
		for pos := range ci.Outputs {
			o := &ci.Outputs[pos]
			idx := pos
			if o.Index != nil {
				idx = *o.Index
			}
			if idx < 0 || idx > maxDeltaIndex {
				return fmt.Errorf("code_interpreter.outputs[%d].index: %w", pos, errIndexRange)
			}
			out := c.output(idx)
			mergeString(&out.typ, o.Type)
			out.logs.WriteString(o.Logs)
			if o.Image != nil {
				img := CodeImage{}
				if out.image != nil {
					img = *out.image
				}
				mergeString(&img.FileID, o.Image.FileID)
				out.image = &img
			}
		}
	}
	if fs := tc.FileSearch; fs != nil {
		f := FileSearchCall{}
		if c.fileSearch != nil {
			f = *c.fileSearch
		}
		if fs.RankingOptions != nil {
			f.RankingOptions = fs.RankingOptions
		}
		if len(fs.Results) > 0 {
			f.Results = append(f.Results[:len(f.Results):len(f.Results)], fs.Results...)
		}
		c.fileSearch = &f
	}
	return nil
}

// snapshot materialises the tool call (Index is left nil).
func (c *callAcc) snapshot() *ToolCall {
	tc := &ToolCall{ID: c.id, Type: c.typ}
	if c.hasFn || c.typ == ToolTypeFunction {
		tc.Function = &FunctionToolCall{Name: c.fnName, Arguments: c.args.String(), Output: c.fnOutput}
	}
	if c.hasCode || c.typ == ToolTypeCodeInterpreter {
		ci := &CodeInterpreterCall{Input: c.input.String(), Outputs: make([]CodeOutput, 0, len(c.outputs))}
		for _, o := range c.outputs {
			if o == nil {
				continue
			}
			out := CodeOutput{Type: o.typ, Logs: o.logs.String()}
			if o.image != nil {
				img := *o.image
				out.Image = &img
			}
			ci.Outputs = append(ci.Outputs, out)
		}
		tc.CodeInterpreter = ci
	}
	if c.fileSearch != nil || c.typ == ToolTypeFileSearch {
		fs := &FileSearchCall{}
		if c.fileSearch != nil {
			*fs = *c.fileSearch
			if fs.RankingOptions != nil {
				ro := *fs.RankingOptions
				fs.RankingOptions = &ro
			}
			if fs.Results != nil {
				fs.Results = slices.Clone(fs.Results)
				for i := range fs.Results {
					fs.Results[i].Content = slices.Clone(fs.Results[i].Content)
				}
			}
		}
		tc.FileSearch = fs
	}
	return tc
}

// snapshot materialises the step: a copy whose fields share nothing with
// the accumulator (Raw aside, which is read-only).
func (s *stepAcc) snapshot() *RunStep {
	st := s.base
	if s.dirty {
		st.rawJSON = rawJSON{}
	}
	st.Metadata = maps.Clone(st.Metadata)
	if st.LastError != nil {
		e := *st.LastError
		st.LastError = &e
	}
	if st.Usage != nil {
		u := *st.Usage
		st.Usage = &u
	}
	if s.base.StepDetails.MessageCreation != nil {
		mc := *s.base.StepDetails.MessageCreation
		st.StepDetails.MessageCreation = &mc
	}
	if len(s.calls) > 0 {
		st.StepDetails.ToolCalls = make([]ToolCall, 0, len(s.calls))
		for _, c := range s.calls {
			if c != nil {
				st.StepDetails.ToolCalls = append(st.StepDetails.ToolCalls, *c.snapshot())
			}
		}
	}
	return &st
}

// messages materialises every message, in the order the stream first
// mentioned them.
func (a *accumulator) messages() []Message {
	out := make([]Message, 0, len(a.msgs))
	for _, m := range a.msgs {
		out = append(out, *m.snapshot())
	}
	return out
}

// runSteps materialises every step, in the order the stream first
// mentioned them.
func (a *accumulator) runSteps() []RunStep {
	out := make([]RunStep, 0, len(a.steps))
	for _, s := range a.steps {
		out = append(out, *s.snapshot())
	}
	return out
}
