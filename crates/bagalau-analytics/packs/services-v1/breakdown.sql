-- Each delivery record with its standard (the register version in force on
-- the day it was requested, with that day's deadline already worked out)
-- and whether it met the standard's deadline.
WITH checked AS (
  SELECT
    d.service, d.provider, d.region, d.office, d.channel, d.recipient,
    d.month, d.delivered_at, d.extra_documents,
    s.sector,
    s.service IS NOT NULL AS registered,
    CASE
      WHEN s.service IS NULL OR d.delivered_at IS NULL THEN NULL
      WHEN s.deadline_unit IN ('working_days', 'calendar_days')
        THEN CAST(d.delivered_at AS DATE) <= s.last_day
      ELSE date_part('epoch', d.delivered_at) - date_part('epoch', d.requested_at)
           <= s.deadline_seconds
    END AS on_time
  FROM deliveries d
  LEFT JOIN standards s
    ON s.service = d.service
   AND s.request_date = CAST(d.requested_at AS DATE)
  WHERE d.year = $year AND d.month IN ($months)
),
-- The records counted once at the finest grain; the breakdowns below add
-- these cells up, so each record is read and hashed once, not once per
-- breakdown.
cells AS (
  SELECT
    service, sector, provider, region, office, channel, recipient, month,
    COUNT(*) AS records,
    SUM(CASE WHEN registered THEN 0 ELSE 1 END) AS hidden,
    SUM(CASE WHEN on_time THEN 1 ELSE 0 END) AS on_time,
    SUM(CASE WHEN NOT on_time THEN 1 ELSE 0 END) AS violations,
    SUM(CASE WHEN delivered_at IS NULL THEN 1 ELSE 0 END) AS no_delivery_date,
    SUM(CASE WHEN channel = 'portal' THEN 1 ELSE 0 END) AS electronic,
    COUNT(extra_documents) AS documents_recorded,
    SUM(CASE WHEN extra_documents > 0 THEN 1 ELSE 0 END) AS extra_documents,
    SUM(CASE WHEN registered AND (NOT on_time OR extra_documents > 0) THEN 1 ELSE 0 END) AS breaches
  FROM checked
  GROUP BY service, sector, provider, region, office, channel, recipient, month
)
SELECT
  CASE
    WHEN grouping(service) = 0 THEN 'service'
    WHEN grouping(sector) = 0 THEN 'sector'
    WHEN grouping(provider) = 0 THEN 'provider'
    WHEN grouping(region) = 0 THEN 'region'
    WHEN grouping(office) = 0 THEN 'office'
    WHEN grouping(channel) = 0 THEN 'channel'
    WHEN grouping(recipient) = 0 THEN 'recipient'
    ELSE 'month'
  END AS dimension,
  COALESCE(service, sector, provider, region, office, channel, recipient) AS value,
  month,
  CAST(SUM(records) AS BIGINT) AS records,
  CAST(SUM(hidden) AS BIGINT) AS hidden,
  CAST(SUM(on_time) AS BIGINT) AS on_time,
  CAST(SUM(violations) AS BIGINT) AS violations,
  CAST(SUM(no_delivery_date) AS BIGINT) AS no_delivery_date,
  CAST(SUM(electronic) AS BIGINT) AS electronic,
  CAST(SUM(documents_recorded) AS BIGINT) AS documents_recorded,
  CAST(SUM(extra_documents) AS BIGINT) AS extra_documents,
  CAST(SUM(breaches) AS BIGINT) AS breaches
FROM cells
GROUP BY GROUPING SETS (
  (service, month), (sector, month), (provider, month), (region, month),
  (office, month), (channel, month), (recipient, month), (month)
)
