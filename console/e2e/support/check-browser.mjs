// The browser tests need Debian's chromium and a CJK font (without one, Chinese renders as
// boxes). They are never skipped: a machine without them fails here, saying what to install.
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const chromium = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const missing = [];
if (!existsSync(chromium)) missing.push('chromium');
if (!/WenQuanYi/i.test(chineseFonts())) missing.push('fonts-wqy-microhei');
if (missing.length) {
  console.error(`browser tests: missing ${missing.join(' and ')}; install with: apt-get install -y ${missing.join(' ')}`);
  process.exit(1);
}
console.log(`browser tests: ${chromium} and the WenQuanYi CJK font are installed`);

function chineseFonts() {
  try {
    return execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' });
  } catch (error) {
    if (error.code === 'ENOENT') return ''; // no fontconfig at all: no font either
    throw error;
  }
}
