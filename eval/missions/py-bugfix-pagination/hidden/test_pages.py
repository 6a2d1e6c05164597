import unittest

from catalog.paginate import page

ITEMS = list(range(1, 11))


class HiddenPageTest(unittest.TestCase):
    def test_pages(self):
        self.assertEqual(page(ITEMS, 1, 3), [1, 2, 3])
        self.assertEqual(page(ITEMS, 4, 3), [10])
        self.assertEqual(page(ITEMS, 5, 3), [])
        self.assertEqual(page(ITEMS, 1, 20), ITEMS)

    def test_bad_page_numbers(self):
        for number in (0, -1):
            with self.assertRaises(ValueError):
                page(ITEMS, number, 3)

    def test_bad_sizes(self):
        for size in (0, -2):
            with self.assertRaises(ValueError):
                page(ITEMS, 1, size)


if __name__ == "__main__":
    unittest.main()
