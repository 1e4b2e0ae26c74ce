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
	name, e := o.str("name", false)
	if e != nil {
		return nil, e
	}
	if _, e := o.str("description", false); e != nil {
		return nil, e
	}
	ids, e := o.strArray("file_ids", 500)
	if e != nil {
		return nil, e
	}
	for _, id := range ids {
		if s.files[id] == nil {
			return nil, errNotFound("file", id)
		}
	}
	exp, e := parseExpiresAfter(o)
	if e != nil {
		return nil, e
	}
	chunking, e := parseChunking(o, "chunking_strategy")
	if e != nil {
		return nil, e
	}
	md, e := o.metadata("metadata")
	if e != nil {
		return nil, e
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

func parseExpiresAfter(o *object) (*expiresAfter, *apiError) {
	c, e := o.child("expires_after", "anchor", "days")
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

// store looks up and settles a vector store. The caller holds s.mu.
func (s *Server) store(r *http.Request) (*vectorStoreObj, *apiError) {
	id := r.PathValue("vector_store_id")
	vs := s.stores[id]
	if vs == nil {
		return nil, errNotFound("vector store", id)
	}
	s.settleStore(vs, reqSeq(r.Context()))
	return vs, nil
}

func (s *Server) createVectorStore(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, "file_ids", "name", "description", "expires_after", "chunking_strategy", "metadata")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	vs, e := s.newVectorStore(o, reqSeq(r.Context()))
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeOK(w, mustJSON(vs))
}

func (s *Server) listVectorStores(w http.ResponseWriter, r *http.Request) {
	p, e := parseList(r.URL.Query(), 20, 100)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := sortedBySeq(s.stores, func(vs *vectorStoreObj) int64 { return vs.seq })
	for _, vs := range items {
		s.settleStore(vs, reqSeq(r.Context()))
	}
	body, e := renderList(items, func(vs *vectorStoreObj) string { return vs.ID }, p, func(vs *vectorStoreObj) []byte { return mustJSON(vs) })
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeOK(w, body)
}

func (s *Server) getVectorStore(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	vs, e := s.store(r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeOK(w, mustJSON(vs))
}

func (s *Server) modifyVectorStore(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, "name", "expires_after", "metadata")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	vs, e := s.store(r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	name, md, exp := vs.Name, vs.Metadata, vs.ExpiresAfter
	if o.has("name") {
		if name, e = o.str("name", false); e != nil {
			writeAPIError(w, e)
			return
		}
	}
	if o.present("metadata") {
		if md, e = o.metadata("metadata"); e != nil {
			writeAPIError(w, e)
			return
		}
	}
	if o.present("expires_after") {
		if exp, e = parseExpiresAfter(o); e != nil {
			writeAPIError(w, e)
			return
		}
	}
	vs.Name, vs.Metadata, vs.ExpiresAfter = name, md, exp
	vs.LastActiveAt = i64p(s.now().Unix())
	vs.ExpiresAt = nil
	if exp != nil {
		vs.ExpiresAt = i64p(*vs.LastActiveAt + int64(exp.Days)*86400)
	}
	s.refreshStore(vs)
	writeOK(w, mustJSON(vs))
}

func (s *Server) deleteVectorStore(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("vector_store_id")
	if s.stores[id] == nil {
		writeAPIError(w, errNotFound("vector store", id))
		return
	}
	delete(s.stores, id)
	writeOK(w, mustJSON(deletedObj{ID: id, Object: "vector_store.deleted", Deleted: true}))
}

func (s *Server) createVSFile(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, "file_id", "chunking_strategy", "attributes")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	vs, e := s.store(r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	fid, e := o.str("file_id", true)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	chunking, e := parseChunking(o, "chunking_strategy")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	attrs, e := parseAttributes(o, "attributes")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	f := s.files[fid]
	if f == nil {
		writeAPIError(w, errNotFound("file", fid))
		return
	}
	vf := s.addVSFile(vs, f, chunking, attrs, "", reqSeq(r.Context()))
	s.refreshStore(vs)
	s.setPollAfter(w)
	writeOK(w, mustJSON(vf))
}

func (s *Server) vsFile(vs *vectorStoreObj, id string) (*vsFileObj, *apiError) {
	for _, vf := range vs.files {
		if vf.ID == id {
			return vf, nil
		}
	}
	return nil, errNotFound("vector store file", id)
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

func (s *Server) listVSFiles(w http.ResponseWriter, r *http.Request) {
	p, e := parseList(r.URL.Query(), 20, 100)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	vs, e := s.store(r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	items, e := filterFiles(r, vs.files, nil)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	body, e := renderList(items, func(vf *vsFileObj) string { return vf.ID }, p, func(vf *vsFileObj) []byte { return mustJSON(vf) })
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeOK(w, body)
}

func (s *Server) getVSFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	vs, e := s.store(r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	vf, e := s.vsFile(vs, r.PathValue("file_id"))
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.setPollAfter(w)
	writeOK(w, mustJSON(vf))
}

func (s *Server) updateVSFile(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, "attributes")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	vs, e := s.store(r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	vf, e := s.vsFile(vs, r.PathValue("file_id"))
	if e != nil {
		writeAPIError(w, e)
		return
	}
	if !o.present("attributes") {
		writeAPIError(w, errMissing("attributes"))
		return
	}
	attrs, e := parseAttributes(o, "attributes")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	vf.Attributes = attrs
	writeOK(w, mustJSON(vf))
}

func (s *Server) deleteVSFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	vs, e := s.store(r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	id := r.PathValue("file_id")
	for i, vf := range vs.files {
		if vf.ID == id {
			vs.files = append(vs.files[:i:i], vs.files[i+1:]...)
			s.refreshStore(vs)
			writeOK(w, mustJSON(deletedObj{ID: id, Object: "vector_store.file.deleted", Deleted: true}))
			return
		}
	}
	writeAPIError(w, errNotFound("vector store file", id))
}

func (s *Server) createBatch(w http.ResponseWriter, r *http.Request) {
	o, e := readObject(r, "file_ids", "files", "chunking_strategy", "attributes")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	vs, e := s.store(r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	type entry struct {
		id       string
		chunking chunkingStrategy
		attrs    json.RawMessage
	}
	var entries []entry
	chunking, e := parseChunking(o, "chunking_strategy")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	attrs, e := parseAttributes(o, "attributes")
	if e != nil {
		writeAPIError(w, e)
		return
	}
	switch {
	case o.has("file_ids") && o.has("files"):
		e = errInvalid("files", "invalid_value", "Only one of 'file_ids' or 'files' may be provided.")
	case o.has("file_ids"):
		ids, e2 := o.strArray("file_ids", 2000)
		if e2 == nil && len(ids) == 0 {
			e2 = errInvalid("file_ids", "empty_array", "Invalid 'file_ids': empty array. Expected an array with minimum length 1.")
		}
		e = e2
		for _, id := range ids {
			entries = append(entries, entry{id, chunking, attrs})
		}
	case o.has("files"):
		items, e2 := o.array("files", 1, 2000)
		e = e2
		for i, raw := range items {
			if e != nil {
				break
			}
			fo, e3 := o.item("files", i, raw, "file_id", "chunking_strategy", "attributes")
			if e3 != nil {
				e = e3
				break
			}
			var en entry
			if en.id, e = fo.str("file_id", true); e != nil {
				break
			}
			if en.chunking, e = parseChunking(fo, "chunking_strategy"); e != nil {
				break
			}
			if en.attrs, e = parseAttributes(fo, "attributes"); e != nil {
				break
			}
			entries = append(entries, en)
		}
	default:
		e = errMissing("file_ids")
	}
	for _, en := range entries {
		if e == nil && s.files[en.id] == nil {
			e = errNotFound("file", en.id)
		}
	}
	if e != nil {
		writeAPIError(w, e)
		return
	}
	b := &batchObj{ID: newID("vsfb_", 24), Object: "vector_store.files_batch", CreatedAt: s.now().Unix(),
		VectorStoreID: vs.ID, seq: s.nextSeq()}
	for _, en := range entries {
		vf := s.addVSFile(vs, s.files[en.id], en.chunking, en.attrs, b.ID, reqSeq(r.Context()))
		b.fileIDs = append(b.fileIDs, vf.ID)
	}
	vs.batches[b.ID] = b
	s.refreshStore(vs)
	s.setPollAfter(w)
	writeOK(w, mustJSON(b))
}

func (s *Server) batch(r *http.Request) (*vectorStoreObj, *batchObj, *apiError) {
	vs, e := s.store(r)
	if e != nil {
		return nil, nil, e
	}
	id := r.PathValue("batch_id")
	b := vs.batches[id]
	if b == nil {
		return nil, nil, errNotFound("vector store file batch", id)
	}
	return vs, b, nil
}

func (s *Server) getBatch(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, b, e := s.batch(r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.setPollAfter(w)
	writeOK(w, mustJSON(b))
}

func (s *Server) cancelBatch(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("vector_store_id")
	vs := s.stores[id]
	if vs == nil {
		writeAPIError(w, errNotFound("vector store", id))
		return
	}
	b := vs.batches[r.PathValue("batch_id")]
	if b == nil {
		writeAPIError(w, errNotFound("vector store file batch", r.PathValue("batch_id")))
		return
	}
	s.refreshBatch(vs, b)
	if b.Status != "in_progress" {
		writeAPIError(w, errInvalid("", "", "Cannot cancel a batch with status '%s'.", b.Status))
		return
	}
	b.cancelled = true
	for _, vf := range vs.files {
		if vf.batchID == b.ID && vf.Status == "in_progress" {
			vf.Status = "cancelled"
		}
	}
	s.refreshStore(vs)
	writeOK(w, mustJSON(b))
}

func (s *Server) listBatchFiles(w http.ResponseWriter, r *http.Request) {
	p, e := parseList(r.URL.Query(), 20, 100)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	vs, b, e := s.batch(r)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	in := map[string]bool{}
	for _, id := range b.fileIDs {
		in[id] = true
	}
	items, e := filterFiles(r, vs.files, func(vf *vsFileObj) bool { return in[vf.ID] })
	if e != nil {
		writeAPIError(w, e)
		return
	}
	body, e := renderList(items, func(vf *vsFileObj) string { return vf.ID }, p, func(vf *vsFileObj) []byte { return mustJSON(vf) })
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeOK(w, body)
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
