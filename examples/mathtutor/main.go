// Command mathtutor is the Assistants API cookbook walkthrough ("Math
// Tutor") in Go, end to end: it creates an assistant, talks to it on a
// thread, runs three conversations concurrently, lets it write and run code
// with code_interpreter, answers a question from an uploaded document with
// file_search (printing the citations), and calls a Go function through a
// function tool, the display_quiz of the cookbook. Everything it creates is
// deleted at the end.
//
// Run it offline, against the in-process Assistants server of package
// assistantstest:
//
//	go run ./examples/mathtutor
//
// or against any server that speaks the Assistants API v2:
//
//	OPENAI_BASE_URL=http://127.0.0.1:8089/v1 OPENAI_API_KEY=sk-... go run ./examples/mathtutor
//
// (cmd/assistants-emulator serves the in-process server as a process, which
// accepts any key.)
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"time"

	"github.com/assistants-go/assistants"
	"github.com/assistants-go/assistants/assistantstest"
)

const (
	model        = "gpt-4o"
	instructions = "You are a personal math tutor. Answer questions briefly, in a sentence or less."
)

// offlineNotice is the line printed when the example uses the in-process server.
const offlineNotice = "No OPENAI_API_KEY set: using the in-process Assistants server (assistantstest)."

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	c, closeClient, err := newClient(os.Stderr)
	if err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "mathtutor:", err)
		os.Exit(1)
	}
	err = run(ctx, os.Stdout, c)
	closeClient()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mathtutor:", err)
		os.Exit(1)
	}
}

// newClient returns a client for the server named by OPENAI_BASE_URL and
// OPENAI_API_KEY when a key is set. Otherwise it starts the in-process
// server, says so on notice, and returns a client talking to it. The
// returned func releases what newClient started.
func newClient(notice io.Writer) (*assistants.Client, func(), error) {
	if os.Getenv("OPENAI_API_KEY") != "" {
		c, err := assistants.NewClient()
		if err != nil {
			return nil, nil, err
		}
		return c, func() {}, nil
	}
	srv := assistantstest.NewServer()
	fmt.Fprintln(notice, offlineNotice)
	return srv.Client(), srv.Close, nil
}

// tutor holds the client, the output and what the walkthrough created, so
// that it can all be deleted at the end.
type tutor struct {
	c   *assistants.Client
	out io.Writer

	assistantID string

	mu        sync.Mutex // guards threadIDs (threads are created concurrently)
	threadIDs []string
	fileIDs   []string
	storeIDs  []string // vector stores not deleted yet
}

// run is the whole walkthrough.
func run(ctx context.Context, out io.Writer, c *assistants.Client) (err error) {
	t := &tutor{c: c, out: out}
	defer func() { t.cleanup(ctx) }()

	steps := []struct {
		title string
		fn    func(context.Context) error
	}{
		{"Create the Math Tutor assistant", t.createAssistant},
		{"A thread, a message and a run", t.firstConversation},
		{"Three conversations at once", t.concurrentThreads},
		{"Code interpreter", t.codeInterpreter},
		{"File search", t.fileSearch},
		{"Function calling: display_quiz", t.quiz},
	}
	for i, s := range steps {
		fmt.Fprintf(out, "=== %d. %s ===\n\n", i+1, s.title)
		if err := s.fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", strings.ToLower(s.title[:1])+s.title[1:], err)
		}
	}
	return nil
}

func (t *tutor) createAssistant(ctx context.Context) error {
	a, err := t.c.Assistants.Create(ctx, assistants.AssistantCreateParams{
		Name:         "Math Tutor",
		Instructions: instructions,
		Model:        model,
	})
	if err != nil {
		return err
	}
	t.assistantID = a.ID
	fmt.Fprintf(t.out, "Created assistant %s (%q, model %s)\n", a.ID, a.Name, a.Model)
	fmt.Fprintf(t.out, "Instructions: %s\n\n", a.Instructions)
	return nil
}

func (t *tutor) firstConversation(ctx context.Context) error {
	thread, err := t.createThread(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.out, "Created thread %s\n", thread.ID)
	if _, err := t.submitAndWait(ctx, thread.ID, "I need to solve the equation `3x + 11 = 14`. Can you help me?"); err != nil {
		return err
	}
	// Messages are listed newest first by default.
	page, err := t.c.Messages.List(ctx, thread.ID, assistants.MessageListParams{})
	if err != nil {
		return err
	}
	fmt.Fprintln(t.out, "Messages are listed newest first:")
	fmt.Fprintln(t.out)
	prettyPrint(t.out, page.Data)

	// Ask for more, and list only what came after our question.
	msg, err := t.c.Messages.Create(ctx, thread.ID, assistants.MessageCreateParams{
		Role:    assistants.RoleUser,
		Content: "Could you explain this to me?",
	})
	if err != nil {
		return err
	}
	run, err := t.c.Runs.CreateAndPoll(ctx, thread.ID, assistants.RunCreateParams{AssistantID: t.assistantID})
	if err != nil {
		return err
	}
	if err := completed(run); err != nil {
		return err
	}
	page, err = t.c.Messages.List(ctx, thread.ID, assistants.MessageListParams{
		ListParams: assistants.ListParams{Order: assistants.OrderAsc, After: msg.ID},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(t.out, "Asked %q; the messages after it (order=asc, after=%s):\n\n", msg.Text(), msg.ID)
	prettyPrint(t.out, page.Data)
	return nil
}

// concurrentThreads starts three conversations at once, as concurrent users
// would, then prints each and thanks the assistant on the third.
func (t *tutor) concurrentThreads(ctx context.Context) error {
	prompts := []string{
		"I need to solve the equation `3x + 11 = 14`. Can you help me?",
		"Could you explain linear algebra to me?",
		"I don't like math. What can I do?",
	}
	threadIDs := make([]string, len(prompts))
	errs := make([]error, len(prompts))
	var wg sync.WaitGroup
	for i, p := range prompts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			thread, err := t.createThread(ctx)
			if err != nil {
				errs[i] = fmt.Errorf("thread %d: %w", i+1, err)
				return
			}
			threadIDs[i] = thread.ID
			if _, err := t.submitAndWait(ctx, thread.ID, p); err != nil {
				errs[i] = fmt.Errorf("thread %d: %w", i+1, err)
			}
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for i, id := range threadIDs {
		fmt.Fprintf(t.out, "Thread %d (%s):\n", i+1, id)
		if err := t.printThread(ctx, id); err != nil {
			return err
		}
	}
	fmt.Fprintln(t.out, "Thanking the assistant on thread 3:")
	if _, err := t.submitAndWait(ctx, threadIDs[2], "Thank you!"); err != nil {
		return err
	}
	return t.printThread(ctx, threadIDs[2])
}

func (t *tutor) codeInterpreter(ctx context.Context) error {
	a, err := t.c.Assistants.Update(ctx, t.assistantID, assistants.AssistantUpdateParams{
		Tools: []assistants.Tool{assistants.CodeInterpreterTool()},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(t.out, "Assistant tools: %s\n\n", toolNames(a.Tools))
	thread, err := t.createThread(ctx)
	if err != nil {
		return err
	}
	run, err := t.submitAndWait(ctx, thread.ID, "Generate the first 20 fibbonaci numbers with code.")
	if err != nil {
		return err
	}
	if err := t.printThread(ctx, thread.ID); err != nil {
		return err
	}
	fmt.Fprintln(t.out, "# Run steps")
	i := 0
	for step, err := range t.c.Steps.ListAll(ctx, thread.ID, run.ID, assistants.StepListParams{
		ListParams: assistants.ListParams{Order: assistants.OrderAsc},
	}) {
		if err != nil {
			return err
		}
		i++
		printStep(t.out, i, step)
	}
	fmt.Fprintln(t.out)
	return nil
}

// printStep prints the details of a run step: the code and output of tool
// calls, or the message a message_creation step created.
func printStep(out io.Writer, n int, step *assistants.RunStep) {
	d := step.StepDetails
	switch d.Type {
	case assistants.StepTypeMessageCreation:
		id := ""
		if d.MessageCreation != nil {
			id = d.MessageCreation.MessageID
		}
		fmt.Fprintf(out, "step %d: message_creation (%s): created message %s\n", n, step.Status, id)
	case assistants.StepTypeToolCalls:
		fmt.Fprintf(out, "step %d: tool_calls (%s)\n", n, step.Status)
		for _, call := range d.ToolCalls {
			switch {
			case call.CodeInterpreter != nil:
				fmt.Fprintf(out, "  code_interpreter call %s\n  input:\n%s\n", call.ID, indent(call.CodeInterpreter.Input, "    | "))
				for _, o := range call.CodeInterpreter.Outputs {
					switch {
					case o.Type == "logs":
						fmt.Fprintf(out, "  output (logs):\n%s\n", indent(strings.TrimRight(o.Logs, "\n"), "    | "))
					case o.Image != nil:
						fmt.Fprintf(out, "  output (image): file %s\n", o.Image.FileID)
					default:
						fmt.Fprintf(out, "  output (%s)\n", o.Type)
					}
				}
			case call.FileSearch != nil:
				fmt.Fprintf(out, "  file_search call %s: %d results\n", call.ID, len(call.FileSearch.Results))
			case call.Function != nil:
				fmt.Fprintf(out, "  function call %s: %s(%s) -> %s\n", call.ID, call.Function.Name, call.Function.Arguments, call.Function.Output)
			default:
				fmt.Fprintf(out, "  %s call %s\n", call.Type, call.ID)
			}
		}
	default:
		fmt.Fprintf(out, "step %d: %s (%s)\n", n, d.Type, step.Status)
	}
}

// paper is a short document standing in for the cookbook's PDF, "Language
// Models are Unsupervised Multitask Learners".
const paper = `Language Models are Unsupervised Multitask Learners (summary)

This paper studies language models trained on a large and diverse corpus of web text, and shows that they begin to learn natural language processing tasks without explicit supervision.

Multitask learning. A general system should model p(output | input, task) rather than p(output | input): the task is a condition of the distribution. Since the task, its input and its output can all be written as sequences of symbols, a language model can in principle learn many tasks from text alone, an idea that comes from probabilistic framings of meta-learning.

Language modeling. The core mathematical concept is the factorization of the joint probability of a sequence of symbols as a product of conditional probabilities, p(x) = p(s_1) p(s_2 | s_1) ... p(s_n | s_1, ..., s_{n-1}). Training maximizes the log-likelihood of the text, which makes sampling and estimating tractable.

Transformers. The models use a Transformer architecture based on self-attention, where each token attends to the previous tokens through softmax-weighted dot products of query and key vectors. Layer normalization is moved to the input of each sub-block, and residual weights are scaled at initialization by 1/sqrt(N), where N is the number of residual layers.

Zero-shot transfer. Without any parameter or architecture changes, the largest model reaches strong results on reading comprehension, translation, summarization and question answering, and its performance improves log-linearly with model capacity.
`

func (t *tutor) fileSearch(ctx context.Context) error {
	file, err := t.c.Files.Upload(ctx, assistants.FileUploadParams{
		Reader:   strings.NewReader(paper),
		Filename: "language_models_are_unsupervised_multitask_learners.txt",
		Purpose:  assistants.FilePurposeAssistants,
	})
	if err != nil {
		return err
	}
	t.fileIDs = append(t.fileIDs, file.ID)
	fmt.Fprintf(t.out, "Uploaded file %s (%s, %d bytes)\n", file.ID, file.Filename, file.Bytes)

	store, err := t.c.VectorStores.Create(ctx, assistants.VectorStoreCreateParams{
		Name: "language_models_are_unsupervised_multitask_learners",
	})
	if err != nil {
		return err
	}
	t.storeIDs = append(t.storeIDs, store.ID)
	fmt.Fprintf(t.out, "Created vector store %s\n", store.ID)

	vf, err := t.c.VectorStores.Files.CreateAndPoll(ctx, store.ID, assistants.VectorStoreFileCreateParams{FileID: file.ID})
	if err != nil {
		return err
	}
	if vf.Status != assistants.VectorStoreFileStatusCompleted {
		msg := ""
		if vf.LastError != nil {
			msg = ": " + vf.LastError.Message
		}
		return fmt.Errorf("file %s was not added to vector store %s: %s%s", file.ID, store.ID, vf.Status, msg)
	}
	fmt.Fprintln(t.out, "File added to vector store")

	a, err := t.c.Assistants.Update(ctx, t.assistantID, assistants.AssistantUpdateParams{
		Tools: []assistants.Tool{assistants.CodeInterpreterTool(), assistants.FileSearchTool()},
		ToolResources: &assistants.ToolResources{
			FileSearch:      &assistants.FileSearchResources{VectorStoreIDs: []string{store.ID}},
			CodeInterpreter: &assistants.CodeInterpreterResources{FileIDs: []string{file.ID}},
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(t.out, "Assistant tools: %s\n\n", toolNames(a.Tools))

	thread, err := t.createThread(ctx)
	if err != nil {
		return err
	}
	run, err := t.submitAndWait(ctx, thread.ID, "What are some cool math concepts behind this ML paper pdf? Explain in two sentences.")
	if err != nil {
		return err
	}
	if err := t.printThread(ctx, thread.ID); err != nil {
		return err
	}
	if err := t.printCitations(ctx, thread.ID, run.ID); err != nil {
		return err
	}

	d, err := t.c.VectorStores.Delete(ctx, store.ID)
	if err != nil {
		return err
	}
	t.storeIDs = t.storeIDs[:0]
	fmt.Fprintf(t.out, "Deleted vector store %s: %t\n\n", d.ID, d.Deleted)
	return nil
}

// printCitations lists the file citations in the messages of a run: the
// annotated text, then the file it cites.
func (t *tutor) printCitations(ctx context.Context, threadID, runID string) error {
	filenames := map[string]string{}
	n := 0
	for m, err := range t.c.Messages.ListAll(ctx, threadID, assistants.MessageListParams{
		ListParams: assistants.ListParams{Order: assistants.OrderAsc},
		RunID:      runID,
	}) {
		if err != nil {
			return err
		}
		for _, part := range m.Content {
			if part.Text == nil {
				continue
			}
			for _, a := range part.Text.Annotations {
				if a.FileCitation == nil {
					continue
				}
				id := a.FileCitation.FileID
				name, ok := filenames[id]
				if !ok {
					f, err := t.c.Files.Get(ctx, id)
					if err != nil {
						return fmt.Errorf("citation %s: %w", a.Text, err)
					}
					name, filenames[id] = f.Filename, f.Filename
				}
				if n == 0 {
					fmt.Fprintln(t.out, "# Citations")
				}
				n++
				fmt.Fprintf(t.out, "[%d] %s -> %s (%s)\n", n, a.Text, id, name)
				if a.FileCitation.Quote != "" {
					fmt.Fprintf(t.out, "    %q\n", a.FileCitation.Quote)
				}
			}
		}
	}
	if n == 0 {
		fmt.Fprintln(t.out, "(the answer cites no file)")
	}
	fmt.Fprintln(t.out)
	return nil
}

// displayQuizSchema is the JSON schema of display_quiz's parameters, as in
// the cookbook.
const displayQuizSchema = `{
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

// question is one question of display_quiz's arguments.
type question struct {
	QuestionText string   `json:"question_text"`
	QuestionType string   `json:"question_type"`
	Choices      []string `json:"choices"`
}

// displayQuiz shows a quiz and returns the student's answers. The answers
// are mocked, as in the cookbook: "I don't know." to free response
// questions and "a" to multiple choice ones.
func displayQuiz(out io.Writer, title string, questions []question) []string {
	fmt.Fprintln(out, "Quiz:", title)
	fmt.Fprintln(out)
	responses := make([]string, 0, len(questions))
	for _, q := range questions {
		fmt.Fprintln(out, q.QuestionText)
		response := ""
		switch q.QuestionType {
		case "MULTIPLE_CHOICE":
			for i, choice := range q.Choices {
				fmt.Fprintf(out, "%d. %s\n", i, choice)
			}
			response = "a"
		default: // FREE_RESPONSE
			response = "I don't know."
		}
		responses = append(responses, response)
		fmt.Fprintln(out)
	}
	return responses
}

func (t *tutor) quiz(ctx context.Context) error {
	a, err := t.c.Assistants.Update(ctx, t.assistantID, assistants.AssistantUpdateParams{
		Tools: []assistants.Tool{
			assistants.CodeInterpreterTool(),
			assistants.FileSearchTool(),
			assistants.FunctionTool(assistants.FunctionDefinition{
				Name:        "display_quiz",
				Description: "Displays a quiz to the student, and returns the student's response. A single quiz can have multiple questions.",
				Parameters:  json.RawMessage(displayQuizSchema),
			}),
		},
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(t.out, "Assistant tools: %s\n\n", toolNames(a.Tools))

	thread, err := t.createThread(ctx)
	if err != nil {
		return err
	}
	run, err := t.submit(ctx, thread.ID, "Make a quiz with 2 questions: One open ended, one multiple choice. Then, give me feedback for the responses.")
	if err != nil {
		return err
	}
	for run.Status == assistants.RunStatusRequiresAction {
		fmt.Fprintf(t.out, "Run status: %s\n\n", run.Status)
		outputs, err := t.answerToolCalls(run)
		if err != nil {
			return err
		}
		run, err = t.c.Runs.SubmitToolOutputsAndPoll(ctx, thread.ID, run.ID, outputs)
		if err != nil {
			return err
		}
	}
	if err := completed(run); err != nil {
		return err
	}
	fmt.Fprintf(t.out, "Run status: %s\n\n", run.Status)
	return t.printThread(ctx, thread.ID)
}

// answerToolCalls runs the functions a run asks for and returns their
// outputs, all to be submitted together.
func (t *tutor) answerToolCalls(run *assistants.Run) ([]assistants.ToolOutput, error) {
	var outputs []assistants.ToolOutput
	for _, call := range run.RequiredAction.SubmitToolOutputs.ToolCalls {
		fmt.Fprintln(t.out, "Function Name:", call.Function.Name)
		fmt.Fprintln(t.out, "Function Arguments:")
		fmt.Fprintln(t.out, indentJSON(call.Function.Arguments))
		fmt.Fprintln(t.out)
		if call.Function.Name != "display_quiz" {
			outputs = append(outputs, assistants.ToolOutput{
				ToolCallID: call.ID,
				Output:     `{"error":"unknown function ` + call.Function.Name + `"}`,
			})
			continue
		}
		var args struct {
			Title     string     `json:"title"`
			Questions []question `json:"questions"`
		}
		if err := json.Unmarshal([]byte(call.Function.Arguments), &args); err != nil {
			return nil, fmt.Errorf("arguments of %s: %w", call.Function.Name, err)
		}
		responses := displayQuiz(t.out, args.Title, args.Questions)
		encoded, err := json.Marshal(responses)
		if err != nil {
			return nil, err
		}
		fmt.Fprintln(t.out, "Responses:", string(encoded))
		fmt.Fprintln(t.out)
		outputs = append(outputs, assistants.ToolOutput{ToolCallID: call.ID, Output: string(encoded)})
	}
	return outputs, nil
}

// createThread creates a thread and remembers it for the cleanup.
func (t *tutor) createThread(ctx context.Context) (*assistants.Thread, error) {
	thread, err := t.c.Threads.Create(ctx, assistants.ThreadCreateParams{})
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	t.threadIDs = append(t.threadIDs, thread.ID)
	t.mu.Unlock()
	return thread, nil
}

// submit adds a user message to a thread, starts a run of the assistant and
// polls it until it ends or waits for tool outputs.
func (t *tutor) submit(ctx context.Context, threadID, text string) (*assistants.Run, error) {
	if _, err := t.c.Messages.Create(ctx, threadID, assistants.MessageCreateParams{
		Role:    assistants.RoleUser,
		Content: text,
	}); err != nil {
		return nil, err
	}
	// The poll helpers wait as long as the server's openai-poll-after-ms
	// header says (1 s without it).
	return t.c.Runs.CreateAndPoll(ctx, threadID, assistants.RunCreateParams{AssistantID: t.assistantID})
}

// submitAndWait is submit for runs that must complete.
func (t *tutor) submitAndWait(ctx context.Context, threadID, text string) (*assistants.Run, error) {
	run, err := t.submit(ctx, threadID, text)
	if err != nil {
		return nil, err
	}
	return run, completed(run)
}

// completed reports an error unless run completed.
func completed(run *assistants.Run) error {
	if run.Status == assistants.RunStatusCompleted {
		return nil
	}
	msg := ""
	if run.LastError != nil {
		msg = fmt.Sprintf(": %s: %s", run.LastError.Code, run.LastError.Message)
	}
	return fmt.Errorf("run %s ended %s%s", run.ID, run.Status, msg)
}

// printThread prints every message of a thread, oldest first.
func (t *tutor) printThread(ctx context.Context, threadID string) error {
	var msgs []assistants.Message
	for m, err := range t.c.Messages.ListAll(ctx, threadID, assistants.MessageListParams{
		ListParams: assistants.ListParams{Order: assistants.OrderAsc},
	}) {
		if err != nil {
			return err
		}
		msgs = append(msgs, *m)
	}
	prettyPrint(t.out, msgs)
	return nil
}

// prettyPrint prints messages as the cookbook's pretty_print does.
func prettyPrint(out io.Writer, msgs []assistants.Message) {
	fmt.Fprintln(out, "# Messages")
	for i := range msgs {
		fmt.Fprintf(out, "%s: %s\n", msgs[i].Role, msgs[i].Text())
	}
	fmt.Fprintln(out)
}

// cleanup deletes what the walkthrough created. Failures are reported, not
// returned: they must not hide the walkthrough's own error.
func (t *tutor) cleanup(ctx context.Context) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	var failed []string
	try := func(what string, err error) {
		if err != nil {
			failed = append(failed, fmt.Sprintf("%s: %v", what, err))
		}
	}
	for _, id := range t.storeIDs {
		_, err := t.c.VectorStores.Delete(ctx, id)
		try("vector store "+id, err)
	}
	for _, id := range t.threadIDs {
		_, err := t.c.Threads.Delete(ctx, id)
		try("thread "+id, err)
	}
	for _, id := range t.fileIDs {
		_, err := t.c.Files.Delete(ctx, id)
		try("file "+id, err)
	}
	if t.assistantID != "" {
		_, err := t.c.Assistants.Delete(ctx, t.assistantID)
		try("assistant "+t.assistantID, err)
	}
	var deleted []string
	if t.assistantID != "" {
		deleted = append(deleted, "assistant "+t.assistantID)
	}
	for _, c := range []struct {
		n    int
		what string
	}{{len(t.threadIDs), "thread"}, {len(t.fileIDs), "file"}, {len(t.storeIDs), "vector store"}} {
		switch {
		case c.n == 1:
			deleted = append(deleted, "1 "+c.what)
		case c.n > 1:
			deleted = append(deleted, fmt.Sprintf("%d %ss", c.n, c.what))
		}
	}
	if len(deleted) == 0 {
		return
	}
	fmt.Fprintf(t.out, "=== Cleanup ===\n\nDeleted %s", strings.Join(deleted, ", "))
	if len(failed) == 0 {
		fmt.Fprintln(t.out, ".")
		return
	}
	fmt.Fprintln(t.out, "; except:")
	for _, f := range failed {
		fmt.Fprintf(t.out, "  could not delete %s\n", f)
	}
}

func toolNames(tools []assistants.Tool) string {
	if len(tools) == 0 {
		return "none"
	}
	names := make([]string, len(tools))
	for i, tool := range tools {
		names[i] = string(tool.Type)
		if tool.Function != nil {
			names[i] += " " + tool.Function.Name
		}
	}
	return strings.Join(names, ", ")
}

// indent prefixes every line of s (without trailing spaces on empty lines).
func indent(s, prefix string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(prefix+l, " ")
	}
	return strings.Join(lines, "\n")
}

// indentJSON pretty-prints a JSON text (keeping its key order), or returns
// it as it is if it is not JSON.
func indentJSON(s string) string {
	var b bytes.Buffer
	if err := json.Indent(&b, []byte(s), "", "  "); err != nil {
		return s
	}
	return b.String()
}
