-- name: high_intent_no_purchase
-- description: viewed products or added to cart in the last 30 days, and no order in the last 90 days (or never)
-- owner: growth-marketing
-- grain: one row per customer
select customer_id
from customer_360
where (product_views_30d > 0 or add_to_carts_30d > 0)
  and coalesce(days_since_last_order, 2147483647) > 90
