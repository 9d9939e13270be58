// Fails the build when the first page (the sign-in page: the entry, what it imports, and the
// sign-in view) weighs more than the budget in gzip bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { pathToFileURL } from 'node:url';

export const BUDGET_BYTES = 350 * 1024;
const FIRST_VIEW = 'src/views/signin/SignInView.vue';

/** The files (relative to dist) a browser loads for the first page, from Vite's manifest. */
export function firstPageFiles(manifest) {
  const files = new Set();
  const visit = (key) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    (chunk.css || []).forEach((css) => files.add(css));
    (chunk.imports || []).forEach(visit);
  };
  Object.keys(manifest).filter((key) => manifest[key].isEntry).forEach(visit);
  visit(FIRST_VIEW);
  return [...files];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dist = process.argv[2];
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8'));
  const files = firstPageFiles(manifest);
  if (!files.length) throw new Error('budget: the manifest names no entry');
  const sizes = files.map((file) => [file, gzipSync(readFileSync(join(dist, file))).length]);
  const total = sizes.reduce((sum, [, size]) => sum + size, 0);
  sizes.forEach(([file, size]) => console.log(`budget: ${file} ${(size / 1024).toFixed(1)} kB gzip`));
  console.log(`budget: first page ${(total / 1024).toFixed(1)} kB gzip of ${BUDGET_BYTES / 1024} kB`);
  process.exit(total <= BUDGET_BYTES ? 0 : 1);
}
