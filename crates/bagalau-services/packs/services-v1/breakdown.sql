-- Each delivery record with its standard (the register version in force on
-- the day it was requested, with that day's deadline already worked out)
-- and whether it met the standard's deadline. Every standard has a sector,
-- so a record without one is outside the register; a deadline counted in
-- days ends where the day after its last day begins (no end when it runs
-- past the calendar's end), one counted in hours or minutes has a length
-- in seconds. A record finds its standard by the midnight that begins its
-- request day: truncating a timestamp to the day is arithmetic, where a
-- cast to DATE costs a calendar conversion per record.
WITH checked AS (
  SELECT
    d.service, d.provider, d.region, d.office, d.channel, d.recipient,
    d.year, d.month, d.delivered_at, d.extra_documents,
    s.sector,
    s.sector IS NOT NULL AS registered,
    CASE
      WHEN s.sector IS NULL OR d.delivered_at IS NULL THEN NULL
      WHEN s.deadline_seconds IS NULL THEN d.delivered_at < s.due_before
      ELSE date_part('epoch', d.delivered_at) - date_part('epoch', d.requested_at)
           <= s.deadline_seconds
    END AS on_time
  FROM deliveries d
  LEFT JOIN standards s
    ON s.service = d.service
   AND s.request_midnight = date_trunc('day', d.requested_at)
  WHERE d.year = $year AND d.month IN ($months)
),
-- The records counted once at the finest grain; the breakdowns below add
-- these cells up, so each record is read and hashed once, not once per
-- breakdown. Only what the keys cannot tell is counted here (a cell's
-- channel says whether its records are electronic, its sector whether they
-- are in the register). Year and month are keys so that an engine reading
-- each month's files apart can count each month on its own.
cells AS (
  SELECT
    service, sector, provider, region, office, channel, recipient, year, month,
    COUNT(*) AS records,
    SUM(CASE WHEN on_time THEN 1 ELSE 0 END) AS on_time,
    SUM(CASE WHEN NOT on_time THEN 1 ELSE 0 END) AS violations,
    COUNT(delivered_at) AS delivered,
    COUNT(extra_documents) AS documents_recorded,
    SUM(CASE WHEN extra_documents > 0 THEN 1 ELSE 0 END) AS extra_documents,
    SUM(CASE WHEN registered AND (NOT on_time OR extra_documents > 0) THEN 1 ELSE 0 END) AS breaches
  FROM checked
  GROUP BY service, sector, provider, region, office, channel, recipient, year, month
)
-- Each cell once per breakdown (the dimension's value, NULL for the
-- 'month' breakdown and for a record without one, as a hidden service has
-- no sector), then the cells added up by breakdown, value and month. Three
-- keys per row here, where GROUPING SETS would carry all seven.
SELECT
  b.dimension,
  CASE b.dimension
    WHEN 'service' THEN c.service
    WHEN 'sector' THEN c.sector
    WHEN 'provider' THEN c.provider
    WHEN 'region' THEN c.region
    WHEN 'office' THEN c.office
    WHEN 'channel' THEN c.channel
    WHEN 'recipient' THEN c.recipient
  END AS value,
  c.month,
  CAST(SUM(records) AS BIGINT) AS records,
  CAST(SUM(CASE WHEN c.sector IS NULL THEN records ELSE 0 END) AS BIGINT) AS hidden,
  CAST(SUM(on_time) AS BIGINT) AS on_time,
  CAST(SUM(violations) AS BIGINT) AS violations,
  CAST(SUM(records - delivered) AS BIGINT) AS no_delivery_date,
  CAST(SUM(CASE WHEN c.channel = 'portal' THEN records ELSE 0 END) AS BIGINT) AS electronic,
  CAST(SUM(documents_recorded) AS BIGINT) AS documents_recorded,
  CAST(SUM(extra_documents) AS BIGINT) AS extra_documents,
  CAST(SUM(breaches) AS BIGINT) AS breaches
FROM cells c
CROSS JOIN (
  VALUES ('service'), ('sector'), ('provider'), ('region'), ('office'),
         ('channel'), ('recipient'), ('month')
) AS b(dimension)
GROUP BY 1, 2, 3
