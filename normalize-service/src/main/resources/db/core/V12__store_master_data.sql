-- Stores are master data an admin edits (DESIGN.md §3); configuration only seeds them. A store edited through the
-- API keeps its edit whatever the configuration says at the next start.
ALTER TABLE core.store ADD COLUMN edited_at timestamptz;

-- Other systems' ids for a store (a Square location id, a till's name in a CSV export), upper-cased.
CREATE TABLE core.store_alias (
    alias    text   PRIMARY KEY,
    store_id bigint NOT NULL REFERENCES core.store (id) ON DELETE CASCADE
);
CREATE INDEX store_alias_store_idx ON core.store_alias (store_id);

-- Bumped by every change of store master data, in the same transaction: each normalizer replica checks it at the
-- start of a batch and reads the stores again when it moved, so an edit holds for every batch that begins after it.
CREATE TABLE core.store_catalog (
    one     boolean PRIMARY KEY DEFAULT true CHECK (one),
    version bigint  NOT NULL
);
INSERT INTO core.store_catalog (version) VALUES (0);
