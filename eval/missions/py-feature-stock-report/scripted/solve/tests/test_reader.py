import os
import tempfile
import unittest

from stock.item import Item
from stock.reader import read_items


class ReaderTest(unittest.TestCase):
    def test_reads_rows(self):
        handle, path = tempfile.mkstemp(suffix=".csv")
        with os.fdopen(handle, "w") as out:
            out.write('name,category,quantity,price_cents\n"a, b",x,2,100\n')
        self.assertEqual(read_items(path), [Item("a, b", "x", 2, 100)])


if __name__ == "__main__":
    unittest.main()
