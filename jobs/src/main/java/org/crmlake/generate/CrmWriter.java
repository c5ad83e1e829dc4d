package org.crmlake.generate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** CRM export: contacts (with duplicates), leads, opportunities and their stages, activities, tickets, consents. */
final class CrmWriter {

    private static final List<String> LEAD_CHANNELS = List.of("web", "referral", "event", "partner", "cold_call");
    private static final List<String> PAID_CHANNELS = List.of("paid_search", "social", "email");
    private static final List<String> CAMPAIGNS = List.of("SPRING-SALE", "BACK2SCHOOL", "SUMMER-DEALS", "NEWSLETTER");
    private static final List<String> ACTIVITY_TYPES = List.of("call", "email", "meeting", "note");
    private static final List<String> TICKET_CATEGORIES = List.of("delivery", "billing", "product_defect", "account",
            "complaint");
    private static final List<String> PRIORITIES = List.of("low", "medium", "high", "urgent");
    private static final List<String> CONSENT_CHANNELS = List.of("email", "sms", "phone");
    private static final double[] CONSENT_OPT_IN = {0.7, 0.5, 0.4};

    private final World world;

    CrmWriter(World world) {
        this.world = world;
    }

    void writeReference() throws IOException {
        SplittableRandom none = new SplittableRandom(0);
        long at = world.batches().cutoff(0) - 3600;
        for (Catalog.Owner o : world.catalog().owners()) {
            world.landing().file("crm", "owners").write(at, new String[]{o.id(), o.name(), o.team(), o.region()}, none);
        }
    }

    /** Returns the person's primary contact id, or null when the CRM does not know them. */
    String write(Person p, List<Purchases.Order> orders) throws IOException {
        if (!p.crmContact()) {
            return null;
        }
        SplittableRandom rng = world.stream(p, 10);
        SplittableRandom messRng = world.stream(p, 110);
        Mess mess = world.mess();
        Batches b = world.batches();
        List<Catalog.Owner> owners = world.catalog().owners();
        Catalog.Owner owner = owners.get(p.b2b() ? rng.nextInt(8) : 8 + rng.nextInt(4));
        String contactId = Ids.CONTACT.id(p.index() * 4L);
        long created = p.contactCreatedDay() * Times.DAY + p.timeOfDay(rng);

        String[] row = contactRow(p, contactId, owner.id(), created, rng, messRng);
        List<Versions.State> states = new ArrayList<>();
        states.add(new Versions.State(created, row));
        if (rng.nextDouble() < 0.2) {
            long updated = created + (long) (rng.nextDouble() * (b.endDay() + 30 - Times.day(created)) * Times.DAY);
            String[] changed = row.clone();
            changed[5] = mess.phone(p.zh(), p.phone(), messRng);
            changed[13] = Times.timestamp(updated);
            states.add(new Versions.State(updated, changed));
        }
        if (Versions.write(world.landing().file("crm", "contacts"), b, states, messRng)) {
            world.truth().record("crm", "contacts", contactId, p);
        }
        if (mess.chance(messRng, 0.08)) {
            writeDuplicate(p, owner.id(), created, messRng);
        }

        writeConsents(p, contactId, created, rng, messRng);
        String leadId = writeLead(p, contactId, created, orders, rng, messRng);
        writeOpportunities(p, contactId, leadId, owner, orders, rng, messRng);
        writeActivities(p, contactId, owner.id(), rng, messRng);
        writeTickets(p, contactId, rng, messRng);
        return contactId;
    }

    private String[] contactRow(Person p, String contactId, String ownerId, long created, SplittableRandom rng,
                                SplittableRandom messRng) {
        Mess mess = world.mess();
        String first = p.firstName();
        String last = p.lastName();
        String account = p.company();
        if (mess.chance(messRng, 0.05)) {
            last = p.zh() ? last : Mess.fullWidth(last);
            account = account == null ? null : Mess.extraSpaces(account);
        }
        String email = mess.chance(messRng, 0.03) ? Mess.PLACEHOLDER_EMAIL : mess.email(p.email(), messRng);
        String birth = rng.nextDouble() < 0.15 ? null : p.birthDate().toString();
        return new String[]{contactId, account, mess.optional(first, messRng, 0.05), last,
                mess.optional(email, messRng, 0.1), mess.optional(mess.phone(p.zh(), p.phone(), messRng), messRng, 0.1),
                mess.optional(birth, messRng, 0.2), mess.optional(p.street(), messRng, 0.1), p.city(),
                mess.optional(p.postcode(), messRng, 0.1), mess.country(p.zh(), messRng), ownerId,
                Times.timestamp(created), null};
    }

    /** The same person entered again later: typo, nickname, other e-mail case or phone format. */
    private void writeDuplicate(Person p, String ownerId, long created, SplittableRandom messRng) throws IOException {
        String dupId = Ids.CONTACT.id(p.index() * 4L + 1);
        // Drawn from the mess stream only, so the clean world underneath does not change with the mess level.
        long later = created + (long) (messRng.nextDouble() * Math.max(1, world.batches().endDay() - Times.day(created))
                * Times.DAY);
        String[] row = contactRow(p, dupId, ownerId, later, messRng, messRng);
        switch (messRng.nextInt(4)) {
            case 0 -> row[3] = Mess.typo(p.lastName(), messRng);
            case 1 -> row[2] = NameBank.NICKNAMES.getOrDefault(p.firstName(), Mess.typo(p.firstName(), messRng));
            case 2 -> row[4] = p.email() == null ? null : p.email().toUpperCase(java.util.Locale.ROOT);
            default -> row[5] = PhoneFormats.variant(p.zh(), p.phone(), messRng);
        }
        if (world.landing().file("crm", "contacts").write(later, row, messRng)) {
            world.truth().record("crm", "contacts", dupId, p);
        }
    }

    private void writeConsents(Person p, String contactId, long created, SplittableRandom rng, SplittableRandom messRng)
            throws IOException {
        LandingFile file = world.landing().file("crm", "consents");
        for (int c = 0; c < CONSENT_CHANNELS.size(); c++) {
            if (rng.nextDouble() >= CONSENT_OPT_IN[c]) {
                continue;
            }
            long optIn = created + 60 + rng.nextInt(3600);
            file.write(optIn, new String[]{contactId, CONSENT_CHANNELS.get(c), "opt_in", Times.timestamp(optIn)}, messRng);
            boolean optsOut = p.churnDay() != Person.NO_CHURN ? rng.nextDouble() < 0.45 : rng.nextDouble() < 0.1;
            if (optsOut) {
                long day = p.churnDay() != Person.NO_CHURN ? p.churnDay() - 20 + rng.nextInt(40)
                        : Times.day(optIn) + 1 + rng.nextInt(400);
                long optOut = Math.max(optIn + 3600, day * Times.DAY + p.timeOfDay(rng));
                file.write(optOut, new String[]{contactId, CONSENT_CHANNELS.get(c), "opt_out", Times.timestamp(optOut)},
                        messRng);
            }
        }
    }

    private String writeLead(Person p, String contactId, long created, List<Purchases.Order> orders,
                             SplittableRandom rng, SplittableRandom messRng) throws IOException {
        boolean isNew = p.firstSeenDay() > world.batches().startDay();
        if (rng.nextDouble() >= (isNew ? 0.7 : 0.15)) {
            return null;
        }
        String leadId = Ids.LEAD.id(p.index() * 8L);
        boolean paid = rng.nextDouble() < 0.2 + 0.6 * p.priceSensitivity();
        String channel = paid ? NameBank.pick(rng, PAID_CHANNELS) : NameBank.pick(rng, LEAD_CHANNELS);
        String campaign = paid ? NameBank.pick(rng, CAMPAIGNS) + "-" + (2025 + rng.nextInt(2)) : null;
        long at = created + 30;
        List<Versions.State> states = new ArrayList<>();
        states.add(new Versions.State(at, new String[]{leadId, contactId, channel, campaign, "open", Times.timestamp(at)}));
        Purchases.Order first = orders.stream().filter(o -> o.orderedAt() > at).findFirst().orElse(null);
        if (first != null) {
            states.add(new Versions.State(first.orderedAt(),
                    new String[]{leadId, contactId, channel, campaign, "converted", Times.timestamp(at)}));
        } else if (rng.nextDouble() < 0.4) {
            long dq = at + (long) (10 + rng.nextInt(60)) * Times.DAY;
            states.add(new Versions.State(dq,
                    new String[]{leadId, contactId, channel, campaign, "disqualified", Times.timestamp(at)}));
        }
        Versions.write(world.landing().file("crm", "leads"), world.batches(), states, messRng);
        return leadId;
    }

    private void writeOpportunities(Person p, String contactId, String leadId, Catalog.Owner owner,
                                    List<Purchases.Order> orders, SplittableRandom rng, SplittableRandom messRng)
            throws IOException {
        int count = p.b2b() ? (rng.nextDouble() < 0.8 ? 1 + rng.nextInt(3) : 0)
                : p.orderRate() > 1 / 35.0 && rng.nextDouble() < 0.3 ? 1 : 0;
        Batches b = world.batches();
        long from = Math.max(b.startDay(), p.firstSeenDay());
        for (int k = 0; k < count; k++) {
            String oppId = Ids.OPPORTUNITY.id(p.index() * 8L + k);
            long created = (from + (long) (rng.nextDouble() * (b.endDay() - from + 1))) * Times.DAY + p.timeOfDay(rng);
            double amount = p.b2b() ? 5_000 * Math.exp(rng.nextGaussian() * 0.9 + 1) : 500 + rng.nextInt(4500);
            String amountText = Times.money(Math.round(amount) * 100);
            String lead = k == 0 ? leadId : null;
            List<String> stages = new ArrayList<>(List.of("lead"));
            List<Long> entered = new ArrayList<>(List.of(created));
            long t = created;
            boolean lost = false;
            for (String next : List.of("qualified", "quote")) {
                if (rng.nextDouble() > 0.75) {
                    lost = rng.nextBoolean();
                    break;
                }
                t += (2 + rng.nextInt(15)) * Times.DAY + rng.nextInt(7200);
                stages.add(next);
                entered.add(t);
            }
            boolean closes = lost || stages.size() == 3;
            if (closes) {
                boolean won = !lost && rng.nextDouble() < 0.35 + 0.4 * p.engagement();
                t += (3 + rng.nextInt(25)) * Times.DAY + rng.nextInt(7200);
                stages.add(won ? "won" : "lost");
                entered.add(t);
            }
            List<Versions.State> states = new ArrayList<>();
            LandingFile stageFile = world.landing().file("crm", "opportunity_stages");
            for (int s = 0; s < stages.size(); s++) {
                long at = entered.get(s);
                boolean closed = closes && s == stages.size() - 1;
                states.add(new Versions.State(at, new String[]{oppId, contactId, lead, owner.id(), amountText,
                        Times.timestamp(created), closed ? Times.timestamp(at) : null, stages.get(s)}));
                stageFile.write(at, new String[]{oppId, stages.get(s), Times.timestamp(at)}, messRng);
            }
            Versions.write(world.landing().file("crm", "opportunities"), b, states, messRng);
        }
    }

    private void writeActivities(Person p, String contactId, String ownerId, SplittableRandom rng,
                                 SplittableRandom messRng) throws IOException {
        Batches b = world.batches();
        double rate = p.b2b() ? 1 / 45.0 : 1 / 200.0;
        double t = Math.max(b.startDay(), p.firstSeenDay());
        LandingFile file = world.landing().file("crm", "activities");
        for (int k = 0; k < 250; k++) {
            t += -Math.log(1 - rng.nextDouble()) / rate;
            long day = (long) t;
            if (day > b.endDay()) {
                break;
            }
            String type = NameBank.pick(rng, ACTIVITY_TYPES);
            String subject = switch (type) {
                case "call" -> p.churnPressure(day) > 0.3 ? "Retention call" : "Check-in call";
                case "email" -> rng.nextBoolean() ? "Follow-up on order" : "Product newsletter reply";
                case "meeting" -> "Account review";
                default -> "Customer note";
            };
            long at = day * Times.DAY + p.timeOfDay(rng);
            file.write(at, new String[]{Ids.ACTIVITY.id(p.index() * 256L + k), contactId, ownerId, type,
                    Times.timestamp(at), subject}, messRng);
        }
    }

    /** Tickets come more often, resolve slower and score lower for people with bad service and near churn. */
    private void writeTickets(Person p, String contactId, SplittableRandom rng, SplittableRandom messRng)
            throws IOException {
        Batches b = world.batches();
        double maxRate = (0.5 + 2 * (1 - p.serviceExperience())) / 250.0 * 4;
        double t = Math.max(b.startDay(), p.firstSeenDay());
        long last = p.churnDay() == Person.NO_CHURN ? b.endDay() : Math.min(b.endDay(), p.churnDay() + 10);
        LandingFile file = world.landing().file("crm", "tickets");
        for (int k = 0; k < 64; ) {
            t += -Math.log(1 - rng.nextDouble()) / maxRate;
            long day = (long) t;
            if (day > last) {
                break;
            }
            double pressure = p.churnPressure(day);
            if (rng.nextDouble() >= (1 + 3 * pressure) / 4) {
                continue;
            }
            String ticketId = Ids.TICKET.id(p.index() * 64L + k++);
            long opened = day * Times.DAY + p.timeOfDay(rng);
            String category = rng.nextDouble() < 0.2 + 0.5 * pressure ? "complaint" : NameBank.pick(rng, TICKET_CATEGORIES);
            String priority = PRIORITIES.get(Math.min(3, rng.nextInt(3) + (category.equals("complaint") ? 1 : 0)));
            String[] open = {ticketId, contactId, category, priority, Times.timestamp(opened), null, null};
            List<Versions.State> states = new ArrayList<>();
            states.add(new Versions.State(opened, open));
            if (rng.nextDouble() < 0.9) {
                double hours = -Math.log(1 - rng.nextDouble()) * (12 + 96 * (1 - p.serviceExperience()));
                long resolved = opened + 600 + (long) (hours * 3600);
                long csat = Math.round(1 + 4 * p.serviceExperience() - 1.5 * pressure + rng.nextGaussian() * 0.7);
                String score = rng.nextDouble() < 0.3 ? null : Long.toString(Math.max(1, Math.min(5, csat)));
                String[] closed = open.clone();
                closed[5] = Times.timestamp(resolved);
                closed[6] = score;
                states.add(new Versions.State(resolved, closed));
            }
            Versions.write(file, b, states, messRng);
        }
    }
}
