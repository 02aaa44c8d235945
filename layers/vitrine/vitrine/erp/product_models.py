"""What an ERP sends of its products, their images, price tables and prices (``vitrine.erp.models`` has the rest)."""

from typing import Annotated

from pydantic import Field, model_validator

from vitrine.catalogs.models import MAX_DESCRIPTION_CHARS, MAX_IMAGES_PER_PRODUCT, Dimensions, LinkedImageInput
from vitrine.erp.models import BatchKind, ErpInput, batch_of
from vitrine.ids import Sku
from vitrine.inputs import Count, Flag, MultilineText, Text
from vitrine.money import Centavos
from vitrine.payments.methods import PaymentMethod
from vitrine.people.models import PriceTableId


class ErpVariant(ErpInput):
    sku: Sku
    size: Text | None = Field(default=None, max_length=20)
    colour: Text | None = Field(default=None, max_length=30)


class ErpProduct(ErpInput):
    sku: Sku
    name: Text = Field(min_length=1, max_length=200)
    short_name: Text | None = Field(default=None, max_length=60, description="Shown to shoppers instead of name.")
    description: MultilineText = Field(
        default="", max_length=MAX_DESCRIPTION_CHARS, description="Plain text; shoppers see its line breaks."
    )
    brand: Text | None = Field(default=None, max_length=60)
    classifiers: list[Annotated[Text, Field(min_length=1, max_length=60)]] = Field(
        default_factory=list, max_length=5, description="Up to 5 classifier levels, broadest first."
    )
    variants: list[ErpVariant] = Field(min_length=1, max_length=200, description="The size/colour grid.")
    images: list[LinkedImageInput] | None = Field(
        default=None,
        max_length=MAX_IMAGES_PER_PRODUCT,
        description="Images by URL, in order. Omitted: the product keeps the images it has (e.g. uploaded).",
    )
    dimensions: Dimensions | None = None
    weight_grams: Count | None = Field(default=None, ge=1, le=1_000_000)
    active_online: Flag = Field(default=True, description="Offered in catalogs (the ERP's 'active online').")
    delivery_days: Count | None = Field(default=None, ge=0, le=365)
    payment_methods: list[PaymentMethod] | None = Field(
        default=None, description="The only payment methods the product may be paid with; omitted: any."
    )

    @model_validator(mode="after")
    def _distinct_variants(self) -> "ErpProduct":
        skus = [variant.sku for variant in self.variants]
        if len(set(skus)) != len(skus):
            raise ValueError("each variant has its own sku")
        return self


class ErpProductImages(ErpInput):
    """An existing product's images, replaced (a CSV of image links)."""

    sku: Sku
    images: list[LinkedImageInput] = Field(min_length=1, max_length=MAX_IMAGES_PER_PRODUCT)


class ErpPriceTable(ErpInput):
    table_id: PriceTableId
    name: Text = Field(min_length=1, max_length=80)
    default: Flag = False


class ErpPrice(ErpInput):
    table_id: PriceTableId = Field(description="A table the price belongs to; a new one is declared by its id.")
    sku: Sku = Field(description="The product's sku.")
    # Strict (as every amount): a price of true, 49.0 or "4990" is a broken integration, not something to guess at.
    price: Centavos


ProductBatch = batch_of("ProductBatch", BatchKind.PRODUCTS, ErpProduct, __name__)
PriceTableBatch = batch_of("PriceTableBatch", BatchKind.PRICE_TABLES, ErpPriceTable, __name__)
PriceBatch = batch_of("PriceBatch", BatchKind.PRICES, ErpPrice, __name__)
