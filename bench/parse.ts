// Parsing benchmark: the user's guide, and a 5 MB generated runbook. Medians of several runs.
import {readFileSync} from 'node:fs';
import {decodeRunbook, parseRunbook, walkSteps} from '../source/runbook/index.js';
import {generateRunbook} from './generate-runbook.js';
import {median, report, type Result} from './report.js';

function time(fn: () => void, runs: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    out.push(performance.now() - start);
  }
  return out;
}

export function benchParse(): Result[] {
  const guidePath = new URL('../tests/fixtures/production-deployment-guide.seed.md', import.meta.url);
  const guideBytes = readFileSync(guidePath);
  const parseGuide = () => {
    const {text, warnings} = decodeRunbook('guide', guideBytes);
    parseRunbook(text, {warnings});
  };
  time(parseGuide, 5); // warm the JIT so the figure is the steady state an operator sees on every start
  const guide = median(time(parseGuide, 21));

  const big = Buffer.from(generateRunbook(5 * 1024 * 1024));
  let steps = 0;
  const parseBig = () => {
    const {text, warnings} = decodeRunbook('big', big);
    steps = walkSteps(parseRunbook(text, {warnings})).length;
  };
  const bigTimes = time(parseBig, 3);
  const mb = big.length / 1024 / 1024;
  return [
    {name: 'parse-guide', value: guide, unit: 'ms', note: `${(guideBytes.length / 1024).toFixed(1)} KB`},
    {name: 'parse-5mb', value: median(bigTimes), unit: 'ms', note: `${mb.toFixed(1)} MB, ${steps} steps, ${(mb / (median(bigTimes) / 1000)).toFixed(2)} MB/s`},
    {name: 'parse-5mb-heap', value: process.memoryUsage().rss / 1024 / 1024, unit: 'MB', note: 'process RSS after the runs'},
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) report(benchParse(), process.argv.includes('--json'));
