-- Churn risk by region and ABC tier: one row per region and tier, for the published date.
with churn as (
    select
        customer_id,
        score as churn_score,
        decile as churn_decile
    from scores
    where model = 'churn'
),

customers as (
    select
        c.customer_id,
        coalesce(c.region, 'unknown') as region,
        c.abc_tier,
        churn.churn_score,
        churn.churn_decile
    from customer_360 as c
    join churn
        on churn.customer_id = c.customer_id
),

final as (
    select
        region,
        abc_tier,
        count(*) as scored_customers,
        round(avg(churn_score), 3) as avg_churn_score,
        count(*) filter (where churn_decile <= 2) as top_two_deciles
    from customers
    group by region, abc_tier
)

select * from final
order by avg_churn_score desc
