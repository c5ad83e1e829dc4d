-- Segment sizes over time: one row per segment per as-of date, with the change since the previous date.
with sizes as (
    select
        as_of_date,
        segment,
        members
    from segments
),

final as (
    select
        segment,
        as_of_date,
        members,
        members - lag(members) over (partition by segment order by as_of_date) as members_change
    from sizes
)

select * from final
order by segment, as_of_date
