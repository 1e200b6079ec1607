"""The catalog over real HTTP: GET /products (shape, every filter, every sort, pagination,
validation), GET /products/{id} and GET /products/categories/ (docs/api.md "Products").

Exact assertions run against a small catalog this module inserts under a category tree and a
brand of its own (and removes afterwards); the demo store serves for pagination and counts."""

from __future__ import annotations

import secrets
import string
from collections.abc import Iterator
from dataclasses import dataclass, field

import psycopg
import pytest

from tests.conftest import LARGEST_ID, assert_problem, new_phone

SUMMARY_FIELDS = {
    "id",
    "name",
    "slug",
    "brand",
    "price",
    "mrp",
    "image_url",
    "category_id",
    "age_min_months",
    "age_max_months",
    "gender",
    "in_stock",
}


@dataclass
class Catalog:
    """What the `catalog` fixture inserted: category ids, product ids by key, words to search."""

    tag: str
    brand: str
    parent: int  # top-level category
    child: int  # sub-category of parent
    grandchild: int  # sub-category of child
    other: int  # a demo category holding one of our products
    name_word: str  # only in alpha's name (and the inactive echo's)
    desc_word: str  # only in delta's description
    rank_word: str  # in delta's name (weight A) and alpha's description (weight C)
    products: dict[str, int] = field(default_factory=dict)

    def ids(self, *keys: str) -> list[int]:
        return [self.products[key] for key in keys]


# key: category, price, mrp, ages, gender, sales_count, age of the listing, on hand, active
PRODUCTS = {
    "alpha": ("child", 10000, 12000, (0, 12), "boy", 50, "3 days", 5, True),
    "bravo": ("parent", 20000, 20000, (12, 36), "girl", 10, "1 day", 0, True),
    "charlie": ("parent", 30000, 35000, (24, 72), "unisex", 30, "2 days", 3, True),
    "delta": ("child", 20000, 25000, (36, 216), "unisex", 40, "1 minute", 10, True),
    "echo": ("child", 15000, 15000, (0, 216), "unisex", 1000, "0 minutes", 50, False),
    "hotel": ("grandchild", 50000, 60000, (100, 200), "unisex", 5, "4 days", 7, True),
    "foxtrot": ("other", 40000, 40000, (60, 120), "girl", 20, "5 days", 2, True),
}


def word(tag: str, suffix: str) -> str:
    return f"{tag}{suffix}"


@pytest.fixture(scope="module")
def catalog(db_url: str) -> Iterator[Catalog]:
    tag = "".join(secrets.choice(string.ascii_lowercase) for _ in range(10))
    with psycopg.connect(db_url, autocommit=True) as conn:
        parent = insert_category(conn, None, f"Test {tag}", f"t-{tag}")
        child = insert_category(conn, parent, f"Test {tag} child", f"t-{tag}-child")
        grandchild = insert_category(conn, child, f"Test {tag} grandchild", f"t-{tag}-gchild")
        other = conn.execute("SELECT id FROM store.categories WHERE slug = 'toys'").fetchone()[0]
        cat = Catalog(
            tag=tag,
            brand=f"Zb{tag}",
            parent=parent,
            child=child,
            grandchild=grandchild,
            other=other,
            name_word=word(tag, "nq"),
            desc_word=word(tag, "dq"),
            rank_word=word(tag, "rq"),
        )
        categories = {"parent": parent, "child": child, "grandchild": grandchild, "other": other}
        texts = {
            "alpha": (f"{cat.name_word} Alpha Blocks", f"Stacking blocks. {cat.rank_word} fun."),
            "delta": (f"{cat.rank_word} Delta Train", f"A wooden train, {cat.desc_word} edition."),
            "echo": (f"{cat.name_word} Echo Kite", "A kite that is no longer sold."),
        }
        for key, (
            category,
            price,
            mrp,
            ages,
            gender,
            sales,
            age,
            on_hand,
            active,
        ) in PRODUCTS.items():
            name, description = texts.get(key, (f"{key.title()} Toy", f"The {key} toy."))
            cat.products[key] = conn.execute(
                "INSERT INTO store.products (category_id, name, slug, brand, description, price,"
                " mrp, age_min_months, age_max_months, gender, is_active, sales_count, created_at,"
                " hsn_code, gst_rate)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, now() - %s::interval,"
                " '9503', 5)"
                " RETURNING id",
                (
                    categories[category],
                    name,
                    f"t-{tag}-{key}",
                    cat.brand,
                    description,
                    price,
                    mrp,
                    *ages,
                    gender,
                    active,
                    sales,
                    age,
                ),
            ).fetchone()[0]
            conn.execute(
                "INSERT INTO store.inventory (product_id, on_hand) VALUES (%s, %s)",
                (cat.products[key], on_hand),
            )
        # Images of alpha, inserted out of display order; bravo has none.
        for position in (2, 0, 1):
            conn.execute(
                "INSERT INTO store.product_images (product_id, url, alt, position, content_version)"
                " VALUES (%s, %s, %s, %s, %s)",
                (
                    cat.products["alpha"],
                    image_url(tag, position),
                    f"alpha view {position}",
                    position,
                    f"alpha{position}",
                ),
            )
        for key in ("charlie", "delta", "hotel", "foxtrot"):
            conn.execute(
                "INSERT INTO store.product_images (product_id, url, alt, position)"
                " VALUES (%s, %s, '', 0)",
                (cat.products[key], f"https://img.example/{tag}/{key}.jpg"),
            )
        # charlie's 3 units are all held by an unpaid order; hotel's hold has run out.
        user_id, order_id = insert_order(conn)
        for key, quantity, expires in (("charlie", 3, "1 hour"), ("hotel", 7, "-1 minute")):
            conn.execute(
                "INSERT INTO store.inventory_locks (user_id, order_id, product_id, quantity,"
                " expires_at) VALUES (%s, %s, %s, %s, now() + %s::interval)",
                (user_id, order_id, cat.products[key], quantity, expires),
            )

        yield cat

        conn.execute("DELETE FROM store.orders WHERE user_id = %s", (user_id,))
        conn.execute("DELETE FROM store.addresses WHERE user_id = %s", (user_id,))
        conn.execute("DELETE FROM store.users WHERE id = %s", (user_id,))
        conn.execute(
            "DELETE FROM store.products WHERE id = ANY(%s)", (list(cat.products.values()),)
        )
        for category_id in (grandchild, child, parent):
            conn.execute("DELETE FROM store.categories WHERE id = %s", (category_id,))


def insert_category(conn: psycopg.Connection, parent_id: int | None, name: str, slug: str) -> int:
    return conn.execute(
        "INSERT INTO store.categories (parent_id, name, slug) VALUES (%s, %s, %s) RETURNING id",
        (parent_id, name, slug),
    ).fetchone()[0]


def image_url(tag: str, position: int) -> str:
    return f"https://img.example/{tag}/alpha-{position}.jpg"


def shown_image_url(tag: str, position: int) -> str:
    """An image of alpha as the API shows it: with its content version (db/tables/380)."""
    return f"{image_url(tag, position)}?v=alpha{position}"


def insert_order(conn: psycopg.Connection) -> tuple[int, int]:
    """A user, an address and an unpaid order: the minimum a stock reservation refers to."""
    user_id = conn.execute(
        "INSERT INTO store.users (phone) VALUES (%s) RETURNING id", ("+91" + new_phone(),)
    ).fetchone()[0]
    address_id = conn.execute(
        "INSERT INTO store.addresses (user_id, name, phone, line1, city, state, pincode)"
        " VALUES (%s, 'Asha', '+919876543210', '1 MG Road', 'Bengaluru', 'Karnataka', '560001')"
        " RETURNING id",
        (user_id,),
    ).fetchone()[0]
    order_id = conn.execute(
        "INSERT INTO store.orders (user_id, address_id, address, subtotal, total, payment_due_at)"
        " VALUES (%s, %s, '{}'::jsonb, 90000, 90000, now() + interval '1 hour') RETURNING id",
        (user_id, address_id),
    ).fetchone()[0]
    return user_id, order_id


def listing(client, **params) -> dict:
    answer = client.get("/products", params=params)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    return answer.json()


def listed_ids(client, **params) -> list[int]:
    page = listing(client, page_size=100, **params)
    assert page["total"] == len(page["items"]), page  # everything fits on one page here
    return [item["id"] for item in page["items"]]


def active_product_count(db: psycopg.Connection) -> int:
    return db.execute("SELECT count(*) FROM store.products WHERE is_active").fetchone()[0]


# --- GET /products: shape ------------------------------------------------------------------


def test_list_answers_a_page_of_product_summaries(client, db, catalog):
    page = listing(client)

    assert set(page) == {"items", "page", "page_size", "total"}
    assert page["page"] == 1 and page["page_size"] == 20
    assert page["total"] == active_product_count(db)
    assert len(page["items"]) == 20
    for item in page["items"]:
        assert set(item) == SUMMARY_FIELDS, item


def test_list_item_carries_the_product_values(client, catalog):
    (item,) = listing(client, q=catalog.name_word)["items"]

    assert item == {
        "id": catalog.products["alpha"],
        "name": f"{catalog.name_word} Alpha Blocks",
        "slug": f"t-{catalog.tag}-alpha",
        "brand": catalog.brand,
        "price": 10000,
        "mrp": 12000,
        "image_url": shown_image_url(catalog.tag, 0),
        "category_id": catalog.child,
        "age_min_months": 0,
        "age_max_months": 12,
        "gender": "boy",
        "in_stock": True,
    }


def test_list_item_without_images_has_no_image_url(client, catalog):
    page = listing(client, brand=catalog.brand, age_months=12, min_price=15000)

    assert [item["id"] for item in page["items"]] == catalog.ids("bravo")
    assert page["items"][0]["image_url"] is None


def test_inactive_products_are_never_listed(client, db, catalog):
    listed = listed_ids(client, category_id=catalog.child)

    assert catalog.products["echo"] not in listed
    all_ids = set()
    for number in range(1, active_product_count(db) // 100 + 2):
        all_ids |= {item["id"] for item in listing(client, page=number, page_size=100)["items"]}
    assert catalog.products["echo"] not in all_ids


# --- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("parent", ["alpha", "bravo", "charlie", "delta", "hotel"]),
        ("child", ["alpha", "delta", "hotel"]),
        ("grandchild", ["hotel"]),
    ],
)
def test_category_filter_includes_sub_categories(client, catalog, category, expected):
    listed = listed_ids(client, category_id=getattr(catalog, category))

    assert sorted(listed) == sorted(catalog.ids(*expected))


def test_category_filter_on_a_demo_category_holds_only_its_tree(client, db, catalog):
    toys = catalog.other
    listed = listed_ids(client, category_id=toys, brand=catalog.brand)
    expected = db.execute(
        "SELECT count(*) FROM store.products AS p JOIN store.categories AS c"
        " ON c.id = p.category_id WHERE p.is_active AND (c.id = %s OR c.parent_id = %s)",
        (toys, toys),
    ).fetchone()[0]

    assert listed == catalog.ids("foxtrot")
    assert listing(client, category_id=toys)["total"] == expected


def test_unknown_category_lists_nothing(client, db):
    missing = db.execute("SELECT max(id) + 1000 FROM store.categories").fetchone()[0]

    page = listing(client, category_id=missing)

    assert page["items"] == [] and page["total"] == 0


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("name_word", ["alpha"]),  # name; the inactive echo shares the word but is not listed
        ("desc_word", ["delta"]),  # description
        ("brand", ["alpha", "bravo", "charlie", "delta", "hotel", "foxtrot"]),  # brand
    ],
)
def test_q_searches_name_brand_and_description(client, catalog, words, expected):
    listed = listed_ids(client, q=getattr(catalog, words).lower())

    assert sorted(listed) == sorted(catalog.ids(*expected))


def test_q_words_must_all_match(client, catalog):
    listed = listed_ids(client, q=f"{catalog.rank_word} {catalog.desc_word}")

    assert listed == catalog.ids("delta")


def test_q_matches_other_forms_of_a_word(client, catalog):
    # Full-text, not substring: "trains" finds the "Train" of delta.
    listed = listed_ids(client, q=f"{catalog.rank_word} trains")

    assert listed == catalog.ids("delta")


@pytest.mark.parametrize("text", ["!!!", "a & | b", "'", ":*", "(((", "the", "-", '"unclosed'])
def test_q_with_search_syntax_or_stop_words_is_accepted(client, text):
    page = listing(client, q=text)

    assert len(page["items"]) == min(page["total"], 20)


@pytest.mark.parametrize("spelling", [str.upper, str.lower, str.title])
def test_brand_filter_is_case_insensitive(client, catalog, spelling):
    listed = listed_ids(client, brand=spelling(catalog.brand))

    assert sorted(listed) == sorted(
        catalog.ids("alpha", "bravo", "charlie", "delta", "hotel", "foxtrot")
    )


def test_brand_filter_matches_the_whole_brand_only(client, catalog):
    page = listing(client, brand=catalog.brand[:-1])

    assert page["total"] == 0 and page["items"] == []


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ({"min_price": 20000, "max_price": 30000}, ["bravo", "charlie", "delta"]),
        ({"min_price": 20000, "max_price": 20000}, ["bravo", "delta"]),
        ({"min_price": 20001}, ["charlie", "hotel"]),
        ({"max_price": 19999}, ["alpha"]),
        ({"min_price": 50000}, ["hotel"]),
        ({"max_price": 10000}, ["alpha"]),
    ],
    ids=str,
)
def test_price_bounds_are_inclusive(client, catalog, bounds, expected):
    listed = listed_ids(client, category_id=catalog.parent, **bounds)

    assert sorted(listed) == sorted(catalog.ids(*expected))


def test_price_bounds_over_the_whole_catalog(client, db):
    page = listing(client, min_price=99900, max_price=199900, page_size=100)
    expected = db.execute(
        "SELECT count(*) FROM store.products WHERE is_active AND price BETWEEN 99900 AND 199900"
    ).fetchone()[0]

    assert page["total"] == expected > 0
    assert all(99900 <= item["price"] <= 199900 for item in page["items"])


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (0, ["alpha"]),
        (12, ["alpha", "bravo"]),
        (36, ["bravo", "charlie", "delta"]),
        (100, ["delta", "hotel"]),
        (216, ["delta"]),
    ],
)
def test_age_months_lists_products_suitable_for_that_age(client, catalog, age, expected):
    listed = listed_ids(client, category_id=catalog.parent, age_months=age)

    assert sorted(listed) == sorted(catalog.ids(*expected))


@pytest.mark.parametrize(
    ("gender", "expected"),
    [
        ("boy", ["alpha", "charlie", "delta", "hotel"]),
        ("girl", ["bravo", "charlie", "delta", "hotel"]),
    ],
)
def test_gender_matches_that_gender_and_unisex(client, catalog, gender, expected):
    listed = listed_ids(client, category_id=catalog.parent, gender=gender)

    assert sorted(listed) == sorted(catalog.ids(*expected))


def test_gender_boy_excludes_girl_only_products_across_the_catalog(client, db):
    girls_only = db.execute(
        "SELECT count(*) FROM store.products WHERE is_active AND gender = 'girl'"
    ).fetchone()[0]

    page = listing(client, gender="boy")

    assert page["total"] == active_product_count(db) - girls_only
    assert girls_only > 0


@pytest.mark.parametrize(
    ("in_stock", "expected"),
    [
        # charlie: 3 on hand, all 3 held by an active unpaid order; bravo: none on hand;
        # hotel: its reservation has expired, so its 7 units count again.
        ("true", ["alpha", "delta", "hotel"]),
        ("false", ["bravo", "charlie"]),
    ],
)
def test_in_stock_counts_active_reservations(client, catalog, in_stock, expected):
    page = listing(client, category_id=catalog.parent, in_stock=in_stock, page_size=100)

    assert sorted(item["id"] for item in page["items"]) == sorted(catalog.ids(*expected))
    assert all(item["in_stock"] is (in_stock == "true") for item in page["items"])


def test_filters_combine_with_and(client, catalog):
    listed = listed_ids(
        client, category_id=catalog.parent, gender="boy", in_stock="true", max_price=20000
    )

    assert sorted(listed) == sorted(catalog.ids("alpha", "delta"))


# --- sorts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("price_asc", ["alpha", "bravo", "delta", "charlie", "hotel"]),  # tie broken by id
        ("price_desc", ["hotel", "charlie", "bravo", "delta", "alpha"]),
        ("newest", ["delta", "bravo", "charlie", "alpha", "hotel"]),
        ("popularity", ["alpha", "delta", "charlie", "bravo", "hotel"]),
        ("relevance", ["alpha", "delta", "charlie", "bravo", "hotel"]),  # no q: popularity
    ],
)
def test_sort_orders_the_results(client, catalog, sort, expected):
    assert listed_ids(client, category_id=catalog.parent, sort=sort) == catalog.ids(*expected)


def test_default_sort_is_relevance(client, catalog):
    assert listed_ids(client, category_id=catalog.parent) == listed_ids(
        client, category_id=catalog.parent, sort="relevance"
    )


def test_relevance_with_q_ranks_the_better_match_first(client, catalog):
    # delta has the word in its name, alpha only in its description (alpha sells more).
    listed = listed_ids(client, q=catalog.rank_word, sort="relevance")

    assert listed == catalog.ids("delta", "alpha")


def test_other_sorts_apply_with_q(client, catalog):
    listed = listed_ids(client, q=catalog.rank_word, sort="popularity")

    assert listed == catalog.ids("alpha", "delta")


@pytest.mark.parametrize(
    ("sort", "key", "descending"),
    [("price_asc", "price", False), ("price_desc", "price", True)],
)
def test_price_sorts_order_the_whole_catalog(client, sort, key, descending):
    prices = [item[key] for item in listing(client, sort=sort, page_size=100)["items"]]

    assert prices == sorted(prices, reverse=descending)
    assert prices[0] != prices[-1]


def test_popularity_and_newest_order_the_whole_catalog(client, db):
    by_sales = dict(db.execute("SELECT id, sales_count FROM store.products").fetchall())
    by_created = dict(db.execute("SELECT id, created_at FROM store.products").fetchall())

    popular = [by_sales[item["id"]] for item in listing(client, sort="popularity")["items"]]
    newest = [by_created[item["id"]] for item in listing(client, sort="newest")["items"]]

    assert popular == sorted(popular, reverse=True)
    assert newest == sorted(newest, reverse=True)


# --- pagination ----------------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["price_asc", "popularity", "newest"])
def test_pages_do_not_overlap_and_cover_every_product(client, db, sort):
    total = active_product_count(db)
    seen: list[int] = []
    number = 1
    while True:
        page = listing(client, sort=sort, page=number, page_size=37)
        assert page["total"] == total and page["page"] == number and page["page_size"] == 37
        if not page["items"]:
            break
        seen += [item["id"] for item in page["items"]]
        number += 1

    assert len(seen) == len(set(seen)) == total
    assert number == -(-total // 37) + 1


def test_a_page_is_the_matching_slice_of_a_bigger_page(client):
    big = listing(client, sort="price_asc", page_size=60)["items"]
    second = listing(client, sort="price_asc", page=2, page_size=20)["items"]
    third = listing(client, sort="price_asc", page=3, page_size=20)["items"]

    assert second == big[20:40]
    assert third == big[40:60]


def test_page_past_the_end_is_empty_with_the_total(client, db):
    page = listing(client, page=1000)

    assert page["items"] == []
    assert page["page"] == 1000 and page["total"] == active_product_count(db)


def test_page_size_100_is_allowed(client):
    assert len(listing(client, page_size=100)["items"]) == 100


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 101}, "page_size"),
        ({"page_size": 0}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": -1}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "1.5"}, "page"),
        ({"page": "99999999999999999999"}, "page"),
        ({"page": 2**31 - 1}, "page"),
        ({"category_id": 2**63}, "category_id"),
        ({"category_id": 2**31}, "category_id"),
        ({"category_id": 0}, "category_id"),
        ({"min_price": -1}, "min_price"),
        ({"min_price": 2**63}, "min_price"),
        ({"max_price": "99999999999999999999999"}, "max_price"),
        ({"min_price": 500, "max_price": 100}, "min_price"),
        ({"age_months": 217}, "age_months"),
        ({"age_months": -1}, "age_months"),
        ({"gender": "unisex"}, "gender"),
        ({"gender": "other"}, "gender"),
        ({"sort": "cheapest"}, "sort"),
        ({"sort": ""}, "sort"),
        ({"in_stock": "maybe"}, "in_stock"),
        ({"q": "x" * 201}, "q"),
        ({"brand": "x" * 101}, "brand"),
    ],
    ids=str,
)
def test_invalid_query_is_a_validation_problem(client, params, field):
    answer = client.get("/products", params=params)

    problem = assert_problem(answer, 422, "validation_error")
    assert field in [error["field"] for error in problem["errors"]], problem


@pytest.mark.parametrize("params", [{"q": "lego\x00"}, {"brand": "LE\x00GO"}], ids=["q", "brand"])
def test_nul_byte_in_text_is_a_validation_problem_not_a_500(client, params):
    assert_problem(client.get("/products", params=params), 422, "validation_error")


# --- GET /products/{id} --------------------------------------------------------------------


def test_product_detail_has_description_ordered_images_category_and_stock(client, catalog):
    answer = client.get(f"/products/{catalog.products['alpha']}")

    assert answer.status_code == 200, answer.text
    product = answer.json()
    assert set(product) == SUMMARY_FIELDS | {"description", "images", "category", "stock"}
    assert product["id"] == catalog.products["alpha"]
    assert product["description"] == f"Stacking blocks. {catalog.rank_word} fun."
    assert product["images"] == [
        {"url": shown_image_url(catalog.tag, n), "alt": f"alpha view {n}", "position": n}
        for n in (0, 1, 2)
    ]
    assert product["image_url"] == shown_image_url(catalog.tag, 0)
    assert product["category"] == {"id": catalog.child, "name": f"Test {catalog.tag} child"}
    assert product["stock"] == 5 and product["in_stock"] is True
    assert product["price"] == 10000 and product["mrp"] == 12000


def test_product_detail_agrees_with_its_list_item(client, catalog):
    (item,) = listing(client, q=catalog.desc_word)["items"]
    product = client.get(f"/products/{item['id']}").json()

    assert {name: product[name] for name in SUMMARY_FIELDS} == item


@pytest.mark.parametrize(
    ("key", "stock"),
    [
        ("charlie", 0),  # 3 on hand, all reserved by an active unpaid order
        ("hotel", 7),  # its reservation has expired
        ("bravo", 0),  # none on hand
        ("delta", 10),
    ],
)
def test_product_stock_is_what_can_be_bought_now(client, catalog, key, stock):
    product = client.get(f"/products/{catalog.products[key]}").json()

    assert product["stock"] == stock
    assert product["in_stock"] is (stock > 0)


def test_product_without_images_has_an_empty_image_list(client, catalog):
    product = client.get(f"/products/{catalog.products['bravo']}").json()

    assert product["images"] == [] and product["image_url"] is None


def test_inactive_product_is_not_found(client, catalog):
    assert_problem(client.get(f"/products/{catalog.products['echo']}"), 404, "product_not_found")


def test_unknown_product_is_not_found(client, db):
    missing = db.execute("SELECT max(id) + 1000 FROM store.products").fetchone()[0]

    assert_problem(client.get(f"/products/{missing}"), 404, "product_not_found")


@pytest.mark.parametrize("product_id", ["abc", "0", "-1", "1.5", str(LARGEST_ID + 1), "1e3"])
def test_malformed_product_id_is_a_validation_problem(client, product_id):
    problem = assert_problem(client.get(f"/products/{product_id}"), 422, "validation_error")

    assert "product_id" in [error["field"] for error in problem["errors"]], problem


def test_largest_product_id_is_not_found_not_an_error(client):
    assert_problem(client.get(f"/products/{LARGEST_ID}"), 404, "product_not_found")


# --- GET /products/categories/ -------------------------------------------------------------


def categories(client) -> list[dict]:
    answer = client.get("/products/categories/")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert set(body) == {"items"}
    return body["items"]


def test_categories_have_ids_names_slugs_parents_and_counts(client, catalog):
    items = categories(client)
    by_id = {item["id"]: item for item in items}

    for item in items:
        assert set(item) == {"id", "name", "slug", "parent_id", "product_count"}, item
    assert by_id[catalog.parent] == {
        "id": catalog.parent,
        "name": f"Test {catalog.tag}",
        "slug": f"t-{catalog.tag}",
        "parent_id": None,
        "product_count": 5,  # alpha, bravo, charlie, delta (child), hotel (grandchild)
    }
    assert by_id[catalog.child]["parent_id"] == catalog.parent
    assert by_id[catalog.child]["product_count"] == 3  # alpha, delta, hotel; not inactive echo
    assert by_id[catalog.grandchild]["parent_id"] == catalog.child
    assert by_id[catalog.grandchild]["product_count"] == 1


def test_categories_list_top_level_first(client):
    parents = [item["parent_id"] for item in categories(client)]

    first_child = next(n for n, parent in enumerate(parents) if parent is not None)
    assert all(parent is None for parent in parents[:first_child])
    assert all(parent is not None for parent in parents[first_child:])


def test_demo_store_has_categories_with_sub_categories(client):
    items = categories(client)

    top_level = [item for item in items if item["parent_id"] is None]
    assert len(top_level) >= 8
    assert len(items) > len(top_level)


def test_category_counts_include_sub_categories_and_match_the_filter(client):
    items = categories(client)
    children: dict[int, list[dict]] = {}
    for item in items:
        children.setdefault(item["parent_id"], []).append(item)

    for item in items:
        if item["parent_id"] is None and children.get(item["id"]):
            own_subs = sum(sub["product_count"] for sub in children[item["id"]])
            assert item["product_count"] >= own_subs > 0, item
            listed = listing(client, category_id=item["id"], page_size=1)["total"]
            assert item["product_count"] == listed, item
