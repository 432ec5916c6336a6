"""The example that docs/_template.md starts with: replace it with your lesson's own.

Its data is also what the template's chart draws (template_chart.py imports it).
"""

steps = ["read the idea", "run the code", "compare with the page"]
minutes = [5, 10, 5]  # how long each step takes, for the template's chart

if __name__ == "__main__":
    for number, step in enumerate(steps, start=1):
        print(f"{number}. {step}")
