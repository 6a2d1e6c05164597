import csv

from stock.item import Item


def read_items(path):
    """The items of a CSV export: a header line, then name, category, quantity, price_cents."""
    with open(path, newline="", encoding="utf-8") as source:
        return [
            Item(row["name"], row["category"], int(row["quantity"]), int(row["price_cents"]))
            for row in csv.DictReader(source)
        ]
