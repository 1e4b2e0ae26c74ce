package assistantstest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// DefaultModel returns the deterministic model the server uses unless
// WithModel says otherwise. It makes examples meaningful without a real
// model:
//
//   - Function tools whose name or description share words with the
//     request (with a few synonyms: "weather" finds temperature and rain
//     functions, "quiz" finds a quiz function) are called, in parallel when
//     several match, with arguments built to satisfy their JSON schemas
//     (required properties, enums — "Fahrenheit" or the first value — and
//     strings inferred from the request, such as a location "San Francisco,
//     CA"). After the outputs are submitted it answers using them.
//   - With code_interpreter enabled, a request mentioning code, computing or
//     Fibonacci numbers gets a code_interpreter step with Python input and
//     real logs (the Fibonacci numbers are computed), then an answer.
//   - With file_search enabled and documents available, a request about the
//     files (or matching their words) searches them and answers quoting the
//     best passages with 【4:N†source】 citations (file_citation annotations).
//   - "3x + 11 = 14" style equations are solved (and explained on a
//     follow-up "explain"); thanks and greetings get the usual replies;
//     anything else gets a short polite reply.
//
// tool_choice "none", "required" and named tools are honoured, and
// response_format json_object / json_schema replies are JSON.
func DefaultModel() Model { return defaultModel{} }

type defaultModel struct{}

// Respond implements Model.
func (defaultModel) Respond(_ context.Context, t *Turn) (*Reply, error) {
	q := t.LastUserText()
	if n := len(t.Results); n > 0 {
		last := t.Results[n-1]
		switch last.Type {
		case "function":
			return format(t, answerFromFunctions(t)), nil
		case "code_interpreter":
			return format(t, answerFromCode(q, last.CodeInterpreter)), nil
		case "file_search":
			return format(t, answerFromSearch(last.Hits, q)), nil
		}
	}
	choice := t.ToolChoice.Type
	if choice != "none" {
		fns := t.Functions()
		switch choice {
		case "function":
			for _, f := range fns {
				if f.Name == t.ToolChoice.Function {
					return CallReply(callFor(t, f, q)), nil
				}
			}
		case "code_interpreter":
			if t.HasTool("code_interpreter") {
				return &Reply{CodeInterpreter: codeFor(q)}, nil
			}
		case "file_search":
			if t.HasTool("file_search") {
				return &Reply{FileSearch: &FileSearchCall{Query: q}}, nil
			}
		}
		matched := matchFunctions(fns, q)
		if len(matched) == 0 && choice == "required" && len(fns) > 0 {
			matched = fns[:1]
		}
		if len(matched) > 0 {
			var calls []FunctionCall
			for _, f := range matched {
				calls = append(calls, callFor(t, f, q))
			}
			return CallReply(calls...), nil
		}
		if t.HasTool("code_interpreter") && (wantsCode(q) || choice == "required") {
			return &Reply{CodeInterpreter: codeFor(q)}, nil
		}
		if t.HasTool("file_search") && len(t.Documents) > 0 && (wantsSearch(q, t.Documents) || choice == "required") {
			return &Reply{FileSearch: &FileSearchCall{Query: q}}, nil
		}
	}
	return format(t, answer(t, q)), nil
}

// format shapes the final text for the run's response_format.
func format(t *Turn, text string) *Reply {
	switch t.ResponseFormat.Type {
	case "json_object":
		return TextReply(string(mustJSON(map[string]string{"response": text})))
	case "json_schema":
		g := &argGen{text: t.LastUserText(), instructions: t.Instructions, now: t.Now}
		return TextReply(g.generateJSON(t.ResponseFormat.Schema))
	}
	return TextReply(text)
}

var synonymGroups = [][]string{
	{"weather", "temperature", "temp", "rain", "forecast", "precipitation", "sunny", "humidity", "wind", "snow", "umbrella", "degree", "climate"},
	{"quiz", "test", "exam", "trivia"},
	{"stock", "price", "share", "ticker", "market"},
	{"time", "clock", "timezone"},
	{"email", "mail", "inbox"},
	{"translate", "translation", "language"},
	{"calendar", "meeting", "schedule", "appointment"},
	{"order", "purchase", "shipping", "delivery"},
}

// splitName turns get_current_temperature or getCurrentTemperature into
// words.
func splitName(name string) string {
	var b strings.Builder
	prev := rune(0)
	for _, r := range name {
		switch {
		case r == '_' || r == '-' || r == '.':
			b.WriteByte(' ')
		case unicode.IsUpper(r) && unicode.IsLower(prev):
			b.WriteByte(' ')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
		prev = r
	}
	return b.String()
}

// matchFunctions returns the functions related to the request: a shared
// name word counts 2, a shared description word 1, and 2 is needed.
func matchFunctions(fns []Tool, q string) []Tool {
	want := map[string]bool{}
	for _, t := range terms(q) {
		want[t] = true
	}
	for _, g := range synonymGroups {
		hit := false
		for _, w := range g {
			if want[stem(w)] {
				hit = true
				break
			}
		}
		if hit {
			for _, w := range g {
				want[stem(w)] = true
			}
		}
	}
	var out []Tool
	for _, f := range fns {
		score := 0
		seen := map[string]bool{}
		for _, w := range terms(splitName(f.Name)) {
			if want[w] && !seen[w] {
				score += 2
				seen[w] = true
			}
		}
		for _, w := range terms(f.Description) {
			if want[w] && !seen[w] {
				score++
				seen[w] = true
			}
		}
		if score >= 2 {
			out = append(out, f)
		}
	}
	return out
}

func callFor(t *Turn, f Tool, q string) FunctionCall {
	g := &argGen{text: q, instructions: t.Instructions, fnName: f.Name + " " + f.Description, now: t.Now}
	return FunctionCall{Name: f.Name, Arguments: g.generateJSON(f.Parameters)}
}

func answerFromFunctions(t *Turn) string {
	var parts []string
	for _, r := range t.Results {
		if r.Type == "function" && r.Function != nil && r.Function.Name == "display_quiz" {
			if fb, ok := quizFeedback(r.Function.Arguments, r.Output); ok {
				return fb
			}
		}
		if r.Type == "function" && r.Function != nil {
			parts = append(parts, fmt.Sprintf("%s returned %s", r.Function.Name, strings.TrimSpace(r.Output)))
		}
	}
	return "Here is what I found: " + strings.Join(parts, "; ") + "."
}

func wantsCode(q string) bool {
	l := strings.ToLower(q)
	for _, w := range []string{"code", "compute", "calculat", "python", "program", "script", "fib", "execute", "plot"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

var arithmeticRE = regexp.MustCompile(`(-?\d+(?:\.\d+)?)\s*([-+*/^×])\s*(-?\d+(?:\.\d+)?)`)

// codeFor writes the code_interpreter call for a request, computing its
// output for real.
func codeFor(q string) *CodeInterpreterCall {
	l := strings.ToLower(q)
	if strings.Contains(l, "fib") {
		n := 10
		if m := numberRE.FindString(q); m != "" {
			if v, err := strconv.Atoi(m); err == nil {
				n = v
			}
		}
		n = min(max(n, 1), 90)
		seq := make([]string, 0, n)
		a, b := uint64(0), uint64(1)
		for i := 0; i < n; i++ {
			seq = append(seq, strconv.FormatUint(a, 10))
			a, b = b, a+b
		}
		input := "def generate_fibonacci(n):\n    fib_sequence = [0, 1]\n    while len(fib_sequence) < n:\n" +
			"        next_value = fib_sequence[-1] + fib_sequence[-2]\n        fib_sequence.append(next_value)\n" +
			"    return fib_sequence[:n]\n\n# Generate the first " + strconv.Itoa(n) + " Fibonacci numbers\n" +
			"first_fibonacci = generate_fibonacci(" + strconv.Itoa(n) + ")\nprint(first_fibonacci)"
		return &CodeInterpreterCall{Input: input, Logs: "[" + strings.Join(seq, ", ") + "]\n"}
	}
	if m := arithmeticRE.FindStringSubmatch(q); m != nil {
		a, _ := strconv.ParseFloat(m[1], 64)
		b, _ := strconv.ParseFloat(m[3], 64)
		op := m[2]
		var v float64
		isFloat := strings.Contains(m[1], ".") || strings.Contains(m[3], ".")
		switch op {
		case "+":
			v = a + b
		case "-":
			v = a - b
		case "*", "×":
			op, v = "*", a*b
		case "/":
			if b == 0 {
				return &CodeInterpreterCall{Input: "result = " + m[1] + " / " + m[3] + "\nprint(result)",
					Logs: "Traceback (most recent call last):\n  File \"<stdin>\", line 1, in <module>\nZeroDivisionError: division by zero\n"}
			}
			v, isFloat = a/b, true
		case "^":
			op, v = "**", math.Pow(a, b)
		}
		return &CodeInterpreterCall{Input: "result = " + m[1] + " " + op + " " + m[3] + "\nprint(result)", Logs: pyNumber(v, isFloat) + "\n"}
	}
	return &CodeInterpreterCall{Input: "print(\"Hello from the code interpreter!\")", Logs: "Hello from the code interpreter!\n"}
}

// pyNumber formats v as Python's print would.
func pyNumber(v float64, isFloat bool) string {
	if !isFloat && v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatInt(int64(v), 10)
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if !strings.ContainsAny(s, ".eIN") {
		s += ".0"
	}
	return s
}

func answerFromCode(q string, c *CodeInterpreterCall) string {
	logs := ""
	if c != nil {
		logs = strings.TrimSpace(c.Logs)
	}
	if strings.Contains(strings.ToLower(q), "fib") && strings.HasPrefix(logs, "[") {
		nums := strings.TrimSuffix(strings.TrimPrefix(logs, "["), "]")
		n := len(strings.Split(nums, ","))
		return fmt.Sprintf("The first %d Fibonacci numbers are: %s.", n, nums)
	}
	if logs == "" {
		return "I ran the code; it printed nothing."
	}
	return "I ran the code and it printed: " + logs
}

func wantsSearch(q string, docs []Document) bool {
	l := strings.ToLower(q)
	for _, w := range []string{"file", "document", "pdf", "paper", "upload", "attach", "according to", "source"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	hits := searchDocuments(docs, q, 1, 0.5)
	return len(hits) > 0
}

var pronouns = map[string]bool{"It": true, "This": true, "They": true, "These": true, "That": true, "He": true, "She": true}

var sentenceRE = regexp.MustCompile(`[^.!?]+[.!?]*`)

// bestSentence picks the sentence of a passage sharing the most words with
// the query (the first one on a tie), shortened.
func bestSentence(passage, query string) string {
	passage = strings.Join(strings.Fields(passage), " ")
	want := map[string]bool{}
	for _, t := range terms(query) {
		want[t] = true
	}
	best, bestScore := passage, -1
	sentences := sentenceRE.FindAllString(passage, -1)
	for i, sent := range sentences {
		sent = strings.TrimSpace(sent)
		score := 0
		for _, t := range terms(sent) {
			if want[t] {
				score++
			}
		}
		if sent != "" && score > bestScore {
			best, bestScore = sent, score
			if f := strings.Fields(sent); i > 0 && len(f) > 0 && pronouns[f[0]] {
				best = strings.TrimSpace(sentences[i-1]) + " " + sent
			}
		}
	}
	if r := []rune(best); len(r) > 1 && unicode.IsUpper(r[0]) && unicode.IsLower(r[1]) {
		r[0] = unicode.ToLower(r[0])
		best = string(r)
	}
	if r := []rune(best); len(r) > 240 {
		best = string(r[:240]) + "…"
	}
	return best
}

func answerFromSearch(hits []SearchResult, query string) string {
	if len(hits) == 0 {
		return "I couldn't find anything about that in the provided files."
	}
	var parts []string
	for i, h := range hits {
		if i == 2 {
			break
		}
		s := strings.TrimRight(bestSentence(h.Text, query), ".")
		parts = append(parts, fmt.Sprintf("According to %s, %s【4:%d†source】.", h.Filename, s, h.Index))
	}
	return strings.Join(parts, " ")
}

var equationRE = regexp.MustCompile(`(-?\d+(?:\.\d+)?)?\s*\*?\s*([a-z])\s*([+-])\s*(\d+(?:\.\d+)?)\s*=\s*(-?\d+(?:\.\d+)?)`)

type equation struct {
	a, b, c float64
	v       string
	sign    string
	text    string
}

func findEquation(s string) *equation {
	m := equationRE.FindStringSubmatch(strings.ReplaceAll(s, "`", ""))
	if m == nil {
		return nil
	}
	e := &equation{a: 1, v: m[2], sign: m[3], text: strings.TrimSpace(m[0])}
	if m[1] != "" {
		e.a, _ = strconv.ParseFloat(m[1], 64)
	}
	e.b, _ = strconv.ParseFloat(m[4], 64)
	e.c, _ = strconv.ParseFloat(m[5], 64)
	if e.a == 0 {
		return nil
	}
	return e
}

func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*10000)/10000, 'f', -1, 64)
}

func (e *equation) steps() (move, rhs, ax, result string) {
	r := e.c - e.b
	move = "Subtract " + num(e.b) + " from"
	if e.sign == "-" {
		r = e.c + e.b
		move = "Add " + num(e.b) + " to"
	}
	ax = num(e.a) + e.v
	if e.a == 1 {
		ax = e.v
	}
	return move, num(r), ax, num(r / e.a)
}

func (e *equation) solve() string {
	move, rhs, ax, x := e.steps()
	if e.a == 1 {
		return fmt.Sprintf("Sure! %s both sides to find %s = %s.", move, e.v, x)
	}
	return fmt.Sprintf("Sure! %s both sides to get %s = %s, then divide by %s to find %s = %s.", move, ax, rhs, num(e.a), e.v, x)
}

func (e *equation) explain() string {
	move, rhs, ax, x := e.steps()
	verb := strings.ToLower(move[:1]) + move[1:]
	if e.a == 1 {
		return fmt.Sprintf("Certainly! To isolate %s, %s both sides of the equation %s, which leaves %s = %s.", e.v, verb, e.text, e.v, x)
	}
	return fmt.Sprintf("Certainly! To isolate %s, first %s both sides of the equation %s, resulting in %s = %s. Then, divide both sides by %s to solve for %s, giving you %s = %s.",
		e.v, verb, e.text, ax, rhs, num(e.a), e.v, e.v, x)
}

// answer is the plain text reply.
func answer(t *Turn, q string) string {
	if e := findEquation(q); e != nil {
		return e.solve()
	}
	l := strings.ToLower(q)
	if strings.Contains(l, "explain") {
		for i := len(t.Messages) - 1; i >= 0; i-- {
			if e := findEquation(t.Messages[i].Text); e != nil {
				return e.explain()
			}
		}
	}
	for _, c := range cannedAnswers {
		if strings.Contains(l, c.topic) {
			return c.answer
		}
	}
	switch {
	case strings.TrimSpace(q) == "":
		return "Hello! How can I help you today?"
	case strings.Contains(l, "thank"):
		return "You're welcome! If you have any more questions, feel free to ask!"
	case greeting(l):
		return "Hello! How can I help you today?"
	}
	return fmt.Sprintf("Thanks for your message! I'm an offline test assistant, so here is a short reply to \"%s\".", strings.TrimSpace(q))
}

func greeting(l string) bool {
	f := strings.Fields(strings.Trim(l, "!.? "))
	if len(f) == 0 {
		return false
	}
	switch strings.Trim(f[0], "!,.") {
	case "hi", "hello", "hey", "greetings":
		return true
	}
	return false
}

// cannedAnswers are the replies of the cookbook's other questions, keyed by
// a phrase of the question.
var cannedAnswers = []struct{ topic, answer string }{
	{"linear algebra", "Linear algebra is the branch of mathematics concerning vector spaces, linear transformations, and systems of linear equations, often represented with matrices."},
	{"don't like math", "Try relating math to real-life interests or hobbies, practice with fun games or apps, and gradually build confidence with easier problems."},
}

// quizFeedback pairs each quiz question (from the display_quiz arguments)
// with the student's response (the JSON list the tool returned).
func quizFeedback(arguments, output string) (string, bool) {
	var quiz struct {
		Questions []struct {
			Text string `json:"question_text"`
		} `json:"questions"`
	}
	var responses []string
	if json.Unmarshal([]byte(arguments), &quiz) != nil || json.Unmarshal([]byte(output), &responses) != nil {
		return "", false
	}
	var b strings.Builder
	b.WriteString("Here is the feedback for your responses:")
	for i, q := range quiz.Questions {
		resp := "(no response)"
		if i < len(responses) {
			resp = responses[i]
		}
		verdict := "Good effort; review this topic and try again."
		if strings.Contains(strings.ToLower(resp), "don't know") || strings.TrimSpace(resp) == "" {
			verdict = "That's okay! Work through this one step by step with the rules you know."
		}
		fmt.Fprintf(&b, "\n%d. %s Your response: %q. %s", i+1, q.Text, resp, verdict)
	}
	return b.String(), true
}
