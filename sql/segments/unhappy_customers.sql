-- name: unhappy_customers
-- description: last satisfaction score below 4, or at least half of their calls negative
-- owner: customer-service
-- grain: one row per customer
select customer_id
from customer_360
where csat_below_4
   or negative_call_share >= 0.5
