/**
 * Paths of the test fixtures. Compiled tests live in build/test/, fixtures stay in test/fixtures/.
 */
import { fileURLToPath } from 'node:url';

/** The directory of the (uncompiled) fixtures, with a trailing separator. */
export const fixturesDir = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

/** The repository's root directory. */
export const rootDir = fileURLToPath(new URL('../../../', import.meta.url));
