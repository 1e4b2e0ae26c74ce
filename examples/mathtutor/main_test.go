package main

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/assistants-go/assistants"
	"github.com/assistants-go/assistants/assistantstest"
)

func TestRunOffline(t *testing.T) {
	before := runtime.NumGoroutine()
	srv := assistantstest.NewServer()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	var out bytes.Buffer
	err := run(ctx, &out, srv.Client())
	require.NoError(t, err, "output so far:\n%s", out.String())
	got := out.String()

	// The walkthrough, in order.
	inOrder(t, got,
		"=== 1. Create the Math Tutor assistant ===",
		`Created assistant asst_`,
		"=== 2. A thread, a message and a run ===",
		// Listed newest first: the answer, then the question.
		"# Messages\nassistant: Sure! Subtract 11 from both sides to get 3x = 3, then divide by 3 to find x = 1.\nuser: I need to solve the equation `3x + 11 = 14`. Can you help me?\n",
		`Asked "Could you explain this to me?"; the messages after it (order=asc, after=msg_`,
		"# Messages\nassistant: Certainly! To isolate x, first subtract 11 from both sides of the equation 3x + 11 = 14",
		"giving you x = 1.\n",
		"=== 3. Three conversations at once ===",
		"Thread 1 (thread_",
		"user: I need to solve the equation `3x + 11 = 14`. Can you help me?\nassistant: Sure! Subtract 11 from both sides to get 3x = 3, then divide by 3 to find x = 1.\n",
		"Thread 2 (thread_",
		"user: Could you explain linear algebra to me?\nassistant: ",
		"Thread 3 (thread_",
		"user: I don't like math. What can I do?\nassistant: ",
		"Thanking the assistant on thread 3:",
		"user: Thank you!\nassistant: You're welcome! If you have any more questions, feel free to ask!\n",
		"=== 4. Code interpreter ===",
		"Assistant tools: code_interpreter\n",
		"user: Generate the first 20 fibbonaci numbers with code.\nassistant: The first 20 Fibonacci numbers are: 0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181.",
		"# Run steps\nstep 1: tool_calls (completed)\n  code_interpreter call call_",
		"    | def generate_fibonacci(n):",
		"  output (logs):\n    | [0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181]\n",
		"step 2: message_creation (completed): created message msg_",
		"=== 5. File search ===",
		"Uploaded file file-",
		"File added to vector store",
		"Assistant tools: code_interpreter, file_search\n",
		"user: What are some cool math concepts behind this ML paper pdf? Explain in two sentences.\nassistant: ",
		"†source】",
		"# Citations\n[1] 【4:",
		"†source】 -> file-",
		" (language_models_are_unsupervised_multitask_learners.txt)\n",
		"Deleted vector store vs_",
		": true",
		"=== 6. Function calling: display_quiz ===",
		"Assistant tools: code_interpreter, file_search, function display_quiz\n",
		"Run status: requires_action",
		"Function Name: display_quiz\nFunction Arguments:\n{\n",
		"Quiz: ",
		"Responses: [",
		"Run status: completed",
		"user: Make a quiz with 2 questions: One open ended, one multiple choice. Then, give me feedback for the responses.\nassistant: ",
		"Here is the feedback for your responses:",
		"=== Cleanup ===",
		"Deleted assistant asst_",
	)
	// The mocked answers of the quiz: one per question type.
	assert.Contains(t, got, `"I don't know."`)
	assert.Contains(t, got, `"a"`)
	// Everything was cleaned up without error.
	assert.Contains(t, got, ", 7 threads, 1 file.\n")
	assert.NotContains(t, got, "could not delete")

	srv.Close()
	checkGoroutines(t, before)
}

func TestRunReportsErrors(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// A client with a key the server rejects: the first call fails and run
	// says which step failed.
	srv := assistantstest.NewServer(assistantstest.WithAPIKey("right-key"))
	defer srv.Close()
	var out bytes.Buffer
	err := run(ctx, &out, srv.Client())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "create the Math Tutor assistant")
	assert.NotContains(t, out.String(), "=== Cleanup ===")
}

func TestRunCleansUpAfterAFailure(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// Creating the vector store fails (400 is not retried): run stops at the
	// file search step and still deletes what it created.
	srv := assistantstest.NewServer(assistantstest.WithFault(assistantstest.Fault{
		Method: "POST", Path: "/vector_stores", Status: 400,
	}))
	defer srv.Close()
	var out bytes.Buffer
	err := run(ctx, &out, srv.Client())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "file search")
	assert.Contains(t, out.String(), "=== Cleanup ===\n\nDeleted assistant asst_")
	assert.Contains(t, out.String(), ", 5 threads, 1 file.\n")
	assert.Equal(t, 1, srv.RequestCount("DELETE", "/assistants/*"))
	assert.Equal(t, 5, srv.RequestCount("DELETE", "/threads/*"))
	assert.Equal(t, 1, srv.RequestCount("DELETE", "/files/*"))
}

func TestNewClientWithoutKeyUsesInProcessServer(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "")
	t.Setenv("OPENAI_BASE_URL", "")
	var notice bytes.Buffer
	c, closeClient, err := newClient(&notice)
	require.NoError(t, err)
	defer closeClient()
	assert.Equal(t, offlineNotice+"\n", notice.String(), "exactly one line")
	assert.True(t, strings.HasPrefix(c.BaseURL(), "http://127.0.0.1:"), c.BaseURL())

	_, err = c.Assistants.List(context.Background(), assistants.ListParams{})
	require.NoError(t, err)
}

func TestNewClientWithKeyUsesTheEnvironment(t *testing.T) {
	srv := assistantstest.NewServer()
	defer srv.Close()
	t.Setenv("OPENAI_API_KEY", "test-key")
	t.Setenv("OPENAI_BASE_URL", srv.URL)
	var notice bytes.Buffer
	c, closeClient, err := newClient(&notice)
	require.NoError(t, err)
	defer closeClient()
	assert.Empty(t, notice.String())
	assert.Equal(t, srv.URL+"/", c.BaseURL())

	_, err = c.Assistants.List(context.Background(), assistants.ListParams{})
	require.NoError(t, err)
	assert.Equal(t, 1, srv.RequestCount("GET", "/assistants"))
}

func TestNewClientWithKeyButNoBaseURLFails(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "test-key")
	t.Setenv("OPENAI_BASE_URL", "")
	var notice bytes.Buffer
	_, _, err := newClient(&notice)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "OPENAI_BASE_URL")
	assert.Empty(t, notice.String())
}

func TestDisplayQuiz(t *testing.T) {
	var out bytes.Buffer
	responses := displayQuiz(&out, "Sample Quiz", []question{
		{QuestionText: "What is your name?", QuestionType: "FREE_RESPONSE"},
		{QuestionText: "What is your favorite color?", QuestionType: "MULTIPLE_CHOICE", Choices: []string{"Red", "Blue", "Green", "Yellow"}},
	})
	assert.Equal(t, []string{"I don't know.", "a"}, responses)
	assert.Equal(t, "Quiz: Sample Quiz\n\nWhat is your name?\n\nWhat is your favorite color?\n0. Red\n1. Blue\n2. Green\n3. Yellow\n\n", out.String())
}

// inOrder checks that got contains each of want, in this order.
func inOrder(t *testing.T, got string, want ...string) {
	t.Helper()
	rest := got
	for _, w := range want {
		i := strings.Index(rest, w)
		if i < 0 {
			t.Fatalf("output lacks %q after the previous lines (or has it out of order); output:\n%s", w, got)
		}
		rest = rest[i+len(w):]
	}
}

// checkGoroutines waits a little for the goroutine count to come back to
// about what it was, and reports the stacks if it does not.
func checkGoroutines(t *testing.T, before int) {
	t.Helper()
	const tolerance = 2
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before+tolerance && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before+tolerance {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines before, %d after:\n%s", before, n, buf[:runtime.Stack(buf, true)])
	}
}
