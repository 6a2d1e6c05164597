from dataclasses import dataclass


@dataclass(frozen=True)
class Item:
    name: str
    category: str
    quantity: int
    price_cents: int

    def value_cents(self):
        return self.quantity * self.price_cents
