-- What each accepted event said, whatever its layout (ContentFingerprint): a later event with the same id
-- and another fingerprint is a changed record sent under a version already accepted, never a duplicate.
-- Rows accepted before this column existed have none; they are compared by content_hash (the bytes).
ALTER TABLE received_event ADD COLUMN fingerprint text;
