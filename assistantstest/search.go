package assistantstest

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

var stopwords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`a about above after again all also am an and any are as at be because been
		before being below between both but by can could did do does doing down during each few for from further
		get gets give had has have having he her here hers him his how i if in into is it its itself just let
		like ll me more most my no nor not now of off on once only or other our ours out over own please same
		she should so some such than that the their them then there these they this those through to too under
		until up use used using very was we were what when where which while who whom why will with would you
		your yours tell show make made need want know think could can't don't i'm it's what's there's today
		specific current given return returns provided`) {
		stopwords[w] = true
	}
}

// terms returns the lower-cased content words of s, lightly stemmed.
func terms(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}) {
		w = strings.Trim(w, "'")
		w = strings.TrimSuffix(w, "'s")
		if len(w) < 3 || stopwords[w] {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

func stem(w string) string {
	switch {
	case strings.HasSuffix(w, "ies") && len(w) > 4:
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ss"):
		return w
	case strings.HasSuffix(w, "s") && len(w) > 3:
		return w[:len(w)-1]
	}
	return w
}

// chunks splits a document into passages: paragraphs, with long ones cut
// at sentence ends into pieces of about 800 characters.
func chunks(text string) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		for len(para) > 1000 {
			cut := strings.LastIndexAny(para[:800], ".!?")
			if cut < 200 {
				cut = strings.LastIndex(para[:800], " ")
			}
			if cut <= 0 {
				cut = 799
			}
			out = append(out, strings.TrimSpace(para[:cut+1]))
			para = strings.TrimSpace(para[cut+1:])
		}
		if para != "" {
			out = append(out, para)
		}
	}
	return out
}

// searchDocuments ranks the passages of docs by the share of the query's
// content words they contain and returns up to limit hits scoring above
// threshold (and above 0).
func searchDocuments(docs []Document, query string, limit int, threshold float64) []SearchResult {
	q := map[string]bool{}
	for _, t := range terms(query) {
		q[t] = true
	}
	if len(q) == 0 {
		return []SearchResult{}
	}
	type hit struct {
		res       SearchResult
		doc, pass int
	}
	var hits []hit
	for di, d := range docs {
		for pi, passage := range chunks(d.Text) {
			found := map[string]bool{}
			for _, t := range terms(passage) {
				if q[t] {
					found[t] = true
				}
			}
			score := math.Round(float64(len(found))/float64(len(q))*10000) / 10000
			if score <= 0 || score < threshold {
				continue
			}
			hits = append(hits, hit{SearchResult{FileID: d.FileID, Filename: d.Filename, Score: score, Text: passage}, di, pi})
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].res.Score > hits[j].res.Score })
	out := []SearchResult{}
	for i, h := range hits {
		if i >= limit {
			break
		}
		out = append(out, h.res)
	}
	return out
}
