-- Revenue concentration: one row per ABC tier, its customers and share of revenue on the published date.
with tiers as (
    select
        abc_tier,
        count(*) as customers,
        sum(coalesce(revenue, 0)) as revenue_amount
    from customer_360
    group by abc_tier
),

final as (
    select
        abc_tier,
        customers,
        round(revenue_amount, 2) as revenue_amount,
        round(revenue_amount / nullif(sum(revenue_amount) over (), 0), 3) as revenue_share
    from tiers
)

select * from final
order by abc_tier
