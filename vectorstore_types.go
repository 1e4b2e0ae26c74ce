package assistants

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// ChunkingStrategy says how files are split into chunks for a vector store:
// Type "auto", or "static" with Static set. Servers may report other types.
type ChunkingStrategy struct {
	Type   string          `json:"type"`
	Static *StaticChunking `json:"static,omitempty"`
}

// StaticChunking fixes the chunk size and overlap in tokens.
type StaticChunking struct {
	// MaxChunkSizeTokens is 100 to 4096.
	MaxChunkSizeTokens int `json:"max_chunk_size_tokens"`
	// ChunkOverlapTokens must not exceed half of MaxChunkSizeTokens.
	ChunkOverlapTokens int `json:"chunk_overlap_tokens"`
}

// The chunking strategy types. Requests may use ChunkingAuto or
// ChunkingStatic; ChunkingOther is only ever reported by the server, for
// files chunked before chunking strategies existed.
const (
	ChunkingAuto   = "auto"
	ChunkingStatic = "static"
	ChunkingOther  = "other"
)

// validateChunking checks a chunking strategy about to be sent: nil (the
// server's default), "auto" without Static, or "static" with sizes in range.
func validateChunking(field string, cs *ChunkingStrategy) error {
	if cs == nil {
		return nil
	}
	switch cs.Type {
	case ChunkingAuto:
		if cs.Static != nil {
			return fmt.Errorf("assistants: %s.Static must be nil when Type is %q", field, ChunkingAuto)
		}
	case ChunkingStatic:
		s := cs.Static
		if s == nil {
			return fmt.Errorf("assistants: %s.Static must be set when Type is %q", field, ChunkingStatic)
		}
		if s.MaxChunkSizeTokens < 100 || s.MaxChunkSizeTokens > 4096 {
			return fmt.Errorf("assistants: %s.Static.MaxChunkSizeTokens must be between 100 and 4096, got %d", field, s.MaxChunkSizeTokens)
		}
		if s.ChunkOverlapTokens < 0 || s.ChunkOverlapTokens > s.MaxChunkSizeTokens/2 {
			return fmt.Errorf("assistants: %s.Static.ChunkOverlapTokens must be between 0 and half of MaxChunkSizeTokens (%d), got %d",
				field, s.MaxChunkSizeTokens/2, s.ChunkOverlapTokens)
		}
	case "":
		return fmt.Errorf("assistants: %s.Type must not be empty (use %q or %q, or leave the strategy nil)", field, ChunkingAuto, ChunkingStatic)
	default:
		return fmt.Errorf("assistants: %s.Type must be %q or %q, got %q", field, ChunkingAuto, ChunkingStatic, cs.Type)
	}
	return nil
}

// ExpiresAfterAnchorLastActiveAt is the only anchor of a vector store's
// expiration policy: the time the store was last used.
const ExpiresAfterAnchorLastActiveAt = "last_active_at"

// ExpiresAfter is a vector store's expiration policy: the store expires Days
// days after its anchor time.
type ExpiresAfter struct {
	// Anchor is the time the countdown starts from; it can only be
	// "last_active_at" (ExpiresAfterAnchorLastActiveAt), which an empty
	// Anchor is sent as.
	Anchor string `json:"anchor"`
	// Days is 1 to 365.
	Days int `json:"days"`
}

// normalized checks e and returns a copy with the default anchor filled in.
func (e *ExpiresAfter) normalized(field string) (*ExpiresAfter, error) {
	if e == nil {
		return nil, nil
	}
	out := *e
	if out.Anchor == "" {
		out.Anchor = ExpiresAfterAnchorLastActiveAt
	}
	if out.Anchor != ExpiresAfterAnchorLastActiveAt {
		return nil, fmt.Errorf("assistants: %s.Anchor must be %q, got %q", field, ExpiresAfterAnchorLastActiveAt, e.Anchor)
	}
	if out.Days < 1 || out.Days > 365 {
		return nil, fmt.Errorf("assistants: %s.Days must be between 1 and 365, got %d", field, e.Days)
	}
	return &out, nil
}

// FileCounts counts the files of a vector store or file batch by status.
type FileCounts struct {
	// InProgress counts the files still being processed.
	InProgress int `json:"in_progress"`
	// Completed counts the files processed and ready for search.
	Completed int `json:"completed"`
	// Failed counts the files that could not be processed.
	Failed int `json:"failed"`
	// Cancelled counts the files whose processing was cancelled.
	Cancelled int `json:"cancelled"`
	// Total counts all the files.
	Total int `json:"total"`
}

// maxAttributes is how many attributes a vector store file may carry.
const maxAttributes = 16

// validateAttributes checks vector store file attributes: at most 16 keys of
// at most 64 characters, each value a string of at most 512 characters, a
// number or a bool.
func validateAttributes(field string, attrs map[string]any) error {
	if len(attrs) > maxAttributes {
		return fmt.Errorf("assistants: %s may hold at most %d attributes, got %d", field, maxAttributes, len(attrs))
	}
	for k, v := range attrs {
		if k == "" || len(k) > 64 {
			return fmt.Errorf("assistants: %s key %q must be 1 to 64 characters long", field, k)
		}
		switch v := v.(type) {
		case string:
			if len(v) > 512 {
				return fmt.Errorf("assistants: %s[%q] is a string of %d characters; at most 512 are allowed", field, k, len(v))
			}
		case bool, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, json.Number:
		case float32:
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("assistants: %s[%q] must be a finite number", field, k)
			}
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("assistants: %s[%q] must be a finite number", field, k)
			}
		default:
			return fmt.Errorf("assistants: %s[%q] must be a string, a number or a bool, got %T", field, k, v)
		}
	}
	return nil
}

// validateIDList checks a list of ids to be sent: no more than max (when max >
// 0) and none empty.
func validateIDList(field string, ids []string, max int) error {
	if max > 0 && len(ids) > max {
		return fmt.Errorf("assistants: %s may hold at most %d ids, got %d", field, max, len(ids))
	}
	for i, id := range ids {
		if id == "" {
			return fmt.Errorf("assistants: %s[%d] must not be empty", field, i)
		}
	}
	return nil
}

// VectorStoreContentTypeText is the type of a VectorStoreContentPart holding
// text, the only type the API defines.
const VectorStoreContentTypeText = "text"

// VectorStoreContentPart is one piece of the parsed content of a vector store
// file: a page of VectorStoreFilesService.Content, or a chunk of a search
// result.
type VectorStoreContentPart struct {
	// Type is "text" (VectorStoreContentTypeText).
	Type string `json:"type"`
	// Text is the text of the part.
	Text string `json:"text"`
}

// joinTextParts joins the text of the parts whose Type is "text" (or not
// given) with newlines.
func joinTextParts(parts []VectorStoreContentPart) string {
	var b strings.Builder
	n := 0
	for _, p := range parts {
		if p.Type != VectorStoreContentTypeText && p.Type != "" {
			continue
		}
		if n > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(p.Text)
		n++
	}
	return b.String()
}
