import math
import unittest

from geometry.area import area


class AreaTest(unittest.TestCase):
    def test_circle(self):
        self.assertAlmostEqual(area("circle", radius=2), 4 * math.pi)

    def test_rectangle(self):
        self.assertEqual(area("rectangle", width=3, height=4), 12)


if __name__ == "__main__":
    unittest.main()
