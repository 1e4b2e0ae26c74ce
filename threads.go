package assistants

import (
	"context"
	"fmt"
	"net/http"
)

// Thread is a conversation: the messages between a user and assistants.
type Thread struct {
	rawJSON
	ID            string         `json:"id"`
	Object        string         `json:"object"`
	CreatedAt     int64          `json:"created_at"`
	ToolResources *ToolResources `json:"tool_resources,omitempty"`
	Metadata      Metadata       `json:"metadata"`
}

// UnmarshalJSON decodes a thread and keeps its JSON for Raw and Get.
func (t *Thread) UnmarshalJSON(data []byte) error {
	type plain Thread
	return decodeRaw(data, (*plain)(t), &t.rawJSON)
}

// ThreadCreateParams are the fields of a new thread; all are optional.
type ThreadCreateParams struct {
	Messages      []MessageCreateParams `json:"messages,omitempty"`
	ToolResources *ToolResources        `json:"tool_resources,omitempty"`
	Metadata      Metadata              `json:"metadata,omitempty"`
}

func (p *ThreadCreateParams) validate(field string) error {
	for i, m := range p.Messages {
		if err := m.validate(fmt.Sprintf("%s.Messages[%d]", field, i)); err != nil {
			return err
		}
	}
	return nil
}

// ThreadUpdateParams are the fields to change on a thread.
type ThreadUpdateParams struct {
	ToolResources *ToolResources `json:"tool_resources,omitempty"`
	Metadata      Metadata       `json:"metadata,omitempty"`
}

// ThreadsService is the thread endpoints (/threads and /threads/runs).
type ThreadsService struct{ client *Client }

// Create creates a thread, with initial messages if params has them.
func (s *ThreadsService) Create(ctx context.Context, params ThreadCreateParams) (*Thread, error) {
	if err := params.validate("ThreadCreateParams"); err != nil {
		return nil, err
	}
	return callJSON[Thread](ctx, s.client, http.MethodPost, "threads", nil, params)
}

// Get returns a thread.
func (s *ThreadsService) Get(ctx context.Context, threadID string) (*Thread, error) {
	path, err := pathf("threads/%s", arg("threadID", threadID))
	if err != nil {
		return nil, err
	}
	return callJSON[Thread](ctx, s.client, http.MethodGet, path, nil, nil)
}

// Update changes a thread's tool resources or metadata.
func (s *ThreadsService) Update(ctx context.Context, threadID string, params ThreadUpdateParams) (*Thread, error) {
	path, err := pathf("threads/%s", arg("threadID", threadID))
	if err != nil {
		return nil, err
	}
	if err := params.ToolResources.validateIDsOnly("ThreadUpdateParams.ToolResources"); err != nil {
		return nil, err
	}
	return callJSON[Thread](ctx, s.client, http.MethodPost, path, nil, params)
}

// Delete deletes a thread.
func (s *ThreadsService) Delete(ctx context.Context, threadID string) (*Deleted, error) {
	path, err := pathf("threads/%s", arg("threadID", threadID))
	if err != nil {
		return nil, err
	}
	return callJSON[Deleted](ctx, s.client, http.MethodDelete, path, nil, nil)
}

// CreateAndRun creates a thread and starts a run on it in one call. The run
// comes back queued; see CreateAndRunPoll and CreateAndRunStream.
func (s *ThreadsService) CreateAndRun(ctx context.Context, params CreateAndRunParams) (*Run, error) {
	run, _, err := s.client.doRun(s.newCreateAndRun(ctx, params, false))
	return run, err
}

func (s *ThreadsService) newCreateAndRun(ctx context.Context, params CreateAndRunParams, stream bool) (*request, error) {
	if params.AssistantID == "" {
		return nil, fmt.Errorf("assistants: CreateAndRunParams.AssistantID must not be empty")
	}
	if params.Thread != nil {
		if err := params.Thread.validate("CreateAndRunParams.Thread"); err != nil {
			return nil, err
		}
	}
	if err := validateTools("CreateAndRunParams.Tools", params.Tools); err != nil {
		return nil, err
	}
	if err := params.ToolResources.validateIDsOnly("CreateAndRunParams.ToolResources"); err != nil {
		return nil, err
	}
	body := createAndRunBody{CreateAndRunParams: params}
	if stream {
		body.Stream = Ptr(true)
	}
	return s.client.newRequest(ctx, http.MethodPost, "threads/runs", nil, body)
}

// CreateAndRunParams are the fields of Threads.CreateAndRun: the assistant,
// the new thread, and the same run settings as RunCreateParams.
type CreateAndRunParams struct {
	// AssistantID is the assistant to run; required.
	AssistantID string `json:"assistant_id"`
	// Thread is the thread to create; nil creates an empty one.
	Thread *ThreadCreateParams `json:"thread,omitempty"`
	// ToolResources overrides the assistant's tool resources for this thread.
	ToolResources *ToolResources `json:"tool_resources,omitempty"`
	// Model overrides the assistant's model.
	Model string `json:"model,omitempty"`
	// Instructions overrides the assistant's instructions.
	Instructions string `json:"instructions,omitempty"`
	// Tools overrides the assistant's tools.
	Tools               []Tool              `json:"tools,omitempty"`
	Metadata            Metadata            `json:"metadata,omitempty"`
	Temperature         *float64            `json:"temperature,omitempty"`
	TopP                *float64            `json:"top_p,omitempty"`
	MaxPromptTokens     *int                `json:"max_prompt_tokens,omitempty"`
	MaxCompletionTokens *int                `json:"max_completion_tokens,omitempty"`
	TruncationStrategy  *TruncationStrategy `json:"truncation_strategy,omitempty"`
	ToolChoice          *ToolChoice         `json:"tool_choice,omitempty"`
	ParallelToolCalls   *bool               `json:"parallel_tool_calls,omitempty"`
	ResponseFormat      *ResponseFormat     `json:"response_format,omitempty"`
}

type createAndRunBody struct {
	CreateAndRunParams
	Stream *bool `json:"stream,omitempty"`
}
