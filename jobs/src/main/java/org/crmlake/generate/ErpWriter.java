package org.crmlake.generate;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** ERP export (';'-separated): customers for people who ordered, their orders, lines, invoices, returns. */
final class ErpWriter {

    private static final List<String> RETURN_REASONS = List.of("damaged", "wrong item", "not as described",
            "changed mind", "late delivery");

    private final World world;

    ErpWriter(World world) {
        this.world = world;
    }

    void writeReference() throws IOException {
        SplittableRandom none = new SplittableRandom(0);
        long at = world.batches().cutoff(0) - 3600;
        for (Catalog.Product pr : world.catalog().products()) {
            world.landing().file("erp", "products").write(at, new String[]{pr.id(), pr.name(), pr.category(),
                    Times.money(pr.priceCents())}, none);
        }
    }

    void write(Person p, String contactId, List<Purchases.Order> orders) throws IOException {
        if (orders.isEmpty()) {
            return;
        }
        SplittableRandom rng = world.stream(p, 20);
        SplittableRandom messRng = world.stream(p, 120);
        Mess mess = world.mess();
        String customerNo = Ids.CUSTOMER.id(p.index() * 4L);
        String crmId = contactId != null && rng.nextDouble() < 0.7 ? contactId : null;
        long created = orders.getFirst().orderedAt() - 60 - rng.nextInt(1800);
        writeCustomer(p, customerNo, crmId, created, billingName(p, rng, messRng), messRng);

        // A second customer number for the same person, used for part of the later orders.
        String dupNo = null;
        int dupFrom = Integer.MAX_VALUE;
        if (orders.size() >= 2 && mess.chance(messRng, 0.06)) {
            dupNo = Ids.CUSTOMER.id(p.index() * 4L + 1);
            dupFrom = 1 + messRng.nextInt(orders.size() - 1);
            String name = switch (messRng.nextInt(3)) {
                case 0 -> Mess.typo(billingName(p, messRng, messRng), messRng);
                case 1 -> p.zh() ? pinyinName(p, messRng.nextBoolean())
                        : NameBank.NICKNAMES.getOrDefault(p.firstName(), p.firstName()) + " " + p.lastName();
                default -> billingName(p, messRng, messRng);
            };
            writeCustomer(p, dupNo, null, orders.get(dupFrom).orderedAt() - 120, name, messRng);
        }

        String method = p.b2b() ? "bank_transfer" : null;
        for (Purchases.Order o : orders) {
            String owner = o.seq() >= dupFrom && messRng.nextBoolean() ? dupNo : customerNo;
            writeOrder(p, o, owner, method, rng, messRng);
        }
    }

    /** Han name, or (sometimes) the pinyin an ERP clerk typed; B2B invoices often go to the company. */
    private String billingName(Person p, SplittableRandom rng, SplittableRandom messRng) {
        Mess mess = world.mess();
        String name;
        if (p.b2b() && rng.nextDouble() < 0.25) {
            name = p.company();
        } else if (p.zh() && rng.nextDouble() < 0.3) {
            name = pinyinName(p, rng.nextBoolean());
        } else {
            name = p.fullName();
        }
        if (mess.chance(messRng, 0.04)) {
            name = Mess.fullWidth(name);
        }
        if (mess.chance(messRng, 0.04)) {
            name = Mess.extraSpaces(name);
        }
        return name;
    }

    private static String pinyinName(Person p, boolean surnameFirst) {
        return surnameFirst ? p.pinyinLast() + " " + p.pinyinFirst() : p.pinyinFirst() + " " + p.pinyinLast();
    }

    private void writeCustomer(Person p, String customerNo, String crmId, long created, String name,
                               SplittableRandom messRng) throws IOException {
        Mess mess = world.mess();
        String email = mess.chance(messRng, 0.02) ? Mess.PLACEHOLDER_EMAIL : mess.email(p.email(), messRng);
        String[] row = {customerNo, name, mess.optional(email, messRng, 0.1),
                mess.optional(mess.phone(p.zh(), p.phone(), messRng), messRng, 0.1),
                mess.optional(p.street(), messRng, 0.05), p.city(), p.postcode(), mess.country(p.zh(), messRng),
                crmId, Times.timestamp(created)};
        if (world.landing().file("erp", "customers").write(created, row, messRng)) {
            world.truth().record("erp", "customers", customerNo, p);
        }
    }

    private void writeOrder(Person p, Purchases.Order o, String customerNo, String b2bMethod, SplittableRandom rng,
                            SplittableRandom messRng) throws IOException {
        Landing landing = world.landing();
        long slot = p.index() * 512L + o.seq();
        String orderId = Ids.ORDER.id(slot);
        String total = Times.money(o.totalCents());
        String ordered = Times.timestamp(o.orderedAt());

        // Returns are likelier for people with bad service experiences.
        Long returnedAt = null;
        Purchases.Line returned = null;
        if (!o.cancelled() && rng.nextDouble() < 0.02 + 0.08 * (1 - p.serviceExperience())) {
            returned = o.lines().get(rng.nextInt(o.lines().size()));
            returnedAt = o.orderedAt() + (3 + rng.nextInt(18)) * Times.DAY + rng.nextInt(7200);
        }
        String status = o.cancelled() ? "cancelled" : "completed";
        List<Versions.State> orderStates = new ArrayList<>();
        orderStates.add(new Versions.State(o.orderedAt(),
                new String[]{orderId, customerNo, ordered, o.channel(), "USD", total, status}));
        if (returnedAt != null) {
            orderStates.add(new Versions.State(returnedAt,
                    new String[]{orderId, customerNo, ordered, o.channel(), "USD", total, "returned"}));
        }
        Versions.write(landing.file("erp", "orders"), world.batches(), orderStates, messRng);

        for (int i = 0; i < o.lines().size(); i++) {
            Purchases.Line l = o.lines().get(i);
            landing.file("erp", "order_lines").write(o.orderedAt(), new String[]{orderId, Integer.toString(i + 1),
                    l.product().id(), Integer.toString(l.quantity()), Times.money(l.product().priceCents()),
                    Times.money(l.amountCents())}, messRng);
        }

        if (!o.cancelled() && rng.nextDouble() < 0.95) {
            String invoiceId = Ids.INVOICE.id(slot);
            long invoiced = o.orderedAt() + 600 + rng.nextInt(2 * 86_400);
            String method = b2bMethod != null ? b2bMethod : p.zh()
                    ? NameBank.pick(rng, List.of("alipay", "wechat_pay", "card"))
                    : NameBank.pick(rng, List.of("card", "paypal", "card", "bank_transfer"));
            String[] open = {invoiceId, orderId, Times.timestamp(invoiced), total, null, method};
            List<Versions.State> states = new ArrayList<>();
            states.add(new Versions.State(invoiced, open));
            if (rng.nextDouble() < 0.92) {
                long paid = invoiced + (long) (rng.nextDouble() * (p.b2b() ? 30 : 3) * Times.DAY) + 60;
                String[] paidRow = open.clone();
                paidRow[4] = Times.timestamp(paid);
                states.add(new Versions.State(paid, paidRow));
            }
            Versions.write(landing.file("erp", "invoices"), world.batches(), states, messRng);
        }

        if (returnedAt != null) {
            landing.file("erp", "returns").write(returnedAt, new String[]{Ids.RETURN.id(slot), orderId,
                    returned.product().id(), "1", Times.timestamp(returnedAt),
                    p.serviceExperience() < 0.4 && rng.nextBoolean() ? "late delivery"
                            : NameBank.pick(rng, RETURN_REASONS)}, messRng);
        }
    }
}
