package assistants

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"
)

// Role is who wrote a message.
type Role string

// The message roles.
const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
)

// MessageStatus is the state of a message.
type MessageStatus string

// The message statuses.
const (
	MessageStatusInProgress MessageStatus = "in_progress"
	MessageStatusIncomplete MessageStatus = "incomplete"
	MessageStatusCompleted  MessageStatus = "completed"
)

// Message is one message of a thread.
type Message struct {
	rawJSON
	ID                string             `json:"id"`
	Object            string             `json:"object"`
	CreatedAt         int64              `json:"created_at"`
	ThreadID          string             `json:"thread_id"`
	Status            MessageStatus      `json:"status,omitempty"`
	IncompleteDetails *IncompleteDetails `json:"incomplete_details,omitempty"`
	CompletedAt       int64              `json:"completed_at,omitempty"`
	IncompleteAt      int64              `json:"incomplete_at,omitempty"`
	Role              Role               `json:"role"`
	Content           []MessageContent   `json:"content"`
	AssistantID       string             `json:"assistant_id,omitempty"`
	RunID             string             `json:"run_id,omitempty"`
	Attachments       []Attachment       `json:"attachments"`
	Metadata          Metadata           `json:"metadata"`
}

// UnmarshalJSON decodes a message and keeps its JSON for Raw and Get.
func (m *Message) UnmarshalJSON(data []byte) error {
	type plain Message
	return decodeRaw(data, (*plain)(m), &m.rawJSON)
}

// Text joins the values of the message's text parts with newlines.
func (m *Message) Text() string {
	var b strings.Builder
	for _, c := range m.Content {
		if c.Text == nil {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(c.Text.Value)
	}
	return b.String()
}

// IncompleteDetails says why a message or run ended before it was complete.
type IncompleteDetails struct {
	Reason string `json:"reason"`
}

// ContentType names a kind of message content part.
type ContentType string

// The content part types.
const (
	ContentTypeText      ContentType = "text"
	ContentTypeImageFile ContentType = "image_file"
	ContentTypeImageURL  ContentType = "image_url"
	ContentTypeRefusal   ContentType = "refusal"
)

// MessageContent is one part of a message's content. Type says which of the
// other fields is set.
type MessageContent struct {
	Type      ContentType `json:"type"`
	Text      *Text       `json:"text,omitempty"`
	ImageFile *ImageFile  `json:"image_file,omitempty"`
	ImageURL  *ImageURL   `json:"image_url,omitempty"`
	Refusal   string      `json:"refusal,omitempty"`
}

// Text is a text part: its value and the annotations that point into it.
type Text struct {
	Value       string       `json:"value"`
	Annotations []Annotation `json:"annotations"`
}

// ImageFile is an image stored as a file.
type ImageFile struct {
	FileID string `json:"file_id"`
	// Detail is "auto", "low" or "high".
	Detail string `json:"detail,omitempty"`
}

// ImageURL is an image on the web.
type ImageURL struct {
	URL string `json:"url"`
	// Detail is "auto", "low" or "high".
	Detail string `json:"detail,omitempty"`
}

// AnnotationType names a kind of text annotation.
type AnnotationType string

// The annotation types.
const (
	AnnotationTypeFileCitation AnnotationType = "file_citation"
	AnnotationTypeFilePath     AnnotationType = "file_path"
)

// Annotation marks a span of a text part: a citation of a file file_search
// read, or a path to a file code_interpreter wrote.
type Annotation struct {
	Type         AnnotationType `json:"type"`
	Text         string         `json:"text"`
	StartIndex   int            `json:"start_index"`
	EndIndex     int            `json:"end_index"`
	FileCitation *FileCitation  `json:"file_citation,omitempty"`
	FilePath     *FilePath      `json:"file_path,omitempty"`
}

// FileCitation names the cited file.
type FileCitation struct {
	FileID string `json:"file_id"`
	Quote  string `json:"quote,omitempty"`
}

// FilePath names a file that a tool produced.
type FilePath struct {
	FileID string `json:"file_id"`
}

// Attachment is a file attached to a message and the tools that may read it.
type Attachment struct {
	FileID string `json:"file_id"`
	// Tools may hold CodeInterpreterTool() and FileSearchTool().
	Tools []Tool `json:"tools"`
}

// ContentPart is one part of the content of a message being created: text,
// an image file or an image URL. Build them with TextPart, ImageFilePart and
// ImageURLPart.
type ContentPart struct {
	Type      ContentType `json:"type"`
	Text      string      `json:"text,omitempty"`
	ImageFile *ImageFile  `json:"image_file,omitempty"`
	ImageURL  *ImageURL   `json:"image_url,omitempty"`
}

// TextPart returns a text content part.
func TextPart(text string) ContentPart { return ContentPart{Type: ContentTypeText, Text: text} }

// ImageFilePart returns a content part showing an uploaded image.
func ImageFilePart(fileID string) ContentPart {
	return ContentPart{Type: ContentTypeImageFile, ImageFile: &ImageFile{FileID: fileID}}
}

// ImageURLPart returns a content part showing an image on the web.
func ImageURLPart(url string) ContentPart {
	return ContentPart{Type: ContentTypeImageURL, ImageURL: &ImageURL{URL: url}}
}

// MessageCreateParams are the fields of a new message. Role is required, and
// exactly one of Content (plain text) and Parts.
type MessageCreateParams struct {
	Role        Role
	Content     string
	Parts       []ContentPart
	Attachments []Attachment
	Metadata    Metadata
}

func (p MessageCreateParams) validate(field string) error {
	if p.Role == "" {
		return fmt.Errorf("assistants: %s.Role must not be empty", field)
	}
	if p.Content != "" && len(p.Parts) > 0 {
		return fmt.Errorf("assistants: %s: set Content or Parts, not both", field)
	}
	if p.Content == "" && len(p.Parts) == 0 {
		return fmt.Errorf("assistants: %s: Content or Parts must not be empty", field)
	}
	for i, a := range p.Attachments {
		if a.FileID == "" {
			return fmt.Errorf("assistants: %s.Attachments[%d].FileID must not be empty", field, i)
		}
		if len(a.Tools) == 0 {
			return fmt.Errorf("assistants: %s.Attachments[%d].Tools must name at least one tool (CodeInterpreterTool or FileSearchTool)", field, i)
		}
	}
	return nil
}

// MarshalJSON writes Content as a string, or Parts as the content array.
func (p MessageCreateParams) MarshalJSON() ([]byte, error) {
	var content any = p.Content
	if len(p.Parts) > 0 {
		content = p.Parts
	}
	return json.Marshal(struct {
		Role        Role         `json:"role"`
		Content     any          `json:"content"`
		Attachments []Attachment `json:"attachments,omitempty"`
		Metadata    Metadata     `json:"metadata,omitempty"`
	}{p.Role, content, p.Attachments, p.Metadata})
}

// UnmarshalJSON reads either content form.
func (p *MessageCreateParams) UnmarshalJSON(data []byte) error {
	var w struct {
		Role        Role            `json:"role"`
		Content     json.RawMessage `json:"content"`
		Attachments []Attachment    `json:"attachments"`
		Metadata    Metadata        `json:"metadata"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*p = MessageCreateParams{Role: w.Role, Attachments: w.Attachments, Metadata: w.Metadata}
	if c := bytes.TrimSpace(w.Content); len(c) > 0 && c[0] == '[' {
		return json.Unmarshal(c, &p.Parts)
	} else if len(c) > 0 {
		return json.Unmarshal(c, &p.Content)
	}
	return nil
}

// MessageUpdateParams are the fields to change on a message.
type MessageUpdateParams struct {
	Metadata Metadata `json:"metadata,omitempty"`
}

// MessageListParams are the parameters of Messages.List: the usual paging,
// and RunID to list only the messages a run created.
type MessageListParams struct {
	ListParams
	RunID string
}

// MessagesService is the message endpoints (/threads/{thread_id}/messages).
type MessagesService struct{ client *Client }

// Create adds a message to a thread.
func (s *MessagesService) Create(ctx context.Context, threadID string, params MessageCreateParams) (*Message, error) {
	path, err := pathf("threads/%s/messages", arg("threadID", threadID))
	if err != nil {
		return nil, err
	}
	if err := params.validate("MessageCreateParams"); err != nil {
		return nil, err
	}
	return callJSON[Message](ctx, s.client, http.MethodPost, path, nil, params)
}

// Get returns one message of a thread.
func (s *MessagesService) Get(ctx context.Context, threadID, messageID string) (*Message, error) {
	path, err := pathf("threads/%s/messages/%s", arg("threadID", threadID), arg("messageID", messageID))
	if err != nil {
		return nil, err
	}
	return callJSON[Message](ctx, s.client, http.MethodGet, path, nil, nil)
}

// Update changes a message's metadata.
func (s *MessagesService) Update(ctx context.Context, threadID, messageID string, params MessageUpdateParams) (*Message, error) {
	path, err := pathf("threads/%s/messages/%s", arg("threadID", threadID), arg("messageID", messageID))
	if err != nil {
		return nil, err
	}
	return callJSON[Message](ctx, s.client, http.MethodPost, path, nil, params)
}

// Delete deletes a message.
func (s *MessagesService) Delete(ctx context.Context, threadID, messageID string) (*Deleted, error) {
	path, err := pathf("threads/%s/messages/%s", arg("threadID", threadID), arg("messageID", messageID))
	if err != nil {
		return nil, err
	}
	return callJSON[Deleted](ctx, s.client, http.MethodDelete, path, nil, nil)
}

// List returns one page of a thread's messages, newest first unless
// params.Order says otherwise.
func (s *MessagesService) List(ctx context.Context, threadID string, params MessageListParams) (*Page[Message], error) {
	path, err := pathf("threads/%s/messages", arg("threadID", threadID))
	if err != nil {
		return nil, err
	}
	q, err := params.values()
	if err != nil {
		return nil, err
	}
	if params.RunID != "" {
		q.Set("run_id", params.RunID)
	}
	return callJSON[Page[Message]](ctx, s.client, http.MethodGet, path, q, nil)
}

// ListAll iterates over every message of a thread from params on.
func (s *MessagesService) ListAll(ctx context.Context, threadID string, params MessageListParams) iter.Seq2[*Message, error] {
	if threadID == "" {
		return errSeq[Message](errors.New("assistants: threadID must not be empty"))
	}
	return listAll(ctx, params.ListParams, func(ctx context.Context, lp ListParams) (*Page[Message], error) {
		return s.List(ctx, threadID, MessageListParams{ListParams: lp, RunID: params.RunID})
	}, func(m *Message) string { return m.ID })
}
