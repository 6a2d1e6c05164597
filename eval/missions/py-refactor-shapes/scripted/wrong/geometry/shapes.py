import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Circle:
    radius: float

    def area(self):
        return math.pi * self.radius ** 2


@dataclass(frozen=True)
class Rectangle:
    width: float
    height: float

    def area(self):
        return self.width * self.height


@dataclass(frozen=True)
class Triangle:
    base: float
    height: float

    def area(self):
        return self.base * self.height


KINDS = {"circle": Circle, "rectangle": Rectangle, "triangle": Triangle}


def shape(kind, **size):
    if kind not in KINDS:
        raise ValueError(f"unknown shape: {kind}")
    return KINDS[kind](**size)
