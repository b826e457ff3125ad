/**
 * Lists an image folder: its classes and their files (paths and labels only, nothing decoded).
 *
 * Node.js modules are looked up when a function runs (see node-builtins.ts), so importing this
 * file in a browser bundle is harmless.
 */
import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import { DistillError, describeValue } from '../../errors.js';
import { fileError } from '../../file-errors.js';
import { requireNodeBuiltin } from '../../node-builtins.js';

/** One image of a listing: its path and its class index. */
export interface ListedImage {
  /** The file's path (the root joined with the class folder and the file name). */
  readonly file: string;
  /** Index of its class in {@link FolderListing.classNames}. */
  readonly label: number;
}

/** What {@link listImageFolder} found. */
export interface FolderListing {
  /** `classes`: one folder per class; `split`: `train/` and `test/` folders of classes. */
  readonly layout: 'classes' | 'split';
  /** Class folder names, sorted by code point; label `i` is `classNames[i]`. */
  readonly classNames: readonly string[];
  /** Every image (`classes`) or those under `train/` (`split`), by class then file name. */
  readonly train: readonly ListedImage[];
  /** The images under `test/` (`split` only), by class then file name. */
  readonly test: readonly ListedImage[] | undefined;
}

const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg'];

/**
 * Whether a file name has an image extension (`.png`, `.jpg`, `.jpeg`, in any case).
 *
 * @param name - A file name.
 */
export function isImageFileName(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && IMAGE_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

// Code-point order, not localeCompare: the label of a class must not depend on the machine's locale.
const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

interface Node {
  readonly fs: typeof NodeFs;
  readonly path: typeof NodePath;
}

function node(): Node {
  return {
    fs: requireNodeBuiltin<typeof NodeFs>('node:fs', 'openImageFolder'),
    path: requireNodeBuiltin<typeof NodePath>('node:path', 'openImageFolder'),
  };
}

/** Entries of a directory split into subfolders and files (symbolic links followed). */
async function entries(
  { fs, path }: Node,
  dir: string,
): Promise<{ dirs: string[]; files: string[] }> {
  const dirs: string[] = [];
  const files: string[] = [];
  let list: NodeFs.Dirent[];
  try {
    list = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw fileError(error, 'list the image folder', dir, 'Check the path of the image folder.');
  }
  for (const entry of list) {
    if (entry.name.startsWith('.')) continue; // .DS_Store, .git, .ipynb_checkpoints
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const stat = await fs.promises.stat(path.join(dir, entry.name)).catch(() => undefined);
      isDir = stat?.isDirectory() === true;
      isFile = stat?.isFile() === true;
    }
    if (isDir) dirs.push(entry.name);
    else if (isFile) files.push(entry.name);
  }
  return { dirs: dirs.sort(byCodePoint), files: files.sort(byCodePoint) };
}

async function listClasses(
  n: Node,
  dir: string,
): Promise<{ classNames: string[]; files: string[][] }> {
  const { dirs, files: loose } = await entries(n, dir);
  if (dirs.length === 0) {
    const images = loose.filter(isImageFileName).length;
    throw new DistillError(
      'INVALID_CONFIG',
      `The image folder ${dir} has no class folders. Put the images of each class in a folder of ` +
        `their own (${n.path.join(dir, '<class>', '001.png')}), or use train/ and test/ folders ` +
        'that each hold one folder per class.' +
        (images > 0 ? ` It holds ${images} images directly; move them into class folders.` : ''),
    );
  }
  const files: string[][] = [];
  for (const name of dirs) {
    const classDir = n.path.join(dir, name);
    const all = (await entries(n, classDir)).files;
    const images = all.filter(isImageFileName);
    if (images.length === 0) {
      const others =
        all.length > 0 ? ` (it holds ${all.length} other files, which are ignored)` : '';
      throw new DistillError(
        'INVALID_CONFIG',
        `The class folder ${classDir} holds no .png, .jpg or .jpeg images${others}. ` +
          'Add images to it or remove it.',
      );
    }
    files.push(images.map((f) => n.path.join(classDir, f)));
  }
  return { classNames: dirs, files };
}

function flatten(files: readonly string[][]): ListedImage[] {
  return files.flatMap((list, label) => list.map((file) => ({ file, label })));
}

/**
 * Lists the classes and image files of a folder. Files without an image extension and names
 * starting with a dot are ignored, and class folders are not searched recursively.
 *
 * @param root - The image folder.
 * @throws DistillError `FILE_NOT_FOUND` if `root` does not exist; `INVALID_CONFIG` if it has no
 *   class folders, a class folder without images, only one of `train/` and `test/`, or classes
 *   in `train/` missing from `test/` (or the reverse).
 */
export async function listImageFolder(root: string): Promise<FolderListing> {
  const n = node();
  let stat: NodeFs.Stats;
  try {
    stat = await n.fs.promises.stat(root);
  } catch (error) {
    throw fileError(error, 'open the image folder', root, 'Check the path of the image folder.');
  }
  if (!stat.isDirectory()) {
    throw new DistillError(
      'INVALID_CONFIG',
      `The image folder ${describeValue(root)} is a file, not a folder; give the folder that holds one folder per class.`,
    );
  }
  const { dirs } = await entries(n, root);
  const hasTrain = dirs.includes('train');
  const hasTest = dirs.includes('test');
  if (hasTrain !== hasTest) {
    const [has, lacks] = hasTrain ? ['train', 'test'] : ['test', 'train'];
    throw new DistillError(
      'INVALID_CONFIG',
      `The image folder ${root} has a ${has}/ folder but no ${lacks}/ folder. Add ${n.path.join(root, lacks)} ` +
        `with the same class folders, or move the class folders out of ${has}/ to split the images at random.`,
    );
  }
  if (!hasTrain) {
    const { classNames, files } = await listClasses(n, root);
    return { layout: 'classes', classNames, train: flatten(files), test: undefined };
  }
  const train = await listClasses(n, n.path.join(root, 'train'));
  const test = await listClasses(n, n.path.join(root, 'test'));
  const mismatch = (a: string[], b: string[], aName: string, bName: string): void => {
    const missing = a.find((name) => !b.includes(name));
    if (missing !== undefined) {
      throw new DistillError(
        'INVALID_CONFIG',
        `The class ${describeValue(missing)} has a folder in ${n.path.join(root, aName)} but not in ` +
          `${n.path.join(root, bName)}; train/ and test/ must hold the same class folders.`,
      );
    }
  };
  mismatch(train.classNames, test.classNames, 'train', 'test');
  mismatch(test.classNames, train.classNames, 'test', 'train');
  return {
    layout: 'split',
    classNames: train.classNames,
    train: flatten(train.files),
    test: flatten(test.files),
  };
}

/**
 * Whether `path` looks like an image folder: a directory with class folders holding image files,
 * directly or under `train/`. Cheap (it stops at the first image found) and never throws.
 *
 * @param path - Any path.
 */
export function looksLikeImageFolder(path: string): boolean {
  try {
    const { fs, path: nodePath } = node();
    const subdirs = (dir: string): string[] =>
      fs
        .readdirSync(dir, { withFileTypes: true })
        .filter((e) => !e.name.startsWith('.') && e.isDirectory())
        .map((e) => nodePath.join(dir, e.name));
    const hasImages = (dir: string): boolean =>
      fs.readdirSync(dir).some((name) => isImageFileName(name));
    const classDirs = subdirs(path);
    const train = classDirs.find((d) => nodePath.basename(d) === 'train');
    return (train === undefined ? classDirs : subdirs(train)).some(hasImages);
  } catch {
    return false;
  }
}
