from collections import Counter

from stock.reader import read_items

LOW_STOCK = 5


def report(path):
    items = read_items(path)
    return {
        "total_cents": sum(item.value_cents() for item in items),
        "low_stock": sorted(item.name for item in items if item.quantity <= LOW_STOCK),
        "categories": dict(Counter(item.category for item in items)),
    }
