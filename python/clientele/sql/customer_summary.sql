-- The per-customer summary of docs/summary-contract.md (summary_version 1), in DuckDB SQL.
-- Input: a view clientele_lines(line_no BIGINT (the row's position in the file), customer_id
-- VARCHAR, day DATE, amount DECIMAL(38, 6) (NULL when the file has no amount), order_id VARCHAR
-- (NULL without an order column)) holding the
-- transactions after the reading filters the core applies (rows without a customer or a date
-- dropped; see README "DuckDB"), and a one-row view clientele_params(as_of DATE (NULL: the day
-- after the last purchase), horizon_days INTEGER, holdout_days INTEGER (NULL: the core's rule),
-- calibration_end DATE (NULL: the core's rule), has_order BOOLEAN, has_amount BOOLEAN).
-- Output: one row per customer, the contract's columns in its order. Money is summed in
-- DECIMAL(38, 6) and cast to DOUBLE at the end, so it has the bits of the core's exact sums.
WITH
classified AS (
  SELECT line_no, customer_id, day, amount,
         CASE WHEN order_id IS NULL OR order_id = '' THEN '~' || CAST(day AS VARCHAR) ELSE order_id END AS unit,
         (amount < 0 OR regexp_full_match(coalesce(order_id, ''), 'C[0-9]+')) AS is_return
  FROM clientele_lines
),
purchase_lines AS (
  SELECT * FROM classified
  WHERE NOT is_return AND (amount IS NULL OR amount > 0)
),
dates AS (
  SELECT coalesce(p.as_of, (SELECT max(day) FROM purchase_lines) + 1) AS as_of,
         p.horizon_days, p.holdout_days, p.calibration_end, p.has_order, p.has_amount,
         (SELECT count(*) > 0 FROM classified WHERE is_return) AS has_returns
  FROM clientele_params p
),
cuts AS (
  SELECT d.*, d.as_of - CAST(d.horizon_days AS INTEGER) AS training_cut,
         (SELECT min(day) FROM purchase_lines, dates WHERE day < dates.as_of) AS first_day
  FROM dates d
),
spans AS (
  SELECT c.*,
         CAST(c.as_of - 1 - c.first_day + 1 AS INTEGER) AS span,
         CAST(coalesce(c.holdout_days, greatest((c.as_of - 1 - c.first_day + 1 + 2) // 3, 56)) AS INTEGER) AS holdout
  FROM cuts c
),
clv AS (
  SELECT s.*,
         CASE
           WHEN s.calibration_end IS NOT NULL THEN s.calibration_end
           WHEN s.span - s.holdout < 56 THEN NULL
           ELSE s.as_of - 1 - s.holdout
         END AS clv_cut
  FROM spans s
),
lines AS (
  SELECT l.* FROM purchase_lines l, clv WHERE l.day < clv.as_of
),
daily AS (
  SELECT customer_id, day, sum(amount) AS amount FROM lines GROUP BY customer_id, day
),
per_day AS (
  SELECT customer_id,
         min(day) AS first_purchase,
         max(day) AS last_purchase,
         count(*) AS purchase_days,
         sum(amount) AS monetary,
         sum(amount) - arg_min(amount, day) AS repeat_spend,
         list_sort(list(day))[-2] AS previous_purchase_any,
         max(day) FILTER (WHERE day < (SELECT training_cut FROM clv)) AS cut_last_purchase,
         count(*) FILTER (WHERE day < (SELECT training_cut FROM clv)) AS cut_purchase_days,
         sum(amount) FILTER (WHERE day < (SELECT training_cut FROM clv)) AS cut_monetary,
         list_sort(list(day) FILTER (WHERE day < (SELECT training_cut FROM clv)))[-2] AS cut_previous_any,
         count(*) FILTER (WHERE day <= (SELECT clv_cut FROM clv)) AS clv_cut_purchase_days,
         max(day) FILTER (WHERE day <= (SELECT clv_cut FROM clv)) AS clv_cut_last_purchase,
         count(*) FILTER (WHERE day > (SELECT clv_cut FROM clv)) AS holdout_purchase_days,
         sum(amount) FILTER (WHERE day <= (SELECT clv_cut FROM clv)) - arg_min(amount, day) AS clv_cut_repeat_spend
  FROM daily GROUP BY customer_id
),
-- The order counts at each cut, one block for both: every order dated by its latest line before
-- the cut (the as-of date, or the training cut), then counted in the 30 / 90 / 180 days before it.
cut_points AS (
  SELECT 'as_of' AS kind, as_of AS cut_day FROM clv
  UNION ALL
  SELECT 'training_cut' AS kind, training_cut AS cut_day FROM clv
),
order_days AS (
  SELECT k.kind, k.cut_day, l.customer_id, l.unit, max(l.day) AS day
  FROM lines l JOIN cut_points k ON l.day < k.cut_day
  GROUP BY k.kind, k.cut_day, l.customer_id, l.unit
),
order_counts AS (
  SELECT customer_id, kind,
         count(*) AS orders,
         count(*) FILTER (WHERE day >= cut_day - 30) AS orders_30d,
         count(*) FILTER (WHERE day >= cut_day - 90) AS orders_90d,
         count(*) FILTER (WHERE day >= cut_day - 180) AS orders_180d
  FROM order_days GROUP BY customer_id, kind, cut_day
),
returned AS (
  SELECT r.customer_id,
         sum(-r.amount) FILTER (WHERE r.day < c.as_of) AS returned_amount,
         sum(-r.amount) FILTER (WHERE r.day < c.training_cut) AS cut_returned_amount
  FROM classified r, clv c WHERE r.is_return AND r.amount IS NOT NULL GROUP BY r.customer_id
),
first_seen AS (
  SELECT customer_id, min(line_no) AS first_row FROM lines GROUP BY customer_id
)
SELECT
  1 AS summary_version,
  p.customer_id,
  c.as_of,
  c.training_cut,
  c.clv_cut,
  CASE WHEN c.has_order THEN 'orders' ELSE 'purchase_days' END AS frequency_unit,
  p.first_purchase,
  p.last_purchase,
  CASE WHEN p.purchase_days > 1 THEN p.previous_purchase_any END AS previous_purchase,
  CAST(o.orders AS INTEGER) AS orders,
  CAST(p.purchase_days AS INTEGER) AS purchase_days,
  CASE WHEN c.has_amount THEN CAST(p.monetary AS DOUBLE) END AS monetary,
  CAST(p.purchase_days - 1 AS INTEGER) AS repeat_purchases,
  CASE WHEN c.has_amount THEN CAST(p.repeat_spend AS DOUBLE) END AS repeat_spend,
  CASE WHEN c.has_amount AND c.has_returns THEN CAST(coalesce(r.returned_amount, 0) AS DOUBLE) END AS returned_amount,
  CAST(o.orders_30d AS INTEGER) AS orders_30d,
  CAST(o.orders_90d AS INTEGER) AS orders_90d,
  CAST(o.orders_180d AS INTEGER) AS orders_180d,
  p.cut_last_purchase,
  CASE WHEN p.cut_purchase_days > 1 THEN p.cut_previous_any END AS cut_previous_purchase,
  CAST(coalesce(oc.orders, 0) AS INTEGER) AS cut_orders,
  CAST(p.cut_purchase_days AS INTEGER) AS cut_purchase_days,
  CASE WHEN c.has_amount THEN CAST(coalesce(p.cut_monetary, 0) AS DOUBLE) END AS cut_monetary,
  CASE WHEN c.has_amount AND c.has_returns THEN CAST(coalesce(r.cut_returned_amount, 0) AS DOUBLE) END AS cut_returned_amount,
  CAST(coalesce(oc.orders_30d, 0) AS INTEGER) AS cut_orders_30d,
  CAST(coalesce(oc.orders_90d, 0) AS INTEGER) AS cut_orders_90d,
  CAST(coalesce(oc.orders_180d, 0) AS INTEGER) AS cut_orders_180d,
  p.last_purchase >= c.training_cut AS label,
  CAST(CASE WHEN c.clv_cut IS NULL THEN 0 ELSE p.clv_cut_purchase_days END AS INTEGER) AS clv_cut_purchase_days,
  p.clv_cut_last_purchase,
  CASE WHEN c.has_amount AND c.clv_cut IS NOT NULL THEN
    CAST(CASE WHEN p.clv_cut_purchase_days > 0 THEN p.clv_cut_repeat_spend ELSE 0 END AS DOUBLE) END AS clv_cut_repeat_spend,
  CAST(CASE WHEN c.clv_cut IS NULL THEN 0 ELSE p.holdout_purchase_days END AS INTEGER) AS holdout_purchase_days,
  -- The lifecycle window comes from the median gap between purchase days pooled over every
  -- customer, which the core measures: a warehouse summary leaves these null (stages unknown).
  CAST(NULL AS INTEGER) AS lifecycle_active_days,
  CAST(NULL AS INTEGER) AS reactivation_gap_days
FROM per_day p
JOIN order_counts o ON o.customer_id = p.customer_id AND o.kind = 'as_of'
LEFT JOIN order_counts oc ON oc.customer_id = p.customer_id AND oc.kind = 'training_cut'
LEFT JOIN returned r ON r.customer_id = p.customer_id
JOIN first_seen f ON f.customer_id = p.customer_id
CROSS JOIN clv c
ORDER BY f.first_row
