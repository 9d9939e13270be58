// Unpacks a WOFF 1.0 file (https://www.w3.org/TR/WOFF/) into the sfnt it wraps: PDFBox embeds
// TrueType fonts, not WOFF. Each table is zlib-compressed unless its compressed length equals its
// original length; the sfnt gets the same tables, 4-byte aligned, with a fresh table directory.
import { copyFileSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { inflateSync } from 'node:zlib';

const [input, output, license] = process.argv.slice(2);
const woff = readFileSync(input);
if (woff.readUInt32BE(0) !== 0x774f4646) throw new Error(`${input} is not a WOFF 1.0 file`);
const flavor = woff.readUInt32BE(4);
if (flavor !== 0x00010000) throw new Error(`${input} has no TrueType outlines (flavor ${flavor.toString(16)})`);
const numTables = woff.readUInt16BE(12);

const tables = [];
for (let i = 0; i < numTables; i++) {
  const at = 44 + i * 20;
  const [tag, offset, compLength, origLength, checksum] = [
    woff.toString('latin1', at, at + 4), woff.readUInt32BE(at + 4), woff.readUInt32BE(at + 8),
    woff.readUInt32BE(at + 12), woff.readUInt32BE(at + 16)];
  const stored = woff.subarray(offset, offset + compLength);
  const data = compLength === origLength ? stored : inflateSync(stored);
  if (data.length !== origLength) throw new Error(`table ${tag}: ${data.length} bytes, expected ${origLength}`);
  tables.push({ tag, checksum, data });
}

const pow2 = 2 ** Math.floor(Math.log2(numTables));
const header = Buffer.alloc(12 + numTables * 16);
header.writeUInt32BE(flavor, 0);
header.writeUInt16BE(numTables, 4);
header.writeUInt16BE(pow2 * 16, 6);
header.writeUInt16BE(Math.log2(pow2), 8);
header.writeUInt16BE(numTables * 16 - pow2 * 16, 10);
const parts = [header];
let offset = header.length;
tables.forEach(({ tag, checksum, data }, i) => {
  const at = 12 + i * 16;
  header.write(tag, at, 'latin1');
  header.writeUInt32BE(checksum, at + 4);
  header.writeUInt32BE(offset, at + 8);
  header.writeUInt32BE(data.length, at + 12);
  const padded = Buffer.alloc((data.length + 3) & ~3);
  data.copy(padded);
  parts.push(padded);
  offset += padded.length;
});
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, Buffer.concat(parts));
// The SIL OFL asks that the licence travel with the font.
if (license) copyFileSync(license, output.replace(/\.ttf$/, '-LICENSE.txt'));
console.log(`${output}: ${numTables} tables, ${offset} bytes`);
