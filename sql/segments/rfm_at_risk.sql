-- name: rfm_at_risk
-- description: RFM At Risk: used to buy often and well (F+M 3-4) but not recently (recency 1-2)
-- owner: crm-analytics
-- grain: one row per customer
select customer_id
from customer_360
where rfm_segment = 'At Risk'
