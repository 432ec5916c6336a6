"""Trend priority: rank image-generation trends by a small weighted score.

Run it with ``python snippets/trend_ranking.py``. The charts on the lesson page
import ``trends``, ``WEIGHTS``, ``score`` and ``rank`` from this file, so a
number changed here changes the printed output and both charts.
"""

trends = [
    {"name": "faster sampling", "product_value": 9, "engineering_cost": 6, "stability": 8},
    {"name": "stronger controllable editing", "product_value": 10, "engineering_cost": 7, "stability": 8},
    {"name": "unified multimodal input", "product_value": 8, "engineering_cost": 8, "stability": 6},
    {"name": "from single images to video and 3D", "product_value": 8, "engineering_cost": 9, "stability": 5},
]

# Value and stability add to the score; engineering cost takes away from it.
WEIGHTS = {"product_value": 0.5, "stability": 0.3, "engineering_cost": 0.2}


def score(item, weights=WEIGHTS):
    return (
        item["product_value"] * weights["product_value"]
        + item["stability"] * weights["stability"]
        - item["engineering_cost"] * weights["engineering_cost"]
    )


def rank(items, weights=WEIGHTS):
    return sorted(
        [{**item, "score": round(score(item, weights), 2)} for item in items],
        key=lambda x: x["score"],
        reverse=True,
    )


if __name__ == "__main__":
    ranked = rank(trends)
    for item in ranked:
        print(item)
