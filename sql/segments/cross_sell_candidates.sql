-- name: cross_sell_candidates
-- description: active or loyal customers the propensity model ranks in the top three deciles (propensity_decile 1-3)
-- owner: growth-marketing
-- grain: one row per customer
with buying as (
    select customer_id
    from customer_360
    where lifecycle_stage in ('active', 'loyal')
),

final as (
    select buying.customer_id
    from buying
    join scores on scores.customer_id = buying.customer_id
    where scores.propensity_decile <= 3
)

select * from final
