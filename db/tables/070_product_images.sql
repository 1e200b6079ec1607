-- Product pictures in display order; position 0 is the thumbnail used in lists.
CREATE TABLE store.product_images (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES store.products (id) ON DELETE CASCADE,
    url text NOT NULL,
    alt text NOT NULL DEFAULT '',
    position smallint NOT NULL DEFAULT 0,
    CONSTRAINT product_images_product_position_key UNIQUE (product_id, position),
    CONSTRAINT product_images_url_format CHECK (url ~ '^https://'),
    CONSTRAINT product_images_position_non_negative CHECK (position >= 0)
);

COMMENT ON TABLE store.product_images IS 'Images of a product, ordered by position.';
COMMENT ON COLUMN store.product_images.id IS 'Image id.';
COMMENT ON COLUMN store.product_images.product_id IS 'The product shown.';
COMMENT ON COLUMN store.product_images.url IS 'HTTPS URL of the image.';
COMMENT ON COLUMN store.product_images.alt IS 'Alternative text for accessibility.';
COMMENT ON COLUMN store.product_images.position IS 'Display order; 0 is the list thumbnail.';
