-- Delivery addresses. Orders keep a snapshot, so an edited or deleted address never changes
-- an order; deletion is soft so that the row stays for audit.
CREATE TABLE store.addresses (
    user_id bigint NOT NULL REFERENCES store.users (id) ON DELETE CASCADE,
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL,
    phone text NOT NULL,
    line1 text NOT NULL,
    line2 text,
    landmark text,
    city text NOT NULL,
    state text NOT NULL,
    pincode text NOT NULL,
    is_default boolean NOT NULL DEFAULT FALSE,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (user_id, id),
    CONSTRAINT addresses_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT addresses_phone_format CHECK (phone ~ '^\+91[6-9][0-9]{9}$'),
    CONSTRAINT addresses_line1_length CHECK (char_length(line1) BETWEEN 1 AND 200),
    CONSTRAINT addresses_line2_length CHECK (char_length(line2) <= 200),
    CONSTRAINT addresses_landmark_length CHECK (char_length(landmark) <= 200),
    CONSTRAINT addresses_city_length CHECK (char_length(city) BETWEEN 1 AND 100),
    CONSTRAINT addresses_pincode_format CHECK (pincode ~ '^[1-9][0-9]{5}$'),
    CONSTRAINT addresses_state_valid CHECK (state IN (
        'Andaman and Nicobar Islands', 'Andhra Pradesh', 'Arunachal Pradesh', 'Assam', 'Bihar',
        'Chandigarh', 'Chhattisgarh', 'Dadra and Nagar Haveli and Daman and Diu', 'Delhi', 'Goa',
        'Gujarat', 'Haryana', 'Himachal Pradesh', 'Jammu and Kashmir', 'Jharkhand', 'Karnataka',
        'Kerala', 'Ladakh', 'Lakshadweep', 'Madhya Pradesh', 'Maharashtra', 'Manipur',
        'Meghalaya', 'Mizoram', 'Nagaland', 'Odisha', 'Puducherry', 'Punjab', 'Rajasthan',
        'Sikkim', 'Tamil Nadu', 'Telangana', 'Tripura', 'Uttar Pradesh', 'Uttarakhand',
        'West Bengal'
    ))
);

-- Exactly one default among a user's live addresses.
CREATE UNIQUE INDEX addresses_one_default_per_user
ON store.addresses (user_id) WHERE is_default AND deleted_at IS NULL;

COMMENT ON TABLE store.addresses IS
'Delivery addresses of a user; soft-deleted so orders that used one stay explainable.';
COMMENT ON COLUMN store.addresses.user_id IS 'Owner; part of the key so the table shards by user.';
COMMENT ON COLUMN store.addresses.id IS 'Address id, unique across all users.';
COMMENT ON COLUMN store.addresses.name IS 'Recipient name.';
COMMENT ON COLUMN store.addresses.phone IS 'Recipient mobile, normalised to +91XXXXXXXXXX.';
COMMENT ON COLUMN store.addresses.line1 IS 'House, building, street.';
COMMENT ON COLUMN store.addresses.line2 IS 'Area, locality (optional).';
COMMENT ON COLUMN store.addresses.landmark IS 'Nearby landmark (optional).';
COMMENT ON COLUMN store.addresses.city IS 'City or town.';
COMMENT ON COLUMN store.addresses.state IS 'One of the 28 states and 8 union territories.';
COMMENT ON COLUMN store.addresses.pincode IS 'Six-digit Indian PIN code, not starting with 0.';
COMMENT ON COLUMN store.addresses.is_default IS 'The address checkout proposes first.';
COMMENT ON COLUMN store.addresses.created_at IS 'When the address was added.';
COMMENT ON COLUMN store.addresses.updated_at IS 'Last edit.';
COMMENT ON COLUMN store.addresses.deleted_at IS 'Set when the user deletes the address.';
