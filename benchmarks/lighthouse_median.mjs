// The median of several Lighthouse runs of one page, as Lighthouse picks it
// (computeMedianRun: the run nearest the median first contentful paint and time to
// interactive), with the spread of performance scores over all the runs.
//   node benchmarks/lighthouse_median.mjs LABEL REPORT.json [REPORT.json ...]
import {readFileSync} from 'node:fs';
import {computeMedianRun} from 'lighthouse/core/lib/median-run.js';

const [label, ...paths] = process.argv.slice(2);
const runs = paths.map((path) => JSON.parse(readFileSync(path, 'utf8')));
const median = computeMedianRun(runs);
const score = (category) => Math.round(category.score * 100);
const seconds = (id) => (median.audits[id].numericValue / 1000).toFixed(2);

const {performance, accessibility, seo} = median.categories;
const performances = runs.map((run) => score(run.categories.performance)).sort((a, b) => a - b);
console.log(
  `${label.padEnd(28)} performance ${String(score(performance)).padStart(3)}` +
    `  accessibility ${score(accessibility)}  best practices ${score(median.categories['best-practices'])}` +
    `  SEO ${score(seo)}  FCP ${seconds('first-contentful-paint')} s  LCP ${seconds('largest-contentful-paint')} s` +
    `  TBT ${Math.round(median.audits['total-blocking-time'].numericValue)} ms` +
    `  (performance over ${runs.length} runs: ${performances.join(' ')})`,
);
// What kept a category of the median run from 100.
for (const [key, category] of Object.entries(median.categories)) {
  for (const ref of category.auditRefs) {
    const audit = median.audits[ref.id];
    if (ref.weight && audit.score !== null && audit.score < 1) {
      console.log(`    ${key}: ${ref.id} (${audit.score}): ${audit.title}`);
    }
  }
}
