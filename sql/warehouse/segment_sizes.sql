-- segment_sizes: one row per segment per as-of date, with the change since the previous date.
create or replace view segment_sizes as
with sizes as (
    select
        as_of_date,
        segment,
        owner,
        members
    from segments
),

final as (
    select
        *,
        members - lag(members) over (partition by segment order by as_of_date) as members_change
    from sizes
)

select * from final;
