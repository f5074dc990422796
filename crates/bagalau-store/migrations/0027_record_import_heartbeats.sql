-- A running import of delivery records notes, with its progress, when its
-- server last showed it was still at work. A job whose server stopped
-- (a crash, a redeploy) stops showing it, and is ended as abandoned by the
-- next one to read it, on any server. Outside the audit trail, as the
-- progress is.
ALTER TABLE record_imports ADD COLUMN heartbeat_at TEXT;
