-- Customer 360 core aggregates in DuckDB SQL, a peer of BuildCustomer360Job (gold.customer_360).
-- Run by bench/peer_c360.py over Parquet exports of silver + gold.identity_map / gold.cookie_map,
-- registered as views named like the tables. Parameters: $as_of (DATE), $a_share, $b_share (gold.yaml abc).
-- Definitions follow jobs/src/main/java/org/crmlake/gold/BuildCustomer360Job.java and
-- jobs/src/main/resources/rules/customer_rules.sql (rfm_segment only). Session time zone must be UTC.
-- "Up to the date" = timestamp before the start of the next day (UTC); null timestamps never qualify.
with params as (
    select cast($as_of as date) as as_of,
           cast(cast($as_of as date) + 1 as timestamptz) as cutoff
),
idm as (select record_key, customer_id from identity_map),
customers as (select distinct customer_id from idm),

-- ---------------------------------------------------------------- orders, revenue, returns
orders_in as (
    select o.order_id, o.ordered_at, o.order_date, o.total_amount, i.customer_id
    from orders o join idm i using (record_key), params p
    where coalesce(o.ordered_at < p.cutoff, false) and coalesce(o.status, '') <> 'cancelled'
),
order_gaps as (
    select customer_id, order_id, order_date, total_amount,
           datediff('day', lag(order_date) over (partition by customer_id order by ordered_at, order_id),
                    order_date) as gap_days
    from orders_in
),
totals as (
    select customer_id,
           count(order_id) as orders_count,
           sum(total_amount) as revenue,
           min(order_date) as first_order_date,
           max(order_date) as last_order_date,
           median(gap_days) as median_days_between_orders
    from order_gaps group by customer_id
),
line_prices as (
    select order_id, product_id, max(unit_price) as unit_price from order_lines group by order_id, product_id
),
returns_agg as (
    select o.customer_id,
           count(r.return_id) as returns_count,
           sum(coalesce(r.quantity * lp.unit_price, 0.0)) as returned_amount
    from returns r
    join orders_in o using (order_id)
    left join line_prices lp on lp.order_id = r.order_id and lp.product_id = r.product_id
    cross join params p
    where coalesce(r.returned_at < p.cutoff, false)
    group by o.customer_id
),
value as (
    select t.customer_id, t.orders_count, t.revenue,
           t.revenue / nullif(t.orders_count, 0) as avg_order_value,
           t.first_order_date, t.last_order_date, t.median_days_between_orders,
           t.last_order_date + cast(round(t.median_days_between_orders) as integer) as expected_next_order_date,
           coalesce(r.returns_count, 0) as returns_count,
           coalesce(r.returned_amount, 0.0) as returned_amount,
           t.revenue - coalesce(r.returned_amount, 0.0) as lifetime_value
    from totals t left join returns_agg r using (customer_id)
),

-- ---------------------------------------------------------------- web engagement
events_in as (
    select w.* from web_events w, params p where coalesce(w.event_ts < p.cutoff, false)
),
my_events_all as (
    select c.customer_id, e.event_id, e.event_ts, e.event_date, e.session_id, e.event_type
    from events_in e join cookie_map c using (cookie_id)
    union all
    select i.customer_id, e.event_id, e.event_ts, e.event_date, e.session_id, e.event_type
    from events_in e join idm i on i.record_key = 'web:users:' || e.user_id
    where e.user_id is not null
),
my_events as (  -- each event counted once per customer
    select distinct on (customer_id, event_id) * from my_events_all
),
sessions as (
    select customer_id, session_id,
           min(event_date) as session_date,
           max(event_type = 'add_to_cart') as has_cart,
           max(event_type = 'checkout') as has_checkout
    from my_events group by customer_id, session_id
),
-- within d days: day > as_of - d and day <= as_of
per_session as (
    select s.customer_id,
           count(distinct case when s.session_date > p.as_of - 7  and s.session_date <= p.as_of then s.session_id end) as sessions_7d,
           count(distinct case when s.session_date > p.as_of - 30 and s.session_date <= p.as_of then s.session_id end) as sessions_30d,
           count(distinct case when s.session_date > p.as_of - 90 and s.session_date <= p.as_of then s.session_id end) as sessions_90d,
           count(distinct case when s.session_date > p.as_of - 365 and s.session_date <= p.as_of then s.session_id end) as sessions_365d,
           count(case when s.session_date > p.as_of - 7  and s.session_date <= p.as_of and s.has_cart and not s.has_checkout then 1 end) as abandoned_carts_7d,
           count(case when s.session_date > p.as_of - 30 and s.session_date <= p.as_of and s.has_cart and not s.has_checkout then 1 end) as abandoned_carts_30d,
           count(case when s.session_date > p.as_of - 90 and s.session_date <= p.as_of and s.has_cart and not s.has_checkout then 1 end) as abandoned_carts_90d,
           count(case when s.session_date > p.as_of - 365 and s.session_date <= p.as_of and s.has_cart and not s.has_checkout then 1 end) as abandoned_carts_365d
    from sessions s, params p group by s.customer_id
),
per_event as (
    select e.customer_id,
           max(e.event_ts) as last_visit_at,
           count(case when e.event_date > p.as_of - 7  and e.event_date <= p.as_of and e.event_type = 'product_view' then 1 end) as product_views_7d,
           count(case when e.event_date > p.as_of - 30 and e.event_date <= p.as_of and e.event_type = 'product_view' then 1 end) as product_views_30d,
           count(case when e.event_date > p.as_of - 90 and e.event_date <= p.as_of and e.event_type = 'product_view' then 1 end) as product_views_90d,
           count(case when e.event_date > p.as_of - 365 and e.event_date <= p.as_of and e.event_type = 'product_view' then 1 end) as product_views_365d,
           count(case when e.event_date > p.as_of - 7  and e.event_date <= p.as_of and e.event_type = 'add_to_cart' then 1 end) as add_to_carts_7d,
           count(case when e.event_date > p.as_of - 30 and e.event_date <= p.as_of and e.event_type = 'add_to_cart' then 1 end) as add_to_carts_30d,
           count(case when e.event_date > p.as_of - 90 and e.event_date <= p.as_of and e.event_type = 'add_to_cart' then 1 end) as add_to_carts_90d,
           count(case when e.event_date > p.as_of - 365 and e.event_date <= p.as_of and e.event_type = 'add_to_cart' then 1 end) as add_to_carts_365d
    from my_events e, params p group by e.customer_id
),
web as (
    select * from per_event left join per_session using (customer_id)
),

-- ---------------------------------------------------------------- service
tickets_in as (
    select i.customer_id, t.*, coalesce(t.resolved_at < p.cutoff, false) as resolved
    from tickets t join idm i on i.record_key = 'crm:contacts:' || t.contact_id, params p
    where coalesce(t.opened_at < p.cutoff, false)
),
ticket_agg as (
    select customer_id,
           count(case when not resolved then 1 end) as open_tickets,
           median(case when resolved then hours_to_resolve end) as median_hours_to_resolve,
           count(case when category = 'complaint' then 1 end) as ticket_complaints,
           max(case when resolved and csat is not null then {'at': resolved_at, 'score': csat} end) as ticket_csat,
           max(opened_at) as last_ticket_at
    from tickets_in group by customer_id
),
call_agg as (
    select i.customer_id,
           count(c.call_id) as calls_count,
           avg(case when c.is_negative then 1.0 else 0.0 end) as negative_call_share,
           count(case when c.is_complaint then 1 end) as call_complaints,
           max(case when c.survey_score is not null then {'at': c.started_at, 'score': c.survey_score} end) as call_csat,
           max(c.started_at) as last_call_at
    from calls c join idm i using (record_key), params p
    where coalesce(c.started_at < p.cutoff, false)
    group by i.customer_id
),
activity_agg as (
    select i.customer_id, max(a.occurred_at) as last_activity_at
    from activities a join idm i on i.record_key = 'crm:contacts:' || a.contact_id, params p
    where coalesce(a.occurred_at < p.cutoff, false)
    group by i.customer_id
),
service as (
    select customer_id,
           coalesce(t.open_tickets, 0) as open_tickets,
           t.median_hours_to_resolve,
           coalesce(t.ticket_complaints, 0) + coalesce(c.call_complaints, 0) as complaints,
           coalesce(c.calls_count, 0) as calls_count,
           c.negative_call_share,
           cast(greatest(t.ticket_csat, c.call_csat).score as integer) as last_csat,
           greatest(t.last_ticket_at, c.last_call_at, a.last_activity_at) as last_contact_at
    from ticket_agg t
    full outer join call_agg c using (customer_id)
    full outer join activity_agg a using (customer_id)
),

-- ---------------------------------------------------------------- one row per customer
base as (
    select cu.customer_id,
           coalesce(v.orders_count, 0) as orders_count,
           coalesce(v.revenue, 0.0) as revenue,
           v.avg_order_value, v.first_order_date, v.last_order_date,
           datediff('day', v.first_order_date, p.as_of) as days_since_first_order,
           datediff('day', v.last_order_date, p.as_of) as days_since_last_order,
           coalesce(v.returns_count, 0) as returns_count,
           coalesce(v.returned_amount, 0.0) as returned_amount,
           coalesce(v.lifetime_value, 0.0) as lifetime_value,
           v.median_days_between_orders, v.expected_next_order_date,
           coalesce(w.sessions_7d, 0) as sessions_7d,
           coalesce(w.sessions_30d, 0) as sessions_30d,
           coalesce(w.sessions_90d, 0) as sessions_90d,
           coalesce(w.sessions_365d, 0) as sessions_365d,
           coalesce(w.product_views_7d, 0) as product_views_7d,
           coalesce(w.product_views_30d, 0) as product_views_30d,
           coalesce(w.product_views_90d, 0) as product_views_90d,
           coalesce(w.product_views_365d, 0) as product_views_365d,
           coalesce(w.add_to_carts_7d, 0) as add_to_carts_7d,
           coalesce(w.add_to_carts_30d, 0) as add_to_carts_30d,
           coalesce(w.add_to_carts_90d, 0) as add_to_carts_90d,
           coalesce(w.add_to_carts_365d, 0) as add_to_carts_365d,
           coalesce(w.abandoned_carts_7d, 0) as abandoned_carts_7d,
           coalesce(w.abandoned_carts_30d, 0) as abandoned_carts_30d,
           coalesce(w.abandoned_carts_90d, 0) as abandoned_carts_90d,
           coalesce(w.abandoned_carts_365d, 0) as abandoned_carts_365d,
           w.last_visit_at,
           coalesce(s.open_tickets, 0) as open_tickets,
           s.median_hours_to_resolve,
           coalesce(s.complaints, 0) as complaints,
           coalesce(s.calls_count, 0) as calls_count,
           s.negative_call_share, s.last_csat,
           s.last_csat < 4 as csat_below_4,
           s.last_contact_at,
           datediff('day', cast(s.last_contact_at as date), p.as_of) as days_since_last_contact
    from customers cu
    left join value v using (customer_id)
    left join web w using (customer_id)
    left join service s using (customer_id)
    cross join params p
),

-- ---------------------------------------------------------------- RFM and ABC
-- ntile(5) over the customers with orders, ties broken by customer_id (Spark sorts nulls first).
scored as (
    select *,
           case when orders_count > 0 then ntile(5) over (partition by orders_count > 0
                order by last_order_date asc nulls first, customer_id) end as recency_score,
           case when orders_count > 0 then ntile(5) over (partition by orders_count > 0
                order by orders_count asc nulls first, customer_id) end as frequency_score,
           case when orders_count > 0 then ntile(5) over (partition by orders_count > 0
                order by revenue asc nulls first, customer_id) end as monetary_score,
           sum(revenue) over (order by revenue desc nulls last, customer_id
                rows between unbounded preceding and current row) as cumulative_revenue,
           sum(revenue) over () as total_revenue
    from base
),
tiered as (
    select *,
           cumulative_revenue / nullif(total_revenue, 0) as cumulative_revenue_share,
           case when revenue <= 0 then 'C'
                when (cumulative_revenue - revenue) / nullif(total_revenue, 0) < $a_share then 'A'
                when (cumulative_revenue - revenue) / nullif(total_revenue, 0) < $a_share + $b_share then 'B'
                else 'C' end as abc_tier,
           cast(round((frequency_score + monetary_score) / 2.0) as integer) as fm_score
    from scored
)
-- rfm_segment: the R x FM grid of rules/customer_rules.sql, first matching WHEN wins.
select * exclude (cumulative_revenue, total_revenue, fm_score),
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
           else 'Hibernating'
       end as rfm_segment
from tiered
