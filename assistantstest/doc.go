// Package assistantstest provides an in-memory Assistants API (v2) server
// for tests and offline examples, in the spirit of net/http/httptest.
//
// The server speaks the real wire protocol under a base URL ending in
// "/v1": assistants, threads, messages, runs (polling and server-sent-event
// streaming), run steps, files (multipart upload, content download), vector
// stores, vector store files (with their parsed content), file batches and
// vector store search. Objects carry the full field
// set of the API's object schemas, lists paginate with limit/order/after/
// before, and errors have the API's shape ({"error":{"message","type",
// "param","code"}}) and status codes (400, 401, 404 …). A repeated POST with
// the same Idempotency-Key gets the first response again.
//
// What the assistant does in a run is decided by a Model. DefaultModel is
// deterministic and makes the classic examples work: it solves "3x + 11 =
// 14", calls weather functions in parallel, runs Fibonacci code in the code
// interpreter and answers from uploaded files with citations. NewScript
// plays back fixed replies; ModelFunc adapts any function.
//
// # Run progression
//
// By default runs progress when observed: a run is created "queued", and
// each GET of it advances it one state (queued → in_progress → completed, or
// → requires_action when the model calls functions). After tool outputs are
// submitted the run is "queued" again. A cancelled run is "cancelling" until
// the next GET makes it "cancelled". A run left in requires_action longer
// than the run expiry (WithRunExpiry, default 10 minutes) becomes "expired".
// WithStepDelay makes runs progress with time instead. Streams (stream:
// true) deliver every state change as it happens and end with "done".
// Every run response carries an openai-poll-after-ms header (WithPollAfter).
//
// # Vector store search
//
// POST /vector_stores/{id}/search scores the passages (paragraphs) of the
// store's completed files by the share of the query's content words each
// holds, as the file_search tool of a run does, so scores lie in (0, 1].
// It honours max_num_results, ranking_options.score_threshold, rewrite_query
// (the query becomes its lower-cased content words) and several queries at
// once (a passage scores its best). filters may be any filter of the spec:
// comparisons eq, ne, gt, gte, lt, lte, in and nin on an attribute, and
// "and"/"or" compounds of them, nested at will. A comparison with an
// attribute the file lacks, or of another type, is false for every
// operator, ne and nin included. The ranker is checked but changes nothing,
// and next_page is always null.
//
// # Faults
//
// Fault, WithFault and Server.AddFault inject error statuses (with
// retry-after headers), latency, streams cut after N events and "error"
// events; Server.Requests and Server.RequestCount show what clients sent.
//
// # Usage
//
//	srv := assistantstest.NewServer()
//	defer srv.Close()
//	c := srv.Client() // an *assistants.Client pointed at srv.URL
//	asst, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o"})
//
// Any HTTP client works too: send "Authorization: Bearer <any non-empty
// key>" to srv.URL + "/assistants" and so on.
//
// The same server runs as a standalone process with
// cmd/assistants-emulator.
package assistantstest
