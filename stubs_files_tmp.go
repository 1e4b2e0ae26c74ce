package assistants

type FilesService struct{ client *Client }
type VectorStoresService struct {
	client      *Client
	Files       *VectorStoreFilesService
	FileBatches *FileBatchesService
}
type VectorStoreFilesService struct{ client *Client }
type FileBatchesService struct{ client *Client }
