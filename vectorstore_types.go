package assistants

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
