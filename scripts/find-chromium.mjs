// Finds the Chromium that the browser tests drive, without downloading anything:
// 1. CHROMIUM_PATH, when set (a system Chromium, say /usr/bin/chromium);
// 2. the binary that the @sparticuz/chromium devDependency ships inside its npm package
//    (unpacked once into the temporary folder);
// 3. Debian's /usr/bin/chromium.
// Run as a script, it prints the path, or one line saying how to get a browser and exits 1.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** The path of a Chromium executable, or an Error saying how to get one. */
export async function findChromium() {
  const wanted = process.env.CHROMIUM_PATH;
  if (wanted) {
    return existsSync(wanted)
      ? wanted
      : new Error(
          `CHROMIUM_PATH is ${wanted}, which does not exist; unset it or point it at a Chromium.`,
        );
  }
  let packaged;
  try {
    packaged = (await import('@sparticuz/chromium')).default;
  } catch {
    packaged = undefined;
  }
  if (packaged) {
    try {
      return await packaged.executablePath();
    } catch (error) {
      if (!existsSync(SYSTEM_CHROMIUM)) {
        return new Error(
          `The Chromium of @sparticuz/chromium did not unpack (${error instanceof Error ? error.message : String(error)}); free space in the temporary folder, or set CHROMIUM_PATH to a Chromium.`,
        );
      }
    }
  }
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  return new Error(
    'No Chromium for the browser tests: run npm ci (it installs @sparticuz/chromium), or install one (apt-get install chromium) and set CHROMIUM_PATH.',
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const found = await findChromium();
  if (found instanceof Error) {
    console.error(found.message);
    process.exit(1);
  }
  console.log(found);
}
