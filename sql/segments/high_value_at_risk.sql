-- name: high_value_at_risk
-- description: tier A customers the churn model ranks in the top two deciles (churn_decile 1-2)
-- owner: key-accounts
-- grain: one row per customer
with tier_a as (
    select customer_id
    from customer_360
    where abc_tier = 'A'
),

final as (
    select tier_a.customer_id
    from tier_a
    join scores on scores.customer_id = tier_a.customer_id
    where scores.churn_decile <= 2
)

select * from final
