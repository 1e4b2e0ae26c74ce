package assistants

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"net/url"
)

// StepType names a kind of run step.
type StepType string

// The step types.
const (
	StepTypeMessageCreation StepType = "message_creation"
	StepTypeToolCalls       StepType = "tool_calls"
)

// StepStatus is the state of a run step.
type StepStatus string

// The step statuses.
const (
	StepStatusInProgress StepStatus = "in_progress"
	StepStatusCancelled  StepStatus = "cancelled"
	StepStatusFailed     StepStatus = "failed"
	StepStatusCompleted  StepStatus = "completed"
	StepStatusExpired    StepStatus = "expired"
)

// RunStep is one step of a run: a message it wrote or tools it called.
type RunStep struct {
	rawJSON
	ID          string      `json:"id"`
	Object      string      `json:"object"`
	CreatedAt   int64       `json:"created_at"`
	AssistantID string      `json:"assistant_id"`
	ThreadID    string      `json:"thread_id"`
	RunID       string      `json:"run_id"`
	Type        StepType    `json:"type"`
	Status      StepStatus  `json:"status"`
	StepDetails StepDetails `json:"step_details"`
	LastError   *RunError   `json:"last_error,omitempty"`
	ExpiredAt   int64       `json:"expired_at,omitempty"`
	CancelledAt int64       `json:"cancelled_at,omitempty"`
	FailedAt    int64       `json:"failed_at,omitempty"`
	CompletedAt int64       `json:"completed_at,omitempty"`
	Metadata    Metadata    `json:"metadata"`
	Usage       *Usage      `json:"usage,omitempty"`
}

// UnmarshalJSON decodes a run step and keeps its JSON for Raw and Get.
func (s *RunStep) UnmarshalJSON(data []byte) error {
	type plain RunStep
	return decodeRaw(data, (*plain)(s), &s.rawJSON)
}

// StepDetails is what a step did: Type "message_creation" with
// MessageCreation set, or "tool_calls" with ToolCalls.
type StepDetails struct {
	Type            StepType         `json:"type"`
	MessageCreation *MessageCreation `json:"message_creation,omitempty"`
	ToolCalls       []ToolCall       `json:"tool_calls,omitempty"`
}

// MessageCreation names the message a step wrote.
type MessageCreation struct {
	MessageID string `json:"message_id"`
}

// ToolCall is one tool call of a step. Type says which of CodeInterpreter,
// FileSearch and Function is set. In stream deltas, Index orders the calls.
type ToolCall struct {
	// Index is the call's position in its step; set in deltas only.
	Index           *int                 `json:"index,omitempty"`
	ID              string               `json:"id,omitempty"`
	Type            ToolType             `json:"type"`
	CodeInterpreter *CodeInterpreterCall `json:"code_interpreter,omitempty"`
	FileSearch      *FileSearchCall      `json:"file_search,omitempty"`
	Function        *FunctionToolCall    `json:"function,omitempty"`
}

// CodeInterpreterCall is the code code_interpreter ran and what it produced.
type CodeInterpreterCall struct {
	Input   string       `json:"input"`
	Outputs []CodeOutput `json:"outputs"`
}

// CodeOutput is one output of code_interpreter: Type "logs" with Logs, or
// "image" with Image. In stream deltas, Index orders the outputs.
type CodeOutput struct {
	Index *int       `json:"index,omitempty"`
	Type  string     `json:"type"`
	Logs  string     `json:"logs,omitempty"`
	Image *CodeImage `json:"image,omitempty"`
}

// CodeImage is an image file code_interpreter produced.
type CodeImage struct {
	FileID string `json:"file_id"`
}

// FileSearchCall is a file_search call: its ranking options and, when asked
// for with include, its results.
type FileSearchCall struct {
	RankingOptions *RankingOptions    `json:"ranking_options,omitempty"`
	Results        []FileSearchResult `json:"results,omitempty"`
}

// FileSearchResult is one passage file_search found.
type FileSearchResult struct {
	FileID   string  `json:"file_id"`
	FileName string  `json:"file_name"`
	Score    float64 `json:"score"`
	// Content holds the passage's text when it was asked for with include.
	Content []FileSearchContent `json:"content,omitempty"`
}

// FileSearchContent is a piece of a file search result's text.
type FileSearchContent struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// FunctionToolCall is a function call of a step, with its output once submitted.
type FunctionToolCall struct {
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
	// Output is the submitted output; empty until then.
	Output string `json:"output,omitempty"`
}

// StepGetParams are the options of Steps.Get.
type StepGetParams struct {
	// Include asks for extra fields, such as
	// "step_details.tool_calls[*].file_search.results[*].content".
	Include []string
}

// StepListParams are the parameters of Steps.List.
type StepListParams struct {
	ListParams
	// Include asks for extra fields, as in StepGetParams.
	Include []string
}

// StepsService is the run step endpoints (/threads/{thread_id}/runs/{run_id}/steps).
type StepsService struct{ client *Client }

// Get returns one step of a run.
func (s *StepsService) Get(ctx context.Context, threadID, runID, stepID string, params StepGetParams) (*RunStep, error) {
	path, err := pathf("threads/%s/runs/%s/steps/%s", arg("threadID", threadID), arg("runID", runID), arg("stepID", stepID))
	if err != nil {
		return nil, err
	}
	var q url.Values
	if len(params.Include) > 0 {
		q = url.Values{"include[]": params.Include}
	}
	return callJSON[RunStep](ctx, s.client, http.MethodGet, path, q, nil)
}

// List returns one page of a run's steps.
func (s *StepsService) List(ctx context.Context, threadID, runID string, params StepListParams) (*Page[RunStep], error) {
	path, err := pathf("threads/%s/runs/%s/steps", arg("threadID", threadID), arg("runID", runID))
	if err != nil {
		return nil, err
	}
	q, err := params.values()
	if err != nil {
		return nil, err
	}
	if len(params.Include) > 0 {
		q["include[]"] = params.Include
	}
	return callJSON[Page[RunStep]](ctx, s.client, http.MethodGet, path, q, nil)
}

// ListAll iterates over every step of a run from params on.
func (s *StepsService) ListAll(ctx context.Context, threadID, runID string, params StepListParams) iter.Seq2[*RunStep, error] {
	if threadID == "" || runID == "" {
		return errSeq[RunStep](errors.New("assistants: threadID and runID must not be empty"))
	}
	return listAll(ctx, params.ListParams, func(ctx context.Context, lp ListParams) (*Page[RunStep], error) {
		return s.List(ctx, threadID, runID, StepListParams{ListParams: lp, Include: params.Include})
	}, func(s *RunStep) string { return s.ID })
}
