-- Who holds a notification's lease (issue 15, finding 11): the claim token of the dispatcher process
-- that claimed it last. Only that claim may mark the message sent or schedule its next try, so a
-- replica whose lease ran out mid-send cannot overwrite the replica that took the message over.
ALTER TABLE alerts.notification ADD COLUMN claimed_by text;
