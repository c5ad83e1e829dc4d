-- name: lifecycle_new
-- description: lifecycle stage new: first order within the last new_days days (gold.yaml)
-- owner: crm-lifecycle
-- grain: one row per customer
select customer_id
from customer_360
where lifecycle_stage = 'new'
