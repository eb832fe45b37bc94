/**
 * Private clinical uploads: files composed in closed or clinical categories are stored outside
 * NodeBB's public folders and served only to readers of a post that shows them.
 */
export { trackUploadRequest, TRACKED_UPLOAD_ROUTES, isClosedCategory } from './destination';
export { privateUploadRoute, privateUploadsIn, parsePrivateName, randomFileName } from './names';
export { servePrivateUpload, privateUploadHeaders } from './route';
export { syncPost, syncTopic, syncPostFromHook, syncMovedPost, forgetPurgedPosts, syncTopicFromHook } from './references';
export { getRecord, mayFetch } from './records';
export { storePrivately } from './store';
export { privatiseExistingUploads, privatiseTopic, privatisePost, followTopicMove } from './privatise';
export type { PrivatiseReport, MovedUpload } from './privatise';
export { privateUploadsDirectory } from './storage';
