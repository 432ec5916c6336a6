// Reads {"rounding": [x...], "cases": [{trends, criteria, weights}...]} on stdin and prints
// what the weights panel's ranking rule gives for each, as JSON, for test_weights_panel.py.
const rule = require(process.argv[2]);
let input = "";
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", () => {
  const { rounding, cases } = JSON.parse(input);
  const out = {
    rounding: rounding.map((x) => rule.pythonRound2(x)),
    formatted: rounding.map((x) => rule.formatPython2(rule.pythonRound2(x))),
    cases: cases.map(({ trends, criteria, weights }) =>
      rule.rank(trends, criteria, weights).map((r) => [r.name, r.score, rule.formatPython2(r.score)])
    ),
  };
  process.stdout.write(JSON.stringify(out));
});
