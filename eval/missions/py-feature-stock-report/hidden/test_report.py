import os
import tempfile
import unittest

from stock.item import Item
from stock.reader import read_items
from stock.report import report

CSV = """name,category,quantity,price_cents
tea,drinks,5,250
coffee,drinks,12,900
mug,kitchen,0,700
"spoon, silver",kitchen,6,1200
"""


def write(text):
    handle, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "w") as out:
        out.write(text)
    return path


class HiddenReportTest(unittest.TestCase):
    def test_read_items(self):
        items = read_items(write(CSV))
        self.assertEqual(len(items), 4)
        self.assertEqual(items[0], Item("tea", "drinks", 5, 250))
        self.assertEqual(items[3].name, "spoon, silver")

    def test_report(self):
        self.assertEqual(
            report(write(CSV)),
            {"total_cents": 5 * 250 + 12 * 900 + 0 + 6 * 1200, "low_stock": ["mug", "tea"], "categories": {"drinks": 2, "kitchen": 2}},
        )

    def test_empty_export(self):
        self.assertEqual(report(write("name,category,quantity,price_cents\n")), {"total_cents": 0, "low_stock": [], "categories": {}})


if __name__ == "__main__":
    unittest.main()
