-- name: rfm_champions
-- description: RFM Champions: bought very recently, often and for a lot (recency 5, F+M 4-5)
-- owner: crm-analytics
-- grain: one row per customer
select customer_id
from customer_360
where rfm_segment = 'Champions'
