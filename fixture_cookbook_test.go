package assistants

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/assistants-go/assistants/internal/fixture"
)

// These tests replay the cookbook walkthrough ("Assistants API overview",
// seed 000) and the function-calling guide (seed 002) from fixtures built
// from the real API responses those documents print. The fixture checks
// every request the SDK sends (method, path, query, body); the tests check
// what the SDK decodes from the responses.

const (
	cbAssistantID  = "asst_qvXmYlZV8zhABI2RtPzDfV6z"
	cbInstructions = "You are a personal math tutor. Answer questions briefly, in a sentence or less."
	cbFileID       = "file-GQFm2i7N8LrAQatefWKEsE"
	cbVectorStore  = "vs_dEArILZSJh7J799QACi3QhuU"
)

// fxNewClient loads the named fixture and returns a client replaying it.
// Retries are off so that a mismatch is reported once.
func fxNewClient(t *testing.T, name string) (*Client, *fixture.Fixture) {
	t.Helper()
	f := fixture.New(t, name)
	c, err := NewClient(
		WithBaseURL(f.BaseURL()),
		WithAPIKey(f.APIKey()),
		WithHTTPClient(f.HTTPClient()),
		WithMaxRetries(0),
	)
	require.NoError(t, err)
	return c, f
}

// fxCheckWire checks what the fixture does not: the headers of every request
// and that reads, deletes and cancels carry no body.
func fxCheckWire(t *testing.T, f *fixture.Fixture) {
	t.Helper()
	reqs := f.Requests()
	require.NotEmpty(t, reqs)
	for i, r := range reqs {
		what := r.Method + " " + r.Path
		assert.Equal(t, "Bearer "+f.APIKey(), r.Header.Get("Authorization"), "#%d %s: Authorization", i+1, what)
		assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "assistants-go/"), "#%d %s: User-Agent %q", i+1, what, r.Header.Get("User-Agent"))
		if r.Path == "/files" || strings.HasPrefix(r.Path, "/files/") {
			assert.Empty(t, r.Header.Values("OpenAI-Beta"), "#%d %s: files are not a beta API", i+1, what)
		} else {
			assert.Equal(t, []string{"assistants=v2"}, r.Header.Values("OpenAI-Beta"), "#%d %s: OpenAI-Beta", i+1, what)
		}
		noBody := r.Method == http.MethodGet || r.Method == http.MethodDelete || strings.HasSuffix(r.Path, "/cancel")
		if noBody {
			assert.Nil(t, r.Body, "#%d %s: must send no body", i+1, what)
			assert.Empty(t, r.Header.Get("Content-Type"), "#%d %s: must send no Content-Type", i+1, what)
		} else {
			assert.NotEmpty(t, r.Body, "#%d %s: body", i+1, what)
			ct := r.Header.Get("Content-Type")
			if r.Path == "/files" {
				assert.True(t, strings.HasPrefix(ct, "multipart/form-data; boundary="), "#%d %s: Content-Type %q", i+1, what, ct)
			} else {
				assert.Equal(t, "application/json", ct, "#%d %s: Content-Type", i+1, what)
			}
		}
		if r.Method == http.MethodPost {
			assert.NotEmpty(t, r.Header.Get("Idempotency-Key"), "#%d %s: Idempotency-Key", i+1, what)
		} else {
			assert.Empty(t, r.Header.Get("Idempotency-Key"), "#%d %s: Idempotency-Key on a %s", i+1, what, r.Method)
		}
	}
}

// cbWaitOnRun is the cookbook's wait_on_run: it gets the run again while it
// is queued or in progress, and returns it with every status it went through.
func cbWaitOnRun(t *testing.T, c *Client, run *Run) (*Run, []RunStatus) {
	t.Helper()
	statuses := []RunStatus{run.Status}
	for run.Status == RunStatusQueued || run.Status == RunStatusInProgress {
		require.Less(t, len(statuses), 10, "run %s never finished", run.ID)
		var err error
		run, err = c.Runs.Get(context.Background(), run.ThreadID, run.ID)
		require.NoError(t, err)
		statuses = append(statuses, run.Status)
	}
	return run, statuses
}

// cbCreateThreadAndRun is the cookbook's create_thread_and_run: a new
// thread, the user's message, and a run of the assistant on it.
func cbCreateThreadAndRun(t *testing.T, c *Client, wantThread, text string) (*Thread, *Message, *Run) {
	t.Helper()
	ctx := context.Background()
	thread, err := c.Threads.Create(ctx, ThreadCreateParams{})
	require.NoError(t, err)
	assert.Equal(t, wantThread, thread.ID)
	assert.Equal(t, "thread", thread.Object)
	msg, err := c.Messages.Create(ctx, thread.ID, MessageCreateParams{Role: RoleUser, Content: text})
	require.NoError(t, err)
	assert.Equal(t, text, msg.Text())
	assert.Equal(t, thread.ID, msg.ThreadID)
	run, err := c.Runs.Create(ctx, thread.ID, RunCreateParams{AssistantID: cbAssistantID})
	require.NoError(t, err)
	assert.Equal(t, RunStatusQueued, run.Status)
	assert.Equal(t, thread.ID, run.ThreadID)
	assert.Equal(t, cbAssistantID, run.AssistantID)
	return thread, msg, run
}

// cbCheckRunDefaults checks the settings every cookbook run reports.
func cbCheckRunDefaults(t *testing.T, run *Run) {
	t.Helper()
	assert.Equal(t, "thread.run", run.Object)
	assert.Equal(t, "gpt-4o", run.Model)
	assert.Equal(t, cbInstructions, run.Instructions)
	require.NotNil(t, run.ToolChoice)
	assert.Equal(t, ToolChoice{Mode: "auto"}, *run.ToolChoice)
	require.NotNil(t, run.TruncationStrategy)
	assert.Equal(t, TruncationStrategy{Type: "auto"}, *run.TruncationStrategy)
	require.NotNil(t, run.ResponseFormat)
	assert.Equal(t, "auto", run.ResponseFormat.Type)
	assert.True(t, run.ParallelToolCalls)
	assert.Equal(t, Ptr(1.0), run.Temperature)
	assert.Equal(t, Ptr(1.0), run.TopP)
	assert.Nil(t, run.MaxPromptTokens)
	assert.Nil(t, run.MaxCompletionTokens)
	assert.Nil(t, run.LastError)
	assert.Nil(t, run.IncompleteDetails)
	assert.Empty(t, run.Metadata)
	// tool_resources is not a documented field of a run, but the API sends
	// it: it stays readable.
	assert.True(t, run.Get("tool_resources").IsObject(), "tool_resources: %s", run.Get("tool_resources").Raw)
}

// cbCheckUserMessage checks a message the user wrote.
func cbCheckUserMessage(t *testing.T, m *Message, id, threadID, text string) {
	t.Helper()
	assert.Equal(t, id, m.ID)
	assert.Equal(t, "thread.message", m.Object)
	assert.Equal(t, threadID, m.ThreadID)
	assert.Equal(t, RoleUser, m.Role)
	assert.Empty(t, m.AssistantID)
	assert.Empty(t, m.RunID)
	assert.Empty(t, m.Status) // null in these responses
	assert.Nil(t, m.IncompleteDetails)
	assert.Zero(t, m.CompletedAt)
	assert.Empty(t, m.Attachments)
	assert.Empty(t, m.Metadata)
	require.Len(t, m.Content, 1)
	assert.Equal(t, ContentTypeText, m.Content[0].Type)
	require.NotNil(t, m.Content[0].Text)
	assert.Equal(t, text, m.Content[0].Text.Value)
	assert.Empty(t, m.Content[0].Text.Annotations)
	assert.Equal(t, text, m.Text())
}

// cbCheckAssistantMessage checks a message the assistant wrote in a run.
func cbCheckAssistantMessage(t *testing.T, m *Message, id, threadID, runID, text string) {
	t.Helper()
	assert.Equal(t, id, m.ID)
	assert.Equal(t, "thread.message", m.Object)
	assert.Equal(t, threadID, m.ThreadID)
	assert.Equal(t, RoleAssistant, m.Role)
	assert.Equal(t, cbAssistantID, m.AssistantID)
	assert.Equal(t, runID, m.RunID)
	require.Len(t, m.Content, 1)
	assert.Equal(t, ContentTypeText, m.Content[0].Type)
	assert.Equal(t, text, m.Text())
}

func TestFixtureCookbookMathTutor(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "cookbook_math_tutor")

	// Create the assistant.
	asst, err := c.Assistants.Create(ctx, AssistantCreateParams{
		Name:         "Math Tutor",
		Instructions: cbInstructions,
		Model:        "gpt-4o",
	})
	require.NoError(t, err)
	assert.Equal(t, cbAssistantID, asst.ID)
	assert.Equal(t, "assistant", asst.Object)
	assert.EqualValues(t, 1736340398, asst.CreatedAt)
	assert.Equal(t, "Math Tutor", asst.Name)
	assert.Empty(t, asst.Description)
	assert.Equal(t, "gpt-4o", asst.Model)
	assert.Equal(t, cbInstructions, asst.Instructions)
	assert.Empty(t, asst.Tools)
	assert.Empty(t, asst.Metadata)
	assert.Equal(t, Ptr(1.0), asst.Temperature)
	assert.Equal(t, Ptr(1.0), asst.TopP)
	require.NotNil(t, asst.ResponseFormat)
	assert.Equal(t, ResponseFormat{Type: "auto"}, *asst.ResponseFormat)
	require.NotNil(t, asst.ToolResources)
	assert.Nil(t, asst.ToolResources.CodeInterpreter)
	assert.Nil(t, asst.ToolResources.FileSearch)
	assert.Equal(t, "null", asst.Get("description").Raw)

	// A thread and the first message.
	thread, err := c.Threads.Create(ctx, ThreadCreateParams{})
	require.NoError(t, err)
	assert.Equal(t, "thread_j4dc1TiHPfkviKUHNi4aAsA6", thread.ID)
	assert.Equal(t, "thread", thread.Object)
	assert.EqualValues(t, 1736340398, thread.CreatedAt)
	assert.Empty(t, thread.Metadata)
	require.NotNil(t, thread.ToolResources)
	assert.Nil(t, thread.ToolResources.CodeInterpreter)
	assert.Nil(t, thread.ToolResources.FileSearch)

	const question = "I need to solve the equation `3x + 11 = 14`. Can you help me?"
	msg, err := c.Messages.Create(ctx, thread.ID, MessageCreateParams{Role: RoleUser, Content: question})
	require.NoError(t, err)
	cbCheckUserMessage(t, msg, "msg_1q4Y7ZZ9gIcPoAKSx9UtrrKJ", thread.ID, question)
	assert.EqualValues(t, 1736340400, msg.CreatedAt)

	// The run, from queued to completed.
	run, err := c.Runs.Create(ctx, thread.ID, RunCreateParams{AssistantID: asst.ID})
	require.NoError(t, err)
	assert.Equal(t, "run_qVYsWok6OCjHxkajpIrdHuVP", run.ID)
	assert.Equal(t, RunStatusQueued, run.Status)
	assert.Equal(t, thread.ID, run.ThreadID)
	assert.Equal(t, asst.ID, run.AssistantID)
	assert.EqualValues(t, 1736340403, run.CreatedAt)
	assert.EqualValues(t, 1736341003, run.ExpiresAt)
	assert.Zero(t, run.StartedAt)
	assert.Nil(t, run.Usage)
	assert.Nil(t, run.RequiredAction)
	assert.Empty(t, run.Tools)
	cbCheckRunDefaults(t, run)

	run, statuses := cbWaitOnRun(t, c, run)
	assert.Equal(t, []RunStatus{RunStatusQueued, RunStatusInProgress, RunStatusCompleted}, statuses)
	assert.EqualValues(t, 1736340405, run.StartedAt)
	assert.EqualValues(t, 1736340406, run.CompletedAt)
	assert.Zero(t, run.ExpiresAt)
	require.NotNil(t, run.Usage)
	assert.Equal(t, Usage{PromptTokens: 66, CompletionTokens: 35, TotalTokens: 101,
		PromptTokenDetails: &PromptTokenDetails{CachedTokens: 0}, CompletionTokensDetails: &CompletionTokensDetails{ReasoningTokens: 0}}, *run.Usage)
	cached := run.Get("usage.prompt_token_details.cached_tokens")
	assert.True(t, cached.Exists())
	assert.EqualValues(t, 0, cached.Int())
	assert.True(t, run.Get("usage.completion_tokens_details.reasoning_tokens").Exists())
	cbCheckRunDefaults(t, run)

	// The messages, newest first.
	page, err := c.Messages.List(ctx, thread.ID, MessageListParams{})
	require.NoError(t, err)
	assert.Equal(t, "list", page.Object)
	assert.Equal(t, "msg_A5eAN6ZAJDmFBOYutEm5DFCy", page.FirstID)
	assert.Equal(t, "msg_1q4Y7ZZ9gIcPoAKSx9UtrrKJ", page.LastID)
	assert.False(t, page.HasMore)
	require.Len(t, page.Data, 2)
	cbCheckAssistantMessage(t, &page.Data[0], "msg_A5eAN6ZAJDmFBOYutEm5DFCy", thread.ID, run.ID,
		`Sure! Subtract 11 from both sides to get \(3x = 3\), then divide by 3 to find \(x = 1\).`)
	assert.EqualValues(t, 1736340405, page.Data[0].CreatedAt)
	cbCheckUserMessage(t, &page.Data[1], "msg_1q4Y7ZZ9gIcPoAKSx9UtrrKJ", thread.ID, question)

	// Ask for more, then read only what came after the new message.
	msg2, err := c.Messages.Create(ctx, thread.ID, MessageCreateParams{Role: RoleUser, Content: "Could you explain this to me?"})
	require.NoError(t, err)
	cbCheckUserMessage(t, msg2, "msg_dQLOk1XBF0yTghsVdwEqjYfn", thread.ID, "Could you explain this to me?")
	run2, err := c.Runs.Create(ctx, thread.ID, RunCreateParams{AssistantID: asst.ID})
	require.NoError(t, err)
	assert.Equal(t, "run_lJsumsDtPTmdG3Enx2CfYrrq", run2.ID)
	run2, statuses = cbWaitOnRun(t, c, run2)
	assert.Equal(t, []RunStatus{RunStatusQueued, RunStatusCompleted}, statuses)
	require.NotNil(t, run2.Usage)
	assert.Equal(t, 127+58, run2.Usage.TotalTokens)

	after, err := c.Messages.List(ctx, thread.ID, MessageListParams{ListParams: ListParams{Order: OrderAsc, After: msg2.ID}})
	require.NoError(t, err)
	require.Len(t, after.Data, 1)
	assert.Equal(t, "msg_wSHHvaMnaWktZWsKs6gyoPUB", after.FirstID)
	assert.Equal(t, "msg_wSHHvaMnaWktZWsKs6gyoPUB", after.LastID)
	assert.False(t, after.HasMore)
	cbCheckAssistantMessage(t, &after.Data[0], "msg_wSHHvaMnaWktZWsKs6gyoPUB", thread.ID, run2.ID,
		`Certainly! To isolate \(x\), first subtract 11 from both sides of the equation \(3x + 11 = 14\), resulting in \(3x = 3\). Then, divide both sides by 3 to solve for \(x\), giving you \(x = 1\).`)

	fxCheckWire(t, f)
}

// cbPrettyPrint is the cookbook's pretty_print of get_response(thread):
// "role: text" lines, oldest first.
func cbPrettyPrint(t *testing.T, c *Client, threadID string) []string {
	t.Helper()
	page, err := c.Messages.List(context.Background(), threadID, MessageListParams{ListParams: ListParams{Order: OrderAsc}})
	require.NoError(t, err)
	lines := make([]string, len(page.Data))
	for i, m := range page.Data {
		lines[i] = string(m.Role) + ": " + m.Text()
	}
	return lines
}

func TestFixtureCookbookConcurrent(t *testing.T) {
	c, f := fxNewClient(t, "cookbook_concurrent")

	// Emulating concurrent user requests: three threads, each with a run
	// started before any is waited on.
	conversations := []struct {
		thread, question, answer string
		statuses                 []RunStatus
	}{
		{
			thread:   "thread_q0SdLhBAvLNX2Xp3WRzbIHmA",
			question: "I need to solve the equation `3x + 11 = 14`. Can you help me?",
			answer:   `Sure! Subtract 11 from both sides to get \(3x = 3\), then divide by 3 to find \(x = 1\).`,
			statuses: []RunStatus{RunStatusQueued, RunStatusInProgress, RunStatusCompleted},
		},
		{
			thread:   "thread_3Ea1E3kQ6XkMWeE5pqVQ4ZmU",
			question: "Could you explain linear algebra to me?",
			answer:   "Linear algebra is the branch of mathematics concerning vector spaces, linear transformations, and systems of linear equations, often represented with matrices.",
			statuses: []RunStatus{RunStatusQueued, RunStatusCompleted},
		},
		{
			thread:   "thread_o3c4MOKYyWzCDlm6X6uVJK8H",
			question: "I don't like math. What can I do?",
			answer:   "Try relating math to real-life interests or hobbies, practice with fun games or apps, and gradually build confidence with easier problems.",
			statuses: []RunStatus{RunStatusQueued, RunStatusCompleted},
		},
	}
	runs := make([]*Run, len(conversations))
	for i, conv := range conversations {
		_, _, runs[i] = cbCreateThreadAndRun(t, c, conv.thread, conv.question)
	}
	for i, conv := range conversations {
		run, statuses := cbWaitOnRun(t, c, runs[i])
		assert.Equal(t, conv.statuses, statuses, "run %d", i+1)
		assert.Equal(t, conv.thread, run.ThreadID)
		assert.Equal(t, []string{"user: " + conv.question, "assistant: " + conv.answer}, cbPrettyPrint(t, c, conv.thread), "thread %d", i+1)
	}

	// Thank our assistant on thread 3.
	ctx := context.Background()
	thread3 := conversations[2]
	_, err := c.Messages.Create(ctx, thread3.thread, MessageCreateParams{Role: RoleUser, Content: "Thank you!"})
	require.NoError(t, err)
	run4, err := c.Runs.Create(ctx, thread3.thread, RunCreateParams{AssistantID: cbAssistantID})
	require.NoError(t, err)
	run4, statuses := cbWaitOnRun(t, c, run4)
	assert.Equal(t, []RunStatus{RunStatusQueued, RunStatusInProgress, RunStatusCompleted}, statuses)
	assert.Equal(t, "run_m7pDiodh7wcb4Ew9tBdLBLbM", run4.ID)
	assert.Equal(t, []string{
		"user: " + thread3.question,
		"assistant: " + thread3.answer,
		"user: Thank you!",
		"assistant: You're welcome! If you have any more questions, feel free to ask!",
	}, cbPrettyPrint(t, c, thread3.thread))

	fxCheckWire(t, f)
}

func TestFixtureCookbookCodeInterpreter(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "cookbook_code_interpreter")

	asst, err := c.Assistants.Update(ctx, cbAssistantID, AssistantUpdateParams{Tools: []Tool{CodeInterpreterTool()}})
	require.NoError(t, err)
	assert.Equal(t, cbAssistantID, asst.ID)
	assert.Equal(t, []Tool{{Type: ToolTypeCodeInterpreter}}, asst.Tools)
	require.NotNil(t, asst.ToolResources)
	require.NotNil(t, asst.ToolResources.CodeInterpreter)
	assert.NotNil(t, asst.ToolResources.CodeInterpreter.FileIDs)
	assert.Empty(t, asst.ToolResources.CodeInterpreter.FileIDs)
	assert.Nil(t, asst.ToolResources.FileSearch)

	const question = "Generate the first 20 fibbonaci numbers with code."
	thread, _, run := cbCreateThreadAndRun(t, c, "thread_XnUaBcWgAvrjqfW1RgCnPO4h", question)
	assert.Equal(t, []Tool{CodeInterpreterTool()}, run.Tools)
	run, statuses := cbWaitOnRun(t, c, run)
	assert.Equal(t, []RunStatus{RunStatusQueued, RunStatusInProgress, RunStatusCompleted}, statuses)
	cbCheckRunDefaults(t, run)

	msgs, err := c.Messages.List(ctx, thread.ID, MessageListParams{ListParams: ListParams{Order: OrderAsc}})
	require.NoError(t, err)
	require.Len(t, msgs.Data, 2)
	cbCheckUserMessage(t, &msgs.Data[0], "msg_Hx8nM3vDuoT6kqoeSbCcbL2N", thread.ID, question)
	cbCheckAssistantMessage(t, &msgs.Data[1], "msg_RzTnbBMmzDYHk79a0x9qM5uU", thread.ID, run.ID,
		"The first 20 Fibonacci numbers are: 0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181.")

	// The run's steps, oldest first: the code it ran, then the message.
	steps, err := c.Steps.List(ctx, thread.ID, run.ID, StepListParams{ListParams: ListParams{Order: OrderAsc}})
	require.NoError(t, err)
	require.Len(t, steps.Data, 2)
	assert.Equal(t, "step_Xv4nUhNq7n9dzSNnmbq8EJ2K", steps.FirstID)
	assert.Equal(t, "step_0W2fTnbq7CzLwHk3pVj9sEuD", steps.LastID)
	for i := range steps.Data {
		s := &steps.Data[i]
		assert.Equal(t, "thread.run.step", s.Object)
		assert.Equal(t, run.ID, s.RunID)
		assert.Equal(t, thread.ID, s.ThreadID)
		assert.Equal(t, cbAssistantID, s.AssistantID)
		assert.Equal(t, StepStatusCompleted, s.Status)
		assert.Nil(t, s.LastError)
		require.NotNil(t, s.Usage)
		assert.Equal(t, s.Usage.PromptTokens+s.Usage.CompletionTokens, s.Usage.TotalTokens)
		assert.Equal(t, s.Type, s.StepDetails.Type)
	}

	code := steps.Data[0]
	assert.Equal(t, StepTypeToolCalls, code.Type)
	assert.Nil(t, code.StepDetails.MessageCreation)
	require.Len(t, code.StepDetails.ToolCalls, 1)
	call := code.StepDetails.ToolCalls[0]
	assert.Equal(t, "call_E1EE1loDmcWoc7FpkOMKYj6n", call.ID)
	assert.Equal(t, ToolTypeCodeInterpreter, call.Type)
	assert.Nil(t, call.Index)
	assert.Nil(t, call.Function)
	assert.Nil(t, call.FileSearch)
	require.NotNil(t, call.CodeInterpreter)
	assert.Equal(t, "def generate_fibonacci(n):\n fib_sequence = [0, 1]\n while len(fib_sequence) < n:\n"+
		" next_value = fib_sequence[-1] + fib_sequence[-2]\n fib_sequence.append(next_value)\n return fib_sequence\n\n"+
		"# Generate the first 20 Fibonacci numbers\nfirst_20_fibonacci = generate_fibonacci(20)\nfirst_20_fibonacci",
		call.CodeInterpreter.Input)
	assert.NotNil(t, call.CodeInterpreter.Outputs, "outputs is [] in the response")
	assert.Empty(t, call.CodeInterpreter.Outputs)

	written := steps.Data[1]
	assert.Equal(t, StepTypeMessageCreation, written.Type)
	assert.Empty(t, written.StepDetails.ToolCalls)
	require.NotNil(t, written.StepDetails.MessageCreation)
	assert.Equal(t, msgs.Data[1].ID, written.StepDetails.MessageCreation.MessageID)

	fxCheckWire(t, f)
}

func TestFixtureCookbookFileSearch(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "cookbook_file_search")

	const pdfName = "language_models_are_unsupervised_multitask_learners.pdf"
	content := "%PDF-1.4\n% stand-in for " + pdfName + "\n%%EOF\n"
	file, err := c.Files.Upload(ctx, FileUploadParams{Reader: strings.NewReader(content), Filename: pdfName, Purpose: FilePurposeAssistants})
	require.NoError(t, err)
	assert.Equal(t, cbFileID, file.ID)
	assert.Equal(t, "file", file.Object)
	assert.Equal(t, pdfName, file.Filename)
	assert.Equal(t, FilePurposeAssistants, file.Purpose)
	assert.EqualValues(t, len(content), file.Bytes)
	assert.EqualValues(t, 1736340919, file.CreatedAt)
	assert.Zero(t, file.ExpiresAt)
	assert.Equal(t, FileStatusProcessed, file.Status)

	vs, err := c.VectorStores.Create(ctx, VectorStoreCreateParams{Name: "language_models_are_unsupervised_multitask_learners"})
	require.NoError(t, err)
	assert.Equal(t, cbVectorStore, vs.ID)
	assert.Equal(t, "vector_store", vs.Object)
	assert.Equal(t, "language_models_are_unsupervised_multitask_learners", vs.Name)
	assert.Equal(t, VectorStoreStatusCompleted, vs.Status)
	assert.Equal(t, FileCounts{}, vs.FileCounts)
	assert.Nil(t, vs.ExpiresAfter)
	assert.Zero(t, vs.ExpiresAt)
	assert.EqualValues(t, 1736340921, vs.LastActiveAt)

	// Add the file and wait until it is processed, as create_and_poll does.
	vsf, err := c.VectorStores.Files.Create(ctx, vs.ID, VectorStoreFileCreateParams{FileID: file.ID})
	require.NoError(t, err)
	statuses := []VectorStoreFileStatus{vsf.Status}
	for vsf.Status == VectorStoreFileStatusInProgress {
		require.Less(t, len(statuses), 10)
		vsf, err = c.VectorStores.Files.Get(ctx, vs.ID, file.ID)
		require.NoError(t, err)
		statuses = append(statuses, vsf.Status)
	}
	assert.Equal(t, []VectorStoreFileStatus{VectorStoreFileStatusInProgress, VectorStoreFileStatusInProgress, VectorStoreFileStatusCompleted}, statuses)
	assert.Equal(t, file.ID, vsf.ID)
	assert.Equal(t, "vector_store.file", vsf.Object)
	assert.Equal(t, vs.ID, vsf.VectorStoreID)
	assert.EqualValues(t, 105872, vsf.UsageBytes)
	assert.Nil(t, vsf.LastError)
	require.NotNil(t, vsf.ChunkingStrategy)
	assert.Equal(t, ChunkingStrategy{Type: ChunkingStatic, Static: &StaticChunking{MaxChunkSizeTokens: 800, ChunkOverlapTokens: 400}}, *vsf.ChunkingStrategy)
	assert.Empty(t, vsf.Attributes)

	asst, err := c.Assistants.Update(ctx, cbAssistantID, AssistantUpdateParams{
		Tools: []Tool{CodeInterpreterTool(), FileSearchTool()},
		ToolResources: &ToolResources{
			FileSearch:      &FileSearchResources{VectorStoreIDs: []string{vs.ID}},
			CodeInterpreter: &CodeInterpreterResources{FileIDs: []string{file.ID}},
		},
	})
	require.NoError(t, err)
	require.Len(t, asst.Tools, 2)
	assert.Equal(t, CodeInterpreterTool(), asst.Tools[0])
	assert.Equal(t, ToolTypeFileSearch, asst.Tools[1].Type)
	require.NotNil(t, asst.Tools[1].FileSearch)
	assert.Zero(t, asst.Tools[1].FileSearch.MaxNumResults)
	assert.Equal(t, &RankingOptions{Ranker: "default_2024_08_21", ScoreThreshold: 0}, asst.Tools[1].FileSearch.RankingOptions)
	require.NotNil(t, asst.ToolResources)
	assert.Equal(t, &CodeInterpreterResources{FileIDs: []string{file.ID}}, asst.ToolResources.CodeInterpreter)
	assert.Equal(t, &FileSearchResources{VectorStoreIDs: []string{vs.ID}}, asst.ToolResources.FileSearch)

	const question = "What are some cool math concepts behind this ML paper pdf? Explain in two sentences."
	thread, _, run := cbCreateThreadAndRun(t, c, "thread_5WvpmVNC1sn2zJqRn0M8XnFy", question)
	run, statuses2 := cbWaitOnRun(t, c, run)
	assert.Equal(t, []RunStatus{RunStatusQueued, RunStatusInProgress, RunStatusCompleted}, statuses2)
	assert.Equal(t, asst.Tools, run.Tools)
	require.NotNil(t, run.Usage)
	assert.Equal(t, 17206, run.Usage.TotalTokens)

	msgs, err := c.Messages.List(ctx, thread.ID, MessageListParams{ListParams: ListParams{Order: OrderAsc}})
	require.NoError(t, err)
	require.Len(t, msgs.Data, 2)
	cbCheckUserMessage(t, &msgs.Data[0], "msg_qYkJ3sFWMLqSyhV1dOMkF9TZ", thread.ID, question)
	answer := &msgs.Data[1]
	cbCheckAssistantMessage(t, answer, "msg_7kQ2LzmYqfkR0pXc1NnAxWb3", thread.ID, run.ID,
		`The paper explores the concept of multitask learning where a single model is used to perform various tasks, `+
			`modeling the conditional distribution \( p(\text{output} | \text{input, task}) \), inspired by probabilistic approaches【6:10†source】. `+
			`It also discusses the use of Transformer-based architectures and parallel corpus substitution in language models, `+
			`enhancing their ability to generalize across domain tasks without explicit task-specific supervision【6:2†source】【6:5†source】.`)

	// The citations point into the text (indices count characters).
	anns := answer.Content[0].Text.Annotations
	require.Len(t, anns, 3)
	text := []rune(answer.Text())
	for i, want := range []string{"【6:10†source】", "【6:2†source】", "【6:5†source】"} {
		a := anns[i]
		assert.Equal(t, AnnotationTypeFileCitation, a.Type, "annotation %d", i)
		assert.Equal(t, want, a.Text, "annotation %d", i)
		require.NotNil(t, a.FileCitation, "annotation %d", i)
		assert.Equal(t, file.ID, a.FileCitation.FileID, "annotation %d", i)
		assert.Nil(t, a.FilePath, "annotation %d", i)
		require.True(t, a.StartIndex >= 0 && a.StartIndex < a.EndIndex && a.EndIndex <= len(text), "annotation %d: [%d, %d)", i, a.StartIndex, a.EndIndex)
		assert.Equal(t, want, string(text[a.StartIndex:a.EndIndex]), "annotation %d", i)
	}
	assert.Less(t, anns[0].EndIndex, anns[1].StartIndex)
	assert.Equal(t, anns[1].EndIndex, anns[2].StartIndex)

	del, err := c.VectorStores.Delete(ctx, vs.ID)
	require.NoError(t, err)
	assert.Equal(t, Deleted{ID: cbVectorStore, Object: "vector_store.deleted", Deleted: true}, *del)

	fxCheckWire(t, f)
}

// cbDisplayQuizSchema is the cookbook's function_json parameters.
const cbDisplayQuizSchema = `{
  "type": "object",
  "properties": {
    "title": {"type": "string"},
    "questions": {
      "type": "array",
      "description": "An array of questions, each with a title and potentially options (if multiple choice).",
      "items": {
        "type": "object",
        "properties": {
          "question_text": {"type": "string"},
          "question_type": {"type": "string", "enum": ["MULTIPLE_CHOICE", "FREE_RESPONSE"]},
          "choices": {"type": "array", "items": {"type": "string"}}
        },
        "required": ["question_text"]
      }
    }
  },
  "required": ["title", "questions"]
}`

type cbQuizQuestion struct {
	QuestionText string   `json:"question_text"`
	QuestionType string   `json:"question_type"`
	Choices      []string `json:"choices"`
}

// cbDisplayQuiz is the cookbook's display_quiz with its mocked answers.
func cbDisplayQuiz(questions []cbQuizQuestion) []string {
	var responses []string
	for _, q := range questions {
		switch q.QuestionType {
		case "MULTIPLE_CHOICE":
			responses = append(responses, "a")
		case "FREE_RESPONSE":
			responses = append(responses, "I don't know.")
		default:
			responses = append(responses, "")
		}
	}
	return responses
}

// cbPyJSONList encodes strings as Python's json.dumps does a list: with ", "
// between the items.
func cbPyJSONList(t *testing.T, items []string) string {
	t.Helper()
	quoted := make([]string, len(items))
	for i, s := range items {
		b, err := json.Marshal(s)
		require.NoError(t, err)
		quoted[i] = string(b)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

func TestFixtureCookbookFunctions(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "cookbook_functions")

	displayQuiz := FunctionDefinition{
		Name:        "display_quiz",
		Description: "Displays a quiz to the student, and returns the student's response. A single quiz can have multiple questions.",
		Parameters:  json.RawMessage(cbDisplayQuizSchema),
	}
	asst, err := c.Assistants.Update(ctx, cbAssistantID, AssistantUpdateParams{
		Tools: []Tool{CodeInterpreterTool(), FileSearchTool(), FunctionTool(displayQuiz)},
	})
	require.NoError(t, err)
	require.Len(t, asst.Tools, 3)
	assert.Equal(t, ToolTypeCodeInterpreter, asst.Tools[0].Type)
	assert.Equal(t, ToolTypeFileSearch, asst.Tools[1].Type)
	fn := asst.Tools[2]
	assert.Equal(t, ToolTypeFunction, fn.Type)
	require.NotNil(t, fn.Function)
	assert.Equal(t, displayQuiz.Name, fn.Function.Name)
	assert.Equal(t, displayQuiz.Description, fn.Function.Description)
	assert.JSONEq(t, cbDisplayQuizSchema, string(fn.Function.Parameters))
	assert.Equal(t, Ptr(false), fn.Function.Strict)
	require.NotNil(t, asst.ToolResources)
	require.NotNil(t, asst.ToolResources.FileSearch)
	assert.Empty(t, asst.ToolResources.FileSearch.VectorStoreIDs) // the store was deleted
	assert.Equal(t, []string{cbFileID}, asst.ToolResources.CodeInterpreter.FileIDs)

	const question = "Make a quiz with 2 questions: One open ended, one multiple choice. Then, give me feedback for the responses."
	thread, msg, run := cbCreateThreadAndRun(t, c, "thread_8bK2PXfoeijEHBVEzYuJXt17", question)
	assert.Equal(t, "run_ekMRSI2h35asEzKirRf4BTwZ", run.ID)
	run, statuses := cbWaitOnRun(t, c, run)
	assert.Equal(t, []RunStatus{RunStatusQueued, RunStatusInProgress, RunStatusRequiresAction}, statuses)
	assert.EqualValues(t, 1736341020, run.CreatedAt)
	assert.EqualValues(t, 1736341022, run.StartedAt)
	assert.EqualValues(t, 1736341620, run.ExpiresAt)
	assert.Nil(t, run.Usage)
	assert.Equal(t, asst.Tools, run.Tools)
	cbCheckRunDefaults(t, run)

	require.NotNil(t, run.RequiredAction)
	assert.Equal(t, "submit_tool_outputs", run.RequiredAction.Type)
	calls := run.RequiredAction.SubmitToolOutputs.ToolCalls
	require.Len(t, calls, 1)
	call := calls[0]
	assert.Equal(t, "call_uvJEn0fxM4sgmzek8wahBGLi", call.ID)
	assert.Equal(t, "function", call.Type)
	assert.Equal(t, "display_quiz", call.Function.Name)

	var args struct {
		Title     string           `json:"title"`
		Questions []cbQuizQuestion `json:"questions"`
	}
	require.NoError(t, json.Unmarshal([]byte(call.Function.Arguments), &args))
	assert.Equal(t, "Math Quiz", args.Title)
	assert.Equal(t, []cbQuizQuestion{
		{QuestionText: "What is the derivative of the function f(x) = 3x^2 + 2x - 5?", QuestionType: "FREE_RESPONSE"},
		{QuestionText: `What is the value of \( \int_{0}^{1} 2x \, dx \)?`, QuestionType: "MULTIPLE_CHOICE", Choices: []string{"0", "1", "2", "3"}},
	}, args.Questions)

	responses := cbDisplayQuiz(args.Questions)
	assert.Equal(t, []string{"I don't know.", "a"}, responses)
	run, err = c.Runs.SubmitToolOutputs(ctx, thread.ID, run.ID, []ToolOutput{
		{ToolCallID: call.ID, Output: cbPyJSONList(t, responses)},
	})
	require.NoError(t, err)
	assert.Equal(t, "run_ekMRSI2h35asEzKirRf4BTwZ", run.ID)
	assert.Equal(t, RunStatusQueued, run.Status)
	assert.Nil(t, run.RequiredAction)

	run, statuses = cbWaitOnRun(t, c, run)
	assert.Equal(t, []RunStatus{RunStatusQueued, RunStatusInProgress, RunStatusCompleted}, statuses)
	require.NotNil(t, run.Usage)
	assert.Equal(t, Usage{PromptTokens: 19830, CompletionTokens: 301, TotalTokens: 20131, PromptTokenDetails: &PromptTokenDetails{CachedTokens: 0}, CompletionTokensDetails: &CompletionTokensDetails{}}, *run.Usage)

	msgs, err := c.Messages.List(ctx, thread.ID, MessageListParams{ListParams: ListParams{Order: OrderAsc}})
	require.NoError(t, err)
	require.Len(t, msgs.Data, 3)
	cbCheckUserMessage(t, &msgs.Data[0], msg.ID, thread.ID, question)
	cbCheckAssistantMessage(t, &msgs.Data[1], "msg_yX0r6c3DUvcm9ZbQpzM8P6LB", thread.ID, run.ID,
		"Since no specific information was found in the uploaded file, I'll create a general math quiz for you:\n\n"+
			`1. **Open-ended Question**: What is the derivative of the function \( f(x) = 3x^2 + 2x - 5 \)?`+"\n\n"+
			`2. **Multiple Choice Question**: What is the value of \( \int_{0}^{1} 2x \, dx \)?`+"\n"+
			"- A) 0\n- B) 1\n- C) 2\n- D) 3\n\nI will now present the quiz to you for response.")
	feedback := msgs.Data[2].Text()
	assert.True(t, strings.HasPrefix(feedback, "Here is the feedback for your responses:\n"), feedback)
	assert.Contains(t, feedback, `- Your Response: "I don't know."`)
	assert.Contains(t, feedback, `The correct answer is B) 1.`)
	assert.Equal(t, run.ID, msgs.Data[2].RunID)

	fxCheckWire(t, f)
}

// The weather assistant of seed 002, with strict function schemas.
const (
	wxTemperatureSchema = `{
  "type": "object",
  "properties": {
    "location": {"type": "string", "description": "The city and state, e.g., San Francisco, CA"},
    "unit": {"type": "string", "enum": ["Celsius", "Fahrenheit"], "description": "The temperature unit to use. Infer this from the user's location."}
  },
  "required": ["location", "unit"],
  "additionalProperties": false
}`
	wxRainSchema = `{
  "type": "object",
  "properties": {
    "location": {"type": "string", "description": "The city and state, e.g., San Francisco, CA"}
  },
  "required": ["location"],
  "additionalProperties": false
}`
)

func TestFixtureWeatherParallelCalls(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "weather_parallel_calls")

	asst, err := c.Assistants.Create(ctx, AssistantCreateParams{
		Instructions: "You are a weather bot. Use the provided functions to answer questions.",
		Model:        "gpt-4o-2024-08-06",
		Tools: []Tool{
			FunctionTool(FunctionDefinition{
				Name:        "get_current_temperature",
				Description: "Get the current temperature for a specific location",
				Parameters:  json.RawMessage(wxTemperatureSchema),
				Strict:      Ptr(true),
			}),
			FunctionTool(FunctionDefinition{
				Name:        "get_rain_probability",
				Description: "Get the probability of rain for a specific location",
				Parameters:  json.RawMessage(wxRainSchema),
				Strict:      Ptr(true),
			}),
		},
	})
	require.NoError(t, err)
	assert.Equal(t, "asst_Sx2y3WAJgYt2qDl6E0QdQ1Zq", asst.ID)
	assert.Empty(t, asst.Name)
	require.Len(t, asst.Tools, 2)
	for i, schema := range []string{wxTemperatureSchema, wxRainSchema} {
		require.NotNil(t, asst.Tools[i].Function)
		assert.Equal(t, Ptr(true), asst.Tools[i].Function.Strict, "tool %d", i)
		assert.JSONEq(t, schema, string(asst.Tools[i].Function.Parameters), "tool %d", i)
	}
	require.NotNil(t, asst.ToolResources)
	assert.Equal(t, ToolResources{}, *asst.ToolResources)

	thread, err := c.Threads.Create(ctx, ThreadCreateParams{})
	require.NoError(t, err)
	_, err = c.Messages.Create(ctx, thread.ID, MessageCreateParams{
		Role:    RoleUser,
		Content: "What's the weather in San Francisco today and the likelihood it'll rain?",
	})
	require.NoError(t, err)
	run, err := c.Runs.Create(ctx, thread.ID, RunCreateParams{AssistantID: asst.ID})
	require.NoError(t, err)
	run, statuses := cbWaitOnRun(t, c, run)
	assert.Equal(t, []RunStatus{RunStatusQueued, RunStatusInProgress, RunStatusRequiresAction}, statuses)
	assert.Equal(t, "run_qJL1kI9xxWlfE0z1yfL0fGg9", run.ID)

	// Two parallel calls: answer both in one submission, in order.
	require.NotNil(t, run.RequiredAction)
	assert.Equal(t, "submit_tool_outputs", run.RequiredAction.Type)
	calls := run.RequiredAction.SubmitToolOutputs.ToolCalls
	want := []struct{ id, name, location, unit string }{
		{"call_FthC9qRpsL5kBpwwyw6c7j4k", "get_rain_probability", "San Francisco, CA", ""},
		{"call_RpEDoB8O0FTL9JoKTuCVFOyR", "get_current_temperature", "San Francisco, CA", "Fahrenheit"},
	}
	require.Len(t, calls, len(want))
	var outputs []ToolOutput
	for i, w := range want {
		call := calls[i]
		assert.Equal(t, w.id, call.ID)
		assert.Equal(t, "function", call.Type)
		assert.Equal(t, w.name, call.Function.Name)
		var args struct{ Location, Unit string }
		require.NoError(t, json.Unmarshal([]byte(call.Function.Arguments), &args), call.Function.Arguments)
		assert.Equal(t, w.location, args.Location)
		assert.Equal(t, w.unit, args.Unit)
		switch call.Function.Name {
		case "get_current_temperature":
			outputs = append(outputs, ToolOutput{ToolCallID: call.ID, Output: "57"})
		case "get_rain_probability":
			outputs = append(outputs, ToolOutput{ToolCallID: call.ID, Output: "0.06"})
		}
	}
	run, err = c.Runs.SubmitToolOutputs(ctx, thread.ID, run.ID, outputs)
	require.NoError(t, err)
	assert.Equal(t, RunStatusQueued, run.Status)
	assert.Nil(t, run.RequiredAction)
	run, statuses = cbWaitOnRun(t, c, run)
	assert.Equal(t, []RunStatus{RunStatusQueued, RunStatusCompleted}, statuses)
	require.NotNil(t, run.Usage)
	assert.Equal(t, Usage{PromptTokens: 402, CompletionTokens: 39, TotalTokens: 441, PromptTokenDetails: &PromptTokenDetails{CachedTokens: 0}, CompletionTokensDetails: &CompletionTokensDetails{}}, *run.Usage)

	msgs, err := c.Messages.List(ctx, thread.ID, MessageListParams{RunID: run.ID})
	require.NoError(t, err)
	require.Len(t, msgs.Data, 1)
	assert.Equal(t, RoleAssistant, msgs.Data[0].Role)
	assert.Equal(t, run.ID, msgs.Data[0].RunID)
	assert.Equal(t, "The current temperature in San Francisco, CA is 57°F, and there is a 6% chance of rain today.", msgs.Data[0].Text())

	fxCheckWire(t, f)
}
