-- A methodology pack is a draft until a methodologist adopts it: only
-- adopted packs (and those of published years) are public, and a cycle
-- opens on an adopted pack only. A new text for the year is a draft again.
ALTER TABLE packs ADD COLUMN adopted_at TEXT;
ALTER TABLE packs ADD COLUMN adopted_by TEXT;
