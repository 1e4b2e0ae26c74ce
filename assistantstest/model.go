package assistantstest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Model decides what the assistant does in a run. The server calls Respond
// each time the run needs the model: once when it starts, again after every
// code_interpreter or file_search step it performed, and again after the
// client submitted function outputs. Respond may block; it runs without the
// server's lock, and ctx ends when the request that drives the run ends.
//
// Returning an error fails the run (last_error.code "server_error", or the
// code of a *RunError).
type Model interface {
	Respond(ctx context.Context, turn *Turn) (*Reply, error)
}

// ModelFunc adapts a function to the Model interface.
type ModelFunc func(ctx context.Context, turn *Turn) (*Reply, error)

// Respond calls f.
func (f ModelFunc) Respond(ctx context.Context, turn *Turn) (*Reply, error) { return f(ctx, turn) }

// Turn is what the model sees when it is asked to act in a run.
type Turn struct {
	// RunID, ThreadID and AssistantID identify the run.
	RunID, ThreadID, AssistantID string
	// Model is the run's model name (e.g. "gpt-4o").
	Model string
	// Instructions are the run's instructions (the assistant's, or the
	// run's override, plus additional_instructions).
	Instructions string
	// Tools are the tools enabled for the run.
	Tools []Tool
	// ToolChoice is the run's tool_choice.
	ToolChoice ToolChoice
	// ParallelToolCalls reports whether several function calls may be made
	// at once.
	ParallelToolCalls bool
	// ResponseFormat is the run's response_format.
	ResponseFormat ResponseFormat
	// Messages are the thread's messages, oldest first (after the run's
	// truncation_strategy).
	Messages []Message
	// Results are the tool calls already made in this run with their
	// results, in order: function calls with the submitted outputs,
	// code_interpreter input and logs, file_search queries and hits.
	Results []ToolResult
	// Documents are the files file_search can see (from the vector stores of
	// the assistant, thread and run, and message attachments).
	Documents []Document
	// Now is the server clock at the time of the call.
	Now time.Time
}

// Tool is a tool enabled for a run.
type Tool struct {
	// Type is "function", "code_interpreter" or "file_search".
	Type string
	// Name, Description, Parameters and Strict describe a function tool.
	Name        string
	Description string
	Parameters  json.RawMessage
	Strict      bool
}

// ToolChoice is a run's tool_choice.
type ToolChoice struct {
	// Type is "auto", "none", "required", "function", "code_interpreter"
	// or "file_search".
	Type string
	// Function names the function when Type is "function".
	Function string
}

// ResponseFormat is a run's response_format.
type ResponseFormat struct {
	// Type is "auto", "text", "json_object" or "json_schema".
	Type string
	// Name and Schema describe a json_schema format.
	Name   string
	Schema json.RawMessage
}

// Message is a thread message as the model sees it.
type Message struct {
	// ID is the message id (msg_…).
	ID    string
	Role  string // "user" or "assistant"
	Text  string // the text parts joined by newlines
	RunID string // the run that created it, if any
}

// Document is a file available to file_search.
type Document struct {
	// FileID and Filename identify the uploaded file.
	FileID   string
	Filename string
	// Text is the file's text (printable runs for binary files).
	Text string
}

// FunctionCall is a call of a function tool: the model asks the client to
// run Name with the JSON Arguments.
type FunctionCall struct {
	// Name is the function's name.
	Name string
	// Arguments is the JSON object of arguments ("{}" when empty).
	Arguments string
}

// CodeInterpreterCall is a code_interpreter step: the Python Input and the
// Logs it printed (the model supplies both; nothing is executed).
type CodeInterpreterCall struct {
	// Input is the Python code.
	Input string
	// Logs is what the code printed (a "logs" output when not empty).
	Logs string
}

// FileSearchCall asks the server to search the run's documents for Query.
type FileSearchCall struct {
	// Query is what to look for.
	Query string
}

// SearchResult is one file_search hit. Index numbers the hits of a run from
// 0; a reply text containing 【4:N†source】 cites hit N and gets a
// file_citation annotation.
type SearchResult struct {
	// Index is the hit's number within the run, for citations.
	Index int
	// FileID and Filename name the file the passage comes from.
	FileID   string
	Filename string
	// Score is the share of the query's words found, in (0, 1].
	Score float64
	// Text is the matching passage.
	Text string
}

// ToolResult is a tool call made earlier in the run with its result.
type ToolResult struct {
	// CallID is the tool call id (call_…).
	CallID string
	// Type is "function", "code_interpreter" or "file_search".
	Type string
	// Function and Output: the function called and the output the client
	// submitted.
	Function *FunctionCall
	Output   string
	// CodeInterpreter is the code step (input and logs).
	CodeInterpreter *CodeInterpreterCall
	// FileSearch and Hits are the search made and what it found.
	FileSearch *FileSearchCall
	Hits       []SearchResult
}

// Reply is what the model does next. Text, if not empty, becomes an
// assistant message (streamed as deltas). Then at most one action follows:
//
//   - ToolCalls: function calls; the run goes to requires_action (several
//     calls are parallel calls, cut to the first one when the run has
//     parallel_tool_calls false).
//   - CodeInterpreter: a completed code_interpreter step; the model is asked
//     again.
//   - FileSearch: the server searches the documents, records a file_search
//     step and asks the model again with the hits.
//
// With no action the run completes.
type Reply struct {
	// Text becomes an assistant message when not empty.
	Text string
	// ToolCalls are function calls for the client to run.
	ToolCalls []FunctionCall
	// CodeInterpreter is a code step the server records.
	CodeInterpreter *CodeInterpreterCall
	// FileSearch asks the server to search the run's documents.
	FileSearch *FileSearchCall
}

func (r *Reply) actions() int {
	n := 0
	if len(r.ToolCalls) > 0 {
		n++
	}
	if r.CodeInterpreter != nil {
		n++
	}
	if r.FileSearch != nil {
		n++
	}
	return n
}

// TextReply is a Reply that answers with text.
func TextReply(text string) *Reply { return &Reply{Text: text} }

// CallReply is a Reply that calls functions (in parallel when several).
func CallReply(calls ...FunctionCall) *Reply { return &Reply{ToolCalls: calls} }

// RunError is an error a Model can return to fail the run with a given
// last_error code ("server_error", "rate_limit_exceeded" or
// "invalid_prompt").
type RunError struct {
	// Code is the run's last_error.code.
	Code string
	// Message is the run's last_error.message.
	Message string
}

// Error returns the message.
func (e *RunError) Error() string { return e.Message }

// LastUserText returns the text of the most recent user message.
func (t *Turn) LastUserText() string {
	for i := len(t.Messages) - 1; i >= 0; i-- {
		if t.Messages[i].Role == "user" {
			return t.Messages[i].Text
		}
	}
	return ""
}

// HasTool reports whether a tool of the given type is enabled.
func (t *Turn) HasTool(typ string) bool {
	for _, tool := range t.Tools {
		if tool.Type == typ {
			return true
		}
	}
	return false
}

// Functions returns the function tools.
func (t *Turn) Functions() []Tool {
	var out []Tool
	for _, tool := range t.Tools {
		if tool.Type == "function" {
			out = append(out, tool)
		}
	}
	return out
}

// Script is a Model that plays back a fixed sequence of replies, one per
// model call across all runs, and records the turns it saw. When the
// replies run out, runs fail with a server_error.
type Script struct {
	mu      sync.Mutex
	replies []Reply
	turns   []Turn
}

// NewScript returns a Script that answers with replies in order.
func NewScript(replies ...Reply) *Script { return &Script{replies: replies} }

// Respond returns the next reply.
func (s *Script) Respond(_ context.Context, turn *Turn) (*Reply, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.turns = append(s.turns, *turn)
	if len(s.replies) == 0 {
		return nil, errors.New("assistantstest: script has no more replies")
	}
	r := s.replies[0]
	s.replies = s.replies[1:]
	return &r, nil
}

// Add appends replies to the script.
func (s *Script) Add(replies ...Reply) {
	s.mu.Lock()
	s.replies = append(s.replies, replies...)
	s.mu.Unlock()
}

// Remaining returns how many replies are left.
func (s *Script) Remaining() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.replies)
}

// Turns returns the turns the script was called with, in order.
func (s *Script) Turns() []Turn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Turn(nil), s.turns...)
}

// callModel calls m, turning a panic into an error.
func callModel(ctx context.Context, m Model, turn *Turn) (reply *Reply, err error) {
	defer func() {
		if p := recover(); p != nil {
			reply, err = nil, fmt.Errorf("model panicked: %v", p)
		}
	}()
	reply, err = m.Respond(ctx, turn)
	if err == nil && reply == nil {
		reply = &Reply{}
	}
	if err == nil && reply.actions() > 1 {
		err = errors.New("model reply has more than one action (ToolCalls, CodeInterpreter, FileSearch)")
	}
	return reply, err
}

func words(s string) int { return len(strings.Fields(s)) }
