-- customer_scores: one row per customer of the published date, with both models' scores side by side.
create or replace view customer_scores as
with pivoted as (
    select
        customer_id,
        max(case when model = 'churn' then score end) as churn_score,
        max(case when model = 'churn' then decile end) as churn_decile,
        max(case when model = 'propensity' then score end) as propensity_score,
        max(case when model = 'propensity' then decile end) as propensity_decile
    from scores
    group by customer_id
),

final as (
    select
        c.customer_id,
        c.region,
        c.abc_tier,
        c.lifecycle_stage,
        c.rfm_segment,
        p.churn_score,
        p.churn_decile,
        p.propensity_score,
        p.propensity_decile
    from customer_360 as c
    left join pivoted as p
        on p.customer_id = c.customer_id
)

select * from final;
