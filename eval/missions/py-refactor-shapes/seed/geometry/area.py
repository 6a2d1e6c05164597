import math


def area(kind, **size):
    if kind == "circle":
        return math.pi * size["radius"] ** 2
    elif kind == "rectangle":
        return size["width"] * size["height"]
    elif kind == "triangle":
        return size["base"] * size["height"] / 2
    raise ValueError(f"unknown shape: {kind}")
