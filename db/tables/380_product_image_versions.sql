-- Versioned image URLs: every picture URL the API shows carries the version of the picture's
-- content, <url>?v=<content_version> (&v= when the URL has a query already), so that a CDN and
-- browsers may keep a picture for a year: new bytes come with a new version, hence a new URL.
-- store.versioned_image_url is the one definition; api.get_product's images and the summaries'
-- image_url (the thumbnail of every list and of the cart) use it. This file replaces
-- store.write_product_summaries (db/tables/340) and rewrites every summary with it.
ALTER TABLE store.product_images ADD COLUMN content_version text;

-- The pictures already there: no bytes were ever recorded, so the version stands in from the
-- URL (see the column's comment).
UPDATE store.product_images SET content_version = left(md5(url), 12);

ALTER TABLE store.product_images
ALTER COLUMN content_version SET NOT NULL,
-- URL-safe, so that it goes into a query string as is: hex or base64url of a hash.
ADD CONSTRAINT product_images_content_version_format CHECK (
    content_version ~ '^[0-9A-Za-z_-]{1,128}$'
);

COMMENT ON COLUMN store.product_images.content_version IS
'Version of the picture''s bytes (a hash given by whoever records it), shown as ?v= in its URL. '
'Not given: left(md5(url), 12), a stand-in until pictures are uploaded through a staff API, '
'so new bytes at an unchanged URL need a new content_version.';

-- A picture recorded without a version (the demo data, a DBA's INSERT) gets the stand-in.
CREATE FUNCTION store.default_content_version()
RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    NEW.content_version := left(md5(NEW.url), 12);
    RETURN NEW;
END
$$;

COMMENT ON FUNCTION store.default_content_version() IS
'Trigger of store.product_images: content_version, when not given, is left(md5(url), 12).';

CREATE TRIGGER product_images_content_version_default
BEFORE INSERT ON store.product_images
FOR EACH ROW
WHEN (new.content_version IS NULL)
EXECUTE FUNCTION store.default_content_version();

-- The URL shown for a picture: v=<content_version> added to its query, before any #fragment
-- (a ? inside the fragment is not a query). One expression, so that PostgreSQL inlines it.
CREATE FUNCTION store.versioned_image_url(p_url text, p_content_version text)
RETURNS text
LANGUAGE sql
IMMUTABLE
PARALLEL SAFE
AS $$
    SELECT
        split_part(p_url, '#', 1)
        || CASE
            WHEN strpos(split_part(p_url, '#', 1), '?') = 0 THEN '?'
            WHEN split_part(p_url, '#', 1) ~ '[?&]$' THEN ''
            ELSE '&'
        END
        || 'v=' || p_content_version
        || substr(p_url, strpos(p_url || '#', '#'))
$$;

COMMENT ON FUNCTION store.versioned_image_url(text, text) IS
'A picture''s URL as the API shows it: its url with v=<content_version> added to the query.';

-- As in db/tables/340, but image_url is the thumbnail's versioned URL.
CREATE OR REPLACE FUNCTION store.write_product_summaries(p_product_ids bigint[])
RETURNS void
LANGUAGE sql
AS $$
    INSERT INTO store.product_summaries AS s (product_id, summary)
    SELECT
        p.id,
        jsonb_build_object(
            'id', p.id, 'name', p.name, 'slug', p.slug, 'brand', p.brand,
            'price', p.price, 'mrp', p.mrp,
            'image_url', (
                SELECT store.versioned_image_url(img.url, img.content_version)
                FROM store.product_images AS img
                WHERE img.product_id = p.id
                ORDER BY img.position
                LIMIT 1
            ),
            'category_id', p.category_id,
            'age_min_months', p.age_min_months, 'age_max_months', p.age_max_months,
            'gender', p.gender
        )
    FROM store.products AS p
    WHERE p.id = any(p_product_ids)
    ORDER BY p.id  -- rows locked in id order: two writers never wait for each other in a circle
    ON CONFLICT (product_id) DO UPDATE SET summary = excluded.summary
    WHERE s.summary IS DISTINCT FROM excluded.summary
$$;

COMMENT ON COLUMN store.product_summaries.summary IS
'id, name, slug, brand, price, mrp, image_url (first picture, versioned), category_id, age range, gender.';

-- Every summary, with its versioned thumbnail.
SELECT store.write_product_summaries(array(SELECT p.id FROM store.products AS p));
