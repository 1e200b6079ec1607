-- The children a user shops for; their age drives product suggestions.
CREATE TABLE store.children (
    user_id bigint NOT NULL REFERENCES store.users (id) ON DELETE CASCADE,
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL,
    date_of_birth date NOT NULL,
    gender text NOT NULL DEFAULT 'unspecified',
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, id),
    CONSTRAINT children_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
    CONSTRAINT children_gender_valid CHECK (gender IN ('boy', 'girl', 'unspecified'))
);

COMMENT ON TABLE store.children IS
'Children of a user. Age in months is computed at read time from date_of_birth.';
COMMENT ON COLUMN store.children.user_id IS 'Owner; part of the key so the table shards by user.';
COMMENT ON COLUMN store.children.id IS 'Child id, unique across all users.';
COMMENT ON COLUMN store.children.name IS 'Name or nickname.';
COMMENT ON COLUMN store.children.date_of_birth IS
'Birth date: not in the future, at most 18 years ago (checked by the procedures).';
COMMENT ON COLUMN store.children.gender IS 'boy, girl or unspecified.';
COMMENT ON COLUMN store.children.created_at IS 'When the child was added.';
COMMENT ON COLUMN store.children.updated_at IS 'Last change.';
