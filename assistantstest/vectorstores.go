package assistantstest

import (
	"encoding/json"
	"math"
	"net/http"
)

// newVectorStore validates a vector store creation object (the full request
// or the tool_resources helper form) and creates the store with its files.
// The caller holds s.mu.
func (s *Server) newVectorStore(o *object, seq int64) (*vectorStoreObj, *apiError) {
	f := o.reader()
	name := f.str("name", false)
	f.str("description", false)
	ids := f.strArray("file_ids", 500)
	for _, id := range ids {
		if s.files[id] == nil {
			f.check(errNotFound("file", id))
		}
	}
	exp := field(f, "expires_after", parseExpiresAfter)
	chunking := field(f, "chunking_strategy", parseChunking)
	md := f.metadata("metadata")
	if f.err != nil {
		return nil, f.err
	}
	now := s.now().Unix()
	vs := &vectorStoreObj{ID: newID("vs_", 24), Object: "vector_store", CreatedAt: now, Name: name,
		Status: "completed", ExpiresAfter: exp, LastActiveAt: i64p(now), Metadata: md,
		seq: s.nextSeq(), batches: map[string]*batchObj{}}
	if exp != nil {
		vs.ExpiresAt = i64p(now + int64(exp.Days)*86400)
	}
	for _, id := range ids {
		s.addVSFile(vs, s.files[id], chunking, json.RawMessage("null"), "", seq)
	}
	s.refreshStore(vs)
	s.stores[vs.ID] = vs
	return vs, nil
}

func parseExpiresAfter(o *object, k string) (*expiresAfter, *apiError) {
	c, e := o.child(k, "anchor", "days")
	if e != nil || c == nil {
		return nil, e
	}
	anchor, e := c.str("anchor", true)
	if e != nil {
		return nil, e
	}
	if e := enumErr(c.name("anchor"), anchor, "last_active_at"); e != nil {
		return nil, e
	}
	if !c.has("days") {
		return nil, errMissing(c.name("days"))
	}
	days, e := c.integer("days", 1, 365)
	if e != nil {
		return nil, e
	}
	return &expiresAfter{Anchor: anchor, Days: *days}, nil
}

// addVSFile adds (or returns the existing) vector store file for f.
func (s *Server) addVSFile(vs *vectorStoreObj, f *fileObj, chunking chunkingStrategy, attrs json.RawMessage, batchID string, seq int64) *vsFileObj {
	for _, vf := range vs.files {
		if vf.ID == f.ID {
			if batchID != "" && vf.batchID == "" {
				vf.batchID = batchID
			}
			return vf
		}
	}
	vf := &vsFileObj{ID: f.ID, Object: "vector_store.file", CreatedAt: s.now().Unix(), VectorStoreID: vs.ID,
		Status: "in_progress", ChunkingStrategy: chunking, Attributes: attrs, seq: s.nextSeq(),
		bornSeq: seq, bornAt: s.now(), size: f.Bytes, fileName: f.Filename, batchID: batchID}
	vs.files = append(vs.files, vf)
	return vf
}

// settleStore finishes the processing of files added before the current
// request (observation-driven mode) or at least a step delay ago
// (time-driven mode), then refreshes the store's counts. The caller holds
// s.mu.
func (s *Server) settleStore(vs *vectorStoreObj, seq int64) {
	now := s.now()
	for _, vf := range vs.files {
		if vf.Status != "in_progress" {
			continue
		}
		var due bool
		if d := s.cfg.stepDelay; d > 0 {
			due = !now.Before(vf.bornAt.Add(d)) || seq == math.MaxInt64
		} else {
			due = seq > vf.bornSeq
		}
		if !due {
			continue
		}
		if vf.size == 0 {
			vf.Status = "failed"
			vf.LastError = &lastErrorObj{Code: "invalid_file", Message: "The file is empty."}
		} else {
			vf.Status = "completed"
			vf.UsageBytes = vf.size
		}
	}
	s.refreshStore(vs)
}

func (s *Server) refreshStore(vs *vectorStoreObj) {
	vs.FileCounts = fileCounts{}
	vs.UsageBytes = 0
	for _, vf := range vs.files {
		vs.FileCounts.add(vf.Status)
		vs.UsageBytes += vf.UsageBytes
	}
	switch {
	case vs.ExpiresAt != nil && s.now().Unix() >= *vs.ExpiresAt:
		vs.Status = "expired"
	case vs.FileCounts.InProgress > 0:
		vs.Status = "in_progress"
	default:
		vs.Status = "completed"
	}
	for _, b := range vs.batches {
		s.refreshBatch(vs, b)
	}
}

func (s *Server) refreshBatch(vs *vectorStoreObj, b *batchObj) {
	b.FileCounts = fileCounts{}
	for _, id := range b.fileIDs {
		for _, vf := range vs.files {
			if vf.ID == id {
				b.FileCounts.add(vf.Status)
			}
		}
	}
	switch {
	case b.cancelled:
		b.Status = "cancelled"
	case b.FileCounts.InProgress > 0:
		b.Status = "in_progress"
	default:
		b.Status = "completed"
	}
}

// store looks up and settles the vector store of the request path. The
// caller holds s.mu.
func (s *Server) store(r *http.Request) (*vectorStoreObj, *apiError) {
	vs, e := lookup(s.stores, "vector store", r.PathValue("vector_store_id"))
	if e != nil {
		return nil, e
	}
	s.settleStore(vs, reqSeq(r.Context()))
	return vs, nil
}

// vsFile looks up the vector store file of the request path, settling its
// store. The caller holds s.mu.
func (s *Server) vsFile(r *http.Request) (*vsFileObj, *apiError) {
	vs, e := s.store(r)
	if e != nil {
		return nil, e
	}
	return find(vs.files, "vector store file", r.PathValue("file_id"))
}

// batch looks up the file batch of the request path, settling its store.
// The caller holds s.mu.
func (s *Server) batch(r *http.Request) (*vectorStoreObj, *batchObj, *apiError) {
	vs, e := s.store(r)
	if e != nil {
		return nil, nil, e
	}
	b, e := lookup(vs.batches, "vector store file batch", r.PathValue("batch_id"))
	return vs, b, e
}

func (s *Server) createVectorStore(r *http.Request, o *object) (any, *apiError) {
	return s.newVectorStore(o, reqSeq(r.Context()))
}

func (s *Server) listVectorStores(r *http.Request, _ *object) (any, *apiError) {
	p, e := parseList(r.URL.Query(), 20, 100)
	if e != nil {
		return nil, e
	}
	items := sortedBySeq(s.stores, func(vs *vectorStoreObj) int64 { return vs.seq })
	for _, vs := range items {
		s.settleStore(vs, reqSeq(r.Context()))
	}
	return renderList(items, p)
}

func (s *Server) getVectorStore(r *http.Request, _ *object) (any, *apiError) {
	return s.store(r)
}

func (s *Server) modifyVectorStore(r *http.Request, o *object) (any, *apiError) {
	vs, e := s.store(r)
	if e != nil {
		return nil, e
	}
	f := o.reader()
	name, md, exp := vs.Name, vs.Metadata, vs.ExpiresAfter
	if o.has("name") {
		name = f.str("name", false)
	}
	if o.present("metadata") {
		md = f.metadata("metadata")
	}
	if o.present("expires_after") {
		exp = field(f, "expires_after", parseExpiresAfter)
	}
	if f.err != nil {
		return nil, f.err
	}
	vs.Name, vs.Metadata, vs.ExpiresAfter = name, md, exp
	vs.LastActiveAt = i64p(s.now().Unix())
	vs.ExpiresAt = nil
	if exp != nil {
		vs.ExpiresAt = i64p(*vs.LastActiveAt + int64(exp.Days)*86400)
	}
	s.refreshStore(vs)
	return vs, nil
}

func (s *Server) deleteVectorStore(r *http.Request, _ *object) (any, *apiError) {
	return remove(s.stores, "vector store", r.PathValue("vector_store_id"), "vector_store.deleted")
}

func (s *Server) createVSFile(r *http.Request, o *object) (any, *apiError) {
	vs, e := s.store(r)
	if e != nil {
		return nil, e
	}
	f := o.reader()
	fid := f.str("file_id", true)
	chunking := field(f, "chunking_strategy", parseChunking)
	attrs := field(f, "attributes", parseAttributes)
	if f.err != nil {
		return nil, f.err
	}
	file, e := lookup(s.files, "file", fid)
	if e != nil {
		return nil, e
	}
	vf := s.addVSFile(vs, file, chunking, attrs, "", reqSeq(r.Context()))
	s.refreshStore(vs)
	return pollReply(vf), nil
}

func filterFiles(r *http.Request, files []*vsFileObj, keep func(*vsFileObj) bool) ([]*vsFileObj, *apiError) {
	status := r.URL.Query().Get("filter")
	if status != "" {
		if e := enumErr("filter", status, "in_progress", "completed", "failed", "cancelled"); e != nil {
			return nil, e
		}
	}
	var out []*vsFileObj
	for _, vf := range files {
		if (status == "" || vf.Status == status) && (keep == nil || keep(vf)) {
			out = append(out, vf)
		}
	}
	return out, nil
}

func (s *Server) listVSFiles(r *http.Request, _ *object) (any, *apiError) {
	p, e := parseList(r.URL.Query(), 20, 100)
	if e != nil {
		return nil, e
	}
	vs, e := s.store(r)
	if e != nil {
		return nil, e
	}
	items, e := filterFiles(r, vs.files, nil)
	if e != nil {
		return nil, e
	}
	return renderList(items, p)
}

func (s *Server) getVSFile(r *http.Request, _ *object) (any, *apiError) {
	vf, e := s.vsFile(r)
	if e != nil {
		return nil, e
	}
	return pollReply(vf), nil
}

func (s *Server) updateVSFile(r *http.Request, o *object) (any, *apiError) {
	vf, e := s.vsFile(r)
	if e != nil {
		return nil, e
	}
	if !o.present("attributes") {
		return nil, errMissing("attributes")
	}
	attrs, e := parseAttributes(o, "attributes")
	if e != nil {
		return nil, e
	}
	vf.Attributes = attrs
	return vf, nil
}

func (s *Server) deleteVSFile(r *http.Request, _ *object) (any, *apiError) {
	vs, e := s.store(r)
	if e != nil {
		return nil, e
	}
	id := r.PathValue("file_id")
	if !cut(&vs.files, id) {
		return nil, errNotFound("vector store file", id)
	}
	s.refreshStore(vs)
	return deleted(id, "vector_store.file.deleted"), nil
}

// batchEntry is one file of a file batch request.
type batchEntry struct {
	id       string
	chunking chunkingStrategy
	attrs    json.RawMessage
}

// parseBatchFiles validates the files of a file batch request: file_ids,
// with the request's chunking and attributes, or files, each with its own.
func parseBatchFiles(o *object, chunking chunkingStrategy, attrs json.RawMessage) ([]batchEntry, *apiError) {
	switch {
	case o.has("file_ids") && o.has("files"):
		return nil, errInvalid("files", "invalid_value", "Only one of 'file_ids' or 'files' may be provided.")
	case o.has("file_ids"):
		ids, e := o.strArray("file_ids", 2000)
		if e == nil && len(ids) == 0 {
			e = errInvalid("file_ids", "empty_array", "Invalid 'file_ids': empty array. Expected an array with minimum length 1.")
		}
		if e != nil {
			return nil, e
		}
		entries := make([]batchEntry, len(ids))
		for i, id := range ids {
			entries[i] = batchEntry{id, chunking, attrs}
		}
		return entries, nil
	case o.has("files"):
		items, e := o.array("files", 1, 2000)
		if e != nil {
			return nil, e
		}
		entries := make([]batchEntry, len(items))
		for i, raw := range items {
			fo, e := o.item("files", i, raw, "file_id", "chunking_strategy", "attributes")
			if e != nil {
				return nil, e
			}
			en := &entries[i]
			if en.id, e = fo.str("file_id", true); e != nil {
				return nil, e
			}
			if en.chunking, e = parseChunking(fo, "chunking_strategy"); e != nil {
				return nil, e
			}
			if en.attrs, e = parseAttributes(fo, "attributes"); e != nil {
				return nil, e
			}
		}
		return entries, nil
	}
	return nil, errMissing("file_ids")
}

func (s *Server) createBatch(r *http.Request, o *object) (any, *apiError) {
	vs, e := s.store(r)
	if e != nil {
		return nil, e
	}
	f := o.reader()
	chunking := field(f, "chunking_strategy", parseChunking)
	attrs := field(f, "attributes", parseAttributes)
	entries := read(f, func() ([]batchEntry, *apiError) { return parseBatchFiles(o, chunking, attrs) })
	for _, en := range entries {
		if s.files[en.id] == nil {
			f.check(errNotFound("file", en.id))
		}
	}
	if f.err != nil {
		return nil, f.err
	}
	b := &batchObj{ID: newID("vsfb_", 24), Object: "vector_store.files_batch", CreatedAt: s.now().Unix(),
		VectorStoreID: vs.ID, seq: s.nextSeq()}
	for _, en := range entries {
		vf := s.addVSFile(vs, s.files[en.id], en.chunking, en.attrs, b.ID, reqSeq(r.Context()))
		b.fileIDs = append(b.fileIDs, vf.ID)
	}
	vs.batches[b.ID] = b
	s.refreshStore(vs)
	return pollReply(b), nil
}

func (s *Server) getBatch(r *http.Request, _ *object) (any, *apiError) {
	_, b, e := s.batch(r)
	if e != nil {
		return nil, e
	}
	return pollReply(b), nil
}

func (s *Server) cancelBatch(r *http.Request, _ *object) (any, *apiError) {
	// The store is not settled first: that would complete the files the
	// batch could still cancel.
	vs, e := lookup(s.stores, "vector store", r.PathValue("vector_store_id"))
	if e != nil {
		return nil, e
	}
	b, e := lookup(vs.batches, "vector store file batch", r.PathValue("batch_id"))
	if e != nil {
		return nil, e
	}
	s.refreshBatch(vs, b)
	if b.Status != "in_progress" {
		return nil, errInvalid("", "", "Cannot cancel a batch with status '%s'.", b.Status)
	}
	b.cancelled = true
	for _, vf := range vs.files {
		if vf.batchID == b.ID && vf.Status == "in_progress" {
			vf.Status = "cancelled"
		}
	}
	s.refreshStore(vs)
	return b, nil
}

func (s *Server) listBatchFiles(r *http.Request, _ *object) (any, *apiError) {
	p, e := parseList(r.URL.Query(), 20, 100)
	if e != nil {
		return nil, e
	}
	vs, b, e := s.batch(r)
	if e != nil {
		return nil, e
	}
	in := map[string]bool{}
	for _, id := range b.fileIDs {
		in[id] = true
	}
	items, e := filterFiles(r, vs.files, func(vf *vsFileObj) bool { return in[vf.ID] })
	if e != nil {
		return nil, e
	}
	return renderList(items, p)
}

// documentsFor lists the files file_search may read in run: completed files
// of the vector stores of the assistant, the thread and the run, and files
// attached to the thread's messages for file_search. The caller holds s.mu.
func (s *Server) documentsFor(run *runObj) []Document {
	var storeIDs []string
	add := func(res *toolResources) {
		if res != nil && res.FileSearch != nil {
			storeIDs = append(storeIDs, res.FileSearch.VectorStoreIDs...)
		}
	}
	if a := s.assistants[run.AssistantID]; a != nil {
		add(a.ToolResources)
	}
	add(run.thread.ToolResources)
	add(run.resources)
	seen := map[string]bool{}
	var docs []Document
	addFile := func(id string) {
		f := s.files[id]
		if f == nil || seen[id] {
			return
		}
		seen[id] = true
		docs = append(docs, Document{FileID: f.ID, Filename: f.Filename, Text: extractText(f.data)})
	}
	for _, id := range storeIDs {
		vs := s.stores[id]
		if vs == nil {
			continue
		}
		s.settleStore(vs, math.MaxInt64)
		for _, vf := range vs.files {
			if vf.Status == "completed" {
				addFile(vf.ID)
			}
		}
	}
	for _, m := range run.thread.messages {
		for _, att := range m.Attachments {
			for _, t := range att.Tools {
				if t.Type == "file_search" {
					addFile(att.FileID)
				}
			}
		}
	}
	return docs
}
