package assistants

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
)

// RunStatus is the state of a run.
type RunStatus string

// The run statuses.
const (
	RunStatusQueued         RunStatus = "queued"
	RunStatusInProgress     RunStatus = "in_progress"
	RunStatusRequiresAction RunStatus = "requires_action"
	RunStatusCancelling     RunStatus = "cancelling"
	RunStatusCancelled      RunStatus = "cancelled"
	RunStatusFailed         RunStatus = "failed"
	RunStatusCompleted      RunStatus = "completed"
	RunStatusIncomplete     RunStatus = "incomplete"
	RunStatusExpired        RunStatus = "expired"
)

// Terminal reports whether a run in this status has stopped moving on its
// own: it has ended, or it waits for tool outputs (requires_action).
func (s RunStatus) Terminal() bool {
	switch s {
	case RunStatusRequiresAction, RunStatusCancelled, RunStatusFailed,
		RunStatusCompleted, RunStatusIncomplete, RunStatusExpired:
		return true
	}
	return false
}

// Known reports whether s is one of the statuses this SDK knows.
func (s RunStatus) Known() bool {
	switch s {
	case RunStatusQueued, RunStatusInProgress, RunStatusCancelling:
		return true
	}
	return s.Terminal()
}

// Run is one execution of an assistant on a thread.
type Run struct {
	rawJSON
	ID                  string              `json:"id"`
	Object              string              `json:"object"`
	CreatedAt           int64               `json:"created_at"`
	ThreadID            string              `json:"thread_id"`
	AssistantID         string              `json:"assistant_id"`
	Status              RunStatus           `json:"status"`
	RequiredAction      *RequiredAction     `json:"required_action,omitempty"`
	LastError           *RunError           `json:"last_error,omitempty"`
	ExpiresAt           int64               `json:"expires_at,omitempty"`
	StartedAt           int64               `json:"started_at,omitempty"`
	CancelledAt         int64               `json:"cancelled_at,omitempty"`
	FailedAt            int64               `json:"failed_at,omitempty"`
	CompletedAt         int64               `json:"completed_at,omitempty"`
	IncompleteDetails   *IncompleteDetails  `json:"incomplete_details,omitempty"`
	Model               string              `json:"model"`
	Instructions        string              `json:"instructions"`
	Tools               []Tool              `json:"tools"`
	Metadata            Metadata            `json:"metadata"`
	Usage               *Usage              `json:"usage,omitempty"`
	Temperature         *float64            `json:"temperature,omitempty"`
	TopP                *float64            `json:"top_p,omitempty"`
	MaxPromptTokens     *int                `json:"max_prompt_tokens,omitempty"`
	MaxCompletionTokens *int                `json:"max_completion_tokens,omitempty"`
	TruncationStrategy  *TruncationStrategy `json:"truncation_strategy,omitempty"`
	ToolChoice          *ToolChoice         `json:"tool_choice,omitempty"`
	ParallelToolCalls   bool                `json:"parallel_tool_calls"`
	ResponseFormat      *ResponseFormat     `json:"response_format,omitempty"`
}

// UnmarshalJSON decodes a run and keeps its JSON for Raw and Get.
func (r *Run) UnmarshalJSON(data []byte) error {
	type plain Run
	return decodeRaw(data, (*plain)(r), &r.rawJSON)
}

// RequiredAction is what a run in requires_action waits for: outputs for
// every tool call in SubmitToolOutputs.ToolCalls, sent in one submission.
type RequiredAction struct {
	Type              string            `json:"type"`
	SubmitToolOutputs SubmitToolOutputs `json:"submit_tool_outputs"`
}

// SubmitToolOutputs lists the function calls waiting for outputs.
type SubmitToolOutputs struct {
	ToolCalls []RequiredToolCall `json:"tool_calls"`
}

// RequiredToolCall is a function call the model made that needs an output.
type RequiredToolCall struct {
	// ID is the call's id; answer it with ToolOutput{ToolCallID: ID}.
	ID string `json:"id"`
	// Type is always "function".
	Type     string       `json:"type"`
	Function FunctionCall `json:"function"`
}

// FunctionCall is the function the model called and its JSON arguments.
type FunctionCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
}

// RunError is why a run or step failed.
type RunError struct {
	// Code is "server_error", "rate_limit_exceeded" or "invalid_prompt".
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Usage counts the tokens a run or step used.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
	TotalTokens      int `json:"total_tokens"`
	// PromptTokenDetails breaks the prompt tokens down, when the server says.
	PromptTokenDetails *PromptTokenDetails `json:"prompt_token_details,omitempty"`
	// CompletionTokensDetails breaks the completion tokens down, when the server says.
	CompletionTokensDetails *CompletionTokensDetails `json:"completion_tokens_details,omitempty"`
}

// PromptTokenDetails counts the prompt tokens served from the prompt cache.
type PromptTokenDetails struct {
	CachedTokens int `json:"cached_tokens"`
}

// CompletionTokensDetails counts the completion tokens spent on reasoning.
type CompletionTokensDetails struct {
	ReasoningTokens int `json:"reasoning_tokens"`
}

// TruncationStrategy says how the thread is cut to fit the context window:
// Type "auto", or "last_messages" with LastMessages set.
type TruncationStrategy struct {
	Type         string `json:"type"`
	LastMessages *int   `json:"last_messages,omitempty"`
}

// ToolOutput answers one tool call of a run in requires_action.
type ToolOutput struct {
	ToolCallID string `json:"tool_call_id"`
	Output     string `json:"output"`
}

// RunCreateParams are the fields of a new run. AssistantID is required; the
// rest override the assistant's settings for this run only.
type RunCreateParams struct {
	// AssistantID is the assistant to run; required.
	AssistantID string `json:"assistant_id"`
	// Model overrides the assistant's model.
	Model string `json:"model,omitempty"`
	// ReasoningEffort is "low", "medium" or "high", for reasoning models.
	ReasoningEffort string `json:"reasoning_effort,omitempty"`
	// Instructions replaces the assistant's instructions.
	Instructions string `json:"instructions,omitempty"`
	// AdditionalInstructions is appended to the instructions.
	AdditionalInstructions string `json:"additional_instructions,omitempty"`
	// AdditionalMessages are added to the thread before the run starts.
	AdditionalMessages []MessageCreateParams `json:"additional_messages,omitempty"`
	// Tools replaces the assistant's tools.
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
	// Include asks for extra fields in the run's steps, such as
	// "step_details.tool_calls[*].file_search.results[*].content".
	Include []string `json:"-"`
}

func (p *RunCreateParams) validate() error {
	if p.AssistantID == "" {
		return errors.New("assistants: RunCreateParams.AssistantID must not be empty")
	}
	for i, m := range p.AdditionalMessages {
		if err := m.validate(fmt.Sprintf("RunCreateParams.AdditionalMessages[%d]", i)); err != nil {
			return err
		}
	}
	return validateTools("RunCreateParams.Tools", p.Tools)
}

type runCreateBody struct {
	RunCreateParams
	Stream *bool `json:"stream,omitempty"`
}

// RunUpdateParams are the fields to change on a run.
type RunUpdateParams struct {
	Metadata Metadata `json:"metadata,omitempty"`
}

// RunsService is the run endpoints (/threads/{thread_id}/runs).
type RunsService struct{ client *Client }

// Create starts a run of an assistant on a thread. The run comes back
// queued; see CreateAndPoll, CreateStream and CreateAndStream.
func (s *RunsService) Create(ctx context.Context, threadID string, params RunCreateParams) (*Run, error) {
	run, _, err := s.client.doRun(s.newCreate(ctx, threadID, params, false))
	return run, err
}

func (s *RunsService) newCreate(ctx context.Context, threadID string, params RunCreateParams, stream bool) (*request, error) {
	path, err := pathf("threads/%s/runs", arg("threadID", threadID))
	if err != nil {
		return nil, err
	}
	if err := params.validate(); err != nil {
		return nil, err
	}
	var q url.Values
	if len(params.Include) > 0 {
		q = url.Values{"include[]": params.Include}
	}
	body := runCreateBody{RunCreateParams: params}
	if stream {
		body.Stream = Ptr(true)
	}
	return s.client.newRequest(ctx, http.MethodPost, path, q, body)
}

// Get returns a run.
func (s *RunsService) Get(ctx context.Context, threadID, runID string) (*Run, error) {
	path, err := pathf("threads/%s/runs/%s", arg("threadID", threadID), arg("runID", runID))
	if err != nil {
		return nil, err
	}
	return callJSON[Run](ctx, s.client, http.MethodGet, path, nil, nil)
}

// Update changes a run's metadata.
func (s *RunsService) Update(ctx context.Context, threadID, runID string, params RunUpdateParams) (*Run, error) {
	path, err := pathf("threads/%s/runs/%s", arg("threadID", threadID), arg("runID", runID))
	if err != nil {
		return nil, err
	}
	return callJSON[Run](ctx, s.client, http.MethodPost, path, nil, params)
}

// List returns one page of a thread's runs.
func (s *RunsService) List(ctx context.Context, threadID string, params ListParams) (*Page[Run], error) {
	path, err := pathf("threads/%s/runs", arg("threadID", threadID))
	if err != nil {
		return nil, err
	}
	q, err := params.values()
	if err != nil {
		return nil, err
	}
	return callJSON[Page[Run]](ctx, s.client, http.MethodGet, path, q, nil)
}

// ListAll iterates over every run of a thread from params on.
func (s *RunsService) ListAll(ctx context.Context, threadID string, params ListParams) iter.Seq2[*Run, error] {
	if threadID == "" {
		return errSeq[Run](errors.New("assistants: threadID must not be empty"))
	}
	return listAll(ctx, params, func(ctx context.Context, lp ListParams) (*Page[Run], error) {
		return s.List(ctx, threadID, lp)
	}, func(r *Run) string { return r.ID })
}

// Cancel asks the server to cancel a run; it comes back cancelling.
func (s *RunsService) Cancel(ctx context.Context, threadID, runID string) (*Run, error) {
	path, err := pathf("threads/%s/runs/%s/cancel", arg("threadID", threadID), arg("runID", runID))
	if err != nil {
		return nil, err
	}
	return callJSON[Run](ctx, s.client, http.MethodPost, path, nil, nil)
}

// SubmitToolOutputs answers the tool calls of a run in requires_action. All
// outputs of one required action must be sent together.
func (s *RunsService) SubmitToolOutputs(ctx context.Context, threadID, runID string, outputs []ToolOutput) (*Run, error) {
	run, _, err := s.client.doRun(s.newSubmit(ctx, threadID, runID, outputs, false))
	return run, err
}

type submitBody struct {
	ToolOutputs []ToolOutput `json:"tool_outputs"`
	Stream      *bool        `json:"stream,omitempty"`
}

func (s *RunsService) newSubmit(ctx context.Context, threadID, runID string, outputs []ToolOutput, stream bool) (*request, error) {
	path, err := pathf("threads/%s/runs/%s/submit_tool_outputs", arg("threadID", threadID), arg("runID", runID))
	if err != nil {
		return nil, err
	}
	if len(outputs) == 0 {
		return nil, errors.New("assistants: tool outputs must not be empty")
	}
	for i, o := range outputs {
		if o.ToolCallID == "" {
			return nil, fmt.Errorf("assistants: outputs[%d].ToolCallID must not be empty", i)
		}
	}
	body := submitBody{ToolOutputs: outputs}
	if stream {
		body.Stream = Ptr(true)
	}
	return s.client.newRequest(ctx, http.MethodPost, path, nil, body)
}
