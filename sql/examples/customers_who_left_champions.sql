-- Customers who left Champions in the month up to the latest segment date: one row per customer.
with latest as (
    select max(as_of_date) as as_of_date
    from segments
),

left_champions as (
    select
        m.customer_id,
        m.entered_on,
        m.left_on
    from segment_membership as m
    cross join latest
    where m.segment = 'rfm_champions'
      and m.left_on > latest.as_of_date - interval 1 month
      and m.left_on <= latest.as_of_date
),

final as (
    select
        l.customer_id,
        l.entered_on,
        l.left_on,
        c.rfm_segment as rfm_segment_now,
        c.abc_tier,
        c.region
    from left_champions as l
    left join customer_360 as c
        on c.customer_id = l.customer_id
)

select * from final
order by left_on desc, customer_id
