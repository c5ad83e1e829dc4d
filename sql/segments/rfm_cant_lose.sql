-- name: rfm_cant_lose
-- description: RFM Can't Lose: among the best buyers (F+M 5) but gone quiet (recency 1-2)
-- owner: crm-analytics
-- grain: one row per customer
select customer_id
from customer_360
where rfm_segment = 'Can''t Lose'
