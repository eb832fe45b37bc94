/**
 * The late upload listeners' work: store the sanitised file the way NodeBB would (through the
 * core mirrors in lib/nodebb) when no storage plugin stored it first.
 */
import { isAdmin } from '../common/policy';
import { nodebb } from '../nodebb';
import { resizeLikeCore, storePostFileLocally } from '../nodebb/core-mirrors';
import { randomFileName } from '../private-uploads';
import {
  LARGEST_UPLOAD_BYTES, isPostUpload, isStored, removeTempFile, sanitiseInPlace, sanitisedResult,
  type StoredUpload, type UploadFilePayload, type UploadImagePayload,
} from './upload-files';

/**
 * Stores the image locally unless a storage plugin already did. Post images and thumbnails
 * answer with a relative_path-prefixed url, as core's controller does; image.uploadImage
 * callers and ACP uploads get the bare /assets/uploads url.
 */
export async function storeImageUpload(data: UploadImagePayload | StoredUpload): Promise<StoredUpload> {
  if (isStored(data)) {
    return data;
  }
  const image = data.image;
  try {
    const result = sanitisedResult(image) ?? await sanitiseInPlace(image, { maxBytes: LARGEST_UPLOAD_BYTES });
    if (isPostUpload(data.folder, image)) {
      const stored = await storePostFileLocally(data.uid, image, await isAdmin(data.uid));
      const resized = await resizeLikeCore(stored, result.mime);
      return { url: resized.url, name: resized.name };
    }
    const name = randomFileName(result.extension);
    image.name = name;
    const upload = await nodebb.file.saveFileToLocal(name, data.folder, image.path);
    return { url: upload.url, path: upload.path, name };
  } catch (error) {
    await removeTempFile(image.path);
    throw error;
  }
}

/** NodeBB's local storage for post files, unless a storage plugin stored it. */
export async function storeFileUpload(data: UploadFilePayload | StoredUpload): Promise<StoredUpload> {
  if (isStored(data)) {
    return data;
  }
  try {
    const stored = await storePostFileLocally(data.uid, data.file, await isAdmin(data.uid));
    return { ...stored };
  } catch (error) {
    await removeTempFile(data.file.path);
    throw error;
  }
}
