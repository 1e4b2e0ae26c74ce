package assistantstest

import (
	"bytes"
	"encoding/json"
	"time"
)

// The server keeps its own wire types: they are written from the OpenAPI
// object schemas and are independent of the SDK's types.

type toolObj struct {
	Type       string          `json:"type"`
	FileSearch *fileSearchOpts `json:"file_search,omitempty"`
	Function   *functionDef    `json:"function,omitempty"`
}

type fileSearchOpts struct {
	MaxNumResults  *int        `json:"max_num_results"`
	RankingOptions rankingOpts `json:"ranking_options"`
}

type rankingOpts struct {
	ScoreThreshold float64 `json:"score_threshold"`
	Ranker         string  `json:"ranker"`
}

type functionDef struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Parameters  json.RawMessage `json:"parameters,omitempty"`
	Strict      bool            `json:"strict"`
}

type toolResources struct {
	CodeInterpreter *codeInterpreterRes `json:"code_interpreter,omitempty"`
	FileSearch      *fileSearchRes      `json:"file_search,omitempty"`
}

type codeInterpreterRes struct {
	FileIDs []string `json:"file_ids"`
}

type fileSearchRes struct {
	VectorStoreIDs []string `json:"vector_store_ids"`
}

type assistantObj struct {
	ID             string            `json:"id"`
	Object         string            `json:"object"`
	CreatedAt      int64             `json:"created_at"`
	Name           *string           `json:"name"`
	Description    *string           `json:"description"`
	Model          string            `json:"model"`
	Instructions   *string           `json:"instructions"`
	Tools          []toolObj         `json:"tools"`
	ToolResources  *toolResources    `json:"tool_resources"`
	Metadata       map[string]string `json:"metadata"`
	Temperature    *float64          `json:"temperature"`
	TopP           *float64          `json:"top_p"`
	ResponseFormat json.RawMessage   `json:"response_format"`

	seq int64
}

type threadObj struct {
	ID            string            `json:"id"`
	Object        string            `json:"object"`
	CreatedAt     int64             `json:"created_at"`
	ToolResources *toolResources    `json:"tool_resources"`
	Metadata      map[string]string `json:"metadata"`

	seq      int64
	messages []*messageObj
	runs     []*runObj
}

type textContent struct {
	Value       string       `json:"value"`
	Annotations []annotation `json:"annotations"`
}

type annotation struct {
	Type         string   `json:"type"`
	Text         string   `json:"text"`
	FileCitation *fileRef `json:"file_citation,omitempty"`
	FilePath     *fileRef `json:"file_path,omitempty"`
	StartIndex   int      `json:"start_index"`
	EndIndex     int      `json:"end_index"`
}

type fileRef struct {
	FileID string `json:"file_id"`
}

type contentPart struct {
	Type      string          `json:"type"`
	Text      *textContent    `json:"text,omitempty"`
	ImageFile json.RawMessage `json:"image_file,omitempty"`
	ImageURL  json.RawMessage `json:"image_url,omitempty"`
}

type attachment struct {
	FileID string    `json:"file_id"`
	Tools  []toolObj `json:"tools"`
}

type incompleteReason struct {
	Reason string `json:"reason"`
}

type messageObj struct {
	ID                string            `json:"id"`
	Object            string            `json:"object"`
	CreatedAt         int64             `json:"created_at"`
	ThreadID          string            `json:"thread_id"`
	Status            string            `json:"status"`
	IncompleteDetails *incompleteReason `json:"incomplete_details"`
	CompletedAt       *int64            `json:"completed_at"`
	IncompleteAt      *int64            `json:"incomplete_at"`
	Role              string            `json:"role"`
	Content           []contentPart     `json:"content"`
	AssistantID       *string           `json:"assistant_id"`
	RunID             *string           `json:"run_id"`
	Attachments       []attachment      `json:"attachments"`
	Metadata          map[string]string `json:"metadata"`

	seq int64
}

// text joins the message's text parts.
func (m *messageObj) text() string {
	var b bytes.Buffer
	for _, p := range m.Content {
		if p.Text != nil {
			if b.Len() > 0 {
				b.WriteString("\n")
			}
			b.WriteString(p.Text.Value)
		}
	}
	return b.String()
}

type usageObj struct {
	CompletionTokens int `json:"completion_tokens"`
	PromptTokens     int `json:"prompt_tokens"`
	TotalTokens      int `json:"total_tokens"`
}

type lastErrorObj struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type runToolCall struct {
	ID       string       `json:"id"`
	Type     string       `json:"type"`
	Function functionCall `json:"function"`
}

type functionCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

type requiredAction struct {
	Type              string `json:"type"`
	SubmitToolOutputs struct {
		ToolCalls []runToolCall `json:"tool_calls"`
	} `json:"submit_tool_outputs"`
}

type truncationObj struct {
	Type         string `json:"type"`
	LastMessages *int   `json:"last_messages"`
}

type runObj struct {
	ID                  string            `json:"id"`
	Object              string            `json:"object"`
	CreatedAt           int64             `json:"created_at"`
	ThreadID            string            `json:"thread_id"`
	AssistantID         string            `json:"assistant_id"`
	Status              string            `json:"status"`
	RequiredAction      *requiredAction   `json:"required_action"`
	LastError           *lastErrorObj     `json:"last_error"`
	ExpiresAt           *int64            `json:"expires_at"`
	StartedAt           *int64            `json:"started_at"`
	CancelledAt         *int64            `json:"cancelled_at"`
	FailedAt            *int64            `json:"failed_at"`
	CompletedAt         *int64            `json:"completed_at"`
	IncompleteDetails   *incompleteReason `json:"incomplete_details"`
	Model               string            `json:"model"`
	Instructions        string            `json:"instructions"`
	Tools               []toolObj         `json:"tools"`
	Metadata            map[string]string `json:"metadata"`
	Usage               *usageObj         `json:"usage"`
	Temperature         *float64          `json:"temperature"`
	TopP                *float64          `json:"top_p"`
	MaxPromptTokens     *int              `json:"max_prompt_tokens"`
	MaxCompletionTokens *int              `json:"max_completion_tokens"`
	TruncationStrategy  truncationObj     `json:"truncation_strategy"`
	ToolChoice          json.RawMessage   `json:"tool_choice"`
	ParallelToolCalls   bool              `json:"parallel_tool_calls"`
	ResponseFormat      json.RawMessage   `json:"response_format"`
	// ToolResources is not in the spec's RunObject, but the API sends it:
	// the run's own tool_resources ({} when it has none; seed 000 shows
	// 'tool_resources': {} on every run).
	ToolResources *toolResources `json:"tool_resources"`

	seq        int64
	thread     *threadObj
	steps      []*stepObj
	lastChange time.Time      // when the run last changed state (time-driven mode)
	deadline   time.Time      // requires_action expiry
	busy       bool           // a model call is under way
	streaming  bool           // a stream drives this run
	results    []ToolResult   // tool work done in this run, for the model
	searchHits []SearchResult // every file_search result of the run, for citations
	pending    *stepObj       // the tool_calls step waiting for outputs
	rounds     int            // model calls so far
	prompt     int            // prompt tokens so far
	completion int            // completion tokens so far
	resources  *toolResources
}

type stepObj struct {
	ID          string            `json:"id"`
	Object      string            `json:"object"`
	CreatedAt   int64             `json:"created_at"`
	AssistantID string            `json:"assistant_id"`
	ThreadID    string            `json:"thread_id"`
	RunID       string            `json:"run_id"`
	Type        string            `json:"type"`
	Status      string            `json:"status"`
	StepDetails stepDetails       `json:"step_details"`
	LastError   *lastErrorObj     `json:"last_error"`
	ExpiredAt   *int64            `json:"expired_at"`
	CancelledAt *int64            `json:"cancelled_at"`
	FailedAt    *int64            `json:"failed_at"`
	CompletedAt *int64            `json:"completed_at"`
	Metadata    map[string]string `json:"metadata"`
	Usage       *usageObj         `json:"usage"`

	seq int64
}

type stepDetails struct {
	Type            string           `json:"type"`
	MessageCreation *messageCreation `json:"message_creation,omitempty"`
	ToolCalls       []stepToolCall   `json:"tool_calls,omitempty"`
}

type messageCreation struct {
	MessageID string `json:"message_id"`
}

type stepToolCall struct {
	ID              string          `json:"id"`
	Type            string          `json:"type"`
	Function        *stepFunction   `json:"function,omitempty"`
	CodeInterpreter *stepCode       `json:"code_interpreter,omitempty"`
	FileSearch      *stepFileSearch `json:"file_search,omitempty"`
}

type stepFunction struct {
	Name      string  `json:"name"`
	Arguments string  `json:"arguments"`
	Output    *string `json:"output"`
}

type stepCode struct {
	Input   string       `json:"input"`
	Outputs []codeOutput `json:"outputs"`
}

type codeOutput struct {
	Type  string   `json:"type"`
	Logs  string   `json:"logs,omitempty"`
	Image *fileRef `json:"image,omitempty"`
}

type stepFileSearch struct {
	RankingOptions rankingOpts `json:"ranking_options"`
	Results        []fsResult  `json:"results"`
}

type fsResult struct {
	FileID   string      `json:"file_id"`
	FileName string      `json:"file_name"`
	Score    float64     `json:"score"`
	Content  []fsContent `json:"content,omitempty"`
}

type fsContent struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type fileObj struct {
	ID        string `json:"id"`
	Object    string `json:"object"`
	Bytes     int64  `json:"bytes"`
	CreatedAt int64  `json:"created_at"`
	ExpiresAt *int64 `json:"expires_at,omitempty"`
	Filename  string `json:"filename"`
	Purpose   string `json:"purpose"`
	Status    string `json:"status"`

	seq  int64
	data []byte
}

type fileCounts struct {
	InProgress int `json:"in_progress"`
	Completed  int `json:"completed"`
	Failed     int `json:"failed"`
	Cancelled  int `json:"cancelled"`
	Total      int `json:"total"`
}

func (c *fileCounts) add(status string) {
	c.Total++
	switch status {
	case "in_progress":
		c.InProgress++
	case "completed":
		c.Completed++
	case "failed":
		c.Failed++
	case "cancelled":
		c.Cancelled++
	}
}

type expiresAfter struct {
	Anchor string `json:"anchor"`
	Days   int    `json:"days"`
}

type vectorStoreObj struct {
	ID           string            `json:"id"`
	Object       string            `json:"object"`
	CreatedAt    int64             `json:"created_at"`
	Name         string            `json:"name"`
	UsageBytes   int64             `json:"usage_bytes"`
	FileCounts   fileCounts        `json:"file_counts"`
	Status       string            `json:"status"`
	ExpiresAfter *expiresAfter     `json:"expires_after,omitempty"`
	ExpiresAt    *int64            `json:"expires_at"`
	LastActiveAt *int64            `json:"last_active_at"`
	Metadata     map[string]string `json:"metadata"`

	seq     int64
	files   []*vsFileObj
	batches map[string]*batchObj
}

type chunkingStrategy struct {
	Type   string          `json:"type"`
	Static *staticChunking `json:"static,omitempty"`
}

type staticChunking struct {
	MaxChunkSizeTokens int `json:"max_chunk_size_tokens"`
	ChunkOverlapTokens int `json:"chunk_overlap_tokens"`
}

type vsFileObj struct {
	ID               string           `json:"id"`
	Object           string           `json:"object"`
	UsageBytes       int64            `json:"usage_bytes"`
	CreatedAt        int64            `json:"created_at"`
	VectorStoreID    string           `json:"vector_store_id"`
	Status           string           `json:"status"`
	LastError        *lastErrorObj    `json:"last_error"`
	ChunkingStrategy chunkingStrategy `json:"chunking_strategy"`
	Attributes       json.RawMessage  `json:"attributes"`

	seq      int64
	bornSeq  int64     // request sequence that created it
	bornAt   time.Time // when it was created
	size     int64
	fileName string
	batchID  string
}

type batchObj struct {
	ID            string     `json:"id"`
	Object        string     `json:"object"`
	CreatedAt     int64      `json:"created_at"`
	VectorStoreID string     `json:"vector_store_id"`
	Status        string     `json:"status"`
	FileCounts    fileCounts `json:"file_counts"`

	seq       int64
	fileIDs   []string
	cancelled bool
}

type deletedObj struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}

type listObj struct {
	Object  string            `json:"object"`
	Data    []json.RawMessage `json:"data"`
	FirstID *string           `json:"first_id"`
	LastID  *string           `json:"last_id"`
	HasMore bool              `json:"has_more"`
}

// mustJSON marshals v without HTML escaping; the wire types cannot fail.
func mustJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("assistantstest: marshal: " + err.Error())
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

func i64p(v int64) *int64     { return &v }
func f64p(v float64) *float64 { return &v }
