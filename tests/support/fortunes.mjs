// Debian fortunes-zh (chinese, tang300, song100): the real Chinese corpus of the wobert tests and benchmark.
// Every non-blank line, '%' separators dropped; ANSI colour codes removed unless `ansi` (the BERT tokenizer's
// check keeps them, as control characters to clean).
import { readFileSync } from 'node:fs';

export const FORTUNES_ZH = ['chinese', 'tang300', 'song100'].map((f) => `/usr/share/games/fortunes/${f}`);

export function fortunesZh({ ansi = false } = {}) {
  const lines = [];
  for (const f of FORTUNES_ZH) {  // a missing file throws: scripts/setup.sh installs fortunes-zh
    const text = readFileSync(f, 'utf8');
    for (const l of (ansi ? text : text.replace(/\x1b\[[0-9;]*m/g, '')).split('\n')) {
      if (l.trim() !== '' && l !== '%') lines.push(l);
    }
  }
  return lines;
}
