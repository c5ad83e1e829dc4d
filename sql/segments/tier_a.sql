-- name: tier_a
-- description: ABC tier A: the customers making the top share of revenue
-- owner: key-accounts
-- grain: one row per customer
select customer_id
from customer_360
where abc_tier = 'A'
