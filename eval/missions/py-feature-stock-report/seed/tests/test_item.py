import unittest

from stock.item import Item


class ItemTest(unittest.TestCase):
    def test_value(self):
        self.assertEqual(Item("tea", "drinks", 3, 250).value_cents(), 750)


if __name__ == "__main__":
    unittest.main()
