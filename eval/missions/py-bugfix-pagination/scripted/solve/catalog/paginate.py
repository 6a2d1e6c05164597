def page(items, number, size):
    """Page `number` (counted from 1) of `items`, `size` items a page."""
    if number < 1:
        raise ValueError(f"page numbers start at 1, not {number}")
    if size < 1:
        raise ValueError(f"a page holds at least 1 item, not {size}")
    start = (number - 1) * size
    return items[start:start + size]
