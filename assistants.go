package assistants

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
)

// Assistant is an assistant: a model with instructions, tools and the files
// those tools use.
type Assistant struct {
	rawJSON
	ID              string          `json:"id"`
	Object          string          `json:"object"`
	CreatedAt       int64           `json:"created_at"`
	Name            string          `json:"name"`
	Description     string          `json:"description"`
	Model           string          `json:"model"`
	Instructions    string          `json:"instructions"`
	Tools           []Tool          `json:"tools"`
	ToolResources   *ToolResources  `json:"tool_resources,omitempty"`
	Metadata        Metadata        `json:"metadata"`
	Temperature     *float64        `json:"temperature,omitempty"`
	TopP            *float64        `json:"top_p,omitempty"`
	ResponseFormat  *ResponseFormat `json:"response_format,omitempty"`
	ReasoningEffort string          `json:"reasoning_effort,omitempty"`
}

// UnmarshalJSON decodes an assistant and keeps its JSON for Raw and Get.
func (a *Assistant) UnmarshalJSON(data []byte) error {
	type plain Assistant
	return decodeRaw(data, (*plain)(a), &a.rawJSON)
}

// AssistantCreateParams are the fields of a new assistant. Model is required.
type AssistantCreateParams struct {
	Model           string          `json:"model"`
	Name            string          `json:"name,omitempty"`
	Description     string          `json:"description,omitempty"`
	Instructions    string          `json:"instructions,omitempty"`
	ReasoningEffort string          `json:"reasoning_effort,omitempty"`
	Tools           []Tool          `json:"tools,omitempty"`
	ToolResources   *ToolResources  `json:"tool_resources,omitempty"`
	Metadata        Metadata        `json:"metadata,omitempty"`
	Temperature     *float64        `json:"temperature,omitempty"`
	TopP            *float64        `json:"top_p,omitempty"`
	ResponseFormat  *ResponseFormat `json:"response_format,omitempty"`
}

// AssistantUpdateParams are the fields to change on an assistant; nil and
// empty fields are left as they are. Tools, when non-nil, replaces the whole list.
type AssistantUpdateParams struct {
	Model           string          `json:"model,omitempty"`
	Name            *string         `json:"name,omitempty"`
	Description     *string         `json:"description,omitempty"`
	Instructions    *string         `json:"instructions,omitempty"`
	ReasoningEffort string          `json:"reasoning_effort,omitempty"`
	Tools           []Tool          `json:"tools,omitempty"`
	ToolResources   *ToolResources  `json:"tool_resources,omitempty"`
	Metadata        Metadata        `json:"metadata,omitempty"`
	Temperature     *float64        `json:"temperature,omitempty"`
	TopP            *float64        `json:"top_p,omitempty"`
	ResponseFormat  *ResponseFormat `json:"response_format,omitempty"`
}

// MarshalJSON sends Tools whenever it is non-nil, so an empty non-nil slice
// clears the assistant's tools.
func (p AssistantUpdateParams) MarshalJSON() ([]byte, error) {
	type plain AssistantUpdateParams
	var tools *[]Tool
	if p.Tools != nil {
		tools = &p.Tools
	}
	return json.Marshal(struct {
		plain
		Tools *[]Tool `json:"tools,omitempty"`
	}{plain(p), tools})
}

// AssistantsService is the assistants endpoints (/assistants).
type AssistantsService struct{ client *Client }

// Create creates an assistant.
func (s *AssistantsService) Create(ctx context.Context, params AssistantCreateParams) (*Assistant, error) {
	if params.Model == "" {
		return nil, errors.New("assistants: AssistantCreateParams.Model must not be empty")
	}
	if err := validateTools("AssistantCreateParams.Tools", params.Tools); err != nil {
		return nil, err
	}
	return callJSON[Assistant](ctx, s.client, http.MethodPost, "assistants", nil, params)
}

// Get returns the assistant with this id.
func (s *AssistantsService) Get(ctx context.Context, assistantID string) (*Assistant, error) {
	path, err := pathf("assistants/%s", arg("assistantID", assistantID))
	if err != nil {
		return nil, err
	}
	return callJSON[Assistant](ctx, s.client, http.MethodGet, path, nil, nil)
}

// Update changes an assistant and returns it as it now is.
func (s *AssistantsService) Update(ctx context.Context, assistantID string, params AssistantUpdateParams) (*Assistant, error) {
	path, err := pathf("assistants/%s", arg("assistantID", assistantID))
	if err != nil {
		return nil, err
	}
	if err := validateTools("AssistantUpdateParams.Tools", params.Tools); err != nil {
		return nil, err
	}
	if err := params.ToolResources.validateIDsOnly("AssistantUpdateParams.ToolResources"); err != nil {
		return nil, err
	}
	return callJSON[Assistant](ctx, s.client, http.MethodPost, path, nil, params)
}

// Delete deletes an assistant.
func (s *AssistantsService) Delete(ctx context.Context, assistantID string) (*Deleted, error) {
	path, err := pathf("assistants/%s", arg("assistantID", assistantID))
	if err != nil {
		return nil, err
	}
	return callJSON[Deleted](ctx, s.client, http.MethodDelete, path, nil, nil)
}

// List returns one page of assistants.
func (s *AssistantsService) List(ctx context.Context, params ListParams) (*Page[Assistant], error) {
	q, err := params.values()
	if err != nil {
		return nil, err
	}
	return callJSON[Page[Assistant]](ctx, s.client, http.MethodGet, "assistants", q, nil)
}

// ListAll iterates over every assistant from params on, fetching pages as needed.
func (s *AssistantsService) ListAll(ctx context.Context, params ListParams) iter.Seq2[*Assistant, error] {
	return listAll(ctx, params, s.List, func(a *Assistant) string { return a.ID })
}
