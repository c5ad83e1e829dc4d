-- name: lifecycle_churned
-- description: lifecycle stage churned: no order for more than churned_days days (gold.yaml)
-- owner: crm-lifecycle
-- grain: one row per customer
select customer_id
from customer_360
where lifecycle_stage = 'churned'
