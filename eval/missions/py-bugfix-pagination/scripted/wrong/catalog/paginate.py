def page(items, number, size):
    """Page `number` (counted from 1) of `items`, `size` items a page."""
    start = max(0, (number - 1) * size)
    return items[start:start + max(size, 0)]
