import os
import tempfile
import unittest

from stock.report import report


class ReportTest(unittest.TestCase):
    def test_report(self):
        handle, path = tempfile.mkstemp(suffix=".csv")
        with os.fdopen(handle, "w") as out:
            out.write("name,category,quantity,price_cents\ntea,drinks,1,250\ncoffee,drinks,20,900\n")
        result = report(path)
        self.assertEqual(result["total_cents"], 250 + 20 * 900)
        self.assertEqual(result["low_stock"], ["tea"])


if __name__ == "__main__":
    unittest.main()
