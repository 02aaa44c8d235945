"""The demo merchant's master data, as its ERP holds it: stores, price tables, products with their variants,
retail prices and stock counts per store. One source for both sides of ``make dev``: ``seed.py`` writes it into
Vitrine, ``sandbox_erp`` serves it over the connector's contract, so the connector's first poll changes nothing.

Deterministic: the same data every start (the stock counts come from a generator with a fixed seed).
"""

import random
import unicodedata
from dataclasses import dataclass
from typing import Any

from vitrine.addresses import Address
from vitrine.catalogs.models import Image, Product, Variant
from vitrine.merchants import ShopProfile

DEMO_MERCHANT_ID = "demo-merchant"
DEMO_CNPJ = "11222333000181"
RETAIL_TABLE = "varejo"
WHOLESALE_TABLE = "atacado"
PHYSICAL_STORE = "0001"
ONLINE_STORE = "9900"
WHOLESALE_PERCENT = 85  # the wholesale table's price, in percent of the retail one

# Who the shop is on its pages (the footer and "Falar com a loja"); its CNPJ is the Merchant record's.
DEMO_PROFILE = ShopProfile(
    corporate_name="Loja Demo Vitrine Comércio de Roupas Ltda",
    trade_name="Loja Demo Vitrine",
    address=Address(
        cep="01304-001",
        street="Rua Augusta",
        number="1500",
        complement="Loja 2",
        district="Consolação",
        city="São Paulo",
        state="SP",
    ),
    email="atendimento@vitrine.demo",
    phone="(11) 3333-4444",
    whatsapp="5511999990000",
    return_policy_text=(
        "Arrependeu-se? Devolva em até 7 dias corridos do recebimento (art. 49 do Código de Defesa do Consumidor) "
        "e receba de volta tudo o que pagou, frete incluído.\n"
        "Trocas de tamanho ou cor em até 30 dias, com a etiqueta, na Loja Centro ou pelo WhatsApp da loja."
    ),
)

CLOTHING_SIZES = ["P", "M", "G", "GG"]
SHOE_SIZES = ["36", "38", "40", "42", "44"]

# (sku, name, brand, classifiers, sizes, colours, retail price in centavos)
DEMO_PRODUCTS = [
    (
        "CAM-BAS",
        "Camiseta Básica Algodão",
        "Vitrine",
        ["Vestuário", "Camisetas"],
        CLOTHING_SIZES,
        ["Branco", "Preto", "Azul"],
        4990,
    ),
    ("CAM-GOL", "Camiseta Gola V", "Vitrine", ["Vestuário", "Camisetas"], CLOTHING_SIZES, ["Cinza", "Verde"], 5990),
    (
        "POL-PIQ",
        "Camisa Polo Piquet",
        "Costa Brava",
        ["Vestuário", "Camisas"],
        CLOTHING_SIZES,
        ["Marinho", "Branco"],
        8990,
    ),
    ("CAM-LIN", "Camisa de Linho", "Costa Brava", ["Vestuário", "Camisas"], CLOTHING_SIZES, ["Areia"], 15990),
    (
        "CAL-JEA",
        "Calça Jeans Reta",
        "Denim Sul",
        ["Vestuário", "Calças"],
        ["38", "40", "42", "44", "46"],
        ["Azul"],
        13990,
    ),
    (
        "CAL-SAR",
        "Calça de Sarja",
        "Denim Sul",
        ["Vestuário", "Calças"],
        ["38", "40", "42", "44"],
        ["Bege", "Preto"],
        11990,
    ),
    ("BER-MOL", "Bermuda de Moletom", "Vitrine", ["Vestuário", "Bermudas"], CLOTHING_SIZES, ["Mescla"], 6990),
    ("BER-TAC", "Bermuda Tactel", "Maré", ["Vestuário", "Bermudas"], CLOTHING_SIZES, ["Azul", "Laranja"], 5490),
    ("MOL-CAN", "Moletom Canguru", "Vitrine", ["Vestuário", "Agasalhos"], CLOTHING_SIZES, ["Preto", "Vinho"], 17990),
    ("JAQ-COR", "Jaqueta Corta-Vento", "Maré", ["Vestuário", "Agasalhos"], CLOTHING_SIZES, ["Amarelo"], 21990),
    ("VES-MID", "Vestido Midi Estampado", "Flor de Lis", ["Vestuário", "Vestidos"], ["P", "M", "G"], ["Floral"], 18990),
    ("SAI-PLI", "Saia Plissada", "Flor de Lis", ["Vestuário", "Saias"], ["P", "M", "G"], ["Rosa", "Preto"], 12990),
    ("TEN-COR", "Tênis de Corrida", "Passo Firme", ["Calçados", "Tênis"], SHOE_SIZES, ["Preto", "Azul"], 29990),
    ("TEN-CAS", "Tênis Casual Couro", "Passo Firme", ["Calçados", "Tênis"], SHOE_SIZES, ["Branco"], 25990),
    ("SAN-PRA", "Sandália de Praia", "Maré", ["Calçados", "Sandálias"], SHOE_SIZES, ["Azul", "Verde"], 3990),
    ("BOT-CAN", "Bota Cano Curto", "Passo Firme", ["Calçados", "Botas"], SHOE_SIZES, ["Caramelo"], 34990),
    ("BON-ABA", "Boné Aba Curva", "Vitrine", ["Acessórios", "Bonés"], ["Único"], ["Preto", "Branco"], 5990),
    ("MEI-KIT", "Kit 3 Pares de Meias", "Vitrine", ["Acessórios", "Meias"], ["34-38", "39-43"], ["Sortidas"], 3490),
    (
        "CIN-COU",
        "Cinto de Couro",
        "Costa Brava",
        ["Acessórios", "Cintos"],
        ["90", "100", "110"],
        ["Marrom", "Preto"],
        8990,
    ),
    ("MOC-URB", "Mochila Urbana", "Maré", ["Acessórios", "Bolsas"], ["Único"], ["Preto"], 19990),
]


# A few products tell more, over several lines (the sheet keeps the breaks and folds long text under "Ver mais"),
# and have a gallery: (caption drawn on the photo, width, height) after the first, the product's own front photo.
DESCRIPTIONS = {
    "CAM-BAS": (
        "Camiseta de malha 100% algodão penteado, fio 30.1: toque macio, não desbota e não faz bolinhas.\n"
        "Gola careca com ribana, costura dupla nos ombros e na barra, modelagem reta.\n\n"
        "Composição: 100% algodão.\n"
        "Cuidados: lavar na máquina em água fria, do avesso; não usar alvejante; secar à sombra.\n"
        "Modelo veste M e tem 1,80 m."
    ),
    "TEN-COR": (
        "Tênis leve para corridas de até 21 km, com entressola de EVA injetado que devolve a energia da passada.\n"
        "Cabedal em tela respirável e palmilha removível.\n\n"
        "Peso: 240 g (par, tamanho 40). Drop: 8 mm."
    ),
    "MOC-URB": 'Mochila de 20 litros com compartimento acolchoado para notebook de até 15,6".\nTecido impermeável.',
}
GALLERIES = {
    "CAM-BAS": [("Costas", 600, 600), ("Gola", 800, 600)],
    "TEN-COR": [("Lateral", 600, 600), ("Solado", 600, 600)],
    "MOC-URB": [("Interior", 600, 600)],
}


def _variant_sku(sku: str, size: str, colour: str) -> str:
    ascii_only = unicodedata.normalize("NFKD", f"{size}-{colour[:3]}").encode("ascii", "ignore").decode()
    return f"{sku}-{ascii_only.upper()}"


def demo_products() -> list[Product]:
    """The demo's products as Vitrine's catalogue holds them: a size/colour grid of variants, a photo each (a
    gallery for some, ``GALLERIES``) and a description."""
    products = []
    for sku, name, brand, classifiers, sizes, colours, _price in DEMO_PRODUCTS:
        variants = [Variant(sku=_variant_sku(sku, s, c), size=s, colour=c) for s in sizes for c in colours]
        images = [Image(key=f"merchants/{DEMO_MERCHANT_ID}/products/{sku}.jpg", width=600, height=600)]
        images += [
            Image(key=f"merchants/{DEMO_MERCHANT_ID}/products/{sku}-{n}.jpg", width=width, height=height)
            for n, (_caption, width, height) in enumerate(GALLERIES.get(sku, []), start=2)
        ]
        products.append(
            Product(
                sku=sku,
                name=name,
                brand=brand,
                classifiers=classifiers,
                variants=variants,
                images=images,
                description=DESCRIPTIONS.get(sku, f"{name} da marca {brand}.\nTroca grátis em até 30 dias."),
            )
        )
    return products


def image_captions(sku: str, name: str) -> list[str]:
    """What each of the product's photos says (the seed draws them): its name, then its gallery's captions."""
    return [name] + [caption for caption, _width, _height in GALLERIES.get(sku, [])]


def demo_stock_counts() -> list[tuple[str, str, int]]:
    """(store code, variant SKU, units on hand) for every variant in both stores: some sold out in one store or
    both, as in a real shop, drawn in this order by one seeded generator."""
    rng = random.Random(2026)
    return [
        (store, variant.sku, rng.choice([0, 0, 1, 2, 3, 5, 8, 12]))
        for product in demo_products()
        for variant in product.variants
        for store in (PHYSICAL_STORE, ONLINE_STORE)
    ]


@dataclass(frozen=True)
class MasterData:
    """Master data in the ERP connector's item schemas (``ErpProduct``, ``ErpPrice``, ``ErpStockLevel``)."""

    products: list[dict[str, Any]]
    prices: list[dict[str, Any]]
    stock: list[dict[str, Any]]


def demo_master_data() -> MasterData:
    """The demo merchant in the connector's item schemas, each stock count at sequence 1."""
    products = [
        {
            "sku": product.sku,
            "name": product.name,
            "description": product.description,
            "brand": product.brand,
            "classifiers": list(product.classifiers),
            "variants": [{"sku": v.sku, "size": v.size, "colour": v.colour} for v in product.variants],
            "active_online": product.active_online,
        }
        for product in demo_products()
    ]
    retail = {sku: price for sku, *_rest, price in DEMO_PRODUCTS}
    prices = [{"table_id": RETAIL_TABLE, "sku": sku, "price": price} for sku, price in retail.items()]
    prices += [
        {"table_id": WHOLESALE_TABLE, "sku": sku, "price": price * WHOLESALE_PERCENT // 100}
        for sku, price in retail.items()
    ]
    stock = [
        {"store_code": store, "sku": sku, "on_hand": on_hand, "sequence": 1}
        for store, sku, on_hand in demo_stock_counts()
    ]
    return MasterData(products=products, prices=prices, stock=stock)


# Loyalty points (issue 19): the demo merchant scores by R$ spent, two brands participate, each store has a table
# (the seed points the partner at the sandbox loyalty partner). Online: 1 point per R$ 1,00 of Vitrine's and Costa
# Brava's; at the counter store: 2 per R$ 1,00 of Vitrine's, 1 of any other participating brand's.
DEMO_LOYALTY_BRANDS = ["Vitrine", "Costa Brava"]
DEMO_LOYALTY_STORES: dict[str, dict[str, Any]] = {
    ONLINE_STORE: {"partner_store_code": "DEMO-ONLINE", "default_rate": 1, "brand_rates": {}},
    PHYSICAL_STORE: {"partner_store_code": "DEMO-CENTRO", "default_rate": 1, "brand_rates": {"Vitrine": 2}},
}
