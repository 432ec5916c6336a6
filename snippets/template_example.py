"""The example that docs/_template.md starts with: replace it with your lesson's own."""

steps = ["read the idea", "run the code", "compare with the page"]

for number, step in enumerate(steps, start=1):
    print(f"{number}. {step}")
