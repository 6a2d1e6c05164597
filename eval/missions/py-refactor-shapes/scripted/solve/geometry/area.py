from geometry.shapes import shape


def area(kind, **size):
    return shape(kind, **size).area()
