package assistantstest_test

import (
	"bytes"
	"mime/multipart"
	"strings"
	"testing"
	"time"

	"github.com/assistants-go/assistants/assistantstest"
)

func TestFiles(t *testing.T) {
	a := newAPI(t)
	data := []byte("The mitochondria is the powerhouse of the cell.\n")
	f := a.upload("bio.txt", "assistants", data)
	checkID(t, "file", str(f, "id"))
	if f["object"] != "file" || num(f, "bytes") != float64(len(data)) || f["filename"] != "bio.txt" ||
		f["purpose"] != "assistants" || f["status"] != "processed" || num(f, "created_at") == 0 {
		t.Errorf("file: %v", f)
	}
	id := str(f, "id")
	if g := a.ok("GET", "/files/"+id, nil); g["filename"] != "bio.txt" {
		t.Errorf("get: %v", g)
	}
	r := a.request("GET", "/files/"+id+"/content", nil)
	if r.status != 200 || !bytes.Equal(r.body, data) {
		t.Errorf("content: %d %q", r.status, r.body)
	}
	a.upload("batch.jsonl", "batch", []byte("{}\n"))
	if l := a.ok("GET", "/files?purpose=assistants", nil); len(list(l, "data")) != 1 {
		t.Errorf("purpose filter: %v", l)
	}
	if l := a.ok("GET", "/files?order=asc", nil); len(list(l, "data")) != 2 || str(l, "first_id") != id {
		t.Errorf("list: %v", l)
	}
	if d := a.ok("DELETE", "/files/"+id, nil); d["object"] != "file" || d["deleted"] != true {
		t.Errorf("delete: %v", d)
	}
	a.fail(404, "GET", "/files/"+id+"/content", nil)

	// Upload errors.
	upload := func(fields map[string]string, withFile bool) map[string]any {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, v := range fields {
			_ = mw.WriteField(k, v)
		}
		if withFile {
			fw, _ := mw.CreateFormFile("file", "x.txt")
			_, _ = fw.Write([]byte("x"))
		}
		_ = mw.Close()
		return a.fail(400, "POST", "/files", buf.Bytes(), "Content-Type", mw.FormDataContentType())
	}
	if e := upload(map[string]string{"purpose": "assistants"}, false); str(e, "param") != "file" {
		t.Errorf("missing file: %v", e)
	}
	if e := upload(nil, true); str(e, "param") != "purpose" {
		t.Errorf("missing purpose: %v", e)
	}
	if e := upload(map[string]string{"purpose": "nope"}, true); str(e, "param") != "purpose" || str(e, "code") != "invalid_value" {
		t.Errorf("bad purpose: %v", e)
	}
	if e := upload(map[string]string{"purpose": "assistants", "color": "red"}, true); str(e, "param") != "color" {
		t.Errorf("unknown field: %v", e)
	}
	a.fail(400, "POST", "/files", map[string]any{"purpose": "assistants"})
}

func TestVectorStoreFiles(t *testing.T) {
	a := newAPI(t)
	f1 := str(a.upload("a.txt", "assistants", []byte("alpha")), "id")
	f2 := str(a.upload("b.txt", "assistants", []byte("beta beta")), "id")
	empty := str(a.upload("empty.txt", "assistants", nil), "id")

	vs := a.ok("POST", "/vector_stores", map[string]any{"name": "docs", "file_ids": []string{f1},
		"expires_after": map[string]any{"anchor": "last_active_at", "days": 7}, "metadata": map[string]string{"k": "v"}})
	checkID(t, "vs", str(vs, "id"))
	if err := hasKey(vs, "id", "object", "created_at", "name", "usage_bytes", "file_counts", "status", "expires_after",
		"expires_at", "last_active_at", "metadata"); err != nil {
		t.Fatal(err)
	}
	if vs["object"] != "vector_store" || vs["status"] != "in_progress" || num(vs, "file_counts", "in_progress") != 1 ||
		num(vs, "file_counts", "total") != 1 || num(vs, "expires_at") != num(vs, "last_active_at")+7*86400 {
		t.Errorf("new store: %v", vs)
	}
	vid := str(vs, "id")
	// A later GET sees the file processed.
	vs = a.ok("GET", "/vector_stores/"+vid, nil)
	if vs["status"] != "completed" || num(vs, "file_counts", "completed") != 1 || num(vs, "usage_bytes") != 5 {
		t.Errorf("settled store: %v", vs)
	}

	vf := a.ok("POST", "/vector_stores/"+vid+"/files", map[string]any{"file_id": f2, "attributes": map[string]any{"lang": "en", "n": 1}})
	if vf["object"] != "vector_store.file" || vf["id"] != f2 || vf["status"] != "in_progress" || str(vf, "vector_store_id") != vid ||
		str(vf, "chunking_strategy", "type") != "static" || num(vf, "chunking_strategy", "static", "max_chunk_size_tokens") != 800 ||
		str(vf, "attributes", "lang") != "en" || vf["last_error"] != nil {
		t.Errorf("vector store file: %v", vf)
	}
	if l := a.ok("GET", "/vector_stores/"+vid+"/files?filter=in_progress", nil); len(list(l, "data")) != 0 {
		t.Errorf("the listing settles files first: %v", l)
	}
	if g := a.ok("GET", "/vector_stores/"+vid+"/files/"+f2, nil); g["status"] != "completed" || num(g, "usage_bytes") != 9 {
		t.Errorf("get vs file: %v", g)
	}
	a.ok("POST", "/vector_stores/"+vid+"/files", map[string]any{"file_id": empty})
	if g := a.ok("GET", "/vector_stores/"+vid+"/files/"+empty, nil); g["status"] != "failed" || str(g, "last_error", "code") != "invalid_file" {
		t.Errorf("empty file: %v", g)
	}
	vs = a.ok("GET", "/vector_stores/"+vid, nil)
	if num(vs, "file_counts", "completed") != 2 || num(vs, "file_counts", "failed") != 1 || num(vs, "file_counts", "total") != 3 {
		t.Errorf("counts: %v", vs["file_counts"])
	}
	if l := a.ok("GET", "/vector_stores/"+vid+"/files?filter=completed&order=asc", nil); len(list(l, "data")) != 2 || str(l, "first_id") != f1 {
		t.Errorf("filter completed: %v", l)
	}
	a.fail(400, "GET", "/vector_stores/"+vid+"/files?filter=bogus", nil)
	up := a.ok("POST", "/vector_stores/"+vid+"/files/"+f1, map[string]any{"attributes": map[string]any{"x": true}})
	if get(up, "attributes", "x") != true {
		t.Errorf("update attributes: %v", up)
	}
	content := a.ok("GET", "/vector_stores/"+vid+"/files/"+f1+"/content", nil)
	if str(content, "data", 0, "text") != "alpha" {
		t.Errorf("content: %v", content)
	}
	if d := a.ok("DELETE", "/vector_stores/"+vid+"/files/"+f1, nil); d["object"] != "vector_store.file.deleted" {
		t.Errorf("delete vs file: %v", d)
	}
	a.fail(404, "GET", "/vector_stores/"+vid+"/files/"+f1, nil)
	a.ok("GET", "/files/"+f1, nil) // the file itself stays

	mod := a.ok("POST", "/vector_stores/"+vid, map[string]any{"name": "renamed", "expires_after": nil})
	if mod["name"] != "renamed" || mod["expires_at"] != nil {
		t.Errorf("modify: %v", mod)
	}
	if l := a.ok("GET", "/vector_stores", nil); len(list(l, "data")) != 1 {
		t.Errorf("list stores: %v", l)
	}
	if d := a.ok("DELETE", "/vector_stores/"+vid, nil); d["object"] != "vector_store.deleted" || d["deleted"] != true {
		t.Errorf("delete store: %v", d)
	}
	a.fail(404, "GET", "/vector_stores/"+vid, nil)
	a.fail(404, "POST", "/vector_stores", map[string]any{"file_ids": []string{"file-missing"}})
}

func TestFileBatches(t *testing.T) {
	a := newAPI(t)
	var ids []string
	for _, n := range []string{"a", "b", "c"} {
		ids = append(ids, str(a.upload(n+".txt", "assistants", []byte("text "+n)), "id"))
	}
	vid := str(a.ok("POST", "/vector_stores", map[string]any{"name": "batch"}), "id")
	b := a.ok("POST", "/vector_stores/"+vid+"/file_batches", map[string]any{"file_ids": ids[:2]})
	checkID(t, "vsfb", str(b, "id"))
	if b["object"] != "vector_store.files_batch" || b["status"] != "in_progress" || num(b, "file_counts", "in_progress") != 2 ||
		num(b, "file_counts", "total") != 2 || str(b, "vector_store_id") != vid {
		t.Errorf("batch: %v", b)
	}
	bid := str(b, "id")
	b = a.ok("GET", "/vector_stores/"+vid+"/file_batches/"+bid, nil)
	if b["status"] != "completed" || num(b, "file_counts", "completed") != 2 || num(b, "file_counts", "in_progress") != 0 {
		t.Errorf("settled batch: %v", b)
	}
	files := a.ok("GET", "/vector_stores/"+vid+"/file_batches/"+bid+"/files?order=asc", nil)
	if len(list(files, "data")) != 2 || str(files, "first_id") != ids[0] {
		t.Errorf("batch files: %v", files)
	}
	a.fail(400, "POST", "/vector_stores/"+vid+"/file_batches/"+bid+"/cancel", nil)

	// The "files" form, then a cancel before processing.
	b2 := a.ok("POST", "/vector_stores/"+vid+"/file_batches", map[string]any{"files": []any{
		map[string]any{"file_id": ids[2], "attributes": map[string]any{"k": "v"}}}})
	c := a.ok("POST", "/vector_stores/"+vid+"/file_batches/"+str(b2, "id")+"/cancel", nil)
	if c["status"] != "cancelled" || num(c, "file_counts", "cancelled") != 1 {
		t.Errorf("cancelled batch: %v", c)
	}
	if l := a.ok("GET", "/vector_stores/"+vid+"/file_batches/"+str(b2, "id")+"/files?filter=cancelled", nil); len(list(l, "data")) != 1 {
		t.Errorf("cancelled files: %v", l)
	}
	vs := a.ok("GET", "/vector_stores/"+vid, nil)
	if num(vs, "file_counts", "completed") != 2 || num(vs, "file_counts", "cancelled") != 1 {
		t.Errorf("store counts: %v", vs["file_counts"])
	}
	a.fail(400, "POST", "/vector_stores/"+vid+"/file_batches", map[string]any{})
	a.fail(400, "POST", "/vector_stores/"+vid+"/file_batches", map[string]any{"file_ids": []string{}})
	a.fail(404, "POST", "/vector_stores/"+vid+"/file_batches", map[string]any{"file_ids": []string{"file-nope"}})
	a.fail(404, "GET", "/vector_stores/"+vid+"/file_batches/vsfb_nope", nil)
}

func TestTimeDrivenFileProcessing(t *testing.T) {
	clk := newClock()
	a := newAPI(t, assistantstest.WithClock(clk.now), assistantstest.WithStepDelay(time.Second))
	f := str(a.upload("a.txt", "assistants", []byte("alpha")), "id")
	vid := str(a.ok("POST", "/vector_stores", map[string]any{"file_ids": []string{f}}), "id")
	if vs := a.ok("GET", "/vector_stores/"+vid, nil); vs["status"] != "in_progress" {
		t.Errorf("before the delay: %v", vs)
	}
	clk.add(time.Second)
	if vs := a.ok("GET", "/vector_stores/"+vid, nil); vs["status"] != "completed" {
		t.Errorf("after the delay: %v", vs)
	}
}

const photosynthesis = `Plants and energy

Photosynthesis converts light energy into chemical energy stored in glucose. It takes place in the chloroplasts of plant cells.

Respiration

Cellular respiration releases the energy stored in glucose. It happens in the mitochondria.`

func TestFileSearchWithCitations(t *testing.T) {
	a := newAPI(t)
	fid := str(a.upload("biology.txt", "assistants", []byte(photosynthesis)), "id")
	vid := str(a.ok("POST", "/vector_stores", map[string]any{"name": "bio", "file_ids": []string{fid}}), "id")
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "tools": []any{map[string]any{"type": "file_search"}},
		"tool_resources": map[string]any{"file_search": map[string]any{"vector_store_ids": []string{vid}}}})
	if got := list(as, "tool_resources", "file_search", "vector_store_ids"); len(got) != 1 || got[0] != vid {
		t.Fatalf("tool_resources: %v", as["tool_resources"])
	}
	run := a.ok("POST", "/threads/runs", map[string]any{"assistant_id": str(as, "id"), "thread": map[string]any{"messages": []any{
		map[string]any{"role": "user", "content": "Where does photosynthesis take place according to the document?"}}}})
	tid, rid := str(run, "thread_id"), str(run, "id")
	a.poll(tid, rid, "completed")

	msg := get(a.ok("GET", "/threads/"+tid+"/messages?limit=1", nil), "data", 0)
	text := str(msg, "content", 0, "text", "value")
	anns := list(msg, "content", 0, "text", "annotations")
	if len(anns) == 0 || !strings.Contains(text, "chloroplasts") {
		t.Fatalf("answer %q annotations %v", text, anns)
	}
	ann := anns[0]
	runes := []rune(text)
	start, end := int(num(ann, "start_index")), int(num(ann, "end_index"))
	if str(ann, "type") != "file_citation" || str(ann, "file_citation", "file_id") != fid ||
		string(runes[start:end]) != str(ann, "text") || !strings.HasPrefix(str(ann, "text"), "【") {
		t.Errorf("annotation %v in %q", ann, text)
	}

	steps := a.ok("GET", "/threads/"+tid+"/runs/"+rid+"/steps?order=asc", nil)
	fs := get(steps, "data", 0, "step_details", "tool_calls", 0)
	if str(fs, "type") != "file_search" || str(fs, "file_search", "results", 0, "file_id") != fid ||
		str(fs, "file_search", "ranking_options", "ranker") != "default_2024_08_21" || num(fs, "file_search", "results", 0, "score") <= 0 {
		t.Fatalf("file_search step: %v", fs)
	}
	if get(fs, "file_search", "results", 0, "content") != nil {
		t.Errorf("content without include[]: %v", fs)
	}
	sid := str(steps, "data", 0, "id")
	withContent := a.ok("GET", "/threads/"+tid+"/runs/"+rid+"/steps/"+sid+"?include[]=step_details.tool_calls[*].file_search.results[*].content", nil)
	if !strings.Contains(str(withContent, "step_details", "tool_calls", 0, "file_search", "results", 0, "content", 0, "text"), "chloroplasts") {
		t.Errorf("include content: %v", withContent)
	}

	// Streaming the same question carries the annotation in a delta.
	evs, _, _ := a.stream("/threads/runs", map[string]any{"assistant_id": str(as, "id"), "stream": true, "thread": map[string]any{
		"messages": []any{map[string]any{"role": "user", "content": "What does the file say about photosynthesis?"}}}})
	found := false
	for _, e := range evs {
		if e.name == "thread.message.delta" && str(e.obj(), "delta", "content", 0, "text", "annotations", 0, "type") == "file_citation" {
			found = true
		}
	}
	if !found {
		t.Errorf("no annotation delta in %v", names(evs))
	}
}

func TestAttachmentFileSearch(t *testing.T) {
	a := newAPI(t)
	fid := str(a.upload("notes.txt", "assistants", []byte(photosynthesis)), "id")
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "tools": []any{map[string]any{"type": "file_search"}}})
	tid := str(a.ok("POST", "/threads", map[string]any{"messages": []any{map[string]any{"role": "user",
		"content": "What happens in the mitochondria?", "attachments": []any{map[string]any{"file_id": fid,
			"tools": []any{map[string]any{"type": "file_search"}}}}}}}), "id")
	rid := str(a.ok("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": str(as, "id")}), "id")
	a.poll(tid, rid, "completed")
	msg := get(a.ok("GET", "/threads/"+tid+"/messages?limit=1", nil), "data", 0)
	if !strings.Contains(str(msg, "content", 0, "text", "value"), "respiration") ||
		str(msg, "content", 0, "text", "annotations", 0, "file_citation", "file_id") != fid {
		t.Errorf("attachment search: %v", msg)
	}
}

func TestVectorStorePollAfterHeader(t *testing.T) {
	a := newAPI(t, assistantstest.WithPollAfter(40*time.Millisecond))
	fid := str(a.upload("notes.txt", "assistants", []byte("some notes")), "id")
	vid := str(a.ok("POST", "/vector_stores", map[string]any{"name": "notes"}), "id")
	for _, r := range []*response{
		a.request("POST", "/vector_stores/"+vid+"/files", map[string]any{"file_id": fid}),
		a.request("GET", "/vector_stores/"+vid+"/files/"+fid, nil),
	} {
		if h := r.header.Get("openai-poll-after-ms"); h != "40" {
			t.Errorf("vector store file response: openai-poll-after-ms = %q, want 40", h)
		}
	}
	b := a.request("POST", "/vector_stores/"+vid+"/file_batches", map[string]any{"file_ids": []string{fid}})
	if h := b.header.Get("openai-poll-after-ms"); h != "40" {
		t.Errorf("batch create: openai-poll-after-ms = %q", h)
	}
	g := a.request("GET", "/vector_stores/"+vid+"/file_batches/"+str(b.obj(), "id"), nil)
	if h := g.header.Get("openai-poll-after-ms"); h != "40" {
		t.Errorf("batch get: openai-poll-after-ms = %q", h)
	}
}
