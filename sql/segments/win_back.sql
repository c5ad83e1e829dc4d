-- name: win_back
-- description: repeat buyers (2+ orders) who stopped buying: lifecycle at risk or churned
-- owner: growth-marketing
-- grain: one row per customer
select customer_id
from customer_360
where lifecycle_stage in ('at risk', 'churned')
  and orders_count >= 2
