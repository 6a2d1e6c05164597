import inspect
import math
import unittest

import geometry.area
from geometry.area import area
from geometry.shapes import Circle, Rectangle, Triangle, shape


class HiddenShapesTest(unittest.TestCase):
    def test_classes(self):
        self.assertAlmostEqual(Circle(1).area(), math.pi)
        self.assertEqual(Rectangle(2, 5).area(), 10)
        self.assertEqual(Triangle(4, 3).area(), 6)

    def test_factory(self):
        self.assertIsInstance(shape("triangle", base=1, height=1), Triangle)
        self.assertIsInstance(shape("circle", radius=1), Circle)

    def test_area_unchanged(self):
        self.assertAlmostEqual(area("circle", radius=2), 4 * math.pi)
        self.assertEqual(area("rectangle", width=3, height=4), 12)
        self.assertEqual(area("triangle", base=5, height=2), 5)
        with self.assertRaises(ValueError):
            area("hexagon", side=1)

    def test_no_chain_left(self):
        self.assertNotIn("elif", inspect.getsource(geometry.area))


if __name__ == "__main__":
    unittest.main()
