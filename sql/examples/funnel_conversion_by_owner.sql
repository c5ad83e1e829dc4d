-- Funnel conversion by owner: one row per owner over every month of the published funnel.
with by_owner as (
    select
        owner_id,
        owner_name,
        sum(leads) as leads,
        sum(qualified) as qualified,
        sum(won) as won,
        sum(lost) as lost
    from funnel
    group by owner_id, owner_name
),

final as (
    select
        *,
        round(qualified / nullif(leads, 0), 3) as lead_to_qualified_rate,
        round(won / nullif(won + lost, 0), 3) as win_rate
    from by_owner
)

select * from final
order by leads desc
