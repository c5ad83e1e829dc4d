-- Customer rules: RFM segment, lifecycle stage and tags of gold.customer_360, in one place.
-- Grain: one row per customer per as-of date. Input view customer_360_base holds every other
-- column of the table; the ${...} parameters come from gold.yaml (lifecycle and tags sections).
-- The first matching WHEN wins. Change a rule here, re-run `crm build360`, and
-- `crm dictionary` to refresh docs/DATA_DICTIONARY.md.
with segmented as (
    select
        *,
        -- RFM segment: the standard R x FM grid (R = recency score, FM = round((F + M) / 2)),
        -- as in G. Martin's RFM segment map, with the lowest cell (R 1, FM 1) named Lost.
        case
            when recency_score is null then null
            when recency_score = 5 and fm_score >= 4 then 'Champions'
            when recency_score between 3 and 4 and fm_score >= 4 then 'Loyal'
            when recency_score between 4 and 5 and fm_score between 2 and 3 then 'Potential Loyalist'
            when recency_score = 5 and fm_score = 1 then 'New'
            when recency_score = 4 and fm_score = 1 then 'Promising'
            when recency_score = 3 and fm_score = 3 then 'Need Attention'
            when recency_score = 3 and fm_score <= 2 then 'About to Sleep'
            when recency_score <= 2 and fm_score = 5 then 'Can''t Lose'
            when recency_score <= 2 and fm_score between 3 and 4 then 'At Risk'
            when recency_score = 1 and fm_score = 1 then 'Lost'
            else 'Hibernating'  -- R 1-2 and FM 1-2 except (1, 1)
        end as rfm_segment
    from (
        select *, cast(round((frequency_score + monetary_score) / 2.0) as int) as fm_score
        from customer_360_base
    )
),

final as (
    select
        *,
        -- lifecycle: prospect (no orders, no lead) -> lead (a lead or open opportunity, no orders)
        -- -> new (first order within new_days) -> active -> loyal (loyal_min_orders orders)
        -- -> at risk (no order for at_risk_days) -> churned (no order for churned_days).
        case
            when orders_count = 0 and (leads_count > 0 or open_opportunities > 0) then 'lead'
            when orders_count = 0 then 'prospect'
            when days_since_last_order > ${churned_days} then 'churned'
            when days_since_last_order > ${at_risk_days} then 'at risk'
            when days_since_first_order <= ${new_days} then 'new'
            when orders_count >= ${loyal_min_orders} then 'loyal'
            else 'active'
        end as lifecycle_stage,
        -- tags: every rule that holds, in this order.
        filter(array(
            -- high value: ABC tier A.
            case when abc_tier = 'A' then 'high value' end,
            -- churn risk: has ordered, and no order and no contact (activity, call, ticket) in churn_risk_days.
            case when orders_count > 0
                  and least(days_since_last_order, days_since_last_contact) > ${churn_risk_days} then 'churn risk' end,
            -- high intent: at least high_intent_min_views product views in 30 days and no order in 30 days.
            case when product_views_30d >= ${high_intent_min_views}
                  and coalesce(days_since_last_order, 2147483647) > 30 then 'high intent' end,
            -- unhappy: last CSAT below 4, or at least half of the calls negative.
            case when csat_below_4 or negative_call_share >= 0.5 then 'unhappy' end,
            -- cart abandoner: a session in 30 days with an add to cart and no checkout.
            case when abandoned_carts_30d > 0 then 'cart abandoner' end
        ), t -> t is not null) as tags
    from segmented
)

select * from final
