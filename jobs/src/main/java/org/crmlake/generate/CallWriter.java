package org.crmlake.generate;

import java.io.IOException;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Call-centre export (GB18030): inbound calls that grow more frequent and more negative for
 * people with bad service and close to churn, a cancellation call at churn, sales calls to B2B.
 */
final class CallWriter {

    private static final String[] REASONS = {"delivery", "billing", "product question", "complaint", "cancellation"};
    private static final int MAX_CALLS = 64;

    private final World world;
    private SplittableRandom verification;
    private String contactId;

    CallWriter(World world) {
        this.world = world;
    }

    /**
     * @param contactId the person's CRM contact, or null; an agent who verifies an inbound caller
     *                  against the CRM records it as customer_ref (about 60% of inbound calls)
     */
    void write(Person p, String contactId) throws IOException {
        SplittableRandom rng = world.stream(p, 40);
        verification = world.stream(p, 41);
        this.contactId = contactId;
        SplittableRandom messRng = world.stream(p, 140);
        Batches b = world.batches();
        int k = 0;
        double maxRate = (0.4 + 1.6 * (1 - p.serviceExperience())) / 300.0 * 5;
        double t = Math.max(b.startDay(), p.firstSeenDay());
        long last = p.churnDay() == Person.NO_CHURN ? b.endDay() : Math.min(b.endDay(), p.churnDay() + 5);
        while (k < MAX_CALLS - 10) {
            t += -Math.log(1 - rng.nextDouble()) / maxRate;
            long day = (long) t;
            if (day > last) {
                break;
            }
            double pressure = p.churnPressure(day);
            if (rng.nextDouble() < (1 + 4 * pressure) / 5) {
                double u = rng.nextDouble();
                String reason = u < 0.15 + 0.35 * pressure ? "complaint" : REASONS[rng.nextInt(3)];
                k = call(p, k, day, "inbound", reason, pressure, rng, messRng);
            }
        }
        if (p.churnDay() != Person.NO_CHURN && p.churnDay() <= b.endDay() && rng.nextDouble() < 0.3) {
            k = call(p, k, p.churnDay(), "inbound", "cancellation", 1, rng, messRng);
        }
        if (p.b2b()) {
            double tt = Math.max(b.startDay(), p.firstSeenDay());
            while (k < MAX_CALLS) {
                tt += -Math.log(1 - rng.nextDouble()) * 90;
                if ((long) tt > last) {
                    break;
                }
                k = call(p, k, (long) tt, "outbound", "sales", p.churnPressure((long) tt), rng, messRng);
            }
        }
    }

    private int call(Person p, int k, long day, String direction, String reason, double pressure,
                     SplittableRandom rng, SplittableRandom messRng) throws IOException {
        Mess mess = world.mess();
        String callId = Ids.CALL.id(p.index() * 64L + k);
        long at = day * Times.DAY + p.timeOfDay(rng);
        boolean negative = rng.nextDouble() < 0.15 + 0.5 * (1 - p.serviceExperience()) + 0.35 * pressure
                || reason.equals("cancellation") && pressure >= 1;
        String outcome = switch (reason) {
            case "sales" -> negative ? "no_interest" : rng.nextBoolean() ? "follow_up" : "quote_sent";
            case "cancellation" -> negative ? "cancelled" : "retained";
            default -> negative ? (rng.nextBoolean() ? "escalated" : "unresolved") : "resolved";
        };
        String score = null;
        if (direction.equals("inbound") && rng.nextDouble() < 0.6) {
            score = Integer.toString(negative ? 1 + rng.nextInt(2) : 3 + rng.nextInt(3));
        }
        String name = rng.nextDouble() < 0.35 ? p.fullName() : null;
        String[] row = {callId, mess.optional(mess.phone(p.zh(), p.phone(), messRng), messRng, 0.05), name,
                String.format(Locale.ROOT, "AG%03d", 1 + rng.nextInt(20)), Times.timestamp(at),
                Integer.toString(30 + rng.nextInt(negative ? 1500 : 600)), direction, reason, outcome,
                Transcripts.pick(reason, p.zh(), negative, rng), score,
                direction.equals("inbound") && contactId != null && verification.nextDouble() < 0.6 ? contactId : null};
        if (world.landing().file("calls", "calls").write(at, row, messRng)) {
            world.truth().record("calls", "calls", callId, p);
        }
        return k + 1;
    }
}
