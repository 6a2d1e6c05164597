def page(items, number, size):
    """Page `number` (counted from 1) of `items`, `size` items a page."""
    start = number * size
    return items[start:start + size]
